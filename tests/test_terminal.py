"""The terminal of `newscrawl crawl`: live progress on a terminal, plain lines elsewhere, and
the per-site table at the end; Scrapy's log only when asked for."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys

import pytest

from newscrawl.crawl.progress import choose_mode, make_console, render_summary
from tests._crawl import ARTICLES, ROOT, newscrawl

FAST = ("-s", "NEWSCRAWL_EXTRACT_WORKERS=0")


def crawl(tmp_path, *args: str) -> subprocess.CompletedProcess:
    return newscrawl("crawl", "sputnik", "--mirror", "--state", str(tmp_path / "state.sqlite"),
                     "--data-dir", str(tmp_path / "data"), *FAST, *args)


def test_off_a_terminal_the_run_prints_the_table_and_no_scrapy_dump(tmp_path):
    stats = tmp_path / "stats.json"
    result = crawl(tmp_path, "--stats", str(stats))
    assert result.returncode == 0, result.stderr[-3000:]
    # No start-up dump (versions, settings, middleware lists) and no animation codes.
    assert "Overridden settings" not in result.stderr
    assert "Enabled extensions" not in result.stderr
    assert "\x1b[" not in result.stdout
    summary = json.loads(stats.read_text())
    [row] = [line for line in result.stdout.splitlines() if line.startswith("│ sputnik ")]
    cells = [cell.strip() for cell in row.strip("│").split("│")]
    sputnik = summary["sites"]["sputnik"]
    assert cells[1:5] == [str(sputnik["fetched"]), str(len(ARTICLES)),
                          str(sputnik["skipped_as_seen"]), str(sputnik["duplicates"])]
    assert f"{summary['pages_fetched']} pages, {len(ARTICLES)} new articles" in result.stdout


def test_a_second_run_counts_the_articles_skipped_as_seen_per_site(tmp_path):
    assert crawl(tmp_path).returncode == 0
    stats = tmp_path / "stats.json"
    result = crawl(tmp_path, "--stats", str(stats))
    assert result.returncode == 0, result.stderr[-3000:]
    sputnik = json.loads(stats.read_text())["sites"]["sputnik"]
    assert sputnik["written"] == 0 and sputnik["skipped_as_seen"] == len(ARTICLES)


def test_log_level_info_and_logfile_bring_back_scrapys_log(tmp_path):
    logfile = tmp_path / "crawl.log"
    result = crawl(tmp_path, "--logfile", str(logfile))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "Enabled extensions" in logfile.read_text()
    assert "Enabled extensions" not in result.stderr
    loud = crawl(tmp_path, "-L", "INFO", "--no-state")
    assert "Enabled extensions" in loud.stderr


def _run_on_a_terminal(command: list[str], timeout: float = 90) -> tuple[int, str]:
    leader, follower = pty.openpty()
    child = subprocess.Popen(command, cwd=ROOT, stdout=follower, stderr=follower,
                             stdin=subprocess.DEVNULL, env=dict(os.environ, COLUMNS="160"))
    os.close(follower)
    chunks: list[bytes] = []
    while True:
        ready, _, _ = select.select([leader], [], [], timeout)
        if not ready:
            child.kill()
            pytest.fail("the crawl on a terminal stopped answering")
        try:
            chunk = os.read(leader, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(leader)
    return child.wait(timeout=30), b"".join(chunks).decode("utf-8", "replace")


def test_on_a_terminal_the_progress_is_redrawn_in_place(tmp_path):
    code, screen = _run_on_a_terminal([
        sys.executable, "-m", "newscrawl", "crawl", "sputnik", "--mirror", "--state",
        str(tmp_path / "state.sqlite"), "--data-dir", str(tmp_path / "data"), *FAST])
    assert code == 0, screen[-3000:]
    assert "\x1b[2K" in screen  # erase line: the bar is redrawn where it stands
    assert "pages/s" in screen and "queued" in screen
    assert "sputnik" in screen and "new articles" in screen


def test_choose_mode_follows_the_stream():
    class Stream(io.StringIO):
        def __init__(self, tty: bool) -> None:
            super().__init__()
            self.tty = tty

        def isatty(self) -> bool:
            return self.tty

    assert choose_mode("auto", Stream(True)) == "live"
    assert choose_mode("auto", Stream(False)) == "plain"
    assert choose_mode("plain", Stream(True)) == "plain"
    with pytest.raises(ValueError, match="NEWSCRAWL_TERMINAL"):
        choose_mode("fancy", Stream(True))


def test_fields_under_their_threshold_are_marked():
    site = {"items": 2, "written": 2, "fetched": 5, "duplicates": 0, "skipped_as_seen": 1,
            "errors": {"http_404": 3},
            "fields": {"headline": 1.0, "body": 1.0, "published": 1.0, "design": 0.5},
            "thresholds": {"body": 0.9, "design": 0.9}}
    summary = {"finish_reason": "finished", "pages_fetched": 5, "articles_written": 2,
               "skipped_as_seen": 1, "dropped_as_duplicates": 0, "errors": {"http_404": 3},
               "error_count": 3, "elapsed_seconds": 1.0, "sites": {"a": site}, "broken": []}
    out = io.StringIO()
    render_summary(summary, make_console("plain", out))
    text = out.getvalue()
    assert "✗ design 50% (< 90%)" in text
    assert "✗ body" not in text and "body 100%" in text
    assert "http_404 3" in text


def test_the_logged_progress_line_is_left_to_the_terminal_when_it_is_on():
    from scrapy.exceptions import NotConfigured
    from scrapy.utils.test import get_crawler

    from newscrawl.crawl.extensions.report import Progress

    assert Progress.from_crawler(get_crawler(settings_dict={"NEWSCRAWL_TERMINAL": "off"}))
    with pytest.raises(NotConfigured):
        Progress.from_crawler(get_crawler(settings_dict={"NEWSCRAWL_TERMINAL": "plain"}))
