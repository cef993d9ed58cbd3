"""Fox News (foxnews.com).

`article.article-wrap`: a header with eyebrow (section), date, h1, `h2.sub-headline` (the
standfirst) and byline; `.article-body` holds the paragraphs, ad containers, `image-ct`
figures whose caption ends with the credit in brackets, and "read more" lines: a paragraph
that is one bold all-caps link to another story (or to the app). Topics are published in the
`classification-tags` meta (slugs such as "houseofreps"); no topic list is shown.
"""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique

_LINK_LINE = ".article-body p:has(> a:only-child > strong:only-child)"


class Fox2020(SelectorArticle):
    version = "2020"
    detect = "article.article-wrap .article-body"
    headline_sources = ("article header.article-header h1.headline",)
    lead_css = "article header.article-header h2.sub-headline"
    section_css = "article header.article-header .eyebrow a"
    authors_css = "article header.article-header .author-byline a[href^='/person/']"
    dateline_css = "article header.article-header .article-date time"
    body_css = "article .article-body"
    body_blocks_css = "p, h2, h3, h4, li, blockquote"
    body_exclude = (_LINK_LINE, ".featured", ".ad-container", ".image-ct", ".article-meta",
                    "[class*=video-ct]")
    image_css = "article .article-body .image-ct"
    image_caption_css = ".caption"
    image_caption_credit_re = r"\s*\((?P<credit>[^()]+)\)\s*$"
    image_picture_sources = ("srcset",)
    related_css = f"{_LINK_LINE}:not(:has(a[href*=apps-products]))"

    def tags(self) -> list[str]:
        values = (self.page.meta_first("classification-tags") or "").split(",")
        return unique([v for v in (normalize_space(v) for v in values) if v])


PROFILE = SiteProfile(
    name="foxnews",
    description="Fox News",
    hosts=("foxnews.com",),
    # /politics/slug (no id, no date); section fronts have a single path segment
    article_url=r"^https?://(?:www\.)?foxnews\.com/(?!category/|person/|video/)[a-z-]+/[\w-]+-[\w-]+(?:[?#]|$)",
    layouts=(Fox2020,),
    timezone="America/New_York",
    language="en",
    section_pages=("https://www.foxnews.com/politics", "https://www.foxnews.com/us",
                   "https://www.foxnews.com/world", "https://www.foxnews.com/media"),
    sitemaps=("https://www.foxnews.com/sitemap.xml?type=news",
              "https://www.foxnews.com/sitemap.xml"),
    feeds=("https://moxie.foxnews.com/google-publisher/latest.xml",
           "https://moxie.foxnews.com/google-publisher/politics.xml",
           "https://moxie.foxnews.com/google-publisher/world.xml"),
)
