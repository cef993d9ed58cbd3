"""Run-over-run alarms: a site that went quiet, or whose extraction lost a field.

Every run leaves a record in the run history (NEWSCRAWL_HISTORY_DIR, default
`<NEWSCRAWL_DATA_DIR>/runs/`): one JSON file with the run's summary
(newscrawl.crawl.extensions.report) and its faults. When a run ends, extension `RunAlarms`
compares each site crawled with the
finished runs of the history that crawled it, the last NEWSCRAWL_ALARM_RUNS (7) of them, once
there are at least NEWSCRAWL_ALARM_MIN_RUNS (2):

- articles: the site wrote fewer new articles than NEWSCRAWL_ALARM_SHARE (0.5) of its median,
  when that median is NEWSCRAWL_ALARM_MIN_MEDIAN (2) or more: a site with a median of one new
  article per run says nothing by writing none;
- coverage: a watched field (or `design`) is filled in fewer items, by more than
  NEWSCRAWL_ALARM_COVERAGE_DROP (0.2, an absolute share), than its median share.

The alarms go into the summary (`alarms`), the terminal's table marks the sites, and
`newscrawl crawl` exits with status 3. With NEWSCRAWL_NOTIFY_URL (`--notify URL`) the alarm is
POSTed there as JSON; with NEWSCRAWL_NOTIFY_COMMAND (`--notify-command CMD`) the command runs
with the same JSON on its standard input. A run in which extraction broke (the profile's
thresholds, `broken`) notifies too. A notification that fails is logged and counted
(`newscrawl/notify/failed`); it never fails the run.
"""

from __future__ import annotations

import json
import logging
import os
import re
import shlex
import statistics
import subprocess
import urllib.request
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.crawl.extensions.report import WATCHED_FIELDS, summary_ready

logger = logging.getLogger(__name__)

HISTORY_SUBDIR = "runs"
FAULT_PREFIX = "newscrawl/faults/"
COVERAGE_FIELDS = (*WATCHED_FIELDS, "design")


def history_dir(settings: Any) -> Path:
    configured = settings.get("NEWSCRAWL_HISTORY_DIR")
    if configured:
        return Path(configured)
    return Path(settings.get("NEWSCRAWL_DATA_DIR") or "data") / HISTORY_SUBDIR


def read_history(folder: Path) -> list[dict[str, Any]]:
    """The run records in `folder`, oldest first; unreadable files are skipped (logged)."""
    records = []
    for path in sorted(folder.glob("*.json")) if folder.is_dir() else ():
        try:
            record = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as error:
            logger.warning("run history: skipped %s (%s)", path, error)
            continue
        if isinstance(record, dict) and isinstance(record.get("sites"), dict):
            records.append(record)
    return sorted(records, key=lambda r: str(r.get("finished_at") or ""))


def _median(values: list[float]) -> float:
    return float(statistics.median(values))


def find_alarms(summary: dict[str, Any], history: list[dict[str, Any]], *, runs: int = 7,
                min_runs: int = 2, share: float = 0.5, coverage_drop: float = 0.2,
                min_median: float = 2.0) -> list[dict[str, Any]]:
    """The alarms of a run's summary against earlier run records (see the module doc)."""
    finished = [r for r in history if r.get("finish_reason") == "finished"]
    alarms: list[dict[str, Any]] = []
    for site, entry in sorted(summary["sites"].items()):
        earlier = [r["sites"][site] for r in finished if site in r["sites"]][-runs:]
        if len(earlier) < max(min_runs, 1):
            continue
        median = _median([e.get("written", 0) for e in earlier])
        written = entry.get("written", 0)
        if median >= min_median and written < share * median:
            alarms.append({
                "site": site, "kind": "articles", "value": written, "median": median,
                "runs": len(earlier),
                "message": f"site {site}: {written} new articles, below {share:.0%} of its "
                           f"median of {median:g} over the last {len(earlier)} runs"})
        if not entry.get("items"):
            continue  # no items: no coverage to judge (the article count speaks)
        judged = [e for e in earlier if e.get("items")]
        if len(judged) < max(min_runs, 1):
            continue
        for name in COVERAGE_FIELDS:
            usual = _median([e.get("fields", {}).get(name, 0.0) for e in judged])
            now = entry["fields"].get(name, 0.0)
            if now < usual - coverage_drop:
                alarms.append({
                    "site": site, "kind": "coverage", "field": name, "value": now,
                    "median": usual, "runs": len(judged),
                    "message": f"site {site}: field {name} in {now:.0%} of items, down from "
                               f"a median of {usual:.0%} over the last {len(judged)} runs"})
    return alarms


def run_record(summary: dict[str, Any], stats: dict[str, Any], *, run: str,
               started_at: str | None, finished_at: str) -> dict[str, Any]:
    faults = {key.removeprefix(FAULT_PREFIX): value for key, value in sorted(stats.items())
              if key.startswith(FAULT_PREFIX) and key != FAULT_PREFIX + "total"}
    return {"run": run, "started_at": started_at, "finished_at": finished_at, **summary,
            "faults": faults}


def write_record(folder: Path, record: dict[str, Any]) -> Path:
    """Atomically, so that a reader never sees half a record."""
    folder.mkdir(parents=True, exist_ok=True)
    # The run id may come from a setting: never let it name a path outside the folder.
    name = re.sub(r"[^A-Za-z0-9._-]", "_", str(record["run"])).lstrip(".") or "run"
    path = folder / f"{name}.json"
    temporary = path.with_name(path.name + ".tmp")
    temporary.write_text(json.dumps(record, indent=2, sort_keys=True, default=str) + "\n",
                         "utf-8")
    os.replace(temporary, path)
    return path


def notify(payload: dict[str, Any], *, url: str = "", command: str = "",
           timeout: float = 10.0) -> list[str]:
    """POST `payload` to `url` and/or run `command` with it on stdin; the failures, if any."""
    body = json.dumps(payload, sort_keys=True).encode("utf-8")
    failures = []
    if url:
        request = urllib.request.Request(url, data=body, method="POST",
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
                answer.read()
        except OSError as error:
            failures.append(f"POST {url}: {error}")
    if command:
        try:
            done = subprocess.run(shlex.split(command), input=body, timeout=timeout,
                                  capture_output=True, check=False)
        except (OSError, subprocess.TimeoutExpired, ValueError) as error:
            failures.append(f"{command}: {error}")
        else:
            if done.returncode != 0:
                failures.append(f"{command}: exit status {done.returncode}: "
                                f"{done.stderr.decode('utf-8', 'replace').strip()[-300:]}")
    return failures


class RunAlarms:
    """Extension: see the module doc. Off with NEWSCRAWL_ALARMS = False."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.folder = history_dir(settings)
        self.runs = settings.getint("NEWSCRAWL_ALARM_RUNS", 7)
        self.min_runs = settings.getint("NEWSCRAWL_ALARM_MIN_RUNS", 2)
        self.share = settings.getfloat("NEWSCRAWL_ALARM_SHARE", 0.5)
        self.coverage_drop = settings.getfloat("NEWSCRAWL_ALARM_COVERAGE_DROP", 0.2)
        self.min_median = settings.getfloat("NEWSCRAWL_ALARM_MIN_MEDIAN", 2.0)
        self.notify_url = settings.get("NEWSCRAWL_NOTIFY_URL") or ""
        self.notify_command = settings.get("NEWSCRAWL_NOTIFY_COMMAND") or ""
        self.notify_timeout = settings.getfloat("NEWSCRAWL_NOTIFY_TIMEOUT", 10.0)
        self.run_id = settings.get("NEWSCRAWL_RUN_ID") or ""
        self.started_at: str | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunAlarms:
        if not crawler.settings.getbool("NEWSCRAWL_ALARMS", True):
            raise NotConfigured
        if crawler.settings.get("REDIS_URL"):
            # A worker of a distributed crawl fetches only its share of the pages: its counts
            # are no run's, and workers finishing one after another would judge each other.
            raise NotConfigured("run-over-run alarms judge whole runs, not distributed workers")
        extension = cls(crawler)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.summary_ready, signal=summary_ready)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        now = datetime.now(UTC)
        self.started_at = now.isoformat()
        if not self.run_id:
            self.run_id = now.strftime("run-%Y%m%d-%H%M%S") + f"-{os.getpid()}"

    def summary_ready(self, summary: dict[str, Any], spider: Spider | None = None) -> None:
        history = read_history(self.folder)
        summary["alarms"] = find_alarms(summary, history, runs=self.runs,
                                        min_runs=self.min_runs, share=self.share,
                                        coverage_drop=self.coverage_drop,
                                        min_median=self.min_median)
        for alarm in summary["alarms"]:
            logger.warning("alarm: %s", alarm["message"])
        record = run_record(summary, self.crawler.stats.get_stats(), run=self.run_id,
                            started_at=self.started_at,
                            finished_at=datetime.now(UTC).isoformat())
        try:
            write_record(self.folder, record)
        except OSError as error:
            logger.error("run history: could not write the run's record in %s: %s",
                         self.folder, error)
        if (summary["alarms"] or summary["broken"]) and (self.notify_url or
                                                         self.notify_command):
            self.send(record)

    def send(self, record: dict[str, Any]) -> None:
        payload = {key: record[key] for key in ("run", "started_at", "finished_at",
                                                "finish_reason", "pages_fetched",
                                                "articles_written", "error_count", "alarms",
                                                "broken")}
        for failure in notify(payload, url=self.notify_url, command=self.notify_command,
                              timeout=self.notify_timeout):
            self.crawler.stats.inc_value("newscrawl/notify/failed")
            logger.error("notification failed: %s", failure)
