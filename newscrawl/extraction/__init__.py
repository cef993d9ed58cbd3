"""The extraction core: a pure function of (HTML, URL, fetch time). No network, no Scrapy.

It knows site profiles only as the `SiteProfile` it is given; choosing one for a URL is the
registry's (`newscrawl.sites`), and `newscrawl.api` joins the two.
"""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from newscrawl.extraction.dates import to_utc_datetime
from newscrawl.extraction.decode import decode_document
from newscrawl.extraction.errors import ExtractionError
from newscrawl.extraction.page import Page
from newscrawl.extraction.profile import SelectorListing

MAX_DOCUMENT_BYTES = 32 * 1024 * 1024


def load_page(html: str | bytes, url: str, fetched_at: datetime | str,
              encoding: str | None = None) -> Page:
    """Decode (for bytes) and parse a page once."""
    if not url or not url.startswith(("http://", "https://")):
        raise ExtractionError(f"not an http(s) URL: {url!r}")
    try:
        urlsplit(url)
    except ValueError as error:
        raise ExtractionError(f"not a valid URL: {url!r} ({error})") from error
    if len(html) > MAX_DOCUMENT_BYTES:
        raise ExtractionError(f"page too large: {len(html)} bytes (limit {MAX_DOCUMENT_BYTES})")
    text, utf8 = decode_document(html, encoding) if isinstance(html, bytes) else (html, None)
    if "\x00" in text[:4096]:
        raise ExtractionError("not an HTML page: the content is binary")
    return Page(text if utf8 is None else utf8, url, to_utc_datetime(fetched_at))


__all__ = ["ExtractionError", "Page", "SelectorListing", "load_page"]
