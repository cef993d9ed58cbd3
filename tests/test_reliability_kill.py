"""Kill -9 trials: a crawl writing with the crash-safe JSON Lines writer and CrawlState is
SIGKILLed at random moments and restarted; at the end every article is in the dataset exactly
once and every file is valid JSON Lines.

CI runs NEWSCRAWL_KILL_TRIALS (default 3) kills; by hand, at least 20:

    NEWSCRAWL_KILL_TRIALS=20 python -m pytest tests/test_reliability_kill.py -s
"""

from __future__ import annotations

import json
import os
import sys

from newscrawl.testing.crawl import ROOT, hostile_settings
from newscrawl.testing.hostile import Behaviour, HostileServer
from newscrawl.testing.killtrials import run_kill_trials
from pipelines import DEFAULT_PIPELINES

TRIALS = int(os.environ.get("NEWSCRAWL_KILL_TRIALS", "3"))
ARTICLES = 120
PEAK_RSS_LIMIT_MB = 300


def test_pages_crawl_survives_sigkill_with_every_article_exactly_once(tmp_path):
    """The `pages` spider over 120 hostile-server articles, through the default pipelines."""
    data, state = tmp_path / "data", tmp_path / "state.sqlite"
    with HostileServer(behaviour=Behaviour(articles=ARTICLES)) as server:
        urls = [server.url(f"/news/{n}.html") for n in range(1, ARTICLES + 1)]
        settings = hostile_settings(
            ITEM_PIPELINES=DEFAULT_PIPELINES, NEWSCRAWL_STATE_ENABLED=True,
            NEWSCRAWL_DATA_DIR=str(data),
            NEWSCRAWL_STATE_PATH=str(state), CONCURRENT_REQUESTS=4, DOWNLOAD_DELAY=0.02,
            LOG_LEVEL="WARNING")
        command = [sys.executable, "-m", "newscrawl.testing.crawl", "--spider", "pages",
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
