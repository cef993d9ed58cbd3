"""The offline mirror: the fixture pages served as small websites on 127.0.0.1.

Per site (a `fixtures/<site>/` folder, with its profile when one exists) the mirror serves
every fixture page at its real path, and synthesises what a crawl starts from: the profile's
section pages (unless a listing fixture is that page), the "load more" page a listing fixture
points to, a news sitemap index with its news sitemap, an RSS feed, a robots.txt naming the
sitemap, and a home page announcing the feed. Anything else answers 404, as a missing page.

One port serves every host: `http://127.0.0.1:PORT/<host>/<path>` (see
`newscrawl.crawl.middlewares.routing`, which sends a crawl's requests there). Every request is
appended to the hit log (JSON Lines) when one is given, so tests can count what a crawl asked.

The mirror also says what it holds: `http://127.0.0.1:PORT/newscrawl-mirror/holdings.json`
lists every page it serves (`host/path?query`) and, for synthetic stories, the pattern of
their URLs. Saved pages link to stories the mirror does not hold (a section page links to
dozens); a crawl in mirror mode reads this list and does not follow those links
(newscrawl.crawl.mirrorscope), instead of counting a 404 for each. The hit log leaves this
request out: it logs the sites' pages only.
"""

from __future__ import annotations

import html
import json
import random
import re
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from newscrawl.extraction.dates import to_utc_datetime
from newscrawl.fixtures import FIXTURES_DIR, Fixture, iter_fixtures

HTML = "text/html; charset=utf-8"
JSON = "application/json"
XML = "application/xml; charset=utf-8"
RSS = "application/rss+xml; charset=utf-8"
TEXT = "text/plain; charset=utf-8"
# Not a host name any site has (no dot); the mirror answers there about itself.
HOLDINGS_HOST = "newscrawl-mirror"
HOLDINGS_PATH = "/holdings.json"


@dataclass(frozen=True)
class Page:
    content_type: str
    body: bytes
    status: int = 200


def key_of(url: str) -> tuple[str, str]:
    """(host, path?query) — how the mirror files a URL."""
    parts = urlsplit(url)
    path = parts.path or "/"
    return (parts.hostname or "").lower(), path + (f"?{parts.query}" if parts.query else "")


@dataclass
class StoryRef:
    url: str
    headline: str
    published: str | None
    modified: str | None


@dataclass
class MirrorSite:
    name: str
    hosts: list[str]
    section_pages: list[str]
    sitemaps: list[str]
    feeds: list[str]
    stories: list[StoryRef] = field(default_factory=list)


# -- building the site -------------------------------------------------------------------------
def build_pages(root: Path = FIXTURES_DIR, sites: Iterable[str] = ()) -> dict[tuple[str, str],
                                                                              Page]:
    """Every page of the mirror, keyed by (host, path?query)."""
    fixtures = list(iter_fixtures(sites, root))
    pages: dict[tuple[str, str], Page] = {}
    for fixture in fixtures:
        pages[key_of(fixture.url)] = Page(HTML, fixture.html())
    for site in _sites(fixtures):
        for url, page in _synthesised(site, fixtures).items():
            pages.setdefault(key_of(url), page)
    return pages


def _sites(fixtures: list[Fixture]) -> list[MirrorSite]:
    from newscrawl.sites import profile_named

    sites: dict[str, MirrorSite] = {}
    for fixture in fixtures:
        site = sites.get(fixture.site)
        if site is None:
            host = key_of(fixture.url)[0]
            try:
                profile = profile_named(fixture.site)
            except KeyError:
                profile = None
            main = profile.hosts[0] if profile else host
            site = sites[fixture.site] = MirrorSite(
                name=fixture.site,
                hosts=list(profile.hosts) if profile else [host],
                section_pages=list(profile.section_pages) if profile else [],
                sitemaps=(list(profile.sitemaps) if profile and profile.sitemaps
                          else [f"https://{main}/sitemap_news_index.xml"]),
                feeds=(list(profile.feeds) if profile and profile.feeds
                       else [f"https://{main}/rss.xml"]))
        if key_of(fixture.url)[0] not in site.hosts:
            site.hosts.append(key_of(fixture.url)[0])
        if fixture.kind == "article":
            expected = fixture.expected or {}
            site.stories.append(StoryRef(fixture.url, expected.get("headline") or fixture.name,
                                         expected.get("published"), expected.get("modified")))
    return list(sites.values())


def _synthesised(site: MirrorSite, fixtures: list[Fixture]) -> dict[str, Page]:
    pages: dict[str, Page] = {}
    # Every sitemap and feed the profile declares is served (the same content): a crawl
    # reads them all, and none should answer 404.
    main = urlsplit(site.sitemaps[0])
    base = f"{main.scheme}://{main.hostname}"
    news_sitemap = f"{base}/newscrawl-mirror/news-sitemap.xml"
    for sitemap in site.sitemaps:
        pages[sitemap] = Page(XML, sitemap_index([news_sitemap], site.stories))
    pages[news_sitemap] = Page(XML, news_sitemap_xml(site.name, site.stories))
    for feed in site.feeds:
        pages[feed] = Page(RSS, rss_feed(site.name, f"{base}/", site.stories))
    for url in site.section_pages:
        pages[url] = Page(HTML, listing_html(f"{site.name}: {url}", site.stories))
    for fixture in fixtures:
        next_page = (fixture.expected or {}).get("next_page") if fixture.kind == "listing" \
            else None
        if fixture.site == site.name and next_page:
            pages[next_page] = Page(HTML, listing_html(f"{site.name}: more", site.stories))
    for host in site.hosts:
        pages[f"https://{host}/robots.txt"] = Page(TEXT, robots_txt(site.sitemaps))
        pages[f"https://{host}/"] = Page(HTML, home_html(site, host))
    return pages


def _esc(text: str | None) -> str:
    return html.escape(text or "", quote=True)


def listing_html(title: str, stories: list[StoryRef]) -> bytes:
    items = "\n".join(f'<li><a href="{_esc(s.url)}">{_esc(s.headline)}</a></li>' for s in stories)
    return (f"<!doctype html><html><head><meta charset=utf-8><title>{_esc(title)}</title></head>"
            f"<body><h1>{_esc(title)}</h1><ul>\n{items}\n</ul></body></html>").encode()


def home_html(site: MirrorSite, host: str) -> bytes:
    sections = "".join(f'<li><a href="{_esc(u)}">{_esc(u)}</a></li>' for u in site.section_pages)
    stories = "".join(f'<li><a href="{_esc(s.url)}">{_esc(s.headline)}</a></li>'
                      for s in site.stories if key_of(s.url)[0] == host)
    return (f'<!doctype html><html><head><meta charset=utf-8><title>{_esc(site.name)}</title>'
            f'<link rel="alternate" type="application/rss+xml" href="{_esc(site.feeds[0])}">'
            f"</head><body><ul>{sections}</ul><ul>{stories}</ul></body></html>").encode()


def robots_txt(sitemaps: list[str]) -> bytes:
    lines = "".join(f"Sitemap: {url}\n" for url in sitemaps)
    return f"User-agent: *\nDisallow: /private/\n\n{lines}".encode()


def sitemap_index(children: list[str], stories: list[StoryRef]) -> bytes:
    newest = max((s.modified or s.published or "" for s in stories), default="")
    lastmod = f"<lastmod>{_esc(newest)}</lastmod>" if newest else ""
    entries = "".join(f"<sitemap><loc>{_esc(c)}</loc>{lastmod}</sitemap>" for c in children)
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<sitemapindex '
            f'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</sitemapindex>'
            ).encode()


def news_sitemap_xml(name: str, stories: list[StoryRef]) -> bytes:
    entries = []
    for story in stories:
        lastmod = story.modified or story.published
        entries.append(
            f"<url><loc>{_esc(story.url)}</loc>"
            + (f"<lastmod>{_esc(lastmod)}</lastmod>" if lastmod else "")
            + f"<news:news><news:publication><news:name>{_esc(name)}</news:name>"
            "<news:language>en</news:language></news:publication>"
            + (f"<news:publication_date>{_esc(story.published)}</news:publication_date>"
               if story.published else "")
            + f"<news:title>{_esc(story.headline)}</news:title></news:news></url>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset '
            'xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" '
            'xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">'
            + "".join(entries) + "</urlset>").encode()


def rss_feed(name: str, home: str, stories: list[StoryRef]) -> bytes:
    items = []
    for story in stories:
        date = (f"<pubDate>{format_datetime(to_utc_datetime(story.published))}</pubDate>"
                if story.published else "")
        items.append(f"<item><title>{_esc(story.headline)}</title><link>{_esc(story.url)}</link>"
                     f"<guid>{_esc(story.url)}</guid>{date}</item>")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>'
            f"<title>{_esc(name)}</title><link>{_esc(home)}</link><description>newscrawl "
            f"mirror</description>{''.join(items)}</channel></rss>").encode()


# -- synthetic stories ---------------------------------------------------------------------------
_DIGITS = re.compile(r"\d{5,}")


@dataclass
class SyntheticStories:
    """`count` stories made on the fly from one fixture article: each has its own URL (the
    fixture's URL with its long number changed), headline and paragraphs, and a size between
    `min_size` and `max_size` bytes. Nothing is stored: a story is rebuilt on each request.
    """

    fixture_url: str
    html: str
    headline: str
    paragraphs: list[str]
    count: int
    min_size: int = 100_000
    max_size: int = 300_000

    def __post_init__(self) -> None:
        host, path = key_of(self.fixture_url)
        digits = max(_DIGITS.finditer(path), key=lambda m: len(m.group()), default=None)
        if digits is None:
            raise ValueError(f"no long number in {self.fixture_url} to vary")
        self.host = host
        self.prefix, self.suffix = path[:digits.start()], path[digits.end():]
        self.width = len(digits.group())
        self.base = int(digits.group()) + 1
        self.words = re.findall(r"[A-Za-z]{3,}", " ".join(self.paragraphs)) or ["news"]
        self.url_prefix = self.fixture_url[:len(self.fixture_url) - len(path)]

    def url(self, index: int) -> str:
        number = str(self.base + index).zfill(self.width)
        return f"{self.url_prefix}{self.prefix}{number}{self.suffix}"

    def index_of(self, host: str, path: str) -> int | None:
        if host != self.host or not path.startswith(self.prefix) or not path.endswith(
                self.suffix):
            return None
        middle = path[len(self.prefix):len(path) - len(self.suffix)]
        if not middle.isdigit() or len(middle) != self.width:
            return None
        index = int(middle) - self.base
        return index if 0 <= index < self.count else None

    def pattern(self) -> str:
        """A regular expression matching `host/path` of every story of the set."""
        return (re.escape(f"{self.host}{self.prefix}") + rf"\d{{{self.width}}}"
                + re.escape(self.suffix))

    def template(self) -> list[str | int]:
        """The fixture page cut at the URL (-1), the headline (-2) and each paragraph (k >= 0),
        built once so that a page is a join, not a search-and-replace of 100+ KB."""
        cached = getattr(self, "_template", None)
        if cached is not None:
            return cached
        marks = {self.fixture_url: -1, self.headline: -2}
        marks.update({paragraph: k for k, paragraph in enumerate(self.paragraphs)
                      if paragraph and paragraph not in marks})
        pattern = re.compile("|".join(re.escape(m) for m in sorted(marks, key=len, reverse=True)
                                      if m))
        pieces: list[str | int] = []
        position = 0
        for match in pattern.finditer(self.html):
            pieces.append(self.html[position:match.start()])
            pieces.append(marks[match.group()])
            position = match.end()
        pieces.append(self.html[position:])
        rng = random.Random(0)
        self._links = [f'<a href="{_esc(self.url(rng.randrange(self.count)))}">'
                       f'{_esc(" ".join(rng.choices(self.words, k=12)))}</a>\n'
                       for _ in range(4000)]
        # Set last: the mirror serves from many threads, and another one takes a cached
        # template as the sign that `_links` exists too.
        self._template = pieces
        return pieces

    def page(self, index: int) -> bytes:
        rng = random.Random(index)
        url, headline = self.url(index), f"{self.headline} (story {index})"
        parts: list[str] = []
        for piece in self.template():
            if isinstance(piece, str):
                parts.append(piece)
            elif piece == -1:
                parts.append(url)
            elif piece == -2:
                parts.append(headline)
            else:
                words = rng.choices(self.words, k=max(8, len(self.paragraphs[piece].split())))
                parts.append(" ".join(words).capitalize() + ".")
        text = "".join(parts)
        padding = rng.randint(self.min_size, self.max_size) - len(text)
        if padding > 0:
            text = text.replace("</body>", self.related_block(rng, padding) + "</body>", 1)
        return text.encode()

    def related_block(self, rng: random.Random, size: int) -> str:
        """Links to other stories, as the "more news" block of a real page (fills the size)."""
        links = self._links
        parts, used, at = ['<nav class="newscrawl-more-news">'], 0, rng.randrange(len(links))
        while used < size:
            parts.append(links[at % len(links)])
            used += len(links[at % len(links)])
            at += 1
        parts.append("</nav>")
        return "".join(parts)


def synthetic_sets(count: int, root: Path = FIXTURES_DIR, sites: Iterable[str] = (),
                   size: tuple[int, int] | None = None) -> list[SyntheticStories]:
    """One story set per site, from its first article fixture with a long number in its URL."""
    found: dict[str, SyntheticStories] = {}
    for fixture in iter_fixtures(sites, root):
        if fixture.kind != "article" or fixture.site in found or not fixture.expected:
            continue
        paragraphs = [p for p in (fixture.expected.get("body") or "").split("\n\n") if p]
        try:
            found[fixture.site] = SyntheticStories(
                fixture.url, fixture.html().decode("utf-8", errors="replace"),
                fixture.expected.get("headline") or "", paragraphs, count,
                *(size or ()))
        except ValueError:
            continue
    return list(found.values())


SITEMAP_CHUNK = 5000  # stories per synthetic sitemap, as big news sites split theirs


def synthetic_sitemap(stories: SyntheticStories, chunk: int,
                      published: str = "2024-05-17T12:00:00+00:00") -> bytes:
    first = chunk * SITEMAP_CHUNK
    refs = [StoryRef(stories.url(i), f"story {i}", published, None)
            for i in range(first, min(first + SITEMAP_CHUNK, stories.count))]
    return news_sitemap_xml("synthetic", refs)


# -- serving it ----------------------------------------------------------------------------------
Resolver = Callable[[str, str], Page | None]


class MirrorServer(ThreadingHTTPServer):
    """A threaded HTTP server answering `/<host>/<path>` from a resolver function."""

    daemon_threads = True
    request_queue_size = 128

    def __init__(self, resolver: Resolver, port: int = 0, hit_log: Path | None = None) -> None:
        super().__init__(("127.0.0.1", port), _Handler)
        self.resolver = resolver
        if hit_log:
            hit_log.parent.mkdir(parents=True, exist_ok=True)
        self.hit_log = open(hit_log, "a", encoding="utf-8") if hit_log else None  # noqa: SIM115
        self._log_lock = threading.Lock()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def record(self, entry: dict[str, Any]) -> None:
        if self.hit_log is None:
            return
        with self._log_lock:
            self.hit_log.write(json.dumps(entry) + "\n")
            self.hit_log.flush()

    def server_close(self) -> None:
        super().server_close()
        if self.hit_log is not None:
            self.hit_log.close()


class _Handler(BaseHTTPRequestHandler):
    server: MirrorServer
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - http.server's naming
        self.answer(with_body=True)

    def do_HEAD(self) -> None:  # noqa: N802
        self.answer(with_body=False)

    def answer(self, *, with_body: bool) -> None:
        host, _, rest = self.path.lstrip("/").partition("/")
        path = "/" + rest
        page = self.server.resolver(host.lower(), path) or Page(
            "text/plain; charset=utf-8", b"not in the mirror\n", 404)
        if host.lower() != HOLDINGS_HOST:  # the log is of the sites' pages, not of the mirror
            self.server.record({"host": host, "path": path, "status": page.status,
                                "user_agent": self.headers.get("User-Agent")})
        self.send_response(page.status)
        self.send_header("Content-Type", page.content_type)
        self.send_header("Content-Length", str(len(page.body)))
        self.end_headers()
        if with_body:
            self.wfile.write(page.body)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the hit log records requests; stderr stays quiet


def fixture_resolver(root: Path = FIXTURES_DIR, sites: Iterable[str] = (),
                     synthetic: int = 0, synthetic_size: tuple[int, int] | None = None
                     ) -> Resolver:
    """The fixture mirror; with `synthetic` > 0, each site's news sitemap index also lists a
    sitemap of that many synthetic stories (see SyntheticStories) of `synthetic_size`
    (min, max) bytes (default 100-300 KB)."""
    pages = build_pages(root, sites)
    story_sets = synthetic_sets(synthetic, root, sites, synthetic_size) if synthetic > 0 \
        else []
    for stories in story_sets:
        _add_synthetic_sitemap(pages, stories)
    pages[(HOLDINGS_HOST, HOLDINGS_PATH)] = holdings_page(pages, story_sets)

    def resolve(host: str, path: str) -> Page | None:
        page = pages.get((host, path))
        if page is not None:
            return page
        for stories in story_sets:
            index = stories.index_of(host, path)
            if index is not None:
                return Page(HTML, stories.page(index))
        return None

    return resolve


def holdings_page(pages: dict[tuple[str, str], Page],
                  story_sets: Iterable[SyntheticStories]) -> Page:
    held = sorted(f"{host}{path}" for (host, path), page in pages.items() if page.status == 200)
    body = {"pages": held, "patterns": [stories.pattern() for stories in story_sets]}
    return Page(JSON, json.dumps(body).encode())


def _add_synthetic_sitemap(pages: dict[tuple[str, str], Page], stories: SyntheticStories) -> None:
    """Serve the stories' sitemaps and list them in the index that robots.txt names."""
    children = []
    for chunk in range((stories.count + SITEMAP_CHUNK - 1) // SITEMAP_CHUNK):
        path = f"/newscrawl-mirror/synthetic-sitemap-{chunk}.xml"
        pages[(stories.host, path)] = Page(XML, synthetic_sitemap(stories, chunk))
        children.append(f"https://{stories.host}{path}")
    robots = pages.get((stories.host, "/robots.txt"))
    if robots is None:
        return
    index_url = re.search(rb"Sitemap: (\S+)", robots.body)
    index_key = key_of(index_url.group(1).decode()) if index_url else None
    if index_key in pages:
        listed = "".join(f"<sitemap><loc>{_esc(c)}</loc></sitemap>" for c in children)
        body = pages[index_key].body.replace(b"</sitemapindex>",
                                             listed.encode() + b"</sitemapindex>")
        pages[index_key] = Page(XML, body)


# -- running it ----------------------------------------------------------------------------------
def spawn(*, port: int = 0, fixtures: Path | None = None, sites: Iterable[str] = (),
          hit_log: Path | None = None, synthetic: int = 0,
          synthetic_size: tuple[int, int] | None = None, processes: int = 1,
          timeout: float = 30.0, quiet: bool = False) -> tuple[Any, str]:
    """Start `newscrawl mirror` as a child process; returns (process, base URL) once it serves.

    A child, not a thread: the crawl's reactor keeps its CPU, and the mirror's work is not
    counted as the crawl's. `quiet` drops its stderr (a traceback per client that hangs up).
    """
    import os
    import re
    import subprocess
    import sys

    command = [sys.executable, "-m", "newscrawl", "mirror", "--port", str(port),
               "--parent-pid", str(os.getpid())]
    if fixtures:
        command += ["--fixtures", str(fixtures)]
    if hit_log:
        command += ["--hit-log", str(hit_log)]
    if synthetic:
        command += ["--synthetic", str(synthetic)]
    if synthetic_size:
        command += ["--synthetic-size", f"{synthetic_size[0]}:{synthetic_size[1]}"]
    if processes > 1:
        command += ["--processes", str(processes)]
    command += [arg for site in sites for arg in ("--site", site)]
    environment = dict(os.environ, PYTHONUNBUFFERED="1")
    # Own session: Ctrl-C on the crawl must not kill the mirror under its graceful stop.
    child = subprocess.Popen(command, stdout=subprocess.PIPE, text=True, env=environment,
                             stderr=subprocess.DEVNULL if quiet else None,
                             start_new_session=True)
    timer = threading.Timer(timeout, child.kill)  # never hang on a mirror that cannot start
    timer.start()
    try:
        first = child.stdout.readline() if child.stdout else ""
    finally:
        timer.cancel()
    match = re.search(r"(http://127\.0\.0\.1:\d+)", first)
    if not match:
        child.kill()
        raise RuntimeError(f"the mirror did not start (it said {first.strip()!r})")
    return child, match.group(1)
