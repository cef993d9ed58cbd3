"""Le Monde (lemonde.fr).

The corpus page is the `article__*` design (BEM classes, not hashed) used since about 2019.
Subscriber articles are cut after a few paragraphs by a paywall notice, so a saved page holds
the free part only. Machine times carry an offset; the newsroom is in Paris.
"""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile


class LeMonde2019(SelectorArticle):
    """`header.article__header` (breadcrumb, h1, standfirst, byline, dates) then
    `article.article__content` with figures, paragraphs, subheadings and "Lire aussi" boxes."""

    version = "2019"
    detect = "article.article__content p.article__paragraph"
    headline_sources = ("h1.article__title",)
    lead_css = "header.article__header p.article__desc"
    section_css = "header.article__header .breadcrumb__parent a"
    # The byline as shown ("Par Bertrand Bissuel", "Par A et B"); linked or not.
    authors_css = "header.article__header .meta__author"
    # Dates: JSON-LD datePublished/dateModified (with offset); the header shows both in one
    # sentence, kept as the dateline.
    dateline_css = "header.article__header .meta__date"
    body_css = "article.article__content"
    body_blocks_css = ("p.article__paragraph, h2.article__sub-title, h3.article__sub-title,"
                       " blockquote, li.article__paragraph, ul.article__list > li")
    body_exclude = ("section.catcher", ".dfp-slot", "figure", ".article__status")
    image_css = "article.article__content figure.article__media"
    image_caption_css = "figcaption.article__legend"
    image_credit_css = "figcaption .article__credit"
    related_css = "article.article__content section.catcher"
    related_link_css = "a.js-article-read-also, .catcher__desc a"
    related_headline_css = ".catcher__desc a"


PROFILE = SiteProfile(
    name="lemonde",
    description="Le Monde (French)",
    hosts=("lemonde.fr",),
    # /<section>/article/YYYY/MM/DD/<slug>_<id>_<section id>.html (also /live/ and /video/
    # variants of the same pattern); section fronts are /<section>/.
    article_url=r"^https?://www\.lemonde\.fr/[\w-]+/(?:article|live)/\d{4}/\d{2}/\d{2}/"
                r"[\w-]+_\d+_\d+\.html(?:[?#]|$)",
    layouts=(LeMonde2019,),
    timezone="Europe/Paris",
    language="fr",
    section_pages=("https://www.lemonde.fr/politique/", "https://www.lemonde.fr/international/",
                   "https://www.lemonde.fr/economie/", "https://www.lemonde.fr/societe/"),
    sitemaps=("https://www.lemonde.fr/sitemap_news.xml", "https://www.lemonde.fr/sitemap_index.xml"),
    feeds=("https://www.lemonde.fr/rss/une.xml", "https://www.lemonde.fr/rss/en_continu.xml"),
)
