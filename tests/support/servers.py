"""Local servers for tests and benchmarks: a free loopback port, and a throwaway redis-server."""

from __future__ import annotations

import contextlib
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def redis_executable() -> str | None:
    return shutil.which("redis-server")


@contextlib.contextmanager
def redis_server(folder: Path, timeout: float = 10) -> Iterator[str]:
    """Run `redis-server` on 127.0.0.1 at a free port, without persistence, its files in
    `folder`; yields its URL once it answers, and stops it when the block ends."""
    import redis

    executable = redis_executable()
    if executable is None:
        raise RuntimeError("redis-server is not installed (apt-get install redis-server)")
    folder.mkdir(parents=True, exist_ok=True)
    port = free_port()
    child = subprocess.Popen(
        [executable, "--port", str(port), "--bind", "127.0.0.1", "--dir", str(folder),
         "--save", "", "--appendonly", "no", "--daemonize", "no", "--protected-mode", "yes",
         "--logfile", str(folder / "redis.log")],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"redis://127.0.0.1:{port}/0"
    try:
        _wait_for_ping(redis.Redis.from_url(url), child, time.monotonic() + timeout)
        yield url
    finally:
        child.terminate()
        try:
            child.wait(timeout=10)
        except subprocess.TimeoutExpired:
            child.kill()
            child.wait()


def _wait_for_ping(client: object, child: subprocess.Popen, deadline: float) -> None:
    import redis

    try:
        while True:
            try:
                client.ping()  # type: ignore[attr-defined]
                return
            except redis.ConnectionError:
                if time.monotonic() > deadline or child.poll() is not None:
                    raise RuntimeError("redis-server did not start") from None
                time.sleep(0.05)
    finally:
        client.close()  # type: ignore[attr-defined]
