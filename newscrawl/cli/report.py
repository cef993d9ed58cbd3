"""`newscrawl report DATA_DIR -o report.html`: one self-contained page about a dataset's runs."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "report", help="write an HTML page with plots of a dataset's runs",
        description="Articles per site per day, field coverage per site over runs, duplicate "
                    "share, errors and faults per run, and the latest run, from the run "
                    "manifests and the run history of a data folder. The page is one file "
                    "that needs no network to be viewed.")
    parser.add_argument("data_dir", type=Path, metavar="DATA_DIR",
                        help="the crawl's data folder (NEWSCRAWL_DATA_DIR)")
    parser.add_argument("-o", "--output", type=Path, default=Path("report.html"),
                        metavar="FILE", help="the page to write (default: report.html)")
    parser.add_argument("--history", type=Path, metavar="DIR",
                        help="the run history (default: DATA_DIR/runs, setting "
                             "NEWSCRAWL_HISTORY_DIR)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    from newscrawl.crawl.runreport import MissingDependency, write_report

    if not args.data_dir.is_dir():
        print(f"newscrawl report: no data folder {args.data_dir}", file=sys.stderr)
        return 1
    try:
        data = write_report(args.data_dir, args.output, args.history)
    except MissingDependency as error:
        print(f"newscrawl report: {error}", file=sys.stderr)
        return 1
    if not data.manifests and not data.runs:
        print(f"newscrawl report: {args.data_dir} holds no run manifests and no run history; "
              f"{args.output} says so", file=sys.stderr)
    print(f"wrote {args.output} ({len(data.manifests)} run manifests, {len(data.runs)} run "
          "records)")
    return 0
