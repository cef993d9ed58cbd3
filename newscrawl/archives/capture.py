"""A Scrapy downloader middleware that archives every article response in WARC files.

Enable it by setting NEWSCRAWL_WARC_DIR (newscrawl/crawl/settings.py lists it at priority 540).
It must sit below HttpCompressionMiddleware (590) so that it sees the body Scrapy decoded,
and below RetryMiddleware (550) and the redirect middlewares so that it stores only final
responses, not the ones that were retried or redirected away.

HttpCompressionMiddleware deletes the Content-Encoding header once it has decoded the body,
so a companion, ContentEncodingNoteMiddleware at 595 (just above it), notes the header as it
arrived; the capture then keeps it as X-Archive-Orig-Content-Encoding.
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from scrapy import Request, Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.http import Response

from newscrawl.archives.writer import (
    DEFAULT_MAX_FILE_SIZE,
    DEFAULT_PREFIX,
    Exchange,
    RotatingWarcWriter,
)

logger = logging.getLogger(__name__)

KIND_META = "newscrawl_kind"
LOCATION_META = "newscrawl_warc"
ENCODING_META = "newscrawl_warc_content_encoding"
CAPTURED_KINDS = frozenset({"article"})


def _headers(raw: Any) -> list[tuple[str, str]]:
    """Scrapy's Headers (bytes, multi-valued) as (name, value) text pairs."""
    pairs = []
    for name, values in raw.items():
        for value in values:
            pairs.append((name.decode("latin-1"), value.decode("latin-1")))
    return pairs


def exchange_of(request: Request, response: Response) -> Exchange:
    ip_address = getattr(response, "ip_address", None)
    headers = _headers(response.headers)
    noted = request.meta.get(ENCODING_META)
    if noted and not any(name.lower() == "content-encoding" for name, _ in headers):
        headers += [("Content-Encoding", value) for value in noted]  # renamed by the writer
    return Exchange(
        url=response.url, status=response.status, body=response.body,
        response_headers=headers, method=request.method,
        request_headers=_headers(request.headers), request_body=request.body or b"",
        date=datetime.now(UTC), ip_address=str(ip_address) if ip_address else None)


class ContentEncodingNoteMiddleware:
    """Notes a captured response's Content-Encoding before HttpCompressionMiddleware drops it."""

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ContentEncodingNoteMiddleware:
        if not crawler.settings.get("NEWSCRAWL_WARC_DIR"):
            raise NotConfigured  # no message: Scrapy would warn about a capture nobody asked for
        return cls()

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        if request.meta.get(KIND_META) in CAPTURED_KINDS:
            encodings = [value.decode("latin-1")
                         for value in response.headers.getlist("Content-Encoding")]
            if encodings:
                request.meta[ENCODING_META] = encodings
            else:
                request.meta.pop(ENCODING_META, None)
        return response


class WarcCaptureMiddleware:
    """Writes request and response records for responses whose request meta kind is captured."""

    def __init__(self, writer: RotatingWarcWriter, stats: Any = None) -> None:
        self.writer = writer
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WarcCaptureMiddleware:
        settings = crawler.settings
        directory = settings.get("NEWSCRAWL_WARC_DIR")
        if not directory:
            raise NotConfigured  # no message: Scrapy would warn about a capture nobody asked for
        writer = RotatingWarcWriter(
            Path(directory), prefix=settings.get("NEWSCRAWL_WARC_PREFIX", DEFAULT_PREFIX),
            max_file_size=settings.getint("NEWSCRAWL_WARC_MAX_SIZE", DEFAULT_MAX_FILE_SIZE),
            info={"operator": settings.get("NEWSCRAWL_CONTACT", ""),
                  "http-header-user-agent": settings.get("USER_AGENT", ""),
                  "robots": "obey" if settings.getbool("ROBOTSTXT_OBEY") else "ignore",
                  "description": "newscrawl raw capture of article responses; bodies are "
                                 "stored decoded (see X-Archive-Orig-* headers)"})
        middleware = cls(writer, crawler.stats)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def process_response(self, request: Request, response: Response,
                         spider: Spider | None = None) -> Response:
        if request.meta.get(KIND_META) not in CAPTURED_KINDS:
            return response
        try:
            written = self.writer.write(exchange_of(request, response))
        except OSError as error:
            # The article itself is still good: pass it on, unarchived, and say so loudly.
            logger.error("cannot archive %s in %s: %s", response.url, self.writer.directory,
                         error)
            self._count("newscrawl/warc/errors")
            return response
        # response.meta is request.meta: the spider finds the location there.
        request.meta[LOCATION_META] = written.as_meta()
        self._count("newscrawl/warc/records")
        self._count("newscrawl/warc/bytes", written.length)
        return response

    def _count(self, key: str, value: int = 1) -> None:
        if self.stats is not None:
            self.stats.inc_value(key, value)

    def spider_closed(self, spider: Spider) -> None:
        self.writer.close()
