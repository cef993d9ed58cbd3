"""The Washington Post (washingtonpost.com).

Generated class names (`wpds-c-cYdRxM`), so selectors use `data-qa` hooks (headline,
subheadline, author-name, lede-art, article-body, article-header) and the `display-date` /
`timestamp` test ids. The text is a run of `[data-qa=article-body]` blocks, among which sit ads,
image placeholders, share bars and embedded tweets. Captions end with the credit in
brackets, "(NOAA/SPC)".
"""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile


class WashingtonPost2022(SelectorArticle):
    version = "2022"
    detect = "h1[data-qa=headline], [data-qa=article-body] p[data-el=text]"
    headline_sources = ("h1[data-qa=headline]",)
    lead_css = "h2[data-qa=subheadline]"
    authors_css = "[data-qa=author-byline] a[data-qa=author-name]"
    dateline_css = "[data-testid=timestamp] [data-testid=display-date]"
    body_css = "[data-qa=article-body]"
    body_blocks_css = "p, h2, h3, h4, li"
    body_exclude = ("blockquote", ".twitter", "[data-qa=article-body-ad]",
                    "[data-qa=article-image]", "[data-qa*=newsletter]", "[class*=hide-for-print]",
                    "figure")
    image_css = "[data-qa=lede-art] figure, [data-qa=article-body] figure"
    image_caption_css = "figcaption"
    image_caption_credit_re = r"\s*\((?P<credit>[^()]+)\)\s*$"


PROFILE = SiteProfile(
    name="washingtonpost",
    description="The Washington Post",
    hosts=("washingtonpost.com",),
    # /weather/2024/04/26/slug/ and /politics/2024/04/26/slug/
    article_url=(r"^https?://(?:www\.)?washingtonpost\.com/(?:[a-z-]+/)+\d{4}/\d{2}/\d{2}/"
                 r"[\w-]+/?(?:[?#]|$)"),
    layouts=(WashingtonPost2022,),
    timezone="America/New_York",
    language="en",
    section_pages=("https://www.washingtonpost.com/politics/",
                   "https://www.washingtonpost.com/world/",
                   "https://www.washingtonpost.com/business/",
                   "https://www.washingtonpost.com/weather/"),
    sitemaps=("https://www.washingtonpost.com/sitemaps/news-sitemap.xml.gz",
              "https://www.washingtonpost.com/sitemaps/sitemap.xml.gz"),
    feeds=("https://feeds.washingtonpost.com/rss/world",
           "https://feeds.washingtonpost.com/rss/national"),
)
