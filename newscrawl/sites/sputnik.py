"""Sputnik International (sputnikglobe.com, formerly sputniknews.com).

Two designs: the `b-article` design used until about 2021 and the `article__*` design used
since. Times are shown in GMT; machine-readable times are unix timestamps or ISO values.
"""

from newscrawl.extraction.profile import SelectorArticle, SelectorListing, SiteProfile


class Sputnik2022(SelectorArticle):
    """The current design: `.article__body` holds typed `.article__block` elements."""

    version = "2022"
    detect = ".article__body .article__block"
    headline_sources = ("h1.article__title",)
    lead_css = ".article__announce-text"
    section_css = ".article__supertag-header-title"
    authors_css = ".article__author-name, .article__info-author [itemprop=name]"
    tags_css = ".article__tags li.tag a"
    published_css = ".article__info-date a[data-unixtime]"
    modified_css = ".article__info-date-modified[data-unixtime]"
    dateline_css = ".article__info-date > a"
    body_css = ".article__body"
    body_blocks_css = (".article__block[data-type=text] .article__text,"
                       " .article__block[data-type=h2] .article__h2,"
                       " .article__block[data-type=quote] .article__quote-text")
    body_exclude = (".article__block[data-type=article]", ".article__block[data-type=banner]",
                    ".share")
    image_css = ".article__announce .photoview__open, .article__block[data-type=media] .media"
    image_caption_css = ".photoview__desc-text"
    image_credit_css = ".media__copyright-item.m-copyright"
    related_css = ".article__block[data-type=article] .article__article"
    related_link_css = "a.article__article-title"
    related_headline_css = "a.article__article-title"
    related_section_css = ".article__article-info"


class Sputnik2014(SelectorArticle):
    """The earlier `b-article` design of sputniknews.com."""

    version = "2014"
    detect = ".b-article .b-article__text"
    headline_sources = (".b-article__header-title h1",)
    lead_css = ".b-article__lead"
    section_css = ".b-article__refs-rubric"
    authors_css = ".b-article__refs-author a[rel=author]"
    tags_css = ".b-article__tags a, .tags a"
    published_css = "meta[itemprop=datePublished], time.b-article__refs-date"
    modified_css = "meta[itemprop=dateModified]"
    dateline_css = "time.b-article__refs-date"
    body_css = ".b-article__text"
    body_blocks_css = "p, blockquote, h2, h3, h4, li"
    body_exclude = (".b-inject", ".b-article__inject", ".b-banner", "[class*=banner]",
                    ".social-likes-pane", "[id^=adfox]")
    image_css = ".b-article__header"
    image_img_css = "img"
    image_credit_css = ".b-article__header-copy"
    image_caption_from_title = True
    related_css = ".b-inject__article, .b-article__inject, .b-article__refs-list li"


class SputnikList2022(SelectorListing):
    version = "2022"
    detect = ".list .list__item"
    section_css = "h1.section__title, .tag-header__title"
    entry_css = ".list .list__item"
    entry_link_css = "a.list__title"
    entry_headline_css = "a.list__title"
    entry_date_css = ".list__date[data-unixtime]"
    entry_section_css = ".list__tag-text"
    next_page_css = ".list__more[data-url]"
    next_page_attribute = "data-url"


PROFILE = SiteProfile(
    name="sputnik",
    description="Sputnik International, English edition",
    hosts=("sputnikglobe.com", "sputniknews.com"),
    # /20240517/slug-1118491612.html (current) and /columnists/201911181077343476-slug/ (old)
    article_url=r"^https?://[^/]+/(?:\d{8}/[\w-]+-\d{7,}\.html|[\w-]+/\d{18,}-[\w-]+/?)(?:[?#]|$)",
    layouts=(Sputnik2022, Sputnik2014),
    listing_layouts=(SputnikList2022,),
    timezone="UTC",
    language="en",
    section_pages=("https://sputnikglobe.com/world/", "https://sputnikglobe.com/russia/",
                   "https://sputnikglobe.com/military/", "https://sputnikglobe.com/economy/"),
    sitemaps=("https://sputnikglobe.com/sitemap_article_index.xml",),
    feeds=("https://sputnikglobe.com/export/rss2/archive/index.xml",),
)
