"""Where site-profile extraction spends its time, stage by stage, against the parse floor.

Runs over every corpus page with a truth file (the pages of `benchmarks/quality.py`), each
stage on its own and the stages interleaved in rounds, and prints the fastest round of each
in milliseconds per page with its ratio to the floor:

- floor: `parsel.Selector(text=html)`, the quality benchmark's parse floor;
- parse: `load_page` (newscrawl's parse of the page);
- parse + selectors: and every selector the page's design declares that names a
  class, an id or an attribute, asked of the whole page (what finding the profile's elements
  costs before any text is read; lists of tag names, which extraction only asks inside a
  container, are left out);
- extract: the whole extraction, as `extract()` runs it.

    python -m benchmarks.profile_stages [--repeats 7]
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable, Sequence
from datetime import UTC, datetime

from parsel import Selector

from benchmarks.quality import DEFAULT_CORPUS, Case, load_cases
from newscrawl.api import extract
from newscrawl.extraction import load_page
from newscrawl.extraction.profile import declared_selectors
from newscrawl.sites import profile_for_url

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


def _selected(case: Case) -> None:
    page = load_page(case.html, case.truth["url"], FETCHED)
    profile = profile_for_url(page.url)
    layout = profile.layout_for(page) if profile else None
    for query in declared_selectors(layout) if layout else ():
        if any(mark in query for mark in ".#["):
            page.css(query)


def stages() -> dict[str, Callable[[Case], object]]:
    return {
        "floor: parsel.Selector": lambda case: Selector(text=case.html, type="html"),
        "parse": lambda case: load_page(case.html, case.truth["url"], FETCHED),
        "parse + selectors": _selected,
        "extract": lambda case: extract(case.html, case.truth["url"], FETCHED),
    }


def fastest_rounds(cases: Sequence[Case], repeats: int) -> dict[str, float]:
    """Milliseconds per page of each stage's fastest round (CPU time of this process)."""
    tasks = stages()
    best = dict.fromkeys(tasks, float("inf"))
    gc.collect()
    gc.freeze()
    for _ in range(repeats):
        for name, task in tasks.items():
            start = time.process_time()
            for case in cases:
                task(case)
            gc.collect()
            best[name] = min(best[name], time.process_time() - start)
    gc.unfreeze()
    return {name: seconds / len(cases) * 1000 for name, seconds in best.items()}


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=7)
    args = parser.parse_args(argv)
    cases = load_cases(DEFAULT_CORPUS)
    times = fastest_rounds(cases, args.repeats)
    floor = times["floor: parsel.Selector"]
    print(f"{len(cases)} pages, fastest of {args.repeats} rounds\n")
    print("| stage | ms per page | floor / stage |")
    print("|---|---:|---:|")
    for name, milliseconds in times.items():
        print(f"| {name} | {milliseconds:.2f} | {floor / milliseconds:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
