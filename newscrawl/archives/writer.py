"""Writing HTTP exchanges to WARC files: one gzip member per record, files rotated by size.

Crash safety comes from three rules: a record is built completely in memory and handed to the
operating system in one write followed by a flush, so a killed process leaves at most one
partial member at the end of the file; files are created exclusively (`xb`), so no run ever
appends to a file another run created; and names carry a timestamp, a sequence number, the
host and the pid, so concurrent runs and processes never collide.
"""

from __future__ import annotations

import contextlib
import os
import socket
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http import HTTPStatus
from io import BytesIO
from pathlib import Path
from typing import Any, BinaryIO
from urllib.parse import urlsplit

from warcio.recordloader import ArcWarcRecord
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl.version import __version__

WARC_VERSION = "1.1"
DEFAULT_MAX_FILE_SIZE = 1024 ** 3  # the customary 1 GB of the WARC world
DEFAULT_PREFIX = "newscrawl"
# Hop-by-hop or content-coding headers that would no longer describe the stored (decoded) body.
RENAMED_HEADERS = ("content-encoding", "transfer-encoding", "content-length")
ORIGINAL_PREFIX = "X-Archive-Orig-"

Headers = list[tuple[str, str]]


@dataclass
class Exchange:
    """One HTTP request and the response it got, as the crawler saw them."""

    url: str
    status: int
    body: bytes
    response_headers: Headers = field(default_factory=list)
    reason: str = ""
    method: str = "GET"
    request_headers: Headers = field(default_factory=list)
    request_body: bytes = b""
    date: datetime | None = None
    ip_address: str | None = None


@dataclass(frozen=True)
class Written:
    """Where a response record landed: the `warc` field of an item (see WarcLocation)."""

    file: str
    record_id: str
    offset: int
    length: int

    def as_meta(self) -> dict[str, Any]:
        return {"file": self.file, "record_id": self.record_id, "offset": self.offset,
                "length": self.length}


def decoded_body_headers(headers: Headers, body_length: int) -> Headers:
    """Headers that honestly describe a body stored decoded (de-chunked and decompressed).

    The original values stay visible under `X-Archive-Orig-*` names, and Content-Length is
    set to the stored body's length, so WARC readers neither try to decompress nor de-chunk a
    body that no longer is compressed or chunked.
    """
    kept = [(name, value) for name, value in headers if name.lower() not in RENAMED_HEADERS]
    renamed = [(ORIGINAL_PREFIX + name, value) for name, value in headers
               if name.lower() in RENAMED_HEADERS]
    return [*kept, *renamed, ("Content-Length", str(body_length))]


def _warc_date(moment: datetime | None) -> str:
    moment = (moment or datetime.now(UTC)).astimezone(UTC)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _reason(status: int) -> str:
    # Scrapy keeps no reason phrase; the standard one keeps the status line well-formed.
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return "Unknown"


def _request_line(exchange: Exchange) -> str:
    parts = urlsplit(exchange.url)
    target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return f"{exchange.method} {target} HTTP/1.1"


def _with_host(headers: Headers, url: str) -> Headers:
    # Scrapy adds Host on the wire, not in request.headers; a WARC request record states it.
    if any(name.lower() == "host" for name, _ in headers):
        return headers
    return [("Host", urlsplit(url).netloc), *headers]


class RecordFactory:
    """Builds WARC records (with digests) and serialises each one to its own gzip member."""

    def __init__(self) -> None:
        self._builder = WARCWriter(BytesIO(), gzip=True, warc_version=WARC_VERSION)

    def warcinfo(self, filename: str, info: dict[str, str]) -> ArcWarcRecord:
        return self._builder.create_warcinfo_record(filename, info)

    def response(self, exchange: Exchange) -> ArcWarcRecord:
        headers = decoded_body_headers(exchange.response_headers, len(exchange.body))
        status = f"{exchange.status} {exchange.reason or _reason(exchange.status)}"
        warc_headers = {"WARC-Date": _warc_date(exchange.date)}
        if exchange.ip_address:
            warc_headers["WARC-IP-Address"] = exchange.ip_address
        return self._builder.create_warc_record(
            exchange.url, "response", payload=BytesIO(exchange.body),
            length=len(exchange.body), warc_headers_dict=warc_headers,
            http_headers=StatusAndHeaders(status, headers, protocol="HTTP/1.1"))

    def request(self, exchange: Exchange, concurrent_to: str) -> ArcWarcRecord:
        headers = _with_host(list(exchange.request_headers), exchange.url)
        return self._builder.create_warc_record(
            exchange.url, "request", payload=BytesIO(exchange.request_body),
            length=len(exchange.request_body),
            warc_headers_dict={"WARC-Date": _warc_date(exchange.date),
                               "WARC-Concurrent-To": concurrent_to},
            http_headers=StatusAndHeaders(_request_line(exchange), headers,
                                          is_http_request=True))

    def member(self, record: ArcWarcRecord) -> bytes:
        """The record as one complete gzip member."""
        buffer = BytesIO()
        self._builder.out = buffer
        self._builder.write_record(record)
        return buffer.getvalue()


def record_id(record: ArcWarcRecord) -> str:
    return record.rec_headers.get_header("WARC-Record-ID")


def warc_file_name(prefix: str, sequence: int, moment: datetime | None = None) -> str:
    """`PREFIX-TIMESTAMP-SEQUENCE-HOST-PID.warc.gz`, after the IIPC naming convention."""
    stamp = (moment or datetime.now(UTC)).strftime("%Y%m%d%H%M%S%f")
    host = socket.gethostname().replace("-", "_") or "host"
    return f"{prefix}-{stamp}-{sequence:05d}-{host}-{os.getpid()}.warc.gz"


class RotatingWarcWriter:
    """Appends exchanges (response then request record) to size-rotated WARC files."""

    def __init__(self, directory: Path | str, *, prefix: str = DEFAULT_PREFIX,
                 max_file_size: int = DEFAULT_MAX_FILE_SIZE,
                 info: dict[str, str] | None = None) -> None:
        self.directory = Path(directory)
        self.prefix = prefix
        self.max_file_size = max_file_size
        self.info = {"software": f"newscrawl/{__version__} (warcio)",
                     "format": f"WARC File Format {WARC_VERSION}",
                     "hostname": socket.gethostname(), **(info or {})}
        self.files: list[str] = []
        self._factory = RecordFactory()
        self._handle: BinaryIO | None = None
        self._name = ""
        self._sequence = 0

    def write(self, exchange: Exchange) -> Written:
        """Write the exchange; returns the response record's location."""
        response = self._factory.response(exchange)
        request = self._factory.request(exchange, record_id(response))
        response_member = self._factory.member(response)
        handle = self._ensure_file()
        offset = handle.tell()
        try:
            # One write for the pair: both records land, or (if killed mid-write) the tail
            # is one incomplete member that readers report as truncated.
            handle.write(response_member + self._factory.member(request))
            handle.flush()
        except OSError:
            # A disk full or gone: whatever part landed stays the file's damaged tail; the
            # next record starts a new file rather than follow it.
            self._abandon()
            raise
        return Written(self._name, record_id(response), offset, len(response_member))

    def _abandon(self) -> None:
        handle, self._handle = self._handle, None
        if handle is not None:
            # The buffer may not flush either: the file is damaged already.
            with contextlib.suppress(OSError):
                handle.close()

    def close(self) -> None:
        if self._handle is not None:
            self._handle.close()
            self._handle = None

    def __enter__(self) -> RotatingWarcWriter:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _ensure_file(self) -> BinaryIO:
        if self._handle is not None and self._handle.tell() >= self.max_file_size:
            self.close()
        if self._handle is None:
            self._handle = self._open_new_file()
        return self._handle

    def _open_new_file(self) -> BinaryIO:
        self.directory.mkdir(parents=True, exist_ok=True)
        while True:
            self._sequence += 1
            name = warc_file_name(self.prefix, self._sequence)
            try:
                handle = open(self.directory / name, "xb")  # noqa: SIM115 - kept open
            except FileExistsError:
                continue  # another writer took this name: never share a file
            break
        self._name = name
        self.files.append(name)
        handle.write(self._factory.member(self._factory.warcinfo(name, self.info)))
        handle.flush()
        return handle
