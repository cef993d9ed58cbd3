"""Before/after on one machine in one run: an earlier tree (A) and this one (B), alternated.

    python -m benchmarks.beforeafter --before /path/to/old/checkout [--rounds 2] [--repeats 3]

Each round runs, for A then B, each tree's own benchmark scripts in a child process with that
tree first on PYTHONPATH (the same interpreter and packages for both, so only the code
differs): the corpus extraction speed (`benchmarks/quality.py`: generic and profile
pages/s), the crawl (`benchmarks/crawl.py`: full-crawl pages/s and peak memory) and the WARC
extraction (`benchmarks/warc.py`: CPU seconds and peak memory, one job). A shared machine
moves every figure between runs; alternating A B A B lets both see the same load. Hand-run,
not in CI.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path
from statistics import mean

HERE = Path(__file__).resolve().parent.parent
SPEED_ROW = re.compile(r"^\| (newscrawl|profiles) \| [\d.]+ \| ([\d.]+) \|$", re.M)
WARC_ROW = re.compile(r"^\s+(\d+)\s+1\s+[\d.]+\s+[\d.]+\s+([\d.]+)\s+([\d.]+)$", re.M)


def run(tree: Path, *command: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, *command], cwd=tree, env=env, text=True,
                          stdout=subprocess.PIPE, stderr=subprocess.STDOUT, check=False)
    if done.returncode:
        raise SystemExit(f"{tree}: {' '.join(command)} failed:\n{done.stdout[-2000:]}")
    return done.stdout


def extraction(tree: Path, repeats: int) -> dict[str, float]:
    out = run(tree, "-m", "benchmarks.quality", "--repeats", str(repeats))
    return {f"{name} pages/s": float(rate) for name, rate in SPEED_ROW.findall(out)}


def crawl(tree: Path, pages: int) -> dict[str, float]:
    out = run(tree, "benchmarks/crawl.py", "--pages", str(pages))
    full = json.loads(next(line for line in out.splitlines() if line.startswith("{")))["full"]
    return {"crawl pages/s": full["pages_per_second"],
            "crawl peak MiB": full["peak_memory_mib"]}


def warc(tree: Path, records: int, small: int) -> dict[str, float]:
    out = run(tree, "benchmarks/warc.py", "--records", str(records), "--small", str(small))
    rows = {int(n): (float(cpu), float(rss)) for n, cpu, rss in WARC_ROW.findall(out)}
    cpu, rss = rows[records]
    return {"warc CPU s": cpu, "warc peak MB": rss}


def measure(tree: Path, args: argparse.Namespace) -> dict[str, float]:
    return {**extraction(tree, args.repeats), **crawl(tree, args.pages),
            **warc(tree, args.records, args.small)}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the earlier checkout (A)")
    parser.add_argument("--after", type=Path, default=HERE, help="default: this checkout (B)")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=3,
                        help="extraction runs a round; each tree's fastest counts")
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--small", type=int, default=300)
    args = parser.parse_args(argv)
    results: dict[str, list[dict[str, float]]] = {"before": [], "after": []}
    for round_number in range(1, args.rounds + 1):
        for label, tree in (("before", args.before), ("after", args.after)):
            figures = measure(tree.resolve(), args)
            results[label].append(figures)
            print(f"round {round_number} {label}: {json.dumps(figures)}", flush=True)
    print("\n| figure | before | after | after/before |\n| --- | ---: | ---: | ---: |")
    for name in results["before"][0]:
        before = mean(r[name] for r in results["before"])
        after = mean(r[name] for r in results["after"])
        print(f"| {name} | {before:.1f} | {after:.1f} | {after / before:.2f} |")
    print(f"\nload average at the end: {' '.join(f'{x:.1f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
