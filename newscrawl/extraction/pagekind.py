"""Article or listing: what a page without a profile is, judged the way a reader would.

A page that declares itself a story (JSON-LD of an article type about this page, or og:type
"article") is an article. A page that declares itself a collection (JSON-LD CollectionPage or
SearchResultsPage) is a listing. Otherwise the markup decides: a listing shows many teaser
links (links to other pages of the site whose text reads like a headline) and no paragraph
of story length; an article shows at least one. The crawl keeps a page as a story by the same
judgement (`newscrawl.crawl.discovery.judged_story`).
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Literal
from urllib.parse import urljoin, urlsplit

from lxml import etree

from newscrawl.extraction import jsonld
from newscrawl.extraction.boilerplate import COMMENT_WORDS, is_named
from newscrawl.extraction.page import Page
from newscrawl.extraction.text import CJK, count_words, element_text, normalize_space

Kind = Literal["article", "listing"]
LISTING_TYPES = frozenset({"collectionpage", "searchresultspage", "profilepage"})
# A headline has a few words at least, and is no paragraph.
MIN_HEADLINE_WORDS = 4
MIN_HEADLINE_CHARS = 20
MAX_HEADLINE_WORDS = 40
MIN_TEASERS = 8  # teaser links a listing shows at least
STORY_PARAGRAPH_WORDS = 40  # a paragraph this long is a story's, not a teaser's excerpt
STORY_WORDS = 150  # main text this long is a story's, however short its paragraphs
# Where no teaser of the page's own list sits: site navigation, footers, comments.
_OUTSIDE_TAGS = frozenset({"nav", "footer", "aside", "menu", "form"})
# Class names say less: "nav-col" may hold the page's whole main column.
_OUTSIDE_WORDS = COMMENT_WORDS | {"menu", "breadcrumb", "breadcrumbs", "cookie", "consent"}
_HEADING_TAGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_HEADLINE_WORDS = frozenset({"title", "headline", "heading", "hed"})


@dataclass(frozen=True)
class Teaser:
    """A link to another page of the site whose text reads like a headline."""

    url: str
    headline: str
    element: etree._Element


def declared_kind(url: str, jsonld_nodes: Iterable[dict], og_type: str | None) -> Kind | None:
    """What the page's metadata says it is, if it says."""
    nodes = list(jsonld_nodes)
    if any(jsonld.is_article(n) and _about(n, url) for n in nodes):
        return "article"
    if (og_type or "").strip().lower() == "article":
        return "article"
    if any(jsonld.types_of(n) & LISTING_TYPES for n in nodes):
        return "listing"
    if any(jsonld.is_article(n) and not _names_a_page(n) for n in nodes):
        return "article"  # an article node that names no URL describes this page
    return None


def _about(node: dict, url: str) -> bool:
    wanted = _comparable(url)
    for key in ("url", "@id", "mainEntityOfPage"):
        value = node.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and _comparable(value) == wanted:
            return True
    return False


def _names_a_page(node: dict) -> bool:
    return any(isinstance(node.get(k), str | dict) for k in ("url", "mainEntityOfPage"))


def _comparable(url: str) -> str:
    try:
        parts = urlsplit(url)
    except ValueError:
        return url
    return f"{(parts.hostname or '').removeprefix('www.')}{parts.path.rstrip('/')}"


def judge(declared: Kind | None, teasers: int, paragraph_words: list[int]) -> Kind:
    """The page's kind from what it declares, the teaser links it shows and the lengths of
    the paragraphs of its main text."""
    if declared is not None:
        return declared
    if (teasers >= MIN_TEASERS and max(paragraph_words, default=0) < STORY_PARAGRAPH_WORDS
            and sum(paragraph_words) < STORY_WORDS):
        return "listing"
    return "article"


def page_kind(page: Page, paragraphs: Callable[[], Iterable[str]]
              ) -> tuple[Kind, list[Teaser]]:
    """The page's kind, and its teaser links when they were read. `paragraphs` gives the
    main text's paragraphs; it is only asked when the page shows enough teasers to be a
    listing (finding the main text costs more than the rest)."""
    declared = declared_kind(page.url, page.jsonld_nodes, page.meta_first("og:type"))
    if declared == "article":
        return "article", []
    teasers = teaser_links(page.root, page.url, page.base_url)
    if declared == "listing" or len(teasers) < MIN_TEASERS:
        return judge(declared, len(teasers), []), teasers
    return judge(None, len(teasers), paragraph_lengths(paragraphs())), teasers


def paragraph_lengths(paragraphs: Iterable[str]) -> list[int]:
    return [count_words(p) for p in paragraphs]


def same_site(host: str, other: str) -> bool:
    """Whether two host names belong to one site: "uk.news.example.com" and "example.com"."""
    return bool(other) and site_of(host) == site_of(other)


def site_of(host: str) -> str:
    labels = host.lower().removeprefix("www.").split(".")
    # "example.co.uk", "example.com.au": the second level is part of the suffix.
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and len(labels[-2]) <= 3 else 2
    return ".".join(labels[-keep:])


def teaser_links(root: etree._Element, url: str, base: str | None = None) -> list[Teaser]:
    """The page's teaser links in document order, one per target URL (its longest text)."""
    host = urlsplit(url).hostname or ""
    here = _comparable(url)
    found: dict[str, Teaser] = {}
    order: list[str] = []
    for anchor in root.iter("a"):
        target = absolute(anchor.get("href"), base or url)
        if not target or not same_site(host, urlsplit(target).hostname or ""):
            continue
        if _comparable(target) == here or urlsplit(target).path.strip("/") == "":
            continue
        text = normalize_space(element_text(anchor)) or normalize_space(anchor.get("title"))
        if not _reads_like_headline(text) or _outside_the_list(anchor):
            continue
        if target not in found:
            order.append(target)
            found[target] = Teaser(target, text, anchor)
        elif _headline_rank(anchor, text) > _headline_rank(found[target].element,
                                                          found[target].headline):
            found[target] = Teaser(target, text, anchor)
    return [found[t] for t in order]


def _headline_rank(anchor: etree._Element, text: str) -> tuple[bool, int]:
    """Of a story's several links, the one set as its headline (in a heading, or named a
    title or headline) gives the headline; else the longest text."""
    marked = any(e.tag in _HEADING_TAGS or is_named(e, _HEADLINE_WORDS)
                 for e in (anchor, *itertools.islice(anchor.iterancestors(), 2)))
    return marked, len(text)


def absolute(href: str | None, base: str) -> str | None:
    if not href or href.startswith(("#", "javascript:", "mailto:", "tel:")):
        return None
    try:
        joined = urljoin(base, href.strip())
    except ValueError:
        return None
    return joined.split("#")[0] if joined.startswith(("http://", "https://")) else None


def _reads_like_headline(text: str) -> bool:
    if CJK.search(text):
        return 8 <= len(text) <= 120
    words = len(text.split())
    return MIN_HEADLINE_WORDS <= words <= MAX_HEADLINE_WORDS and len(text) >= MIN_HEADLINE_CHARS


def _outside_the_list(anchor: etree._Element) -> bool:
    # The body's and the root's class names describe the page's state, not a region of it.
    return any(a.tag in _OUTSIDE_TAGS or (a.tag not in ("body", "html")
                                          and is_named(a, _OUTSIDE_WORDS))
               for a in anchor.iterancestors())
