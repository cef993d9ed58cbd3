"""In mirror mode, follow only links to pages the mirror holds.

Saved pages are real pages: a saved section page links to every story that was on it, and the
mirror holds only the few that were saved too. Crawled against the mirror, each of those links
would be a 404, an error that says nothing about the crawler. This spider middleware reads
what the mirror holds (its `/newscrawl-mirror/holdings.json`, newscrawl.crawl.mirror) once,
and drops the requests a callback yields for any other URL, counting them as
`newscrawl/mirror/not_held` (the run summary's `not_in_mirror`): the run says how many links it
did not follow, and why, instead of pretending they do not exist.

Off without a mirror (NEWSCRAWL_MIRROR), or with NEWSCRAWL_MIRROR_HELD_ONLY = False; a
mirror that does not answer the holdings request is crawled unfiltered (with a warning).
"""

from __future__ import annotations

import json
import logging
import re
import urllib.request
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from newscrawl.crawl.mirror import HOLDINGS_HOST, HOLDINGS_PATH, key_of

logger = logging.getLogger(__name__)

NOT_HELD_STAT = "newscrawl/mirror/not_held"


class Holdings:
    """What a mirror serves: exact `host/path?query` keys and URL patterns."""

    def __init__(self, pages: Iterable[str], patterns: Iterable[str] = ()) -> None:
        self.pages = frozenset(pages)
        compiled = [f"(?:{p})" for p in patterns]
        self.pattern = re.compile("|".join(compiled)) if compiled else None

    @classmethod
    def fetch(cls, mirror: str, timeout: float = 10.0, user_agent: str = "") -> Holdings:
        url = f"{mirror.rstrip('/')}/{HOLDINGS_HOST}{HOLDINGS_PATH}"
        request = urllib.request.Request(url, headers={"User-Agent": user_agent} if user_agent
                                         else {})
        with urllib.request.urlopen(request, timeout=timeout) as answer:  # noqa: S310
            data = json.loads(answer.read())
        return cls(data["pages"], data.get("patterns", ()))

    def holds(self, url: str) -> bool:
        host, path = key_of(url)
        key = host + path
        return key in self.pages or bool(self.pattern and self.pattern.fullmatch(key))


class MirrorHoldingsMiddleware:
    """Spider middleware: see the module doc."""

    def __init__(self, crawler: Crawler, holdings: Holdings) -> None:
        self.stats = crawler.stats
        self.holdings = holdings

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> MirrorHoldingsMiddleware:
        mirror = crawler.settings.get("NEWSCRAWL_MIRROR")
        if not mirror or not crawler.settings.getbool("NEWSCRAWL_MIRROR_HELD_ONLY", True):
            raise NotConfigured
        try:
            holdings = Holdings.fetch(mirror, user_agent=crawler.settings.get("USER_AGENT"))
        except (OSError, ValueError, KeyError) as error:
            logger.warning("the mirror %s did not say what it holds (%s): every link is "
                           "followed", mirror, error)
            raise NotConfigured from error
        return cls(crawler, holdings)

    def keep(self, output: Any) -> bool:
        if not isinstance(output, Request) or self.holdings.holds(output.url):
            return True
        self.stats.inc_value(NOT_HELD_STAT)
        return False

    def process_spider_output(self, response: Any, result: Iterable[Any],
                              spider: Any = None) -> Iterator[Any]:
        return (output for output in result if self.keep(output))

    async def process_spider_output_async(self, response: Any, result: AsyncIterator[Any],
                                          spider: Any = None) -> AsyncIterator[Any]:
        async for output in result:
            if self.keep(output):
                yield output
