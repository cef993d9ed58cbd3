"""Running the extraction core from a crawl without stalling the reactor.

Extraction is CPU-bound and Scrapy runs one reactor thread: with `NEWSCRAWL_EXTRACT_WORKERS`
above zero, pages are extracted in a pool of worker processes and the spider awaits the
result, so downloads and scheduling go on meanwhile. With 0 they are extracted inline.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import os
from collections.abc import Callable
from concurrent.futures import Executor, ProcessPoolExecutor
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


def _warm_up() -> None:
    # Import the site profiles once per worker, not on its first page.
    from newscrawl.sites import all_profiles

    all_profiles()


class ExtractionRunner:
    """`await runner.article(...)` / `await runner.listing(...)`: inline or in worker processes."""

    def __init__(self, workers: int = 0) -> None:
        self.workers = workers
        self._pool: Executor | None = None
        if workers > 0:
            # forkserver: never fork the reactor process itself (its threads and sockets).
            context = multiprocessing.get_context("forkserver")
            self._pool = ProcessPoolExecutor(workers, mp_context=context, initializer=_warm_up)

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
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None
