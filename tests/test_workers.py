"""The extraction worker pool (newscrawl.workers): recycling, time limits, dead workers."""

from __future__ import annotations

import gc
import os
import platform
import signal
import sys
import time
from concurrent.futures import CancelledError
from concurrent.futures.process import BrokenProcessPool

import pytest
from pebble import ProcessExpired

from newscrawl.workers import MAX_FUTILE_POOLS, WorkerPool, keep_freed_memory, stop_fork_server
from tests.support.processes import cmdline, processes


@pytest.fixture
def pool():
    pools: list[WorkerPool] = []

    def make(workers: int = 1, tasks_per_worker: int = 100, **options) -> WorkerPool:
        pools.append(WorkerPool(workers, tasks_per_worker=tasks_per_worker, **options))
        return pools[-1]

    yield make
    for made in pools:
        made.close()
    stop_fork_server()


def test_workers_are_replaced_after_their_share_of_tasks_and_none_outlives_the_pool(pool):
    tasks = pool(1, tasks_per_worker=3)
    pids = [future.result(timeout=60) for future in [tasks.submit(os.getpid) for _ in range(7)]]
    assert [pow(n, 2) for n in range(4)] == [
        tasks.submit(pow, n, 2).result(timeout=60) for n in range(4)]
    tasks.close()
    stop_fork_server()
    assert len(set(pids[0:3])) == len(set(pids[3:6])) == 1
    assert len({pids[0], pids[3], pids[6]}) == 3
    assert os.getpid() not in pids
    assert all(stopped(pid) for pid in pids)
    # The fork server was reaped too (multiprocessing's resource tracker lives on).
    assert not any(b"forkserver" in cmdline(pid) for pid in children(os.getpid()))


def children(parent: int) -> list[int]:
    return [entry.pid for entry in processes() if entry.parent == parent]


def test_answers_come_back_to_their_own_tasks_in_order_of_submission(pool):
    tasks = pool(2, tasks_per_worker=3)
    futures = [tasks.submit(pow, n, 2) for n in range(20)]
    assert [future.result(timeout=60) for future in futures] == [n * n for n in range(20)]


def test_an_exception_reaches_the_caller_with_the_workers_traceback(pool):
    tasks = pool()
    with pytest.raises(ValueError, match="invalid literal") as raised:
        tasks.submit(int, "not a number").result(timeout=60)
    assert "Traceback" in str(raised.value.__cause__)
    assert "ValueError" in str(raised.value.__cause__)
    assert tasks.submit(int, "7").result(timeout=60) == 7  # the worker goes on


def test_pages_larger_than_a_pipe_go_through_whole(pool):
    tasks = pool(2)
    size = 3 * (1 << 20) + 12345
    out = [tasks.submit(bytes, size) for _ in range(3)]
    back = [tasks.submit(len, b"x" * size) for _ in range(3)]
    assert [f.result(timeout=60) for f in out] == [bytes(size)] * 3
    assert [f.result(timeout=60) for f in back] == [size] * 3


def test_a_killed_worker_fails_only_its_own_task_and_is_replaced(pool):
    tasks = pool(1)
    victim = tasks.submit(os.getpid).result(timeout=60)
    busy = tasks.submit(time.sleep, 30)
    later = tasks.submit(pow, 3, 3)  # queued behind it
    time.sleep(0.5)
    os.kill(victim, signal.SIGKILL)
    with pytest.raises(ProcessExpired):
        busy.result(timeout=30)
    assert later.result(timeout=30) == 27  # run by the replacement
    assert tasks.submit(os.getpid).result(timeout=30) != victim


def test_a_worker_killed_while_idle_leaves_the_pool_working(pool):
    tasks = pool(1)
    idle = tasks.submit(os.getpid).result(timeout=60)
    os.kill(idle, signal.SIGKILL)
    assert stopped(idle)
    time.sleep(0.5)
    # pebble gives up on its pool when it sees a worker gone while no task ran; a task sent
    # before it noticed fails with the pool, and a new pool takes the next ones.
    answers, broken = [], 0
    while not answers and broken < 3:
        try:
            answers.append(tasks.submit(pow, 2, 5).result(timeout=60))
        except BrokenProcessPool:
            broken += 1
    assert answers == [32] and broken <= 1


def test_workers_that_cannot_start_break_the_pool_instead_of_looping(pool):
    tasks = pool(1, initializer=sys.exit)  # every worker exits before its first task
    for _ in range(MAX_FUTILE_POOLS):
        with pytest.raises(BrokenProcessPool):
            tasks.submit(pow, 2, 2).result(timeout=60)
    started = time.monotonic()
    with pytest.raises(BrokenProcessPool, match="in a row"):
        tasks.submit(pow, 2, 2)  # refused at once: no more workers are started
    assert time.monotonic() - started < 1


def test_a_cancelled_task_does_not_shift_the_answers(pool):
    tasks = pool(1)
    first = tasks.submit(time.sleep, 0.3)
    rest = [tasks.submit(pow, n, 3) for n in range(4)]
    time.sleep(0.05)
    first.cancel()
    assert [f.result(timeout=60) for f in rest] == [n ** 3 for n in range(4)]
    with pytest.raises(CancelledError):
        first.result()


def test_a_task_past_the_time_limit_fails_alone_and_its_worker_is_replaced(pool):
    tasks = pool(1, task_timeout=1.0)
    first = tasks.submit(os.getpid).result(timeout=60)
    stuck = tasks.submit(time.sleep, 30)
    time.sleep(0.05)
    behind = tasks.submit(pow, 3, 2)  # queued behind the stuck one
    started = time.monotonic()
    with pytest.raises(TimeoutError):
        stuck.result(timeout=20)
    assert time.monotonic() - started < 10
    assert behind.result(timeout=20) == 9  # run by the new worker
    assert tasks.submit(os.getpid).result(timeout=20) != first
    assert stopped(first)


def test_without_a_time_limit_a_slow_task_is_waited_for(pool):
    tasks = pool(1)
    assert tasks.submit(time.sleep, 1.2).result(timeout=60) is None


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


def test_allocator_thresholds_are_set_exactly_where_the_c_library_is_glibc():
    assert keep_freed_memory() is (platform.libc_ver()[0] == "glibc")


def test_a_worker_leaves_what_it_inherited_out_of_garbage_collection(pool):
    tasks = pool(1)
    frozen = tasks.submit(gc.get_freeze_count).result(timeout=60)
    # the inherited modules: thousands of objects, none of them this test's
    assert frozen > 10_000
    assert gc.get_freeze_count() == 0


def test_without_glibc_the_allocator_is_left_as_it_is(monkeypatch):
    import newscrawl.workers as workers

    def no_library(name: str) -> None:
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(workers.ctypes, "CDLL", no_library)
    assert keep_freed_memory() is False


def test_fork_server_preloads_only_when_its_workers_have_our_package(pool, monkeypatch):
    import newscrawl.workers as workers

    same = pool(1, tasks_per_worker=5)
    assert same.submit(pow, 2, 3).result(timeout=60) == 8
    assert same._preload  # the fork server imported the site profiles once for all
    same.close()
    stop_fork_server()
    # A worker that answers differently stands for a fork server that found another copy.
    monkeypatch.setattr(workers, "_PACKAGE_FILE", "__import__('os').getpid()")
    other = pool(1, tasks_per_worker=5)
    assert other.submit(pow, 2, 3).result(timeout=60) == 8
    assert other._preload == []


def _imported(name: str) -> bool:
    return name in sys.modules


@pytest.mark.parametrize(("workers", "preloaded"), [(1, False), (2, True)])
def test_shared_preloads_go_into_the_fork_server_only_for_several_workers(
        pool, workers, preloaded):
    # colorsys: a standard module nothing of ours imports.
    tasks = pool(workers, tasks_per_worker=5, shared_preload=["colorsys"])
    assert tasks.submit(_imported, "colorsys").result(timeout=60) is preloaded
    assert tasks.submit(_imported, "newscrawl.sites").result(timeout=60)
