"""Bytes to text: the declared charset when it is right, detection when it is missing or wrong."""

from __future__ import annotations

import codecs

from charset_normalizer import from_bytes
from w3lib.encoding import html_body_declared_encoding, read_bom, resolve_encoding

from newscrawl.extraction.errors import ExtractionError

BINARY_SIGNATURES = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x1f\x8b",
                     b"RIFF", b"\x00\x00\x01\x00", b"OggS", b"fLaC", b"ID3", b"\x7fELF")
SNIFF_BYTES = 4096
# Control bytes that text never holds (tab, line feed, form feed and carriage return are text).
_CONTROL_BYTES = bytes(byte for byte in range(32) if byte < 9 or byte > 13)


def looks_binary(data: bytes) -> bool:
    """Bytes no HTML page starts with: a known binary signature, or many control bytes (UTF-16
    text, which has NULs, is left to the decoder)."""
    head = data[:SNIFF_BYTES]
    if head.startswith(BINARY_SIGNATURES):
        return True
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    # Counted by deleting them, in C, rather than one Python step per byte.
    controls = len(head) - len(head.translate(None, _CONTROL_BYTES))
    return controls > len(head) * 0.1


def _strict(data: bytes, encoding: str | None) -> str | None:
    if not encoding:
        return None
    name = resolve_encoding(encoding)
    if name is None:
        return None
    try:
        return data.decode(name)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_html(data: bytes, declared_encoding: str | None = None) -> str:
    """Decode a page: a BOM first; then UTF-8 when the bytes are valid UTF-8 (single-byte
    declarations are often wrong, and other text is almost never valid UTF-8 by chance); then the
    HTTP-declared and in-page charsets if the bytes decode with them; then detection."""
    return decode_document(data, declared_encoding)[0]


def decode_document(data: bytes, declared_encoding: str | None = None) -> tuple[str, bytes | None]:
    """The page's text (as `decode_html`), and its UTF-8 bytes without a BOM when the page is
    UTF-8: the parser reads those as they are, rather than the text encoded again."""
    if not data.strip():
        raise ExtractionError("empty document: the page has no content")
    if looks_binary(data):
        raise ExtractionError("not an HTML page: the content is binary")
    bom_encoding, bom = read_bom(data)
    if bom_encoding:
        text = _strict(data[len(bom):], bom_encoding)
        if text is not None:
            return text, data[len(bom):] if resolve_encoding(bom_encoding) == "utf-8" else None
    text = _strict(data, "utf-8")
    if text is not None:
        return text, data
    in_page = html_body_declared_encoding(data[:SNIFF_BYTES * 4])
    for candidate in (declared_encoding, in_page):
        text = _strict(data, candidate)
        if text is not None:
            return text, None
    best = from_bytes(data[: 1 << 20]).best()
    if best is not None and best.encoding:
        text = _strict(data, best.encoding)
        if text is not None:
            return text, None
    raise ExtractionError("cannot decode the page: no charset fits its bytes")
