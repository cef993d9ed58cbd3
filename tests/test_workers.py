"""Worker pools that replace their processes (newscrawl.workers)."""

from __future__ import annotations

import os
import platform

from newscrawl.workers import RecyclingPool, keep_freed_memory, stop_fork_server
from tests.support.processes import cmdline, processes


def test_workers_are_replaced_after_their_share_of_tasks_and_none_outlives_the_pool():
    pool = RecyclingPool(1, tasks_per_worker=3)
    try:
        pids = [future.result(timeout=60)
                for future in [pool.submit(os.getpid) for _ in range(7)]]
        assert [pow(n, 2) for n in range(4)] == [
            pool.submit(pow, n, 2).result(timeout=60) for n in range(4)]
    finally:
        pool.shutdown()
        stop_fork_server()
    assert len(set(pids[0:3])) == len(set(pids[3:6])) == 1
    assert len({pids[0], pids[3], pids[6]}) == 3
    assert os.getpid() not in pids
    # The fork server was reaped too (multiprocessing's resource tracker lives on).
    assert not any(b"forkserver" in cmdline(pid) for pid in children(os.getpid()))


def children(parent: int) -> list[int]:
    return [entry.pid for entry in processes() if entry.parent == parent]


def test_allocator_thresholds_are_set_exactly_where_the_c_library_is_glibc():
    assert keep_freed_memory() is (platform.libc_ver()[0] == "glibc")


def test_without_glibc_the_allocator_is_left_as_it_is(monkeypatch):
    import newscrawl.workers as workers

    def no_library(name: str) -> None:
        raise OSError(f"{name}: cannot open shared object file")

    monkeypatch.setattr(workers.ctypes, "CDLL", no_library)
    assert keep_freed_memory() is False


def test_fork_server_preloads_only_when_its_workers_have_our_package(monkeypatch):
    import newscrawl.workers as workers

    same = RecyclingPool(1, tasks_per_worker=5)
    try:
        assert same.submit(pow, 2, 3).result(timeout=60) == 8
        assert same._preload  # the fork server imported the site profiles once for all
    finally:
        same.shutdown()
        stop_fork_server()
    # A worker that answers differently stands for a fork server that found another copy.
    monkeypatch.setattr(workers, "_PACKAGE_FILE", "__import__('os').getpid()")
    other = RecyclingPool(1, tasks_per_worker=5)
    try:
        assert other.submit(pow, 2, 3).result(timeout=60) == 8
        assert other._preload == []
    finally:
        other.shutdown()
        stop_fork_server()
