"""What a person running `newscrawl crawl` sees: live progress, then a table per site.

Extension `TerminalReport`, switched by NEWSCRAWL_TERMINAL:

- `auto` (what `newscrawl crawl` sets): `live` when standard output is a terminal, else
  `plain`;
- `live`: one progress bar, redrawn in place (pages, articles, pages/s, errors, queue);
- `plain`: the same figures as one line every NEWSCRAWL_PROGRESS_INTERVAL seconds (default
  60), without animation or colour, for cron mail, CI logs and pipes;
- `off` (the default for `scrapy crawl` and Scrapyd, whose log is the output).

Either way, the run ends with the per-site table: pages fetched, new articles, articles skipped
as already seen, duplicates dropped, errors by kind, and field coverage with every field under
its profile's threshold marked. The figures are RunSummary's
(newscrawl.crawl.extensions.report), so the table and the `--stats` JSON never disagree.
Terminal output is rich's.
"""

from __future__ import annotations

import logging
import sys
import time
from typing import TYPE_CHECKING, Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

if TYPE_CHECKING:
    from rich.console import Console
    from rich.progress import Progress
    from rich.table import Table

from newscrawl.crawl.extensions.report import RunSummary, error_total, terminal_setting

LIVE_UPDATE_SECONDS = 0.5
PLAIN_WIDTH = 120  # rich's 80 columns would wrap the table in a log file
# Fields shown for a site without thresholds (generic mode), besides those with one.
SHOWN_FIELDS = ("headline", "body", "published")


def choose_mode(configured: str, stream: Any) -> str:
    mode = terminal_setting(configured)
    if mode == "auto":
        return "live" if stream.isatty() else "plain"
    return mode


def make_console(mode: str, stream: Any = None) -> Console:
    # rich is imported here, not with the module: Scrapy imports every listed extension, and
    # rich would add about 6 MB to a crawl process whose terminal is off (scrapy crawl, Scrapyd).
    from rich.console import Console

    stream = stream if stream is not None else sys.stdout
    if mode == "live":
        return Console(file=stream)
    return Console(file=stream, force_terminal=False, no_color=True, width=PLAIN_WIDTH,
                   highlight=False)


class TerminalReport:
    """Extension: see the module doc."""

    def __init__(self, crawler: Crawler, mode: str, interval: float,
                 console: Console | None = None) -> None:
        self.crawler = crawler
        self.mode = mode
        self.interval = interval
        self.console = console or make_console(mode)
        self.started = time.monotonic()
        self.loop: task.LoopingCall | None = None
        self.bar: Progress | None = None
        self.task_id: Any = None
        self.swapped: list[tuple[logging.StreamHandler, Any]] = []

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> TerminalReport:
        try:
            mode = choose_mode(crawler.settings.get("NEWSCRAWL_TERMINAL"), sys.stdout)
        except ValueError as error:
            raise NotConfigured(str(error)) from error
        if mode == "off":
            raise NotConfigured
        configured = crawler.settings.get("NEWSCRAWL_PROGRESS_INTERVAL")
        interval = float(configured) if configured not in (None, "") else 60.0
        extension = cls(crawler, mode, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    # -- while it runs -------------------------------------------------------------------------

    def figures(self) -> dict[str, Any]:
        stats = self.crawler.stats.get_stats()
        pages = stats.get("response_received_count", 0)
        return {"pages": pages, "articles": stats.get("item_scraped_count", 0),
                "rate": pages / max(time.monotonic() - self.started, 1e-9),
                "errors": error_total(stats), "queue": self.queue()}

    def queue(self) -> int:
        """Requests waiting: the scheduler's, plus article URLs parked in the spider's backlog."""
        spider = getattr(self.crawler, "spider", None)
        backlog = getattr(spider, "backlog", None)
        if backlog is None:
            return 0
        return backlog.queued() + len(backlog.parked)

    def line(self) -> str:
        f = self.figures()
        return (f"{f['pages']} pages · {f['articles']} articles · {f['rate']:.1f} pages/s · "
                f"{f['errors']} errors · {f['queue']} queued")

    def spider_opened(self, spider: Spider) -> None:
        self.started = time.monotonic()
        if self.mode == "live":
            from rich.progress import (
                BarColumn,
                Progress,
                SpinnerColumn,
                TextColumn,
                TimeElapsedColumn,
            )

            self.bar = Progress(SpinnerColumn(), TextColumn("[bold]crawling[/]"),
                                BarColumn(bar_width=12), TextColumn("{task.description}"),
                                TimeElapsedColumn(), console=self.console,
                                refresh_per_second=4, redirect_stderr=True)
            self.bar.start()
            self.task_id = self.bar.add_task(self.line(), total=None)
            self._route_log_through_bar()
            self.loop = task.LoopingCall(self.update)
            self.loop.start(LIVE_UPDATE_SECONDS, now=False)
        elif self.interval > 0:
            self.loop = task.LoopingCall(self.print_line)
            self.loop.start(self.interval, now=False)

    def _route_log_through_bar(self) -> None:
        # Log handlers keep the stream they were made with; pointed at the bar's proxy
        # (rich swapped sys.stderr), warnings print above the bar instead of through it.
        for handler in logging.getLogger().handlers:
            if isinstance(handler, logging.StreamHandler) and handler.stream is sys.__stderr__:
                self.swapped.append((handler, handler.setStream(sys.stderr)))

    def update(self) -> None:
        if self.bar is not None:
            self.bar.update(self.task_id, description=self.line())

    def print_line(self) -> None:
        self.console.print(f"progress: {self.line()}")

    # -- at the end ------------------------------------------------------------------------------

    def spider_closed(self, spider: Spider, reason: str) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
        if self.bar is not None:
            self.update()
            self.bar.stop()
            for handler, stream in self.swapped:
                handler.setStream(stream)
        extension = self.crawler.get_extension(RunSummary)
        summary = extension.summary if extension else None
        if summary is not None:
            render_summary(summary, self.console)


def coverage_cell(entry: dict[str, Any]) -> str:
    """The site's watched fields with their shares; those under the threshold marked ✗."""
    thresholds = entry.get("thresholds") or {}
    names = list(thresholds) + [n for n in SHOWN_FIELDS if n not in thresholds]
    parts = []
    for name in names:
        share = entry["fields"].get(name, 0.0)
        minimum = thresholds.get(name)
        if entry["items"] and minimum is not None and share < minimum:
            parts.append(f"[bold red]✗ {name} {share:.0%} (< {minimum:.0%})[/]")
        else:
            parts.append(f"{name} {share:.0%}")
    return ", ".join(parts) if entry["items"] else "[dim]no items[/]"


def errors_cell(errors: dict[str, int]) -> str:
    if not errors:
        return "0"
    return "\n".join(f"[red]{kind} {count}[/]" for kind, count in sorted(errors.items()))


def summary_table(summary: dict[str, Any]) -> Table:
    from rich.table import Table

    # The footers are the run's own totals, which include pages outside any site.
    table = Table(title=f"newscrawl run: {summary['finish_reason']}", title_justify="left",
                  show_footer=True)
    table.add_column("site", footer="all sites")
    table.add_column("fetched", justify="right", footer=str(summary["pages_fetched"]))
    table.add_column("new articles", justify="right", footer=str(summary["articles_written"]))
    table.add_column("skipped as seen", justify="right",
                     footer=str(summary["skipped_as_seen"]))
    table.add_column("duplicates", justify="right",
                     footer=str(summary["dropped_as_duplicates"]))
    table.add_column("errors", footer=errors_cell(summary["errors"]))
    table.add_column("field coverage (✗ under the site's threshold)", ratio=1)
    alarmed = {alarm["site"] for alarm in summary.get("alarms") or ()}
    for site, entry in summary["sites"].items():
        name = f"[bold yellow]{site} ⚠[/]" if site in alarmed else site
        table.add_row(name, str(entry.get("fetched", 0)), str(entry["written"]),
                      str(entry.get("skipped_as_seen", 0)), str(entry.get("duplicates", 0)),
                      errors_cell(entry.get("errors") or {}), coverage_cell(entry))
    return table


def render_summary(summary: dict[str, Any], console: Console) -> None:
    console.print(summary_table(summary))
    elapsed = summary.get("elapsed_seconds")
    rate = (f", {summary['pages_fetched'] / elapsed:.1f} pages/s" if elapsed else "")
    console.print(f"{summary['pages_fetched']} pages, {summary['articles_written']} new "
                  f"articles, {summary['error_count']} errors in {elapsed or 0:.1f} s{rate}")
    if summary.get("not_in_mirror"):
        console.print(f"{summary['not_in_mirror']} links to pages the mirror does not hold "
                      "were not followed")
