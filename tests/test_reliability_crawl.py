"""Crawls of the hostile server (tests/support/hostile.py) in a child process: the crawl
finishes, every fault is counted by kind, the good pages around the bad ones are all
extracted, memory stays bounded, the log has no tracebacks, and no request reaches a host it
must not reach."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest

from newscrawl.api import extract
from tests.support.canary import FileReadCanary
from tests.support.crawl import CrawlResult, hostile_settings, run_crawl
from tests.support.hostile import CANARIES, HOST, Behaviour, HostileServer

PEAK_RSS_LIMIT_MB = 300  # measured about 120 MB; DOWNLOAD_MAXSIZE (16 MB) bounds each body
RETRIES = 3  # RETRY_TIMES in newscrawl/crawl/settings.py
FAULTY = [
    "/slow/1.html", "/reset/1.html", "/truncated/1.html", "/429/1.html", "/flaky/500/1.html",
    "/flaky/503/1.html", "/always/503/1.html", "/loop/a", "/loop/self", "/loop/growing/1",
    "/redirect/other-site", "/redirect/metadata", "/redirect/private", "/redirect/link-local",
    "/bomb/gzip", "/bomb/gzip2", "/large/declared.html", "/large/streamed.html",
    "/binary/png.html", "/binary/noise.html", "/empty.html", "/headers/endless",
    "/headers/long", "/jsonld/deep.html",
]
# Misbehaving pages that end up extracted: the server relents, or the extractor copes (it
# ignores JSON-LD nested absurdly deep; before ecfafbf that raised RecursionError).
RECOVERING = ["/429/1.html", "/flaky/500/1.html", "/flaky/503/1.html", "/jsonld/deep.html"]


def _report(name: str, result: CrawlResult, tmp: Path) -> None:
    # Kept beside the crawl so docs/reliability.md can quote measured figures.
    summary = {"seconds": round(result.seconds, 1), "peak_rss_mb": round(result.peak_rss_mb, 1),
               "items": len(result.items), "faults": result.faults()}
    (tmp / f"{name}-summary.json").write_text(json.dumps(summary, indent=2))
    print(f"\n{name}: {json.dumps(summary)}")


@pytest.fixture(scope="module")
def pages_crawl(tmp_path_factory):
    """The `pages` spider given good URLs interleaved with every misbehaving one."""
    tmp = tmp_path_factory.mktemp("pages")
    with HostileServer() as server:
        good = server.article_paths() + server.charset_paths()
        paths = [p for pair in zip(good, FAULTY, strict=False) for p in pair]
        paths += good[len(FAULTY):] + FAULTY[len(good):]
        urls = [server.url(p) for p in paths]
        # robots.txt obeyed, as by default: a redirect to a canary must not make the robots.txt
        # middleware fetch the canary's robots.txt either.
        result = run_crawl("pages", {"urls": ",".join(urls)},
                           hostile_settings(ROBOTSTXT_OBEY=True), tmp, timeout=90)
        _report("pages", result, tmp)
        yield server, result, good


def test_crawl_finishes_within_bounds(pages_crawl):
    server, result, _ = pages_crawl
    assert result.returncode == 0, result.log[-3000:]
    assert result.stats.get("finish_reason") == "finished"
    assert result.seconds < 60
    assert result.peak_rss_mb < PEAK_RSS_LIMIT_MB, result.peak_rss_mb


def test_every_fault_is_counted_by_kind(pages_crawl):
    server, result, _ = pages_crawl
    faults = result.faults()
    expected_at_least = {
        # the reset, and Twisted hanging up on endless or huge headers
        "timeout": RETRIES + 1, "connection_lost": 3 * (RETRIES + 1), "data_loss": RETRIES + 1,
        "http_429": server.behaviour.fail_times, "redirect_loop": 3, "offsite_redirect": 1,
        "refused_address": 6, "too_large": 2, "bomb": 2, "binary_content": 2,
        "extraction_error": 1,
        # flaky pages fail `fail_times` each, /always/503 every attempt
        "http_5xx": 2 * server.behaviour.fail_times + RETRIES + 1,
    }
    for kind, least in expected_at_least.items():
        assert faults.get(kind, 0) >= least, (kind, faults)
    assert faults["total"] == sum(v for k, v in faults.items() if k != "total")
    # The 3 redirects to forbidden stand-ins, and the robots.txt of each of their hosts, which
    # RobotsTxtMiddleware asks for first: all refused by the network guard.
    assert result.stats["newscrawl/refused/forbidden"] == 2 * 3


def test_no_traceback_and_one_line_per_fault(pages_crawl):
    _, result, _ = pages_crawl
    for marker in ("Traceback", "Unhandled error", "Spider error processing"):
        assert marker not in result.log
    fault_lines = [line for line in result.log.splitlines()
                   if "] WARNING: fault " in line or "] ERROR: fault " in line]
    counted = result.faults()
    counted_here = sum(v for k, v in counted.items()
                       if k not in ("total", "extraction_error"))
    assert len(fault_lines) == counted_here


def test_good_pages_around_the_faulty_ones_are_all_extracted(pages_crawl):
    server, result, good = pages_crawl
    items = result.by_url()
    for path in good + RECOVERING:
        url = server.url(path)
        assert url in items, f"lost {path}"
    for path in good:  # exactly what extracting the same bytes offline gives
        url = server.url(path)
        offline = extract(_fetch(server, path), url, datetime.now(UTC),
                          encoding="utf-8" if "charset" not in path else None,
                          use_profiles=True).to_dict()
        online = items[url]
        for name in ("headline", "body", "published", "authors"):
            assert online[name] == offline[name], (path, name)
    for path in set(FAULTY) - set(RECOVERING):
        assert server.url(path) not in items


def _fetch(server: HostileServer, path: str) -> bytes:
    import urllib.request

    with urllib.request.urlopen(server.url(path), timeout=5) as response:  # noqa: S310 - loopback
        return response.read()


def test_charset_traps_decode_to_the_right_text(pages_crawl):
    server, result, _ = pages_crawl
    items = result.by_url()
    for path in server.charset_paths():
        assert items[server.url(path)]["headline"] == "Новости дня: погода в Москве", path


def test_retry_after_and_backoff_are_honoured(pages_crawl):
    server, _, _ = pages_crawl
    times = server.times_of("/429/1.html")
    assert len(times) == server.behaviour.fail_times + 1
    waits = [b - a for a, b in zip(times, times[1:], strict=False)]
    assert all(w >= float(server.behaviour.retry_after) * 0.9 for w in waits), waits
    flaky = server.times_of("/flaky/503/1.html")
    gaps = [b - a for a, b in zip(flaky, flaky[1:], strict=False)]
    assert gaps[0] >= 0.09 and gaps[1] >= 0.18, gaps  # 0.1 s, then 0.2 s
    assert len(server.times_of("/always/503/1.html")) == RETRIES + 1


def test_no_request_reaches_a_canary_or_loops_unbounded(pages_crawl):
    server, result, _ = pages_crawl
    assert server.canary_hits() == {}
    # A connection attempt to any address without a listener would show up here.
    assert "connection_refused" not in result.faults()
    local = server.hits_on(HOST)
    assert local.count("/loop/self") == 1
    assert sum(p.startswith("/loop/growing/") for p in local) <= 21
    assert local.count("/slow/1.html") == RETRIES + 1
    assert local.count("/bomb/gzip") == 1 and local.count("/large/declared.html") == 1


# -- discovery: sitemaps, feeds, links ---------------------------------------------------------
DISCOVERY_STARTS = ["/sitemap/articles.xml", "/sitemap/bomb.xml", "/sitemap/xxe.xml",
                    "/sitemap/self-index.xml", "/sitemap/canaries.xml", "/sitemap/broken.xml",
                    "/feed/canaries.xml", "/calendar/2024-01-01", "/sitemap/gzip-bomb.xml.gz"]
DEPTH_LIMIT = 20


@pytest.fixture(scope="module")
def discovery_crawl(tmp_path_factory):
    """A discovery crawl (tests/support/probe.py) started from hostile sitemaps, feeds and
    an endless calendar; the external entity points at a file that reports any reader."""
    tmp = tmp_path_factory.mktemp("discovery")
    target = tmp / "secret"
    with FileReadCanary(target) as canary, \
            HostileServer(behaviour=Behaviour(xxe_target=str(target))) as server:
        result = run_crawl("tests.support.probe:ProbeSpider", {
            "start": ",".join(server.url(p) for p in DISCOVERY_STARTS), "hosts": HOST},
            hostile_settings(DEPTH_LIMIT=DEPTH_LIMIT), tmp, timeout=60)
        _report("discovery", result, tmp)
        yield server, result, canary


def test_discovery_survives_hostile_xml(discovery_crawl):
    server, result, canary = discovery_crawl
    assert result.returncode == 0 and result.stats.get("finish_reason") == "finished"
    assert result.peak_rss_mb < PEAK_RSS_LIMIT_MB
    faults = result.faults()
    assert faults.get("xml_entities") == 2, faults  # the entity bomb and the external entities
    # A gzip bomb posing as a sitemap is not XML; truncated XML is recovered, not refused.
    assert faults.get("bad_xml") == 1, faults
    assert faults.get("sitemap_depth") == 1, faults
    assert faults.get("depth_limit", 0) >= 1, faults
    assert canary.reads == 0, "the parser opened the external entity's file"
    assert "Traceback" not in result.log and "Unhandled error" not in result.log


def test_discovery_extracts_every_listed_article(discovery_crawl):
    server, result, _ = discovery_crawl
    items = result.by_url()
    for path in server.article_paths():
        assert server.url(path) in items, path


def test_links_in_sitemaps_and_feeds_never_leave_the_allowed_host(discovery_crawl):
    server, result, _ = discovery_crawl
    assert server.canary_hits() == {}
    assert "connection_refused" not in result.faults()
    assert result.stats.get("offsite/filtered", 0) >= 2 * len(CANARIES)
    assert not any("&secret;" in p or "leak=" in p for p in server.hits_on(HOST))
    calendar = [p for p in server.hits_on(HOST) if p.startswith("/calendar/")]
    assert len(calendar) <= DEPTH_LIMIT + 1
    index = [p for p in server.hits_on(HOST) if p.startswith("/sitemap/self-index.xml")]
    assert len(index) <= 4
