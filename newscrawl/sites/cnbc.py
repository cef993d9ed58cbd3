"""CNBC (cnbc.com).

Article pages are built from named modules (`ArticleHeader-*`, `RenderKeyPoints-*`,
`ArticleBody-*`, `InlineImage-*`, `RelatedContent-*`, `Pullquote-*`). The "Key Points" list
above the text is the summary (the lead); pull quotes repeat the text and related-content
boxes ("More from ...") and video players sit between its paragraphs. Inline images are
lazy placeholders: the saved page holds their caption and credit but no picture URL.
"""

from newscrawl.extraction.blocks import texts_of
from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique


class Cnbc2019(SelectorArticle):
    version = "2019"
    detect = "#main-article-header .ArticleHeader-headline, [data-module=ArticleBody]"
    headline_sources = ("#main-article-header h1.ArticleHeader-headline",)
    lead_css = ".RenderKeyPoints-list"
    authors_css = "#main-article-header .Author-authorName"
    published_css = "#main-article-header time[data-testid=published-timestamp]"
    dateline_css = published_css
    body_css = "[data-module=ArticleBody]"
    body_blocks_css = ".group > p, .group > ul > li, .group > ol > li, h2, h3"
    body_exclude = ("[data-test=Pullquote]", "[class*=RelatedContent]", "[class*=InlineImage]",
                    "[class*=InlineVideo]", "[class*=Adhesion]", "[class*=lazyload]")
    related_css = "[data-module=ArticleBody] [class*=RelatedContent] li"

    def lead(self) -> str | None:
        # A list of key points, one line each, as shown.
        return "\n".join(texts_of(self.page.css(f"{self.lead_css} li"))) or None

    def dateline_raw(self) -> str | None:
        # "Published Fri, Apr 28 2023" and "2:23 PM EDT" are set apart by an empty divider.
        parts = self.page.css(self.dateline_css)[:1].xpath(".//text()").getall()
        return " ".join(p for p in (normalize_space(t) for t in parts) if p) or None

    def tags(self) -> list[str]:
        # The keywords meta; JSON-LD keywords add internal values ("Articles", "source:...").
        keywords = (self.page.meta_first("keywords", "news_keywords") or "").split(",")
        return unique([k for k in (normalize_space(k) for k in keywords) if k])


PROFILE = SiteProfile(
    name="cnbc",
    description="CNBC",
    hosts=("cnbc.com",),
    # /2023/04/28/slug.html
    article_url=r"^https?://(?:www\.)?cnbc\.com/\d{4}/\d{2}/\d{2}/[\w-]+\.html(?:[?#]|$)",
    layouts=(Cnbc2019,),
    timezone="America/New_York",
    language="en",
    section_pages=("https://www.cnbc.com/world/", "https://www.cnbc.com/business/",
                   "https://www.cnbc.com/investing/", "https://www.cnbc.com/technology/"),
    sitemaps=("https://www.cnbc.com/sitemap_news.xml", "https://www.cnbc.com/sitemapAll.xml"),
    feeds=("https://search.cnbc.com/rs/search/combinedcms/view.xml?partnerId=wrss01&id=100003114",
           "https://www.cnbc.com/id/100003114/device/rss/rss.html"),
)
