"""Hostile input for the extraction core: mutated fixture pages and random bytes. Only
ExtractionError may escape `extract`, and no page may take over a second.

CI runs NEWSCRAWL_FUZZ_EXAMPLES (default 100) examples per test; for a long run by hand:

    NEWSCRAWL_FUZZ_EXAMPLES=5000 python -m pytest tests/test_reliability_fuzz.py
"""

from __future__ import annotations

import functools
import os
import time
from datetime import UTC, datetime

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.api import ExtractionError, extract, extract_listing
from newscrawl.fixtures import iter_fixtures
from tests.support.hostile import article_html, cyrillic_html

EXAMPLES = int(os.environ.get("NEWSCRAWL_FUZZ_EXAMPLES", "100"))
PER_PAGE_LIMIT = 1.0  # CPU seconds
FETCHED_AT = datetime(2024, 5, 17, 12, tzinfo=UTC)
FUZZ = settings(max_examples=EXAMPLES, deadline=None, derandomize=not os.environ.get(
    "NEWSCRAWL_FUZZ_RANDOM"), suppress_health_check=[HealthCheck.too_slow,
                                                     HealthCheck.data_too_large])
# Fragments that break parsers and extractors when spliced in at random.
POISON = [b"<", b">", b"</article>", b"<article>", b"<script>", b"</script>", b"<!--", b"-->",
          b"<![CDATA[", b"]]>", b"\x00", b"\xff\xfe", b"\xef\xbb\xbf", b"&#0;", b"&#x110000;",
          b"&amp", b'<meta charset="utf-16">', b'<meta charset="x-unknown-42">',
          b'<script type="application/ld+json">{"@type":"NewsArticle","headline":',
          b'{"datePublished": "9999-99-99T99:99"}', b'"datePublished":"0001-01-01"',
          b"<h1>", b"</h1>", b"<p>", b"<time datetime='2024-13-45'>", b"<div>" * 2000,
          b"<b><i>" * 500, b"\xd0\xbf\xd1", b"\xe2\x80", b"\r", b"\t" * 1000, b" " * 5000,
          b"<p>" + b"word " * 20000 + b"</p>", b"<br>" * 3000, b"<table><tr><td>" * 300]


@functools.cache
def seeds() -> list[tuple[bytes, str, str]]:
    """(html, url, kind) of every fixture plus the hostile server's own pages."""
    pages = [(f.html(), f.url, f.kind) for f in iter_fixtures()]
    pages.append((article_html(7), "http://127.0.0.1:8765/news/7.html", "article"))
    pages.append((cyrillic_html(None), "http://127.0.0.1:8765/charset/none.html", "article"))
    return pages


def run_timed(html: bytes, url: str, kind: str = "article",
              encoding: str | None = None) -> float:
    """Extract; return the CPU seconds it took (CPU, not wall-clock: on a loaded machine a
    page waits for a core, which is not its cost). Anything but ExtractionError propagates."""
    started = time.process_time()
    try:
        if kind == "listing":
            extract_listing(html, url, FETCHED_AT, encoding=encoding)
        else:
            extract(html, url, FETCHED_AT, encoding=encoding)
    except ExtractionError:
        pass
    return time.process_time() - started


def _warm_up() -> None:
    # The first call loads dateparser's data and compiles patterns: not the page's cost.
    for html, url, kind in seeds():
        run_timed(html, url, kind)


@st.composite
def mutated_page(draw: st.DrawFn) -> tuple[bytes, str, str]:
    html, url, kind = draw(st.sampled_from(seeds()))
    data = bytearray(html)
    for _ in range(draw(st.integers(1, 8))):
        where = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["delete", "insert", "poison", "truncate", "repeat",
                                       "flip"]))
        if action == "delete":
            del data[where:where + draw(st.integers(1, 5000))]
        elif action == "insert":
            data[where:where] = draw(st.binary(min_size=1, max_size=64))
        elif action == "poison":
            data[where:where] = draw(st.sampled_from(POISON))
        elif action == "truncate":
            del data[where:]
        elif action == "repeat":
            data[where:where] = data[where:where + draw(st.integers(1, 2000))] * draw(
                st.integers(2, 20))
        elif data:
            index = min(where, len(data) - 1)
            data[index] ^= draw(st.integers(1, 255))
    return bytes(data), url, kind


@FUZZ
@given(page=mutated_page(), encoding=st.sampled_from([None, "utf-8", "windows-1251",
                                                      "utf-16", "x-bogus"]))
def test_mutated_pages_only_raise_extraction_error_and_stay_fast(page, encoding):
    _warm_up_once()
    html, url, kind = page
    seconds = run_timed(html, url, "article", encoding)
    assert seconds < PER_PAGE_LIMIT, f"{seconds:.2f} s for a mutated page of {url}"
    if kind == "listing":
        assert run_timed(html, url, "listing", encoding) < PER_PAGE_LIMIT


@FUZZ
@given(data=st.binary(max_size=20_000),
       url=st.sampled_from(["http://127.0.0.1/x.html", "https://sputnikglobe.com/20240517/a-1.html",
                            "https://sputniknews.com/world/"]))
def test_random_bytes_only_raise_extraction_error(data, url):
    _warm_up_once()
    assert run_timed(data, url) < PER_PAGE_LIMIT


@FUZZ
@given(text=st.text(max_size=5_000))
def test_random_text_only_raises_extraction_error(text):
    _warm_up_once()
    html = f"<html><head><title>{text[:50]}</title></head><body><h1>{text[:200]}</h1>" \
           f"<p>{text}</p></body></html>"
    assert run_timed(html.encode("utf-8", "surrogatepass"), "http://127.0.0.1/t.html") \
        < PER_PAGE_LIMIT


_warmed: list[bool] = []


def _warm_up_once() -> None:
    if not _warmed:
        _warm_up()
        _warmed.append(True)


def test_deeply_nested_json_ld_only_raises_extraction_error():
    """Found by this work: json.loads' RecursionError escaped extract() (fixed in ecfafbf)."""
    nested = b"[" * 100_000 + b"]" * 100_000
    html = article_html(3).replace(
        b"</head>", b'<script type="application/ld+json">' + nested + b"</script></head>")
    run_timed(html, "http://127.0.0.1:8765/news/3.html")
