"""Running the extraction core from a crawl without stalling the reactor.

Extraction is CPU-bound and Scrapy runs one reactor thread: with `NEWSCRAWL_EXTRACT_WORKERS`
above zero, pages are extracted in a pool of worker processes and the spider awaits the
result, so downloads and scheduling go on meanwhile. With 0 they are extracted inline.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from typing import Any, TypeVar

from newscrawl.extraction import extract, extract_listing
from newscrawl.items import Article, ListingPage

T = TypeVar("T")


def default_workers() -> int:
    # One core stays with the reactor; a single-core machine extracts inline.
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def _article(body: bytes, url: str, fetched_at: datetime, encoding: str | None,
             use_profiles: bool) -> Article:
    return extract(body, url, fetched_at, encoding=encoding, use_profiles=use_profiles)


def _listing(body: bytes, url: str, fetched_at: datetime, encoding: str | None) -> ListingPage:
    return extract_listing(body, url, fetched_at, encoding=encoding)


def extract_workers(settings: Any) -> int:
    """NEWSCRAWL_EXTRACT_WORKERS, or the default when it is unset."""
    configured = settings.get("NEWSCRAWL_EXTRACT_WORKERS")
    return default_workers() if configured in (None, "") else int(configured)


def _nothing() -> None:
    pass


def _warm_up() -> None:
    # Ctrl-C in a terminal reaches the whole process group: the crawl stops gracefully and
    # still needs its workers for the pages in flight.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # Import the site profiles once per worker, not on its first page.
    from newscrawl.sites import all_profiles

    all_profiles()


class ExtractionRunner:
    """`await runner.article(...)` / `await runner.listing(...)`: inline or in worker processes.

    Workers start at once (not on the first page), from the process as it is then. The
    default start method is forkserver, safe whatever the process holds; `newscrawl crawl`
    creates its runner with "fork" before it opens the crawl state or starts the reactor,
    which is cheaper and makes the workers its own children (reaped, so their CPU time is
    accounted to the crawl).
    """

    def __init__(self, workers: int = 0, *, start_method: str = "forkserver") -> None:
        self.workers = workers
        self._pool: ProcessPoolExecutor | None = None
        if workers > 0:
            context = multiprocessing.get_context(start_method)
            self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_warm_up)
            # One job per worker now, so that every worker process starts before the caller
            # goes on to open files, sockets or threads a fork would copy.
            for future in [self._pool.submit(_nothing) for _ in range(workers)]:
                future.result()

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        if self._pool is None:
            return function(*args)
        return await asyncio.wrap_future(self._pool.submit(function, *args))

    async def article(self, body: bytes, url: str, fetched_at: datetime,
                      encoding: str | None = None, *, use_profiles: bool = True) -> Article:
        return await self._run(_article, body, url, fetched_at, encoding, use_profiles)

    async def listing(self, body: bytes, url: str, fetched_at: datetime,
                      encoding: str | None = None) -> ListingPage:
        return await self._run(_listing, body, url, fetched_at, encoding)

    def close(self) -> None:
        if self._pool is not None:
            # Wait: the workers are idle by now, and reaping them keeps no zombies around.
            self._pool.shutdown(wait=True, cancel_futures=True)
            self._pool = None
