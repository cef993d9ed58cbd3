"""The pipelines inside a real Scrapy crawl, enabled through ITEM_PIPELINES, twice."""

from __future__ import annotations

import ast
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def crawl(folder: Path, count: int) -> dict:
    result = subprocess.run([sys.executable, "-m", "tests.scrapy_child", str(folder),
                             str(count)], cwd=ROOT, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    return ast.literal_eval(result.stdout.strip().splitlines()[-1])


def test_two_crawls_share_state_and_dedupe(tmp_path) -> None:
    first = crawl(tmp_path, 5)
    assert first["newscrawl/written"] == 6
    assert first["newscrawl/neardup/marked"] == 1
    second = crawl(tmp_path, 7)
    assert second["test/skipped_seen"] == 5  # the spider asked the state
    assert second["newscrawl/neardup/loaded"] == 6  # every written item, copies too
    assert second["newscrawl/written"] == 2
    assert second["newscrawl/dropped/duplicate_url"] == 1
    manifests = sorted((tmp_path / "data").glob("*.manifest.json"))
    assert [json.loads(m.read_text())["status"] for m in manifests] == ["complete"] * 2
    assert not list((tmp_path / "data").glob("*.lock"))
    assert not (tmp_path / "state.sqlite.lock").exists()
