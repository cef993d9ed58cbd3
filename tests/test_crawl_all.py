"""Every site profile, crawled through the offline mirror over real HTTP: each fixture
article is found from the site's entry points and comes out once, as its expected item."""

from __future__ import annotations

import json

from newscrawl import fixtures as store
from tests._crawl import newscrawl, read_jsonl

ALL_ARTICLES = [f for f in store.iter_fixtures() if f.kind == "article"]


def test_crawl_of_every_profile_yields_every_fixture_article_once(tmp_path):
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    result = newscrawl("crawl", "--all", "--mirror", "--state", str(tmp_path / "state.sqlite"),
                       "--data-dir", str(tmp_path / "data"), "-O", str(out),
                       "--stats", str(stats), timeout=300)
    assert result.returncode == 0, result.stderr[-3000:]
    items = {item["url"]: item for item in read_jsonl(out)}
    assert len(items) == len(read_jsonl(out)), "an article was written twice"
    assert sorted(items) == sorted(f.url for f in ALL_ARTICLES)
    for fixture in ALL_ARTICLES:
        diffs = store.diff_items(fixture.expected, items[fixture.url])
        assert not diffs, f"{fixture.label}: " + "; ".join(d.render() for d in diffs)
    summary = json.loads(stats.read_text())
    assert summary["broken"] == []
    assert set(summary["sites"]) == {f.site for f in ALL_ARTICLES}
