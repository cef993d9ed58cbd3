"""The one pool of extraction worker processes, for the crawl and the WARC reader.

`WorkerPool` is pebble's `ProcessPool`: each task may have a time limit (past it, its worker
is stopped and replaced and the task fails with TimeoutError), each worker is replaced after
`tasks_per_worker` tasks, and a worker that dies (killed, out of memory) fails only the task
it was running (pebble's ProcessExpired); the tasks queued behind it go to the other workers.

Replacing workers gives back the extractors' native heap (lxml, regex), which grows slowly
over thousands of pages even though Python frees everything, so a long run stays flat.
Workers come from a fork server that has the extraction core and every site profile
imported already: a new worker costs a fork, not a fresh interpreter, and never inherits the
crawl's threads, sockets or files. Workers also keep the memory they free (see
`keep_freed_memory`), which recycling keeps bounded.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import multiprocessing
import pkgutil
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from multiprocessing import forkserver
from typing import Any, TypeVar

from pebble import ProcessExpired, ProcessPool

T = TypeVar("T")

# What a caller may get when a worker died under its task: pebble's error for the task the
# worker ran, the standard library's for a pool that gave up.
WORKER_DIED = (ProcessExpired, BrokenProcessPool)
# pebble gives up on its pool when a worker dies while no task runs (it cannot tell whose
# task it was). A new pool then takes over, unless this many in a row ended before answering
# anything: workers that cannot start, where trying again would only loop.
MAX_FUTILE_POOLS = 3


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
    # What the worker inherited from the fork server (the modules, the site profiles) lives
    # as long as it does. Frozen, the cyclic collector no longer writes to those objects on
    # every full collection, so their pages stay shared with the fork server instead of
    # being copied: the crawl benchmark's fork server and worker hold 46 MiB (PSS) after
    # 200 pages against 52 MiB unfrozen.
    gc.freeze()
    keep_freed_memory()
    if initializer is not None:
        initializer()


class WorkerPool:
    """`pool.submit(function, *args)` runs in a worker process and returns a Future.

    Futures complete in pebble's threads: a caller in an event loop awaits
    `asyncio.wrap_future(future)`. `start()` starts the fork server and the workers at once
    (before the caller opens files, sockets or threads); `close()` stops every worker.
    """

    def __init__(self, workers: int, *, tasks_per_worker: int, preload: Iterable[str] = (),
                 shared_preload: Iterable[str] = (),
                 initializer: Callable[[], Any] | None = None,
                 task_timeout: float | None = None) -> None:
        """`preload`: modules the fork server imports for every worker. `shared_preload`:
        modules that only some tasks need, imported there only for several workers, which
        then share them; one worker imports them when a task does. The language model is
        one: a crawl of pages that declare their language never loads it, and the crawl
        benchmark's one worker peaks 8 MB lower, against 0.08 s on its first page that
        needs it."""
        self.workers = max(workers, 1)
        self.tasks_per_worker = max(tasks_per_worker, 1)
        self.task_timeout = task_timeout if task_timeout and task_timeout > 0 else None
        self.initializer = initializer
        self._context = _context()
        shared = list(shared_preload) if self.workers > 1 else []
        self._preload = [*preload, *shared, *site_modules()]
        if self._context.get_start_method() == "forkserver":
            self._context.set_forkserver_preload(self._preload)
        self._checked = False
        self._pool: ProcessPool | None = None
        self._answered = False  # by the current pebble pool
        self._futile = 0  # pebble pools in a row that gave up before answering anything
        self._closed = False

    def start(self) -> None:
        """Start the fork server and the workers now rather than on the first task."""
        self._current()

    def submit(self, function: Callable[..., T], *args: Any) -> Future[T]:
        future = self._current().schedule(function, args, timeout=self.task_timeout)
        future.add_done_callback(self._note_answer)
        return future

    def _note_answer(self, future: Future[Any]) -> None:
        if not future.cancelled() and not isinstance(future.exception(), BrokenProcessPool):
            self._answered = True

    def _current(self) -> ProcessPool:
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        if self._pool is not None and not self._pool.active:  # pebble gave up on it
            self._futile = 0 if self._answered else self._futile + 1
            self._stop()
        if self._pool is None:
            if self._futile >= MAX_FUTILE_POOLS:
                raise BrokenProcessPool(f"the extraction workers died before answering, "
                                        f"{self._futile} times in a row")
            if not self._checked:
                self._checked = True
                self._preload = checked_preload(self._context, self._preload)
            self._pool = ProcessPool(self.workers, max_tasks=self.tasks_per_worker,
                                     initializer=_start_worker, initargs=(self.initializer,),
                                     context=self._context)
            self._answered = False
            if not self._pool.active:  # this starts its workers
                raise BrokenProcessPool("the extraction workers could not be started")
        return self._pool

    def _stop(self) -> None:
        if self._pool is not None:
            self._pool.stop()
            self._pool.join()
            self._pool = None

    def close(self) -> None:
        """Stop every worker, whatever it is doing, and wait for it to exit."""
        self._closed = True
        self._stop()


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
    alone, it would end only after this process and be reaped by someone else. Python has
    no public call for this; without it (another Python), the fork server is left alone.
    """
    stop = getattr(forkserver._forkserver, "_stop", None)
    if stop is not None:
        with contextlib.suppress(OSError, ChildProcessError):
            stop()
