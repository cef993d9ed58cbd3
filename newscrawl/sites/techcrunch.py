"""TechCrunch (techcrunch.com), a WordPress site.

Two designs in 2024: the classic theme (`article.article-container`, `.article-content`,
a featured image without caption, `wp-caption` boxes) and the block theme that replaced it in
May 2024 (`.single-post-hero`, `.wp-block-post-content`, figures with a caption figcaption and
a second "Image Credits:" figcaption). Both mark the opening paragraph `#speakable-summary`,
shown as the first paragraph: it is the lead.
"""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile


class TechCrunch2024(SelectorArticle):
    """The block theme."""

    version = "2024"
    detect = "h1.wp-block-post-title"
    # og:title with straight quotes, " | TechCrunch" cut (the JSON-LD headline carries the
    # curly quotes as HTML entities).
    headline_sources = ("og:title", "jsonld", "h1.wp-block-post-title")
    headline_suffix_re = r"\s*\|\s*TechCrunch$"
    lead_css = ".wp-block-post-content #speakable-summary"
    authors_css = ".single-post-hero__byline .wp-block-tc23-author-card-name a"
    tags_css = "a[rel=tag][data-module='Post Terms']"
    published_css = ".single-post-hero__meta .wp-block-post-date time"
    dateline_css = published_css
    body_css = ".wp-block-post-content"
    body_blocks_css = "p, h2, h3, h4, li, blockquote"
    body_exclude = ("figure", ".ad-unit", "[class*=marfeel]", "[class*=newsletter]",
                    "[class*=inline-cta]")
    image_css = (".single-post-hero figure.wp-block-post-featured-image,"
                 " .wp-block-post-content figure.wp-block-image")
    image_caption_css = "figcaption:not(:has(> strong))"
    image_credit_css = "figcaption:has(> strong)"
    image_credit_exclude = "strong"


class TechCrunch2019(SelectorArticle):
    """The classic theme."""

    version = "2019"
    detect = "article.article-container .article-content"
    headline_sources = ("article h1.article__title",)
    lead_css = ".article-content #speakable-summary"
    authors_css = "article .article__byline > a"
    # Shown as a relative age ("7 hours"); the dates come from JSON-LD.
    dateline_css = "article .article__byline__meta"
    body_css = "article .article-content"
    body_blocks_css = TechCrunch2024.body_blocks_css
    body_exclude = (".wp-caption", ".piano-inline-promo", "[class*=ad-unit]", ".embed",
                    "[class*=newsletter]")
    image_css = "article .article__featured-image-wrapper, article .article-content .wp-caption"
    image_caption_css = ".wp-caption-text:not(:has(> strong))"
    image_credit_css = ".wp-caption-text:has(> strong)"
    image_credit_exclude = "strong"


PROFILE = SiteProfile(
    name="techcrunch",
    description="TechCrunch",
    hosts=("techcrunch.com",),
    # /2024/05/16/slug/
    article_url=r"^https?://(?:www\.)?techcrunch\.com/\d{4}/\d{2}/\d{2}/[\w-]+/?(?:[?#]|$)",
    layouts=(TechCrunch2024, TechCrunch2019),
    timezone="America/Los_Angeles",
    language="en",
    section_pages=("https://techcrunch.com/latest/", "https://techcrunch.com/category/startups/",
                   "https://techcrunch.com/category/artificial-intelligence/",
                   "https://techcrunch.com/category/venture/"),
    sitemaps=("https://techcrunch.com/news-sitemap.xml", "https://techcrunch.com/sitemap_index.xml"),
    feeds=("https://techcrunch.com/feed/",),
)
