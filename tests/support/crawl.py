"""Run a crawl in a child process and collect what it did: items, stats, log and peak memory.

A child process, because a crawl that misbehaves (a hang, a leak, a crash) must not take the
test run with it, and because its peak memory can then be measured on its own (`os.wait4`).

    python -m tests.support.crawl --spider pages --args '{"urls": "..."}' --out DIR
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from tests.support.processes import peak_rss_kb, reap

ROOT = Path(__file__).resolve().parent.parent.parent


@dataclass
class CrawlResult:
    returncode: int
    seconds: float
    peak_rss_mb: float
    items: list[dict[str, Any]] = field(default_factory=list)
    stats: dict[str, Any] = field(default_factory=dict)
    log: str = ""

    def faults(self) -> dict[str, int]:
        prefix = "newscrawl/faults/"
        return {k.removeprefix(prefix): v for k, v in self.stats.items()
                if k.startswith(prefix)}

    def by_url(self) -> dict[str, dict[str, Any]]:
        return {item["url"]: item for item in self.items}


def run_crawl(spider: str, spider_args: dict[str, str], settings: dict[str, Any],
              workdir: Path, *, timeout: float = 90.0) -> CrawlResult:
    """Crawl with `spider` (a name, or `module:Class`) in a child process, bounded in time."""
    workdir.mkdir(parents=True, exist_ok=True)
    items, stats, log = workdir / "items.jsonl", workdir / "stats.json", workdir / "crawl.log"
    for path in (items, stats, log):
        path.unlink(missing_ok=True)
    settings = {"FEEDS": {str(items): {"format": "jsonlines"}}, "LOG_FILE": str(log),
                **settings}
    command = [sys.executable, "-m", "tests.support.crawl", "--spider", spider,
               "--args", json.dumps(spider_args), "--settings", json.dumps(settings),
               "--stats", str(stats)]
    started = time.monotonic()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                               stderr=(workdir / "stderr.txt").open("wb"))
    code, peak = reap(process, started + timeout)
    result = CrawlResult(code, time.monotonic() - started, peak)
    if items.exists():
        result.items = [json.loads(line) for line in items.read_text().splitlines() if line]
    if stats.exists():
        result.stats = json.loads(stats.read_text())
        # The child's own final reading catches a peak between two samples.
        result.peak_rss_mb = max(peak, result.stats.get("newscrawl/peak_rss_kb", 0) / 1024)
    result.log = (log.read_text(errors="replace") if log.exists() else "") + (
        workdir / "stderr.txt").read_text(errors="replace")
    return result


def hostile_settings(**overrides: Any) -> dict[str, Any]:
    """Settings for a crawl of the hostile server: the product's defaults, made quick (short
    timeout and backoff, no politeness delay), with only 127.0.0.1 and the "other site"
    stand-in allowed and the forbidden stand-ins declared forbidden."""
    from tests.support.hostile import CANARIES, FORBIDDEN_CANARIES

    settings: dict[str, Any] = {
        "ROBOTSTXT_OBEY": False, "AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0,
        "DOWNLOAD_TIMEOUT": 2, "RETRY_BACKOFF_BASE": 0.1, "RETRY_BACKOFF_MAX": 2.0,
        "LOG_LEVEL": "INFO", "NEWSCRAWL_STATE_ENABLED": False, "ITEM_PIPELINES": {},
        "NEWSCRAWL_ALLOWED_NETWORKS": ["127.0.0.1/32", CANARIES["other-site"] + "/32"],
        "NEWSCRAWL_FORBIDDEN_NETWORKS": [CANARIES[n] + "/32" for n in FORBIDDEN_CANARIES],
    }
    settings.update(overrides)
    return settings


def _spider_class(name: str) -> Any:
    if ":" in name:
        import importlib

        module, _, attribute = name.partition(":")
        return getattr(importlib.import_module(module), attribute)
    return name


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="run one crawl (a test helper)")
    parser.add_argument("--spider", required=True)
    parser.add_argument("--args", default="{}", help="spider arguments as JSON")
    parser.add_argument("--settings", default="{}", help="settings as JSON")
    parser.add_argument("--stats", help="write the final stats here as JSON")
    args = parser.parse_args(argv)

    from scrapy.crawler import CrawlerProcess
    from scrapy.utils.project import get_project_settings

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.crawl.settings")
    settings = get_project_settings()
    for key, value in json.loads(args.settings).items():
        settings.set(key, value, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(_spider_class(args.spider))
    process.crawl(crawler, **json.loads(args.args))
    process.start()
    crawler.stats.set_value("newscrawl/peak_rss_kb", peak_rss_kb())
    if args.stats:
        Path(args.stats).write_text(json.dumps(crawler.stats.get_stats(), default=str))
    return 0


if __name__ == "__main__":
    sys.exit(main())

