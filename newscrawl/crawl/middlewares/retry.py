"""Retries that back off: honour `Retry-After` on 429/503, else wait exponentially longer."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.utils.response import response_status_message


def retry_after_seconds(value: bytes | str | None, now: datetime | None = None) -> float | None:
    """`Retry-After` as seconds: either delta-seconds or an HTTP date (RFC 9110 10.2.3)."""
    if not value:
        return None
    text = value.decode("latin-1") if isinstance(value, bytes) else value
    text = text.strip()
    if text.isdigit():
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    return max(0.0, (when - (now or datetime.now(UTC))).total_seconds())


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's RetryMiddleware plus a wait before each retry.

    The wait is `Retry-After` when the server sends one, else RETRY_BACKOFF_BASE * 2**(n-1)
    for the n-th retry; both are capped at RETRY_BACKOFF_MAX. The waiting request keeps its
    place among the downloader's active requests, which slows the crawl down as a server
    that answers 429/503 asks.
    """

    def __init__(self, settings) -> None:  # type: ignore[no-untyped-def]
        super().__init__(settings)
        self.backoff_base = settings.getfloat("RETRY_BACKOFF_BASE", 1.0)
        self.backoff_max = settings.getfloat("RETRY_BACKOFF_MAX", 120.0)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BackoffRetryMiddleware:
        middleware = cls(crawler.settings)
        middleware.crawler = crawler
        return middleware

    async def process_response(self, request: Request, response: Response,
                               spider: object = None) -> Request | Response:
        if request.meta.get("dont_retry", False) or response.status not in self.retry_http_codes:
            return response
        retry = self._retry(request, response_status_message(response.status))
        if retry is None:
            return response
        delay = self.delay(response, int(retry.meta.get("retry_times", 1)))
        if delay > 0:
            self.crawler.stats.inc_value("newscrawl/retry_wait_seconds", round(delay, 3))
            await asyncio.sleep(delay)
        return retry

    def delay(self, response: Response, attempt: int) -> float:
        announced = retry_after_seconds(response.headers.get(b"Retry-After"))
        wait = announced if announced is not None else self.backoff_base * 2 ** (attempt - 1)
        return min(wait, self.backoff_max)
