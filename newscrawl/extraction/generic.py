"""The generic extractor: for pages of sites that have no profile."""

from __future__ import annotations

from newscrawl.extraction.article import ArticleExtractor


class GenericArticle(ArticleExtractor):
    """Every field from the signals any news page may carry; no per-domain rules here."""

    name = "generic"
    version = "1"
