"""Hand-run benchmark of `newscrawl extract --warc` (see benchmarks/README.md, "Archives").

Builds a WARC of N responses from the fixture pages (each copy under its own URL), then runs
the command as a user would (a child process, output to /dev/null) with one job and with
all cores, and with 1,000 and N records, sampling the resident memory of the whole process
tree (parent and workers) every 20 ms.

    python benchmarks/warc.py [--records 10000] [--repeat 2] [--dir /tmp/newscrawl-bench]
"""

from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from newscrawl.archives.writer import Exchange, RotatingWarcWriter  # noqa: E402
from newscrawl.fixtures import iter_fixtures  # noqa: E402

PAGE_SIZE = os.sysconf("SC_PAGE_SIZE")
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def build_warc(directory: Path, records: int) -> Path:
    """One WARC file of `records` HTML responses (plus their request records)."""
    target = directory / f"bench-{records}.warc.gz"
    if target.exists():
        return target
    pages = [(f.url, f.html(), f.meta["fetched_at"]) for f in iter_fixtures()]
    scratch = directory / f"build-{records}"
    with RotatingWarcWriter(scratch, prefix="bench", max_file_size=1 << 40) as writer:
        for number in range(records):
            url, body, fetched_at = pages[number % len(pages)]
            separator = "&" if "?" in url else "?"
            writer.write(Exchange(
                url=f"{url}{separator}copy={number}", status=200, reason="OK", body=body,
                response_headers=[("Content-Type", "text/html; charset=utf-8")],
                date=datetime.fromisoformat(fetched_at).astimezone(UTC)))
        name = writer.files[0]
    (scratch / name).rename(target)
    scratch.rmdir()
    return target


def sample_tree(pid: int, cpu: dict[int, float]) -> int:
    """Resident bytes of a process and all its descendants, from /proc; records each one's
    CPU seconds in `cpu` (the workers come from a fork server, so getrusage misses them)."""
    total, pending = 0, [pid]
    while pending:
        current = pending.pop()
        try:
            with open(f"/proc/{current}/statm") as handle:
                total += int(handle.read().split()[1]) * PAGE_SIZE
            with open(f"/proc/{current}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            cpu[current] = (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
            with open(f"/proc/{current}/task/{current}/children") as handle:
                pending.extend(int(child) for child in handle.read().split())
        except (FileNotFoundError, ProcessLookupError, ValueError, IndexError):
            continue
    return total


@dataclass
class Run:
    records: int
    jobs: int
    seconds: float
    cpu_seconds: float
    peak_rss: int
    items: int

    @property
    def rate(self) -> float:
        return self.items / self.seconds


def run_extract(path: Path, records: int, jobs: int) -> Run:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu: dict[int, float] = {}
    started = time.perf_counter()
    child = subprocess.Popen(
        [sys.executable, "-m", "newscrawl", "extract", "--warc", str(path), "-o", os.devnull,
         "--jobs", str(jobs)], cwd=ROOT, stderr=subprocess.PIPE, text=True)
    peak = 0
    while child.poll() is None:
        peak = max(peak, sample_tree(child.pid, cpu))
        time.sleep(0.02)
    seconds = time.perf_counter() - started
    print(f"  {records} records, {jobs} job(s): {seconds:.1f} s, load average "
          f"{os.getloadavg()[0]:.2f}", flush=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    summary = child.stderr.read()
    if child.returncode != 0:
        raise SystemExit(f"extract failed ({child.returncode}): {summary}")
    items = int(summary.split(" extracted")[0].rsplit(" ", 1)[-1])
    # The command's own CPU from getrusage (exact), its descendants' as last sampled.
    own = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    descendants = sum(seconds for pid, seconds in cpu.items() if pid != child.pid)
    return Run(records, jobs, seconds, own + descendants, peak, items)


def best_of(path: Path, records: int, jobs: int, repeat: int) -> Run:
    runs = [run_extract(path, records, jobs) for _ in range(repeat)]
    return min(runs, key=lambda run: run.seconds)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=10_000)
    parser.add_argument("--small", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs per measurement (best)")
    parser.add_argument("--dir", type=Path, default=Path("/tmp/newscrawl-bench"))
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    cores = len(os.sched_getaffinity(0))
    small, large = build_warc(args.dir, args.small), build_warc(args.dir, args.records)
    print(f"WARC files: {small} ({small.stat().st_size / 1e6:.1f} MB), "
          f"{large} ({large.stat().st_size / 1e6:.1f} MB); {cores} cores; "
          f"load average before: {os.getloadavg()[0]:.2f}")
    results = [best_of(path, n, jobs, args.repeat)
               for n, path in ((args.small, small), (args.records, large))
               for jobs in (1, cores)]
    print(f"{'records':>8} {'jobs':>4} {'seconds':>8} {'pages/s':>8} {'cpu s':>7} "
          f"{'peak RSS MB':>11}")
    for run in results:
        print(f"{run.records:>8} {run.jobs:>4} {run.seconds:>8.1f} {run.rate:>8.1f} "
              f"{run.cpu_seconds:>7.1f} {run.peak_rss / 1e6:>11.1f}")
    by = {(run.records, run.jobs): run for run in results}
    single, parallel = by[(args.records, 1)], by[(args.records, cores)]
    print(f"speed-up with {cores} jobs over 1 at {args.records} records: "
          f"{parallel.rate / single.rate:.2f}x (target >= 1.7x)")
    # On a shared machine wall time depends on the neighbours; CPU time does not. With the
    # cores to itself, the parallel run's speed-up is at most cores x (CPU 1 job / CPU N).
    print(f"CPU time {cores} jobs / 1 job: {parallel.cpu_seconds / single.cpu_seconds:.3f} "
          f"(parallel overhead); speed-up bound on an idle machine: "
          f"{cores * single.cpu_seconds / parallel.cpu_seconds:.2f}x")
    for jobs in (1, cores):
        growth = by[(args.records, jobs)].peak_rss / by[(args.small, jobs)].peak_rss
        print(f"peak memory {args.records} vs {args.small} records, {jobs} job(s): "
              f"{growth:.2f}x (target <= 1.2x)")
    print(f"load average after: {os.getloadavg()[0]:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
