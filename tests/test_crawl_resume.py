"""Pause and resume with JOBDIR: Ctrl-C once stops gracefully, the same command resumes."""

from __future__ import annotations

import json
import signal
import subprocess
import time

from newscrawl.crawl.mirror import key_of, synthetic_sets
from tests._crawl import ARTICLES, ROOT, crawl_command, hits, mirror, read_jsonl

STORIES = 100


def synthetic_paths() -> set[str]:
    [stories] = synthetic_sets(STORIES, sites=["sputnik"])
    return {key_of(stories.url(i))[1] for i in range(STORIES)}


def wait_for_hits(tmp_path, wanted: set[str], count: int, timeout: float = 20) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if sum(h["path"] in wanted for h in hits(tmp_path)) >= count:
            return
        time.sleep(0.05)
    raise AssertionError(f"the crawl did not reach {count} stories in {timeout} s")


def test_interrupted_crawl_resumes_where_it_stopped(tmp_path):
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    wanted = synthetic_paths()
    with mirror(tmp_path, synthetic=STORIES) as base:
        command = crawl_command(
            "sputnik", "--mirror-url", base, "-o", str(out), "--stats", str(stats),
            "--state", str(tmp_path / "state.sqlite"), "--jobdir", str(tmp_path / "job"),
            "--data-dir", str(tmp_path / "data"),
            "-s", "CONCURRENT_REQUESTS=2", "-s", "DOWNLOAD_DELAY=0.01",
            "-s", "NEWSCRAWL_PROGRESS_INTERVAL=0.5")
        first = subprocess.Popen(command, cwd=ROOT, text=True, stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE)
        wait_for_hits(tmp_path, wanted, 20)
        first.send_signal(signal.SIGINT)  # once: graceful
        shown, log = first.communicate(timeout=30)
        assert first.returncode == 130, log[-3000:]
        assert "progress:" in shown  # the terminal's plain progress line (not a tty here)
        done_before = len(read_jsonl(out))
        assert 20 <= done_before < STORIES + len(ARTICLES)
        assert json.loads(stats.read_text())["finish_reason"] == "shutdown"

        second = subprocess.run(command, cwd=ROOT, text=True, capture_output=True, timeout=60)
        assert second.returncode == 0, second.stderr[-3000:]
    items = read_jsonl(out)
    story_urls = [i["url"] for i in items if key_of(i["url"])[1] in wanted]
    assert len(story_urls) == STORIES == len(set(story_urls))  # every story, once
    assert {f.url for f in ARTICLES} <= {i["url"] for i in items}
    fetched = [h["path"] for h in hits(tmp_path) if h["path"] in wanted]
    assert len(fetched) == len(set(fetched)) == STORIES  # no story page asked for twice
    assert json.loads(stats.read_text())["articles_written"] == len(items) - done_before
