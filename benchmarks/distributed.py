"""Distributed crawl benchmark (hand-run, not in CI): pages/s with 1, 2 and 4 workers on one
Redis, and the Redis memory per 10,000 seen URLs.

    python benchmarks/distributed.py                        # 2,000 stories, 1 2 4 workers
    python benchmarks/distributed.py --pages 5000 --workers 1 2 4 --json out.json

A local mirror (`newscrawl mirror --synthetic N --processes 2`, a child process) serves N
synthetic stories (100-300 KB, or --page-size MIN:MAX) listed in news sitemaps, and a
private `redis-server` (127.0.0.1, a free port, no persistence) holds the queue and the
state. For each worker count, Redis is emptied and that many `newscrawl crawl sputnik
--redis ...` workers are started at once; they share the run, and exit when it is done.

Reported per worker count:
- pages/s: pages fetched by all workers / crawl seconds, where the crawl seconds run from
  starting the workers to the last article recorded in Redis (so process start-up counts,
  the idle wait before the workers exit does not);
- CPU ms per page of all worker processes (user + sys);
- Redis memory: the crawl state left after the run (`MEMORY USAGE` of the state keys) and
  the peak `used_memory` during the run above the empty server (state, shared queue,
  dupefilter, leases), both per 10,000 article URLs seen.
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
from tests.support.servers import redis_server  # noqa: E402


class RedisWatch(threading.Thread):
    """Samples used_memory (peak) and when the written-articles counter last moved."""

    def __init__(self, client: Any, interval: float = 0.2) -> None:
        super().__init__(daemon=True)
        self.client, self.interval = client, interval
        self.peak = 0
        self.written = 0
        self.last_change = time.monotonic()
        self.done = threading.Event()

    def run(self) -> None:
        while not self.done.is_set():
            self.peak = max(self.peak, int(self.client.info("memory")["used_memory"]))
            written = int(self.client.get("newscrawl:state:written") or 0)
            if written != self.written:
                self.written, self.last_change = written, time.monotonic()
            self.done.wait(self.interval)


def state_bytes(client: Any) -> int:
    keys = list(client.scan_iter("newscrawl:state:*")) + list(client.scan_iter(
        "newscrawl:claim:*"))
    return sum(int(client.memory_usage(key, samples=0) or 0) for key in keys)


def run_workers(count: int, mirror: str, redis_url: str, work: Path) -> dict[str, Any]:
    import redis

    client = redis.Redis.from_url(redis_url)
    client.flushall()
    baseline = int(client.info("memory")["used_memory"])
    watch = RedisWatch(client)
    watch.start()
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.monotonic()
    workers = []
    for index in range(count):
        stats = work / f"stats-{count}-{index}.json"
        command = [sys.executable, "-m", "newscrawl", "crawl", "sputnik", "--mirror-url", mirror,
                   "--redis", redis_url, "--worker-id", f"bench{count}-{index}",
                   "--data-dir", str(work / f"data-{count}"), "--stats", str(stats),
                   "--workers", "0", "-L", "WARNING", "-s", "NEWSCRAWL_REDIS_IDLE_CLOSE=2"]
        workers.append((subprocess.Popen(command, cwd=ROOT, stdout=subprocess.DEVNULL,
                                         stderr=subprocess.PIPE, text=True), stats))
    pages = written = 0
    for process, stats in workers:
        _, log = process.communicate()
        if process.returncode != 0:
            raise RuntimeError(f"worker exited {process.returncode}:\n{log[-3000:]}")
        summary = json.loads(stats.read_text())
        pages += int(summary["pages_fetched"])
        written += int(summary["articles_written"])
    watch.done.set()
    watch.join()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    seconds = watch.last_change - started
    seen = int(client.hlen("newscrawl:state:articles"))
    return {"workers": count, "pages": pages, "articles_written": written,
            "crawl_seconds": round(seconds, 1),
            "pages_per_second": round(pages / seconds, 1),
            "cpu_ms_per_page": round(1000 * cpu / pages, 1),
            "urls_seen": seen,
            "state_mib_per_10k_urls": round(state_bytes(client) / seen * 10_000 / 2**20, 2),
            "peak_mib_per_10k_urls": round((watch.peak - baseline) / seen * 10_000 / 2**20,
                                           2)}


def report(results: list[dict[str, Any]], args: argparse.Namespace) -> str:
    lines = [f"machine: {os.cpu_count()} CPUs, Python {sys.version.split()[0]}; "
             f"{args.pages} synthetic stories, page size {args.page_size or '100000:300000'}",
             "",
             "| workers | pages | crawl s | pages/s | speed-up | CPU ms/page | "
             "Redis state MiB / 10k URLs | Redis peak MiB / 10k URLs |",
             "| --- | --- | --- | --- | --- | --- | --- | --- |"]
    base = results[0]["pages_per_second"]
    for r in results:
        lines.append(f"| {r['workers']} | {r['pages']} | {r['crawl_seconds']} | "
                     f"{r['pages_per_second']} | {r['pages_per_second'] / base:.2f} | "
                     f"{r['cpu_ms_per_page']} | {r['state_mib_per_10k_urls']} | "
                     f"{r['peak_mib_per_10k_urls']} |")
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2, 4])
    parser.add_argument("--page-size", default=None, metavar="MIN:MAX",
                        help="synthetic page sizes in bytes (default: the mirror's, 100-300 KB)")
    parser.add_argument("--json", type=Path, help="also write the results as JSON")
    args = parser.parse_args()
    results = []
    with tempfile.TemporaryDirectory(prefix="newscrawl-dist-bench-") as folder:
        work = Path(folder)
        size = tuple(int(n) for n in args.page_size.split(":")) if args.page_size else None
        with redis_server(work / "redis") as redis_url:
            mirror_child, mirror_url = spawn(sites=["sputnik"], synthetic=args.pages,
                                             synthetic_size=size, processes=2, quiet=True)
            try:
                for count in args.workers:
                    results.append(run_workers(count, mirror_url, redis_url, work))
                    print(json.dumps(results[-1]), file=sys.stderr, flush=True)
            finally:
                mirror_child.terminate()
                mirror_child.wait(timeout=30)
    print(report(results, args))
    if args.json:
        args.json.write_text(json.dumps(results, indent=2) + "\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
