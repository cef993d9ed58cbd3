"""Durations (`90m`, `2d`) and date horizons (`2d` ago, or a date) for crawl options."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from newscrawl.extraction.dates import to_utc_datetime

_DURATION = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhdw])\s*$", re.IGNORECASE)
_UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400, "w": 604800}


def parse_duration(text: str) -> timedelta:
    """`30s`, `90m`, `12h`, `2d`, `1w` as a timedelta; ValueError with a readable message."""
    match = _DURATION.match(text or "")
    if not match:
        raise ValueError(f"not a duration: {text!r} (use e.g. 30m, 12h, 2d, 1w)")
    return timedelta(seconds=float(match.group(1)) * _UNIT_SECONDS[match.group(2).lower()])


def parse_since(text: str | None, *, now: datetime | None = None) -> datetime | None:
    """A horizon: a duration back from now (`2d`) or a date/time (`2024-05-01`), in UTC."""
    if not text:
        return None
    if _DURATION.match(text):
        return (now or datetime.now(UTC)) - parse_duration(text)
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text.strip()):
            day = date.fromisoformat(text.strip())
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        return to_utc_datetime(text)
    except (ValueError, TypeError) as error:
        raise ValueError(f"not a duration or date: {text!r} (use e.g. 2d or 2024-05-01)") \
            from error


def parse_when(text: str | None) -> datetime | None:
    """A date from a sitemap, feed or listing (ISO 8601 or RFC 822), or None if unreadable."""
    if not text or not text.strip():
        return None
    text = text.strip()
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", text):
            day = date.fromisoformat(text)
            return datetime(day.year, day.month, day.day, tzinfo=UTC)
        return to_utc_datetime(text)
    except (ValueError, TypeError, OverflowError):
        pass
    from email.utils import parsedate_to_datetime

    try:
        parsed = parsedate_to_datetime(text)
    except (ValueError, TypeError, IndexError):
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def is_after(when: str | None, end: datetime | None) -> bool:
    """True only when `when` is known and at or after the window's (exclusive) end."""
    if end is None:
        return False
    parsed = parse_when(when)
    return parsed is not None and parsed >= end


def is_before(when: str | None, horizon: datetime | None) -> bool:
    """True only when `when` is known and older than the horizon: unknown dates are followed."""
    if horizon is None:
        return False
    parsed = parse_when(when)
    return parsed is not None and parsed < horizon
