"""Date rules, in one place.

Machine-readable values (ISO 8601, unix timestamps) are read exactly. Text is parsed with
dateparser, relative phrases ("3 hours ago") against the fetch time. A value that states no
zone gets the site's declared timezone when there is one; otherwise it stays without offset:
a zone is never guessed.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, tzinfo
from datetime import timezone as fixed_offset
from functools import lru_cache
from zoneinfo import ZoneInfo

import dateparser

_ISO_LIKE = re.compile(
    r"^\s*(\d{4})-?(\d{2})-?(\d{2})(?:[T ](\d{2}):?(\d{2})(?::?(\d{2})(?:[.,]\d+)?)?)?"
    r"\s*(Z|[+-]\d{2}(?::?\d{2})?|UTC|GMT)?\s*$",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"^\s*\d{9,13}\s*$")
# Unix timestamps between 2000-01-01 and 2100-01-01, in seconds.
_TIMESTAMP_RANGE = (946684800, 4102444800)
# How far the reference time moves to tell a relative text from an absolute one: more than a
# day, so that a bare time of day ("16:45") moves too.
RELATIVE_PROBE = timedelta(hours=25)


@lru_cache(maxsize=64)
def _zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def format_datetime(value: datetime) -> str:
    """ISO 8601 to the second, with the offset only when the value has one."""
    return value.replace(microsecond=0).isoformat()


def _apply_zone(value: datetime, timezone: str | None) -> datetime:
    if value.tzinfo is None and timezone:
        return value.replace(tzinfo=_zone(timezone))
    return value


def parse_iso(value: str | None, timezone: str | None = None) -> str | None:
    """Read an ISO 8601 value (basic or extended form). Date-only values stay dates."""
    if not value:
        return None
    match = _ISO_LIKE.match(value)
    if not match:
        return None
    year, month, day, hour, minute, second, zone = match.groups()
    try:
        if hour is None:
            return date(int(year), int(month), int(day)).isoformat()
        parsed = datetime(int(year), int(month), int(day), int(hour), int(minute),
                          int(second or 0))
    except ValueError:
        return None
    if zone:
        parsed = parsed.replace(tzinfo=_offset(zone))
    return format_datetime(_apply_zone(parsed, timezone))


def _offset(zone: str) -> tzinfo:
    zone = zone.upper()
    if zone in ("Z", "UTC", "GMT"):
        return UTC
    sign = -1 if zone[0] == "-" else 1
    digits = zone[1:].replace(":", "")
    hours, minutes = int(digits[:2]), int(digits[2:4] or 0)
    return fixed_offset(sign * timedelta(hours=hours, minutes=minutes))


def parse_timestamp(value: str | int | float | None) -> str | None:
    """A unix timestamp (seconds or milliseconds) as a UTC date-time."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        if not _DIGITS.match(value):
            return None
        value = int(value)
    seconds = value / 1000 if value > _TIMESTAMP_RANGE[1] else value
    if not _TIMESTAMP_RANGE[0] <= seconds < _TIMESTAMP_RANGE[1]:
        return None
    return format_datetime(datetime.fromtimestamp(seconds, UTC))


def parse_text(text: str | None, *, fetched_at: datetime, timezone: str | None = None,
               languages: list[str] | None = None, date_order: str | None = None) -> str | None:
    """Parse a date as shown to readers ("16:22 GMT 17.05.2024", "vor 3 Stunden")."""
    return read_text(text, fetched_at=fetched_at, timezone=timezone, languages=languages,
                     date_order=date_order)[0]


def read_text(text: str | None, *, fetched_at: datetime, timezone: str | None = None,
              languages: list[str] | None = None,
              date_order: str | None = None) -> tuple[str | None, bool]:
    """`parse_text`'s value, and whether the text was relative: a phrase counted back from the
    fetch time ("vor 3 Stunden", "yesterday") or a time of day without a date ("16:45"),
    which dateparser places on the fetch day."""
    if not text or not text.strip():
        return None, False
    settings: dict = {"PREFER_DATES_FROM": "past"}
    if date_order:
        settings["DATE_ORDER"] = date_order
    base = fetched_at.astimezone(UTC).replace(tzinfo=None)
    first = _dateparse(text, base, languages, settings)
    if first is None:
        return None, False
    # A relative phrase moves with the reference time; an absolute date does not.
    shifted = _dateparse(text, base - RELATIVE_PROBE, languages, settings)
    relative = shifted is not None and shifted != first
    if first.tzinfo is not None:
        return format_datetime(first), relative
    if relative:
        return format_datetime(first.replace(tzinfo=UTC)), True
    return format_datetime(_apply_zone(first, timezone)), False


def with_zone(value: datetime, timezone: str | None) -> datetime:
    """A wall-clock time read from a page in the site's declared timezone, if it has one."""
    return _apply_zone(value, timezone)


def _dateparse(text: str, base: datetime, languages: list[str] | None,
               settings: dict) -> datetime | None:
    try:
        return dateparser.parse(text, languages=languages,
                                settings={**settings, "RELATIVE_BASE": base})
    except (ValueError, OverflowError, TypeError, AttributeError):
        return None


def parse_machine(value: str | int | float | None, timezone: str | None = None) -> str | None:
    """Any machine-readable form: ISO 8601 or a unix timestamp."""
    if isinstance(value, int | float):
        return parse_timestamp(value)
    return parse_iso(value, timezone) or parse_timestamp(value)


def to_utc_datetime(value: str | datetime) -> datetime:
    """A fetch time as an aware UTC datetime (naive input is taken as UTC)."""
    if isinstance(value, str):
        value = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)
