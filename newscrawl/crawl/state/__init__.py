"""The crawl state: which articles were fetched and written, across runs.

    base.py    the interface (`StateStore`) and what both implementations share
    sqlite.py  one crawl at a time, in a SQLite file (the default)
    redis.py   the workers of a distributed crawl at once, in Redis (REDIS_URL)
"""

from __future__ import annotations

from typing import Any

from newscrawl.crawl.state.sqlite import CrawlState


def state_class(settings: Any) -> Any:
    """CrawlState, or RedisCrawlState (same API) when REDIS_URL is set."""
    if settings.get("REDIS_URL"):
        from newscrawl.crawl.state.redis import RedisCrawlState

        return RedisCrawlState
    return CrawlState


def state_for_crawler(crawler: Any) -> Any:
    """The crawler's shared state (spider and pipelines), of the kind its settings ask for."""
    return state_class(crawler.settings).for_crawler(crawler)
