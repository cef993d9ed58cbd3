"""Metro (metro.co.uk), a WordPress site.

Two designs: the `single-article` template (to mid-2024) and the `article__*` template that
replaced it in late 2024. Neither shows a standfirst: the first paragraph is the intro and is
taken as the lead. Captions end with their credit in brackets, "(Picture: Getty)". Each
article ends with fully bold contact/follow prompts and "MORE:" links to other stories.
"""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile

# "Got a story? Get in touch...", "For more stories like this...", "Follow Metro.co.uk on...":
# paragraphs that open in bold and link to the newsroom's address, news page or social accounts.
_PROMPTS = ("p:has(> strong:first-child):has(a[href^='mailto:'], a[href*='submit-stuff'],"
            " a[href$='metro.co.uk/news/'], a[href*='MetroUK'])")
# The factboxes are sidebars (a list of other measures, a full transcript), not the story.
_BOILERPLATE = (_PROMPTS, ".mor-link", ".metro-more-link", ".metro-factbox",
                ".metro-video-player", ".video-player", "[class*=ad-slot]", ".trending-post-strip",
                "aside",
                ".metro-email-signup", ".newsletter-end-card", ".related-topics", ".related-posts",
                "figure", ".tags")
_CREDIT = r"\s*\((?:Pictures?|Images?|Photos?|Video)\s*:\s*(?P<credit>[^()]+)\)\s*$"


class Metro2024(SelectorArticle):
    """The `article__*` template (late 2024 on)."""

    version = "2024"
    detect = "article.article .article__content__inner"
    # The JSON-LD headline (og:title repeats the h1's words).
    headline_sources = ("jsonld", "og:title", "article.article h1.article__title")
    lead_css = ".article__content__inner > p:first-of-type"
    authors_css = "article.article .article__header a.author-name"
    tags_css = ".article__content .related-topics a[rel=tag]"
    dateline_css = ".article__header .article__published"
    dateline_exclude = "strong"
    body_css = ".article__content__inner"
    body_blocks_css = "p, h2, h3, h4, li, blockquote"
    body_exclude = _BOILERPLATE
    image_css = ".article__content__inner figure.wp-caption"
    image_caption_css = "figcaption"
    image_caption_credit_re = _CREDIT
    related_css = ".article__content__inner .mor-link"


class Metro2015(SelectorArticle):
    """The `single-article` template."""

    version = "2015"
    detect = "article.single-article .article-body"
    # The JSON-LD headline (og:title repeats the h1's words).
    headline_sources = ("jsonld", "og:title", "article.single-article h1.post-title")
    lead_css = ".article-body > p:first-of-type"
    authors_css = ".single-article-header .byline a[rel=author]"
    tags_css = ".tags.more-tags a[rel=tag]"
    dateline_css = ".single-article-header .post-published"
    dateline_exclude = "strong"
    body_css = ".article-body"
    body_blocks_css = Metro2024.body_blocks_css
    body_exclude = _BOILERPLATE
    image_css = ".article-body figure.wp-caption"
    image_caption_css = "figcaption"
    image_caption_credit_re = _CREDIT
    image_src_attributes = ("data-src", "src")
    related_css = ".article-body .mor-link"


PROFILE = SiteProfile(
    name="metro",
    description="Metro (UK)",
    hosts=("metro.co.uk",),
    # /2024/11/18/slug-22018356/
    article_url=r"^https?://[^/]+/\d{4}/\d{2}/\d{2}/[\w-]+-\d{5,}/?(?:[?#]|$)",
    layouts=(Metro2024, Metro2015),
    timezone="Europe/London",
    language="en",
    section_pages=("https://metro.co.uk/news/", "https://metro.co.uk/news/uk/",
                   "https://metro.co.uk/news/world/", "https://metro.co.uk/news/tech/"),
    sitemaps=("https://metro.co.uk/sitemap.xml", "https://metro.co.uk/news-sitemap.xml"),
    feeds=("https://metro.co.uk/feed/", "https://metro.co.uk/news/feed/"),
)
