"""The Intercept (theintercept.com), a WordPress site.

Two designs (versions are approximate first years): the WordPress theme of 2024 (`post__*`,
`entry-content`) and the earlier server-rendered React front end (`Post-*`, `data-reactid`).
Both put the featured image's caption and credit apart from the image, and list subjects only
in the JSON-LD keywords ("Subject: World"), beside analytics values ("Day: Friday", "WC:
1000-1999").
"""

import re

from parsel import Selector

from newscrawl.extraction import jsonld
from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique
from newscrawl.model.items import Image, RelatedLink

_CREDIT_PREFIX = re.compile(r"^(?:Photos?|Illustration|Image|Video)\s*:\s*", re.IGNORECASE)
_SUBJECT = "Subject:"


class _InterceptArticle(SelectorArticle):
    def section(self) -> str | None:
        # The JSON-LD articleSection is the post type ("Articles"), never a section.
        return super().section() if self.section_css else None

    def tags(self) -> list[str]:
        keywords = [k for k in jsonld.as_list(self.ld.get("keywords")) if isinstance(k, str)]
        return unique([normalize_space(k[len(_SUBJECT):]) for k in keywords
                       if k.startswith(_SUBJECT) and k[len(_SUBJECT):].strip()])

    def related(self) -> list[RelatedLink]:
        # A story promoted inside the text is often listed again under it.
        links: dict[str, RelatedLink] = {}
        for link in super().related():
            links.setdefault(link.url, link)
        return list(links.values())

    def figure_image(self, figure: Selector) -> Image | None:
        image = super().figure_image(figure)
        if image and image.credit:  # shown as "Photo: Thom Bridge/Independent Record via AP"
            image.credit = _CREDIT_PREFIX.sub("", image.credit) or None
        return image


class Intercept2024(_InterceptArticle):
    """WordPress theme: `header.post__header` and `.entry-content__content`."""

    version = "2024"
    detect = "article .entry-content .entry-content__content"
    headline_sources = ("header.post__header h1.post__title",)
    lead_css = "header.post__header .post__excerpt"
    # WordPress marks the post's categories in the site menu; the first is its section.
    section_css = "header.site-header li.current-post-parent.menu-item-object-category > a"
    authors_css = "header.post__header .article-byline__authors a[rel=author]"
    published_css = "header.post__header .article-byline time[datetime]"
    dateline_css = "header.post__header .article-byline time"
    body_css = ".entry-content .entry-content__content"
    body_exclude = (".newsletter-embed", ".most-read", ".promote-related-post", ".promote-banner",
                    "blockquote.stylized[data-shortcode-type=pullquote]", "figure",
                    ".inline-donation-promo")
    # The article element holds the featured image first, its caption sits in the header.
    image_css = "main > article, .entry-content__content figure"
    image_caption_css = ".post__header .image__caption > span:first-child, figcaption"
    image_credit_css = ".post__header .image__caption > span:nth-child(2)"
    related_css = (".entry-content__content .promote-related-post,"
                   " section.related-posts article.content-card--small-related")
    related_headline_css = ".promote-related-post__title, .content-card__title"


class Intercept2016(_InterceptArticle):
    """React front end: `.Post-header` and `.PostContent`; times shown in UTC, none in markup."""

    version = "2016"
    detect = ".Post .Post-body .PostContent"
    headline_sources = (".Post-title-block h1.Post-title",)
    lead_css = ".Post-title-block .Post-excerpt"
    authors_css = ".PostByline-names a[rel=author] [itemprop=name]"
    dateline_css = ".PostByline .PostByline-date"
    body_css = ".Post-body .PostContent"
    body_exclude = (".NewsletterEmbed-container", ".PromoteRelatedPost-promo",
                    "blockquote.Pullquote", "figure", ".InlineDonationPromo-container")
    image_css = ".Post-body"
    image_img_css = "img.print-only"
    image_caption_css = (".FeaturedImageCaptionText--desktop .FeaturedImageCaption-caption")
    image_credit_css = ".FeaturedImageCaptionText--desktop .FeaturedImageCaption-credit"


PROFILE = SiteProfile(
    name="theintercept",
    description="The Intercept",
    hosts=("theintercept.com",),
    # /2024/02/28/<slug>/; sections (/world/), /staff/ and /collections/ pages have no date
    article_url=r"^https?://[^/]+/\d{4}/\d{2}/\d{2}/[\w-]+/?(?:[?#]|$)",
    layouts=(Intercept2024, Intercept2016),
    timezone="America/New_York",
    language="en",
    section_pages=("https://theintercept.com/politics/", "https://theintercept.com/world/",
                   "https://theintercept.com/national-security/",
                   "https://theintercept.com/technology/", "https://theintercept.com/justice/"),
    sitemaps=("https://theintercept.com/sitemap_index.xml",),
    feeds=("https://theintercept.com/feed/?lang=en",),
)
