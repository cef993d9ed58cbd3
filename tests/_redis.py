"""A real Redis server for the distributed tests: `redis-server` on 127.0.0.1, a free port,
a temporary folder, no persistence; stopped when the test ends."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support import servers

REDIS_SERVER = servers.redis_executable()


def need_redis() -> None:
    """Skip (with the reason) where Redis cannot run; in CI, which installs it (.ci/run),
    a missing server is a failure, not a skip."""
    if REDIS_SERVER is None:
        if os.environ.get("CI"):
            pytest.fail("redis-server is missing although .ci/run installs it")
        pytest.skip("redis-server is not installed (apt-get install redis-server)")
    pytest.importorskip("scrapy_redis", reason="pip install 'newscrawl[redis]'")


@contextlib.contextmanager
def redis_server(folder: Path) -> Iterator[str]:
    """Start redis-server; yields its URL."""
    need_redis()
    with servers.redis_server(folder) as url:
        yield url
