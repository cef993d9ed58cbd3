"""Crawling a mirror as if it were the real site.

With `NEWSCRAWL_MIRROR = "http://127.0.0.1:PORT"`, every HTTP(S) download is sent to the
mirror instead, as `http://127.0.0.1:PORT/<host>/<path>?<query>`, and the response comes back
under the request's real URL. Routing happens inside the download handler, below every
middleware: robots.txt, the dupefilter, download slots, WARC capture, stats and items all see
the site's real URLs, and nothing in a mirror crawl can reach the real site.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.crawler import Crawler
from scrapy.http import Response


def mirror_url(mirror: str, url: str) -> str:
    """Where the mirror serves `url`: the host becomes the first path segment."""
    parts = urlsplit(url)
    path = parts.path or "/"
    query = f"?{parts.query}" if parts.query else ""
    return f"{mirror.rstrip('/')}/{(parts.hostname or '').lower()}{path}{query}"


class MirrorDownloadHandler(HTTP11DownloadHandler):
    """Scrapy's HTTP/1.1 handler, sending requests to the mirror when one is configured."""

    lazy = False

    def __init__(self, crawler: Crawler) -> None:
        super().__init__(crawler)
        self.mirror = (crawler.settings.get("NEWSCRAWL_MIRROR") or "").rstrip("/")

    async def download_request(self, request: Request) -> Response:
        if not self.mirror or request.url.startswith(self.mirror + "/"):
            return await super().download_request(request)
        routed = request.replace(url=mirror_url(self.mirror, request.url))
        response = await super().download_request(routed)
        return response.replace(url=request.url, request=request)


def mirror_network(mirror: str) -> str:
    """The mirror's address as a one-address network, e.g. `127.0.0.1/32`.

    The network guard (newscrawl.crawl.middlewares.netguard) refuses loopback and private
    addresses, where a mirror runs. In mirror mode every download goes to the mirror, so
    allowing exactly its address (NEWSCRAWL_ALLOWED_NETWORKS) opens nothing else. The guard's
    resolver is built from the process settings, so this must be set there (`-s`), not by an
    add-on.
    """
    import ipaddress
    import socket

    host = urlsplit(mirror).hostname or ""
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        address = ipaddress.ip_address(socket.gethostbyname(host))
    return f"{address}/{address.max_prefixlen}"
