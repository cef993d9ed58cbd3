"""Nine News (Nine Entertainment, Australia): 9news.com.au, later served from nine.com.au.

Two designs (versions are approximate first years): the nine.com.au pages, which carry stable
`data-ui-testid` attributes beside hashed class names, and the earlier 9news.com.au pages,
whose text is a run of `.block-content` blocks (spans, not paragraphs) with inline
"READ MORE:" links to other stories.
"""

import html

from parsel import Selector

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space


class Nine2025(SelectorArticle):
    """nine.com.au: `[data-ui-testid=body-content-all]` after a header with breadcrumbs."""

    version = "2025"
    detect = "article [data-ui-testid=body-content-all]"
    headline_sources = ("article header [data-ui-testid=headline]",)
    section_css = "article header [data-ui-testid=header-breadcrumbs] li:first-child a"
    # a linked staff name, then agencies as plain text: "Adam Vidler and AP"
    authors_css = ("[data-ui-testid=header-byline] > div > a,"
                   " [data-ui-testid=header-byline] > div > span")
    tags_css = "article footer [data-ui-testid=footer-tags] a"
    published_css = "[data-ui-testid=header-byline] time[datetime]"
    dateline_css = "[data-ui-testid=header-byline] time"
    body_css = "[data-ui-testid=body-content-all]"
    body_blocks_css = "p, h2, h3, h4, h5, h6, blockquote, li"
    # "Read more" cards: a label, a picture and a linked headline of another story
    _promo = "[data-ui-testid=body-content-all] div:has(> h4 ~ h3 > a)"
    body_exclude = (_promo, "figure", "small", ".OUTBRAIN", "button",
                    "[data-ui-testid=body-content-hero-media] figcaption")
    image_css = ("[data-ui-testid=body-content-hero-media] figure,"
                 " [data-ui-testid=body-content-all] figure:has(> figcaption)")
    image_caption_css = "figcaption"
    image_credit_css = "figcaption cite"
    related_css = _promo
    related_link_css = "h3 a[href]"
    related_headline_css = "h3 a"


class NineNews2018(SelectorArticle):
    """9news.com.au: `article.article` with `.article__body-croppable` blocks."""

    version = "2018"
    detect = "article.article .article__body-croppable .block-content"
    headline_sources = ("article.article h1.article__headline",)
    authors_css = "article.article .author .text--author"
    tags_css = "article.article ul.article__tags a"
    published_css = "article.article .author time[datetime]"
    dateline_css = "article.article .author time"
    body_css = "article.article .article__body-croppable"
    # Each `.block-content` is one paragraph made of spans; subheadings are h3 inside one.
    body_blocks_css = ".block-content, h2, h3, h4"
    # "READ MORE: <bold link to another story>" promotions between the paragraphs
    _read_more = (".block-content:has(> div > strong:first-child ~ a:last-child > strong)",
                  ".block-content:has(> div > strong:first-child:last-child a)")
    body_exclude = (*_read_more, "figure", ".OUTBRAIN", "[id^=adspot]")
    image_css = "article.article .article__body figure.article__image"
    image_caption_css = "figcaption.article__caption"
    related_css = ", ".join(_read_more)
    # The credit closes the caption in parentheses: "... released on Jeffrey Epstein. (AP)"
    image_caption_credit_re = r"\s*\((?P<credit>[^()]+)\)$"
    related_link_css = "a[href]"
    related_headline_css = "a[href]"

    def lead(self) -> str | None:
        # No standfirst is shown; the JSON-LD description holds the summary as HTML
        # escaped once more ("&lt;p&gt;Here&amp;#x27;s ..."); the meta descriptions only hold
        # the cut first sentence.
        summary = html.unescape(self.ld_value("description") or "")
        if not summary:
            return None
        text = Selector(text=f"<div>{summary}</div>").xpath("string()").get()
        return normalize_space(text) or None


PROFILE = SiteProfile(
    name="ninenews",
    description="Nine News, Australia (9news.com.au, nine.com.au)",
    hosts=("nine.com.au", "9news.com.au"),
    # nine.com.au: /world-news/usa/<slug>-20260701-p60bhj.html;
    # 9news.com.au: /world/<slug>/<uuid>
    article_url=(r"^https?://[^/]+/(?:(?:[\w-]+/)+[\w-]+-\d{8}-p[0-9a-z]{5,}\.html"
                 r"|[\w-]+/[\w-]+/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})"
                 r"/?(?:[?#]|$)"),
    layouts=(Nine2025, NineNews2018),
    timezone="Australia/Sydney",
    language="en",
    section_pages=("https://www.nine.com.au/world-news", "https://www.nine.com.au/australia-news",
                   "https://www.9news.com.au/world", "https://www.9news.com.au/national"),
    sitemaps=("https://www.9news.com.au/sitemap.xml",),
    feeds=("https://www.9news.com.au/rss",),
)
