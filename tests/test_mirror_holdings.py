"""A crawl of the mirror follows only links to pages the mirror holds, and says how many
links it did not follow; the saved pages themselves are served unchanged."""

from __future__ import annotations

import json

from newscrawl.crawl.mirror import fixture_resolver, synthetic_sets
from newscrawl.crawl.mirrorscope import Holdings
from tests._crawl import ARTICLES, hits, mirror, newscrawl, read_jsonl

FAST = ("-s", "NEWSCRAWL_EXTRACT_WORKERS=0")


def test_holdings_name_every_fixture_page_and_the_synthetic_stories(tmp_path):
    with mirror(tmp_path, sites=["sputnik"], synthetic=10) as base:
        holdings = Holdings.fetch(base)
    assert all(holdings.holds(f.url) for f in ARTICLES)
    assert holdings.holds("https://sputnikglobe.com/robots.txt")
    assert not holdings.holds("https://sputnikglobe.com/20240517/never-saved-1108000000.html")
    [stories] = synthetic_sets(10, sites=["sputnik"])
    assert holdings.holds(stories.url(3))
    assert not holdings.holds(stories.url(3) + "x")


def test_the_holdings_list_only_pages_served_with_200():
    resolve = fixture_resolver(sites=["sputnik"])
    held = json.loads(resolve("newscrawl-mirror", "/holdings.json").body)["pages"]
    assert any(key.startswith("sputnikglobe.com/") for key in held)
    for key in held:
        host, _, path = key.partition("/")
        assert resolve(host, "/" + path).status == 200, key


def crawl(tmp_path, name: str, *args: str) -> tuple[dict, list]:
    out, stats = tmp_path / f"{name}.jsonl", tmp_path / f"{name}.json"
    (tmp_path / "hits.jsonl").unlink(missing_ok=True)
    result = newscrawl("crawl", "sputnik", "--mirror", "--no-state", "-o", str(out),
                       "--data-dir", str(tmp_path / name), "--stats", str(stats),
                       "--mirror-log", str(tmp_path / "hits.jsonl"), *FAST, *args)
    assert result.returncode == 0, result.stderr[-3000:]
    return json.loads(stats.read_text()), read_jsonl(out)


def test_links_to_stories_not_held_are_counted_not_fetched(tmp_path):
    summary, items = crawl(tmp_path, "held")
    assert summary["error_count"] == 0
    assert all(hit["status"] == 200 for hit in hits(tmp_path))
    assert sorted(i["url"] for i in items) == sorted(f.url for f in ARTICLES)
    # Every link not followed is a 404 when followed: nothing the mirror holds was left out.
    unfiltered, same_items = crawl(tmp_path, "all", "-s", "NEWSCRAWL_MIRROR_HELD_ONLY=False")
    assert unfiltered["not_in_mirror"] == 0
    assert unfiltered["errors"] == {"http_404": summary["not_in_mirror"]}
    assert summary["not_in_mirror"] > 0
    assert sorted(i["url"] for i in same_items) == sorted(i["url"] for i in items)
