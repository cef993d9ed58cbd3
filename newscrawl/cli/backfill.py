"""`newscrawl backfill --wayback SITE-OR-URL-PREFIX --since D --until D`: a past period from
the Wayback Machine's captures (spiders/wayback.py), into the same dataset as the crawls.

Exit status as `newscrawl crawl`'s (0 done, 1 extraction broke, 2 bad arguments, 75 state in
use, 130 interrupted). Run again with the same arguments after a kill or Ctrl-C: what was
written is not fetched again.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from newscrawl.cli.crawl import (
    EXIT_USAGE,
    add_output_arguments,
    add_run_arguments,
    add_state_arguments,
    crawl_settings,
    run_spider,
)


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "backfill", help="collect a past period from the Wayback Machine's captures",
        description="List the captures of a site (its profile's hosts) or of a URL prefix in "
                    "[--since, --until) from the Wayback Machine's CDX API, fetch each "
                    "article's original response politely, and extract it into the same "
                    "dataset as a crawl, with the capture's URL and time in `capture`.")
    parser.add_argument("--wayback", required=True, metavar="SITE-OR-URL-PREFIX",
                        help="a site profile name, or a URL prefix (e.g. example.com/news/)")
    parser.add_argument("--since", required=True, metavar="WHEN",
                        help="the window's start (e.g. 2024-05-01 or 30d)")
    parser.add_argument("--until", metavar="WHEN",
                        help="the window's end, exclusive (default: now)")
    parser.add_argument("--delay", type=float, metavar="SECONDS",
                        help="seconds between two requests to the archive "
                             "(setting NEWSCRAWL_WAYBACK_DELAY, default 1)")
    parser.add_argument("--cdx", metavar="URL", help="the CDX API endpoint "
                        "(setting NEWSCRAWL_WAYBACK_CDX, default the Wayback Machine's)")
    parser.add_argument("--replay", metavar="URL", help="where captures are replayed "
                        "(setting NEWSCRAWL_WAYBACK_REPLAY, default the Wayback Machine's)")
    add_output_arguments(parser)
    state = parser.add_argument_group("the crawl state (a crawl's: backfilled articles a crawl "
                                      "wrote are not fetched, and the other way round)")
    add_state_arguments(state)
    add_run_arguments(parser)
    # What `newscrawl crawl` has and a backfill does not.
    parser.set_defaults(handler=run, recrawl_after=None, max_depth=None, warc=None,
                        workers=None, redis=None, worker_id=None, notify=None,
                        notify_command=None, language=None)


def check_arguments(args: argparse.Namespace) -> str | None:
    from newscrawl.crawl.horizon import parse_since

    if args.output and args.overwrite_output:
        return "give -o or -O, not both"
    try:
        since, until = parse_since(args.since), parse_since(args.until)
    except ValueError as error:
        return str(error)
    if until is not None and since is not None and until <= since:
        return f"--until ({args.until}) must be after --since ({args.since})"
    for pair in args.set:
        if "=" not in pair:
            return f"-s wants NAME=VALUE, got {pair!r}"
    return None


def backfill_settings(args: argparse.Namespace) -> Any:
    settings = crawl_settings(args, None)
    chosen: dict[str, Any] = {
        # A backfill is no scheduled run: its article count would mislead the alarms.
        "NEWSCRAWL_ALARMS": False,
        "DOWNLOAD_DELAY": args.delay if args.delay is not None
        else settings.getfloat("NEWSCRAWL_WAYBACK_DELAY", 1.0),
        "CONCURRENT_REQUESTS_PER_DOMAIN": 1,
    }
    if args.cdx:
        chosen["NEWSCRAWL_WAYBACK_CDX"] = args.cdx
    if args.replay:
        chosen["NEWSCRAWL_WAYBACK_REPLAY"] = args.replay
    settings.setdict(chosen, priority="cmdline")
    for pair in args.set:  # -s still has the last word
        name, _, value = pair.partition("=")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


def run(args: argparse.Namespace) -> int:
    problem = check_arguments(args)
    if problem:
        print(f"newscrawl backfill: {problem}", file=sys.stderr)
        return EXIT_USAGE
    from newscrawl.spiders.wayback import WaybackSpider

    return run_spider(args, backfill_settings(args), WaybackSpider, target=args.wayback,
                      since=args.since, until=args.until)
