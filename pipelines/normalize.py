"""NormalizationPipeline: one spelling for URLs, whitespace and Unicode, no repeated names."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from itemadapter import ItemAdapter

from newscrawl.extraction.article import content_hash
from newscrawl.extraction.text import (
    clean_block_text,
    count_words,
    normalize_space,
    strip_invisible,
    unique,
)
from newscrawl.model.urls import canonicalize_url

# Single-line text fields of the item and of its nested objects. The lead, like the body,
# may hold several standfirst parts on separate lines, so it keeps its line breaks.
TEXT_FIELDS = ("headline", "section")
NESTED_TEXT_FIELDS = {"dateline": ("raw", "place"), "images": ("caption", "credit", "alt"),
                      "related": ("headline", "section")}
_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")
# What clean_body would change: other whitespace, double spaces, spaces at line breaks, and
# more than one blank line. The character class is a regex; the sequences are substring
# tests, which scan a body several times faster than alternatives in one regex do.
_ODD_SPACE = re.compile(r"[^\S \n]")
_UNCLEAN_SEQUENCES = ("  ", " \n", "\n ", "\n\n\n")


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def clean_line(value: str | None) -> str | None:
    """NFC, whitespace collapsed; empty becomes None (the schema forbids empty strings)."""
    if value is None:
        return None
    return normalize_space(value) or None  # normalize_space composes (NFC) too


def already_clean(body: str) -> bool:
    """True when `clean_body` would return `body` unchanged.

    Extracted bodies usually are clean already, and this is one scan instead of a split and
    three substitutions per paragraph. It holds exactly when the text is NFC, has no
    invisible characters, no whitespace but single spaces and line breaks, no space beside a
    line break, no three line breaks in a row, and nothing to strip at either end.
    """
    return (bool(body) and body == body.strip() and _ODD_SPACE.search(body) is None
            and not any(sequence in body for sequence in _UNCLEAN_SEQUENCES)
            and strip_invisible(body) == body)  # strip_invisible composes (NFC) too


def clean_body(body: str | None) -> str | None:
    """Paragraphs separated by exactly one blank line, each paragraph's spaces collapsed."""
    if body is None:
        return None
    if already_clean(body):
        return body
    paragraphs = (clean_block_text(p) for p in _PARAGRAPH_BREAK.split(body))
    return "\n\n".join(p for p in paragraphs if p) or None


def clean_names(values: list[str] | None) -> list[str]:
    """Cleaned names, first spelling kept, repeats (case-insensitive) dropped."""
    return unique([name for name in map(clean_line, values or []) if name])


def _clean_nested(value: Any, fields: tuple[str, ...]) -> Any:
    if value is None:
        return None
    inner = ItemAdapter(value) if ItemAdapter.is_item(value) else None
    if inner is None:
        return value
    for name in fields:
        if name in inner:
            inner[name] = clean_line(inner.get(name))
    return value


class NormalizationPipeline:
    """Cleans every item in place; changes only spelling, never meaning.

    Stats: `newscrawl/normalized/canonical_url_changed`, `.../body_changed`,
    `.../names_deduplicated` (authors or tags lost a repeat).
    """

    def __init__(self, crawler: Any) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Any) -> NormalizationPipeline:
        return cls(crawler)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        self._urls(adapter)
        for name in TEXT_FIELDS:
            if name in adapter:
                adapter[name] = clean_line(adapter.get(name))
        for name, fields in NESTED_TEXT_FIELDS.items():
            value = adapter.get(name)
            if isinstance(value, list):
                adapter[name] = [_clean_nested(v, fields) for v in value]
            elif value is not None:
                adapter[name] = _clean_nested(value, fields)
        if adapter.get("lead") is not None:
            adapter["lead"] = clean_body(adapter["lead"])
        self._names(adapter)
        self._body(adapter)
        return item

    def _urls(self, adapter: ItemAdapter) -> None:
        canonical = adapter.get("canonical_url")
        if canonical:
            cleaned = canonicalize_url(canonical)
            if cleaned != canonical:
                self._count("canonical_url_changed")
            adapter["canonical_url"] = cleaned

    def _names(self, adapter: ItemAdapter) -> None:
        for name in ("authors", "tags"):
            values = adapter.get(name) or []
            cleaned = clean_names(values)
            if len(cleaned) != len(values):
                self._count("names_deduplicated")
            adapter[name] = cleaned

    def _body(self, adapter: ItemAdapter) -> None:
        body = adapter.get("body")
        cleaned = clean_body(body)
        if cleaned == body:
            return
        self._count("body_changed")
        adapter["body"] = cleaned
        if adapter.get("body_html"):
            # Its text is the body's: the same Unicode form (HTML collapses the spaces itself).
            adapter["body_html"] = nfc(adapter["body_html"])
        # The hash and the count describe the body, so they follow it.
        if "content_hash" in adapter:
            adapter["content_hash"] = content_hash(cleaned)
        if "word_count" in adapter:
            adapter["word_count"] = count_words(cleaned)

    def _count(self, what: str) -> None:
        self.crawler.stats.inc_value(f"newscrawl/normalized/{what}")
