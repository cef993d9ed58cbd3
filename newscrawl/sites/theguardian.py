"""The Guardian (theguardian.com), "dotcom-rendering" design.

Class names are generated (`dcr-4cudl2`), so selectors rely on the `data-gu-name` regions
(headline, standfirst, meta, media, body), on `data-spacefinder-type` of inline elements and
on `#maincontent`. Captions end with their credit ("... Photograph: Name/Agency"). Inline
newsletter sign-ups and the sign-in gate sit between paragraphs.
"""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique

_CREDIT = (r"\s*(?:Photograph|Photo|Photos|Photographs|Illustration|Composite|Video|Image)"
           r"\s*:\s*(?P<credit>.+)$")


class Guardian2023(SelectorArticle):
    version = "2023"
    detect = "[data-gu-name=body] #maincontent"
    headline_sources = ("[data-gu-name=headline] h1",)
    lead_css = "[data-gu-name=standfirst]"
    # A wire story's byline is free text ("Associated Press in Valencia"); the contributor
    # tags of the metadata name the authors, so authors are left to the shared readers.
    dateline_css = "[data-gu-name=meta] address + div"
    body_css = "#maincontent .article-body-commercial-selector"
    body_blocks_css = "p, h2, h3, h4, li, blockquote"
    body_exclude = ("figure", "#sign-in-gate", "gu-island", "aside", "[data-print-layout=hide]")
    image_css = ("[data-gu-name=media] figure,"
                 " #maincontent figure[data-spacefinder-type$=ImageBlockElement],"
                 " #maincontent figure[data-spacefinder-type$=YoutubeBlockElement]")
    image_caption_css = "figcaption"
    image_caption_credit_re = _CREDIT
    image_picture_sources = ("srcset",)
    related_css = "#maincontent figure[data-spacefinder-type$=RichLinkBlockElement]"

    def tags(self) -> list[str]:
        # The keyword tags, comma-joined in one meta value; the "Explore more on these topics"
        # list mixes them with tone tags ("news").
        keywords = (self.page.meta_first("article:tag", "keywords") or "").split(",")
        return unique([k for k in (normalize_space(k) for k in keywords) if k])


PROFILE = SiteProfile(
    name="theguardian",
    description="The Guardian",
    hosts=("theguardian.com",),
    # /world/2024/feb/24/slug
    article_url=(r"^https?://(?:www\.)?theguardian\.com/(?:[a-z-]+/)+\d{4}/[a-z]{3}/\d{2}/"
                 r"[\w-]+/?(?:[?#]|$)"),
    layouts=(Guardian2023,),
    timezone="Europe/London",
    language="en",
    section_pages=("https://www.theguardian.com/world", "https://www.theguardian.com/uk-news",
                   "https://www.theguardian.com/business", "https://www.theguardian.com/politics"),
    sitemaps=("https://www.theguardian.com/sitemaps/news.xml",),
    feeds=("https://www.theguardian.com/world/rss", "https://www.theguardian.com/uk/rss"),
)
