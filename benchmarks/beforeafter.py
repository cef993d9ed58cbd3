"""Before/after in one run: two trees' code measured alternately (A B A B) on the same pages.

Each round runs, for tree A (default /work/baseline) and then tree B (default this tree), that
tree's own benchmark scripts in a child process with the tree first on ``PYTHONPATH`` and the
tree as working directory, so each side measures its own code with its own harness (the three
scripts take the same flags in both trees; when they do not, an older tree's script is the one
that knows how to drive its code):

* ``benchmarks/quality.py``: CPU pages/s of the generic extractor (``newscrawl``) and of the
  profiles (``profiles``) over the shared corpus;
* ``benchmarks/crawl.py --pages N``: the full crawl's pages/s and peak memory;
* ``benchmarks/warc.py --records N --small M``: CPU seconds and peak memory of
  ``newscrawl extract --warc`` at 1 job and all cores, on one WARC pair built once in ``--dir``
  and reused by both trees (the same records for both).

Prints one table, each tree's figures per round and their mean, with the load average before
and after. Run by hand: ``python benchmarks/beforeafter.py [--before TREE] [--rounds 2]``.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parents[1]


def run(tree: Path, script: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(tree)}
    done = subprocess.run([sys.executable, f"benchmarks/{script}", *args], cwd=tree, env=env,
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{tree}/benchmarks/{script} failed:\n{done.stderr[-3000:]}")
    return done.stdout


def quality(tree: Path, repeats: int) -> dict[str, float]:
    out = run(tree, "quality.py", "--repeats", str(repeats))
    rates = dict(re.findall(r"^\| (newscrawl|profiles) \| [\d.]+ \| ([\d.]+) \|$", out, re.M))
    return {"generic pages/s": float(rates["newscrawl"]),
            "profiles pages/s": float(rates["profiles"])}


def crawl(tree: Path, pages: int) -> dict[str, float]:
    with tempfile.NamedTemporaryFile(suffix=".json") as out:
        run(tree, "crawl.py", "--pages", str(pages), "--json", out.name)
        full = json.loads(Path(out.name).read_text())[0]["full"]
    return {"crawl full pages/s": full["pages_per_second"],
            "crawl full peak MiB": full["peak_memory_mib"]}


def warc(tree: Path, records: int, small: int, folder: Path) -> dict[str, float]:
    out = run(tree, "warc.py", "--records", str(records), "--small", str(small),
              "--dir", str(folder))
    figures: dict[str, float] = {}
    for line in out.splitlines():
        cells = line.split()
        if len(cells) == 6 and cells[0] == str(records) and cells[1].isdigit():
            figures[f"warc {cells[1]} job CPU s"] = float(cells[4])
            figures[f"warc {cells[1]} job peak MB"] = float(cells[5])
    return figures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--before", type=Path, default=Path("/work/baseline"))
    parser.add_argument("--after", type=Path, default=HERE)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=2, help="quality.py's timed rounds")
    parser.add_argument("--pages", type=int, default=1000, help="crawl.py's size")
    parser.add_argument("--records", type=int, default=1000)
    parser.add_argument("--small", type=int, default=300)
    parser.add_argument("--dir", type=Path, default=Path(tempfile.gettempdir()) / "beforeafter")
    args = parser.parse_args()
    args.dir.mkdir(parents=True, exist_ok=True)
    trees = {"A": args.before.resolve(), "B": args.after.resolve()}
    print(f"A = {trees['A']}, B = {trees['B']}; load average before: "
          f"{' '.join(f'{x:.2f}' for x in os.getloadavg())}", flush=True)
    results: dict[str, list[dict[str, float]]] = {"A": [], "B": []}
    for round_ in range(1, args.rounds + 1):
        for side, tree in trees.items():
            figures = {**quality(tree, args.repeats), **crawl(tree, args.pages),
                       **warc(tree, args.records, args.small, args.dir)}
            results[side].append(figures)
            print(f"round {round_} {side}: {json.dumps(figures)} (load "
                  f"{os.getloadavg()[0]:.2f})", file=sys.stderr, flush=True)
    names = list(results["A"][0])
    header = ["measure", *(f"{s}{r + 1}" for r in range(args.rounds) for s in "AB"),
              "A mean", "B mean", "B/A"]
    print("| " + " | ".join(header) + " |\n|" + " --- |" * len(header))
    for name in names:
        cells = [f"{results[s][r][name]:.1f}" for r in range(args.rounds) for s in "AB"]
        a = statistics.mean(f[name] for f in results["A"])
        b = statistics.mean(f[name] for f in results["B"])
        print(f"| {name} | " + " | ".join(cells) + f" | {a:.1f} | {b:.1f} | {b / a:.2f} |")
    print(f"load average after: {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
