"""The generic extractor never raises on damaged input, other than ExtractionError for input
that is not HTML at all."""

from __future__ import annotations

import gzip
import os
from functools import lru_cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newscrawl.api import ExtractionError, extract
from newscrawl.model.items import Article

CORPUS = Path(__file__).resolve().parent.parent.parent / "shared" / "corpus" / "articles"
URL = "https://news.example.org/a/story"
FETCHED = "2024-05-17T12:00:00Z"
JUNK = [b"<div>", b"</div>", b"<p", b"</p>", b"<script>", b"</script>", b"<!--", b"-->",
        b"<![CDATA[", b'<script type="application/ld+json">{"@type":"NewsArticle",',
        b"<time datetime='2024-99-99'>", b"<figure><img src=''>", b"\x00", b"\xff\xfe",
        b"&#x0;", b"&", b"<a href='javascript:'>", b"<h1>", b"<meta content=", b"\r\n"]


@lru_cache(maxsize=1)
def corpus_pages() -> tuple[bytes, ...]:
    return tuple(gzip.decompress(path.read_bytes()) for path in sorted(CORPUS.glob("*/*.html.gz")))


def extract_or_refuse(data: bytes | str) -> None:
    try:
        article = extract(data, URL, FETCHED, use_profiles=False)
    except ExtractionError:
        return
    assert isinstance(article, Article)


@st.composite
def mutated_page(draw: st.DrawFn) -> bytes:
    pages = corpus_pages()
    data = bytearray(pages[draw(st.integers(0, len(pages) - 1))])
    for _ in range(draw(st.integers(1, 6))):
        at = draw(st.integers(0, len(data)))
        action = draw(st.sampled_from(["truncate", "delete", "insert", "flip"]))
        if action == "truncate":
            del data[at:]
        elif action == "delete":
            del data[at:at + draw(st.integers(1, 5000))]
        elif action == "insert":
            data[at:at] = draw(st.sampled_from(JUNK))
        elif data:
            data[min(at, len(data) - 1)] ^= draw(st.integers(1, 255))
    return bytes(data)


def test_the_shared_corpus_is_there_in_ci():
    """CI lays shared/ beside the clone; without it the corpus tests below would only skip."""
    if os.environ.get("CI"):
        assert CORPUS.is_dir(), f"{CORPUS} is missing"


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")
@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated_page())
def test_mutated_corpus_pages_never_raise(data: bytes) -> None:
    extract_or_refuse(data)


@settings(max_examples=50, deadline=None)
@given(st.binary(max_size=4000))
def test_random_bytes_never_raise(data: bytes) -> None:
    extract_or_refuse(data)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=2000))
def test_random_text_never_raises(text: str) -> None:
    extract_or_refuse(text)


@pytest.mark.parametrize("data", [b"", b"   ", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64,
                                  b"<html", b"<html><body></body></html>", b"<p>only</p>"])
def test_empty_binary_and_truncated_input(data: bytes) -> None:
    extract_or_refuse(data)


def test_not_html_is_a_clear_error() -> None:
    with pytest.raises(ExtractionError):
        extract(b"%PDF-1.7\n" + b"\x00" * 100, URL, FETCHED, use_profiles=False)


@pytest.mark.skipif(not CORPUS.exists(), reason="shared corpus not available")
def test_every_corpus_page_gives_a_headline_and_a_body() -> None:
    for data in corpus_pages():
        article = extract(data, URL, FETCHED, use_profiles=False)
        assert article.headline and article.body


def test_malformed_urls_in_the_page_are_ignored() -> None:
    prose = "<p>" + "Words of a synthetic article paragraph. " * 6 + "</p>"
    html = ("<html><head><base href='http://[base'><link rel='canonical' href='http://[x'>"
            "<meta property='og:image' content='http://[y'></head><body><article><h1>T</h1>"
            f"<div class='body'>{prose * 4}<figure><img src='http://[bad'></figure>"
            "<div class='related'><a href='http://[z'>A related story headline</a></div>"
            "</div></article></body></html>")
    article = extract(html, URL, FETCHED, use_profiles=False)
    assert article.canonical_url is None
    assert article.images == [] and article.related == []
    assert article.body


def test_malformed_page_url_is_a_clear_error() -> None:
    with pytest.raises(ExtractionError):
        extract("<p>x</p>", "http://[broken", FETCHED)


@pytest.mark.parametrize("payload", ["[" * 5000 + "]" * 5000,
                                     '{"@graph":' * 5000 + "{}" + "}" * 5000])
def test_json_ld_nested_beyond_the_stack_is_ignored(payload: str) -> None:
    html = (f'<html><head><script type="application/ld+json">{payload}</script></head>'
            "<body><h1>Headline</h1><p>Text.</p></body></html>")
    assert extract(html, URL, FETCHED, use_profiles=False).headline == "Headline"
