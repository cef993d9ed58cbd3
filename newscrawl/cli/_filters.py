"""Options shared by the dataset subcommands (export, stats)."""

from __future__ import annotations

import argparse
from typing import Any

from newscrawl.model.languages import language_codes


def add_dataset_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("paths", nargs="+", metavar="PATH",
                        help="JSON Lines files (.jsonl, .jsonl.gz), folders or globs")
    parser.add_argument("--site", action="append",
                        help="only this site (repeat for several)")
    parser.add_argument("--since", help="published (else fetched) at or after this ISO date")
    parser.add_argument("--until", help="published (else fetched) before this ISO date")
    add_language_argument(parser)


def language_argument(value: str) -> str:
    """An argparse type: the value as given, once it is known to hold language codes."""
    try:
        language_codes(value)
    except ValueError as error:
        raise argparse.ArgumentTypeError(str(error)) from error
    return value


def add_language_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--language", action="append", metavar="CODE", type=language_argument,
                        help="only articles in this language (ISO 639-1, e.g. en; repeat or "
                             "give en,de for several)")


def read_filters(args: argparse.Namespace) -> dict[str, Any]:
    return {"site": args.site, "since": args.since, "until": args.until,
            "language": args.language}
