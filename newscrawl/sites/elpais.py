"""El País (elpais.com).

The corpus page is the Arc-based design in use since about 2020: terse, stable class names
(`a_t` title, `a_st` standfirst, `a_c` body, `a_m` media) and `data-dtm-region` analytics
hooks. Times carry an offset; the main newsroom is in Madrid.
"""

from __future__ import annotations

from parsel import Selector

from newscrawl.extraction.blocks import largest_from_srcset
from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space
from newscrawl.model.items import Dateline, Image

BODY = "article [data-dtm-region=articulo_cuerpo]"


class ElPais2020(SelectorArticle):
    """`article > header` (kicker tag, h1, h2 standfirst, lead media), the byline block
    (author, place and dates), then the body with inline figures and photo galleries."""

    version = "2020"
    detect = f"article header h1.a_t, {BODY}"
    headline_sources = ("article header h1.a_t",)
    lead_css = "article header h2.a_st"
    # Section: `article:section` / JSON-LD ("Internacional"); the kicker above the title
    # ("Migración") is a tag page.
    authors_css = "article [data-dtm-region=articulo_firma] a"
    published_css = "article time#article_date_p"
    modified_css = "article time#article_date_u"
    dateline_css = "article time#article_date_p"
    # Tags: JSON-LD keywords, the list the page files the story under.
    body_css = BODY
    body_exclude = ("figure", ".gallery-summary-container", "[id^=gallery-summary]")
    image_css = f"article header figure.a_m, {BODY} figure.a_m"
    image_caption_css = "figcaption"
    image_credit_css = "figcaption .a_m_m"

    def figure_image(self, figure: Selector) -> Image | None:
        image = super().figure_image(figure)
        widest = largest_from_srcset(figure.css("img").attrib.get("srcset"))
        if image and widest:
            image.url = self.page.absolute(widest) or image.url  # src is the 414-pixel version
        if image and image.credit:
            # Shown as "Foto: X | Vídeo: EPV": the first label is not part of the credit.
            parts = image.credit.removeprefix("Foto:").split("|")
            image.credit = ", ".join(p.strip() for p in parts if p.strip()) or None
        return image

    def dateline(self) -> Dateline | None:
        line = super().dateline()
        # The byline reads "Bruselas - 15 oct 2024 - 08:22": the place precedes the date link.
        place = normalize_space(self.page.css(".a_md_f > span:first-child::text").get())
        place = place.rstrip(" -–") or None
        if line and place and not line.place:
            line.place = place
        return line


PROFILE = SiteProfile(
    name="elpais",
    description="El País (Spanish)",
    hosts=("elpais.com",),
    # /<section>/YYYY-MM-DD/<slug>.html (editions add a prefix: /mexico/, /america/ ...);
    # tag pages are /noticias/<tag>/, authors /autor/<name>/.
    article_url=r"^https?://elpais\.com/(?:[\w-]+/)+\d{4}-\d{2}-\d{2}/[\w-]+\.html(?:[?#]|$)",
    layouts=(ElPais2020,),
    timezone="Europe/Madrid",
    language="es",
    section_pages=("https://elpais.com/internacional/", "https://elpais.com/espana/",
                   "https://elpais.com/economia/", "https://elpais.com/ultimas-noticias/"),
    sitemaps=("https://elpais.com/sitemaps/news.xml", "https://elpais.com/sitemaps/sitemap.xml"),
    feeds=("https://feeds.elpais.com/mrss-s/pages/ep/site/elpais.com/portada",
           "https://feeds.elpais.com/mrss-s/list/ep/site/elpais.com/section/internacional"),
)
