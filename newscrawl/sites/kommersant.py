"""Kommersant (kommersant.ru).

The corpus page is the `doc_*` design (BEM classes, not hashed) of the 2020s: every article is
`/doc/<id>`. Photos are lazy-loaded (`data-lazyimage-*` attributes; the real `src` only in a
fallback copy). Times carry an offset; the newsroom is in Moscow.
"""

from __future__ import annotations

from parsel import Selector

from newscrawl.extraction.blocks import largest_from_srcset, text_of
from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space
from newscrawl.model.items import Image

BODY = "article.doc .article_text_wrapper"


class Kommersant2020(SelectorArticle):
    """`article.doc`: rubric crumbs, publication time, `header.doc_header` (h1 title, h2
    subtitle), the text wrapper (intro, paragraphs, photo modals, author line), then
    `footer.doc_footer` (print issue, author and theme subscriptions)."""

    version = "2020"
    detect = f"article.doc header.doc_header h1, {BODY}"
    headline_sources = ("article.doc header.doc_header h1",)
    # The subtitle under the headline; shown, so it opens the body.
    lead_css = "article.doc header.doc_header h2.doc_header__subheader"
    section_css = "article.doc ul.crumbs a"
    authors_css = f"{BODY} p.document_authors"
    published_css = "article.doc time.doc_header__publish_time[datetime]"
    dateline_css = "article.doc time.doc_header__publish_time"
    # The themes the article is filed under (footer, "Подписывайтесь на темы"); the keywords
    # meta is a bag of words cut from the intro.
    tags_css = "article footer.doc_footer a[href*='/theme/']"
    body_css = BODY
    # Paragraphs are p.doc__text, quoted speech p.doc__thought: any <p> of the wrapper.
    body_exclude = (".ui-modal", ".doc_media", "p.document_authors", ".iconbox", "div[class*=adv_]")
    image_css = f"{BODY} figure.doc_media__figure"
    image_caption_css = "figcaption p.doc_media__text:not(.doc_media__src)"
    image_credit_css = "figcaption p.doc_media__src"

    def figure_image(self, figure: Selector) -> Image | None:
        # Until scripts run, <img> holds a placeholder; the real sizes are in data attributes.
        img = figure.css("img")
        srcset = figure.css("source[data-lazyimage-srcset]").attrib.get("data-lazyimage-srcset")
        url = self.page.absolute(largest_from_srcset(srcset)
                                 or (img.attrib.get("data-lazyimage-src") if img else None))
        if not url:
            return super().figure_image(figure)
        credit = text_of(figure.css(self.image_credit_css))
        return Image(url=url, caption=text_of(figure.css(self.image_caption_css)),
                     credit=credit.removeprefix("Фото:").strip() or None if credit else None,
                     alt=normalize_space(img.attrib.get("alt")) or None if img else None)


PROFILE = SiteProfile(
    name="kommersant",
    description="Kommersant (Russian)",
    hosts=("kommersant.ru",),
    # /doc/<id>; rubrics are /rubric/<n>, themes /theme/<n>, authors /authors/<n>.
    article_url=r"^https?://(?:www\.)?kommersant\.ru/doc/\d+(?:[/?#]|$)",
    layouts=(Kommersant2020,),
    timezone="Europe/Moscow",
    language="ru",
    section_pages=("https://www.kommersant.ru/rubric/5", "https://www.kommersant.ru/rubric/4"),
    sitemaps=("https://www.kommersant.ru/sitemaps/sitemap_news.xml",
              "https://www.kommersant.ru/sitemaps/all_docs_sitemap.xml"),
    feeds=("https://www.kommersant.ru/RSS/news.xml",),
)
