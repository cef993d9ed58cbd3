"""newscrawl's extraction as web-poet page objects: a user's own Scrapy spider with
scrapy-poet, crawling the offline mirror on 127.0.0.1, gets newscrawl's items by asking for
them in its callback, for a profiled site and for a site without a profile."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import tldextract.tldextract
from web_poet import default_registry
from zyte_common_items import Article as ZyteArticle

from newscrawl import fixtures as store
from newscrawl.api import extract
from newscrawl.crawl.mirror import spawn
from newscrawl.model.items import Article
from newscrawl.poet import PROFILE_PAGES, ArticlePage, ZyteArticlePage
from newscrawl.sites import all_profiles

BBC = next(f for f in store.iter_fixtures(["bbc"]) if f.name == "2024-08-01")
GENERIC_URL = "https://news.example.org/2024/05/17/a-story"
# A page written for this test: a site no profile serves.
GENERIC_PAGE = """<html lang="en"><head><title>A story - Example News</title>
<meta property="og:site_name" content="Example News"></head><body><main><article>
<h1>A story</h1><p>The first paragraph of the story says something long enough to be read
as prose, with details that a reader would expect in a news article body.</p>
<h2>What happened next</h2><p>The second paragraph goes on with more of the story, with
<a href="/2024/05/16/earlier">a link to an earlier story</a> and more context after it.</p>
</article></main></body></html>"""

USER_SPIDER = '''
import os

import scrapy
import tldextract.tldextract
from zyte_common_items import Article as ZyteArticle

import newscrawl.poet  # noqa: F401 - registers newscrawl's page objects
from newscrawl.model.items import Article

# url-matcher asks tldextract for the public suffix list, which it would download: offline,
# its bundled copy is used.
tldextract.tldextract.TLD_EXTRACTOR = tldextract.TLDExtract(suffix_list_urls=())


class UserSpider(scrapy.Spider):
    name = "user"
    custom_settings = {
        "ADDONS": {"scrapy_poet.Addon": 300},
        # The offline mirror stands in for the sites (newscrawl.crawl.middlewares.routing).
        "DOWNLOAD_HANDLERS": {
            "http": "newscrawl.crawl.middlewares.routing.MirrorDownloadHandler",
            "https": "newscrawl.crawl.middlewares.routing.MirrorDownloadHandler"},
        "NEWSCRAWL_MIRROR": os.environ["MIRROR_URL"],
    }

    async def start(self):
        for url in os.environ["START_URLS"].split():
            yield scrapy.Request(url, callback=self.parse)
            yield scrapy.Request(url, callback=self.parse_zyte, dont_filter=True)

    def parse(self, response, article: Article):
        yield {"kind": "newscrawl", "item": article.to_dict()}

    def parse_zyte(self, response, article: ZyteArticle):
        yield {"kind": "zyte", "url": article.url, "headline": article.headline,
               "articleBody": article.articleBody}
'''


@pytest.fixture(autouse=True)
def offline_suffix_list(monkeypatch):
    """url-matcher asks tldextract for the public suffix list, which it would download."""
    monkeypatch.setattr(tldextract.tldextract, "TLD_EXTRACTOR",
                        tldextract.TLDExtract(suffix_list_urls=()))


def test_rules_pick_the_profile_page_for_its_hosts_and_a_default_elsewhere():
    assert default_registry.page_cls_for_item(BBC.url, Article) is PROFILE_PAGES["bbc"]
    assert default_registry.page_cls_for_item(GENERIC_URL, Article) is ArticlePage
    assert default_registry.page_cls_for_item(GENERIC_URL, ZyteArticle) is ZyteArticlePage
    assert set(PROFILE_PAGES) == {profile.name for profile in all_profiles()}


def _mirror_fixtures(root: Path) -> None:
    (root / "bbc").mkdir(parents=True)
    for path in (BBC.html_path, BBC.meta_path):
        shutil.copy(path, root / "bbc" / path.name)
    (root / "example").mkdir()
    (root / "example" / "a-story.html.gz").write_bytes(gzip.compress(GENERIC_PAGE.encode()))
    (root / "example" / "a-story.json").write_text(json.dumps({
        "url": GENERIC_URL, "fetched_at": BBC.meta["fetched_at"], "kind": "article",
        "provenance": {"status": "reconstructed", "source": "written for tests/test_poet.py"}}))


def test_a_scrapy_poet_spider_gets_newscrawl_items(tmp_path):
    _mirror_fixtures(tmp_path / "fixtures")
    (tmp_path / "user_spider.py").write_text(USER_SPIDER)
    child, base = spawn(fixtures=tmp_path / "fixtures", quiet=True)
    try:
        result = subprocess.run(
            [sys.executable, "-m", "scrapy", "runspider", "user_spider.py", "-o", "out.jsonl",
             "-s", "LOG_LEVEL=INFO"],
            cwd=tmp_path, capture_output=True, text=True, timeout=180,
            env={**_environment(), "MIRROR_URL": base, "START_URLS": f"{BBC.url} {GENERIC_URL}"})
    finally:
        child.terminate()
        child.wait(timeout=10)
    assert result.returncode == 0, result.stderr[-3000:]
    lines = [json.loads(line) for line in (tmp_path / "out.jsonl").read_text().splitlines()]
    items = {line["item"]["url"]: line["item"] for line in lines if line["kind"] == "newscrawl"}
    assert set(items) == {BBC.url, GENERIC_URL}, result.stderr[-3000:]

    bbc = items[BBC.url]
    assert bbc["extractor"] == BBC.expected["extractor"] == "bbc@2024"
    ignored = ("fetched_at",)  # the page object takes the time from the response
    assert {k: v for k, v in bbc.items() if k not in ignored} == {
        k: v for k, v in BBC.expected.items() if k not in ignored}

    generic = items[GENERIC_URL]
    expected = extract(GENERIC_PAGE, GENERIC_URL, generic["fetched_at"]).to_dict()
    assert generic == expected
    assert generic["extractor"].startswith("generic@")
    assert '<a href="https://news.example.org/2024/05/16/earlier">' in generic["body_html"]

    zyte = {line["url"]: line for line in lines if line["kind"] == "zyte"}
    assert zyte[BBC.url]["headline"] == BBC.expected["headline"]
    assert zyte[GENERIC_URL]["articleBody"] == generic["body"]


def _environment() -> dict[str, str]:
    return {name: value for name, value in os.environ.items()
            if not name.startswith("SCRAPY_")}
