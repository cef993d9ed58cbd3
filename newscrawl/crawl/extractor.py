"""Running the extraction core from a crawl without stalling the reactor.

Extraction is CPU-bound and Scrapy runs one reactor thread: with `NEWSCRAWL_EXTRACT_WORKERS`
above zero, pages are extracted in a pool of worker processes and the spider awaits the
result, so downloads and scheduling go on meanwhile. With 0 they are extracted inline.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Callable
from datetime import datetime
from typing import Any, TypeVar

from newscrawl.api import ExtractionError, extract, extract_listing, extract_page
from newscrawl.crawl.discovery import judged_story
from newscrawl.extraction import load_page
from newscrawl.extraction.language import MODEL_MODULE
from newscrawl.model.items import Article, ListingPage
from newscrawl.workers import WorkerPool

T = TypeVar("T")


def default_workers() -> int:
    # One core stays with the reactor; a single-core machine extracts inline.
    return max(0, min(4, (os.cpu_count() or 1) - 1))


def _article(body: bytes, url: str, fetched_at: datetime, encoding: str | None,
             use_profiles: bool) -> Article:
    return extract(body, url, fetched_at, encoding=encoding, use_profiles=use_profiles)


def _generic_story(body: bytes, url: str, fetched_at: datetime, encoding: str | None
                   ) -> tuple[Article, bool]:
    # One parse for both: the story judgement used to parse the page again in the crawl
    # process, on the reactor's thread.
    page = load_page(body, url, fetched_at, encoding)
    article = extract_page(page, use_profiles=False)
    return article, judged_story(page, article)


def _listing(body: bytes, url: str, fetched_at: datetime, encoding: str | None) -> ListingPage:
    return extract_listing(body, url, fetched_at, encoding=encoding)


def extract_workers(settings: Any) -> int:
    """NEWSCRAWL_EXTRACT_WORKERS, or the default when it is unset."""
    configured = settings.get("NEWSCRAWL_EXTRACT_WORKERS")
    return default_workers() if configured in (None, "") else int(configured)


def _warm_up() -> None:
    # Collect the site profiles once per worker, not on its first page (the fork server
    # has imported their modules already).
    from newscrawl.sites import all_profiles

    all_profiles()


# A worker's lifetime in pages: long enough that a new worker's fork is noise (about 0.01 ms
# a page), short enough that the extractors' native heap creep does not add up.
RECYCLE_AFTER_PAGES = 1000
# Seconds a worker may spend on one page: hundreds of times what a page takes, so only a page
# that sends the extractor into a loop (or a stuck worker) reaches it.
DEFAULT_TIMEOUT = 60.0


class ExtractionRunner:
    """`await runner.article(...)` / `await runner.listing(...)`: inline or in worker processes.

    Workers start at once (not on the first page) and are replaced every `recycle_after`
    pages (newscrawl.workers: they come from a fork server, so whatever this process holds
    by then, reactor threads or open files, is never forked). The spider awaits each page's
    future on the reactor's asyncio loop.
    `newscrawl crawl` creates its runner before it opens the crawl state or starts the
    reactor and stops the fork server at the end, which reaps it: the workers' CPU time is
    then accounted to the crawl.
    """

    def __init__(self, workers: int = 0, *, recycle_after: int = RECYCLE_AFTER_PAGES,
                 timeout: float | None = None) -> None:
        self.workers = workers
        self.timeout = timeout
        self._pool: WorkerPool | None = None
        if workers > 0:
            self._pool = WorkerPool(workers, tasks_per_worker=recycle_after,
                                    preload=[__name__], shared_preload=[MODEL_MODULE],
                                    initializer=_warm_up, task_timeout=timeout)
            # The fork server and the first workers start now, before the caller goes on
            # to open files, sockets or threads.
            self._pool.start()

    @classmethod
    def from_settings(cls, settings: Any) -> ExtractionRunner:
        """NEWSCRAWL_EXTRACT_WORKERS workers, each page given NEWSCRAWL_EXTRACT_TIMEOUT
        seconds (0: no limit; inline extraction has none)."""
        timeout = settings.getfloat("NEWSCRAWL_EXTRACT_TIMEOUT", DEFAULT_TIMEOUT)
        return cls(extract_workers(settings), timeout=timeout or None)

    async def _run(self, function: Callable[..., T], *args: Any) -> T:
        if self._pool is None:
            return function(*args)
        try:
            return await asyncio.wrap_future(self._pool.submit(function, *args))
        except TimeoutError as error:
            raise ExtractionError(f"extraction took too long (more than {self.timeout:g} s; "
                                  f"its worker was stopped)") from error

    async def article(self, body: bytes, url: str, fetched_at: datetime,
                      encoding: str | None = None, *, use_profiles: bool = True) -> Article:
        return await self._run(_article, body, url, fetched_at, encoding, use_profiles)

    async def generic_story(self, body: bytes, url: str, fetched_at: datetime,
                            encoding: str | None = None) -> tuple[Article, bool]:
        """The generic article of a page of a site without a profile, and whether the crawl's
        story judgement (`newscrawl.crawl.discovery.judged_story`) keeps it as a story."""
        return await self._run(_generic_story, body, url, fetched_at, encoding)

    async def listing(self, body: bytes, url: str, fetched_at: datetime,
                      encoding: str | None = None) -> ListingPage:
        return await self._run(_listing, body, url, fetched_at, encoding)

    def close(self) -> None:
        if self._pool is not None:
            # The workers are idle by now; reaping them keeps no zombies around.
            self._pool.close()
            self._pool = None
