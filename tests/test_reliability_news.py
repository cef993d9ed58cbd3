"""The crawl spider (`news`, generic mode) against the hostile server, in a child process:
discovery through robots.txt sitemaps, a feed and links, with every hostile page on the way.
"""

from __future__ import annotations

import json

import pytest

from newscrawl.spiders.news import MAX_SITEMAP_NESTING
from tests.support.canary import FileReadCanary
from tests.support.crawl import hostile_settings, run_crawl
from tests.support.hostile import HOST, Behaviour, HostileServer

PEAK_RSS_LIMIT_MB = 300
MAX_DEPTH = 3  # NEWSCRAWL_MAX_PAGES_DEPTH's default


@pytest.fixture(scope="module")
def news_crawl(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("news")
    target = tmp / "secret"
    with FileReadCanary(target) as canary, \
            HostileServer(behaviour=Behaviour(xxe_target=str(target),
                                              slow_seconds=5)) as server:
        # Extraction in the crawl process (no workers), so one process's memory is the crawl's;
        # a 3 s timeout leaves a loaded CI machine room for the pages that behave.
        result = run_crawl("news", {"start_urls": server.url("/")},
                           hostile_settings(NEWSCRAWL_EXTRACT_WORKERS=0, DOWNLOAD_TIMEOUT=3),
                           tmp, timeout=90)
        summary = {"seconds": round(result.seconds, 1),
                   "peak_rss_mb": round(result.peak_rss_mb, 1), "items": len(result.items),
                   "faults": result.faults()}
        print(f"\nnews: {json.dumps(summary)}")
        yield server, result, canary


def test_the_crawl_ends_by_itself_within_bounds(news_crawl):
    server, result, _ = news_crawl
    assert result.returncode == 0, result.log[-3000:]
    assert result.stats.get("finish_reason") == "finished"
    assert result.seconds < 60 and result.peak_rss_mb < PEAK_RSS_LIMIT_MB
    for marker in ("Traceback", "Unhandled error", "Spider error processing"):
        assert marker not in result.log


def test_every_fault_is_counted(news_crawl):
    _, result, _ = news_crawl
    faults = result.faults()
    for kind in ("timeout", "connection_lost", "data_loss", "http_429", "http_5xx",
                 "redirect_loop", "offsite_redirect", "refused_address", "too_large", "bomb",
                 "binary_content"):
        assert faults.get(kind, 0) >= 1, (kind, faults)


def test_a_sitemap_index_listing_itself_is_followed_a_bounded_number_of_times(news_crawl):
    server, _, _ = news_crawl
    fetched = [p for p in server.hits_on(HOST) if p.startswith("/sitemap/self-index.xml")]
    assert fetched, "the self-listing sitemap index was never read"
    # What stops the chain depends on crawl order (the spider's nesting cap, DEPTH_LIMIT, a
    # timeout under load); that it stops is the point.
    assert len(fetched) <= MAX_SITEMAP_NESTING + 1, fetched


def test_every_article_is_extracted(news_crawl):
    server, result, _ = news_crawl
    items = result.by_url()
    for path in [*server.article_paths(), "/429/1.html", "/flaky/500/1.html",
                 "/flaky/503/1.html", "/jsonld/deep.html"]:
        assert server.url(path) in items, path


def test_hostile_navigation_is_bounded_and_stays_home(news_crawl):
    server, result, canary = news_crawl
    assert server.canary_hits() == {}
    assert "connection_refused" not in result.faults()
    hits = server.hits_on(HOST)
    # A sitemap index listing ever deeper copies of itself: followed MAX_SITEMAP_NESTING deep.
    assert sum(p.startswith("/sitemap/self-index.xml") for p in hits) <= MAX_SITEMAP_NESTING
    assert sum(p.startswith("/calendar/") for p in hits) <= MAX_DEPTH
    assert canary.reads == 0  # the external entity's file was never opened
    assert len(hits) < 400
