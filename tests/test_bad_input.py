"""Bad input gets a clear ExtractionError, never an unhandled exception or silent garbage."""

from __future__ import annotations

import codecs
import gzip

import pytest

from newscrawl import fixtures as store
from newscrawl.api import ExtractionError, extract
from newscrawl.extraction.decode import decode_document, decode_html

URL = "https://news.example/2024/05/17/story"
WHEN = "2024-05-17T18:00:00Z"
RUSSIAN = "Президент России провёл переговоры в Пекине. Стороны подписали заявление."


def cp1251_page(declared: str | None) -> bytes:
    meta = f'<meta charset="{declared}">' if declared else ""
    html = f"<html><head>{meta}<title>Новости</title></head><body><article><h1>Заголовок</h1>" \
           f"<p>{RUSSIAN}</p></article></body></html>"
    return html.encode("cp1251")


def test_undeclared_cp1251_is_detected():
    item = extract(cp1251_page(None), URL, WHEN)
    assert RUSSIAN in item.body
    assert item.headline == "Заголовок"


def test_wrongly_declared_utf8_page_in_cp1251_is_detected():
    assert RUSSIAN in decode_html(cp1251_page("utf-8"))


def test_http_declared_charset_is_used_when_the_bytes_fit():
    latin = "<html><body><p>Café crème à la carte, señor</p></body></html>".encode("latin-1")
    assert "Café crème" in decode_html(latin, "iso-8859-1")


def test_utf8_page_declared_as_latin1_is_still_read_as_utf8():
    data = "<html><body><p>Zürich — “quoted”</p></body></html>".encode()
    assert "Zürich — “quoted”" in decode_html(data, "iso-8859-1")


@pytest.mark.parametrize(("data", "message"), [
    (b"", "empty"),
    (b"   \n\t  ", "empty"),
    (b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 4, "binary"),
    (bytes(range(32)) * 100, "binary"),
    (gzip.compress(b"<html></html>"), "binary"),
])
def test_unusable_bytes_raise_a_clear_error(data, message):
    with pytest.raises(ExtractionError, match=message):
        extract(data, URL, WHEN)


def test_non_http_url_is_refused():
    with pytest.raises(ExtractionError, match="URL"):
        extract("<html><body><p>x</p></body></html>", "file:///etc/passwd", WHEN)


def test_truncated_page_still_extracts_what_is_there():
    page = next(f for f in store.iter_fixtures(["sputnik"]) if f.name == "2024-05-17-putins-trip")
    html = page.html()
    cut = html[: html.index(b"Talks between the Russian")]
    item = extract(cut, page.url, WHEN)
    assert item.headline == page.expected["headline"]
    assert "That followed his inauguration" in item.body
    assert "Talks between" not in item.body


def test_twenty_megabyte_page_extracts():
    paragraph = "<p>" + "word " * 200 + "</p>\n"
    html = ("<html><head><title>Big</title></head><body><article><h1>Big page</h1>"
            + paragraph * (20 * 1024 * 1024 // len(paragraph)) + "</article></body></html>")
    assert len(html) > 20_000_000
    item = extract(html, URL, WHEN)
    assert item.headline == "Big page"
    assert item.word_count > 3_000_000


def test_page_over_the_size_limit_is_refused_clearly():
    with pytest.raises(ExtractionError, match="too large"):
        extract(b"<html>" + b" " * (33 * 1024 * 1024) + b"</html>", URL, WHEN)


@pytest.mark.parametrize("html", [
    "<html>", "<", "<<<>>>", "</p></div></html>", "<html><body><p>unclosed <b>tags <i>here",
    "<?xml version='1.0'?><rss><channel><item>x</item></channel></rss>",
    "<html><head><script type='application/ld+json'>{broken: json,,}</script></head></html>",
    "plain text, no markup at all",
])
def test_malformed_markup_never_raises_unexpectedly(html):
    try:
        item = extract(html, URL, WHEN)
    except ExtractionError:
        return
    assert item.url == URL


@pytest.mark.parametrize("payload", [
    b"[" * 100_000 + b"]" * 100_000,
    b'{"@graph":' * 5_000 + b"{}" + b"}" * 5_000,
])
def test_deeply_nested_json_ld_is_ignored_not_fatal(payload):
    html = (b'<html><head><script type="application/ld+json">' + payload
            + b"</script><title>T</title></head><body><h1>Headline</h1><p>Text.</p></body></html>")
    item = extract(html, URL, WHEN)
    assert item.headline


def test_utf8_bytes_are_parsed_as_they_are_and_give_the_page_of_its_text():
    # The meta charset is wrong: the bytes are UTF-8, and they are read as UTF-8.
    html = ('<html><head><meta charset="windows-1251"><title>Zürich</title></head><body>'
            "<article><h1>Zürich — “quoted”</h1>"
            f"<p>{RUSSIAN * 60}</p><p>Late paragraph\x00 with a stray NUL, still read.</p>"
            "</article></body></html>")
    data = html.encode()
    text, utf8 = decode_document(codecs.BOM_UTF8 + data)
    assert utf8 == data  # the BOM is not part of the document
    assert text == html
    from_bytes = extract(codecs.BOM_UTF8 + data, URL, WHEN)
    assert from_bytes.headline == "Zürich — “quoted”"
    assert "Late paragraph with a stray NUL, still read." in from_bytes.body
    from_text = extract(html, URL, WHEN)
    assert from_bytes.body == from_text.body and from_bytes.headline == from_text.headline


def test_pages_in_other_charsets_are_parsed_from_their_text():
    text, utf8 = decode_document(cp1251_page("windows-1251"))
    assert utf8 is None and RUSSIAN in text
    utf16 = codecs.BOM_UTF16_LE + "<html><body><p>Grüße</p></body></html>".encode("utf-16-le")
    text, utf8 = decode_document(utf16)
    assert utf8 is None and "Grüße" in text
