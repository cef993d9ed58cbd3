"""Reading the documents a crawl navigates by: robots.txt, sitemaps, feeds, HTML links.

XML comes from the network, so it is parsed here, in one place (`parse_xml`), without DTDs,
entity expansion or network access (no "billion laughs", no external entities), and with a
size cap, also once gunzipped. Even a document that slipped past the checks stays harmless:
the parser never expands an entity, loads a DTD, touches the network or lifts libxml2's size
limits. `declared_entities` tells a caller that wants to refuse such documents outright.
"""

from __future__ import annotations

import re
import zlib
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from lxml import etree
from protego import Protego

from newscrawl.extraction.jsonld import flatten, is_article, parse_jsonld
from newscrawl.extraction.page import Page
from newscrawl.extraction.pagekind import page_kind
from newscrawl.model.items import Article

MAX_XML_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed

_XML_PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "load_dtd": False,
                       "huge_tree": False, "recover": True, "remove_comments": True,
                       "remove_pis": True}


@dataclass(frozen=True)
class Link:
    """A URL found in a sitemap or feed, with the dates it was announced with."""

    url: str
    lastmod: str | None = None
    published: str | None = None  # news:publication_date, pubDate, Atom published

    @property
    def date(self) -> str | None:
        return self.published or self.lastmod


@dataclass(frozen=True)
class Sitemap:
    is_index: bool
    links: tuple[Link, ...]


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def _maybe_gunzip(body: bytes) -> bytes:
    if body[:2] != b"\x1f\x8b":
        return body
    # Decompress at most the limit: a small gzip bomb must not fill memory.
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        data = inflater.decompress(body, MAX_XML_BYTES + 1)
    except zlib.error as error:
        raise ValueError(f"broken gzip data: {error}") from error
    if len(data) > MAX_XML_BYTES:
        raise ValueError(f"document over {MAX_XML_BYTES} bytes once decompressed")
    return data


def parse_xml(body: bytes) -> etree._Element | None:
    """The root element of a document from the network (gzipped or not); None if it is not
    XML; ValueError if it is over MAX_XML_BYTES or its gzip data is broken."""
    body = _maybe_gunzip(body)
    if len(body) > MAX_XML_BYTES:
        raise ValueError(f"document over {MAX_XML_BYTES} bytes")
    parser = etree.XMLParser(**_XML_PARSER_OPTIONS)
    try:
        return etree.fromstring(body, parser=parser)
    except etree.XMLSyntaxError:
        return None


def declared_entities(root: etree._Element) -> list[str]:
    """The entities a document declares (or "undeclared references"): no sitemap or feed
    needs one, and a document with them is an attack or a mistake."""
    dtd = root.getroottree().docinfo.internalDTD
    declared = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if not declared and any(True for _ in root.iter(etree.Entity)):
        return ["undeclared references"]
    return declared


def _child_text(element: etree._Element, *names: str) -> str | None:
    for child in element.iter():
        if _local(child.tag) in names and child.text and child.text.strip():
            return child.text.strip()
    return None


def parse_sitemap(body: bytes, base_url: str) -> Sitemap | None:
    """A sitemap or sitemap index (news sitemaps included); None if the body is neither."""
    return sitemap_of(parse_xml(body), base_url)


def sitemap_of(root: etree._Element | None, base_url: str) -> Sitemap | None:
    """The sitemap or sitemap index that a parsed document is; None if it is neither."""
    if root is None or _local(root.tag) not in ("urlset", "sitemapindex"):
        return None
    is_index = _local(root.tag) == "sitemapindex"
    entry_tag = "sitemap" if is_index else "url"
    links = []
    for entry in root:
        if _local(entry.tag) != entry_tag:
            continue
        loc = next((c.text.strip() for c in entry if _local(c.tag) == "loc" and c.text), None)
        if not loc:
            continue
        lastmod = next((c.text.strip() for c in entry
                        if _local(c.tag) == "lastmod" and c.text), None)
        published = _child_text(entry, "publication_date")
        links.append(Link(urljoin(base_url, loc), lastmod, published))
    return Sitemap(is_index, tuple(links))


def parse_feed(body: bytes, base_url: str) -> list[Link] | None:
    """The entries of an RSS 2.0, RSS 1.0 or Atom feed; None if the body is not a feed."""
    return feed_of(parse_xml(body), base_url)


def feed_of(root: etree._Element | None, base_url: str) -> list[Link] | None:
    """The entries of a parsed RSS or Atom feed; None if the document is not a feed."""
    if root is None:
        return None
    kind = _local(root.tag)
    if kind in ("rss", "rdf"):
        return [_rss_item(item, base_url) for item in root.iter()
                if _local(item.tag) == "item" and _rss_item(item, base_url).url]
    if kind == "feed":
        return [link for entry in root if _local(entry.tag) == "entry"
                if (link := _atom_entry(entry, base_url)).url]
    return None


def _rss_item(item: etree._Element, base_url: str) -> Link:
    url = next((c.text.strip() for c in item if _local(c.tag) == "link" and c.text), "")
    if not url:  # some feeds only give a permalink guid
        url = next((c.text.strip() for c in item if _local(c.tag) == "guid" and c.text
                    and c.get("isPermaLink", "true") != "false"), "")
    published = next((c.text.strip() for c in item
                      if _local(c.tag) in ("pubdate", "date") and c.text), None)
    return Link(urljoin(base_url, url) if url else "", None, published)


def _atom_entry(entry: etree._Element, base_url: str) -> Link:
    links = [c for c in entry if _local(c.tag) == "link" and c.get("href")]
    chosen = next((c for c in links if c.get("rel", "alternate") == "alternate"), None)
    url = urljoin(base_url, chosen.get("href")) if chosen is not None else ""
    published = next((c.text.strip() for c in entry
                      if _local(c.tag) == "published" and c.text), None)
    updated = next((c.text.strip() for c in entry if _local(c.tag) == "updated" and c.text),
                   None)
    return Link(url, updated, published)


def robots_sitemaps(robots_txt: str, base_url: str) -> list[str]:
    """The `Sitemap:` URLs of a robots.txt, read by Protego (Scrapy's robots.txt parser),
    relative ones resolved, each once."""
    return list(dict.fromkeys(urljoin(base_url, url)
                              for url in Protego.parse(robots_txt).sitemaps))


FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json",
              "application/rdf+xml")


def is_feed_type(content_type: str | None) -> bool:
    return bool(content_type) and content_type.split(";")[0].strip().lower() in FEED_TYPES[:2]


# -- recognising article pages without a profile ---------------------------------------------
_DATE_IN_PATH = re.compile(r"/(?:19|20)\d{2}(?:/|-)?[01]\d(?:/|-)?[0-3]\d(?:/|\b|[-_])")
_LONG_ID = re.compile(r"\d{6,}")
_SLUG = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+){3,}")
_NOT_ARTICLE = re.compile(
    r"/(?:tag|tags|topic|topics|author|authors|category|section|search|page|login|account|"
    r"about|contact|privacy|terms|subscribe|video|videos|gallery|photos?)(?:/|$)|"
    r"\.(?:jpe?g|png|gif|webp|svg|pdf|zip|mp[34]|css|js|xml|rss|json)(?:[?#]|$)", re.IGNORECASE)


def url_looks_like_article(url: str) -> bool:
    """URL shape of a news story: a date or a long id in the path, or a long slug."""
    parts = urlsplit(url)
    path = parts.path
    if not path or path == "/" or _NOT_ARTICLE.search(path):
        return False
    last = path.rstrip("/").rsplit("/", 1)[-1]
    return bool(_DATE_IN_PATH.search(path) or _LONG_ID.search(last)
                or (_SLUG.search(last) and len(last) >= 25))


def structured_article(html_head: str) -> bool:
    """JSON-LD of an article type, or og:type article: the page says it is a story."""
    if re.search(r"<meta[^>]+property=[\"']og:type[\"'][^>]+content=[\"']article[\"']",
                 html_head, re.IGNORECASE) or re.search(
            r"<meta[^>]+content=[\"']article[\"'][^>]+property=[\"']og:type[\"']",
            html_head, re.IGNORECASE):
        return True
    for block in re.findall(r"<script[^>]+application/ld\+json[^>]*>(.*?)</script>",
                            html_head, re.IGNORECASE | re.DOTALL):
        data = parse_jsonld(block)
        if data is not None and any(is_article(node) for node in flatten(data)):
            return True
    return False


STORY_MIN_WORDS = 80  # a story's worth of text, for a page that does not say it is one


def url_is_no_story(url: str) -> bool:
    """URL shape of a page that is never a story: the home page (but for a post addressed by
    a query), tag, author, search, account and service pages, files."""
    parts = urlsplit(url)
    if parts.path in ("", "/"):
        return not parts.query  # "/?p=959": a post addressed by its id
    return bool(_NOT_ARTICLE.search(parts.path))


def judged_story(page: Page, article: Article) -> bool:
    """Without a profile, whether a fetched page is a story: it says so (JSON-LD of an
    article type, og:type article); or its URL is no service page's, the page-kind judgement
    reads it as an article, not a listing (`newscrawl.extraction.pagekind`), and it reads
    like one: a story's worth of text, or a headline with a publication date (a story whose
    body came out empty). The URL need not look like a story's: many blogs give posts short
    paths. Read from the parsed page, whose JSON-LD and meta tags extraction has read
    already (`structured_article` answers the same from raw HTML, before any parse)."""
    if (any(is_article(node) for node in page.jsonld_nodes)
            or (page.meta_first("og:type") or "").strip().lower() == "article"):
        return True
    if url_is_no_story(page.url):
        return False
    paragraphs = (article.body or "").split("\n\n")
    kind, _ = page_kind(page, lambda: paragraphs)
    if kind == "listing":
        return False
    return article.word_count >= STORY_MIN_WORDS or bool(article.headline and article.published)


__all__ = ["STORY_MIN_WORDS", "Link", "Sitemap", "declared_entities", "feed_of", "is_feed_type",
           "judged_story", "parse_feed", "parse_sitemap", "parse_xml", "robots_sitemaps",
           "sitemap_of", "structured_article", "url_is_no_story",
           "url_looks_like_article"]
