"""Parsing XML from the network (sitemaps, feeds) without letting it attack the parser.

Refused outright: documents that declare entities (the "billion laughs" and its quadratic
cousin need declared entities; external entities read local files or make requests), and
documents over `MAX_XML_BYTES`. The parser itself never expands entities, loads a DTD, touches
the network, or lifts libxml2's size limits, so even a document that slipped past the checks
stays harmless.
"""

from __future__ import annotations

from urllib.parse import urljoin

from lxml import etree

MAX_XML_BYTES = 50 * 1024 * 1024  # the sitemap protocol's own limit, uncompressed


class UnsafeXML(ValueError):
    """XML refused: `kind` is `xml_entities` (declares entities), `too_large` or `bad_xml`."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind


def safe_parser(*, recover: bool = True) -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False,
                           dtd_validation=False, huge_tree=False, recover=recover,
                           remove_comments=True, remove_pis=True)


def parse_xml(body: bytes) -> etree._Element:
    """The root element of a document from the network, or UnsafeXML."""
    if len(body) > MAX_XML_BYTES:
        raise UnsafeXML("too_large", f"XML document over {MAX_XML_BYTES} bytes")
    try:
        root = etree.fromstring(body, parser=safe_parser())
    except etree.XMLSyntaxError as error:
        raise UnsafeXML("bad_xml", f"not XML: {error}") from error
    if root is None:
        raise UnsafeXML("bad_xml", "not XML: no root element")
    check_no_entities(root)
    return root


def check_no_entities(root: etree._Element) -> None:
    """Refuse a document whose DTD declares entities: no sitemap or feed needs one."""
    dtd = root.getroottree().docinfo.internalDTD
    declared = [entity.name for entity in dtd.iterentities()] if dtd is not None else []
    if declared or any(isinstance(node, etree._Entity) for node in root.iter(etree.Entity)):
        names = ", ".join(declared[:5]) or "undeclared references"
        raise UnsafeXML("xml_entities", f"XML declares entities ({names}): refused")


def _local(tag: object) -> str:
    return etree.QName(tag).localname.lower() if isinstance(tag, str) else ""


def sitemap_links(root: etree._Element, base_url: str) -> tuple[bool, list[str]]:
    """(is it a sitemap index, the <loc> URLs) of a parsed sitemap."""
    is_index = _local(root.tag) == "sitemapindex"
    links = [urljoin(base_url, node.text.strip()) for node in root.iter()
             if _local(node.tag) == "loc" and node.text and node.text.strip()]
    return is_index, links


def feed_links(root: etree._Element, base_url: str) -> list[str]:
    """Item links of an RSS or Atom feed."""
    links: list[str] = []
    for node in root.iter():
        name = _local(node.tag)
        if name == "link" and node.text and node.text.strip() and _local(
                node.getparent().tag) == "item":
            links.append(urljoin(base_url, node.text.strip()))
        elif name == "link" and node.get("href") and _local(node.getparent().tag) == "entry":
            links.append(urljoin(base_url, node.get("href")))
    return links
