"""A web server that misbehaves on purpose, for testing how the crawler survives it.

It listens on 127.0.0.1 only, plus "canary" listeners on other loopback addresses that stand
in for targets the crawler must never reach (a cloud metadata address, a private network, an
unrelated site). Every request is recorded in `hits` with the address it arrived on, so a test
can prove that no request ever reached a canary.

Normal article pages (fixture pages and generated ones) are interleaved with pages that
misbehave, each chosen by URL path (see `HostileServer.catalogue`). By hand:

    python -m tests.support.hostile --port 8765
"""

from __future__ import annotations

import argparse
import functools
import json
import logging
import random
import signal
import socket
import struct
import threading
import time
import zlib
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

logger = logging.getLogger(__name__)

HOST = "127.0.0.1"
# Loopback stand-ins for addresses the crawler must never contact. Tests declare the first
# three forbidden (NEWSCRAWL_FORBIDDEN_NETWORKS); the "other site" is reachable but offsite.
CANARIES = {
    "metadata": "127.0.0.2",  # stands in for 169.254.169.254
    "private": "127.0.0.10",  # stands in for 10.0.0.0/8
    "link-local": "127.0.0.169",  # stands in for 169.254.0.0/16
    "other-site": "127.0.0.3",  # a different host: offsite for the crawl
}
FORBIDDEN_CANARIES = ("metadata", "private", "link-local")
CHUNK = 64 * 1024
MiB = 1024 * 1024
GiB = 1024 * MiB


@dataclass(frozen=True)
class Hit:
    address: str  # the listening address the request arrived on
    path: str
    at: float = 0.0  # time.monotonic() on arrival


@dataclass
class Behaviour:
    """Knobs a test can turn; defaults suit a crawl with DOWNLOAD_TIMEOUT of about 1 s."""

    slow_seconds: float = 4.0  # how long /slow/ stalls (always bounded)
    fail_times: int = 2  # how often /flaky/ and /429/ fail before succeeding
    retry_after: str = "1"
    large_bytes: int = 50 * MiB
    bomb_bytes: int = 1 * GiB  # /bomb/gzip: single layer, about 1 MB on the wire
    double_bomb_bytes: int = 3 * GiB  # /bomb/gzip2: gzip of gzip, a few KB on the wire
    articles: int = 12
    xxe_target: str = "/nonexistent/newscrawl-xxe-target"


# -- content ---------------------------------------------------------------------------------
ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>{headline} - The Hostile Times</title>
<script type="application/ld+json">{{"@context": "https://schema.org", "@type": "NewsArticle",
"headline": "{headline}", "datePublished": "2024-05-{day:02d}T10:00:00Z",
"author": {{"@type": "Person", "name": "Test Writer"}}}}</script></head>
<body><nav><a href="/">Home</a></nav><article><h1>{headline}</h1>
<p>This is the first paragraph of story {number}, long enough to be taken for body text.</p>
{paragraphs}
<p>The last paragraph of story {number} ends it, so the page reads like an article.</p>
</article></body></html>"""
# Words for article bodies: each story draws its own, so no two are near-duplicates.
_WORDS = """council harbour budget river election museum railway storm festival hospital
bridge school market minister village court airport forest mayor library strike harvest ferry
stadium factory orchestra bakery tunnel vote glacier border summit drought reservoir theatre
satellite vineyard lighthouse canal monastery pipeline quarry senate volcano archive parade
census tram wildfire"""
VOCABULARY = tuple(_WORDS.split())

CYRILLIC_HEADLINE = "Новости дня: погода в Москве"
CYRILLIC_PAGE = """<html><head>{meta}<title>{headline}</title></head><body><article>
<h1>{headline}</h1><p>Сегодня в Москве ожидается облачная погода без существенных осадков.</p>
<p>Температура воздуха составит около двадцати градусов, ветер слабый.</p></article>
</body></html>"""


def article_headline(number: int) -> str:
    return f"Hostile Times story number {number}"


def article_html(number: int) -> bytes:
    words = random.Random(number).choices(VOCABULARY, k=120)
    paragraphs = "\n".join(f"<p>{' '.join(words[i:i + 30]).capitalize()}.</p>"
                           for i in range(0, 120, 30))
    return ARTICLE.format(headline=article_headline(number), number=number,
                          day=1 + number % 28, paragraphs=paragraphs).encode()


def cyrillic_html(meta_charset: str | None) -> bytes:
    meta = f'<meta charset="{meta_charset}">' if meta_charset else ""
    return CYRILLIC_PAGE.format(meta=meta, headline=CYRILLIC_HEADLINE).encode("cp1251")


@functools.cache
def fixture_pages() -> dict[str, bytes]:
    """Saved article pages from the fixtures, by file name (listings are left out)."""
    from newscrawl.fixtures import iter_fixtures, safe_name

    return {f"{safe_name(f.name)}.html": f.html() for f in iter_fixtures() if
            f.kind == "article"}


def _zero_chunk_deflate() -> tuple[bytes, bytes]:
    """The gzip header plus one MiB of zeros, and the bytes that add each further MiB: after a
    full flush the compressor starts afresh, so every further MiB compresses identically."""
    compressor = zlib.compressobj(9, zlib.DEFLATED, 31)
    zeros = bytes(MiB)
    head = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    repeat = compressor.compress(zeros) + compressor.flush(zlib.Z_FULL_FLUSH)
    return head, repeat


@functools.cache
def _zeros_crc(size: int) -> int:
    crc, zeros = 0, bytes(MiB)
    for _ in range(size // MiB):
        crc = zlib.crc32(zeros, crc)
    return crc


def gzip_bomb(size: int) -> Iterator[bytes]:
    """A valid gzip stream of `size` zero bytes (a multiple of 1 MiB), produced piece by piece
    without ever holding the plaintext: about 1 KB on the wire per MiB it inflates to."""
    head, repeat = _zero_chunk_deflate()
    yield head
    for _ in range(size // MiB - 1):
        yield repeat
    final = zlib.compressobj(9, zlib.DEFLATED, -15).flush()  # an empty final block
    yield final + struct.pack("<II", _zeros_crc(size), size & 0xFFFFFFFF)


@functools.cache
def double_gzip_bomb(size: int) -> bytes:
    """gzip(gzip(zeros)): a few KB that inflate to `size` bytes in two steps."""
    outer = zlib.compressobj(9, zlib.DEFLATED, 31)
    parts = [outer.compress(piece) for piece in gzip_bomb(size)]
    return b"".join(parts) + outer.flush()


def entity_bomb() -> bytes:
    """The "billion laughs": ten levels of ten references, 10^9 copies once expanded."""
    lines = ['<?xml version="1.0"?>', "<!DOCTYPE urlset [", ' <!ENTITY lol0 "lol">']
    for level in range(1, 10):
        lines.append(f' <!ENTITY lol{level} "{f"&lol{level - 1};" * 10}">')
    lines += ["]>", '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">',
              "<url><loc>/news/1.html&lol9;</loc></url></urlset>"]
    return "\n".join(lines).encode()


def external_entity_sitemap(target: str, canary_url: str) -> bytes:
    return (f'<?xml version="1.0"?>\n<!DOCTYPE urlset [\n'
            f' <!ENTITY secret SYSTEM "file://{target}">\n'
            f' <!ENTITY remote SYSTEM "{canary_url}">\n'
            f' <!ENTITY % param SYSTEM "{canary_url}-dtd"> %param;\n]>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            "<url><loc>/news/2.html?leak=&secret;&remote;</loc></url>\n</urlset>\n").encode()


def urlset(urls: list[str]) -> bytes:
    entries = "".join(f"<url><loc>{u}</loc><lastmod>2024-05-17</lastmod></url>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>\n').encode()


def sitemap_index(urls: list[str]) -> bytes:
    entries = "".join(f"<sitemap><loc>{u}</loc></sitemap>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex xmlns='
            f'"http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>\n').encode()


def rss(urls: list[str]) -> bytes:
    items = "".join(f"<item><title>t</title><link>{u}</link>"
                    "<pubDate>Fri, 17 May 2024 10:00:00 GMT</pubDate></item>" for u in urls)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>Hostile Times</title><link>/</link>{items}</channel></rss>\n").encode()


def links_page(title: str, hrefs: list[str]) -> bytes:
    links = "".join(f'<li><a href="{h}">{h}</a></li>' for h in hrefs)
    return (f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head>"
            f"<body><h1>{title}</h1><ul>{links}</ul></body></html>").encode()


# -- the server ------------------------------------------------------------------------------
class _Listener(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True
    hostile: HostileServer

    def handle_error(self, request: object, client_address: object) -> None:
        # A client hanging up on a misbehaving page is the point of the exercise: count it
        # instead of printing a traceback.
        with self.hostile.lock:
            self.hostile.counters["client-disconnects"] += 1


class HostileServer:
    """The hostile site on 127.0.0.1 plus the canary listeners, on one port number."""

    def __init__(self, port: int = 0, behaviour: Behaviour | None = None,
                 canaries: bool = True) -> None:
        self.behaviour = behaviour or Behaviour()
        self.hits: list[Hit] = []
        self.counters: Counter[str] = Counter()
        self.lock = threading.Lock()
        self.stopping = threading.Event()
        self.listeners: list[_Listener] = []
        self._threads: list[threading.Thread] = []
        self._open(port, canaries)
        # Built now: compressing or checksumming on a request thread would hold the GIL and
        # stall every other response (and time out well-behaved pages under load).
        double_gzip_bomb(self.behaviour.double_bomb_bytes)
        _zeros_crc(self.behaviour.bomb_bytes)

    def _open(self, port: int, canaries: bool) -> None:
        # The canaries must share the port so that a redirect only changes the address;
        # another program may hold that port on one of them, so try a few ports.
        for _ in range(20):
            main = _Listener((HOST, port), Handler)
            main.hostile = self
            listeners = [main]
            try:
                for address in (CANARIES.values() if canaries else ()):
                    canary = _Listener((address, main.server_address[1]), Handler)
                    canary.hostile = self
                    listeners.append(canary)
            except OSError:
                for listener in listeners:
                    listener.server_close()
                if port:
                    raise
                continue
            self.listeners = listeners
            return
        raise OSError("no free port for the hostile server and its canaries")

    @property
    def port(self) -> int:
        return self.listeners[0].server_address[1]

    def url(self, path: str, host: str = HOST) -> str:
        return f"http://{host}:{self.port}{path}"

    def canary_url(self, name: str, path: str = "/") -> str:
        return self.url(path, CANARIES[name])

    def start(self) -> HostileServer:
        for listener in self.listeners:
            thread = threading.Thread(target=listener.serve_forever, kwargs={
                "poll_interval": 0.1}, daemon=True)
            thread.start()
            self._threads.append(thread)
        return self

    def stop(self) -> None:
        self.stopping.set()
        for listener in self.listeners:
            listener.shutdown()
            listener.server_close()

    def __enter__(self) -> HostileServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def record(self, address: str, path: str) -> None:
        with self.lock:
            self.hits.append(Hit(address, path, time.monotonic()))

    def count(self, key: str) -> int:
        """How often `key` was asked for before, this request included."""
        with self.lock:
            self.counters[key] += 1
            return self.counters[key]

    def hits_on(self, address: str) -> list[str]:
        with self.lock:
            return [hit.path for hit in self.hits if hit.address == address]

    def canary_hits(self) -> dict[str, list[str]]:
        """The paths asked of each canary that was reached: {} when none ever was."""
        return {name: paths for name, address in CANARIES.items()
                if (paths := self.hits_on(address))}

    def times_of(self, path: str) -> list[float]:
        with self.lock:
            return [hit.at for hit in self.hits if hit.address == HOST and hit.path == path]

    def article_paths(self) -> list[str]:
        fixtures = [f"/fixture/{name}" for name in fixture_pages()]
        return [f"/news/{n}.html" for n in range(1, self.behaviour.articles + 1)] + fixtures

    def charset_paths(self) -> list[str]:
        return ["/charset/none.html", "/charset/wrong.html", "/charset/conflict.html",
                "/charset/http-only.html"]

    def catalogue(self) -> dict[str, str]:
        """Each misbehaving path and what it does."""
        return {
            "/slow/1.html": "headers, then silence past the download timeout",
            "/reset/1.html": "half the body, then a TCP reset",
            "/truncated/1.html": "Content-Length larger than the body, then a clean close",
            "/429/1.html": "429 with Retry-After, `fail_times` times, then the article",
            "/flaky/500/1.html": "500 `fail_times` times, then the article",
            "/flaky/503/1.html": "503 `fail_times` times, then the article",
            "/always/503/1.html": "503 forever",
            "/loop/a": "redirects to /loop/b, which redirects back",
            "/loop/self": "redirects to itself",
            "/loop/growing/1": "redirects to /loop/growing/2, and so on, forever",
            "/redirect/other-site": "redirects to the other-site canary (offsite)",
            "/redirect/metadata": "redirects to the metadata stand-in",
            "/redirect/private": "redirects to the private-network stand-in",
            "/redirect/link-local": "redirects to the link-local stand-in",
            "/bomb/gzip": "gzip bomb: about 1 MB that inflates to 1 GiB",
            "/bomb/gzip2": "gzip of gzip: a few KB that inflate to 3 GiB",
            "/large/declared.html": "a 50 MB page with its Content-Length",
            "/large/streamed.html": "a 50 MB page without a length, streamed",
            "/headers/endless": "header lines without end (bounded: 50 MB or slow_seconds)",
            "/headers/long": "one 4 MB header line",
            "/binary/png.html": "a PNG served as text/html",
            "/binary/noise.html": "random bytes served as text/html",
            "/empty.html": "a 200 with an empty body",
            "/jsonld/deep.html": "an article whose JSON-LD nests 50,000 arrays deep",
            "/charset/none.html": "cp1251 text, no charset anywhere",
            "/charset/wrong.html": "cp1251 text declared utf-8 in HTTP and meta",
            "/charset/conflict.html": "HTTP says utf-8, meta says windows-1251",
            "/charset/http-only.html": "cp1251 text, charset only in the HTTP header",
            "/sitemap/bomb.xml": "an XML entity bomb",
            "/sitemap/xxe.xml": "external entities: a local file and a canary URL",
            "/sitemap/self-index.xml": "a sitemap index listing itself and deeper copies",
            "/sitemap/canaries.xml": "a sitemap listing forbidden and offsite URLs",
            "/sitemap/broken.xml": "not XML at all",
            "/feed/canaries.xml": "an RSS feed listing forbidden and offsite URLs",
            "/calendar/2024-01-01": "a section page linking to the next day, forever",
        }


class Handler(BaseHTTPRequestHandler):
    server: _Listener
    protocol_version = "HTTP/1.0"  # one response per connection: closing ends every body

    # -- plumbing -----------------------------------------------------------------------------
    @property
    def hostile(self) -> HostileServer:
        return self.server.hostile

    @property
    def behaviour(self) -> Behaviour:
        return self.hostile.behaviour

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib API
        # The hit log is the record: the access log goes to DEBUG, not to stderr, where it
        # would hide test output.
        logger.debug("%s %s", self.address_string(), format % args)

    def send(self, body: bytes, content_type: str = "text/html; charset=utf-8",
             status: int = 200, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def redirect(self, location: str, status: int = 302) -> None:
        self.send(b"", status=status, headers={"Location": location})

    def not_found(self) -> None:
        self.send(b"<html><body><h1>Not found</h1></body></html>", status=404)

    def write_quietly(self, data: bytes) -> bool:
        """Write unless the client went away (the crawler aborting is the expected outcome)."""
        try:
            self.wfile.write(data)
            return True
        except (BrokenPipeError, ConnectionResetError):
            return False

    def do_GET(self) -> None:  # noqa: N802 - http.server API
        self.hostile.record(self.server.server_address[0], self.path)
        if self.server.server_address[0] != HOST:
            self.send(b"<html><body><h1>canary reached</h1></body></html>")
            return
        parts = urlsplit(self.path)
        route = self.route(parts.path)
        if route is None:
            self.not_found()
        else:
            route(parts.path, parse_qs(parts.query))

    def route(self, path: str):  # noqa: ANN201 - a bound method or None
        prefixes = (
            ("/news/", self.news), ("/fixture/", self.fixture), ("/slow/", self.slow),
            ("/reset/", self.reset), ("/truncated/", self.truncated), ("/429/", self.too_many),
            ("/flaky/", self.flaky), ("/always/", self.always), ("/loop/", self.loop),
            ("/redirect/", self.redirect_to), ("/bomb/", self.bomb), ("/large/", self.large),
            ("/binary/", self.binary), ("/charset/", self.charset), ("/sitemap/", self.sitemap),
            ("/feed/", self.feed), ("/jsonld/", self.deep_jsonld), ("/calendar/", self.calendar),
            ("/headers/", self.headers),
        )
        if path in ("/", "/index.html"):
            return self.index
        if path == "/empty.html":
            return lambda *_: self.send(b"")
        if path == "/robots.txt":
            return self.robots
        return next((handler for prefix, handler in prefixes if path.startswith(prefix)), None)

    # -- well-behaved pages -------------------------------------------------------------------
    def robots(self, path: str, query: dict) -> None:
        # Every sitemap, hostile ones included, announced the way sites announce them.
        sitemaps = [p for p in self.hostile.catalogue() if p.startswith("/sitemap/")]
        lines = ["User-agent: *", "Allow: /", *(f"Sitemap: {self.hostile.url(p)}" for p in
                                               ["/sitemap/articles.xml", *sitemaps])]
        self.send("\n".join(lines).encode() + b"\n", "text/plain")

    def index(self, path: str, query: dict) -> None:
        hrefs = self.hostile.article_paths() + list(self.hostile.catalogue())
        feed = b'<link rel="alternate" type="application/rss+xml" href="/feed/canaries.xml">'
        self.send(links_page("The Hostile Times", hrefs).replace(b"</head>", feed + b"</head>"))

    def news(self, path: str, query: dict) -> None:
        try:
            number = int(path.removeprefix("/news/").removesuffix(".html"))
        except ValueError:
            self.not_found()
            return
        self.send(article_html(number))

    def fixture(self, path: str, query: dict) -> None:
        page = fixture_pages().get(path.removeprefix("/fixture/"))
        if page is None:
            self.not_found()
        else:
            self.send(page)

    def _article_for(self, path: str) -> bytes:
        # Misbehaving paths that end up succeeding serve an ordinary article.
        return article_html(1000 + sum(path.encode()) % 1000)

    # -- misbehaving pages --------------------------------------------------------------------
    def slow(self, path: str, query: dict) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", "100000")
        self.end_headers()
        self.write_quietly(b"<html><body>")
        # Stall, bounded, and stop early when the server shuts down.
        self.hostile.stopping.wait(self.behaviour.slow_seconds)

    def reset(self, path: str, query: dict) -> None:
        body = self._article_for(path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.write_quietly(body[: len(body) // 2])
        self.wfile.flush()
        # SO_LINGER with a zero timeout turns close() into a TCP RST.
        self.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER,
                                   struct.pack("ii", 1, 0))
        self.connection.close()

    def truncated(self, path: str, query: dict) -> None:
        body = self._article_for(path)
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body) * 3))
        self.end_headers()
        self.write_quietly(body)

    def too_many(self, path: str, query: dict) -> None:
        if self.hostile.count(path) <= self.behaviour.fail_times:
            self.send(b"slow down", "text/plain", status=429,
                      headers={"Retry-After": self.behaviour.retry_after})
        else:
            self.send(self._article_for(path))

    def flaky(self, path: str, query: dict) -> None:
        status = int(path.split("/")[2])
        if self.hostile.count(path) <= self.behaviour.fail_times:
            self.send(b"<html><body>server error</body></html>", status=status)
        else:
            self.send(self._article_for(path))

    def always(self, path: str, query: dict) -> None:
        self.send(b"<html><body>unavailable</body></html>", status=int(path.split("/")[2]))

    def loop(self, path: str, query: dict) -> None:
        if path == "/loop/a":
            self.redirect("/loop/b")
        elif path == "/loop/b":
            self.redirect(self.hostile.url("/loop/a"), status=301)
        elif path.startswith("/loop/growing/"):
            step = int(path.rsplit("/", 1)[1] or 0)
            self.redirect(f"/loop/growing/{step + 1}")
        else:
            self.redirect(path, status=307)

    def redirect_to(self, path: str, query: dict) -> None:
        name = path.removeprefix("/redirect/")
        if name not in CANARIES:
            self.not_found()
        else:
            self.redirect(self.hostile.canary_url(name, "/latest/meta-data/iam"))

    def bomb(self, path: str, query: dict) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if path == "/bomb/gzip2":
            body = double_gzip_bomb(self.behaviour.double_bomb_bytes)
            self.send_header("Content-Encoding", "gzip, gzip")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.write_quietly(body)
            return
        self.send_header("Content-Encoding", "gzip")
        self.end_headers()
        for piece in gzip_bomb(self.behaviour.bomb_bytes):
            if self.hostile.stopping.is_set() or not self.write_quietly(piece):
                return

    def large(self, path: str, query: dict) -> None:
        size = self.behaviour.large_bytes
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if path == "/large/declared.html":
            self.send_header("Content-Length", str(size))
        self.end_headers()
        filler = b"<p>" + b"All work and no play makes a large page. " * 1500 + b"</p>\n"
        sent = 0
        if not self.write_quietly(b"<html><body><h1>A very large page</h1>"):
            return
        while sent < size and not self.hostile.stopping.is_set():
            if not self.write_quietly(filler):
                return
            sent += len(filler)

    def deep_jsonld(self, path: str, query: dict) -> None:
        nested = b"[" * 50_000 + b"]" * 50_000  # inside the first 200 kB, where sniffers look
        self.send(article_html(2000).replace(  # first, so that sniffers meet it first
            b"<head>", b'<head><script type="application/ld+json">' + nested + b"</script>"))

    def headers(self, path: str, query: dict) -> None:
        """Header lines without end (/headers/endless) or one huge line (/headers/long)."""
        self.send_response(200)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        if path == "/headers/long":
            self.write_quietly(b"".join(self._headers_buffer) + b"X-Long: " + b"a" * (4 * MiB))
            return
        self.write_quietly(b"".join(self._headers_buffer))
        line = b"X-Junk: " + b"j" * 1000 + b"\r\n"
        sent, deadline = 0, time.monotonic() + self.behaviour.slow_seconds
        while sent < self.behaviour.large_bytes and time.monotonic() < deadline:
            if self.hostile.stopping.is_set() or not self.write_quietly(line * 64):
                return
            sent += len(line) * 64

    def binary(self, path: str, query: dict) -> None:
        if path == "/binary/png.html":
            body = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 64
        else:
            body = bytes((n * 7919 + 13) % 256 for n in range(20000))
        self.send(body)

    def charset(self, path: str, query: dict) -> None:
        variants = {
            "/charset/none.html": (None, "text/html"),
            "/charset/wrong.html": ("utf-8", "text/html; charset=utf-8"),
            "/charset/conflict.html": ("windows-1251", "text/html; charset=utf-8"),
            "/charset/http-only.html": (None, "text/html; charset=windows-1251"),
        }
        if path not in variants:
            self.not_found()
            return
        meta, content_type = variants[path]
        self.send(cyrillic_html(meta), content_type)

    def sitemap(self, path: str, query: dict) -> None:
        xml = "application/xml"
        if path == "/sitemap/articles.xml":
            self.send(urlset([self.hostile.url(p) for p in self.hostile.article_paths()]), xml)
        elif path == "/sitemap/bomb.xml":
            self.send(entity_bomb(), xml)
        elif path == "/sitemap/xxe.xml":
            self.send(external_entity_sitemap(self.behaviour.xxe_target,
                                              self.hostile.canary_url("metadata", "/xxe")), xml)
        elif path == "/sitemap/self-index.xml":
            depth = int((query.get("depth") or ["0"])[0])
            self.send(sitemap_index([self.hostile.url("/sitemap/self-index.xml"),
                                     self.hostile.url(f"/sitemap/self-index.xml?depth="
                                                      f"{depth + 1}")]), xml)
        elif path == "/sitemap/canaries.xml":
            self.send(urlset(self._canary_links()), xml)
        elif path == "/sitemap/broken.xml":
            self.send(b"<urlset><url><loc>/news/1.html</loc></url", xml)
        elif path == "/sitemap/gzip-bomb.xml.gz":
            self.send(double_gzip_bomb(self.behaviour.double_bomb_bytes),
                      "application/x-gzip")
        else:
            self.not_found()

    def _canary_links(self) -> list[str]:
        links = [self.hostile.canary_url(name, f"/from-discovery/{name}") for name in CANARIES]
        return links + [self.hostile.url("/news/1.html")]

    def feed(self, path: str, query: dict) -> None:
        if path == "/feed/canaries.xml":
            self.send(rss(self._canary_links()), "application/rss+xml")
        else:
            self.not_found()

    def calendar(self, path: str, query: dict) -> None:
        try:
            day = date.fromisoformat(path.removeprefix("/calendar/"))
        except ValueError:
            self.not_found()
            return
        following = day + timedelta(days=1)
        self.send(links_page(f"News of {day.isoformat()}", [
            f"/calendar/{following.isoformat()}", f"/news/{100 + day.toordinal() % 1000}.html"]))


@dataclass
class Summary:
    """What `python -m tests.support.hostile` prints on start."""

    port: int
    canaries: dict[str, str] = field(default_factory=dict)
    paths: dict[str, str] = field(default_factory=dict)


def _interrupt(*_: object) -> None:
    raise KeyboardInterrupt


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--no-canaries", action="store_true",
                        help="listen on 127.0.0.1 only")
    parser.add_argument("--slow-seconds", type=float, default=Behaviour.slow_seconds)
    args = parser.parse_args(argv)
    server = HostileServer(args.port, Behaviour(slow_seconds=args.slow_seconds),
                           canaries=not args.no_canaries).start()
    summary = Summary(server.port, {name: server.canary_url(name) for name in CANARIES}
                      if not args.no_canaries else {}, server.catalogue())
    print(json.dumps(summary.__dict__, indent=2), flush=True)
    print(f"serving {server.url('/')} (Ctrl-C or SIGTERM to stop)", flush=True)
    # SIGTERM ends it like Ctrl-C (a background job in a script ignores SIGINT).
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
        hits = Counter(hit.address for hit in server.hits)
        print(f"hits by address: {dict(hits)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
