"""What the pipelines share: the crawl state, stats keys and the dedupe key of an item."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter

from newscrawl.state import CrawlState, state_for_crawler
from newscrawl.urls import canonicalize_url

DROPPED = "newscrawl/dropped"


def crawl_state(crawler: Any) -> CrawlState | None:
    """The crawler's shared state (SQLite, or Redis with REDIS_URL), or None when
    NEWSCRAWL_STATE_ENABLED is off."""
    if not crawler.settings.getbool("NEWSCRAWL_STATE_ENABLED", True):
        return None
    return state_for_crawler(crawler)


def canonical_key(adapter: ItemAdapter) -> str:
    """The URL that identifies an article: its canonical URL, else its fetched URL, cleaned."""
    return canonicalize_url(adapter.get("canonical_url") or adapter["url"])


def inc(crawler: Any, key: str, count: int = 1) -> None:
    crawler.stats.inc_value(key, count)
