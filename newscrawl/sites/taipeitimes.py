"""Taipei Times (taipeitimes.com), English daily of Taipei.

Plain server-rendered pages: `div.archives` holds headline, deck, byline and text. The byline
names the writer or agency and, for wire copy, the place: "AFP, MANILA". The page shows the
print edition date and page ("Wed, Oct 16, 2024 page1"); times are Taiwan time.
"""

import re

from parsel import Selector

from newscrawl.extraction.authors import clean_author_names
from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space
from newscrawl.model.items import Dateline, Image

# "AFP, MANILA" / "Reuters, WASHINGTON": an agency and the capitals of its dateline place
_BYLINE_PLACE = re.compile(r"^(.*?),\s*([A-Z][A-Z .'-]+)$")
_CREDIT_LABEL = re.compile(r"^(?:Photos?|Graphic|Illustration)\s*:\s*", re.IGNORECASE)


class TaipeiTimes2015(SelectorArticle):
    """`div.archives` article with `.imgboxa` pictures between the paragraphs."""

    version = "2015"
    detect = "div.archives > h1 + h2, div.archives > ul.as"
    headline_sources = ("div.archives > h1",)
    lead_css = "div.archives > h2"
    authors_css = "div.archives ul.as .name"
    dateline_css = "div.page > h6"
    body_css = "div.archives"
    body_blocks_css = "p, h3, h4, blockquote, li"
    body_exclude = ("div.archives > h1", "div.archives > h2", "ul.as", ".imgboxa", ".ad")
    image_css = "div.archives .imgboxa"
    image_caption_css = "h1"
    image_credit_css = "p"

    def byline(self) -> tuple[str, str | None]:
        text = normalize_space(self.page.css(self.authors_css).xpath("string()").get())
        match = _BYLINE_PLACE.match(text)
        return (match.group(1), match.group(2).strip()) if match else (text, None)

    def authors(self) -> list[str]:
        return clean_author_names([self.byline()[0]], self.publisher_names())

    def dateline(self) -> Dateline | None:
        raw, place = self.dateline_raw(), self.byline()[1]
        return Dateline(raw=raw, place=place) if raw or place else None

    def figure_image(self, figure: Selector) -> Image | None:
        image = super().figure_image(figure)
        if image and image.credit:  # "Photo: AFP"
            image.credit = _CREDIT_LABEL.sub("", image.credit) or None
        return image


PROFILE = SiteProfile(
    name="taipeitimes",
    description="Taipei Times",
    hosts=("taipeitimes.com",),
    # /News/front/archives/2024/10/16/2003825372 ; sections are /News/<name>
    article_url=r"^https?://[^/]+/News/\w+/archives/\d{4}/\d{2}/\d{2}/\d{6,}/?(?:[?#]|$)",
    layouts=(TaipeiTimes2015,),
    timezone="Asia/Taipei",
    language="en",
    section_pages=("https://www.taipeitimes.com/News/front", "https://www.taipeitimes.com/News/taiwan",
                   "https://www.taipeitimes.com/News/biz", "https://www.taipeitimes.com/News/world",
                   "https://www.taipeitimes.com/News/editorials"),
    sitemaps=("https://www.taipeitimes.com/sitemap/sitemap.xml",
              "https://www.taipeitimes.com/sitemapIndex.xml"),
    feeds=("https://www.taipeitimes.com/xml/index.rss",),
)
