"""The crawl state: which articles were fetched and written, across runs.

    base.py    the interface (`StateStore`) and what both implementations share
    sqlite.py  one crawl at a time, in a SQLite file (the default)
    redis.py   the workers of a distributed crawl at once, in Redis (REDIS_URL)

A crawl's spider and pipelines share one state, which `CrawlStateExtension` (enabled in the
crawl settings' EXTENSIONS) opens and closes; they reach it with `crawl_state(crawler)`.
"""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy import signals
from scrapy.exceptions import NotConfigured

from newscrawl.crawl.state.base import StateStore
from newscrawl.crawl.state.sqlite import CrawlState

EXTENSION = "newscrawl.crawl.state.CrawlStateExtension"


def state_class(settings: Any) -> Any:
    """CrawlState, or RedisCrawlState (same API) when REDIS_URL is set."""
    if settings.get("REDIS_URL"):
        from newscrawl.crawl.state.redis import RedisCrawlState

        return RedisCrawlState
    return CrawlState


class CrawlStateExtension:
    """Opens the crawl's state when the crawler starts and closes it when the spider closes,
    after the pipelines' last writes.

    An article counts as fetched once its item went through the pipelines: dropped items
    are marked here, and scraped ones too unless a pipeline records written items itself
    once they are durable (the JSON Lines writer, through `records_written`); a run killed
    before that fetches them again. Not configured when NEWSCRAWL_STATE_ENABLED is off.
    """

    def __init__(self, crawler: Any, state: StateStore) -> None:
        self.state = state
        self.written_by_pipeline = False
        crawler.signals.connect(self.item_done, signal=signals.item_dropped)
        crawler.signals.connect(self.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(self.close, signal=signals.spider_closed)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlStateExtension:
        settings = crawler.settings
        if not settings.getbool("NEWSCRAWL_STATE_ENABLED", True):
            raise NotConfigured("NEWSCRAWL_STATE_ENABLED is off")
        return cls(crawler, state_class(settings).from_crawler(crawler))

    def records_written(self) -> None:
        """A pipeline records the items it passes as written, once they are durable."""
        self.written_by_pipeline = True

    def item_scraped(self, item: Any, **kwargs: Any) -> None:
        if not self.written_by_pipeline:
            self.item_done(item)

    def item_done(self, item: Any, **kwargs: Any) -> None:
        url = ItemAdapter(item).get("url")
        if url and not self.state.closed:
            self.state.mark_fetched(url)

    def close(self, spider: Any = None, reason: str | None = None) -> None:
        self.state.close()


def state_extension(crawler: Any) -> CrawlStateExtension | None:
    """The crawler's CrawlStateExtension; None when NEWSCRAWL_STATE_ENABLED is off.

    A clear error when the state is on but the extension is not in EXTENSIONS (a project
    that takes newscrawl's pipelines but not its settings, say).
    """
    extension = crawler.get_extension(CrawlStateExtension)
    if extension is None and crawler.settings.getbool("NEWSCRAWL_STATE_ENABLED", True):
        raise NotConfigured(f"NEWSCRAWL_STATE_ENABLED is on, but {EXTENSION} is not in "
                            "EXTENSIONS (add it, or set NEWSCRAWL_STATE_ENABLED=False)")
    return extension


def crawl_state(crawler: Any) -> StateStore | None:
    """The crawler's shared state (SQLite, or Redis with REDIS_URL); None when
    NEWSCRAWL_STATE_ENABLED is off."""
    extension = state_extension(crawler)
    return extension.state if extension is not None else None
