"""Keeping the scheduler small: article URLs wait in a compact backlog until there is room.

Scrapy keeps every scheduled request in memory (without JOBDIR) and reads callback output
eagerly, so a large sitemap would put tens of thousands of requests in the scheduler at once
and memory would grow with the size of the site. Instead, the spider parks article URLs
here while the scheduler holds NEWSCRAWL_MAX_QUEUED requests or more, and they are released
as requests leave the downloader, or when the crawl would otherwise go idle.

Parked URLs are not kept across a JOBDIR pause: a resumed crawl reads its entry points again
and finds them anew (they were never scheduled, so the dupefilter does not hide them).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from typing import Any

from scrapy import Request, signals
from scrapy.exceptions import DontCloseSpider


class Backlog:
    def __init__(self, crawler: Any, make_request: Callable[[str, str | None], Request | None],
                 limit: int) -> None:
        self.crawler = crawler
        self.make_request = make_request
        self.limit = limit
        self.parked: deque[tuple[str, str | None]] = deque()
        if limit > 0:
            crawler.signals.connect(self.release, signal=signals.request_left_downloader)
            crawler.signals.connect(self.on_idle, signal=signals.spider_idle)

    def queued(self) -> int:
        engine = self.crawler.engine
        scheduler = getattr(engine, "scheduler", None) if engine else None
        if scheduler is None and engine is not None:
            slot = getattr(engine, "_slot", None)  # Scrapy < 2.19
            scheduler = getattr(slot, "scheduler", None)
        try:
            return len(scheduler) if scheduler is not None else 0
        except TypeError:  # a custom scheduler without a length: no backpressure
            return 0

    def full(self) -> bool:
        return self.limit > 0 and (bool(self.parked) or self.queued() >= self.limit)

    def park(self, url: str, site: str | None) -> None:
        self.parked.append((url, site))
        self.crawler.stats.max_value("newscrawl/backlog_max", len(self.parked))

    def release(self, *args: Any, **kwargs: Any) -> int:
        """Schedule parked URLs until the scheduler is half full; returns how many."""
        released = 0
        room = self.limit // 2 - self.queued()
        while self.parked and room > 0:
            request = self.make_request(*self.parked.popleft())
            if request is not None:
                self.crawler.engine.crawl(request)
                released += 1
                room -= 1
        return released

    def on_idle(self, *args: Any, **kwargs: Any) -> None:
        while self.parked:
            if self.release():
                raise DontCloseSpider
            if self.queued() >= self.limit // 2:  # nothing released for lack of room
                raise DontCloseSpider
