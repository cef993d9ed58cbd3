"""The reference site: both article designs, listings, URL patterns."""

from __future__ import annotations

from newscrawl import fixtures as store
from newscrawl.api import extract
from newscrawl.sites import profile_for_url, profile_named

SPUTNIK = profile_named("sputnik")


def fixture(name: str) -> store.Fixture:
    return next(f for f in store.iter_fixtures(["sputnik"]) if f.name == name)


def test_profile_serves_current_and_former_host():
    assert profile_for_url("https://sputnikglobe.com/world/") is SPUTNIK
    assert profile_for_url("https://www.sputniknews.com/") is SPUTNIK
    assert profile_for_url("https://notsputnikglobe.com/") is None


def test_article_url_pattern_accepts_both_designs_and_rejects_listings():
    assert SPUTNIK.is_article_url(
        "https://sputnikglobe.com/20240517/putins-trip-1118491612.html")
    assert SPUTNIK.is_article_url(
        "https://sputniknews.com/columnists/201911181077343476-royal-self-indicting-arrogance/")
    assert not SPUTNIK.is_article_url("https://sputnikglobe.com/world/")
    assert not SPUTNIK.is_article_url("https://sputnikglobe.com/world/more.html?id=1&date=2")
    assert not SPUTNIK.is_article_url("https://example.com/20240517/x-1118491612.html")


def test_design_is_chosen_by_the_page():
    current = fixture("2024-05-17-putins-trip")
    earlier = fixture("2019-11-18-royal-self-indicting-arrogance")
    assert current.expected["extractor"] == "sputnik@2022"
    assert earlier.expected["extractor"] == "sputnik@2014"


def test_body_leaves_out_boilerplate_and_related_blocks():
    item = fixture("2024-05-17-putins-trip").extract()
    body = item["body"]
    for boilerplate in ("Subscribe", "Newsfeed", "Go to the mediabank", "loader", "Chats",
                        "log in or register", "Putin: Harbin Represents Close Ties",
                        "Sputnik International, 1920"):
        assert boilerplate not in body
    assert body.startswith(item["lead"] + "\n\n")
    assert len(item["related"]) == 5


def test_credit_is_kept_apart_from_caption():
    image = fixture("2024-05-17-putins-trip").extract()["images"][0]
    assert image["credit"] == "© POOL"
    assert "©" not in image["caption"] and "mediabank" not in image["caption"]


def test_listing_has_entries_and_load_more_url():
    listing = fixture("2024-05-17-world-section").extract()
    assert len(listing["entries"]) == 20
    assert listing["next_page"].startswith("https://sputnikglobe.com/world/more.html?id=")
    assert all(SPUTNIK.is_article_url(e["url"]) for e in listing["entries"])


def test_a_page_of_neither_design_falls_back_to_generic():
    html = ("<html lang=en><head><title>T</title><meta property='og:title' content='A title'>"
            "</head><body><article><p>Some text here.</p></article></body></html>")
    item = extract(html, "https://sputnikglobe.com/20240517/x-1118491612.html",
                   "2024-05-17T00:00:00Z")
    assert item.site == "sputnik"
    assert item.extractor.startswith("generic@")
    assert item.headline == "A title"
