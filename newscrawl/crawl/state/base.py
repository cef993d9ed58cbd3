"""The crawl state's interface, shared by its two implementations.

`newscrawl.crawl.state.sqlite.CrawlState` keeps the state of one crawl at a time in a SQLite
file; `newscrawl.crawl.state.redis.RedisCrawlState` keeps the state that the workers of a
distributed crawl share. Both are a `StateStore`; `newscrawl.crawl.state.state_class`
picks one from the settings.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Protocol


class StateLocked(RuntimeError):
    """Another live process holds the crawl state."""


@dataclass(frozen=True)
class ArticleRecord:
    url: str
    canonical_url: str | None
    content_hash: str | None
    first_seen: datetime
    last_fetched: datetime | None
    written_at: datetime | None
    output_file: str | None


def utc(when: datetime | None) -> datetime:
    """An aware UTC datetime; naive values are taken to be UTC already."""
    if when is None:
        return datetime.now(UTC)
    if when.tzinfo is None:
        return when.replace(tzinfo=UTC)
    return when.astimezone(UTC)


def to_text(when: datetime | None) -> str:
    # Fixed-width ISO text in UTC sorts like time, so SQL can order by it.
    return utc(when).strftime("%Y-%m-%dT%H:%M:%S.%f+00:00")


def from_text(text: str | None) -> datetime | None:
    return None if text is None else datetime.fromisoformat(text)


class StateStore(Protocol):
    """What the spider and the pipelines ask of a crawl state, whichever keeps it."""

    @property
    def closed(self) -> bool: ...

    def close(self) -> None: ...

    def article(self, url: str) -> ArticleRecord | None: ...

    def should_fetch(self, url: str, *, recrawl_after: timedelta | None = None,
                     now: datetime | None = None) -> bool: ...

    def mark_fetched(self, url: str, *, when: datetime | None = None) -> None: ...

    def url_for_hash(self, content_hash: str) -> str | None: ...

    def url_for_canonical(self, canonical_url: str) -> str | None: ...

    def record_written(self, url: str, *, canonical_url: str | None, content_hash: str | None,
                       output_file: str, when: datetime | None = None) -> None: ...

    def record_written_many(self, rows: Iterable[tuple[str, str | None, str | None, str]], *,
                            when: datetime | None = None) -> None: ...

    def written_count(self) -> int: ...

    def is_written(self, url: str) -> bool: ...

    def get_meta(self, key: str) -> str | None: ...

    def set_meta(self, key: str, value: str) -> None: ...

    def add_signatures(self, items: Iterable[tuple[str, bytes, str | None]], *,
                       when: datetime | None = None) -> None: ...

    def signatures(self, *, since: datetime | None = None
                   ) -> Iterator[tuple[str, bytes, str | None]]: ...

    def clear_signatures(self) -> None: ...

    def signature_count(self) -> int: ...
