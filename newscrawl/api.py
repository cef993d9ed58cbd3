"""The public entry points: `extract` and `extract_listing`.

The one module that joins the pure extraction core (`newscrawl.extraction`) with the site
registry (`newscrawl.sites`): it picks the profile that serves a page's URL, then the layout
of that profile that fits the page, else the generic extractor. Everything above (crawl,
archives, the command line) extracts through here.
"""

from __future__ import annotations

from datetime import datetime

from newscrawl.extraction import ExtractionError, Page, load_page
from newscrawl.extraction.generic import GenericArticle
from newscrawl.extraction.listing import GenericListing
from newscrawl.extraction.pagekind import page_kind
from newscrawl.extraction.profile import SiteProfile
from newscrawl.model.items import Article, ListingPage
from newscrawl.sites import profile_for_url


def _profile(url: str, use_profiles: bool) -> SiteProfile | None:
    return profile_for_url(url) if use_profiles else None


def article_for(page: Page, profile: SiteProfile | None, *,
                detect_language: bool = True) -> Article:
    """The article of a parsed page as `profile` reads it: the profile's design that fits the
    page, else the generic extractor (with the profile's timezone and language, if any)."""
    layout = profile.layout_for(page) if profile else None
    extractor = GenericArticle(page, profile) if layout is None else layout(page, profile)
    extractor.language_detection = detect_language
    return extractor.article()


def extract_page(page: Page, *, use_profiles: bool = True,
                 detect_language: bool = True) -> Article:
    return article_for(page, _profile(page.url, use_profiles), detect_language=detect_language)


def extract(html: str | bytes, url: str, fetched_at: datetime | str, *,
            encoding: str | None = None, use_profiles: bool = True,
            detect_language: bool = True) -> Article:
    """Extract an article. `encoding` is the charset the HTTP response declared, if any;
    `detect_language` tells the language from the body where the page states none.

    Raises ExtractionError, with a message for the user, for pages that are not HTML.
    """
    return extract_page(load_page(html, url, fetched_at, encoding), use_profiles=use_profiles,
                        detect_language=detect_language)


def extract_document(html: str | bytes, url: str, fetched_at: datetime | str, *,
                     encoding: str | None = None,
                     use_profiles: bool = True) -> Article | ListingPage:
    """An article, or a listing for a section or home page: the site profile's designs say
    which where they match; otherwise the page-kind judgement (`pagekind`) decides."""
    page = load_page(html, url, fetched_at, encoding)
    profile = _profile(page.url, use_profiles)
    if profile:
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
    layout = profile.listing_layout_for(page)
    return layout(page, profile).listing()


__all__ = ["ExtractionError", "article_for", "extract", "extract_document", "extract_listing",
           "extract_page", "kind_of"]
