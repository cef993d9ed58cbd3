"""Extraction frees each page as soon as it is done with it."""

from __future__ import annotations

import gc
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

from newscrawl.api import extract, extract_listing
from newscrawl.extraction.language import load_model
from newscrawl.fixtures import iter_fixtures

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)
ROOT = Path(__file__).resolve().parent.parent


def unreachable_after_extracting_every_fixture() -> int:
    """Objects the cycle collector finds after extracting every fixture page, articles with
    and without profiles and listings, with the collector off meanwhile."""
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
        return gc.collect()
    finally:
        gc.enable()


def test_extraction_leaves_no_reference_cycles() -> None:
    # A cycle (a recursive closure, say) keeps a page's whole parsed tree alive until the cycle
    # collector happens to run: megabytes per page in a busy crawl worker. Counted in a fresh
    # interpreter: in this one, objects of earlier tests (Scrapy's signal weakrefs) may die in
    # cycles meanwhile and be counted with the pages'.
    code = ("from tests.test_extraction_memory import unreachable_after_extracting_every_fixture"
            " as count; print(count())")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True,
                          text=True, timeout=300, check=False)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.split()[-1] == "0"
