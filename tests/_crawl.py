"""Helpers for the crawl tests: run `newscrawl` in child processes, talk to the mirror."""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from newscrawl import fixtures as store
from newscrawl.crawl.mirror import spawn

ROOT = Path(__file__).resolve().parent.parent
# The crawl tests crawl the reference site; tests/test_crawl_all.py crawls every profile.
ARTICLES = [f for f in store.iter_fixtures(["sputnik"]) if f.kind == "article"]


def newscrawl(*args: str, timeout: float = 60) -> subprocess.CompletedProcess:
    """`python -m newscrawl ARGS` from the worktree, as a user runs it (own reactor)."""
    return subprocess.run([sys.executable, "-m", "newscrawl", *args], cwd=ROOT, text=True,
                          capture_output=True, timeout=timeout)


def crawl_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "newscrawl", "crawl", *args, "-s",
            "NEWSCRAWL_EXTRACT_WORKERS=0"]


@contextlib.contextmanager
def mirror(tmp_path: Path, **options: Any) -> Iterator[str]:
    """A mirror child process for the test; yields its base URL."""
    child, url = spawn(hit_log=tmp_path / "hits.jsonl", **options)
    try:
        yield url
    finally:
        child.terminate()
        child.wait(timeout=10)


def read_jsonl(path: Path) -> list[dict[str, Any]]:
    if not path.exists():
        return []
    return [json.loads(line) for line in path.read_text("utf-8").splitlines() if line.strip()]


def hits(tmp_path: Path) -> list[dict[str, Any]]:
    """The mirror's hit log; while the mirror is still appending to it, the last line may be
    half written, so only complete lines count."""
    path = tmp_path / "hits.jsonl"
    if not path.exists():
        return []
    text = path.read_text("utf-8")
    complete = text[: text.rfind("\n") + 1]
    return [json.loads(line) for line in complete.splitlines() if line.strip()]
