"""BBC News (bbc.com / bbc.co.uk).

Both designs are React pages whose article is a sequence of `data-component` blocks
(text-block, subheadline-block, image-block...) inside `<article>`; the class names are
hashed, so only `data-component` and `data-testid` are relied on. In the 2024 design an
image-block sits inside a `<figure>` with a sibling caption-block and "read more" link lists
are text-blocks of one-link list items; since 2025 each block wraps its content in extra
layout divs, the figure sits inside the image-block, the byline carries a `<time>` and the
related stories are a links-block of cards. Dates come from JSON-LD (the byline `<time>` is
the last update, not the first publication).
"""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile

_BOLD_OPENING = ("article [data-component=text-block]:not([data-component=text-block]"
                 " ~ [data-component=text-block]) p:first-child > b:only-child")
# A list whose every item is a single link: "read more" links, not a bulleted list.
_READ_MORE_LIST = "[data-component=text-block] ul:not(:has(> li:not(:has(> a:only-child))))"


class Bbc2025(SelectorArticle):
    """Blocks wrap their content in layout divs; figure inside the image-block."""

    version = "2025"
    # Every block wraps its content in layout divs.
    detect = "article [data-component=text-block] > div p"
    headline_sources = ("article [data-component=headline-block] h1",)
    # The bold opening paragraph, where an explainer has one.
    lead_css = _BOLD_OPENING
    authors_css = "article [data-testid=byline] [data-testid^=byline-contributors-contributor] span"
    tags_css = "article [data-component=tag-list-block] a"
    dateline_css = "article [data-testid=byline] time"
    body_css = "article"
    body_blocks_css = ("[data-component=text-block] p, [data-component=text-block] li,"
                       " [data-component=subheadline-block] h2,"
                       " [data-component=subheadline-block] h3")
    body_exclude = (_READ_MORE_LIST, "[data-component=links-block]", "[data-component=ad-slot]")
    image_css = "article [data-component=image-block] figure"
    image_img_css = "img:not(.hide-when-no-script)"
    image_prefer_srcset = True
    image_caption_css = "figcaption"
    image_credit_css = "[data-testid$=image] > span"
    related_css = "article [data-component=links-block] [data-testid=chester-card]"
    related_headline_css = "[data-testid=card-headline]"


class Bbc2024(SelectorArticle):
    """Flat blocks; an image-block and its caption-block share a `<figure>`."""

    version = "2024"
    detect = "article [data-component=text-block] > p"
    headline_sources = ("article [data-component=headline-block] h1",)
    lead_css = _BOLD_OPENING
    # The byline block is filled in by script and empty in the served page: JSON-LD names
    # the author.
    tags_css = "article [data-component=tags] a"
    body_css = "article"
    body_blocks_css = Bbc2025.body_blocks_css
    body_exclude = (_READ_MORE_LIST, "[data-component=ad-slot]")
    image_css = "article figure:has(> [data-component=image-block])"
    image_img_css = "img:not(.hide-when-no-script)"
    image_prefer_srcset = True
    image_caption_css = "[data-component=caption-block] figcaption"
    image_credit_css = "[data-testid$=image] > span"
    related_css = f"article {_READ_MORE_LIST} > li"


PROFILE = SiteProfile(
    name="bbc",
    description="BBC News, English",
    hosts=("bbc.com", "bbc.co.uk"),
    # /news/articles/clymn8zyrp9o (2023+) and /news/<section>-12345678 (older numeric ids)
    article_url=r"^https?://[^/]+/news/(?:articles/[a-z0-9]{10,14}|(?:[a-z_]+-)*\d{7,9})/?(?:[?#]|$)",
    layouts=(Bbc2025, Bbc2024),
    timezone="Europe/London",
    language="en",
    section_pages=("https://www.bbc.com/news", "https://www.bbc.com/news/world",
                   "https://www.bbc.com/news/uk", "https://www.bbc.com/news/business",
                   "https://www.bbc.com/news/technology"),
    sitemaps=("https://www.bbc.com/sitemaps/https-index-com-news.xml",
              "https://www.bbc.co.uk/sitemaps/https-index-uk-news.xml"),
    feeds=("https://feeds.bbci.co.uk/news/rss.xml", "https://feeds.bbci.co.uk/news/world/rss.xml",
           "https://feeds.bbci.co.uk/news/uk/rss.xml"),
)
