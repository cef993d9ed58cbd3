"""The Telegraph (telegraph.co.uk).

Both designs share the AEM component markup (`articleBodyText section` blocks inside
`[itemprop=articleBody]`, `article-body-image` figures, `data-test` hooks). The 2024 reskin
moves byline and date into a left-hand `<aside>` and repeats them, for small screens, inside
the article body (`.tpl-layout__mobile`), which must be kept out of the text; the earlier
design shows them in a `.tpl-article__byline-date` row under the standfirst. Tags are the
visible "Related Topics" links: the `keywords` meta also carries internal flags such as
"Standard" or "Special exclusion".
"""

from parsel import Selector

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import unique
from newscrawl.model.items import Image


class Telegraph2024(SelectorArticle):
    """The reskin: byline and date in the left-hand aside, repeated inside the body."""

    version = "2024"
    detect = ("article aside [data-test=byline],"
              " article [itemprop=articleBody] .tpl-layout__mobile-byline")
    headline_sources = ("article h1[data-test=headline]",)
    lead_css = "article [data-test=standfirst]"
    authors_css = "article aside [data-test=byline] [data-test=author-name]"
    tags_css = "[data-test=related-topics] [data-test=related-topics-link]"
    published_css = "article aside [data-test=time]"
    dateline_css = "article aside [data-test=time]"
    body_css = "article [itemprop=articleBody]"
    body_blocks_css = "p, h2, h3, li, blockquote"
    body_exclude = (".tpl-layout__mobile", "[data-test=html-embed]",
                    "[data-test=article-body-image]", ".advert", "[data-test=more-stories]")
    image_css = "article figure[data-test=article-body-image]"
    image_caption_css = "[data-test=caption]"
    image_credit_css = "[data-test=credit]"
    image_picture_sources = ("srcset",)

    def tags(self) -> list[str]:
        # Each topic link but the last ends with its own separating comma.
        return unique([tag.rstrip(", ") for tag in super().tags()])

    def figure_image(self, figure: Selector) -> Image | None:
        image = super().figure_image(figure)
        # The credit span opens with a visually separate "Credit" label on some images.
        if image and image.credit:
            image.credit = image.credit.removeprefix("Credit:").strip() or None
        return image


class Telegraph2019(Telegraph2024):
    """Byline and date in a row under the standfirst."""

    version = "2019"
    detect = "article .tpl-article__byline-date"
    authors_css = "article .tpl-article__byline-date [data-test=author-name]"
    published_css = "article .tpl-article__byline-date [data-test=time]"
    dateline_css = published_css


PROFILE = SiteProfile(
    name="thetelegraph",
    description="The Telegraph (UK)",
    hosts=("telegraph.co.uk",),
    # /politics/2024/09/16/slug/ (news) and /recommended/home/slug/ (reviews)
    article_url=(r"^https?://[^/]+/(?:(?:[a-z-]+/)+\d{4}/\d{2}/\d{2}/[\w-]+"
                 r"|recommended/[a-z-]+/[\w-]+)/?(?:[?#]|$)"),
    layouts=(Telegraph2024, Telegraph2019),
    timezone="Europe/London",
    language="en",
    section_pages=("https://www.telegraph.co.uk/news/", "https://www.telegraph.co.uk/politics/",
                   "https://www.telegraph.co.uk/world-news/",
                   "https://www.telegraph.co.uk/business/"),
    sitemaps=("https://www.telegraph.co.uk/sitemap.xml",
              "https://www.telegraph.co.uk/custom/daily-news/sitemap.xml"),
    feeds=("https://www.telegraph.co.uk/rss.xml", "https://www.telegraph.co.uk/news/rss.xml"),
)
