"""Kill -9 trials: a crawl writing with the crash-safe JSON Lines writer and CrawlState is
SIGKILLed at random moments and restarted; at the end every article is in the dataset exactly
once and every file is valid JSON Lines.

The real thing is `newscrawl crawl sputnik --mirror-url URL` against the fixture mirror with
NEWSCRAWL_KILL_SYNTHETIC synthetic stories (default 150), its extraction worker included;
the `pages` spider over the hostile server's articles is a second, simpler case.

CI runs NEWSCRAWL_KILL_TRIALS (default 3) kills each; by hand, at least 20:

    NEWSCRAWL_KILL_TRIALS=20 python -m pytest tests/test_reliability_kill.py -s
"""

from __future__ import annotations

import json
import os
import signal
import sys
import time

import pytest

from newscrawl.crawl.settings import ITEM_PIPELINES
from tests.support.crawl import ROOT, hostile_settings
from tests.support.hostile import Behaviour, HostileServer
from tests.support.killtrials import run_kill_trials
from tests.support.processes import cmdline, processes

TRIALS = int(os.environ.get("NEWSCRAWL_KILL_TRIALS", "3"))
SYNTHETIC = int(os.environ.get("NEWSCRAWL_KILL_SYNTHETIC", "150"))
ARTICLES = 120
PEAK_RSS_LIMIT_MB = 300


def test_pages_crawl_survives_sigkill_with_every_article_exactly_once(tmp_path):
    """The `pages` spider over 120 hostile-server articles, through the default pipelines."""
    data, state = tmp_path / "data", tmp_path / "state.sqlite"
    with HostileServer(behaviour=Behaviour(articles=ARTICLES)) as server:
        urls = [server.url(f"/news/{n}.html") for n in range(1, ARTICLES + 1)]
        settings = hostile_settings(
            ITEM_PIPELINES=ITEM_PIPELINES, NEWSCRAWL_STATE_ENABLED=True,
            NEWSCRAWL_DATA_DIR=str(data),
            NEWSCRAWL_STATE_PATH=str(state), CONCURRENT_REQUESTS=4, DOWNLOAD_DELAY=0.02,
            LOG_LEVEL="WARNING")
        command = [sys.executable, "-m", "tests.support.crawl", "--spider", "pages",
                   "--args", json.dumps({"urls": ",".join(urls)}),
                   "--settings", json.dumps(settings)]
        report = run_kill_trials(command, cwd=ROOT, data_dir=data, expected_urls=set(urls),
                                 trials=TRIALS, kill_after=(1.0, 5.0), seed=TRIALS,
                                 log=tmp_path / "crawl.log", run_timeout=90)
    summary = report.summary()
    print(f"\nkill trials (pages): {json.dumps(summary)}")
    (tmp_path / "kill-summary.json").write_text(json.dumps(summary, indent=2))
    assert report.final_returncode == 0, (tmp_path / "crawl.log").read_text()[-3000:]
    assert report.killed >= 1, summary  # the kills must land mid-crawl to mean anything
    assert report.dataset.invalid == []
    assert report.missing == [] and report.duplicated == {} and report.unexpected == []
    assert report.peak_rss_mb < PEAK_RSS_LIMIT_MB
    log = (tmp_path / "crawl.log").read_text()
    assert "Traceback" not in log, log[-3000:]


def _mirror_articles(synthetic: int) -> set[str]:
    """Every article the mirror serves for sputnik: its fixture articles and the synthetic
    stories (what an uninterrupted crawl writes: 152 of 152 for 150 stories)."""
    from newscrawl.crawl.mirror import synthetic_sets
    from newscrawl.fixtures import iter_fixtures

    stories = synthetic_sets(synthetic, sites=["sputnik"])[0]
    fixtures = {f.url for f in iter_fixtures(["sputnik"]) if f.kind == "article"}
    return fixtures | {stories.url(i) for i in range(synthetic)}


@pytest.fixture(scope="module")
def mirror():
    from newscrawl.crawl.mirror import spawn

    child, url = spawn(synthetic=SYNTHETIC, sites=["sputnik"])
    try:
        yield url
    finally:
        child.terminate()
        child.wait(timeout=10)


def test_newscrawl_crawl_survives_sigkill_with_every_article_exactly_once(mirror, tmp_path):
    data, state = tmp_path / "data", tmp_path / "state.sqlite"
    command = [sys.executable, "-m", "newscrawl", "crawl", "sputnik", "--mirror-url", mirror,
               "--data-dir", str(data), "--state", str(state), "--workers", "1",
               "-L", "WARNING",
               # Back-to-back runs of one crawl are no schedule: the last one writes only the
               # remainder, which the run-over-run alarm would call a site gone quiet.
               "-s", "NEWSCRAWL_ALARMS=False"]
    expected = _mirror_articles(SYNTHETIC)
    report = run_kill_trials(command, cwd=ROOT, data_dir=data, expected_urls=expected,
                             trials=TRIALS, kill_after=(0.5, 9.0), seed=TRIALS,
                             log=tmp_path / "crawl.log", run_timeout=120)
    summary = report.summary()
    print(f"\nkill trials (newscrawl crawl): {json.dumps(summary)}")
    (tmp_path / "kill-summary.json").write_text(json.dumps(summary, indent=2))
    log = (tmp_path / "crawl.log").read_text()
    assert report.final_returncode == 0, log[-3000:]
    assert report.killed >= 1, summary
    assert report.survivors == 0  # the extraction worker dies with the crawl
    assert report.dataset.invalid == []
    assert report.missing == [], report.missing[:5]
    assert report.duplicated == {} and report.unexpected == []
    assert report.peak_rss_mb < PEAK_RSS_LIMIT_MB
    assert "Traceback" not in log, log[-3000:]


def _processes_mentioning(marker: str) -> list[int]:
    mark = marker.encode()
    return [entry.pid for entry in processes()
            if mark in cmdline(entry.pid).replace(b"\0", b" ")]


def test_sigkill_of_a_crawl_with_its_own_mirror_leaves_no_process_behind(tmp_path):
    hit_log = tmp_path / "mirror-hits.jsonl"  # a unique mark on the mirror's command line
    command = [sys.executable, "-m", "newscrawl", "crawl", "sputnik", "--mirror",
               "--mirror-log", str(hit_log), "--data-dir", str(tmp_path / "data"),
               "--state", str(tmp_path / "state.sqlite"), "--workers", "0", "-L", "ERROR"]
    import subprocess

    crawl = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.DEVNULL, start_new_session=True)
    deadline = time.monotonic() + 30
    while not hit_log.exists() and time.monotonic() < deadline:
        time.sleep(0.1)  # the mirror has served a request: the crawl is under way
    os.killpg(crawl.pid, signal.SIGKILL)
    crawl.wait(timeout=10)
    deadline = time.monotonic() + 5  # the mirror notices its parent is gone within a second
    while _processes_mentioning(str(hit_log)) and time.monotonic() < deadline:
        time.sleep(0.2)
    orphans = _processes_mentioning(str(hit_log))
    for pid in orphans:  # ours: started by this test's crawl; ended by id
        os.kill(pid, signal.SIGKILL)
    assert orphans == []
