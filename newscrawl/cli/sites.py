"""`newscrawl sites`: the site profiles newscrawl knows, what they cover and how they are tested."""

from __future__ import annotations

import argparse
import json
import sys
from collections import Counter
from pathlib import Path
from typing import Any

from newscrawl import fixtures as store
from newscrawl.extraction.profile import SiteProfile

COLUMNS = ("SITE", "HOSTS", "TIMEZONE", "LANG", "DESIGNS", "SECTIONS", "SITEMAPS", "FEEDS",
           "FIXTURES")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "sites", help="list the site profiles with their designs, entry points and fixtures",
        description="List every site profile: hosts, newsroom timezone, page designs (newest "
                    "first), entry points (section pages, sitemaps, feeds) and how many "
                    "fixtures test it.")
    parser.add_argument("names", nargs="*", metavar="SITE", help="only these profiles")
    parser.add_argument("--json", action="store_true",
                        help="one JSON document with every field, for machines")
    parser.add_argument("--long", "-l", action="store_true",
                        help="also print each profile's entry-point URLs under its row")
    parser.add_argument("--root", type=Path, default=None,
                        help="fixtures folder to count (default: ./fixtures, else the project's)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from newscrawl.sites import all_profiles

    profiles = list(all_profiles())
    if args.names:
        known = {p.name for p in profiles}
        unknown = [n for n in args.names if n not in known]
        if unknown:
            print(f"newscrawl sites: no profile named {', '.join(unknown)} "
                  f"(known: {', '.join(sorted(known))})", file=sys.stderr)
            return 2
        profiles = [p for p in profiles if p.name in args.names]
    counts = fixture_counts(_root(args))
    rows = [describe(p, counts) for p in profiles]
    if args.json:
        print(json.dumps({"sites": rows}, ensure_ascii=False, indent=2))
    else:
        print(render_table(rows, long=args.long))
    return 0


def _root(args: argparse.Namespace) -> Path:
    if args.root:
        return args.root
    local = Path.cwd() / "fixtures"
    return local if local.is_dir() else store.FIXTURES_DIR


def fixture_counts(root: Path) -> Counter:
    if not root.is_dir():
        return Counter()
    return Counter(f.site for f in store.iter_fixtures(root=root))


def describe(profile: SiteProfile, counts: Counter) -> dict[str, Any]:
    """Everything `sites` reports about one profile, as JSON-ready data."""
    return {
        "name": profile.name,
        "description": profile.description or None,
        "hosts": list(profile.hosts),
        "timezone": profile.timezone,
        "language": profile.language,
        "designs": [layout.version for layout in profile.layouts],
        # Where each design reads each field, in the order tried.
        "fields": {layout.version: layout.field_sources() for layout in profile.layouts},
        "extractors": [f"{profile.name}@{layout.version}" for layout in profile.layouts],
        "listing_designs": [layout.version for layout in profile.listing_layouts],
        "article_url": profile.article_url,
        "entry_points": {"section_pages": list(profile.section_pages),
                         "sitemaps": list(profile.sitemaps),
                         "feeds": list(profile.feeds)},
        "fixtures": counts.get(profile.name, 0),
    }


def render_table(rows: list[dict[str, Any]], long: bool = False) -> str:
    cells = [COLUMNS]
    for row in rows:
        entry = row["entry_points"]
        cells.append((row["name"], ",".join(row["hosts"]), row["timezone"] or "-",
                      row["language"] or "-", ",".join(row["designs"]) or "-",
                      str(len(entry["section_pages"])), str(len(entry["sitemaps"])),
                      str(len(entry["feeds"])), str(row["fixtures"])))
    widths = [max(len(line[i]) for line in cells) for i in range(len(COLUMNS))]
    lines = []
    for index, line in enumerate(cells):
        lines.append("  ".join(value.ljust(width) for value, width in zip(line, widths,
                                                                          strict=True)).rstrip())
        if long and index:
            entry = rows[index - 1]["entry_points"]
            for kind, label in (("section_pages", "section"), ("sitemaps", "sitemap"),
                                ("feeds", "feed")):
                lines.extend(f"    {label:<8} {url}" for url in entry[kind])
            for version, fields in rows[index - 1]["fields"].items():
                lines.append(f"    design {version}:")
                lines.extend(f"      {name:<13} {' > '.join(sources)}"
                             for name, sources in fields.items())
    total = sum(row["fixtures"] for row in rows)
    lines.append(f"{len(rows)} site profile(s), {total} fixture(s)")
    return "\n".join(lines)
