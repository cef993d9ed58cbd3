"""What a crawl did: a progress line while it runs and a summary when it ends.

The summary (logged, and written as JSON to `NEWSCRAWL_STATS_FILE` when set) counts pages
fetched, articles written, articles skipped as already seen, items dropped, errors by kind,
and per site the share of items having each field. A share below the site profile's
threshold means extraction broke (the site changed its markup): the summary lists it under
`broken`, logs an error naming the site and field, and `newscrawl crawl` exits non-zero.
Shares count every extracted item, whether the pipelines wrote or dropped it. A field whose
extraction raised (left empty, the rest of the item kept) is logged once per item and
counted as `newscrawl/field_errors/<site>/<field>`, listed under `field_errors`.

Per site it also counts pages fetched, duplicates dropped, articles skipped as already seen
and errors by kind (the spider's `newscrawl/by_site/<site>/...` counters), for the terminal's
table (newscrawl.crawl.progress). Once built, the summary is sent with the
`summary_ready` signal, so that other extensions (newscrawl.crawl.alarms) can add to it
before it is logged and written.
"""

from __future__ import annotations

import json
import logging
import sys
import time
from collections import Counter, defaultdict
from pathlib import Path
from typing import Any

from itemadapter import ItemAdapter
from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from twisted.internet import task

from newscrawl.model.urls import url_host

logger = logging.getLogger(__name__)

# The fields whose presence is worth watching (the others are always set by construction).
WATCHED_FIELDS = ("headline", "lead", "section", "authors", "published", "modified",
                  "dateline", "body", "images", "related", "tags")
ERROR_PREFIX = "newscrawl/errors/"
FIELD_ERROR_PREFIX = "newscrawl/field_errors/"
BY_SITE_PREFIX = "newscrawl/by_site/"
# Sent by RunSummary with `summary=` (a dict other handlers may add keys to) when a run ends.
summary_ready = object()


TERMINAL_MODES = ("auto", "live", "plain", "off")


def terminal_setting(configured: str | None) -> str:
    """NEWSCRAWL_TERMINAL as one of TERMINAL_MODES (unset is "off")."""
    mode = (configured or "off").strip().lower()
    if mode not in TERMINAL_MODES:
        raise ValueError(f"NEWSCRAWL_TERMINAL must be one of {', '.join(TERMINAL_MODES)}, "
                         f"got {mode!r}")
    return mode


def error_total(stats: dict[str, Any]) -> int:
    """The run's errors so far: the spider's counted kinds and exceptions in callbacks."""
    return sum(value for key, value in stats.items()
               if key.startswith((ERROR_PREFIX, "spider_exceptions/")))


def _present(value: Any) -> bool:
    if isinstance(value, dict):
        return any(_present(v) for v in value.values())
    return value not in (None, "", [], {}, 0)


def thresholds_for(site: str) -> dict[str, float]:
    from newscrawl.sites import profile_named

    try:
        return dict(profile_named(site).thresholds)
    except KeyError:  # generic items: reported, never judged against a profile
        return {}


class RunSummary:
    """Extension: field coverage per site, the end-of-run summary and the threshold check."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.stats_file = crawler.settings.get("NEWSCRAWL_STATS_FILE")
        self.min_items = crawler.settings.getint("NEWSCRAWL_THRESHOLD_MIN_ITEMS", 1)
        self.items: Counter[str] = Counter()  # written (passed the pipelines)
        self.extracted: Counter[str] = Counter()  # written or dropped
        self.fields: dict[str, Counter[str]] = defaultdict(Counter)
        self.dropped: Counter[str] = Counter()
        self.fetched: Counter[str] = Counter()
        self.duplicates: Counter[str] = Counter()
        self.crawled: list[str] = []
        self.summary: dict[str, Any] | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunSummary:
        extension = cls(crawler)
        crawler.signals.connect(extension.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(extension.item_dropped, signal=signals.item_dropped)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.response_received, signal=signals.response_received)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        # Sites crawled this run, even those that yield nothing (a site gone quiet).
        self.crawled = [profile.name for profile in getattr(spider, "profiles", ())]

    def response_received(self, response: Any, request: Any, spider: Spider | None = None
                          ) -> None:
        self.fetched[request.meta.get("newscrawl_site") or url_host(request.url)] += 1

    def item_scraped(self, item: Any, response: Any = None, spider: Spider | None = None) -> None:
        site = self.observe(item)
        self.items[site] += 1

    def item_dropped(self, item: Any, response: Any = None, exception: BaseException | None = None,
                     spider: Spider | None = None) -> None:
        # Dropped items count for field coverage too: a validation pipeline that drops pages
        # without a body must not hide that extraction stopped finding bodies.
        site = self.observe(item)
        text = f"{type(exception).__name__} {exception}".lower()
        self.dropped["duplicate" if "duplicate" in text else type(exception).__name__] += 1
        self.duplicates[site] += "duplicate" in text

    def observe(self, item: Any) -> str:
        adapter = ItemAdapter(item)
        site = adapter.get("site") or "unknown"
        self.extracted[site] += 1
        for name in WATCHED_FIELDS:
            if _present(adapter.get(name)):
                self.fields[site][name] += 1
        if not str(adapter.get("extractor") or "generic@").startswith("generic@"):
            self.fields[site]["design"] += 1
        for name, message in (getattr(item, "field_errors", None) or {}).items():
            self.crawler.stats.inc_value(f"{FIELD_ERROR_PREFIX}{site}/{name}")
            logger.warning("site %s: field %s of %s left empty, its extraction failed: %s",
                           site, name, adapter.get("url"), message)
        return site

    def build(self, reason: str) -> dict[str, Any]:
        stats = self.crawler.stats.get_stats()
        errors = {key.removeprefix(ERROR_PREFIX): value for key, value in sorted(stats.items())
                  if key.startswith(ERROR_PREFIX)}
        # Bugs, too: an exception in a callback is an error of its own kind.
        errors.update({"spider_" + key.removeprefix("spider_exceptions/"): value
                       for key, value in sorted(stats.items())
                       if key.startswith("spider_exceptions/")})
        sites: dict[str, Any] = {}
        broken: list[dict[str, Any]] = []
        for site in sorted({*self.extracted, *self.crawled}):
            count = self.extracted[site]
            shares = {name: round(self.fields[site][name] / count, 4) if count else 0.0
                      for name in (*WATCHED_FIELDS, "design")}
            thresholds = thresholds_for(site)
            sites[site] = {"items": count, "written": self.items[site], "fields": shares,
                           "thresholds": thresholds, **self.site_counts(site, stats)}
            if count < self.min_items:
                continue
            for name, minimum in thresholds.items():
                if shares.get(name, 0.0) < minimum:
                    broken.append({"site": site, "field": name, "share": shares.get(name, 0.0),
                                   "threshold": minimum})
        return {
            "finish_reason": reason,
            "pages_fetched": stats.get("response_received_count", 0),
            "pages_by_kind": {key.removeprefix("newscrawl/pages/"): value
                              for key, value in sorted(stats.items())
                              if key.startswith("newscrawl/pages/")},
            "articles_written": sum(self.items.values()),
            "skipped_as_seen": stats.get("newscrawl/skipped_seen", 0),
            "skipped_as_old": stats.get("newscrawl/skipped_old", 0),
            "skipped_as_new": stats.get("newscrawl/skipped_new", 0),  # past --until
            # Links a mirror crawl did not follow: the saved pages link to stories not saved.
            "not_in_mirror": stats.get("newscrawl/mirror/not_held", 0),
            "dropped_as_duplicates": self.dropped.get("duplicate", 0),
            "dropped": dict(self.dropped),
            "errors": errors,
            "error_count": sum(errors.values()),
            "field_errors": {key.removeprefix(FIELD_ERROR_PREFIX): value
                             for key, value in sorted(stats.items())
                             if key.startswith(FIELD_ERROR_PREFIX)},
            "elapsed_seconds": stats.get("elapsed_time_seconds"),
            "sites": sites,
            "broken": broken,
        }

    def site_counts(self, site: str, stats: dict[str, Any]) -> dict[str, Any]:
        prefix = f"{BY_SITE_PREFIX}{site}/"
        return {"fetched": self.fetched[site], "duplicates": self.duplicates[site],
                "skipped_as_seen": stats.get(prefix + "skipped_seen", 0),
                "errors": {key.removeprefix(prefix + "errors/"): value
                           for key, value in sorted(stats.items())
                           if key.startswith(prefix + "errors/")}}

    def spider_closed(self, spider: Spider, reason: str) -> None:
        self.summary = self.build(reason)
        self.crawler.signals.send_catch_log(summary_ready, summary=self.summary,
                                            spider=spider)
        logger.info("newscrawl summary: %s", json.dumps(self.summary, sort_keys=True))
        for entry in self.summary["broken"]:
            logger.error("extraction broke on site %s: field %s present in %.0f%% of items "
                         "(threshold %.0f%%)", entry["site"], entry["field"],
                         100 * entry["share"], 100 * entry["threshold"])
        if self.stats_file:
            path = Path(self.stats_file)
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(json.dumps(self.summary, indent=2, sort_keys=True) + "\n", "utf-8")


class Progress:
    """Extension: one line every NEWSCRAWL_PROGRESS_INTERVAL seconds (pages/min, items, errors).

    The default interval is 10 s on a terminal and 60 s otherwise, so that logs collected by
    cron, systemd or Scrapyd get one line a minute, not a flood.
    """

    def __init__(self, crawler: Crawler, interval: float) -> None:
        self.crawler = crawler
        self.interval = interval
        self.loop: task.LoopingCall | None = None
        self.last = (time.monotonic(), 0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if terminal_setting(crawler.settings.get("NEWSCRAWL_TERMINAL")) != "off":
            # newscrawl.crawl.progress.TerminalReport shows the progress itself.
            raise NotConfigured
        configured = crawler.settings.get("NEWSCRAWL_PROGRESS_INTERVAL")
        interval = float(configured) if configured not in (None, "") else (
            10.0 if sys.stderr.isatty() else 60.0)
        if interval <= 0:
            raise NotConfigured
        extension = cls(crawler, interval)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Spider) -> None:
        self.last = (time.monotonic(), 0)
        self.loop = task.LoopingCall(self.log)
        self.loop.start(self.interval, now=False)

    def line(self) -> str:
        stats = self.crawler.stats.get_stats()
        pages = stats.get("response_received_count", 0)
        started, before = self.last
        now = time.monotonic()
        rate = (pages - before) * 60.0 / max(now - started, 1e-9)
        self.last = (now, pages)
        errors = error_total(stats)
        return (f"progress: {pages} pages ({rate:.0f} pages/min), "
                f"{stats.get('item_scraped_count', 0)} items, "
                f"{stats.get('newscrawl/skipped_seen', 0)} skipped as seen, {errors} errors")

    def log(self) -> None:
        logger.info(self.line())

    def spider_closed(self, spider: Spider) -> None:
        if self.loop is not None and self.loop.running:
            self.loop.stop()
