"""Page helpers: absolute URLs."""

from datetime import UTC, datetime
from urllib.parse import urljoin

import pytest

from newscrawl.extraction import load_page
from newscrawl.extraction.page import Page
from newscrawl.fixtures import iter_fixtures

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


def reference_absolute(base: str, href: str) -> str | None:
    try:
        joined = urljoin(base, href.strip())
    except ValueError:
        return None
    return joined if joined.startswith(("http://", "https://")) else None


@pytest.mark.parametrize("href", [
    "https://example.com/a/b?x=1#top", "https://example.com", "https://example.com?q=1",
    "https://example.com/a?", "https://example.com/a#", "https://example.com/a?#f",
    "https://example.com/a;p?q", "https://[::1/x", "https://exa mple.com/a",
    "https:///path", "http://example.com/a\tb", "HTTPS://example.com/a", "//cdn.example.net/i.jpg",
    "/relative/path", "../up", "javascript:void(0)", "data:image/gif;base64,AAAA",
])
def test_absolute_urls_are_what_urljoin_gives(href: str) -> None:
    page = Page("<html><body></body></html>", "https://news.example.org/a/b/c", FETCHED)
    assert page.absolute(href) == reference_absolute(page.base_url, href)


def test_every_link_and_image_address_of_the_fixtures_is_what_urljoin_gives() -> None:
    checked = 0
    for fixture in iter_fixtures():
        page = load_page(fixture.html(), fixture.url, FETCHED)
        for element in page.root.iter("a", "img", "link", "source"):
            for name in ("href", "src", "data-src"):
                href = element.get(name)
                if href and href.strip():
                    assert page.absolute(href) == reference_absolute(page.base_url, href), href
                    checked += 1
    assert checked > 5000


@pytest.mark.parametrize("html", [
    "\u00a0\u2003<html><body><p>Text\x00 with a NUL</p></body></html>\u3000\n",
    "\x00<p>Only a paragraph, ünïcödé and 漢字</p>",
    "<html><head><title>T</title></head><body>\x00\x00</body></html>",
])
def test_a_page_given_as_text_parses_as_parsel_parses_text(html: str) -> None:
    from lxml import etree
    from parsel import Selector

    page = Page(html, "https://example.com/a", FETCHED)
    expected = Selector(text=html).root
    assert etree.tostring(page.root) == etree.tostring(expected)


def test_text_that_cannot_be_encoded_is_an_extraction_error() -> None:
    from newscrawl.extraction.errors import ExtractionError

    with pytest.raises(ExtractionError, match="cannot parse"):
        Page("<p>a lone surrogate \ud800</p>", "https://example.com/a", FETCHED)
