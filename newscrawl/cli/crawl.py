"""`newscrawl crawl`: crawl sites (by profile, or generically from start URLs), incrementally.

Exit status: 0 done; 1 extraction broke on a site (a field's share fell below the profile's
threshold: the message names site and field), or the crawl did not finish; 2 bad arguments;
3 a run-over-run alarm (a site wrote far fewer articles than its median, or lost coverage of
a field: the message names site and what fell; docs/operations.md); 75 the crawl state is in
use by another run (try again later, or give --wait); 130 interrupted (resume with the same
--jobdir).
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import Any

from newscrawl.cli._filters import add_language_argument
from newscrawl.model.languages import language_codes

EXIT_BROKEN = 1
EXIT_USAGE = 2
EXIT_ALARM = 3
EXIT_LOCKED = 75  # EX_TEMPFAIL: cron and systemd treat it as "try again later"
EXIT_INTERRUPTED = 130

# Against the local mirror, politeness delays only slow tests down; -s overrides these.
MIRROR_SETTINGS = {"DOWNLOAD_DELAY": 0, "AUTOTHROTTLE_ENABLED": False,
                   "CONCURRENT_REQUESTS_PER_DOMAIN": 16}


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "crawl", help="crawl news sites into JSON Lines",
        description="Crawl sites by their profile (section pages, news sitemaps, feeds) or, "
                    "with --start-url, generically. Runs are incremental: articles already "
                    "fetched (see --state) are not requested again.")
    parser.add_argument("sites", nargs="*", metavar="SITE", help="site profile names")
    parser.add_argument("--all", action="store_true", help="every site profile")
    parser.add_argument("--start-url", action="append", default=[], metavar="URL",
                        help="generic mode: crawl this site without a profile (repeatable)")
    add_output_arguments(parser)
    mirror = parser.add_argument_group("offline mirror")
    mirror.add_argument("--mirror", action="store_true",
                        help="start the fixture mirror and crawl it instead of the real sites")
    mirror.add_argument("--mirror-url", metavar="URL",
                        help="crawl a mirror that is already running (`newscrawl mirror`)")
    mirror.add_argument("--fixtures", type=Path, metavar="DIR",
                        help="with --mirror: serve this fixtures folder")
    mirror.add_argument("--mirror-log", type=Path, metavar="FILE",
                        help="with --mirror: the mirror's hit log (JSON Lines)")
    state = parser.add_argument_group("incremental runs")
    add_state_arguments(state)
    state.add_argument("--recrawl-after", metavar="DURATION",
                       help="fetch again articles fetched longer ago (e.g. 7d)")
    state.add_argument("--since", metavar="WHEN",
                       help="follow only entries newer than this (e.g. 2d or 2024-05-01)")
    state.add_argument("--until", metavar="WHEN",
                       help="with --since, a bounded window: follow only entries older than "
                            "this (e.g. 2024-05-08: up to the end of 7 May)")
    state.add_argument("--max-depth", type=int, metavar="N",
                       help="section pages deep, pagination included (default: 3)")
    distributed = parser.add_argument_group("distributed crawling (docs/distributed.md)")
    distributed.add_argument("--redis", metavar="URL",
                             help="share the request queue, seen-set and crawl state of this "
                                  "run with other workers in Redis (setting REDIS_URL), e.g. "
                                  "redis://host:6379/0")
    distributed.add_argument("--worker-id", metavar="ID",
                             help="this worker's unique name; give it again when restarting "
                                  "a worker (default: <host>-<pid>)")
    add_language_argument(parser)
    alarms = parser.add_argument_group("alarms (docs/operations.md)")
    alarms.add_argument("--notify", metavar="URL",
                        help="POST the run's alarms as JSON to this webhook "
                             "(setting NEWSCRAWL_NOTIFY_URL)")
    alarms.add_argument("--notify-command", metavar="CMD",
                        help="run CMD with the alarms as JSON on its standard input "
                             "(setting NEWSCRAWL_NOTIFY_COMMAND)")
    parser.add_argument("--warc", metavar="DIR",
                        help="keep the raw article responses in WARC files in DIR "
                             "(docs/archives.md)")
    parser.add_argument("--workers", type=int, metavar="N",
                        help="extraction worker processes (0: extract in the crawl process)")
    add_run_arguments(parser)
    parser.set_defaults(handler=run)


def add_output_arguments(parser: argparse.ArgumentParser) -> None:
    """Where the items go: the data folder and an optional feed file."""
    parser.add_argument("--data-dir", metavar="DIR",
                        help="where the pipelines write <site>/<day>/<run>.jsonl "
                             "(default: setting NEWSCRAWL_DATA_DIR, ./data)")
    parser.add_argument("-o", "--output", metavar="FILE",
                        help="also append items to FILE (.jsonl, .json, .csv, .xml)")
    parser.add_argument("-O", "--overwrite-output", metavar="FILE",
                        help="write items to FILE, replacing it")


def add_state_arguments(group: Any) -> None:
    """The crawl state a run shares with earlier runs, and Scrapy's JOBDIR."""
    group.add_argument("--state", metavar="PATH", help="crawl state database "
                       "(default: setting NEWSCRAWL_STATE_PATH, .newscrawl/state.sqlite)")
    group.add_argument("--no-state", action="store_true", help="no state: fetch everything")
    group.add_argument("--wait", type=float, default=0.0, metavar="SECONDS",
                       help="wait this long for another run holding the state (default: 0)")
    group.add_argument("--jobdir", metavar="DIR",
                       help="Scrapy JOBDIR: Ctrl-C once pauses, the same command resumes")


def add_run_arguments(parser: argparse.ArgumentParser) -> None:
    """The summary, Scrapy settings and the log."""
    parser.add_argument("--stats", type=Path, metavar="FILE",
                        help="write the end-of-run summary as JSON")
    parser.add_argument("-s", "--set", action="append", default=[], metavar="NAME=VALUE",
                        help="any Scrapy setting (repeatable)")
    parser.add_argument("-L", "--log-level", default=None,
                        help="DEBUG, INFO, WARNING, ERROR: Scrapy's log on the terminal "
                             "(default WARNING) or, with --logfile, in the file (default INFO)")
    parser.add_argument("--logfile", metavar="FILE",
                        help="write Scrapy's log to FILE; the terminal still shows warnings")


def check_arguments(args: argparse.Namespace) -> str | None:
    """A usage error message, or None."""
    from newscrawl.crawl.horizon import parse_duration, parse_since
    from newscrawl.sites import all_profiles

    if not (args.sites or args.all or args.start_url):
        return "give SITE..., --all or --start-url URL"
    known = {p.name for p in all_profiles()}
    unknown = [s for s in args.sites if s not in known]
    if unknown:
        return f"no site profile named {', '.join(unknown)} (known: {', '.join(sorted(known))})"
    if args.output and args.overwrite_output:
        return "give -o or -O, not both"
    try:
        if args.recrawl_after:
            parse_duration(args.recrawl_after)
        since, until = parse_since(args.since), parse_since(args.until)
        if since and until and until <= since:
            return f"--until ({args.until}) must be after --since ({args.since})"
    except ValueError as error:
        return str(error)
    for pair in args.set:
        if "=" not in pair:
            return f"-s wants NAME=VALUE, got {pair!r}"
    return None


# Options that set one setting to their value when given.
OPTION_SETTINGS = {
    "data_dir": "NEWSCRAWL_DATA_DIR", "state": "NEWSCRAWL_STATE_PATH",
    "recrawl_after": "NEWSCRAWL_RECRAWL_AFTER", "since": "NEWSCRAWL_SINCE",
    "until": "NEWSCRAWL_UNTIL", "jobdir": "JOBDIR", "warc": "NEWSCRAWL_WARC_DIR",
    "notify": "NEWSCRAWL_NOTIFY_URL", "notify_command": "NEWSCRAWL_NOTIFY_COMMAND",
    "redis": "REDIS_URL", "worker_id": "NEWSCRAWL_WORKER_ID",
}
# The same for counts, where 0 is a value too.
COUNT_SETTINGS = {"max_depth": "NEWSCRAWL_MAX_PAGES_DEPTH", "workers": "NEWSCRAWL_EXTRACT_WORKERS"}


def crawl_settings(args: argparse.Namespace, mirror_url: str | None) -> Any:
    os.environ.setdefault("SCRAPY_SETTINGS_MODULE", "newscrawl.crawl.settings")
    from scrapy.utils.project import get_project_settings

    from newscrawl.crawl.middlewares.routing import mirror_network

    settings = get_project_settings()
    if mirror_url:
        settings.setdict(MIRROR_SETTINGS, priority="project")
        settings.set("NEWSCRAWL_MIRROR", mirror_url, priority="cmdline")
        allowed = settings.getlist("NEWSCRAWL_ALLOWED_NETWORKS")
        settings.set("NEWSCRAWL_ALLOWED_NETWORKS", [*allowed, mirror_network(mirror_url)],
                     priority="cmdline")
    chosen: dict[str, Any] = {}
    output = args.output or args.overwrite_output
    if output:
        chosen["FEEDS"] = {output: {"format": _feed_format(output),
                                    "overwrite": bool(args.overwrite_output)}}
    chosen.update({setting: getattr(args, option) for option, setting in OPTION_SETTINGS.items()
                   if getattr(args, option)})
    chosen.update({setting: getattr(args, option) for option, setting in COUNT_SETTINGS.items()
                   if getattr(args, option) is not None})
    if args.no_state:
        chosen["NEWSCRAWL_STATE_ENABLED"] = False
    if args.stats:
        chosen["NEWSCRAWL_STATS_FILE"] = str(args.stats)
    if args.language:
        chosen["NEWSCRAWL_LANGUAGES"] = sorted(language_codes(args.language) or ())
    # People first: the progress and the table, not Scrapy's start-up dump (-L INFO has it).
    chosen["NEWSCRAWL_TERMINAL"] = "auto"
    chosen["LOG_LEVEL"] = (args.log_level or ("INFO" if args.logfile else "WARNING")).upper()
    if args.logfile:
        chosen["LOG_FILE"] = args.logfile
    settings.setdict(chosen, priority="cmdline")
    for pair in args.set:
        name, _, value = pair.partition("=")
        settings.set(name.strip(), value, priority="cmdline")
    return settings


def _feed_format(path: str) -> str:
    suffix = Path(path).suffix.lower()
    return {".json": "json", ".csv": "csv", ".xml": "xml"}.get(suffix, "jsonlines")


def run(args: argparse.Namespace) -> int:
    problem = check_arguments(args)
    if problem:
        print(f"newscrawl crawl: {problem}", file=sys.stderr)
        return EXIT_USAGE
    child = None
    mirror_url = args.mirror_url
    try:
        if args.mirror and not mirror_url:
            from newscrawl.crawl.mirror import spawn

            child, mirror_url = spawn(fixtures=args.fixtures, hit_log=args.mirror_log)
        return crawl(args, crawl_settings(args, mirror_url))
    finally:
        if child is not None:
            child.terminate()
            child.wait(timeout=10)


def crawl(args: argparse.Namespace, settings: Any) -> int:

    from newscrawl.crawl.extractor import ExtractionRunner
    from newscrawl.workers import stop_fork_server

    # Workers first, before this process holds a state file, lock or reactor.
    extractor = ExtractionRunner.from_settings(settings)
    try:
        return crawl_with(args, settings, extractor)
    finally:
        extractor.close()
        stop_fork_server()


def crawl_with(args: argparse.Namespace, settings: Any, extractor: Any) -> int:
    from newscrawl.spiders.news import NewsSpider

    sites = "all" if args.all else ",".join(args.sites)
    return run_spider(args, settings, NewsSpider, extractor=extractor, site=sites,
                      start_urls=",".join(args.start_url))


def run_spider(args: argparse.Namespace, settings: Any, spider_class: type,
               **spider_arguments: Any) -> int:
    """Run one spider; the run's exit status (a state held by another run: EXIT_LOCKED)."""
    from scrapy.crawler import CrawlerProcess

    from newscrawl.crawl.state.base import StateLocked

    if settings.get("REDIS_URL"):
        from newscrawl.crawl.redisbase import MissingRedis, require_redis

        try:
            require_redis()
        except MissingRedis as error:
            print(f"newscrawl crawl: {error}", file=sys.stderr)
            return EXIT_USAGE
    if args.wait:
        settings.set("NEWSCRAWL_STATE_WAIT", args.wait, priority="cmdline")
    process = CrawlerProcess(settings)
    if settings.get("LOG_FILE"):
        _warnings_to_terminal()
    crawler = process.create_crawler(spider_class)
    failures: list[Any] = []
    # The state opens as the crawl starts (newscrawl.crawl.state.CrawlStateExtension): one
    # held by another run ends this one with a clear message.
    process.crawl(crawler, **spider_arguments).addErrback(failures.append)
    process.start()
    for failure in failures:
        if failure.check(StateLocked):
            print(f"newscrawl crawl: {failure.value}", file=sys.stderr)
            return EXIT_LOCKED
        print(failure.getTraceback(), file=sys.stderr)
    return outcome(crawler)


def _warnings_to_terminal() -> None:
    """Beside Scrapy's log file, warnings and errors also go to the terminal."""
    import logging

    from scrapy.utils.log import get_scrapy_root_handler

    handler = logging.StreamHandler(sys.stderr)
    handler.setLevel(logging.WARNING)
    scrapy_handler = get_scrapy_root_handler()
    if scrapy_handler is not None:
        handler.setFormatter(scrapy_handler.formatter)
    logging.getLogger().addHandler(handler)


def outcome(crawler: Any) -> int:
    from newscrawl.crawl.extensions.report import RunSummary

    try:
        extension = crawler.get_extension(RunSummary)
    except RuntimeError:  # the crawl failed before its extensions were made
        extension = None
    summary = extension.summary if extension else None
    if summary is None:
        print("newscrawl crawl: the crawl did not finish (see the log above)", file=sys.stderr)
        return EXIT_BROKEN
    for entry in summary["broken"]:
        print(f"newscrawl crawl: extraction broke on site {entry['site']}: field "
              f"{entry['field']} in {entry['share']:.0%} of items, below the profile's "
              f"threshold of {entry['threshold']:.0%}", file=sys.stderr)
    for alarm in summary.get("alarms") or ():
        print(f"newscrawl crawl: alarm: {alarm['message']}", file=sys.stderr)
    if summary["broken"]:
        return EXIT_BROKEN
    if summary["finish_reason"] == "shutdown":
        return EXIT_INTERRUPTED
    if summary.get("alarms"):
        return EXIT_ALARM
    return 0
