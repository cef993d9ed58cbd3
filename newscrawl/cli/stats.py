"""`newscrawl stats`: what a dataset holds, per site and day, and how complete it is.

Each article counts once, however many of the files read hold it: a crawl's output folder
often has both the `-o` file and the pipelines' `data/` folder, and a file copied beside its
dataset holds the same lines again. An article is its `url` with its `content_hash` (a
recrawl that found a changed story writes a new version, which counts on its own); the
copies skipped are reported.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from typing import Any

from newscrawl.cli._filters import add_dataset_arguments, read_filters
from newscrawl.dataset import ReadReport, read
from newscrawl.dataset.manifest import is_covered
from newscrawl.model.items import ARTICLE_FIELDS


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "stats", help="count a dataset's items per site and day, field coverage, duplicates",
        description="Summarise JSON Lines datasets: items per site and fetch day (UTC), the "
                    "share of items in which each field is filled, and the share of items "
                    "marked as near-duplicates.")
    add_dataset_arguments(parser)
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")
    parser.set_defaults(handler=run)


def article_key(item: dict[str, Any]) -> tuple[str, str]:
    """What makes two lines the same article: the URL and the hash of the text."""
    return str(item.get("url") or ""), str(item.get("content_hash") or "")


def summarise(items: Any) -> dict[str, Any]:
    per_site_day: Counter[tuple[str, str]] = Counter()
    coverage: Counter[str] = Counter()
    duplicates = total = copies = 0
    seen: set[tuple[str, str]] = set()
    for item in items:
        key = article_key(item)
        if key in seen:
            copies += 1
            continue
        seen.add(key)
        total += 1
        day = str(item.get("fetched_at") or "")[:10] or "unknown"
        per_site_day[(str(item.get("site") or "unknown"), day)] += 1
        coverage.update(name for name, value in item.items() if is_covered(value))
        duplicates += item.get("duplicate_of") is not None
    fields = list(ARTICLE_FIELDS) + sorted(set(coverage) - set(ARTICLE_FIELDS))
    sites: dict[str, dict[str, int]] = {}
    for (site, day), count in sorted(per_site_day.items()):
        sites.setdefault(site, {})[day] = count
    return {
        "items": total,
        "sites": {site: {"items": sum(days.values()), "days": days}
                  for site, days in sites.items()},
        "coverage": {name: round(coverage[name] / total, 4) if total else 0.0
                     for name in fields},
        "near_duplicates": duplicates,
        "duplicate_share": round(duplicates / total, 4) if total else 0.0,
        "copies_skipped": copies,
    }


def render(summary: dict[str, Any], report: ReadReport) -> str:
    lines = [f"{summary['items']} items in {report.files} files; "
             f"near-duplicates {summary['near_duplicates']} "
             f"({summary['duplicate_share']:.1%})"]
    if summary["copies_skipped"]:
        lines.append(f"{summary['copies_skipped']} more copies of these articles in the files "
                     "read were counted once")
    lines += ["", "site / fetch day (UTC)        items"]
    for site, entry in summary["sites"].items():
        lines.append(f"{site:<30}{entry['items']:>6}")
        lines.extend(f"  {day:<28}{count:>6}" for day, count in entry["days"].items())
    lines += ["", "field coverage"]
    lines.extend(f"  {name:<28}{share:>7.1%}" for name, share in summary["coverage"].items())
    if report.torn_files or report.bad_lines:
        lines += ["", f"skipped: {len(report.torn_files)} torn last lines, "
                      f"{report.bad_lines} invalid lines"]
    return "\n".join(lines)


def run(args: argparse.Namespace) -> int:
    report = ReadReport()
    summary = summarise(read(args.paths, report=report, **read_filters(args)))
    if report.files == 0:
        print("newscrawl stats: no dataset files found", file=sys.stderr)
        return 1
    if args.json:
        summary["skipped"] = {"torn_files": report.torn_files, "bad_lines": report.bad_lines}
        print(json.dumps(summary, ensure_ascii=False, indent=2))
    else:
        print(render(summary, report))
    return 0
