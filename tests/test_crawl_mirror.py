"""`newscrawl crawl` against the offline mirror, through real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys

from newscrawl import fixtures as store
from newscrawl.crawl.mirror import key_of
from newscrawl.crawl.state.sqlite import CrawlState
from tests._crawl import ARTICLES, ROOT, hits, mirror, newscrawl, read_jsonl

FAST = ("-s", "NEWSCRAWL_EXTRACT_WORKERS=0")


def crawl(tmp_path, *args: str, state: str = "state.sqlite") -> subprocess.CompletedProcess:
    return newscrawl("crawl", *args, "--state", str(tmp_path / state),
                     "--data-dir", str(tmp_path / "data"), *FAST)


def article_hits(tmp_path) -> list[str]:
    paths = {key_of(f.url) for f in ARTICLES}
    return [h["path"] for h in hits(tmp_path) if (h["host"], h["path"]) in paths]


def test_mirror_crawl_writes_every_fixture_article_once_as_expected(tmp_path):
    out, stats = tmp_path / "out.jsonl", tmp_path / "stats.json"
    result = crawl(tmp_path, "sputnik", "--mirror", "-o", str(out), "--stats", str(stats),
                   "--mirror-log", str(tmp_path / "hits.jsonl"))
    assert result.returncode == 0, result.stderr[-3000:]
    items = read_jsonl(out)
    urls = [item["url"] for item in items]
    assert sorted(urls) == sorted(f.url for f in ARTICLES)  # once each, real URLs
    for fixture in ARTICLES:
        [item] = [i for i in items if i["url"] == fixture.url]
        assert store.diff_items(fixture.expected, item) == [], fixture.label
    summary = json.loads(stats.read_text())
    assert summary["articles_written"] == len(ARTICLES)
    assert summary["pages_fetched"] == len(hits(tmp_path))
    assert summary["pages_by_kind"]["sitemap"] == 2 and summary["pages_by_kind"]["feed"] == 1
    assert summary["sites"]["sputnik"]["fields"]["body"] == 1.0
    assert summary["broken"] == []
    user_agents = {h["user_agent"] for h in hits(tmp_path)}
    assert len(user_agents) == 1 and user_agents.pop().startswith("newscrawl/")


def test_second_run_rereads_entry_points_but_no_known_article(tmp_path):
    out = tmp_path / "out.jsonl"
    with mirror(tmp_path) as base:
        first = crawl(tmp_path, "sputnik", "--mirror-url", base, "-o", str(out))
        assert first.returncode == 0, first.stderr[-3000:]
        assert len(article_hits(tmp_path)) == len(ARTICLES)
        (tmp_path / "hits.jsonl").write_text("")
        stats = tmp_path / "second.json"
        second = crawl(tmp_path, "sputnik", "--mirror-url", base, "-o", str(out),
                       "--stats", str(stats))
        assert second.returncode == 0, second.stderr[-3000:]
        assert article_hits(tmp_path) == []
        paths = {h["path"] for h in hits(tmp_path)}
        assert {"/sitemap_article_index.xml", "/export/rss2/archive/index.xml",
                "/world/"} <= paths
        summary = json.loads(stats.read_text())
        assert summary["articles_written"] == 0
        assert summary["skipped_as_seen"] == len(ARTICLES)
        assert len(read_jsonl(out)) == len(ARTICLES)
        (tmp_path / "hits.jsonl").write_text("")
        third = crawl(tmp_path, "sputnik", "--mirror-url", base, "-o", str(out),
                      "--recrawl-after", "0s")
        assert third.returncode == 0, third.stderr[-3000:]
        assert sorted(article_hits(tmp_path)) == sorted(key_of(f.url)[1] for f in ARTICLES)


def test_date_horizon_skips_old_sitemap_and_feed_entries(tmp_path):
    stats = tmp_path / "stats.json"
    result = crawl(tmp_path, "sputnik", "--mirror", "--no-state", "--since", "2020-01-01",
                   "--stats", str(stats), "--max-depth", "1")
    assert result.returncode == 0, result.stderr[-3000:]
    summary = json.loads(stats.read_text())
    assert summary["skipped_as_old"] == 2  # the 2019 story, in the sitemap and in the feed
    assert summary["pages_by_kind"]["listing"] == 4  # depth 1: no "load more" page


def test_altered_markup_fails_the_run_naming_site_and_field(tmp_path):
    fixtures = tmp_path / "fixtures"
    shutil.copytree(ROOT / "fixtures" / "sputnik", fixtures / "sputnik")
    page = fixtures / "sputnik" / "2024-05-17-putins-trip.html.gz"
    import gzip

    html = gzip.decompress(page.read_bytes()).replace(b"article__body", b"story-text")
    page.write_bytes(gzip.compress(html))
    result = crawl(tmp_path, "sputnik", "--mirror", "--fixtures", str(fixtures),
                   "-o", str(tmp_path / "out.jsonl"))
    assert result.returncode == 1
    # The generic fallback still finds the text, but no Sputnik design matched the page.
    assert "extraction broke on site sputnik: field design in 50% of items" in result.stderr


def test_generic_mode_finds_stories_without_a_profile_and_stays_on_its_hosts(tmp_path):
    out = tmp_path / "out.jsonl"
    result = crawl(tmp_path, "--start-url", "https://sputnikglobe.com/", "--start-url",
                   "https://sputniknews.com/", "--mirror", "--no-state", "-o", str(out),
                   "--mirror-log", str(tmp_path / "hits.jsonl"),
                   # the generic extractor's bodies are not this test's business
                   "-s", "NEWSCRAWL_VALIDATION_KEEP_INVALID=True")
    assert result.returncode == 0, result.stderr[-3000:]
    items = read_jsonl(out)
    assert sorted(i["url"] for i in items) == sorted(f.url for f in ARTICLES)
    assert all(i["extractor"].startswith("generic") for i in items)
    assert {i["site"] for i in items} == {"sputnikglobe.com", "sputniknews.com"}
    assert {h["host"] for h in hits(tmp_path)} == {"sputnikglobe.com", "sputniknews.com"}


def test_a_second_run_on_a_state_in_use_exits_with_a_clear_message(tmp_path):
    with CrawlState(tmp_path / "state.sqlite"):
        result = crawl(tmp_path, "sputnik", "--mirror")
    assert result.returncode == 75
    assert "in use by process" in result.stderr
    waited = subprocess.Popen([sys.executable, "-c", (
        "import time; from newscrawl.crawl.state.sqlite import CrawlState; "
        f"s = CrawlState({str(tmp_path / 'state.sqlite')!r}); print('locked', flush=True); "
        "time.sleep(1.5); s.close()")], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert waited.stdout.readline().strip() == "locked"
    result = crawl(tmp_path, "sputnik", "--mirror", "--wait", "20")
    assert result.returncode == 0, result.stderr[-3000:]
    waited.wait(timeout=10)


def test_a_stale_lock_of_a_killed_run_is_recovered(tmp_path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import time; from newscrawl.crawl.state.sqlite import CrawlState; "
        f"s = CrawlState({str(tmp_path / 'state.sqlite')!r}); print('locked', flush=True); "
        "time.sleep(60)")], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "locked"
    holder.kill()
    holder.wait(timeout=10)
    assert (tmp_path / "state.sqlite.lock").exists()  # left behind by the killed run
    out = tmp_path / "out.jsonl"
    result = crawl(tmp_path, "sputnik", "--mirror", "-o", str(out))
    assert result.returncode == 0, result.stderr[-3000:]
    assert "stale crawl-state lock" in result.stderr
    assert len(read_jsonl(out)) == len(ARTICLES)
