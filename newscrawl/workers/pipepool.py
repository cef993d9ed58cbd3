"""Worker processes that the asyncio event loop feeds through pipes itself, with no threads.

A `ProcessPoolExecutor` moves every task through three threads of the calling process (its
manager thread, the call queue's feeder thread that pickles and writes the task, the manager
again to read and unpickle the result) and wakes the event loop through its self-pipe: each
hop takes the GIL from the reactor thread, and for a crawl's 200 KB pages that was about
0.5 ms of the crawl process's CPU per page. Here the event loop writes each task to its
worker's pipe and reads results as they come (`add_reader` / `add_writer`), so a task costs
a pickle, one or two system calls and an unpickle, all in the loop's own thread.

Each worker has its own pair of pipes, enlarged where the system allows it so a page goes in
one write, and at most `MAX_IN_FLIGHT` tasks: one it works on and one waiting, so it never
idles between tasks; further tasks wait in the parent. Workers come from the fork server of
newscrawl.workers (site profiles imported once) and are replaced after `tasks_per_worker`
tasks: the parent closes a worker's task pipe, the worker finishes what it has and exits.
A worker that dies (killed, out of memory) fails only its own unfinished tasks
(BrokenProcessPool) and is replaced; the other workers and later tasks go on. With a
`task_timeout`, a worker still on one task after that many seconds (a page that sends the
extractor into a loop) is killed and replaced: that task fails with TaskTimeout, and the task
waiting behind it goes to another worker. Only when
`MAX_FUTILE_WORKERS` workers in a row die before answering anything does the pool give up
and fail every task, as a broken ProcessPoolExecutor would.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import os
import pickle
import struct
import traceback
from collections import deque
from collections.abc import Callable, Iterable
from concurrent.futures.process import BrokenProcessPool
from multiprocessing.connection import Connection
from typing import Any, TypeVar

from newscrawl.workers import _context, _start_worker, checked_preload, site_modules

T = TypeVar("T")

# One task being worked on and one waiting in the pipe: the worker never waits for the parent.
MAX_IN_FLIGHT = 2
# Workers in a row that die before answering anything: the pool is broken (a worker that
# cannot start, say), and replacing them again would only loop.
MAX_FUTILE_WORKERS = 3
# Pipe capacity asked for (Linux's default limit for unprivileged processes): a 100-300 KB
# page then goes in one write instead of four 64 KB rounds of write, wake up and read.
PIPE_BYTES = 1 << 20
# multiprocessing.connection's framing, so the worker can use Connection.recv/send_bytes.
_SHORT = struct.Struct("!i")
_LONG = struct.Struct("!Q")


class TaskTimeout(Exception):
    """A task ran longer than the pool's task_timeout; its worker was stopped."""


class RemoteTraceback(Exception):
    """The worker's traceback, attached as the `__cause__` of an exception it raised."""

    def __str__(self) -> str:
        return str(self.args[0])


def frame(payload: bytes) -> list[bytes]:
    """The bytes Connection.send_bytes(payload) writes: a length header, then the payload."""
    if len(payload) > 0x7FFFFFFF:
        return [_SHORT.pack(-1) + _LONG.pack(len(payload)), payload]
    return [_SHORT.pack(len(payload)), payload]


def unframe(buffer: bytearray) -> list[bytes]:
    """Take every complete message off the front of `buffer` (what Connection.recv_bytes
    would return one by one); a partial message stays for the next read."""
    messages = []
    while len(buffer) >= _SHORT.size:
        (size,) = _SHORT.unpack_from(buffer)
        start = _SHORT.size
        if size == -1:
            if len(buffer) < _SHORT.size + _LONG.size:
                break
            (size,) = _LONG.unpack_from(buffer, _SHORT.size)
            start += _LONG.size
        if len(buffer) < start + size:
            break
        messages.append(bytes(buffer[start:start + size]))
        del buffer[:start + size]
    return messages


def _serve(tasks: Connection, results: Connection,
           initializer: Callable[[], Any] | None) -> None:
    """A worker: run (function, args) tasks until the task pipe closes, in order."""
    _start_worker(initializer)
    while True:
        try:
            function, args = pickle.loads(tasks.recv_bytes())
        except EOFError:  # the parent retired this worker, or is gone
            return
        try:
            outcome: tuple[Any, ...] = (True, function(*args))
        except Exception as error:
            outcome = (False, error, traceback.format_exc())
        try:
            payload = pickle.dumps(outcome, pickle.HIGHEST_PROTOCOL)
        except Exception as error:  # an unpicklable result or exception
            payload = pickle.dumps((False, RuntimeError(f"cannot send the result back: "
                                                        f"{error!r}"), traceback.format_exc()))
        try:
            results.send_bytes(payload)
        except OSError:  # the parent is gone: nobody wants the result
            return


def _pipe() -> tuple[int, int]:
    read, write = os.pipe()
    with contextlib.suppress(OSError):  # above the system's limit: the default size serves
        fcntl.fcntl(write, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
    return read, write


class _Worker:
    """One worker process and the parent's ends of its two pipes."""

    def __init__(self, process: Any, tasks: int, results: int) -> None:
        self.process = process
        self.tasks: int | None = tasks  # write end; None once closed
        self.results: int | None = results  # read end; None once closed
        # sent, in order, not answered: (payload, future), kept to send again elsewhere
        self.waiting: deque[tuple[bytes, asyncio.Future[Any]]] = deque()
        self.deadline: asyncio.TimerHandle | None = None  # for the task it works on
        self.unsent = bytearray()  # what the pipe did not take yet
        self.sent = 0
        self.answered = 0
        self.retiring = False
        self.inbox = bytearray()


class PipePool:
    """`await pool.run(function, *args)` in worker processes; see the module doc.

    Create and `start()` it before the event loop runs if you like (the fork server and the
    workers start at once); `run` must be awaited in the loop, and `close()` ends everything.
    """

    def __init__(self, workers: int, *, tasks_per_worker: int, preload: Iterable[str] = (),
                 initializer: Callable[[], Any] | None = None,
                 task_timeout: float | None = None) -> None:
        self.workers = max(workers, 1)
        self.task_timeout = task_timeout if task_timeout and task_timeout > 0 else None
        self.tasks_per_worker = max(tasks_per_worker, 1)
        self.initializer = initializer
        self._context = _context()
        self._preload = [*preload, *site_modules()]
        if self._context.get_start_method() == "forkserver":
            self._context.set_forkserver_preload(self._preload)
        self._checked = False
        self._loop: asyncio.AbstractEventLoop | None = None
        self._active: list[_Worker] = []
        self._retiring: list[_Worker] = []
        self._exited: list[Any] = []
        self._queue: deque[tuple[bytes, asyncio.Future[Any]]] = deque()
        self._closed = False
        self._futile = 0  # workers in a row that died without answering

    # -- workers ----------------------------------------------------------------------------

    def start(self) -> None:
        """Start the fork server and the workers now rather than on the first task."""
        if not self._checked:
            self._checked = True
            self._preload = checked_preload(self._context, self._preload)
        while len(self._active) < self.workers:
            self._active.append(self._spawn())

    def _spawn(self) -> _Worker:
        task_read, task_write = _pipe()
        result_read, result_write = _pipe()
        child_ends = (Connection(task_read, writable=False),
                      Connection(result_write, readable=False))
        try:
            process = self._context.Process(target=_serve, daemon=True,
                                            args=(*child_ends, self.initializer))
            process.start()
        except BaseException:
            for fd in (task_write, result_read):
                os.close(fd)
            raise
        finally:
            for end in child_ends:  # the worker has its own copies now
                end.close()
        os.set_blocking(task_write, False)
        os.set_blocking(result_read, False)
        worker = _Worker(process, task_write, result_read)
        if self._loop is not None:
            self._loop.add_reader(result_read, self._readable, worker)
        return worker

    def _attach(self, loop: asyncio.AbstractEventLoop) -> None:
        self._loop = loop
        for worker in [*self._active, *self._retiring]:
            if worker.results is not None:
                loop.add_reader(worker.results, self._readable, worker)

    def _retire(self, worker: _Worker) -> None:
        """No more tasks for `worker`: it exits once it has answered the ones it has."""
        self._active.remove(worker)
        self._retiring.append(worker)
        worker.retiring = True
        if not worker.unsent:
            self._close_tasks(worker)
        self._reap()
        if not self._closed:
            self._active.append(self._spawn())

    def _close_tasks(self, worker: _Worker) -> None:
        if worker.tasks is not None:
            if self._loop is not None and worker.unsent:
                self._loop.remove_writer(worker.tasks)
            os.close(worker.tasks)
            worker.tasks = None

    def _gone(self, worker: _Worker) -> None:
        """The worker closed its result pipe: it has exited, or died."""
        if self._loop is not None and worker.results is not None:
            self._loop.remove_reader(worker.results)
        if worker.results is not None:
            os.close(worker.results)
            worker.results = None
        self._close_tasks(worker)
        worker.unsent.clear()
        died = not worker.retiring
        if worker in self._active:
            self._active.remove(worker)
        if worker in self._retiring:
            self._retiring.remove(worker)
        self._exited.append(worker.process)
        _disarm(worker)
        while worker.waiting:
            _, future = worker.waiting.popleft()
            if not future.done():
                future.set_exception(BrokenProcessPool(
                    f"extraction worker {worker.process.pid} ended before it answered"))
        self._futile = self._futile + 1 if died and not worker.answered else 0
        if self._futile >= MAX_FUTILE_WORKERS:
            self._break()
        elif died and not self._closed:
            self._active.append(self._spawn())
        self._dispatch()

    def _break(self) -> None:
        """Give up: fail every waiting task, and every later one at once."""
        self._closed = True
        for _, future in self._queue:
            if not future.done():
                future.set_exception(BrokenProcessPool(
                    f"{self._futile} extraction workers in a row died before answering"))
        self._queue.clear()

    def _reap(self) -> None:
        """Collect the exit status of workers that have ended, without waiting."""
        running = []
        for process in self._exited:
            process.join(timeout=0)
            if process.exitcode is None:
                running.append(process)
        self._exited = running

    # -- tasks ------------------------------------------------------------------------------

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        if self._futile >= MAX_FUTILE_WORKERS:
            raise BrokenProcessPool("the extraction workers keep dying before they answer")
        if self._closed:
            raise RuntimeError("the worker pool is closed")
        loop = asyncio.get_running_loop()
        if self._loop is not loop:
            self.start()
            self._attach(loop)
        future: asyncio.Future[T] = loop.create_future()
        self._queue.append((pickle.dumps((function, args), pickle.HIGHEST_PROTOCOL), future))
        self._dispatch()
        return await future

    def _dispatch(self) -> None:
        while self._queue:
            worker = min(self._active, key=lambda w: len(w.waiting), default=None)
            if worker is None or len(worker.waiting) >= MAX_IN_FLIGHT:
                return
            payload, future = self._queue.popleft()
            if future.done():  # cancelled while it waited
                continue
            worker.waiting.append((payload, future))
            if len(worker.waiting) == 1:
                self._arm(worker)
            self._send(worker, frame(payload))
            worker.sent += 1
            if worker.sent >= self.tasks_per_worker:
                self._retire(worker)

    def _send(self, worker: _Worker, parts: list[bytes]) -> None:
        if worker.tasks is None:
            return  # dying: its reader fails the task
        if worker.unsent:
            worker.unsent += b"".join(parts)
            return
        try:
            written = os.writev(worker.tasks, parts)
        except BlockingIOError:
            written = 0
        except OSError:  # the worker is gone; its reader finds out and fails its tasks
            return
        total = sum(map(len, parts))
        if written < total:
            worker.unsent += b"".join(parts)[written:]
            assert self._loop is not None
            self._loop.add_writer(worker.tasks, self._writable, worker)

    def _writable(self, worker: _Worker) -> None:
        assert worker.tasks is not None and self._loop is not None
        try:
            written = os.write(worker.tasks, worker.unsent)
        except BlockingIOError:
            return
        except OSError:
            written = len(worker.unsent)  # gone: drop it, the reader fails the tasks
        del worker.unsent[:written]
        if not worker.unsent:
            self._loop.remove_writer(worker.tasks)
            if worker.retiring:
                self._close_tasks(worker)

    def _readable(self, worker: _Worker) -> None:
        assert worker.results is not None
        try:
            data = os.read(worker.results, PIPE_BYTES)
        except BlockingIOError:
            return
        except OSError:
            data = b""
        if not data:
            self._gone(worker)
            return
        worker.inbox += data
        messages = unframe(worker.inbox)
        for message in messages:
            if not worker.waiting:  # answers to tasks already given up on (overdue)
                break
            worker.answered += 1
            self._answer(worker.waiting.popleft()[1], message)
        if messages:
            self._arm(worker)  # the next task it has, if any, starts now
        self._dispatch()

    def _arm(self, worker: _Worker) -> None:
        """Time the task the worker works on now (the first it has not answered)."""
        _disarm(worker)
        if self.task_timeout is not None and worker.waiting and self._loop is not None:
            worker.deadline = self._loop.call_later(
                self.task_timeout, self._overdue, worker, worker.waiting[0][1])

    def _overdue(self, worker: _Worker, future: asyncio.Future[Any]) -> None:
        """The task ran too long: fail it, give the worker's later tasks to the others, and
        stop the worker (its reader then finds it gone; a new one takes its place)."""
        worker.deadline = None
        if not worker.waiting or worker.waiting[0][1] is not future:
            return
        worker.waiting.popleft()
        if not future.done():
            future.set_exception(TaskTimeout(
                f"no answer after {self.task_timeout:g} s; worker {worker.process.pid} stopped"))
        self._queue.extendleft(reversed(worker.waiting))
        worker.waiting.clear()
        if worker in self._active:
            self._active.remove(worker)
            self._retiring.append(worker)
            if not self._closed:
                self._active.append(self._spawn())
        worker.retiring = True  # stopped on purpose: not a worker that died
        worker.unsent.clear()
        self._close_tasks(worker)
        with contextlib.suppress(OSError, ValueError):
            worker.process.kill()
        self._dispatch()

    @staticmethod
    def _answer(future: asyncio.Future[Any], message: bytes) -> None:
        if future.done():  # cancelled meanwhile
            return
        try:
            outcome = pickle.loads(message)
        except Exception as error:  # an exception class that cannot be rebuilt here
            future.set_exception(RuntimeError(f"cannot read the worker's answer: {error!r}"))
            return
        if outcome[0]:
            future.set_result(outcome[1])
            return
        error, remote = outcome[1], outcome[2]
        error.__cause__ = RemoteTraceback(remote)
        future.set_exception(error)

    # -- the end ----------------------------------------------------------------------------

    def close(self, timeout: float = 30.0) -> None:
        """Cancel tasks not sent yet, end every worker and wait for it to exit."""
        self._closed = True
        for _, future in self._queue:
            _cancel(future)
        self._queue.clear()
        workers = [*self._active, *self._retiring]
        for worker in workers:
            # Its result pipe first: a worker answering now gets EPIPE and exits at once.
            if worker.results is not None:
                if self._loop is not None and not self._loop.is_closed():
                    self._loop.remove_reader(worker.results)
                os.close(worker.results)
                worker.results = None
            if worker.tasks is not None and worker.unsent and self._loop is not None \
                    and not self._loop.is_closed():
                self._loop.remove_writer(worker.tasks)
            worker.unsent.clear()
            if worker.tasks is not None:
                os.close(worker.tasks)
                worker.tasks = None
            _disarm(worker)
            for _, future in worker.waiting:
                _cancel(future)
            worker.waiting.clear()
        self._active, self._retiring = [], []
        for process in [*self._exited, *(worker.process for worker in workers)]:
            process.join(timeout)
            if process.exitcode is None:
                process.kill()
                process.join()
        self._exited = []


def _disarm(worker: _Worker) -> None:
    if worker.deadline is not None:
        worker.deadline.cancel()
        worker.deadline = None


def _cancel(future: asyncio.Future[Any]) -> None:
    # After the event loop has closed, nobody awaits the future any more.
    with contextlib.suppress(RuntimeError):
        future.cancel()
