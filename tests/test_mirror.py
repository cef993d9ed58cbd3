"""The offline mirror, over real HTTP on 127.0.0.1."""

from __future__ import annotations

import urllib.error
import urllib.request

import pytest

from newscrawl.crawl.discovery import parse_feed, parse_sitemap, robots_sitemaps
from newscrawl.crawl.mirror import key_of, synthetic_sets
from newscrawl.sites import profile_named
from tests._crawl import ARTICLES, hits, mirror


def fetch(base: str, url: str) -> tuple[int, bytes]:
    host, path = key_of(url)
    try:
        with urllib.request.urlopen(f"{base}/{host}{path}", timeout=10) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as error:
        return error.code, error.read()


def test_mirror_serves_fixtures_and_the_entry_points_a_crawl_needs(tmp_path):
    profile = profile_named("sputnik")
    with mirror(tmp_path) as base:
        for fixture in ARTICLES:
            status, body = fetch(base, fixture.url)
            assert status == 200 and body == fixture.html()
        status, robots = fetch(base, "https://sputnikglobe.com/robots.txt")
        assert status == 200
        [index_url] = robots_sitemaps(robots.decode(), "https://sputnikglobe.com/")
        assert index_url == profile.sitemaps[0]
        index = parse_sitemap(fetch(base, index_url)[1], index_url)
        assert index.is_index
        news = parse_sitemap(fetch(base, index.links[0].url)[1], index.links[0].url)
        assert {link.url for link in news.links} == {f.url for f in ARTICLES}
        assert all(link.published for link in news.links)
        feed = parse_feed(fetch(base, profile.feeds[0])[1], profile.feeds[0])
        assert {link.url for link in feed} == {f.url for f in ARTICLES}
        status, section = fetch(base, profile.section_pages[1])
        assert status == 200 and all(f.url.encode() in section for f in ARTICLES)
        assert fetch(base, "https://sputnikglobe.com/no/such/page.html")[0] == 404
    logged = hits(tmp_path)
    assert {"host": "sputnikglobe.com", "path": "/no/such/page.html", "status": 404} in [
        {k: h[k] for k in ("host", "path", "status")} for h in logged]


@pytest.mark.parametrize("index", [0, 7, 499])
def test_synthetic_stories_are_articles_of_the_site_with_their_own_text(index):
    [stories] = synthetic_sets(500, sites=["sputnik"])
    url = stories.url(index)
    assert profile_named("sputnik").is_article_url(url)
    assert stories.index_of(*key_of(url)) == index
    page = stories.page(index)
    assert 100_000 <= len(page) <= 310_000
    assert page != stories.page(index + 1 if index < 499 else 0)
    assert stories.index_of(*key_of(stories.url(500))) is None
