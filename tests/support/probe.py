"""A small discovery spider for reliability tests: follows links, sitemaps and feeds on the
allowed hosts and extracts articles. It stands in for the crawl spider where a test needs
discovery without a site profile; the guards it relies on (network guard, offsite filter,
safe XML, fault accounting, DEPTH_LIMIT) are the product's own.

    -a start=URL[,URL...] -a hosts=HOST[,HOST...]
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response

from newscrawl.api import ExtractionError, extract
from newscrawl.crawl.discovery import declared_entities, feed_of, parse_xml, sitemap_of
from newscrawl.crawl.middlewares.faults import count_fault

ARTICLE_PATHS = ("/news/", "/fixture/", "/charset/")
MAX_SITEMAP_DEPTH = 3  # index → index → sitemap is as deep as real sites go


class ProbeSpider(scrapy.Spider):
    name = "probe"

    def __init__(self, start: str = "", hosts: str = "", **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.start_urls = [u.strip() for u in start.split(",") if u.strip()]
        self.allowed_domains = [h.strip() for h in hosts.split(",") if h.strip()]

    async def start(self) -> Any:
        for url in self.start_urls:
            yield self._request(url, depth=0)

    def _request(self, url: str, depth: int = 0) -> scrapy.Request:
        path = urlsplit(url).path
        if path.endswith((".xml", ".xml.gz")):
            return scrapy.Request(url, self.parse_xml, cb_kwargs={"depth": depth})
        if path.startswith(ARTICLE_PATHS):
            return scrapy.Request(url, self.parse_article)
        return scrapy.Request(url, self.parse)

    def parse(self, response: Response, **kwargs: Any) -> Iterator[Any]:
        if not hasattr(response, "css"):
            return
        for href in response.css("a::attr(href)").getall():
            yield self._request(response.urljoin(href))

    def parse_xml(self, response: Response, depth: int = 0) -> Iterator[Any]:
        try:
            root = parse_xml(response.body)
        except ValueError as error:  # too large, or broken gzip data
            root = None
            self.logger.warning("unreadable XML %s: %s", response.url, error)
        if root is None:
            count_fault(self.crawler.stats, "bad_xml", response.url, "not XML")
            return
        if entities := declared_entities(root):
            count_fault(self.crawler.stats, "xml_entities", response.url,
                        f"XML declares entities ({', '.join(entities[:5])}): refused")
            return
        sitemap = sitemap_of(root, response.url)
        if sitemap is not None and sitemap.is_index:
            if depth >= MAX_SITEMAP_DEPTH:
                count_fault(self.crawler.stats, "sitemap_depth", response.url,
                            f"sitemap index nested over {MAX_SITEMAP_DEPTH} deep; not followed")
                return
            for link in sitemap.links:
                yield scrapy.Request(link.url, self.parse_xml, cb_kwargs={"depth": depth + 1})
            return
        for link in sitemap.links if sitemap is not None else feed_of(root, response.url) or []:
            yield self._request(link.url)

    def parse_article(self, response: Response) -> Iterator[Any]:
        try:
            yield extract(response.body, response.url, datetime.now(UTC),
                          encoding=getattr(response, "encoding", None), use_profiles=False)
        except ExtractionError as error:
            self.crawler.stats.inc_value("newscrawl/extraction_error")
            self.logger.warning("cannot extract %s: %s", response.url, error)
