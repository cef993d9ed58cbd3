"""The network guard: address classification on the real ranges (no connection made), and a
real crawl on loopback where stand-in addresses are declared forbidden."""

from __future__ import annotations

import json
import subprocess
import sys

import pytest

from newscrawl.crawl.middlewares.netguard import (
    NetworkPolicy,
    address_kind,
    literal_address,
    parse_networks,
)
from tests._http import QuietHandler, serving
from tests.conftest import ROOT


@pytest.mark.parametrize(("address", "kind"), [
    ("8.8.8.8", None), ("2606:4700::1111", None), ("93.184.216.34", None),
    ("127.0.0.1", "loopback"), ("127.8.9.10", "loopback"), ("::1", "loopback"),
    ("10.1.2.3", "private"), ("172.16.0.1", "private"), ("172.31.255.255", "private"),
    ("192.168.1.1", "private"), ("fd12:3456::1", "private"),
    ("169.254.169.254", "metadata"), ("fd00:ec2::254", "metadata"),
    ("169.254.1.1", "link-local"), ("fe80::1", "link-local"),
    ("0.0.0.0", "unspecified"), ("::", "unspecified"), ("224.0.0.1", "multicast"),
    ("100.64.0.1", "carrier-grade-nat"), ("::ffff:10.0.0.1", "private"),
    ("::ffff:127.0.0.1", "loopback"), ("240.0.0.1", "reserved"),
])
def test_address_kinds(address, kind):
    assert address_kind(address) == kind


def test_172_32_is_public_but_172_31_is_not():
    assert address_kind("172.32.0.1") is None
    assert address_kind("172.31.0.1") == "private"


def test_policy_allows_declared_networks_and_forbidden_wins():
    policy = NetworkPolicy(parse_networks("127.0.0.1/32"), parse_networks(["127.0.0.3/32"]))
    assert policy.refusal("127.0.0.1") is None
    assert policy.refusal("127.0.0.2") == "loopback"
    assert policy.refusal("127.0.0.3") == "forbidden"
    assert policy.refusal("8.8.8.8") is None
    assert NetworkPolicy(parse_networks("0.0.0.0/0"), parse_networks("8.8.8.8")).refusal(
        "8.8.8.8") == "forbidden"


@pytest.mark.parametrize(("url", "address"), [
    ("http://127.0.0.1:8080/x", "127.0.0.1"), ("http://[::1]/", "::1"),
    ("https://example.com/", None), ("http://2130706433/", None),
])
def test_literal_addresses(url, address):
    assert literal_address(url) == address


class Handler(QuietHandler):
    def do_GET(self):  # noqa: N802 - http.server API
        port = self.server.server_address[1]
        if self.path == "/to-forbidden":
            self.send_response(302)
            self.send_header("Location", f"http://127.0.0.2:{port}/secret")
            self.end_headers()
            return
        body = f"<html><body><h1>{self.path}</h1><p>page text</p></body></html>".encode()
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)
        self.server.hits.append(self.path)



@pytest.fixture
def server():
    with serving(Handler) as httpd:
        httpd.hits = []
        yield httpd


def crawl(urls: list[str], *settings: str, tmp_path) -> tuple[list[dict], dict]:
    run = len(list(tmp_path.glob("stats-*.json")))
    out = tmp_path / f"items-{run}.jsonl"
    stats = tmp_path / f"stats-{run}.json"
    script = (
        "import json,sys\n"
        "from scrapy.crawler import CrawlerProcess\n"
        "from scrapy.utils.project import get_project_settings\n"
        "s = get_project_settings()\n"
        "for kv in sys.argv[3:]:\n"
        "    k, v = kv.split('=', 1); s.set(k, json.loads(v))\n"
        "p = CrawlerProcess(s)\n"
        "c = p.create_crawler('pages')\n"
        "p.crawl(c, urls=sys.argv[1])\n"
        "p.start()\n"
        "open(sys.argv[2], 'w').write(json.dumps(c.stats.get_stats(), default=str))\n"
    )
    base = [f"FEEDS={json.dumps({str(out): {'format': 'jsonlines'}})}", "ROBOTSTXT_OBEY=false",
            "RETRY_TIMES=0", "AUTOTHROTTLE_ENABLED=false", "DOWNLOAD_DELAY=0",
            "LOG_LEVEL=\"WARNING\"", "ITEM_PIPELINES={}"]
    result = subprocess.run([sys.executable, "-c", script, ",".join(urls), str(stats), *base,
                             *settings], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    items = [json.loads(line) for line in out.read_text().splitlines()] if out.exists() else []
    return items, json.loads(stats.read_text())


def test_loopback_is_refused_unless_allowed(server, tmp_path):
    port = server.server_address[1]
    items, stats = crawl([f"http://127.0.0.1:{port}/a"], tmp_path=tmp_path)
    assert items == [] and server.hits == []
    assert stats.get("newscrawl/refused/loopback") == 1


def test_redirect_and_name_resolving_to_forbidden_addresses_are_refused(server, tmp_path):
    port = server.server_address[1]
    urls = [f"http://127.0.0.1:{port}/ok", f"http://127.0.0.1:{port}/to-forbidden",
            f"http://localhost:{port}/via-name"]
    items, stats = crawl(urls, 'NEWSCRAWL_ALLOWED_NETWORKS=["127.0.0.1/32"]',
                         'NEWSCRAWL_FORBIDDEN_NETWORKS=["127.0.0.2/32"]',
                         'DNSCACHE_ENABLED=false', tmp_path=tmp_path)
    assert sorted(i["headline"] for i in items) == ["/ok", "/via-name"]
    assert "/secret" not in server.hits
    assert stats.get("newscrawl/refused/forbidden") == 1
    server.hits.clear()
    items, stats = crawl([f"http://localhost:{port}/via-name"],
                         'NEWSCRAWL_FORBIDDEN_NETWORKS=["127.0.0.0/8"]', tmp_path=tmp_path)
    assert items == [] and "/via-name" not in server.hits
    assert stats.get("newscrawl/refused/forbidden", 0) >= 1, stats
