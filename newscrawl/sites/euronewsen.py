"""Euronews, English edition (euronews.com).

Both designs put a hero image with a tooltip caption in the article header and the text in
`.c-article-content`, interleaved with ads and `widget` blocks (related links, images). The
2024 design shows only the date (`time.c-article-publication-date`, whose `datetime` is a bare
date) and no byline; the 2025 design adds a "By ..." contributors line, a `div` date block with
full `time` values, inline image widgets with captions and a `c-tags-list` of topics. The
caption tooltip reads "<caption> - Copyright <credit>".
"""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile

_BODY_EXCLUDE = (".widget", "[class*=c-ad]", ".advertising", ".connatix-container",
                 "[class*=c-article-content__first-element]")


class Euronews2025(SelectorArticle):
    """Contributors line and a `div` date block above the text; image widgets inline."""

    version = "2025"
    detect = "div.c-article-publication-date time[datetime]"
    # og:title, the shorter headline the publisher declares (the 2023 JSON-LD repeats the
    # h1; the 2025 pages have no JSON-LD article).
    headline_sources = ("og:title", "jsonld", "h1.c-article-redesign-title")
    lead_css = ".c-article-summary"
    # The breadcrumb is Home > News > <section> > <topic>.
    section_css = ".c-article-breadcrumbs a.c-article-breadcrumbs__link:nth-of-type(3)"
    authors_css = ".c-article-contributors a"
    tags_css = "#adb-article-tags a"
    published_css = "div.c-article-publication-date time:first-of-type"
    dateline_css = published_css
    body_css = ".c-article-content"
    body_blocks_css = "p, h2, h3, h4, li, blockquote"
    body_exclude = _BODY_EXCLUDE
    image_css = ("header .c-article-image-video,"
                 " .c-article-content .widget--type-image figure")
    image_caption_css = ".c-article-caption__text, .widget__captionText"
    image_credit_css = ".c-article-caption__credit, .widget__captionCredit"
    image_caption_exclude = ".c-article-caption__copyright, .u-color-white"
    image_prefer_srcset = True
    related_css = ".c-article-content .widget--type-related li"


class Euronews2023(Euronews2025):
    """Date only (a `time` whose `datetime` is a bare date; JSON-LD has the time), no byline."""

    version = "2023"
    detect = "time.c-article-publication-date"
    # No byline is shown: JSON-LD names the author (the newsroom).
    authors_css = None
    tags_css = ".c-article-tags a"
    published_css = None
    dateline_css = "time.c-article-publication-date"


PROFILE = SiteProfile(
    name="euronewsen",
    description="Euronews, English edition",
    hosts=("euronews.com",),
    # /2024/04/30/slug and /business/2024/04/30/slug (vertical prefixes)
    article_url=r"^https?://(?:www\.)?euronews\.com/(?:[a-z-]+/)?\d{4}/\d{2}/\d{2}/[\w-]+/?(?:[?#]|$)",
    layouts=(Euronews2025, Euronews2023),
    timezone="Europe/Paris",
    language="en",
    section_pages=("https://www.euronews.com/news/international",
                   "https://www.euronews.com/news/europe", "https://www.euronews.com/business",
                   "https://www.euronews.com/my-europe"),
    sitemaps=("https://www.euronews.com/sitemaps/en/latest-news.xml",
              "https://www.euronews.com/sitemaps/en/articles.xml"),
    feeds=("https://www.euronews.com/rss", "https://www.euronews.com/rss?level=theme&name=news"),
)
