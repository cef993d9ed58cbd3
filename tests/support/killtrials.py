"""Kill -9 trials: start a crawl, SIGKILL it at a random moment, start it again, repeat; then
let it finish and check the dataset: every expected article exactly once, every file valid
JSON Lines.

The crawl command is the caller's (the real `newscrawl crawl`, or a spider run through
`tests.support.crawl`); it must write with the crash-safe JSON Lines writer under
`data_dir` and keep its CrawlState beside it, so that a restart resumes.
"""

from __future__ import annotations

import json
import os
import random
import signal
import subprocess
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.processes import peak_rss_kb, processes, reap

MANIFEST_SUFFIX = ".manifest.json"


@dataclass
class Dataset:
    urls: Counter[str] = field(default_factory=Counter)
    files: int = 0
    lines: int = 0
    invalid: list[str] = field(default_factory=list)  # "file:line: why"


def read_dataset(data_dir: Path) -> Dataset:
    """Every line of every JSON Lines file under data_dir, checked strictly."""
    dataset = Dataset()
    for path in sorted(data_dir.rglob("*.jsonl")):
        dataset.files += 1
        data = path.read_bytes()
        if data and not data.endswith(b"\n"):
            dataset.invalid.append(f"{path}: last line has no newline (torn write)")
        for number, line in enumerate(data.splitlines(), 1):
            dataset.lines += 1
            try:
                item = json.loads(line)
            except ValueError as error:
                dataset.invalid.append(f"{path}:{number}: {error}")
                continue
            if not isinstance(item, dict) or "url" not in item:
                dataset.invalid.append(f"{path}:{number}: not an item")
                continue
            dataset.urls[item["url"]] += 1
    return dataset


@dataclass
class TrialReport:
    trials: int = 0
    killed: int = 0  # runs SIGKILLed while still running
    ended_before_kill: int = 0  # runs that were done before the kill came
    final_returncode: int | None = None
    peak_rss_mb: float = 0.0
    seconds: float = 0.0
    kill_times: list[float] = field(default_factory=list)
    lines_after_kill: list[int] = field(default_factory=list)  # progress the kills cut into
    torn_after_kill: int = 0  # files a kill left with a torn last line (repaired on resume)
    survivors: int = 0  # kills after which a process of the crawl's group was still alive
    dataset: Dataset = field(default_factory=Dataset)
    missing: list[str] = field(default_factory=list)
    duplicated: dict[str, int] = field(default_factory=dict)
    unexpected: list[str] = field(default_factory=list)

    @property
    def items_lost(self) -> int:
        return len(self.missing)

    def summary(self) -> dict[str, object]:
        return {"trials": self.trials, "killed": self.killed,
                "ended_before_kill": self.ended_before_kill,
                "lines_after_each_kill": self.lines_after_kill,
                "torn_after_kill": self.torn_after_kill, "survivors": self.survivors,
                "final_returncode": self.final_returncode,
                "articles": len(self.dataset.urls), "lines": self.dataset.lines,
                "files": self.dataset.files, "invalid_lines": len(self.dataset.invalid),
                "items_lost": self.items_lost, "duplicates": len(self.duplicated),
                "unexpected": len(self.unexpected), "peak_rss_mb": round(self.peak_rss_mb, 1),
                "seconds": round(self.seconds, 1)}


def _dataset_bytes(data_dir: Path) -> int:
    return sum(p.stat().st_size for p in data_dir.rglob("*.jsonl")) if data_dir.exists() else 0


def _live_members(group: int) -> list[int]:
    """Live processes of a process group (zombies waiting for their reaper are dead)."""
    return [entry.pid for entry in processes() if entry.group == group and entry.alive]


def _group_survives(group: int, grace: float = 2.0) -> bool:
    """Whether any process of the killed crawl's process group (an extraction worker, say)
    is still alive after `grace` seconds; if so it is killed, by its pid."""
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        if not _live_members(group):
            return False
        time.sleep(0.05)
    for pid in _live_members(group):
        os.kill(pid, signal.SIGKILL)
    return True


def _start(command: Sequence[str], cwd: Path, log: Path, env: dict[str, str] | None
           ) -> subprocess.Popen:
    # Its own process group, so the kill also reaches any helper process the crawl started.
    with log.open("ab") as out:
        return subprocess.Popen(list(command), cwd=cwd, stdout=out, stderr=subprocess.STDOUT,
                                env=env, start_new_session=True)


def run_kill_trials(command: Sequence[str], *, cwd: Path, data_dir: Path,
                    expected_urls: set[str], trials: int, kill_after: tuple[float, float],
                    seed: int = 0, run_timeout: float = 120.0, log: Path,
                    env: dict[str, str] | None = None) -> TrialReport:
    """`trials` runs each SIGKILLed at a random moment (see below), then one run left to
    finish; then the dataset is checked against `expected_urls`."""
    rng = random.Random(seed)
    report = TrialReport()
    started = time.monotonic()
    for trial in range(trials):
        report.trials += 1
        size_before = _dataset_bytes(data_dir)
        process = _start(command, cwd, log, env)
        # Even trials die at a random moment after the run has written something new (mid
        # write phase, wherever a batch happens to be); odd ones at a random moment in
        # `kill_after` seconds, which also catches start-up, recovery and shutdown.
        after_progress = trial % 2 == 0
        delay = rng.uniform(0.0, 1.5) if after_progress else rng.uniform(*kill_after)
        peak_kb, kill_at = 0, None if after_progress else time.monotonic() + delay
        give_up_at = time.monotonic() + run_timeout
        while process.poll() is None and time.monotonic() < give_up_at:
            peak_kb = max(peak_kb, peak_rss_kb(process.pid))
            if kill_at is None and _dataset_bytes(data_dir) > size_before:
                kill_at = time.monotonic() + delay
            if kill_at is not None and time.monotonic() >= kill_at:
                break
            time.sleep(0.02)
        if process.returncode is None:
            os.killpg(process.pid, signal.SIGKILL)
            report.killed += 1
            report.kill_times.append(round(delay, 2))
        else:
            report.ended_before_kill += 1
        _, peak = reap(process, time.monotonic() + run_timeout, peak_kb, group=True)
        report.peak_rss_mb = max(report.peak_rss_mb, peak)
        report.survivors += _group_survives(process.pid)
        between = read_dataset(data_dir)
        report.lines_after_kill.append(between.lines)
        report.torn_after_kill += sum("torn" in problem for problem in between.invalid)
    process = _start(command, cwd, log, env)
    report.final_returncode, peak = reap(process, time.monotonic() + run_timeout,
                                         group=True)
    report.peak_rss_mb = max(report.peak_rss_mb, peak)
    report.seconds = time.monotonic() - started
    report.dataset = read_dataset(data_dir)
    urls = report.dataset.urls
    report.missing = sorted(expected_urls - set(urls))
    report.duplicated = {url: n for url, n in urls.items() if n > 1}
    report.unexpected = sorted(set(urls) - expected_urls)
    return report
