"""Before/after in counted work: instructions and L1 data-cache misses per extracted page.

    python -m benchmarks.instructions --before /path/to/old/checkout [--loops 1]
        [--skip-field body_html] [--fixtures fixtures]

Pages per second on a shared machine move by a fifth or more between runs of the same code,
more than the changes they are meant to judge (`beforeafter.py` saw profile extraction at
0.60, 0.80 and 0.84 of an earlier tree in three rounds of one run). valgrind's cachegrind
counts what the processor is asked to do instead, the same on every run: the instructions
executed and the reads and writes that miss a simulated 32 KiB L1 data cache (a miss there
costs about ten cycles when the next cache holds the line). Neither is time, but a change
that moves neither did not make extraction faster or slower.

Each tree extracts every corpus page with truth (the pages of `benchmarks/quality.py`, through
that tree's own `run_newscrawl`), or with `--fixtures DIR` the article fixtures of DIR as
bytes (the pages `benchmarks/warc.py` builds its WARC of), once to warm up, then `--loops`
more times. The counts of a warm-up-only run are taken from those of the full run, so
imports, reading the pages and the warm-up cancel out, and what is left is divided by the
pages extracted. `--skip-field NAME` runs the after tree a third time with the extractor's
method NAME answering None (what a field costs, e.g. `body_html`, which the before tree may
not have).

Needs valgrind (Debian's package). The children run with one hash seed, so that sets iterate
alike in every run; the counts do not depend on the machine's load, so the runs go two at a
time, one per core. Hand-run, not in CI: about four minutes with one loop for both trees and
both extractors, six with `--skip-field`.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

HERE = Path(__file__).resolve().parent.parent
EXTRACTORS = ("profiles", "generic")
# Runs in the measured tree, with that tree first on the path.
CHILD = """
import gc, gzip, json, sys
sys.path.insert(0, ".")
from pathlib import Path
use_profiles, loops, skip = sys.argv[1] == "profiles", int(sys.argv[2]), sys.argv[3]
kind, _, where = sys.argv[4].partition(":")
if skip:
    from newscrawl.extraction.article import ArticleExtractor
    setattr(ArticleExtractor, skip, lambda self, *args, **kwargs: None)
if kind == "corpus":
    from benchmarks.quality import load_cases, run_newscrawl
    pages = [(run_newscrawl, case, use_profiles) for case in load_cases(Path(where))]
else:
    try:
        from newscrawl.api import extract
    except ImportError:  # trees before the public entry module
        from newscrawl.extraction import extract
    def run_fixture(page, use_profiles):
        extract(*page, use_profiles=use_profiles)
    pages = []
    for meta_path in sorted(Path(where).glob("*/*.json")):
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
        if meta.get("kind") == "article":
            html = gzip.decompress(meta_path.with_suffix(".html.gz").read_bytes())
            pages.append((run_fixture, (html, meta["url"], meta["fetched_at"]), use_profiles))
for _ in range(1 + loops):
    for run, page, profiles in pages:
        run(page, profiles)
gc.collect()
print(len(pages))
"""
_COUNT = re.compile(r"==\d+== (I   refs|D1  misses):\s+([\d,]+)")


def counted(tree: Path, extractor: str, loops: int, skip: str, pages: str) -> dict[str, int]:
    """cachegrind's totals for one child run, and the number of corpus pages it read."""
    env = {**os.environ, "PYTHONPATH": str(tree), "PYTHONHASHSEED": "0"}
    done = subprocess.run(
        ["valgrind", "--tool=cachegrind", "--cache-sim=yes", "--cachegrind-out-file=/dev/null",
         sys.executable, "-c", CHILD, extractor, str(loops), skip, pages],
        cwd=tree, env=env, text=True, capture_output=True, check=False)
    if done.returncode:
        raise SystemExit(f"{tree} ({extractor}): the run failed:\n{done.stderr[-2000:]}")
    totals = {name: int(value.replace(",", "")) for name, value in _COUNT.findall(done.stderr)}
    return {"instructions": totals["I   refs"], "L1 data misses": totals["D1  misses"],
            "pages": int(done.stdout.split()[-1])}


def per_page(tree: Path, extractor: str, loops: int, skip: str, pages: str,
             pool: ThreadPoolExecutor) -> dict[str, float]:
    full = pool.submit(counted, tree, extractor, loops, skip, pages)
    warm_up = pool.submit(counted, tree, extractor, 0, skip, pages)
    full_counts, warm_counts = full.result(), warm_up.result()
    pages = full_counts["pages"] * loops
    return {name: (full_counts[name] - warm_counts[name]) / pages
            for name in ("instructions", "L1 data misses")}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--before", type=Path, required=True, help="the earlier checkout (A)")
    parser.add_argument("--after", type=Path, default=HERE, help="default: this checkout (B)")
    parser.add_argument("--loops", type=int, default=1)
    parser.add_argument("--corpus", type=Path, default=HERE.parent / "shared/corpus/articles")
    parser.add_argument("--fixtures", type=Path, help="the article fixtures of this folder "
                        "instead, as bytes (the pages of benchmarks/warc.py)")
    parser.add_argument("--skip-field", default="", help="also: the after tree without it")
    args = parser.parse_args(argv)
    if shutil.which("valgrind") is None:
        raise SystemExit("valgrind is not installed (Debian: apt-get install valgrind)")
    runs = {"before": (args.before.resolve(), ""), "after": (args.after.resolve(), "")}
    if args.skip_field:
        runs[f"after without {args.skip_field}"] = (args.after.resolve(), args.skip_field)
    pages = (f"fixtures:{args.fixtures.resolve()}" if args.fixtures
             else f"corpus:{args.corpus.resolve()}")
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = {(label, extractor): per_page(tree, extractor, args.loops, skip, pages, pool)
                   for extractor in EXTRACTORS for label, (tree, skip) in runs.items()}
    print("| extractor | run | instructions a page | L1 data misses a page | "
          "instructions / before | misses / before |\n| --- | --- | ---: | ---: | ---: | ---: |")
    for (label, extractor), counts in results.items():
        before = results[("before", extractor)]
        print(f"| {extractor} | {label} | {counts['instructions'] / 1e6:.2f} M | "
              f"{counts['L1 data misses'] / 1e3:.0f} K | "
              f"{counts['instructions'] / before['instructions']:.3f} | "
              f"{counts['L1 data misses'] / before['L1 data misses']:.3f} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
