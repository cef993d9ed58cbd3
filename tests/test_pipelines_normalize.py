from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl.extraction.article import content_hash
from newscrawl.extraction.text import strip_invisible
from newscrawl.model.items import Dateline, Image
from newscrawl.model.urls import canonicalize_url
from newscrawl.pipelines.normalize import already_clean, clean_body
from tests.pipeline_support import article, chain

ONLY = {"newscrawl.pipelines.normalize.NormalizationPipeline": 100}


@pytest.mark.parametrize(("raw", "clean"), [
    ("HTTPS://WWW.Example.COM:443/News/Story.html?utm_source=rss&id=5&fbclid=x#rssom",
     "https://www.example.com/News/Story.html?id=5"),
    ("http://example.com:80/a?gclid=1&mc_cid=2&mc_eid=3&UTM_Medium=4", "http://example.com/a"),
    ("http://example.com:8080?b=2&a=1", "http://example.com:8080/?b=2&a=1"),
    ("https://example.com/a%20b/?q=%E2%82%AC#comments", "https://example.com/a%20b/?q=%E2%82%AC"),
    ("https://example.com./x", "https://example.com/x"),
    ("https://bücher.example/ä", "https://xn--bcher-kva.example/%C3%A4"),
])
def test_canonical_urls(raw: str, clean: str) -> None:
    assert canonicalize_url(raw) == clean
    assert canonicalize_url(clean) == clean  # idempotent


def test_body_paragraphs_and_spaces() -> None:
    assert clean_body("  One\u00a0 two \n\n\n\n  three\t four \n \n") == "One two\n\nthree four"
    assert clean_body(" \n\n ") is None


def test_item_is_cleaned(tmp_path) -> None:
    decomposed = "Cafe\u0301"  # e + combining acute: NFC makes it one character
    item = article(
        1, headline=f"  {decomposed}   opens \n", lead="   ", section="World ",
        canonical_url="https://News.Example.com/story/1?utm_campaign=x",
        authors=["Jane  Doe", "jane doe", " ", "John Roe"], tags=["Paris", "paris", "PARIS"],
        dateline=Dateline(raw=" MOSCOW, May 17 ", place="MOSCOW "),
        images=[Image(url="https://x.example/a.jpg", caption=" A  caption ", credit="  ")],
        body=f"{decomposed}  is open.\n\n\n\nSecond   paragraph.")
    old_hash = item.content_hash
    with chain(tmp_path, ONLY) as pipes:
        out = pipes.process(item)
        stats = pipes.stats
    assert out.headline == "Café opens"
    assert out.lead is None and out.section == "World"
    assert out.canonical_url == "https://news.example.com/story/1"
    assert out.authors == ["Jane Doe", "John Roe"]
    assert out.tags == ["Paris"]
    assert out.dateline == Dateline(raw="MOSCOW, May 17", place="MOSCOW")
    assert out.images[0].caption == "A caption" and out.images[0].credit is None
    assert out.body == "Café is open.\n\nSecond paragraph."
    # The hash reads the text composed: one story hashes the same in either Unicode form.
    assert out.content_hash == content_hash(out.body) == old_hash
    assert out.word_count == 5
    assert stats["newscrawl/normalized/canonical_url_changed"] == 1
    assert stats["newscrawl/normalized/names_deduplicated"] == 2


def test_clean_item_is_untouched(tmp_path) -> None:
    item = article(2)
    before = item.to_dict()
    with chain(tmp_path, ONLY) as pipes:
        assert pipes.process(item).to_dict() == before
        assert "newscrawl/normalized/body_changed" not in pipes.stats


def test_a_lead_of_several_parts_keeps_its_line_breaks():
    from newscrawl.pipelines.normalize import NormalizationPipeline

    class Stats:
        def inc_value(self, *args):
            pass

    class Crawler:
        stats = Stats()

    item = {"lead": "First point.\nSecond  point.\n\n\nThird.", "body": None}
    NormalizationPipeline(Crawler()).process_item(item)
    assert item["lead"] == "First point.\nSecond point.\n\nThird."


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=[" ", "\n", "\t", "\r", "\xa0", "\u3000", "\u200b", "\xad", "a", "b",
                         "e", "\u0301", "\u00e9", "東", "."], max_size=40))
def test_a_body_called_clean_is_one_clean_body_leaves_alone(text: str) -> None:
    if already_clean(text):
        assert clean_body(text) == text


def test_clean_bodies_are_recognised() -> None:
    body = "First paragraph, with a line\nbreak.\n\nSecond one: Köln, 東京.\n\nThird."
    assert already_clean(body) and clean_body(body) == body
    for unclean in (body + " ", body.replace(".\n\n", ". \n\n", 1), body + "\n\n\nFour",
                    body.replace(" ", "\xa0", 1), body.replace("ö", "o\u0308"),
                    body.replace("Third", "Th\u00adird"), ""):
        assert not already_clean(unclean)


@settings(max_examples=2000, deadline=None)
@given(st.text(alphabet=[" ", "\n", "\t", "\r", "\xa0", "\u3000", "\u200b", "\xad", "a",
                         "\u0301", "\u00e9", "\u2028", "\x1c", "."], max_size=30))
def test_a_clean_body_is_one_without_what_the_one_regex_looked_for(text: str) -> None:
    # The check as one regex (as it was); the substring tests must agree with it.
    unclean = re.compile(r"[^\S \n]|  | \n|\n |\n\n\n").search(text) is not None
    expected = (bool(text) and text == text.strip() and not unclean
                and strip_invisible(text) == text and unicodedata.is_normalized("NFC", text))
    assert already_clean(text) == expected


def test_body_html_follows_the_body_into_nfc(tmp_path):
    decomposed = "Cafe\u0301 society, a long paragraph."
    item = article(body=decomposed, body_html=f"<p>{decomposed}</p>")
    with chain(tmp_path, ONLY) as pipelines:
        cleaned = pipelines.process(item)
    assert cleaned.body == "Caf\u00e9 society, a long paragraph."
    assert cleaned.body_html == "<p>Caf\u00e9 society, a long paragraph.</p>"
