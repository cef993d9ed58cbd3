"""A local stand-in for the Wayback Machine, for the backfill tests: on 127.0.0.1, it answers
CDX queries (`/cdx/search/cdx`: url + matchType=prefix, from, to, filter, fl, output=json,
limit with showResumeKey/resumeKey) over a list of captures, and replays each capture
(`/web/<timestamp>id_/<original>`) with the fixture page it was made from. Every request is
logged, so tests can see what a backfill fetched."""

from __future__ import annotations

import json
import re
import threading
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class FakeCapture:
    timestamp: str
    original: str
    body: bytes
    status: str = "200"
    mimetype: str = "text/html"

    @property
    def digest(self) -> str:
        return f"D{abs(hash(self.body)) % 10**12}"

    def row(self, fields: list[str]) -> list[str]:
        values = {"timestamp": self.timestamp, "original": self.original,
                  "statuscode": self.status, "mimetype": self.mimetype, "digest": self.digest,
                  "urlkey": self.original, "length": str(len(self.body))}
        return [values[name] for name in fields]


def _bare(url: str) -> str:
    return re.sub(r"^https?://(www\.)?", "", url)


class ArchiveServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, captures: list[FakeCapture]) -> None:
        self.captures = sorted(captures, key=lambda c: (c.timestamp, c.original))
        self.log: list[str] = []
        self.lock = threading.Lock()
        super().__init__(("127.0.0.1", 0), _Handler)
        self.url = f"http://127.0.0.1:{self.server_address[1]}"

    def cdx(self, query: dict[str, list[str]]) -> list[list[str]]:
        prefix = _bare(query["url"][0])
        if query.get("matchType", ["exact"])[0] != "prefix":
            raise ValueError("this stand-in answers prefix queries only")
        fields = query.get("fl", ["timestamp,original,statuscode,mimetype,digest"])[0].split(",")
        low, high = query.get("from", [""])[0], query.get("to", [""])[0]
        chosen = []
        for capture in self.captures:
            if not _bare(capture.original).startswith(prefix):
                continue
            # CDX compares timestamps at the precision given
            if low and capture.timestamp[:len(low)] < low:
                continue
            if high and capture.timestamp[:len(high)] > high:
                continue
            if not all(self._passes(capture, rule) for rule in query.get("filter", [])):
                continue
            chosen.append(capture)
        start = int(query.get("resumeKey", ["0"])[0])
        limit = int(query.get("limit", ["100000"])[0])
        page = chosen[start:start + limit]
        rows = [fields, *(capture.row(fields) for capture in page)]
        if query.get("showResumeKey", ["false"])[0] == "true" and start + limit < len(chosen):
            rows += [[], [str(start + limit)]]
        return rows

    @staticmethod
    def _passes(capture: FakeCapture, rule: str) -> bool:
        name, _, value = rule.partition(":")
        return {"statuscode": capture.status, "mimetype": capture.mimetype}[name] == value

    def replay(self, path: str) -> FakeCapture | None:
        match = re.fullmatch(r"/web/(\d{14})id_/(.+)", path)
        if not match:
            return None
        for capture in self.captures:
            if capture.timestamp == match.group(1) and capture.original == match.group(2):
                return capture
        return None


class _Handler(BaseHTTPRequestHandler):
    server: ArchiveServer

    def do_GET(self) -> None:  # noqa: N802
        with self.server.lock:
            self.server.log.append(self.path)
        parts = urlsplit(self.path)
        if parts.path == "/cdx/search/cdx":
            body = json.dumps(self.server.cdx(parse_qs(parts.query))).encode()
            return self.answer(200, "application/json", body)
        capture = self.server.replay(self.path)
        if capture is None:
            return self.answer(404, "text/plain", b"no such capture\n")
        status = int(capture.status)
        return self.answer(status, "text/html; charset=utf-8", capture.body)

    def answer(self, status: int, content_type: str, body: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args: Any) -> None:
        pass
