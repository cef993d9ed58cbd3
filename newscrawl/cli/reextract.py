"""`newscrawl reextract`: run the current extractors over archived responses (WARC files)."""

from __future__ import annotations

import argparse
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "reextract", help="re-extract archived article responses from WARC files",
        description="Apply the current extractors to the HTML responses (status 200) archived "
                    "in WARC files and write the new items, each with its `warc` location. "
                    "With --compare, report per site and field how many items changed "
                    "against an earlier run's JSON Lines (matched by url).")
    parser.add_argument("warcs", nargs="+", type=Path, metavar="WARC")
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT",
                        help="where the new items go (JSON Lines)")
    parser.add_argument("--compare", type=Path, metavar="OLD.jsonl",
                        help="an earlier run's items to compare with; report on stdout")
    parser.add_argument("--examples", type=int, default=3, metavar="N",
                        help="examples shown per site and field (default 3)")
    parser.add_argument("--generic", action="store_true", help="disable site profiles")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="worker processes (default: all cores; 0: extract in this process)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from newscrawl.archives.cli import run_reextract

    return run_reextract(args)
