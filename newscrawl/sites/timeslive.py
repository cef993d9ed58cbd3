"""TimesLIVE (timeslive.co.za, Arena Holdings), with the Sunday Times Daily pages.

Two designs: the Arc XP "Themes" pages of late 2025 (`b-headline`, `b-article-body`) and the
earlier in-house "Cosmos" pages built from typed `.article-widget` blocks (text, image,
related articles). Neither shows tags; the editors' keywords are in the meta keywords.
"""

import json
import re

from parsel import Selector

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique
from newscrawl.model.items import Image

_PARENTHESES = re.compile(r"^\((.*)\)$")


class _TimesLiveArticle(SelectorArticle):
    def tags(self) -> list[str]:
        keywords = self.page.meta_first("keywords", "news_keywords") or ""
        return unique([k for k in (normalize_space(k) for k in keywords.split(",")) if k])

    def figure_image(self, figure: Selector) -> Image | None:
        image = super().figure_image(figure)
        if image and image.credit:  # "(NPA)"
            image.credit = _PARENTHESES.sub(r"\1", image.credit).strip() or None
        return image


class TimesLive2025(_TimesLiveArticle):
    """Arc XP Themes: `h1.b-headline`, `article.b-article-body` of `p.c-paragraph`."""

    version = "2025"
    detect = "article.b-article-body"
    headline_sources = ("h1.b-headline",)
    section_css = ".b-overline"
    authors_css = ".b-author-bio__author-name"
    published_css = "time.b-date[datetime]"
    dateline_css = "time.b-date"
    body_css = "article.b-article-body"
    # The pull quote repeats a sentence of the text.
    body_exclude = ("blockquote.b-article-body__pullquote", "[data-fusion-type^=GoogleAds]",
                    "figure")
    image_css = "figure.c-media-item"
    image_caption_css = ".c-media-item__caption"
    image_credit_css = ".c-media-item__credit"


class TimesLive2020(_TimesLiveArticle):
    """Cosmos: `#article` with `.article-widget-*` blocks (approximate first year)."""

    version = "2020"
    detect = "#article .article-widgets .article-widget-text"
    headline_sources = ("#article h1.article-title-primary",)
    lead_css = "#article h3.article-title-tertiary"
    section_css = "#article .article-left > .section a"
    authors_css = "#article .article-author .author-block .name a"
    dateline_css = "#article .article-pub-date"
    body_css = "#article .article-widgets .article-widget-text .text"
    image_css = "#article .article-widgets .article-widget-image"
    image_caption_css = ".image-text .description"
    image_credit_css = ".image-text .author .name"
    related_css = "#article .article-widget-related_articles .media"
    related_link_css = "a.link-block"
    related_headline_css = "a.link-block h3"
    related_section_css = "a.link-block .section"

    def tags(self) -> list[str]:
        # The meta keywords append site-wide words ("Breaking news", "sport", "tshisa live");
        # the page data (meta cosmos:data) holds the article's own keywords.
        try:
            data = json.loads(self.page.meta_first("cosmos:data") or "{}")
        except ValueError:
            data = {}
        article = data.get("article") if isinstance(data, dict) else None
        keywords = article.get("keywords") if isinstance(article, dict) else None
        if not isinstance(keywords, list):
            return super().tags()
        return unique([k for k in (normalize_space(str(k)) for k in keywords) if k])


PROFILE = SiteProfile(
    name="timeslive",
    description="TimesLIVE (South Africa)",
    hosts=("timeslive.co.za",),
    # /news/south-africa/2025-11-10-<slug>/ and /sunday-times-daily/business/2025-05-21-<slug>/
    article_url=r"^https?://[^/]+/(?:[\w-]+/)+\d{4}-\d{2}-\d{2}-[\w-]+/?(?:[?#]|$)",
    layouts=(TimesLive2025, TimesLive2020),
    timezone="Africa/Johannesburg",
    language="en",
    section_pages=("https://www.timeslive.co.za/news/south-africa/",
                   "https://www.timeslive.co.za/politics/", "https://www.timeslive.co.za/news/world/",
                   "https://www.timeslive.co.za/sport/"),
    sitemaps=("https://www.timeslive.co.za/sitemap/google-news/times-live/news/",
              "https://www.timeslive.co.za/sitemap/google-news/times-live/politics/",
              "https://www.timeslive.co.za/sitemap/google-news/times-live/sport/"),
    feeds=("https://www.timeslive.co.za/rss/",),
)
