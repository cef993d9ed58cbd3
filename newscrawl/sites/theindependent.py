"""The Independent (independent.co.uk).

A styled-components site (`sc-1qz44j0-5` class names), so selectors rely on ids
(`#articleHeader`, `#main`, `#article-published-date`), element structure and author URLs.
Interactive widgets (newsletter sign-up, bookmark and share buttons) are `hydrate-root`
islands; captions end with the credit in brackets, "(Getty Images)".
"""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile


class Independent2023(SelectorArticle):
    version = "2023"
    detect = "#articleHeader h1, article #main"
    # The JSON-LD headline (og:title is a shorter social headline).
    headline_sources = ("jsonld", "og:title", "#articleHeader h1")
    lead_css = "#articleHeader h1 ~ p"
    section_css = "#articleHeader nav a:last-child"
    authors_css = "#articleHeader a[href^='/author/']"
    dateline_css = "#article-published-date"
    body_css = "article #main"
    body_blocks_css = "p, h2, h3, h4, li, blockquote"
    body_exclude = (".hydrate-root", "figure", "[class*=teads]", "[class*=newsletter]",
                    "[id*=piano]", "aside")
    image_css = "#articleHeader figure, article #main figure"
    image_caption_css = "figcaption"
    image_caption_credit_re = r"\s*\((?P<credit>[^()]+)\)\s*$"


PROFILE = SiteProfile(
    name="theindependent",
    description="The Independent (UK)",
    hosts=("independent.co.uk",),
    # /news/world/slug-b2651790.html
    article_url=r"^https?://(?:www\.)?independent\.co\.uk/(?:[a-z0-9-]+/)+[\w-]+-b\d{6,}\.html(?:[?#]|$)",
    layouts=(Independent2023,),
    timezone="Europe/London",
    language="en",
    section_pages=("https://www.independent.co.uk/news/uk", "https://www.independent.co.uk/news/world",
                   "https://www.independent.co.uk/news/business",
                   "https://www.independent.co.uk/news/uk/politics"),
    sitemaps=("https://www.independent.co.uk/sitemaps/googlenews",
              "https://www.independent.co.uk/sitemap.xml"),
    feeds=("https://www.independent.co.uk/news/world/rss",
           "https://www.independent.co.uk/news/uk/rss"),
)
