"""Crawl benchmark (hand-run, not in CI): a bare Scrapy fetch against the full newscrawl crawl.

    python benchmarks/crawl.py                      # 5,000 and 20,000 pages
    python benchmarks/crawl.py --pages 2000 --json out.json

For each size, a local mirror (`newscrawl mirror --synthetic N`, a child process, not
measured) serves N synthetic stories of 100-300 KB made on the fly from a fixture page, listed
in news sitemaps. Then, each in a fresh child process and with the same settings (newscrawl's,
mirror mode: no delays, 16 requests per domain):

  (a) bare: a Scrapy SitemapSpider that fetches the same pages and throws them away;
  (b) full: `newscrawl crawl sputnik --mirror-url ...`: section pages, sitemaps, feeds,
      extraction (in worker processes), pipelines, crawl state, JSON Lines output.

Reported: pages/s (pages fetched / crawl time from Scrapy's stats), CPU seconds per page
(user+sys of the crawl process and every process it started and reaped, i.e. the
extraction workers; the crawl process's own share is shown too), and peak memory (the
largest sum of PSS over the crawl's process tree, sampled every 0.25 s; PSS shares
copy-on-write pages fairly between parent and workers).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.crawl.mirror import spawn  # noqa: E402 - the checkout, not an installed copy


# -- (a) the bare spider, run in its own process ---------------------------------------------
def run_bare(mirror: str, stats_file: str, log_level: str) -> None:
    import scrapy
    from scrapy.crawler import CrawlerProcess
    from scrapy.spiders import SitemapSpider

    from newscrawl.cli.crawl import MIRROR_SETTINGS
    from newscrawl.crawl.middlewares.routing import mirror_network

    class BareSpider(SitemapSpider):
        """Fetch every page the sitemaps list; no extraction, no items."""

        name = "bare"
        sitemap_urls = ["https://sputnikglobe.com/robots.txt"]

        def parse(self, response: scrapy.http.Response) -> None:
            return None

    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.crawl.settings")
    from scrapy.utils.project import get_project_settings

    settings = get_project_settings()
    settings.setdict({**MIRROR_SETTINGS, "NEWSCRAWL_MIRROR": mirror,
                      "NEWSCRAWL_ALLOWED_NETWORKS": [mirror_network(mirror)],
                      "ITEM_PIPELINES": {}, "LOG_LEVEL": log_level}, priority="cmdline")
    process = CrawlerProcess(settings)
    crawler = process.create_crawler(BareSpider)
    process.crawl(crawler)
    process.start()
    stats = crawler.stats.get_stats()
    Path(stats_file).write_text(json.dumps({
        "pages_fetched": stats.get("response_received_count", 0),
        "elapsed_seconds": stats.get("elapsed_time_seconds"),
        "finish_reason": stats.get("finish_reason")}, default=str))


# -- measuring a child process tree ----------------------------------------------------------
def _children(pid: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.append(int(entry))
    return found


def _tree(pid: int) -> list[int]:
    tree, queue = [], [pid]
    while queue:
        current = queue.pop()
        tree.append(current)
        queue.extend(_children(current))
    return tree


def _pss_kib(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except OSError:
        pass
    return 0


def _own_cpu_seconds(pid: int) -> float | None:
    """user + sys of one process itself (its threads, not its children)."""
    try:
        with open(f"/proc/{pid}/stat") as handle:
            fields = handle.read().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class MemorySampler(threading.Thread):
    """Peak of the summed PSS of a process tree, and the CPU time of its root process (last
    sample before it exits: at most one interval is missed), to split the crawl process's
    own work from its extraction workers'."""

    def __init__(self, pid: int, interval: float = 0.25) -> None:
        super().__init__(daemon=True)
        self.pid, self.interval = pid, interval
        self.peak_kib = 0
        self.root_cpu = 0.0
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            total = sum(_pss_kib(pid) for pid in _tree(self.pid))
            self.peak_kib = max(self.peak_kib, total)
            self.root_cpu = _own_cpu_seconds(self.pid) or self.root_cpu
            self.done.wait(self.interval)


def measure(command: list[str], stats_file: Path) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    child = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                             stderr=subprocess.PIPE, text=True)
    sampler = MemorySampler(child.pid)
    sampler.start()
    _, log = child.communicate()
    wall = time.monotonic() - started
    sampler.done.set()
    sampler.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if child.returncode not in (0,):
        raise RuntimeError(f"{command[:4]} exited {child.returncode}:\n{log[-3000:]}")
    stats = json.loads(stats_file.read_text())
    pages = int(stats["pages_fetched"])
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    elapsed = float(stats["elapsed_seconds"])
    return {"pages": pages, "crawl_seconds": round(elapsed, 2), "wall_seconds": round(wall, 2),
            "pages_per_second": round(pages / elapsed, 1),
            "cpu_seconds": round(cpu, 2), "cpu_ms_per_page": round(1000 * cpu / pages, 2),
            "crawl_process_cpu_ms_per_page": round(1000 * sampler.root_cpu / pages, 2),
            "peak_memory_mib": round(sampler.peak_kib / 1024, 1),
            "articles_written": stats.get("articles_written")}


# -- the benchmark ---------------------------------------------------------------------------
def bench_size(pages: int, args: argparse.Namespace, work: Path) -> dict[str, Any]:
    load_before = os.getloadavg()[0]
    mirror, url = spawn(sites=["sputnik"], synthetic=pages,
                        processes=args.mirror_processes, quiet=True)
    try:
        bare_stats = work / f"bare-{pages}.json"
        bare = measure([sys.executable, __file__, "_bare", url, str(bare_stats), "WARNING"],
                       bare_stats)
        full_stats = work / f"full-{pages}.json"
        command = [sys.executable, "-m", "newscrawl", "crawl", "sputnik", "--mirror-url", url,
                   "--state", str(work / f"state-{pages}.sqlite"),
                   "--data-dir", str(work / f"data-{pages}"), "--stats", str(full_stats),
                   "-L", "WARNING"]
        if args.workers is not None:
            command += ["--workers", str(args.workers)]
        full = measure(command, full_stats)
    finally:
        mirror.terminate()
        mirror.wait(timeout=30)
    # On a shared machine, figures taken under load say little: keep the load with them.
    return {"size": pages, "bare": bare, "full": full,
            "load_average": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "speed_ratio": round(full["pages_per_second"] / bare["pages_per_second"], 3),
            "cpu_ratio": round(full["cpu_ms_per_page"] / bare["cpu_ms_per_page"], 2)}


def report(results: list[dict[str, Any]]) -> str:
    lines = ["| pages | crawl | pages/s | CPU ms/page | of which crawl process | "
             "peak memory MiB | crawl s |",
             "| --- | --- | --- | --- | --- | --- | --- |"]
    for result in results:
        for name in ("bare", "full"):
            r = result[name]
            lines.append(f"| {result['size']} | {name} | {r['pages_per_second']} | "
                         f"{r['cpu_ms_per_page']} | {r['crawl_process_cpu_ms_per_page']} | "
                         f"{r['peak_memory_mib']} | {r['crawl_seconds']} |")
    lines.append("")
    for result in results:
        lines.append(f"{result['size']} pages: full/bare speed {result['speed_ratio']:.2f} "
                     f"(target >= 0.5), CPU per page {result['cpu_ratio']:.2f}x "
                     f"(target <= 2.5)")
    if len(results) >= 2:
        small, large = results[0]["full"], results[-1]["full"]
        ratio = large["peak_memory_mib"] / small["peak_memory_mib"]
        lines.append(f"full crawl peak memory at {results[-1]['size']} / at "
                     f"{results[0]['size']}: {ratio:.2f} (target <= 1.3)")
    return "\n".join(lines)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "_bare":
        run_bare(*sys.argv[2:5])
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, nargs="+", default=[5000, 20000])
    parser.add_argument("--workers", type=int, default=None,
                        help="extraction workers of the full crawl (default: its own default)")
    parser.add_argument("--mirror-processes", type=int, default=2)
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="newscrawl-bench-") as folder:
        for pages in args.pages:
            results.append(bench_size(pages, args, Path(folder)))
            print(json.dumps(results[-1]), file=sys.stderr, flush=True)
    print(f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}, load average "
          f"at the end {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    print(report(results))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
