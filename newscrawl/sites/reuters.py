"""Reuters (reuters.com).

An Arc/Fusion React site with hashed class names (`article-body__content__17Yit`), so
selectors use `data-testid` and class-name prefixes. There is no standfirst: the first
paragraph, which opens with the dateline ("KATHMANDU, April 25 (Reuters) - "), is the lead.
Links that open a new tab carry a visually hidden ", opens new tab" for screen readers.
The 2023 design marks paragraphs as `p[data-testid^=paragraph-]` under an `article-header`;
the 2024 design uses `div[data-testid^=paragraph-]` under a `DefaultArticleHeader` with a
photo gallery in place of the single lead picture. Reuters shows no topic tags: the
article's channels (primary section and `DCSext.ChannelList`) are its tags.
"""

from newscrawl.extraction.blocks import texts_of
from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique

_BODY_EXCLUDE = ("span[style*='clip:rect(0 0 0 0)']", "[class*=sign-off]",
                 "p:has(a[href*=trust-principles])", "[class*=toolbar]",
                 "[data-testid^=ResponsiveAdSlot]", "[data-testid=Dianomi]")
# "... in Beirut, Lebanon. REUTERS/Name", "... @handle/via REUTERS THIS IMAGE HAS BEEN SUPPLIED
# BY A THIRD PARTY. ...": the credit, then an optional upper-case usage notice (dropped).
_CREDIT = r"\s(?P<credit>\S*(?:via )?REUTERS(?:/[\w .'-]+?)?)(?:\s+[A-Z][A-Z .,]+)?$"


class Reuters2024(SelectorArticle):
    """`DefaultArticleHeader`, `div` paragraphs, a lead gallery."""

    version = "2024"
    detect = ("[data-testid=DefaultArticleHeader],"
              " [data-testid=ArticleBody] div[data-testid^=paragraph-]")
    headline_sources = ("header h1[data-testid=Heading]",)
    lead_css = "[data-testid=paragraph-0]"
    authors_css = "header [rel=author]"
    dateline_css = "header time[class*=dateline]"
    # The dateline row is a run of spans (date, time, then "Updated ..."), set apart by CSS.
    dateline_spans = slice(0, -1)
    body_css = "[class*=article-body__content]"
    body_blocks_css = "[data-testid^=paragraph-], h2, h3"
    body_exclude = _BODY_EXCLUDE
    image_css = "[data-testid=PrimaryGalleryWrapper] [class*=primary-gallery__slide]"
    image_prefer_srcset = True

    def dateline_raw(self) -> str | None:
        spans = texts_of(self.page.css(f"{self.dateline_css} > span"))[self.dateline_spans]
        return " ".join(spans) or None

    def tags(self) -> list[str]:
        channels = (self.page.meta_first("dcsext.channellist") or "").split(";")
        values = [self.page.meta_first("article:section"), *channels]
        return unique([v for v in (normalize_space(v) for v in values) if v])


class Reuters2021(Reuters2024):
    """`article-header`, `p` paragraphs, one lead picture with its caption."""

    version = "2021"
    detect = "p[data-testid=paragraph-0]"
    # The dateline row reads "2 minute read | date | time | Last Updated ...".
    dateline_spans = slice(1, -1)
    image_css = "[data-testid=primary-image] figure"
    image_caption_css = "figcaption"
    image_caption_credit_re = _CREDIT
    image_prefer_srcset = False


PROFILE = SiteProfile(
    name="reuters",
    description="Reuters",
    hosts=("reuters.com",),
    # /world/middle-east/slug-2024-03-07/
    article_url=r"^https?://(?:www\.)?reuters\.com/(?:[a-z-]+/)+[\w-]+-\d{4}-\d{2}-\d{2}/?(?:[?#]|$)",
    layouts=(Reuters2024, Reuters2021),
    timezone="UTC",
    language="en",
    section_pages=("https://www.reuters.com/world/", "https://www.reuters.com/business/",
                   "https://www.reuters.com/markets/", "https://www.reuters.com/technology/"),
    sitemaps=("https://www.reuters.com/arc/outboundfeeds/news-sitemap-index/?outputType=xml",
              "https://www.reuters.com/arc/outboundfeeds/sitemap-index/?outputType=xml"),
    # Reuters closed its public RSS feeds in 2020; the news sitemap is the fresh-article source.
    feeds=(),
)
