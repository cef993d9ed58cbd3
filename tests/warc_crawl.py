"""Child process for the capture tests: a real Scrapy crawl with WARC capture switched on.

Every request goes over loopback to the test's HTTP server (NEWSCRAWL_TEST_ORIGIN), while the
request and response keep the page's real URL, so site profiles apply as in production.
Usage: python tests/warc_crawl.py CONFIG.json
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import quote

import scrapy
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import CrawlerProcess
from scrapy.http import Request, Response
from scrapy.settings import Settings

from newscrawl.api import ExtractionError, extract


class LoopbackHandler(HTTP11DownloadHandler):
    """Fetches each URL from the test server, then gives the response its real URL back."""

    async def download_request(self, request: Request) -> Response:
        origin = os.environ["NEWSCRAWL_TEST_ORIGIN"]
        local = request.replace(url=f"{origin}/fetch?url={quote(request.url, safe='')}")
        response = await super().download_request(local)
        return response.replace(url=request.url)


class ArchiveTestSpider(scrapy.Spider):
    """Requests articles the way newscrawl's spiders do: meta kind, then the WARC location."""

    name = "archive-test"

    def __init__(self, urls: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.urls = urls

    async def start(self) -> AsyncIterator[Request]:
        for url in self.urls:
            yield Request(url, meta={"newscrawl_kind": "article"}, dont_filter=True)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[dict[str, Any]]:
        try:
            article = extract(response.body, response.url, datetime.now(UTC))
        except ExtractionError:
            return
        item = article.to_dict()
        item["warc"] = response.meta.get("newscrawl_warc")
        yield item


def settings_for(config: dict[str, Any]) -> Settings:
    settings = Settings()
    settings.setmodule("newscrawl.crawl.settings", priority="project")
    settings.setdict({
        "NEWSCRAWL_WARC_DIR": config["warc_dir"],
        "NEWSCRAWL_WARC_MAX_SIZE": config.get("max_size", 1024 ** 3),
        # The pages come from the test's loopback server, under their real (public) URLs:
        # no DNS, no guard against loopback, and nothing written outside the test's folder.
        "NEWSCRAWL_NETWORK_GUARD": False,
        "NEWSCRAWL_STATE_ENABLED": False, "ITEM_PIPELINES": {},
        "ROBOTSTXT_OBEY": False, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
        "RETRY_ENABLED": False, "HTTPERROR_ALLOW_ALL": True,
        "CONCURRENT_REQUESTS": config.get("concurrency", 4),
        "CONCURRENT_REQUESTS_PER_DOMAIN": config.get("concurrency", 4),
        "DOWNLOAD_HANDLERS": {"http": LoopbackHandler, "https": LoopbackHandler},
        "FEEDS": {config["items"]: {"format": "jsonlines"}},
        "LOG_LEVEL": os.environ.get("NEWSCRAWL_TEST_LOG", "WARNING"),
    }, priority="cmdline")
    return settings


def main(path: str) -> int:
    with open(path, encoding="utf-8") as handle:
        config = json.load(handle)
    process = CrawlerProcess(settings_for(config))
    process.crawl(ArchiveTestSpider, urls=config["urls"])
    process.start()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
