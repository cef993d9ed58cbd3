"""`publisher`, `free_access` and `schema_version`."""

from __future__ import annotations

import json

import pytest

from newscrawl import fixtures as store
from newscrawl.api import extract
from newscrawl.extraction import load_page
from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.model.items import SCHEMA_VERSION, article_from_dict

URL = "https://news.example.org/2024/05/17/a-story"
FETCHED = "2024-05-17T12:00:00Z"
ARTICLES = [f for f in store.iter_fixtures() if f.kind == "article"]


def page(ld: dict | None = None, head: str = "") -> str:
    script = (f'<script type="application/ld+json">{json.dumps(ld)}</script>' if ld else "")
    return (f"<html><head><title>A story</title>{script}{head}</head><body><article>"
            "<h1>A story</h1><p>Some text of the story, long enough to be read as a "
            "paragraph of prose by the body finder of the generic extractor.</p>"
            "</article></body></html>")


def article(ld: dict | None = None, head: str = "") -> dict:
    return extract(page(ld, head), URL, FETCHED).to_dict()


def test_publisher_from_json_ld_then_og_site_name():
    both = article({"@type": "NewsArticle", "publisher": {"@type": "Organization",
                                                          "name": "The Daily Example"}},
                   '<meta property="og:site_name" content="Example">')
    assert both["publisher"] == "The Daily Example"
    assert article(head='<meta property="og:site_name" content=" Example ">')["publisher"] \
        == "Example"
    assert article()["publisher"] is None


def test_publisher_falls_back_to_the_profile_description():
    class Design(SelectorArticle):
        detect = "article"

    profile = SiteProfile(name="example", description="Example News, English",
                          hosts=("news.example.org",), article_url="/", layouts=(Design,))
    item = Design(load_page(page(), URL, FETCHED), profile).article()
    assert item.publisher == "Example News, English"


@pytest.mark.parametrize(("ld", "head", "expected"), [
    ({"@type": "NewsArticle", "isAccessibleForFree": True}, "", True),
    ({"@type": "NewsArticle", "isAccessibleForFree": "False"}, "", False),
    ({"@type": "NewsArticle", "isAccessibleForFree": "true"},
     '<meta property="article:content_tier" content="locked">', True),
    ({"@type": "NewsArticle", "hasPart": {"@type": "WebPageElement",
                                          "isAccessibleForFree": False,
                                          "cssSelector": ".paywalled"}}, "", False),
    (None, '<meta itemprop="isAccessibleForFree" content="false">', False),
    (None, '<meta property="article:content_tier" content="free">', True),
    (None, '<meta property="article:content_tier" content="locked">', False),
    (None, '<meta property="article:content_tier" content="metered">', None),
    ({"@type": "NewsArticle", "isAccessibleForFree": "perhaps"}, "", None),
    (None, "", None),
])
def test_free_access(ld, head, expected):
    assert article(ld, head)["free_access"] is expected


def test_free_access_on_saved_pages():
    flags = {f.label: f.expected["free_access"] for f in ARTICLES}
    assert flags["lemonde/2023-09-01"] is False  # "isAccessibleForFree": "False", locked tier
    assert flags["theguardian/2024-02-24"] is True
    assert flags["bbc/2024-08-01"] is None


def test_every_item_states_its_schema_version():
    assert {f.expected["schema_version"] for f in ARTICLES} == {SCHEMA_VERSION}
    old = {"url": URL, "site": "example"}
    assert article_from_dict(old).schema_version == "1.0"
    assert article_from_dict({**old, "schema_version": "1.1"}).schema_version == "1.1"
