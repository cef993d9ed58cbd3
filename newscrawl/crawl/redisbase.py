"""What the parts of a crawl on Redis share (the distributed run and the Redis crawl state):
the check for the optional `redis` extra, the key prefix, worker ids and key-safe names."""

from __future__ import annotations

import hashlib
import os
import re
import socket
from typing import Any

DEFAULT_PREFIX = "newscrawl"
_SAFE = re.compile(r"[^A-Za-z0-9._+-]+")
_INSTALL_HINT = ("REDIS_URL is set, so the crawl is distributed, which needs scrapy-redis "
                 "and redis: pip install 'newscrawl[redis]'")


class MissingRedis(ImportError):
    """REDIS_URL is set but the `redis` extra is not installed."""


def require_redis() -> None:
    try:
        import redis  # noqa: F401
        import scrapy_redis  # noqa: F401
    except ImportError as error:
        raise MissingRedis(_INSTALL_HINT) from error


def safe_name(text: str, limit: int = 60) -> str:
    """Redis key and file-name safe; a short hash keeps names that cleaned alike apart."""
    cleaned = _SAFE.sub("-", text).strip("-.")[:limit]
    if cleaned == text and cleaned:
        return cleaned
    return f"{cleaned or 'x'}-{hashlib.sha256(text.encode()).hexdigest()[:8]}"


def worker_id(settings: Any) -> str:
    """NEWSCRAWL_WORKER_ID, else <host>-<pid> (unique, but a restart gets a new one)."""
    given = settings.get("NEWSCRAWL_WORKER_ID")
    return safe_name(str(given)) if given else safe_name(f"{socket.gethostname()}-{os.getpid()}")
