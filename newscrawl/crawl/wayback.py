"""The Wayback Machine's CDX API, for backfilling a past period (`newscrawl backfill`).

A CDX query lists captures of a URL prefix between two times; each row is a capture
(timestamp, original URL, status, MIME type, digest). The original response of a capture,
as the site sent it, is at `<replay><timestamp>id_/<original>` (the `id_` flag: no archive
toolbar, no rewritten links). Long listings come in pages: with `showResumeKey=true` the
last rows are an empty row and a resume key to ask for the next page with.

Only the text of these answers is interpreted here; spiders/wayback.py does the fetching.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import urlencode

DEFAULT_CDX = "https://web.archive.org/cdx/search/cdx"
DEFAULT_REPLAY = "https://web.archive.org/web/"
FIELDS = ("timestamp", "original", "statuscode", "mimetype", "digest")
TIMESTAMP = "%Y%m%d%H%M%S"


@dataclass(frozen=True)
class Capture:
    timestamp: str  # 14 digits, UTC
    original: str
    status: str
    mimetype: str
    digest: str

    @property
    def captured_at(self) -> datetime:
        return datetime.strptime(self.timestamp[:14].ljust(14, "0"), TIMESTAMP).replace(
            tzinfo=UTC)

    def replay_url(self, replay: str = DEFAULT_REPLAY) -> str:
        return f"{replay.rstrip('/')}/{self.timestamp}id_/{self.original}"


def cdx_query(endpoint: str, prefix: str, since: datetime | None, until: datetime | None, *,
              limit: int, resume_key: str | None = None) -> str:
    """The CDX request for HTML captures answered 200 of `prefix` in [since, until)."""
    params: list[tuple[str, str]] = [("url", prefix), ("matchType", "prefix"),
                                     ("output", "json"), ("fl", ",".join(FIELDS)),
                                     ("filter", "statuscode:200"),
                                     ("filter", "mimetype:text/html"),
                                     ("showResumeKey", "true"), ("limit", str(limit))]
    if since is not None:
        params.append(("from", since.astimezone(UTC).strftime(TIMESTAMP)))
    if until is not None:  # CDX's `to` is inclusive; the window's end is not
        params.append(("to", (until.astimezone(UTC) - timedelta(seconds=1)).strftime(TIMESTAMP)))
    if resume_key:
        params.append(("resumeKey", resume_key))
    return f"{endpoint}?{urlencode(params)}"


def parse_cdx(text: str) -> tuple[list[Capture], str | None]:
    """(captures, resume key or None) of a JSON CDX answer; ValueError if it is not one."""
    rows = json.loads(text) if text.strip() else []
    if not isinstance(rows, list) or (rows and not isinstance(rows[0], list)):
        raise ValueError("not a CDX answer (a JSON list of rows)")
    if not rows:
        return [], None
    header, body = rows[0], rows[1:]
    resume_key = None
    if len(body) >= 2 and body[-2] == [] and len(body[-1]) == 1:
        resume_key = str(body[-1][0])
        body = body[:-2]
    try:
        columns = [header.index(name) for name in FIELDS]
    except ValueError as error:
        raise ValueError(f"CDX answer without the expected columns: {header}") from error
    captures = [Capture(*(str(row[i]) for i in columns)) for row in body if row]
    return captures, resume_key


def in_window(capture: Capture, since: datetime | None, until: datetime | None) -> bool:
    """The archive filters too, but a capture outside the window is never taken."""
    when = capture.captured_at
    return (since is None or when >= since) and (until is None or when < until)
