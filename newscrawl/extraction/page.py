"""A page parsed once, with the signals every field reads from (JSON-LD, meta tags) cached."""

from __future__ import annotations

import re
from collections import defaultdict
from datetime import datetime
from functools import cached_property, partial
from typing import Any
from urllib.parse import urljoin

from lxml import etree
from parsel import Selector, SelectorList
from parsel.selector import create_root_node

from newscrawl.extraction import jsonld
from newscrawl.extraction.errors import ExtractionError
from newscrawl.extraction.select import ClassIndex, compiled_css, selector_list
from newscrawl.model.urls import url_host


class PageSelector(Selector):
    """A parsel Selector whose CSS queries run as XPath compiled once per selector."""

    __slots__ = ()

    def css(self, query: str) -> SelectorList[PageSelector]:
        if not isinstance(self.root, etree._Element):
            return super().css(query)
        return selector_list(compiled_css(query)(self.root), query, PageSelector)


# lxml's plain HTML parser: lxml.html's (parsel's default) looks up a Python element class for
# every element object made, which no field here needs. Nothing looks elements up by ID
# through libxml2 (CSS ids are attribute tests), so IDs are not collected into a hash table.
_HTML_PARSER = partial(etree.HTMLParser, collect_ids=False)
# An http(s) URL with a host that urljoin returns unchanged: no characters it removes or
# rejects (controls, spaces, brackets of an IPv6 host), no ";" parameters and no empty query
# or fragment, which it drops.
_ALREADY_ABSOLUTE = re.compile(r"https?://[^/?#\[\]\s;\x00-\x1f][^\[\]\s;\x00-\x1f]*")


class Page:
    """The input of every extractor: parsed HTML, its URL and when it was fetched."""

    def __init__(self, html: str | bytes, url: str, fetched_at: datetime) -> None:
        """`html`: the page's text, or its bytes when they are UTF-8 (parsed as they are:
        a 200 KB page's text encoded again costs about 0.3 ms, a tenth of its extraction)."""
        if not html or html.isspace():  # not html.strip(), which would copy the page
            raise ExtractionError("empty document: the page has no content")
        try:
            if isinstance(html, str):
                # parsel would strip the text, take out its NULs and encode it; the NULs come
                # out of the UTF-8 bytes faster than out of the text (open-web pages: 1.79
                # against 1.97 ms a parse, the same trees). Unicode spaces at the ends go, as
                # they do in parsel; a lone surrogate fails to encode, as it does there.
                html = html.strip().encode("utf-8")
            root = create_root_node("", _HTML_PARSER, base_url=url, body=html)
            self.selector = PageSelector(root=root, type="html", base_url=url)
        except (ValueError, etree.LxmlError) as error:
            raise ExtractionError(f"cannot parse the page as HTML: {error}") from error
        if self.selector.root is None or not isinstance(self.selector.root.tag, str):
            raise ExtractionError("cannot parse the page as HTML: no document element")
        self.url = url
        self.fetched_at = fetched_at

    @property
    def root(self) -> etree._Element:
        return self.selector.root

    @property
    def host(self) -> str:
        return url_host(self.url)

    def css(self, query: str) -> SelectorList[PageSelector]:
        return selector_list(self._classes.select(query), query, PageSelector)

    @cached_property
    def _classes(self) -> ClassIndex:
        return ClassIndex(self.selector.root)

    def xpath(self, query: str, **variables: Any) -> Any:
        return self.selector.xpath(query, **variables)

    def absolute(self, href: str | None) -> str | None:
        """An absolute http(s) URL for `href`, or None for javascript:, data: and the like."""
        if not href or not href.strip():
            return None
        href = href.strip()
        if _ALREADY_ABSOLUTE.fullmatch(href) and not href.endswith(("?", "#")) and "?#" not in href:
            return href  # what urljoin would return, without taking it apart and back
        try:
            absolute = urljoin(self.base_url, href)
        except ValueError:  # malformed, e.g. an unclosed IPv6 bracket: no URL a reader can follow
            return None
        return absolute if absolute.startswith(("http://", "https://")) else None

    @cached_property
    def base_url(self) -> str:
        base = next((element.get("href") for element in self.root.iter("base")
                     if element.get("href") is not None
                     and getattr(element.getparent(), "tag", None) == "head"), None)
        try:
            return urljoin(self.url, base.strip()) if base else self.url
        except ValueError:
            return self.url

    @cached_property
    def meta(self) -> dict[str, list[str]]:
        """meta content by lower-cased name, property or itemprop, in document order."""
        found: dict[str, list[str]] = defaultdict(list)
        for element in self.root.iter("meta"):
            content = element.get("content")
            if content is None:
                continue
            for attribute in ("name", "property", "itemprop", "http-equiv"):
                key = element.get(attribute)
                if key:
                    found[key.strip().lower()].append(content.strip())
        return dict(found)

    def meta_first(self, *keys: str) -> str | None:
        for key in keys:
            for value in self.meta.get(key, ()):
                if value:
                    return value
        return None

    @cached_property
    def jsonld_nodes(self) -> list[dict[str, Any]]:
        nodes: list[dict[str, Any]] = []
        for script in self.root.iter("script"):
            if (script.get("type") or "").strip().lower() != "application/ld+json":
                continue
            parsed = jsonld.parse_jsonld(script.text or "")
            if parsed is not None:
                nodes.extend(jsonld.flatten(parsed))
        return nodes

    @cached_property
    def jsonld_article(self) -> dict[str, Any]:
        """The JSON-LD node that describes this article: the one whose URL is this page's, else
        the first article-typed node, else {}."""
        articles = [node for node in self.jsonld_nodes if jsonld.is_article(node)]
        for node in articles:
            if _same_page(node, self.url):
                return node
        return articles[0] if articles else {}


def _same_page(node: dict[str, Any], url: str) -> bool:
    wanted = url.split("#")[0].rstrip("/")
    for key in ("url", "@id", "mainEntityOfPage"):
        value = node.get(key)
        if isinstance(value, dict):
            value = value.get("@id") or value.get("url")
        if isinstance(value, str) and value.split("#")[0].rstrip("/") == wanted:
            return True
    return False
