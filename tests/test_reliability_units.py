"""The pieces of the reliability work, without a crawl: fault classification, Retry-After,
redirect rules, binary sniffing, decompression limits, safe XML, and path safety."""

from __future__ import annotations

import contextlib
import gzip
import json
import resource
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree
from scrapy.exceptions import (
    DownloadCancelledError,
    DownloadTimeoutError,
    IgnoreRequest,
    ResponseDataLossError,
)
from scrapy.http import HtmlResponse, Request, Response
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionLost
from twisted.python.failure import Failure
from twisted.web.client import ResponseFailed

from newscrawl.crawl.discovery import declared_entities, parse_sitemap, parse_xml
from newscrawl.crawl.middlewares.faults import (
    Fault,
    GuardedHttpCompressionMiddleware,
    classify,
    looks_binary,
    redirect_target,
    same_site,
)
from newscrawl.crawl.middlewares.netguard import ForbiddenAddressError
from newscrawl.fixtures import MAX_NAME_LENGTH, add_fixture, safe_name
from tests.support.canary import FileReadCanary
from tests.support.hostile import (
    GiB,
    MiB,
    double_gzip_bomb,
    entity_bomb,
    external_entity_sitemap,
    gzip_bomb,
)


# -- classification ----------------------------------------------------------------------------
def _data_loss(reason: BaseException) -> BaseException:
    error = ResponseDataLossError()
    error.__cause__ = ResponseFailed([Failure(reason)])
    return error


@pytest.mark.parametrize(("error", "kind"), [
    (DownloadTimeoutError("took longer than 2.0 seconds"), "timeout"),
    (_data_loss(ConnectionLost("reset")), "connection_lost"),
    (_data_loss(ValueError("short")), "data_loss"),
    (DownloadCancelledError("Received 17000000 bytes which is larger than download max size"),
     "too_large"),
    (DownloadCancelledError(), "too_large"),
    (ForbiddenAddressError("refused", reason="metadata"), "refused_address"),
    (RuntimeError("something new"), "download_error"),
])
def test_classify(error, kind):
    assert classify(error, "http://example.com/") == kind


@pytest.mark.parametrize(("origin", "target", "same"), [
    ("https://example.com/a", "https://www.example.com/a", True),
    ("https://news.example.com/a", "https://example.com/b", True),
    ("https://example.com/a", "https://example.org/a", False),
    ("https://example.com/a", "https://evil-example.com/a", False),
    ("https://example.com/a", "https://example.com.evil.net/a", False),
    ("http://127.0.0.1:80/a", "http://127.0.0.3:80/a", False),
    ("http://127.0.0.1:80/a", "http://127.0.0.1:81/a", True),
])
def test_same_site(origin, target, same):
    assert same_site(origin, target) is same


def test_redirect_target_resolves_relative_and_scheme_relative_locations():
    request = Request("https://example.com/a/b")
    response = Response("https://example.com/a/b", status=302, headers={"Location": "../c"})
    assert redirect_target(request, response) == "https://example.com/c"
    response = Response(request.url, status=301, headers={"Location": "//other.net/x"})
    assert redirect_target(request, response) == "https://other.net/x"


@pytest.mark.parametrize(("body", "binary"), [
    (b"\x89PNG\r\n\x1a\n....", True), (b"%PDF-1.7", True), (bytes(range(256)) * 4, True),
    (b"<html><body>plain</body></html>", False), ("<p>Привет</p>".encode("cp1251"), False),
    ("<p>hi</p>".encode("utf-16"), False),
])
def test_looks_binary(body, binary):
    assert looks_binary(body) is binary


# -- decompression limits: Scrapy applies DOWNLOAD_MAXSIZE to the inflated size ---------------
def test_bombs_stop_at_download_maxsize_in_bounded_time_and_memory():
    crawler = get_crawler(settings_dict={"DOWNLOAD_MAXSIZE": 4 * MiB})
    middleware = GuardedHttpCompressionMiddleware.from_crawler(crawler)
    request = Request("http://127.0.0.1/bomb")
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    for body, encoding in ((b"".join(gzip_bomb(64 * MiB)), b"gzip"),
                           (double_gzip_bomb(3 * GiB), b"gzip, gzip")):
        response = HtmlResponse(request.url, body=body, headers={
            "Content-Encoding": encoding, "Content-Type": "text/html"})
        started = time.monotonic()
        with pytest.raises(Fault) as refused:
            middleware.process_response(request, response)
        assert refused.value.kind == "bomb"
        assert time.monotonic() - started < 2
    grown_mb = (resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before) / 1024
    assert grown_mb < 64, grown_mb  # never the 3 GiB the bomb inflates to
    assert crawler.stats.get_value("newscrawl/faults/bomb") == 2


def test_the_bombs_are_real():
    assert gzip.decompress(b"".join(gzip_bomb(4 * MiB))) == bytes(4 * MiB)
    assert len(double_gzip_bomb(3 * GiB)) < 16_000


def test_binary_html_is_refused_but_html_passes():
    crawler = get_crawler()
    middleware = GuardedHttpCompressionMiddleware.from_crawler(crawler)
    request = Request("http://127.0.0.1/x")
    png = HtmlResponse(request.url, body=b"\x89PNG\r\n" + bytes(500),
                       headers={"Content-Type": "text/html"})
    with pytest.raises(IgnoreRequest):
        middleware.process_response(request, png)
    page = HtmlResponse(request.url, body=b"<html></html>", headers={"Content-Type": "text/html"})
    assert middleware.process_response(request, page) is page


# -- XML ---------------------------------------------------------------------------------------
def test_entity_bomb_is_read_fast_and_its_entities_are_named():
    started = time.monotonic()
    root = parse_xml(entity_bomb())
    assert declared_entities(root)  # the probe spider refuses it (xml_entities)
    assert time.monotonic() - started < 0.5


def test_external_entities_are_never_resolved(tmp_path):
    target = tmp_path / "secret"
    with FileReadCanary(target) as canary:
        root = parse_xml(external_entity_sitemap(str(target), "http://127.0.0.2:9/x"))
        assert declared_entities(root)
        time.sleep(0.05)
        assert canary.reads == 0


def test_the_file_canary_does_see_an_unsafe_parser(tmp_path):
    """The canary works: a parser that resolves entities opens the file (and is not hung)."""
    target = tmp_path / "secret"
    document = (f'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY s SYSTEM "file://{target}">]>'
                "<r>&s;</r>").encode()
    with FileReadCanary(target) as canary:
        etree.fromstring(document, etree.XMLParser(resolve_entities=True, load_dtd=True,
                                                   no_network=True))
        deadline = time.monotonic() + 2
        while not canary.reads and time.monotonic() < deadline:
            time.sleep(0.01)
        assert canary.reads >= 1


def test_sitemap_links_and_broken_xml():
    sitemap = parse_sitemap(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                            b"<url><loc> /a </loc></url><url><loc>http://x.org/b</loc></url>"
                            b"</urlset>", "http://e.com/s.xml")
    assert not sitemap.is_index
    assert [link.url for link in sitemap.links] == ["http://e.com/a", "http://x.org/b"]
    for junk in (b"", b"\x00\x01\x02", b"{}"):
        assert parse_xml(junk) is None
    with pytest.raises(ValueError, match="broken gzip"):
        parse_xml(b"\x1f\x8b\x08gzip")


# -- path safety -------------------------------------------------------------------------------
HOSTILE_NAMES = ["../../etc/passwd", "/etc/passwd", "..", ".", "a/../../b", "C:\\Windows\\x",
                 "name\x00.json", "x" * 5000, "..%2f..%2fetc", "\u202e.gpj", "CON", "-rf",
                 ".hidden", "a\nb", "ﬁle", "../" * 100 + "x"]


def _stays_inside(folder: Path, name: str) -> bool:
    path = (folder / name).resolve()
    return path.parent == folder.resolve()


@pytest.mark.parametrize("text", HOSTILE_NAMES)
def test_safe_name_never_escapes_its_folder(text, tmp_path):
    try:
        name = safe_name(text)
    except ValueError:
        return  # nothing usable left: refused, which is safe
    assert _stays_inside(tmp_path, name)
    assert not name.startswith(".") and "/" not in name and "\x00" not in name
    assert 0 < len(name) <= MAX_NAME_LENGTH


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=400))
def test_safe_name_property(text):
    try:
        name = safe_name(text)
    except ValueError:
        return
    assert set(name) <= set("abcdefghijklmnopqrstuvwxyz0123456789._-")
    assert name not in (".", "..") and not name.startswith(".")
    assert len(name) <= MAX_NAME_LENGTH
    assert _stays_inside(Path("/srv/fixtures"), name)


@pytest.mark.parametrize(("site", "url"), [
    ("../../outside", "https://example.com/../../../etc/passwd"),
    ("/abs", "https://example.com/%2e%2e/%2e%2e/x"),
    ("ok", "https://example.com/" + "a" * 3000 + ".html"),
])
def test_fixture_files_stay_in_the_fixture_folder(site, url, tmp_path):
    root = tmp_path / "fixtures"
    root.mkdir()
    page = tmp_path / "page.html"
    page.write_bytes(b"<html><body><h1>Headline</h1><p>Some body text.</p></body></html>")
    fixture = add_fixture(page, url, site=site, root=root)
    for path in (fixture.html_path, fixture.meta_path):
        assert path.resolve().is_relative_to(root.resolve())
    assert not list(tmp_path.glob("*.json"))


# -- the pipelines' output paths ---------------------------------------------------------------
HOSTILE_SITES = ["../../outside", "/etc", "..", ".", "a/../../b", "site\x00name", "x" * 5000,
                 "C:\\temp", "~root", "%2e%2e", "\u202egnp.exe", ""]


@pytest.mark.parametrize("text", HOSTILE_SITES)
def test_pipeline_path_components_stay_inside(text, tmp_path):
    from newscrawl.dataset.paths import inside, safe_component

    component = safe_component(text)
    assert "/" not in component and "\x00" not in component and component not in (".", "..")
    assert inside(tmp_path, component).parent == tmp_path.resolve()
    with pytest.raises(ValueError):
        inside(tmp_path, text if "/" in text and ".." in text else "../x")


def test_writer_files_and_manifest_never_leave_the_data_dir(tmp_path):
    from newscrawl.pipelines.jsonl import JsonLinesWriterPipeline

    data = tmp_path / "deep" / "data"
    crawler = get_crawler(settings_dict={
        "NEWSCRAWL_DATA_DIR": str(data), "NEWSCRAWL_STATE_ENABLED": False,
        "NEWSCRAWL_RUN_ID": "../../../escaped-run"})
    writer = JsonLinesWriterPipeline.from_crawler(crawler)
    writer.open_spider()
    for number, site in enumerate(HOSTILE_SITES):
        writer.process_item({"url": f"https://example.com/{number}", "site": site,
                             "fetched_at": ["../../../x", "2024-05-17/../../y",
                                            "2024-05-17T00:00:00Z"][number % 3],
                             "headline": "h", "body": "b"})
    writer.close_spider()
    root = data.resolve()
    written = [p for p in tmp_path.rglob("*") if p.is_file()]
    assert written and all(p.resolve().is_relative_to(root) for p in written), written
    manifests = list(data.glob("*.manifest.json"))
    assert len(manifests) == 1
    text = manifests[0].read_text()
    for entry in json.loads(text).get("files", []):
        assert ".." not in Path(entry["path"]).parts and not entry["path"].startswith("/")


def test_a_callback_exception_becomes_one_counted_line(caplog):
    from scrapy.exceptions import CloseSpider

    from newscrawl.crawl.middlewares.faults import SpiderFaultMiddleware

    crawler = get_crawler()
    middleware = SpiderFaultMiddleware.from_crawler(crawler)
    response = HtmlResponse("http://127.0.0.1/x", body=b"<html></html>")
    try:
        raise RecursionError("maximum recursion depth exceeded")
    except RecursionError as error:
        assert middleware.process_spider_exception(response, error) == []
    assert crawler.stats.get_value("newscrawl/faults/spider_error") == 1
    assert "RecursionError" in caplog.text and "Traceback" not in caplog.text
    for control in (CloseSpider("done"), IgnoreRequest("filtered")):
        assert middleware.process_spider_exception(response, control) is None


# -- the crawl spider's own XML and JSON-LD readers ----------------------------------------------
def test_crawl_discovery_xml_is_safe_against_bombs_and_external_entities(tmp_path):
    from newscrawl.crawl.discovery import parse_feed, parse_sitemap

    started = time.monotonic()
    sitemap = parse_sitemap(entity_bomb(), "http://127.0.0.1/s.xml")
    assert time.monotonic() - started < 0.5
    assert sitemap is None or all("lol" not in link.url for link in sitemap.links)
    target = tmp_path / "secret"
    with FileReadCanary(target) as canary:
        body = external_entity_sitemap(str(target), "http://127.0.0.2:9/x")
        for parse in (parse_sitemap, parse_feed):
            with contextlib.suppress(ValueError):
                parse(body, "http://127.0.0.1/s.xml")
        time.sleep(0.05)
        assert canary.reads == 0


def test_crawl_discovery_survives_absurdly_nested_json_ld():
    from newscrawl.crawl.discovery import structured_article

    nested = "[" * 50_000 + "]" * 50_000
    assert structured_article(f'<script type="application/ld+json">{nested}</script>') is False


def test_a_gzipped_sitemap_served_as_xml_is_not_refused_as_binary():
    crawler = get_crawler()
    middleware = GuardedHttpCompressionMiddleware.from_crawler(crawler)
    request = Request("http://127.0.0.1/sitemap.xml.gz")
    body = gzip.compress(b'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"/>')
    response = Response(request.url, body=body, headers={"Content-Type": "application/xml"})
    assert middleware.process_response(request, response) is response
