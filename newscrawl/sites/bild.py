"""BILD (bild.de).

The corpus page is the Nuxt-rendered design of 2021-2023: BEM class names (`article-title`,
`fig__caption__meta__credits`, `related-topics`) that are not hashed. Machine times are UTC
(`...Z`); the newsroom is in Berlin.
"""

from __future__ import annotations

from parsel import Selector

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.model.items import Image


class Bild2021(SelectorArticle):
    """`main article`: h1.article-title (kicker + headline), lead figure, author, time, then
    `.article-body` whose first paragraph is the bold intro."""

    version = "2021"
    detect = "main article h1.article-title"
    headline_sources = ("main article h1.article-title",)
    # The intro is the body's first paragraph: shown at the top, so it opens our body too.
    lead_css = "main article .article-body > p:first-child"
    # The most specific section crumb ("Sport > Fußball": the football section).
    section_css = "nav.breadcrumb li:nth-last-child(2) > a"
    authors_css = "main article .author .author__name"
    published_css = "main article time.datetime--article[datetime]"
    dateline_css = "main article time.datetime--article"
    # Tags: the keywords meta / JSON-LD keywords (the page shows no tag list).
    body_css = "main article .article-body"
    body_exclude = ("aside", "figure", ".ad-wrapper", ".sharingbar", ".video-heading")
    image_css = "main article figure.fig--lead, main article .article-body figure.fig--inline"
    image_caption_css = ".fig__caption__text"
    image_credit_css = ".fig__caption__meta__credits"
    related_css = "main article .related-topics__teaser"
    related_headline_css = ".teaser__title"

    def figure_image(self, figure: Selector) -> Image | None:
        if figure.css(".video-teaser"):
            return None  # a teaser for a separate video page, not a picture of this story
        image = super().figure_image(figure)
        if image and image.credit:
            # Shown as "Foto: Getty Images"; the label is not part of the credit.
            image.credit = image.credit.removeprefix("Foto:").strip() or None
        return image


PROFILE = SiteProfile(
    name="bild",
    description="BILD (German)",
    hosts=("bild.de",),
    # /<section path>/<slug>-<8-digit id>.bild.html; section fronts end in -<id>.bild.html too
    # but always say "startseite" or "home-" somewhere in the path; videos live under /video/.
    article_url=r"^(?!.*(?:startseite|/home-|/video/))https?://(?:www\.|m\.)?bild\.de/"
                r"(?:[\w-]+/)+[\w-]+-\d{6,}\.bild\.html(?:[?#]|$)",
    layouts=(Bild2021,),
    timezone="Europe/Berlin",
    language="de",
    section_pages=("https://www.bild.de/news/startseite/news/news-16804530.bild.html",
                   "https://www.bild.de/sport/startseite/sport/sport-home-15479124.bild.html",
                   "https://www.bild.de/politik/startseite/politik/politik-16804552.bild.html"),
    sitemaps=("https://www.bild.de/sitemap-news.xml", "https://www.bild.de/sitemap-index.xml"),
    feeds=("https://www.bild.de/rssfeeds/vw-neu/vw-neu-32001674,view=rss2.bild.xml",),
)
