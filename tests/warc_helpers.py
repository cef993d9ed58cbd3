"""Helpers shared by the WARC tests: a loopback page server and item comparison."""

from __future__ import annotations

import gzip
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlsplit

from tests._http import QuietHandler, serving

# Fields that legitimately differ between a fixture's expected item and a re-extraction.
VOLATILE_FIELDS = ("fetched_at", "warc")


@dataclass
class Page:
    body: bytes
    content_type: str = "text/html; charset=utf-8"
    status: int = 200


def stable(item: dict[str, Any]) -> dict[str, Any]:
    return {key: value for key, value in item.items() if key not in VOLATILE_FIELDS}


@contextmanager
def page_server(pages: dict[str, Page], delay: float = 0.0) -> Iterator[str]:
    """Serve `pages` (by their real URL, given as ?url=) on 127.0.0.1; yields the origin.

    Bodies go out gzip-compressed when the client accepts it, as real sites send them, so
    the capture's handling of Content-Encoding is exercised.
    """

    class Handler(QuietHandler):
        def do_GET(self) -> None:  # noqa: N802 - the http.server API
            url = parse_qs(urlsplit(self.path).query).get("url", [""])[0]
            page = pages.get(url, Page(b"<html><body>not found</body></html>", status=404))
            if delay:
                time.sleep(delay)
            body = page.body
            self.send_response(page.status)
            self.send_header("Content-Type", page.content_type)
            if "gzip" in (self.headers.get("Accept-Encoding") or ""):
                body = gzip.compress(body)
                self.send_header("Content-Encoding", "gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

    with serving(Handler) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}"
