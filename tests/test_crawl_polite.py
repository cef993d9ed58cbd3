"""Politeness over real HTTP: Retry-After is honoured, robots.txt is obeyed, one User-Agent."""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager

from tests._crawl import newscrawl
from tests._http import QuietHandler, serving

STORY = ("<html><head><title>A story</title><meta property='og:type' content='article'>"
         "</head><body><h1>A story</h1><p>" + "Words of the story. " * 60 + "</p></body></html>")


class _Site(QuietHandler):
    """A tiny site: the home page answers 429 (Retry-After: 1) once, then links two stories,
    one of them disallowed by robots.txt."""

    log: list[tuple[float, str, str]] = []
    throttled = False

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        type(self).log.append((time.monotonic(), self.path, self.headers.get("User-Agent", "")))
        if self.path == "/robots.txt":
            return self.send(200, "User-agent: *\nDisallow: /private/\n", "text/plain")
        if self.path == "/" and not type(self).throttled:
            type(self).throttled = True
            return self.send(429, "slow down", "text/plain", {"Retry-After": "1"})
        if self.path == "/":
            return self.send(200, '<a href="/2024/05/17/a-story.html">a</a>'
                                  '<a href="/private/2024/05/17/secret-story.html">b</a>')
        if self.path.endswith("story.html"):
            return self.send(200, STORY)
        return self.send(404, "no", "text/plain")

    def send(self, status: int, body: str, kind: str = "text/html",
             headers: dict[str, str] | None = None) -> None:
        data = body.encode()
        self.send_response(status)
        self.send_header("Content-Type", f"{kind}; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(data)



@contextmanager
def site() -> Iterator[str]:
    _Site.log, _Site.throttled = [], False
    with serving(_Site) as server:
        yield f"http://127.0.0.1:{server.server_address[1]}/"


def test_retry_after_is_waited_for_and_robots_txt_obeyed(tmp_path):
    with site() as url:
        result = newscrawl("crawl", "--start-url", url, "--no-state",
                           "--data-dir", str(tmp_path / "data"), "-o", str(tmp_path / "o.jsonl"),
                           "-s", "NEWSCRAWL_ALLOWED_NETWORKS=127.0.0.1/32",
                           "-s", "NEWSCRAWL_EXTRACT_WORKERS=0", "-s", "DOWNLOAD_DELAY=0",
                           "-s", "AUTOTHROTTLE_ENABLED=False",
                           "-s", "NEWSCRAWL_CONTACT=mailto:crawl@example.org")
    assert result.returncode == 0, result.stderr[-3000:]
    home = [when for when, path, _ in _Site.log if path == "/"]
    assert len(home) >= 2 and home[1] - home[0] >= 1.0  # waited as Retry-After asked
    paths = [path for _, path, _ in _Site.log]
    assert "/2024/05/17/a-story.html" in paths
    assert not any(path.startswith("/private/") for path in paths)
    agents = {agent for _, _, agent in _Site.log}
    assert agents == {"newscrawl/0.1.0 (+mailto:crawl@example.org)"}
