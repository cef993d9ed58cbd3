"""Berliner Zeitung (berliner-zeitung.de).

Two designs: the Next.js design of 2021-2025 (`data-testid` hooks, CSS-module classes, URLs
ending in `-li.<id>`) and the server-rendered Tailwind design of 2026 (URLs
`/article/<slug>-<id>`), whose only semantic hooks are ids (`article-title`, `endOfContent`)
and the `article-content-*` class; the rest is described by structure. Machine times are UTC.
"""

from __future__ import annotations

from parsel import Selector

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.model.items import Image

CONTENT_2026 = "article [class*=article-content-]"


class BerlinerZeitung2026(SelectorArticle):
    """`article` = kicker, h1#article-title + lead, author/date row, hero image, audio player,
    then the content column holding paragraphs, ads, embedded teasers and the tag links."""

    version = "2026"
    detect = f"article h1#article-title ~ p, {CONTENT_2026}"
    headline_sources = ("article h1#article-title",)
    lead_css = "article h1#article-title + p"
    # Section: JSON-LD/`article:section` ("Debatte"); the kicker above the title is a topic.
    authors_css = "article > div.mt-4 .flex-wrap span"
    published_css = "article > div.mt-4 time[datetime]"
    dateline_css = "article > div.mt-4 time[datetime]"
    tags_css = f"{CONTENT_2026} a[href^='/category/']"
    body_css = CONTENT_2026
    body_exclude = (
        "article",  # embedded teasers for other stories are nested <article>s
        "[id^=qmn-ad]",
        "p:has(a[href^='mailto:'])",  # "Ihre Meinung ist uns wichtig ... briefe@..."
        # The author's bio, set in italics after a double break closing the last paragraph.
        "p > br + br + em",
    )
    image_css = "article > div.my-4"
    image_caption_css = "div.mt-2 > p:nth-child(1)"
    image_credit_css = "div.mt-2 > p:nth-child(2)"
    related_css = f"{CONTENT_2026} article"
    related_link_css = "a[href]"
    related_headline_css = "h3"
    related_section_css = "a span"

    def figure_image(self, figure: Selector) -> Image | None:
        image = super().figure_image(figure)
        if image and image.credit:
            image.credit = image.credit.lstrip("©").strip() or None
        return image


class BerlinerZeitung2021(SelectorArticle):
    """`data-testid=article-header` (breadcrumbs, h1, lead, author, date), the image container,
    then `data-testid=articleBody` with ads, teaser rows and an info box between paragraphs."""

    version = "2021"
    detect = "[data-testid=article-header] h1"
    headline_sources = ("[data-testid=article-header] h1",)
    lead_css = "[data-testid=article-header] p[class*=header-lead]"
    section_css = "[data-testid=article-header] [class*=breadcrumbs] a:nth-of-type(2)"
    authors_css = "[data-testid=author-section] [class*=author-name]"
    # The visible <time> carries a JavaScript date string ("Fri Apr 28 2023 17:52:31 GMT+0000
    # (Coordinated Universal Time)") and shows the day only, so the meta gives the time.
    published_css = "meta[property='article:published_time']"
    modified_css = "meta[property='article:modified_time']"
    dateline_css = "[data-testid=article-date-section] time"
    tags_css = "a[class*=tags-widget_tag]"
    body_css = "[data-testid=articleBody]"
    body_exclude = ("[class*=traffective]", "[class*=article_teasers]", "[class*=infobox]",
                    "[class*=outbrain]", "[data-testid=article-preview]")
    image_css = "[class*=article_image-container]:has(img)"
    image_caption_css = "[class*=image-container-caption]"
    image_credit_css = "[class*=image-container-source]"
    related_css = "[data-testid=articleBody] [data-testid=article-preview]"
    related_link_css = "[class*=preview_title] a[href]"
    related_headline_css = "[data-testid=article-title]"
    related_section_css = "[data-topic]"


PROFILE = SiteProfile(
    name="berlinerzeitung",
    description="Berliner Zeitung (German)",
    hosts=("berliner-zeitung.de",),
    # /article/<slug>-<id> (2026) and /<section path>/<slug>-li.<id> (until 2025); section
    # pages are /category/<name> and /topics/<name>.
    article_url=r"^https?://(?:www\.)?berliner-zeitung\.de/(?:article/(?:[\w-]+-)?\d{5,}"
                r"|(?:[\w-]+/)+[\w-]+-li\.\d+)(?:[?#]|$)",
    layouts=(BerlinerZeitung2026, BerlinerZeitung2021),
    timezone="Europe/Berlin",
    language="de",
    section_pages=("https://www.berliner-zeitung.de/category/news",
                   "https://www.berliner-zeitung.de/category/berlin",
                   "https://www.berliner-zeitung.de/category/wirtschaft"),
    sitemaps=("https://www.berliner-zeitung.de/news-sitemap.xml",
              "https://www.berliner-zeitung.de/sitemap.xml"),
    feeds=("https://www.berliner-zeitung.de/feed.xml",),
)
