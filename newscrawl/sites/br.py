"""BR24, the news site of Bayerischer Rundfunk (br.de/nachrichten).

One design (a Next.js app, 2023 onwards) whose CSS-module class names carry build hashes that
changed form in 2025 (`ArticleModuleTeaser_title__A9KRZ` became
`ArticleModuleTeaser-module-scss-module__Y44zPW__title`), so every selector matches on the
stable component name only. Times carry an offset; the newsroom is in Munich.
"""

from __future__ import annotations

from parsel import Selector

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.model.items import Image

TEASER = "article > header [class*=ArticleModuleTeaser]"


class BR2023(SelectorArticle):
    """Header = hero image, sidebar (caption, credit, tags), teaser (date, h2 title, lead,
    authors); body = `#articlebody`, a run of rich-text modules."""

    version = "2023"
    detect = "article section#articlebody [class*=ArticleModuleText]"
    # Headline from JSON-LD: on live tickers the visible title is the latest entry's
    # ("Nahost-Ticker: ..."), while JSON-LD keeps the article's own title, the one in the URL
    # and in search results.
    headline_sources = ("jsonld", "generic")
    lead_css = f"{TEASER} p[class*=TeaserText]"
    authors_css = f"{TEASER} [class*=authorSection] [class*=authorName]"
    published_css = f"{TEASER} time.aipd-gtm[datetime]"
    dateline_css = f"{TEASER} time.aipd-gtm[datetime]"
    # Section: JSON-LD articleSection (the URL's first path segment, e.g. "bayern"); the page
    # shows no section name. Modified: JSON-LD dateModified. Tags: the sidebar's tag links carry
    # hit counts in the same link, so the `article:tag` metas (same list, same order) are read.
    body_css = "#articlebody"
    body_exclude = (
        # "Zum Artikel: <link>" items, and the link list set as headings inside a <ul>
        # ("ZU DEN BISHERIGEN ENTWICKLUNGEN ..." under tickers), point to other stories.
        'li:contains("Zum Artikel")', "ul > h2:has(> a)",
        # Sourcing note under tickers ("Mit Informationen der ARD-Korrespondenten ...").
        'p:has(> em:only-child):contains("Mit Informationen")',
        # House footers: the "Europäische Perspektive" tagline and the newsletter prompt.
        "p:has(> a[href*=blickt-nach-europa])", "p:has(a[href*=newsletter])",
    )
    image_css = "article > header"
    image_img_css = "[class*=ArticleModuleHero] figure img"
    image_caption_css = "[class*=CollapsibleMetadataBox] p[class*=caption]"
    image_credit_css = "[class*=CollapsibleMetadataBox] span[class*=opyright]"
    related_css = '#articlebody li:contains("Zum Artikel"), #articlebody ul > h2:has(> a)'

    def figure_image(self, figure: Selector) -> Image | None:
        image = super().figure_image(figure)
        if image and image.credit:
            # Shown as "Bildrechte: agency | photographer"; the label is not part of the credit.
            parts = image.credit.removeprefix("Bildrechte:").split("|")
            image.credit = ", ".join(p.strip() for p in parts if p.strip()) or None
        return image


PROFILE = SiteProfile(
    name="br",
    description="BR24, Bayerischer Rundfunk news (German)",
    hosts=("br.de",),
    # /nachrichten/<section>/<slug>,<7-character id>; section pages are /nachrichten/<name>,<id>
    # with no slug segment, author pages live under /nachrichten/autoren/.
    article_url=r"^https?://www\.br\.de/nachrichten/(?!autoren/|suche)[\w-]+/[\w-]+,[A-Za-z0-9]{7}"
                r"(?:[?#]|$)",
    layouts=(BR2023,),
    timezone="Europe/Berlin",
    language="de",
    section_pages=("https://www.br.de/nachrichten/oberbayern,QXAQcxl",
                   "https://www.br.de/nachrichten/wirtschaft,QXAPwyN",
                   "https://www.br.de/nachrichten/kultur,QXAPqxI",
                   "https://www.br.de/nachrichten/sport,QXAPvmL"),
    sitemaps=("https://www.br.de/nachrichten/sitemaps/news.xml",
              "https://www.br.de/sitemapIndex.xml"),
)
