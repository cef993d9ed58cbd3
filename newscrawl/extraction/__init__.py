"""The extraction core: a pure function of (HTML, URL, fetch time). No network, no Scrapy."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from newscrawl.extraction.dates import to_utc_datetime
from newscrawl.extraction.decode import decode_html
from newscrawl.extraction.errors import ExtractionError
from newscrawl.extraction.generic import GenericArticle
from newscrawl.extraction.page import Page
from newscrawl.extraction.profile import SelectorListing, SiteProfile
from newscrawl.items import Article, ListingPage

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
    text = decode_html(html, encoding) if isinstance(html, bytes) else html
    if "\x00" in text[:4096]:
        raise ExtractionError("not an HTML page: the content is binary")
    return Page(text, url, to_utc_datetime(fetched_at))


def _profile(url: str, use_profiles: bool) -> SiteProfile | None:
    if not use_profiles:
        return None
    from newscrawl.sites import profile_for_url

    return profile_for_url(url)


def extract_page(page: Page, *, use_profiles: bool = True,
                 detect_language: bool = True) -> Article:
    profile = _profile(page.url, use_profiles)
    if profile:
        page.indexed_attributes = profile.indexed_attributes
    layout = profile.layout_for(page) if profile else None
    extractor = GenericArticle(page, profile) if layout is None else layout(page, profile)
    extractor.language_detection = detect_language
    return extractor.article()


def extract(html: str | bytes, url: str, fetched_at: datetime | str, *,
            encoding: str | None = None, use_profiles: bool = True,
            detect_language: bool = True) -> Article:
    """Extract an article. `encoding` is the charset the HTTP response declared, if any;
    `detect_language` tells the language from the body where the page states none.

    Raises ExtractionError, with a message for the user, for pages that are not HTML.
    """
    return extract_page(load_page(html, url, fetched_at, encoding), use_profiles=use_profiles,
                        detect_language=detect_language)


def extract_listing(html: str | bytes, url: str, fetched_at: datetime | str, *,
                    encoding: str | None = None) -> ListingPage:
    """Extract a section or home page: the article links it lists and its next page."""
    page = load_page(html, url, fetched_at, encoding)
    profile = _profile(url, True)
    if profile is None:
        raise ExtractionError(f"no site profile serves {url}: listings need one")
    page.indexed_attributes = profile.indexed_attributes
    layout = profile.listing_layout_for(page)
    return layout(page, profile).listing()


__all__ = ["ExtractionError", "Page", "SelectorListing", "extract", "extract_listing",
           "extract_page", "load_page"]
