"""The date rules: machine-readable first, text with dateparser, never an invented zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from newscrawl.api import extract
from newscrawl.extraction import dates

FETCHED = datetime(2024, 5, 17, 18, 0, tzinfo=UTC)


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-05-17T16:22+0000", "2024-05-17T16:22:00+00:00"),
    ("2019-11-18T21:17:27Z", "2019-11-18T21:17:27+00:00"),
    ("2024-05-17T16:22:00.123+02:00", "2024-05-17T16:22:00+02:00"),
    ("2024-05-17T16:22:00-0530", "2024-05-17T16:22:00-05:30"),
    ("20240517T162200", "2024-05-17T16:22:00"),
    ("2024-05-17", "2024-05-17"),
    ("2024-13-45T00:00", None),
    ("yesterday", None),
])
def test_iso_values_keep_exactly_the_zone_they_state(value, expected):
    assert dates.parse_iso(value) == expected


def test_naive_machine_value_takes_the_site_timezone():
    assert dates.parse_iso("2024-05-17T16:22", "Europe/Berlin") == "2024-05-17T16:22:00+02:00"
    assert dates.parse_iso("2024-01-17T16:22", "Europe/Berlin") == "2024-01-17T16:22:00+01:00"


@pytest.mark.parametrize(("value", "expected"), [
    ("1715962920", "2024-05-17T16:22:00+00:00"),
    (1715962920000, "2024-05-17T16:22:00+00:00"),
    ("12", None),
    ("99999999999999", None),
])
def test_unix_timestamps_are_utc(value, expected):
    assert dates.parse_timestamp(value) == expected


def test_text_with_a_zone_keeps_it():
    assert dates.parse_text("16:22 GMT 17.05.2024", fetched_at=FETCHED) == (
        "2024-05-17T16:22:00+00:00")


def test_text_without_zone_and_no_site_timezone_stays_without_offset():
    assert dates.parse_text("17 May 2024, 16:22", fetched_at=FETCHED) == "2024-05-17T16:22:00"


def test_text_without_zone_takes_the_declared_site_timezone():
    assert dates.parse_text("17 May 2024, 16:22", fetched_at=FETCHED,
                            timezone="Europe/Moscow") == "2024-05-17T16:22:00+03:00"


def test_relative_text_is_counted_back_from_the_fetch_time_in_utc():
    assert dates.parse_text("3 hours ago", fetched_at=FETCHED) == "2024-05-17T15:00:00+00:00"
    assert dates.parse_text("vor 2 Stunden", fetched_at=FETCHED, languages=["de"]) == (
        "2024-05-17T16:00:00+00:00")


@pytest.mark.parametrize(("text", "language", "expected"), [
    ("17 мая 2024, 16:22", "ru", "2024-05-17T16:22:00"),
    ("17. Mai 2024, 16:22 Uhr", "de", "2024-05-17T16:22:00"),
    ("17 de mayo de 2024", "es", "2024-05-17T00:00:00"),
])
def test_text_in_other_languages(text, language, expected):
    assert dates.parse_text(text, fetched_at=FETCHED, languages=[language]) == expected


def test_unparseable_text_gives_none():
    assert dates.parse_text("no date in here", fetched_at=FETCHED) is None
    assert dates.parse_text("", fetched_at=FETCHED) is None


def test_extracted_item_prefers_machine_readable_date_over_shown_text():
    html = """<html lang="en"><head>
      <meta property="article:published_time" content="2024-05-17T16:22:00+02:00">
      <title>x</title></head><body><article><h1>Headline</h1>
      <p>Published 3 days ago</p></article></body></html>"""
    item = extract(html, "https://news.example/a/1", FETCHED)
    assert item.published == "2024-05-17T16:22:00+02:00"


def test_fetched_at_is_utc_iso():
    item = extract("<html><body><p>x</p></body></html>", "https://news.example/a",
                   "2024-05-17T20:00:00+02:00")
    assert item.fetched_at == "2024-05-17T18:00:00+00:00"
