"""Extraction worker pools whose processes are replaced now and then.

The extractors' native heap (lxml, regex) grows slowly over thousands of pages even though
Python frees everything; a fresh process gives that memory back, so a long run stays flat.
Replacing workers needs a start method other than plain fork (forking a busy process with
threads is unsafe), so workers come from a fork server that has the extraction core and
every site profile imported already: a new worker costs a fork, not a fresh interpreter.
Both the WARC reader and the crawl use this. Workers also keep the memory they free (see
`keep_freed_memory`), which recycling keeps bounded.
"""

from __future__ import annotations

import contextlib
import ctypes
import multiprocessing
import pkgutil
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import forkserver
from typing import Any, TypeVar

T = TypeVar("T")


def site_modules() -> list[str]:
    """The site profile modules, by name (found without importing them)."""
    import newscrawl.sites as sites

    return [f"{sites.__name__}.{info.name}" for info in pkgutil.iter_modules(sites.__path__)
            if not info.name.startswith("_")]


def _context() -> Any:
    try:
        context = multiprocessing.get_context("forkserver")
    except ValueError:  # no fork server on this platform
        return multiprocessing.get_context("spawn")
    return context


# glibc's mallopt parameters (malloc.h).
_M_TRIM_THRESHOLD = -1
_M_MMAP_THRESHOLD = -3
MMAP_THRESHOLD = 32 * 1024 * 1024  # glibc's largest
TRIM_THRESHOLD = 256 * 1024 * 1024


def keep_freed_memory() -> bool:
    """Let this process's allocator keep memory it frees instead of giving it back at once.

    By default glibc serves a page-sized buffer (a 200 KB page, its parse tree) from fresh
    mmap'd or re-grown memory and returns it when freed, so every page faults its memory in
    again: about a fifth of the extraction time of a 100-300 KB page, measured. Kept, the
    same memory serves the next page. The cost is that a worker stays at its high-water
    mark, which recycling bounds. False where the C library is not glibc.
    """
    try:
        libc = ctypes.CDLL("libc.so.6")
        mallopt = libc.mallopt
    except (OSError, AttributeError):
        return False
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(
        mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))


# Where this process's newscrawl package is; a constant expression, evaluated in a worker too.
_PACKAGE_FILE = "__import__('newscrawl').__file__"


def _start_worker(initializer: Callable[[], Any] | None) -> None:
    keep_freed_memory()
    if initializer is not None:
        initializer()


class RecyclingPool:
    """A process pool whose workers are replaced after about `tasks_per_worker` tasks each.

    The whole pool is replaced: after `workers * tasks_per_worker` submissions the next task
    goes to a new pool, and the old one ends once its own tasks are done. (Python 3.11's
    `max_tasks_per_child` can stop replacing workers while tasks are queued, and hang.)
    """

    def __init__(self, workers: int, *, tasks_per_worker: int, preload: Iterable[str] = (),
                 initializer: Callable[[], Any] | None = None) -> None:
        self.workers = workers
        self.generation_tasks = max(workers * tasks_per_worker, 1)
        self.initializer = initializer
        self._context = _context()
        self._preload = [*preload, *site_modules()]
        if self._context.get_start_method() == "forkserver":
            self._context.set_forkserver_preload(self._preload)
        self._pool: ProcessPoolExecutor | None = None
        self._retired: list[ProcessPoolExecutor] = []
        self._submitted = 0
        self._checked = False

    def _check_preload(self) -> None:
        self._checked = True
        self._preload = checked_preload(self._context, self._preload)

    def _current(self) -> ProcessPoolExecutor:
        if self._pool is not None and self._submitted >= self.generation_tasks:
            self._pool.shutdown(wait=False)  # its queued tasks still run
            self._retired.append(self._pool)
            self._pool = None
        if self._pool is None:
            if not self._checked:
                self._check_preload()
            self._pool = ProcessPoolExecutor(self.workers, mp_context=self._context,
                                             initializer=_start_worker,
                                             initargs=(self.initializer,))
            self._submitted = 0
        return self._pool

    def submit(self, function: Callable[..., T], *args: Any) -> Future[T]:
        future = self._current().submit(function, *args)
        self._submitted += 1
        return future

    def start(self) -> None:
        """Start every worker of the current pool now rather than on the first tasks."""
        pool = self._current()
        for future in [pool.submit(_nothing) for _ in range(self.workers)]:
            future.result()

    def shutdown(self, *, wait: bool = True, cancel_futures: bool = False) -> None:
        pools = [*self._retired, *([self._pool] if self._pool is not None else [])]
        self._pool, self._retired = None, []
        for pool in pools:
            pool.shutdown(wait=wait, cancel_futures=cancel_futures)


def _nothing() -> None:
    pass


def checked_preload(context: Any, preload: list[str]) -> list[str]:
    """`preload`, or nothing if the fork server imported another copy of newscrawl.

    Python 3.11's fork server imports its preload modules before it applies our sys.path,
    so where the package is not on the default path (a Scrapyd egg beside another
    installed copy, say), it may preload a different newscrawl, or none. Its workers would
    then run code that is not ours: ask one which package it has, with nothing of ours it
    would have to import to answer. Starts the fork server.
    """
    if context.get_start_method() != "forkserver" or not preload:
        return preload
    probe = ProcessPoolExecutor(1, mp_context=context)
    try:
        theirs = probe.submit(eval, _PACKAGE_FILE).result()
    except BrokenProcessPool:
        theirs = None
    finally:
        probe.shutdown(wait=True)
    if theirs == eval(_PACKAGE_FILE):
        return preload
    stop_fork_server()
    context.set_forkserver_preload([])
    return []


def stop_fork_server() -> None:
    """End this process's fork server and reap it, once no pool needs it any more.

    The fork server reaps the workers it forked, so reaping it in turn accounts their CPU
    time to this process (RUSAGE_CHILDREN), as if they had been its own children; left
    alone, it would end only after this process and be reaped by someone else.
    """
    stop = getattr(forkserver._forkserver, "_stop", None)  # no public API for this
    if stop is not None:
        with contextlib.suppress(OSError, ChildProcessError):
            stop()
