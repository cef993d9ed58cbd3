"""The Associated Press (apnews.com).

Two designs: the React "WireStory" design (to 2023; CSS-in-JS class names such as
`Component-heading-0-2-16`, so `data-key` attributes and the few plain class names are used)
and the Brightspot design since late 2023 (`Page-*`, `RichTextStoryBody`, a `bsp-carousel`
of lead photos). Captions end with the credit in brackets, "(AP Photo/Name)". Neither design
shows a standfirst: the lead is the description metadata, not shown.
"""

from newscrawl.extraction.blocks import text_of
from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique
from newscrawl.model.items import Image

_CREDIT = r"\s*\((?P<credit>[^()]*\b(?:AP|Photo|Pool)\b[^()]*)\)\s*$"


def _is_topic(keyword: str) -> bool:
    # AP's keyword list mixes topics with wire-routing labels ("PA State Wire", "General news",
    # "AP Top News", "Washington news") and stray one-letter values.
    lowered = keyword.casefold()
    return len(keyword) > 1 and not lowered.endswith(("state wire", " news"))


class Ap2023(SelectorArticle):
    """Brightspot `Page-*` design with a lead carousel."""

    version = "2023"
    detect = ".Page-content .RichTextStoryBody"
    # The JSON-LD headline (the h1 may differ: "an intense sprint" for "a sprint").
    headline_sources = ("jsonld", "og:title", "h1.Page-headline")
    authors_css = ".Page-byline .Page-authors .Link"
    body_css = ".Page-main .RichTextStoryBody"
    body_blocks_css = "p, h2, h3, h4, li, blockquote"
    body_exclude = (".Infobox", ".Enhancement:not(.LinkEnhancement)", ".Advertisement",
                    "bsp-list-loadmore", ".ad-placeholder", "[class*=Ad-]")
    image_css = ".Page-lead bsp-carousel .Carousel-slide:has(.imageSlide)"
    image_img_css = "img.Image"
    image_src_attributes = ("data-flickity-lazyload", "src", "data-src")
    image_picture_sources = ("data-flickity-lazyload-srcset", "srcset")
    image_caption_css = ".CarouselSlide-infoDescription"
    image_caption_credit_re = _CREDIT
    related_css = ".RichTextStoryBody .Enhancement .PagePromo"
    related_link_css = ".PagePromo-title a"
    related_headline_css = ".PagePromo-title"

    def body_blocks(self) -> list[str]:
        # "___" is AP's rule before the closing contributor line, not text.
        return [block for block in super().body_blocks() if block.strip("_ ")]

    def tags(self) -> list[str]:
        keywords = (self.page.meta_first("keywords") or "").split(",")
        return unique([k for k in (normalize_space(k) for k in keywords) if _is_topic(k)])


class Ap2019(SelectorArticle):
    """The React WireStory design."""

    version = "2019"
    detect = ".WireStory .Article[data-key=article]"
    # The JSON-LD headline (straight apostrophes where the h1 is typeset with curly ones).
    headline_sources = ("jsonld", "og:title", ".CardHeadline [data-key=card-headline] h1")
    authors_css = ".CardHeadline [class*=bylines]"
    tags_css = ".RelatedTopics a[data-key=related-tag]"
    dateline_css = ".CardHeadline [data-key=timestamp]"
    body_css = ".Article[data-key=article]"
    body_blocks_css = "p, h2, h3, h4, li, blockquote"
    body_exclude = ("[data-key=embed]", "[class*=Ad]", ".hub-peek-embed")
    image_caption_credit_re = _CREDIT

    def images(self) -> list[Image]:
        # The lead photo is drawn by script: only og:image and the caption are in the page.
        images = super().images()
        caption = text_of(self.page.css(".LeadFeature [data-key=embed-caption]"))
        if images and caption:
            images[0].caption, images[0].credit = self.split_caption_credit(caption, None)
        return images


PROFILE = SiteProfile(
    name="apnews",
    description="The Associated Press",
    hosts=("apnews.com",),
    # /article/<slug>-<32 hex digits> (older articles: the bare hex id)
    article_url=r"^https?://(?:www\.)?apnews\.com/article/(?:[\w-]+-)?[0-9a-f]{32}/?(?:[?#]|$)",
    layouts=(Ap2023, Ap2019),
    timezone="America/New_York",
    language="en",
    section_pages=("https://apnews.com/hub/ap-top-news", "https://apnews.com/politics",
                   "https://apnews.com/world-news", "https://apnews.com/us-news",
                   "https://apnews.com/business"),
    sitemaps=("https://apnews.com/news-sitemap-content.xml", "https://apnews.com/sitemap.xml"),
    feeds=("https://apnews.com/index.rss",),
)
