"""The extraction core: a pure function of (HTML, URL, fetch time). No network, no Scrapy."""

from __future__ import annotations

from datetime import datetime
from urllib.parse import urlsplit

from newscrawl.extraction.dates import to_utc_datetime
from newscrawl.extraction.decode import decode_html
from newscrawl.extraction.errors import ExtractionError
from newscrawl.extraction.generic import GenericArticle
from newscrawl.extraction.listing import GenericListing
from newscrawl.extraction.page import Page
from newscrawl.extraction.pagekind import page_kind
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


def extract_page(page: Page, *, use_profiles: bool = True) -> Article:
    profile = _profile(page.url, use_profiles)
    if profile:
        page.indexed_attributes = profile.indexed_attributes
    layout = profile.layout_for(page) if profile else None
    if layout is None:
        return GenericArticle(page, profile).article()
    return layout(page, profile).article()


def extract(html: str | bytes, url: str, fetched_at: datetime | str, *,
            encoding: str | None = None, use_profiles: bool = True) -> Article:
    """Extract an article. `encoding` is the charset the HTTP response declared, if any.

    Raises ExtractionError, with a message for the user, for pages that are not HTML.
    """
    return extract_page(load_page(html, url, fetched_at, encoding), use_profiles=use_profiles)


def extract_document(html: str | bytes, url: str, fetched_at: datetime | str, *,
                     encoding: str | None = None,
                     use_profiles: bool = True) -> Article | ListingPage:
    """An article, or a listing for a section or home page: the site profile's designs say
    which where they match; otherwise the page-kind judgement (`pagekind`) decides."""
    page = load_page(html, url, fetched_at, encoding)
    profile = _profile(page.url, use_profiles)
    if profile:
        page.indexed_attributes = profile.indexed_attributes
        layout = profile.layout_for(page)
        if layout is not None:
            return layout(page, profile).article()
        listing = next((lay for lay in profile.listing_layouts if lay.matches(page)), None)
        if listing is not None:
            return listing(page, profile).listing()
    extractor = GenericArticle(page, profile)
    kind, teasers = page_kind(page, lambda: extractor.main_paragraphs())
    if kind == "article":
        return extractor.article()
    if profile:
        return profile.listing_layout_for(page)(page, profile).listing()
    return GenericListing(page, teasers).listing()


def kind_of(document: Article | ListingPage) -> str:
    """"article" or "listing", as `extract_document` judged the page."""
    return "listing" if isinstance(document, ListingPage) else "article"


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


__all__ = ["ExtractionError", "Page", "SelectorListing", "extract", "extract_document",
           "extract_listing", "extract_page", "kind_of", "load_page"]
