"""`newscrawl report`: one page, viewed in a real headless Chromium (Debian's package; CI
installs it), with no network: it loads without console errors and its plots are drawn."""

from __future__ import annotations

import gzip
import shutil
import subprocess
from http.server import BaseHTTPRequestHandler, SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from lxml import html as lxml_html

from tests._crawl import ROOT, newscrawl
from tests._http import running

ARTIFACTS = ROOT / "test-artifacts"
FAST = ("-s", "NEWSCRAWL_EXTRACT_WORKERS=0")


class PageServer(ThreadingHTTPServer):
    """Serves one folder on 127.0.0.1 and keeps the paths asked for."""

    def __init__(self, folder: Path) -> None:
        self.paths: list[str] = []
        server = self

        class Handler(SimpleHTTPRequestHandler):
            def __init__(self, *args, **kwargs) -> None:
                super().__init__(*args, directory=str(folder), **kwargs)

            def do_GET(self) -> None:  # noqa: N802
                server.paths.append(self.path)
                super().do_GET()

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.origin = f"http://127.0.0.1:{self.server_address[1]}"


class Proxy(ThreadingHTTPServer):
    """The browser's proxy: whatever would go to the network comes here and is refused.
    Chromium's own background requests come here too; those a page made carry the page's
    origin as Referer, which tells them apart."""

    def __init__(self) -> None:
        self.requests: list[tuple[str, str]] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def refuse(self) -> None:
                proxy.requests.append((self.requestline, self.headers.get("Referer", "")))
                self.send_error(502)

            do_GET = do_POST = do_HEAD = do_CONNECT = refuse  # noqa: N815

            def log_message(self, *args) -> None:
                pass

        super().__init__(("127.0.0.1", 0), Handler)
        self.port = self.server_address[1]


def chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        pytest.fail("these tests need Chromium: apt-get install chromium (.ci/run does)")
    return found


def browse(page: Path, *extra: str) -> tuple[str, list[str], list[str]]:
    """(DOM after load, console messages, what the page asked for besides itself)."""
    with running(PageServer(page.parent)) as server, running(Proxy()) as proxy:
        done = subprocess.run(
            [chromium(), "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--enable-logging=stderr", "--v=0", f"--proxy-server=127.0.0.1:{proxy.port}",
             *extra, f"{server.origin}/{page.name}"],
            capture_output=True, text=True, timeout=120)
        requested = [path for path in server.paths if path not in (f"/{page.name}",
                                                                     "/favicon.ico")]
        requested += [line for line, referer in proxy.requests
                      if referer.startswith(server.origin)]
    console = [line for line in done.stderr.splitlines() if ":CONSOLE" in line]
    return done.stdout, console, requested


def test_the_browser_check_sees_console_errors_and_network_loads(tmp_path):
    page = tmp_path / "bad.html"  # written for this test: a page that breaks both rules
    page.write_text('<!doctype html><img src="http://example.com/x.png">'
                    '<script>missing_function()</script>')
    _, console, requested = browse(page, "--dump-dom")
    assert any("missing_function is not defined" in line for line in console)
    assert requested == ["GET http://example.com/x.png HTTP/1.1"]


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory) -> Path:
    """The data folder of three real crawls of the mirror: a clean one, one that follows
    links to stories the mirror does not hold (404s), and one after a markup change."""
    root = tmp_path_factory.mktemp("report")
    changed = root / "fixtures"
    shutil.copytree(ROOT / "fixtures" / "sputnik", changed / "sputnik")
    shutil.copytree(ROOT / "fixtures" / "bbc", changed / "bbc")
    page = changed / "sputnik" / "2024-05-17-putins-trip.html.gz"
    page.write_bytes(gzip.compress(gzip.decompress(page.read_bytes()).replace(
        b"article__body", b"story-text")))
    runs = [(), ("-s", "NEWSCRAWL_MIRROR_HELD_ONLY=False"), ("--fixtures", str(changed))]
    for number, extra in enumerate(runs):
        result = newscrawl("crawl", "sputnik", "bbc", "--mirror", "--data-dir",
                           str(root / "data"), "--state", str(root / f"state{number}.sqlite"),
                           *FAST, *extra)
        assert result.returncode in (0, 1), result.stderr[-3000:]  # 1: the markup change
    return root / "data"


def test_the_report_loads_offline_without_console_errors_and_draws_its_plots(data_dir,
                                                                            tmp_path):
    report = tmp_path / "report.html"
    result = newscrawl("report", str(data_dir), "-o", str(report))
    assert result.returncode == 0, result.stderr
    assert "3 run manifests, 3 run records" in result.stdout
    dom, console, requested = browse(report, "--dump-dom")
    assert console == [] and requested == []
    tree = lxml_html.fromstring(dom)
    plots = tree.xpath("//figure/svg")
    assert [svg.get("aria-label") for svg in plots] == [
        "articles per site per day", "field coverage per site over runs",
        "duplicate share per run", "errors and faults per run"]
    for svg in plots:  # drawn: shapes, not an empty canvas
        assert len(svg.xpath(".//*[local-name()='path']")) > 20, svg.get("aria-label")
    rows = {row.xpath("string(td[1])"): row for row in tree.xpath("//table//tbody/tr")}
    assert set(rows) == {"sputnik", "bbc"}
    assert rows["sputnik"].xpath(".//span[@class='low']/text()") == ["design 50%"]
    ARTIFACTS.mkdir(exist_ok=True)
    screenshot = ARTIFACTS / "report.png"
    screenshot.unlink(missing_ok=True)
    browse(report, f"--screenshot={screenshot}", "--window-size=1200,1900",
           "--hide-scrollbars")
    assert screenshot.stat().st_size > 20_000
