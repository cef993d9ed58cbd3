"""Global News (globalnews.ca), Corus Entertainment's news site, on WordPress.

The byline shows times without zone or machine-readable value ("Posted May 24, 2026 10:05 am",
Eastern time); the JSON-LD has them with offset, so dates come from there.
"""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique


class GlobalNews2020(SelectorArticle):
    """Article page: `.l-article` column with `article.l-article__text`."""

    version = "2020"
    detect = ".l-article article.l-article__text"
    headline_sources = (".l-article h1.l-article__title",)
    section_css = ".l-article .c-topLabel__link"
    # "By Samya Kullab and Vasilisa Stepanenko", then the agency in its own span
    authors_css = ".l-article .c-byline__attribution > span:not(.c-byline__source)"
    dateline_css = ".l-article .c-byline__date--pubDate"
    body_css = ".l-article article.l-article__text"
    body_exclude = (".c-ad", ".c-inlineSignup", ".l-article__part", ".c-tabs", "figure",
                    "img")
    # The featured slot holds a picture or a video's poster, with its caption.
    image_css = ".l-article figure.l-article__featured, .l-article__text figure"
    image_caption_css = ".c-caption__desc"
    image_credit_css = ".c-caption__credit"

    def tags(self) -> list[str]:
        # No tags are shown; article:tag holds the editors' tags (the JSON-LD keywords add
        # internal values such as "Primary Region National").
        return unique([t for t in map(normalize_space, self.page.meta.get("article:tag", []))
                       if t])


PROFILE = SiteProfile(
    name="globalnews",
    description="Global News (Canada)",
    hosts=("globalnews.ca",),
    # /news/11862251/<slug>/; sections (/world/), /video/ and /tag/ pages differ
    article_url=r"^https?://[^/]+/news/\d{5,}/[\w-]+/?(?:[?#]|$)",
    layouts=(GlobalNews2020,),
    timezone="America/Toronto",
    language="en",
    section_pages=("https://globalnews.ca/canada/", "https://globalnews.ca/world/",
                   "https://globalnews.ca/politics/", "https://globalnews.ca/money/",
                   "https://globalnews.ca/health/"),
    sitemaps=("https://globalnews.ca/news-sitemap.xml", "https://globalnews.ca/sitemap.xml"),
    feeds=("https://globalnews.ca/feed/", "https://globalnews.ca/world/feed/",
           "https://globalnews.ca/canada/feed/"),
)
