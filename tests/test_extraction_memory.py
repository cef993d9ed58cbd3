"""Extraction frees each page as soon as it is done with it."""

from __future__ import annotations

import gc
from datetime import UTC, datetime

from newscrawl.api import extract, extract_listing
from newscrawl.extraction.language import load_model
from newscrawl.fixtures import iter_fixtures

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


def test_extraction_leaves_no_reference_cycles() -> None:
    # A cycle (a recursive closure, say) keeps a page's whole parsed tree alive until the cycle
    # collector happens to run: megabytes per page in a busy crawl worker.
    fixtures = list(iter_fixtures())
    pages = [(f.url, f.html()) for f in fixtures if f.kind == "article"]
    listings = [(f.url, f.html()) for f in fixtures if f.kind == "listing"]
    assert len(pages) > 40 and listings
    # Once per process, not per page: numpy's reader of the language model leaves a few
    # closures in cycles (ast.literal_eval), which is no page kept alive.
    load_model()
    gc.collect()
    gc.disable()
    try:
        for use_profiles in (True, False):
            for url, html in pages:
                extract(html, url, FETCHED, use_profiles=use_profiles)
        for url, html in listings:
            extract_listing(html, url, FETCHED)
        gc.set_debug(gc.DEBUG_SAVEALL)
        gc.collect()
        kept = [o for o in gc.garbage if _ours(o)]
    finally:
        gc.set_debug(0)
        gc.garbage.clear()
        gc.enable()
    assert kept == []


def _ours(thing: object) -> bool:
    """Part of a page's extraction: our objects, our closures, parsed trees. Cycles left by
    earlier tests' objects dying meanwhile (Scrapy's signal weakrefs) are not."""
    module = getattr(thing, "__module__", None) or type(thing).__module__ or ""
    return module.split(".")[0] in ("newscrawl", "lxml", "parsel")
