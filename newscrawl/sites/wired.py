"""WIRED (wired.com), on Condé Nast's Verso platform.

Class names carry hashed suffixes (`BodyWrapper-kufPGa`), but Verso also sets stable semantic
classes (`body__inner-container`, `caption__credit`, `product-embed`, `lead-asset`) and
`data-testid` attributes; selectors use only those. The text is split into several
`.body__inner-container` chunks. Buying guides embed product cards (picture, name, shop
buttons) between the paragraphs.
"""

import re

from parsel import Selector

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique
from newscrawl.model.items import Image

_CREDIT_LABEL = re.compile(r"^(?:Photograph|Photo|Illustration|Video|Image|Art)s?\s*:\s*",
                           re.IGNORECASE)


class Wired2023(SelectorArticle):
    """Verso article page: `[data-testid=ContentHeaderContainer]` header, `article__body`."""

    version = "2023"
    detect = "article .article__body .body__inner-container"
    # The JSON-LD headline (og:title repeats the h1).
    headline_sources = ("jsonld", "og:title", "[data-testid=ContentHeaderHed]")
    lead_css = ".content-header__accreditation [class*=ContentHeaderDek]"
    lead_shown = True
    section_css = "[data-testid=ContentHeaderRubric] .rubric__name"
    authors_css = "[data-testid=ContentHeaderRubric] [data-testid=BylineName]"
    published_css = "[data-testid=ContentHeaderPublishDate]"
    dateline_css = "[data-testid=ContentHeaderPublishDate]"
    body_css = ".article__body .body__inner-container"
    # Lists are part of the text ("Specs:", buying factors), so are the `role=heading` labels.
    body_blocks_css = "p, h2, h3, h4, h5, h6, blockquote, li, [role=heading]"
    body_exclude = (
        ".product-embed", ".asset-embed", "figure", ".ad", ".consumer-marketing-unit",
        ".journey-unit", ".inline-recirc-wrapper", "aside",
        # the affiliate-link disclosure and the subscription offer shown in every guide
        ".blockquote-embed", "p:has(a[href*='/v2/offers/'])",
        # the table of contents: anchors to the guide's own sections, and its label
        "ol:has(a[href^='#'])", "[role=heading]:has(+ ol a[href^='#'])",
    )
    image_css = (".lead-asset figure, .article__body .asset-embed,"
                 " .article__body .product-embed")
    image_caption_css = ".caption__text, .product-embed__content [class*=ProductEmbedHed]"
    image_credit_css = ".caption__credit, [class*=ProductEmbedImageCreditWrapper]"

    def tags(self) -> list[str]:
        # The page shows no tags; the editors' keywords are in the meta tags (the JSON-LD
        # keywords add internal flags such as "_commerce" and "paywall exclude").
        keywords = self.page.meta_first("keywords", "news_keywords") or ""
        return unique([k for k in (normalize_space(k) for k in keywords.split(",")) if k])

    def figure_image(self, figure: Selector) -> Image | None:
        image = super().figure_image(figure)
        if image and image.credit:  # shown as "Photograph: Scott Gilbertson"
            image.credit = _CREDIT_LABEL.sub("", image.credit) or None
        return image


PROFILE = SiteProfile(
    name="wired",
    description="WIRED (US edition)",
    hosts=("wired.com",),
    # /story/<slug>/ (and /gallery/, /review/ for guides and reviews); sections are
    # /category/<name>/, tags /tag/<name>/, authors /author/<name>/
    article_url=r"^https?://[^/]+/(?:story|gallery|review)/[\w-]+/?(?:[?#]|$)",
    layouts=(Wired2023,),
    timezone="America/New_York",
    language="en",
    section_pages=("https://www.wired.com/category/science/",
                   "https://www.wired.com/category/business/",
                   "https://www.wired.com/category/gear/",
                   "https://www.wired.com/category/security/",
                   "https://www.wired.com/category/politics/"),
    sitemaps=("https://www.wired.com/sitemap.xml",
              "https://www.wired.com/feed/google-latest-news/sitemap-google-news"),
    feeds=("https://www.wired.com/feed/rss", "https://www.wired.com/feed/category/gear/latest/rss"),
)
