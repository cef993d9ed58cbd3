"""Los Angeles Times (latimes.com), on the Brightspot CMS.

The corpus page uses the "story stack" design (a long read in numbered sections, each with a
subheading). Machine-readable times are UTC (`time.published-date[datetime]`); the page shows
Pacific time ("5 AM PT")."""

import re

from parsel import Selector

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.model.items import Image

_PARENTHESES = re.compile(r"^\((.*)\)$")


class LATimesStoryStack2023(SelectorArticle):
    """`ps-storystack-page`: a `.page-lead` header, then `.story-stack-item` sections."""

    version = "2023"
    detect = "ps-storystack-page [data-element=story-body] .story-stack-item"
    headline_sources = (".page-lead h1.headline",)
    section_css = ".page-lead .breadcrumbs a"
    authors_css = "article.story .byline .author-name a"
    tags_css = ".page-content-wrapper .tags a"
    published_css = "article.story .byline time.published-date[datetime]"
    dateline_css = "article.story .byline time.published-date"
    body_css = "[data-element=story-body]"
    body_blocks_css = "h3.story-stack-story-title, [data-element=story-stack-story-body] p"
    body_exclude = (".enhancement", ".story-stack-item-number", ".google-dfp-ad-wrapper")
    image_css = ".page-lead-media figure, [data-element=story-body] .enhancement figure"
    image_caption_css = ".figure-caption"
    image_credit_css = ".figure-credit"

    def figure_image(self, figure: Selector) -> Image | None:
        image = super().figure_image(figure)
        # Credits are shown in parentheses: "(Los Angeles Times)".
        if image and image.credit:
            image.credit = _PARENTHESES.sub(r"\1", image.credit).strip() or None
        return image


PROFILE = SiteProfile(
    name="latimes",
    description="Los Angeles Times",
    hosts=("latimes.com",),
    # /<section>/story/2023-06-26/<slug>; sections, /people/ and /topic/ pages have no /story/
    article_url=r"^https?://[^/]+/(?:[\w-]+/)+story/\d{4}-\d{2}-\d{2}/[\w-]+/?(?:[?#]|$)",
    layouts=(LATimesStoryStack2023,),
    timezone="America/Los_Angeles",
    language="en",
    section_pages=("https://www.latimes.com/california", "https://www.latimes.com/sports",
                   "https://www.latimes.com/world-nation", "https://www.latimes.com/politics",
                   "https://www.latimes.com/entertainment-arts", "https://www.latimes.com/business"),
    sitemaps=("https://www.latimes.com/news-sitemap.xml", "https://www.latimes.com/sitemap.xml"),
    feeds=("https://www.latimes.com/california/rss2.0.xml",
           "https://www.latimes.com/sports/rss2.0.xml",
           "https://www.latimes.com/world-nation/rss2.0.xml"),
)
