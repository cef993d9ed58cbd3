"""Options shared by the dataset subcommands (export, stats)."""

from __future__ import annotations

import argparse
from typing import Any


def add_dataset_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="JSON Lines files (.jsonl, .jsonl.gz), folders or globs")
    parser.add_argument("--site", action="append",
                        help="only this site (repeat for several)")
    parser.add_argument("--since", help="published (else fetched) at or after this ISO date")
    parser.add_argument("--until", help="published (else fetched) before this ISO date")


def read_filters(args: argparse.Namespace) -> dict[str, Any]:
    return {"site": args.site, "since": args.since, "until": args.until}
