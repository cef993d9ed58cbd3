"""Worker processes fed by the event loop through pipes (newscrawl.workers.pipepool)."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
from concurrent.futures.process import BrokenProcessPool

import pytest

from newscrawl.workers import stop_fork_server
from newscrawl.workers.pipepool import (
    PIPE_BYTES,
    PipePool,
    RemoteTraceback,
    TaskTimeout,
    frame,
    unframe,
)


@pytest.fixture
def pool():
    pools: list[PipePool] = []

    def make(workers: int = 1, tasks_per_worker: int = 100, **options) -> PipePool:
        pools.append(PipePool(workers, tasks_per_worker=tasks_per_worker, **options))
        return pools[-1]

    yield make
    for made in pools:
        made.close()
    stop_fork_server()


def test_answers_come_back_to_their_own_tasks_and_workers_are_replaced(pool):
    tasks = pool(2, tasks_per_worker=3)

    async def main() -> tuple[list[int], list[int]]:
        powers = await asyncio.gather(*(tasks.run(pow, n, 2) for n in range(20)))
        pids = [await tasks.run(os.getpid) for _ in range(9)]
        return powers, pids

    powers, pids = asyncio.run(main())
    assert powers == [n * n for n in range(20)]
    # 29 tasks, 3 per worker: at least ten workers, none of them this process.
    assert len(set(pids)) >= 3 and os.getpid() not in pids
    processes = [*tasks._exited, *(w.process for w in tasks._active + tasks._retiring)]
    tasks.close()
    assert all(process.exitcode is not None for process in processes)


def test_an_exception_reaches_the_caller_with_the_workers_traceback(pool):
    tasks = pool()

    async def main() -> None:
        with pytest.raises(ValueError, match="invalid literal") as raised:
            await tasks.run(int, "not a number")
        assert isinstance(raised.value.__cause__, RemoteTraceback)
        assert "ValueError" in str(raised.value.__cause__)
        assert await tasks.run(int, "7") == 7  # the worker goes on

    asyncio.run(main())


def test_pages_larger_than_the_pipe_go_through_whole(pool):
    tasks = pool(2)
    size = 3 * PIPE_BYTES + 12345

    async def main() -> list[bytes]:
        return await asyncio.gather(*(tasks.run(bytes, size) for _ in range(5)),
                                    *(tasks.run(len, b"x" * size) for _ in range(5)))

    answers = asyncio.run(main())
    assert answers[:5] == [bytes(size)] * 5 and answers[5:] == [size] * 5


def test_a_killed_worker_fails_only_its_own_tasks_and_is_replaced(pool):
    tasks = pool(1)

    async def main() -> None:
        tasks.start()
        victim = tasks._active[0].process.pid
        busy = [asyncio.ensure_future(tasks.run(time.sleep, 30)) for _ in range(2)]
        later = asyncio.ensure_future(tasks.run(pow, 3, 3))  # waits in this process
        await asyncio.sleep(0.5)
        os.kill(victim, signal.SIGKILL)
        for task in busy:
            with pytest.raises(BrokenProcessPool):
                await task
        assert await later == 27  # sent to the replacement
        assert tasks._active[0].process.pid != victim

    asyncio.run(main())


def test_workers_that_cannot_start_break_the_pool_instead_of_looping(pool):
    tasks = pool(1, initializer=sys.exit)  # every worker exits before its first task

    async def main() -> None:
        with pytest.raises(BrokenProcessPool):
            await asyncio.wait_for(tasks.run(pow, 2, 2), timeout=60)
        deadline = time.monotonic() + 60
        while tasks._active and time.monotonic() < deadline:  # replacements die too
            await asyncio.sleep(0.05)
        assert tasks._active == []  # it gave up instead of starting workers forever
        with pytest.raises(BrokenProcessPool):
            await tasks.run(pow, 2, 2)

    asyncio.run(main())


def test_a_cancelled_task_does_not_shift_the_answers(pool):
    tasks = pool(1)

    async def main() -> list[int]:
        first = asyncio.ensure_future(tasks.run(time.sleep, 0.3))
        rest = [asyncio.ensure_future(tasks.run(pow, n, 3)) for n in range(4)]
        await asyncio.sleep(0.05)
        first.cancel()
        return await asyncio.gather(*rest)

    assert asyncio.run(main()) == [n ** 3 for n in range(4)]


def test_frames_are_multiprocessing_connections_framing():
    buffer = bytearray()
    for payload in (b"", b"a", bytes(70000)):
        buffer += b"".join(frame(payload))
    buffer += b"".join(frame(b"partial"))[:-2]
    assert unframe(buffer) == [b"", b"a", bytes(70000)]
    assert len(buffer) == 4 + len(b"partial") - 2  # the partial message waits for the rest


def test_a_task_past_the_timeout_fails_alone_and_its_worker_is_replaced(pool):
    tasks = pool(1, task_timeout=1.0)

    async def main() -> tuple[object, int, int, int]:
        first = await tasks.run(os.getpid)
        stuck = asyncio.ensure_future(tasks.run(time.sleep, 30))
        await asyncio.sleep(0.05)
        behind = asyncio.ensure_future(tasks.run(pow, 3, 2))  # queued behind the stuck one
        started = time.monotonic()
        outcome = await asyncio.gather(stuck, return_exceptions=True)
        waited = time.monotonic() - started
        assert waited < 10
        return outcome[0], await behind, first, await tasks.run(os.getpid)

    error, behind, first_pid, later_pid = asyncio.run(main())
    assert isinstance(error, TaskTimeout) and "1 s" in str(error)
    assert behind == 9  # sent again, to the new worker
    assert later_pid != first_pid
    assert stopped(first_pid)


def stopped(pid: int, within: float = 5.0) -> bool:
    """Whether the process has ended (gone, or a zombie not reaped yet) within `within` s."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        try:
            with open(f"/proc/{pid}/stat") as stat:
                if stat.read().rsplit(")", 1)[1].split()[0] in ("Z", "X"):
                    return True
        except FileNotFoundError:
            return True
        time.sleep(0.05)
    return False


def test_without_a_timeout_a_slow_task_is_waited_for(pool):
    tasks = pool(1)

    async def main() -> None:
        assert await tasks.run(time.sleep, 1.2) is None

    asyncio.run(main())
