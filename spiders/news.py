"""`news`: crawl news sites from their section pages, news sitemaps and feeds.

    scrapy crawl news -a site=sputnik            # one or more profiles: site=a,b or site=all
    scrapy crawl news -a start_urls=https://example.com/   # generic mode, no profile

The spider only navigates: extraction is a call into `newscrawl.api` (in worker
processes when NEWSCRAWL_EXTRACT_WORKERS > 0), post-processing belongs to the pipelines.

Settings: NEWSCRAWL_MAX_PAGES_DEPTH (section-page pagination and generic link depth),
NEWSCRAWL_SINCE (`2d` or a date: older entries are not followed), NEWSCRAWL_RECRAWL_AFTER
(`7d`: re-fetch articles fetched longer ago), NEWSCRAWL_STATE_ENABLED / NEWSCRAWL_STATE_PATH
(the crawl state that makes runs incremental).
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from datetime import UTC, datetime, timedelta
from functools import cached_property
from typing import Any
from urllib.parse import urljoin, urlsplit

import scrapy
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.http import Response
from twisted.python.failure import Failure

from newscrawl.crawl import distributed
from newscrawl.crawl.backlog import Backlog
from newscrawl.crawl.discovery import (
    Link,
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
    structured_article,
    url_looks_like_article,
)
from newscrawl.crawl.distributed import DistributedRun
from newscrawl.crawl.extractor import ExtractionRunner
from newscrawl.crawl.horizon import is_after, is_before, parse_duration, parse_since
from newscrawl.crawl.state import crawl_state
from newscrawl.crawl.state.base import StateStore
from newscrawl.extraction import ExtractionError
from newscrawl.extraction.profile import SiteProfile
from newscrawl.model.items import Article
from newscrawl.model.urls import url_host
from newscrawl.sites import all_profiles, profile_named

# Articles go before navigation: a crawl stopped half-way has finished what it found.
ARTICLE_PRIORITY = 10
# Sitemap indexes nest one level on real sites, two at most; a hostile index that lists ever
# new copies of itself (?page=N+1) must not be followed forever.
MAX_SITEMAP_NESTING = 4
_FEED_LINK = re.compile(r"<link\b[^>]*>", re.IGNORECASE)
_ATTR = re.compile(r"""([\w:-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>]+))""")


def _split(value: str | Iterable[str] | None) -> list[str]:
    if not value:
        return []
    items = value.split(",") if isinstance(value, str) else list(value)
    return [item.strip() for item in items if item and item.strip()]


def _root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


class NewsSpider(scrapy.Spider):
    """Its items go through the ITEM_PIPELINES of the crawl settings (validation,
    normalisation, duplicates, then crash-safe JSON Lines: docs/pipelines.md).

    `extractor`, from Python only: an ExtractionRunner whose workers the caller started
    (and closes); without one the spider starts its own.
    """

    name = "news"

    def __init__(self, site: str = "", start_urls: str = "", since: str | None = None,
                 max_depth: str | None = None, recrawl_after: str | None = None,
                 extractor: ExtractionRunner | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.given_extractor = extractor
        names = _split(site)
        if names == ["all"]:
            self.profiles: list[SiteProfile] = list(all_profiles())
        else:
            self.profiles = [profile_named(name) for name in names]
        self.generic_starts = _split(start_urls)
        if not self.profiles and not self.generic_starts:
            raise ValueError("give -a site=NAME[,NAME] (or site=all) or -a start_urls=URL[,URL]")
        self.generic_hosts = {url_host(url) for url in self.generic_starts}
        self.arguments = {"since": since, "max_depth": max_depth, "recrawl_after": recrawl_after}
        self.allowed_domains = sorted(self._hosts())
        # What names this crawl's distributed run by default (NEWSCRAWL_REDIS_RUN).
        self.run_label = "+".join(sorted(names)) if names else "generic-" + "+".join(
            sorted(self.generic_hosts))
        self.navigated: set[str] = set()  # navigation pages read in this process
        self.requested: set[str] = set()  # article URLs asked for in this process

    def _hosts(self) -> set[str]:
        hosts = set(self.generic_hosts)
        for profile in self.profiles:
            hosts.update(profile.hosts)
            hosts.update(url_host(u) for u in (*profile.sitemaps, *profile.feeds,
                                            *profile.section_pages))
        return {host for host in hosts if host}

    # -- set-up ------------------------------------------------------------------------------

    @classmethod
    def update_settings(cls, settings: Any) -> None:
        super().update_settings(settings)
        # REDIS_URL switches to the shared Redis scheduler (docs/distributed.md).
        if distributed.enabled(settings):
            distributed.apply_settings(settings)

    @classmethod
    def from_crawler(cls, crawler: Crawler, *args: Any, **kwargs: Any) -> NewsSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        spider.configure(crawler)
        return spider

    def configure(self, crawler: Crawler) -> None:
        settings = crawler.settings
        since = self.arguments["since"] or settings.get("NEWSCRAWL_SINCE")
        self.horizon: datetime | None = parse_since(since)
        # --until: the window's exclusive end; entries dated at or after it are not followed.
        self.until: datetime | None = parse_since(settings.get("NEWSCRAWL_UNTIL"))
        depth = self.arguments["max_depth"] or settings.get("NEWSCRAWL_MAX_PAGES_DEPTH", 3)
        self.max_depth = int(depth)
        recrawl = self.arguments["recrawl_after"] or settings.get("NEWSCRAWL_RECRAWL_AFTER")
        self.recrawl_after: timedelta | None = parse_duration(recrawl) if recrawl else None
        self.extractor = self.given_extractor or ExtractionRunner.from_settings(settings)
        self.backlog = Backlog(crawler, self.article_request,
                               settings.getint("NEWSCRAWL_MAX_QUEUED", 1000))
        if self.given_extractor is None:
            crawler.signals.connect(self._close_extractor, signal=signals.spider_closed)

    # The crawl state and the distributed run are extensions, which exist once the crawl has
    # started (after the spider was made): looked up on first use.
    @cached_property
    def crawl_state(self) -> StateStore | None:
        return crawl_state(self.crawler)

    @cached_property
    def distributed_run(self) -> DistributedRun | None:
        return DistributedRun.of(self.crawler) if distributed.enabled(self.crawler.settings) \
            else None

    def _close_extractor(self) -> None:
        self.extractor.close()

    def count(self, key: str, value: int = 1) -> None:
        self.crawler.stats.inc_value(f"newscrawl/{key}", value)

    # -- start ---------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[Any]:
        # Start requests are never filtered as duplicates: a run resumed from JOBDIR, or the
        # next scheduled run, reads its entry points again instead of closing at once.
        # Distributed, only the worker that seeds the run queues them (once per run).
        if self.distributed_run is not None and not self.distributed_run.join():
            return
        for request in self.start_requests_list():
            yield request

    def start_requests_list(self) -> list[scrapy.Request]:
        requests: list[scrapy.Request] = []
        for profile in self.profiles:
            requests += [self.listing_request(url, profile.name, 1, start=True)
                         for url in profile.section_pages]
            requests += [self.nav_request(url, "sitemap", self.parse_sitemap, profile.name,
                                          start=True) for url in profile.sitemaps]
            requests += [self.nav_request(url, "feed", self.parse_feed, profile.name, start=True)
                         for url in profile.feeds]
            requests += [self.nav_request(_root(profile.section_pages[0] if profile.section_pages
                                                else f"https://{profile.hosts[0]}/")
                                          + "robots.txt", "robots", self.parse_robots,
                                          profile.name, start=True)]
        for url in self.generic_starts:
            requests.append(self.nav_request(_root(url) + "robots.txt", "robots",
                                             self.parse_robots, None, start=True))
            requests.append(self.nav_request(url, "listing", self.parse_page, None, start=True,
                                             depth=0))
        return [r for r in requests if r is not None]

    def nav_request(self, url: str, kind: str, callback: Any, site: str | None, *,
                    start: bool = False, depth: int = 1) -> scrapy.Request | None:
        """A request for a navigation page (section, sitemap, feed, robots.txt).

        Navigation is re-read on every run and on resume, so it bypasses the persistent
        dupefilter; the spider remembers what it read in this process instead.
        """
        url = url.split("#")[0]
        if url in self.navigated:
            return None
        self.navigated.add(url)
        meta = {"newscrawl_kind": kind, "newscrawl_site": site, "newscrawl_depth": depth,
                "newscrawl_start": start}
        if kind == "robots":
            meta["handle_httpstatus_all"] = True  # a site without robots.txt is no error
        return scrapy.Request(url, callback=callback, errback=self.on_error, dont_filter=True,
                              meta=meta)

    def listing_request(self, url: str, site: str, depth: int, *,
                        start: bool = False) -> scrapy.Request | None:
        return self.nav_request(url, "listing", self.parse_listing, site, start=start,
                                depth=depth)

    def article_request(self, url: str, site: str | None) -> scrapy.Request | None:
        url = url.split("#")[0]
        if url in self.requested:  # found again in this run (feed and sitemap, say)
            return None
        self.requested.add(url)
        if self.crawl_state is not None and not self.crawl_state.should_fetch(
                url, recrawl_after=self.recrawl_after):
            self.count("skipped_seen")
            self.count(f"by_site/{site or url_host(url)}/skipped_seen")
            return None
        return scrapy.Request(url, callback=self.parse_article, errback=self.on_error,
                              priority=ARTICLE_PRIORITY,
                              meta={"newscrawl_kind": "article", "newscrawl_site": site})

    # -- navigation ------------------------------------------------------------------------------

    def wants_article(self, url: str, site: str | None) -> bool:
        if site:
            return profile_named(site).is_article_url(url)
        return url_host(url) in self.generic_hosts

    def follow_links(self, links: Iterable[Link], site: str | None) -> Iterator[scrapy.Request]:
        for link in links:
            if not self.wants_article(link.url, site):
                continue
            if is_before(link.date, self.horizon):
                self.count("skipped_old")
                continue
            if is_after(link.date, self.until):
                self.count("skipped_new")
                continue
            if self.backlog.full():
                # A 50,000-URL sitemap must not become 50,000 queued requests at once: park
                # the URL (a few dozen bytes) until the scheduler has room.
                self.backlog.park(link.url, site)
                continue
            request = self.article_request(link.url, site)
            if request is not None:
                yield request

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        self.count("pages/robots")
        site = response.meta.get("newscrawl_site")
        text = response.body.decode("utf-8", errors="replace") if response.status == 200 else ""
        for url in robots_sitemaps(text, response.url):
            if site is None and url_host(url) not in self.generic_hosts:
                continue
            request = self.nav_request(url, "sitemap", self.parse_sitemap, site)
            if request is not None:
                yield request

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        self.count("pages/sitemap")
        site = response.meta.get("newscrawl_site")
        try:
            sitemap = parse_sitemap(response.body, response.url)
        except ValueError as error:
            sitemap = None
            self.logger.warning("unreadable sitemap %s: %s", response.url, error)
        if sitemap is None:
            self.count("errors/not_a_sitemap")
            return
        if not sitemap.is_index:
            yield from self.follow_links(sitemap.links, site)
            return
        nesting = response.meta.get("newscrawl_depth", 1) + 1
        if nesting > MAX_SITEMAP_NESTING:
            self.count("errors/sitemap_nesting")
            self.logger.warning("sitemap index %s nests over %d deep: not followed",
                                response.url, MAX_SITEMAP_NESTING)
            return
        for child in sitemap.links:
            if is_before(child.lastmod, self.horizon):
                self.count("skipped_old")
                continue
            request = self.nav_request(child.url, "sitemap", self.parse_sitemap, site,
                                       depth=nesting)
            if request is not None:
                yield request

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        self.count("pages/feed")
        try:
            links = parse_feed(response.body, response.url)
        except ValueError as error:
            links = None
            self.logger.warning("unreadable feed %s: %s", response.url, error)
        if links is None:
            self.count("errors/not_a_feed")
            return
        yield from self.follow_links(links, response.meta.get("newscrawl_site"))

    async def parse_listing(self, response: Response) -> AsyncIterator[scrapy.Request]:
        """A section page or a "load more" page: its article links and the next page."""
        self.count("pages/listing")
        site = response.meta["newscrawl_site"]
        try:
            listing = await self.extractor.listing(response.body, response.url, _now(),
                                                   _encoding(response))
        except ExtractionError as error:
            self.count("errors/extraction")
            self.logger.warning("cannot read listing %s: %s", response.url, error)
            return
        links = [Link(entry.url, None, entry.published) for entry in listing.entries]
        for request in self.follow_links(links, site):
            yield request
        depth = response.meta.get("newscrawl_depth", 1)
        if listing.next_page and depth < self.max_depth and not self.all_old(links):
            request = self.listing_request(listing.next_page, site, depth + 1)
            if request is not None:
                yield request

    def all_old(self, links: list[Link]) -> bool:
        """Past the date horizon: every entry has a date and all are older than it."""
        return bool(links) and self.horizon is not None and all(
            is_before(link.date, self.horizon) for link in links)

    async def parse_page(self, response: Response) -> AsyncIterator[Any]:
        """Generic mode: any page of a start host. A story becomes an item; other pages are
        navigation (feeds they announce, links to follow)."""
        if not hasattr(response, "text"):
            self.count("errors/not_html")
            return
        if structured_article(response.text[:200_000]):
            async for result in self.parse_article(response):
                yield result
            return
        self.count("pages/listing")
        for feed in _feed_links(response.text[:200_000], response.url):
            if url_host(feed) in self.generic_hosts:
                request = self.nav_request(feed, "feed", self.parse_feed, None)
                if request is not None:
                    yield request
        depth = response.meta.get("newscrawl_depth", 0)
        for href in response.css("a::attr(href)").getall():
            url = urljoin(response.url, href).split("#")[0]
            on_start_host = url_host(url) in self.generic_hosts
            if not url.startswith(("http://", "https://")) or not on_start_host:
                continue
            if url_looks_like_article(url):
                request = self.article_request(url, None)
            elif depth < self.max_depth:
                request = self.nav_request(url, "listing", self.parse_page, None, depth=depth + 1)
            else:
                request = None
            if request is not None:
                yield request

    # -- articles --------------------------------------------------------------------------------

    async def parse_article(self, response: Response) -> AsyncIterator[Any]:
        self.count("pages/article")
        site = response.meta.get("newscrawl_site")
        try:
            if site is None:  # the crawl's story judgement decides, in the same worker
                article, story = await self.extractor.generic_story(
                    response.body, response.url, _now(), _encoding(response))
            else:
                article, story = await self.extractor.article(
                    response.body, response.url, _now(), _encoding(response)), True
        except ExtractionError as error:
            self.count("errors/extraction")
            self.logger.warning("cannot extract %s: %s", response.url, error)
            return
        if not story:
            self.count("not_a_story")
            return
        warc = response.meta.get("newscrawl_warc")
        if warc is not None and "warc" in Article.__dataclass_fields__:
            article.warc = warc  # type: ignore[attr-defined]
        yield article

    def on_error(self, failure: Failure) -> None:
        from scrapy.spidermiddlewares.httperror import HttpError

        request = failure.request  # type: ignore[attr-defined]
        if failure.check(HttpError):
            status = failure.value.response.status
            kind = f"http_{status}"
        else:
            kind = f"download_{type(failure.value).__name__}"
        self.count(f"errors/{kind}")
        site = request.meta.get("newscrawl_site") or url_host(request.url)
        self.count(f"by_site/{site}/errors/{kind}")
        level = "warning" if request.meta.get("newscrawl_start") else "debug"
        getattr(self.logger, level)("%s %s: %s", request.meta.get("newscrawl_kind"),
                                    request.url, kind)


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


def _encoding(response: Response) -> str | None:
    # The charset the server declared, if any; the extraction core sniffs the rest.
    content_type = response.headers.get(b"Content-Type", b"").decode("latin-1")
    match = re.search(r"charset=([\w-]+)", content_type, re.IGNORECASE)
    return match.group(1) if match else None


def _feed_links(html: str, base_url: str) -> list[str]:
    """`<link rel="alternate" type="application/rss+xml|atom+xml" href>` of a page."""
    found = []
    for tag in _FEED_LINK.findall(html):
        attrs = {m.group(1).lower(): next(g for g in m.groups()[1:] if g is not None)
                 for m in _ATTR.finditer(tag)}
        if "alternate" in attrs.get("rel", "").lower().split() and attrs.get("type", "").lower() \
                in ("application/rss+xml", "application/atom+xml") and attrs.get("href"):
            found.append(urljoin(base_url, attrs["href"]))
    return found
