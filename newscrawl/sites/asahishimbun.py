"""The Asahi Shimbun, Japanese edition (asahi.com).

The corpus page is the 2023+ design, whose class names are short random hashes (`y_Qv3`,
`nfyQp`) regenerated with each build: selectors here describe structure inside
`main#main` instead. Machine times are UTC (`...Z`) or +09:00; the newsroom is in Tokyo.
"""

from __future__ import annotations

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique

HEAD = "main#main h1"
BODY = "main#main > div:has(> p)"
# Added to the keywords of every page: the brand, not what the article is about.
SITE_KEYWORDS = frozenset({"朝日新聞デジタル", "朝日新聞", "ニュース", "新聞"})


class Asahi2023(SelectorArticle):
    """`main#main`: a block with the h1 and the byline row (reporter, <time>), share icons,
    then the article block (photo link, ad, paragraphs), then the paywall prompt."""

    version = "2023"
    detect = f"{HEAD} ~ div time[datetime], {BODY}"
    headline_sources = (HEAD,)
    authors_css = f"{HEAD} ~ div > span:not(:has(time))"
    # The meta keeps the newsroom's +09:00 (the <time> says the same instant in UTC).
    published_css = f"meta[property='article:published_time'], {HEAD} ~ div time[datetime]"
    dateline_css = f"{HEAD} ~ div time[datetime]"
    # Modified: JSON-LD dateModified.
    body_css = BODY
    body_exclude = ("[class*=AdMod]", ".notPrint", "figure")
    image_css = f"{BODY} figure"  # not the commentators' avatars further down

    def lead(self) -> str | None:
        # No standfirst is shown; the description metadata is the opening lines cut with "…".
        return None

    def section(self) -> str | None:
        # The Japanese section name is in a metadata tag only (JSON-LD says "National").
        category = self.page.meta_first("cxenseparse:ash-category")
        return normalize_space(category) or super().section()

    def tags(self) -> list[str]:
        keywords = (self.page.meta_first("keywords") or "").split(",")
        return unique([k for k in map(normalize_space, keywords) if k and k not in SITE_KEYWORDS])


PROFILE = SiteProfile(
    name="asahishimbun",
    description="The Asahi Shimbun (Japanese)",
    hosts=("asahi.com",),
    # /articles/<id>.html with ids like AST1F4445T1FUTIL02SM (older: ASxxxx); photo pages are
    # /articles/<id>/photo/...; the English edition (/ajw/) has its own design.
    article_url=r"^https?://www\.asahi\.com/articles/[A-Z0-9]{12,}\.html(?:[?#]|$)",
    layouts=(Asahi2023,),
    timezone="Asia/Tokyo",
    language="ja",
    section_pages=("https://www.asahi.com/national/", "https://www.asahi.com/politics/",
                   "https://www.asahi.com/business/"),
    sitemaps=("https://www.asahi.com/sitemap.xml",),
    feeds=("https://www.asahi.com/rss/asahi/newsheadlines.rdf",),
)
