"""The Globe and Mail (theglobeandmail.com), on Arc XP (Fusion).

Hashed styled-component classes (`default__StyledArticle-sc-ivh5si-0`) sit beside stable
ones (`c-article-body__text`, `c-article-meta__bylines`, `c-image-figcap`) and
`data-sophi-feature` attributes; selectors use the stable ones only.
"""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile


class GlobeAndMail2022(SelectorArticle):
    """Fusion article: `.l-article-title` header, `article.l-article` text."""

    version = "2022"
    detect = "article.l-article[data-sophi-feature='article body']"
    headline_sources = (".l-article-title h1",)
    authors_css = ".c-article-meta__bylines a[href*='/authors/']"
    published_css = ".c-article-meta time.c-timestamp[datetime]"
    dateline_css = ".c-article-meta time.c-timestamp"
    body_css = "article.l-article[data-sophi-feature='article body']"
    body_blocks_css = ("p.c-article-body__text, h2, h3, h4, h5, h6, blockquote,"
                       " li")
    body_exclude = (".article-toolbar", ".c-ad--base", "figure", ".rawHtml")
    image_css = ".l-article-title figure, article.l-article figure"
    image_caption_css = ".c-image-figcap .caption"
    image_credit_css = ".c-image-figcap .credit"
    # Readers follow the story's topics from this list; authors are listed there too.
    tags_css = ".c-topic-group .c-topic-link:not(.c-topic-link--author)"


PROFILE = SiteProfile(
    name="theglobeandmail",
    description="The Globe and Mail (Toronto)",
    hosts=("theglobeandmail.com",),
    # /business/article-<slug>/ ; sections (/business/), /authors/ and /topics/ pages differ
    article_url=r"^https?://[^/]+/(?:[\w-]+/)+article-[\w-]+/?(?:[?#]|$)",
    layouts=(GlobeAndMail2022,),
    timezone="America/Toronto",
    language="en",
    section_pages=("https://www.theglobeandmail.com/canada/",
                   "https://www.theglobeandmail.com/world/",
                   "https://www.theglobeandmail.com/business/",
                   "https://www.theglobeandmail.com/politics/",
                   "https://www.theglobeandmail.com/opinion/"),
    sitemaps=(
        "https://www.theglobeandmail.com/arc/outboundfeeds/news-sitemap-index/?outputType=xml",
        "https://www.theglobeandmail.com/arc/outboundfeeds/sitemap-index/?outputType=xml"),
    feeds=("https://www.theglobeandmail.com/arc/outboundfeeds/rss/category/canada/",
           "https://www.theglobeandmail.com/arc/outboundfeeds/rss/category/business/"),
)
