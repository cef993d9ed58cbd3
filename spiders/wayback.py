"""WaybackSpider: backfill a past period from the Wayback Machine's captures.

`newscrawl backfill --wayback SITE-OR-URL-PREFIX --since D --until D` runs it. It lists the
captures of the site's hosts (a profile name) or of a URL prefix in the window from the CDX
API (NEWSCRAWL_WAYBACK_CDX, newscrawl.crawl.wayback), keeps those whose original URL is an
article URL (the profile's rule, else the generic one), and fetches each article's first
capture in the window as the site sent it (`id_`). Items go through the same pipelines as a
crawl: the same schema, deduplicated against the crawl state, plus `capture`: the capture's
URL and time. `url` is the original URL, and `fetched_at` the time the archive fetched it.
Extraction runs on the crawl's worker pool (NEWSCRAWL_EXTRACT_WORKERS), as for a crawl.

Resumable: an article written (recorded in the crawl state) is never fetched again, so a
killed backfill run again with the same command fetches only what it had not written.
Polite: downloads wait NEWSCRAWL_WAYBACK_DELAY seconds per request (the CLI sets
DOWNLOAD_DELAY from it), one at a time per host, with the crawl's retries and backoff.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime
from typing import Any

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response

from newscrawl.api import ExtractionError
from newscrawl.crawl.discovery import url_looks_like_article
from newscrawl.crawl.extractor import ExtractionRunner
from newscrawl.crawl.horizon import parse_since
from newscrawl.crawl.state import crawl_state
from newscrawl.crawl.state.base import StateStore
from newscrawl.crawl.wayback import (
    DEFAULT_CDX,
    DEFAULT_REPLAY,
    Capture,
    cdx_query,
    in_window,
    parse_cdx,
)
from newscrawl.model.urls import url_host
from newscrawl.sites import profile_named
from newscrawl.spiders.news import NewsSpider, _encoding


class WaybackSpider(scrapy.Spider):
    name = "wayback"

    def __init__(self, target: str = "", since: str | None = None, until: str | None = None,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        if not target:
            raise ValueError("WaybackSpider needs target=SITE-OR-URL-PREFIX")
        self.target = target
        self.since: datetime | None = parse_since(since)
        self.until: datetime | None = parse_since(until)
        try:
            self.profile = profile_named(target)
        except KeyError:
            self.profile = None
        self.profiles = [self.profile] if self.profile else []
        self.requested: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> WaybackSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        settings = crawler.settings
        spider.cdx = settings.get("NEWSCRAWL_WAYBACK_CDX") or DEFAULT_CDX
        spider.replay = settings.get("NEWSCRAWL_WAYBACK_REPLAY") or DEFAULT_REPLAY
        spider.page_size = settings.getint("NEWSCRAWL_WAYBACK_PAGE_SIZE", 1000)
        # The crawl's extraction workers: a time limit per page, and a capture that kills its
        # worker fails alone, off the reactor's thread.
        spider.extractor = ExtractionRunner.from_settings(settings)
        crawler.signals.connect(spider.extractor.close, signal=signals.spider_closed)
        return spider

    @property
    def crawl_state(self) -> StateStore | None:
        """The crawl's state (newscrawl.crawl.state.CrawlStateExtension marks written items)."""
        return crawl_state(self.crawler)

    def count(self, key: str) -> None:
        self.crawler.stats.inc_value(f"newscrawl/{key}")

    # -- listing the captures --------------------------------------------------------------------

    def prefixes(self) -> list[str]:
        if self.profile is not None:
            return [f"{host}/" for host in self.profile.hosts]
        return [self.target]

    def cdx_request(self, prefix: str, resume_key: str | None = None) -> scrapy.Request:
        url = cdx_query(self.cdx, prefix, self.since, self.until, limit=self.page_size,
                        resume_key=resume_key)
        return scrapy.Request(url, callback=self.parse_cdx, errback=self.on_error,
                              dont_filter=True, cb_kwargs={"prefix": prefix},
                              meta={"newscrawl_kind": "cdx", "newscrawl_site": self.site})

    @property
    def site(self) -> str | None:
        return self.profile.name if self.profile else None

    async def start(self) -> AsyncIterator[Any]:
        for prefix in self.prefixes():
            yield self.cdx_request(prefix)

    def parse_cdx(self, response: Response, prefix: str) -> Iterator[scrapy.Request]:
        self.count("pages/cdx")
        try:
            captures, resume_key = parse_cdx(response.text)
        except ValueError as error:
            self.count("errors/not_cdx")
            self.logger.warning("CDX answer %s: %s", response.url, error)
            return
        self.crawler.stats.inc_value("newscrawl/wayback/captures_listed", len(captures))
        for capture in captures:
            request = self.capture_request(capture)
            if request is not None:
                yield request
        if resume_key:
            yield self.cdx_request(prefix, resume_key)

    def wants(self, capture: Capture) -> bool:
        if not in_window(capture, self.since, self.until) or capture.status != "200":
            return False
        if self.profile is not None:
            return self.profile.is_article_url(capture.original)
        return url_looks_like_article(capture.original)

    def capture_request(self, capture: Capture) -> scrapy.Request | None:
        url = capture.original.split("#")[0]
        if url in self.requested or not self.wants(capture):
            return None  # CDX lists captures oldest first: the first in the window is taken
        self.requested.add(url)
        if self.crawl_state is not None and not self.crawl_state.should_fetch(url):
            self.count("skipped_seen")
            self.count(f"by_site/{self.site or url_host(url)}/skipped_seen")
            return None
        return scrapy.Request(capture.replay_url(self.replay), callback=self.parse_capture,
                              errback=self.on_error, cb_kwargs={"capture": capture},
                              meta={"newscrawl_kind": "capture", "newscrawl_site": self.site})

    # -- the captures ----------------------------------------------------------------------------

    async def parse_capture(self, response: Response, capture: Capture
                            ) -> AsyncIterator[dict[str, Any]]:
        self.count("pages/capture")
        try:
            article = await self.extractor.article(response.body, capture.original,
                                                   capture.captured_at, _encoding(response),
                                                   use_profiles=True)
        except ExtractionError as error:
            self.count("errors/extraction")
            self.logger.warning("cannot extract %s: %s", response.url, error)
            return
        item = article.to_dict()
        item["capture"] = {"url": response.url, "timestamp": capture.captured_at.isoformat(),
                           "original": capture.original, "digest": capture.digest}
        yield item

    # A failed listing or capture is counted as the news spider counts its failures.
    on_error = NewsSpider.on_error
