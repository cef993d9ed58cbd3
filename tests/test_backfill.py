"""Backfill: `--until` for a bounded crawl window, and `newscrawl backfill --wayback` against a
local server speaking the CDX API (nothing contacts the real archive)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from newscrawl import fixtures as store
from newscrawl.crawl.horizon import is_after
from newscrawl.crawl.wayback import cdx_query, parse_cdx
from tests._crawl import ARTICLES, ROOT, newscrawl, read_jsonl
from tests._http import running
from tests._wayback import ArchiveServer, FakeCapture

FAST = ("-s", "NEWSCRAWL_EXTRACT_WORKERS=0")
WEEK = [f"202405{day:02d}120000" for day in range(13, 20)]  # 13 to 19 May 2024, noon
SECTION = next(f for f in store.iter_fixtures(["sputnik"]) if f.kind == "listing")


def week_of_captures() -> list[FakeCapture]:
    """Each Sputnik story captured every day of the week (the fixture page each time), the
    section page daily, a story captured the day before and the day after the window, and a
    capture of a story that was a 404 then."""
    captures = [FakeCapture(stamp, f.url, f.html()) for stamp in WEEK for f in ARTICLES]
    captures += [FakeCapture(stamp, SECTION.url, SECTION.html()) for stamp in WEEK]
    captures += [FakeCapture("20240512235959", ARTICLES[0].url, ARTICLES[0].html()),
                 FakeCapture("20240520000000", ARTICLES[0].url, ARTICLES[0].html()),
                 FakeCapture("20240514080000", "https://sputnikglobe.com/20240514/gone.html",
                             b"gone", status="404")]
    return captures


def archive(captures: list[FakeCapture]) -> Any:
    return running(ArchiveServer(captures))


def backfill_command(server: ArchiveServer, tmp_path, *extra: str) -> list[str]:
    return [sys.executable, "-m", "newscrawl", "backfill", "--wayback", "sputnik",
            "--since", "2024-05-13", "--until", "2024-05-20",
            "--cdx", f"{server.url}/cdx/search/cdx", "--replay", f"{server.url}/web/",
            "--state", str(tmp_path / "state.sqlite"), "--data-dir", str(tmp_path / "data"),
            "--stats", str(tmp_path / "stats.json"), "--delay", "0",
            "-s", "NEWSCRAWL_ALLOWED_NETWORKS=127.0.0.1/32",
            "-s", "NEWSCRAWL_WAYBACK_PAGE_SIZE=4", *extra]


def written(tmp_path) -> list[dict]:
    return [item for path in sorted((tmp_path / "data").glob("*/*/*.jsonl"))
            for item in read_jsonl(path)]


def replays(server: ArchiveServer) -> list[str]:
    return [path for path in server.log if path.startswith("/web/")]


def test_a_week_of_captures_yields_each_article_once_with_its_capture(tmp_path):
    with archive(week_of_captures()) as server:
        done = subprocess.run(backfill_command(server, tmp_path), cwd=ROOT, text=True,
                              capture_output=True, timeout=120)
    assert done.returncode == 0, done.stderr[-3000:]
    items = written(tmp_path)
    assert sorted(i["url"] for i in items) == sorted(f.url for f in ARTICLES)
    first_day = datetime(2024, 5, 13, 12, tzinfo=UTC).isoformat()
    for fixture in ARTICLES:
        [item] = [i for i in items if i["url"] == fixture.url]
        assert item["capture"] == {
            "url": f"{server.url}/web/20240513120000id_/{fixture.url}",
            "timestamp": first_day, "original": fixture.url,
            "digest": item["capture"]["digest"]}
        assert item["fetched_at"].startswith("2024-05-13T12:00:00")
        # The same article a crawl of the page extracts (the capture aside).
        extracted = {key: value for key, value in item.items() if key != "capture"}
        assert store.diff_items(fixture.expected, extracted) == [], fixture.label
    # One replay per article (the first capture in the window), none of the section page.
    assert sorted(replays(server)) == sorted(f"/web/20240513120000id_/{f.url}"
                                             for f in ARTICLES)
    cdx = [path for path in server.log if path.startswith("/cdx/")]
    assert len(cdx) > len(("sputnikglobe.com", "sputniknews.com"))  # resume keys were used
    summary = json.loads((tmp_path / "stats.json").read_text())
    assert summary["articles_written"] == len(ARTICLES) and summary["error_count"] == 0


def test_a_killed_backfill_resumes_without_refetching_what_it_wrote(tmp_path):
    with archive(week_of_captures()) as server:
        # Slow and one item per write, so that the kill lands between the two articles.
        command = backfill_command(server, tmp_path, "--delay", "3",
                                   "-s", "NEWSCRAWL_JSONL_FSYNC_BATCH=1")
        child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 60
        while not written(tmp_path) and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.3)  # the state records the item right after the line is on disk
        child.kill()
        child.wait(timeout=10)
        [first] = written(tmp_path)
        before = replays(server)
        assert len(before) == 1
        done = subprocess.run(backfill_command(server, tmp_path), cwd=ROOT, text=True,
                              capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        again = replays(server)[len(before):]
    assert not any(path.endswith(first["url"]) for path in again)
    assert len(again) == len(ARTICLES) - 1
    assert sorted(i["url"] for i in written(tmp_path)) == sorted(f.url for f in ARTICLES)


def test_backfill_is_deduplicated_with_the_crawl_state(tmp_path):
    crawl = newscrawl("crawl", "sputnik", "--mirror", "--state", str(tmp_path / "state.sqlite"),
                      "--data-dir", str(tmp_path / "data"), *FAST)
    assert crawl.returncode == 0, crawl.stderr[-3000:]
    with archive(week_of_captures()) as server:
        done = subprocess.run(backfill_command(server, tmp_path), cwd=ROOT, text=True,
                              capture_output=True, timeout=120)
        assert done.returncode == 0, done.stderr[-3000:]
        assert replays(server) == []
    summary = json.loads((tmp_path / "stats.json").read_text())
    assert summary["articles_written"] == 0 and summary["skipped_as_seen"] == len(ARTICLES)


def test_cdx_pages_and_the_window_end():
    query = cdx_query("http://a/cdx", "example.com/", datetime(2024, 5, 13, tzinfo=UTC),
                      datetime(2024, 5, 20, tzinfo=UTC), limit=10, resume_key="k")
    assert "from=20240513000000" in query and "to=20240519235959" in query
    assert "resumeKey=k" in query and "matchType=prefix" in query
    rows = [["timestamp", "original", "statuscode", "mimetype", "digest"],
            ["20240513120000", "https://example.com/a", "200", "text/html", "X"], [], ["next"]]
    captures, key = parse_cdx(json.dumps(rows))
    assert key == "next" and [c.original for c in captures] == ["https://example.com/a"]
    assert captures[0].replay_url("http://a/web/") == (
        "http://a/web/20240513120000id_/https://example.com/a")
    with pytest.raises(ValueError):
        parse_cdx("<html>rate limited</html>")


def test_until_bounds_the_crawl_window(tmp_path):
    stats = tmp_path / "stats.json"
    for until, left in (("2024-01-01", True), ("2024-06-01", False)):
        result = newscrawl("crawl", "sputnik", "--mirror", "--no-state", "--until", until,
                           "--stats", str(stats), "--data-dir", str(tmp_path / until), *FAST)
        assert result.returncode == 0, result.stderr[-3000:]
        # Entries dated from 2024 on (in the sitemap, the feed, the saved section page) are
        # left out; undated links are followed, as with --since.
        assert (json.loads(stats.read_text())["skipped_as_new"] > 2) is left
    assert is_after("2024-05-17T16:22:00+00:00", datetime(2024, 5, 17, 16, 22, tzinfo=UTC))
    assert not is_after("2024-05-17", None) and not is_after(None, datetime.now(UTC))
    bad = newscrawl("crawl", "sputnik", "--since", "2024-05-01", "--until", "2024-04-01")
    assert bad.returncode == 2 and "--until (2024-04-01) must be after" in bad.stderr
