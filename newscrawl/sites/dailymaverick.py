"""Daily Maverick (dailymaverick.co.za), Johannesburg.

Two designs (versions are approximate first years): the Astro front end seen in 2026 (Tailwind
classes, `article.article-container`) and the earlier WordPress theme with "reading modes"
tabs. Every article ends with the sign-off "DM"; what follows it (author biographies, "First
published in ...") is not the article. Photo credits close the caption or the image's alt text:
"... Gaza. (Photo: Haitham Imad)".
"""

import re

from parsel import Selector

from newscrawl.extraction import jsonld
from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space
from newscrawl.model.items import Image

_PHOTO_CREDIT = re.compile(
    r"^(.*?)\s*\((?:Photos?|Image|Graphic|Illustration)\s*:\s*([^()]+)\)\s*$",
    re.DOTALL | re.IGNORECASE)
_SIGN_OFF = re.compile(r"(?:^|\s)DM$")


def split_credit(text: str | None) -> tuple[str | None, str | None]:
    """("caption", "credit") from "caption (Photo: credit)"."""
    text = normalize_space(text)
    match = _PHOTO_CREDIT.match(text)
    if not match:
        return text or None, None
    return match.group(1) or None, normalize_space(match.group(2)) or None


class _DailyMaverickArticle(SelectorArticle):
    def body_blocks(self) -> list[str]:
        blocks = super().body_blocks()
        for index, block in enumerate(blocks):
            if _SIGN_OFF.search(block):
                return blocks[:index + 1]
        return blocks

    def figure_image(self, figure: Selector) -> Image | None:
        image = super().figure_image(figure)
        if image:
            caption, credit = split_credit(image.caption)
            if not credit:
                credit = split_credit(image.alt)[1]
            image.caption, image.credit = caption, image.credit or credit
        return image


class DailyMaverick2025(_DailyMaverickArticle):
    """Astro front end: `article.article-container`, text in `.article-contents`."""

    version = "2025"
    detect = "article.article-container .article-contents"
    # The JSON-LD headline ("Johannesburg ..." where the h1 shows "Joburg ...").
    headline_sources = ("jsonld", "og:title", "article.article-container header.titles h1")
    lead_css = "article.article-container .top-summary"
    section_css = "article.article-container .categories-section a[rel=category]"
    authors_css = "article.article-container .author-info a[href*='/author/']"
    tags_css = "article.article-container .keywords-section a[rel=tag]"
    dateline_css = "article.article-container .article_date"
    body_css = "article.article-container .article-contents"
    image_css = "article.article-container .main-image, .article-contents figure"
    image_caption_css = ".image-caption, figcaption"


class DailyMaverick2020(_DailyMaverickArticle):
    """WordPress theme: `.reading-modes-article`, long-form text in `#long-form`."""

    version = "2020"
    detect = ".reading-modes-article #long-form .article-content"
    headline_sources = (".reading-modes-article .titles h1",)
    lead_css = "#long-form .article-content h2.first-paragraph"
    authors_css = ".reading-modes-article .author-name a[href*='/author/']"
    tags_css = ".article-tags a[rel=tag]"
    dateline_css = ".reading-modes-article .article_date"
    body_css = "#long-form .article-content"
    body_blocks_css = "p, h2, h3, h4, h5, h6, blockquote, li"
    body_exclude = ("h2.first-paragraph", ".dm_add_wrapper", ".wp-caption", ".post_gallery",
                    "[id^=in-article-action]",
                    # "Read more: <link>" lines between the paragraphs
                    "p:has(> b:first-child + a:last-child)")
    image_css = ".reading-modes-article img.header-image, #long-form .article-content .wp-caption"
    image_caption_css = ".wp-caption-text"
    related_css = "#long-form .article-content p:has(> b:first-child + a:last-child)"

    def figure_image(self, figure: Selector) -> Image | None:
        image = super().figure_image(figure)
        if image and figure.root.tag == "img" and not image.caption:
            # The header picture's caption is filled in by script from the JSON-LD image.
            caption, credit = split_credit(self.header_caption(image.url))
            image.caption, image.credit = caption, credit
        return image

    def header_caption(self, url: str) -> str | None:
        stem = url.split("?")[0]
        for node in self.page.jsonld_nodes:
            if "imageobject" in jsonld.types_of(node) and str(node.get("url", "")).startswith(stem):
                return node.get("caption")
        return None


PROFILE = SiteProfile(
    name="dailymaverick",
    description="Daily Maverick (South Africa)",
    hosts=("dailymaverick.co.za",),
    # /article/2025-05-03-<slug>/ ; /section/, /author/ and /article_tag/ pages differ
    article_url=r"^https?://[^/]+/article/\d{4}-\d{2}-\d{2}-[\w-]+/?(?:[?#]|$)",
    layouts=(DailyMaverick2025, DailyMaverick2020),
    timezone="Africa/Johannesburg",
    language="en",
    section_pages=("https://www.dailymaverick.co.za/section/south-africa/",
                   "https://www.dailymaverick.co.za/section/world/",
                   "https://www.dailymaverick.co.za/section/business-maverick/",
                   "https://www.dailymaverick.co.za/section/opinionista/"),
    sitemaps=("https://www.dailymaverick.co.za/news-sitemap.xml",
              "https://www.dailymaverick.co.za/sitemap_index.xml"),
    feeds=("https://www.dailymaverick.co.za/dmrss/",),
)
