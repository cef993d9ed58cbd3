"""`pages`: extract a given list of article URLs (no discovery)."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any

import scrapy
from scrapy.http import Response

from newscrawl.api import ExtractionError, extract


class PagesSpider(scrapy.Spider):
    """Fetch the URLs given with `-a urls=URL[,URL...]` and extract each as an article."""

    name = "pages"

    def __init__(self, urls: str = "", generic: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [u.strip() for u in urls.split(",") if u.strip()]
        self.use_profiles = generic.lower() not in ("1", "true", "yes")

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        fetched_at = datetime.now(UTC)
        try:
            article = extract(response.body, response.url, fetched_at,
                              encoding=getattr(response, "encoding", None),
                              use_profiles=self.use_profiles)
        except ExtractionError as error:
            self.crawler.stats.inc_value("newscrawl/extraction_error")
            self.logger.warning("cannot extract %s: %s", response.url, error)
            return
        yield article
