"""JSON-LD as browsers tolerate it: comments, CDATA, trailing commas, lists and @graph."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from typing import Any

_WRAPPERS = re.compile(r"^\s*(?:<!--|<!\[CDATA\[|//\s*<!\[CDATA\[)|(?:-->|\]\]>|//\s*\]\]>)\s*$")
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

ARTICLE_TYPES = frozenset({
    "newsarticle", "article", "reportagenewsarticle", "analysisnewsarticle", "blogposting",
    "opinionnewsarticle", "reviewnewsarticle", "backgroundnewsarticle", "liveblogposting",
    "socialmediaposting", "report", "scholarlyarticle", "techarticle", "askpublicnewsarticle",
})


def parse_jsonld(text: str) -> Any:
    """Parse one script's JSON-LD; None when even the tolerant reading fails."""
    cleaned = _without_wrappers(text.strip())
    if _CONTROL.search(cleaned):
        cleaned = _CONTROL.sub(" ", cleaned)
    for attempt in (cleaned, _TRAILING_COMMA.sub(r"\1", cleaned)):
        try:
            return json.loads(attempt, strict=False)
        except ValueError:
            continue
        except RecursionError:  # nested deeper than any real page: not worth reading
            return None
    return _parse_concatenated(cleaned)


def _without_wrappers(text: str) -> str:
    # The pattern's end-anchored branch is tried at every position of the text: only run it
    # when the text can have a wrapper at all.
    if text.startswith(("<!--", "<![CDATA[", "//")) or text.endswith(("-->", "]]>")):
        return _WRAPPERS.sub("", text)
    return text


def _parse_concatenated(text: str) -> list[Any] | None:
    """Some pages put several JSON objects in one script, one after another."""
    decoder = json.JSONDecoder(strict=False)
    values, index = [], 0
    while index < len(text):
        while index < len(text) and text[index] in " \t\r\n;,":
            index += 1
        if index >= len(text):
            break
        try:
            value, index = decoder.raw_decode(text, index)
        except (ValueError, RecursionError):
            return values or None
        values.append(value)
    return values or None


def flatten(value: Any) -> Iterator[dict[str, Any]]:
    """Every node of a JSON-LD document: lists and @graph unrolled, in document order.
    Iterative, so that no nesting depth can exhaust the interpreter's stack."""
    stack = [value]
    while stack:
        current = stack.pop()
        if isinstance(current, list):
            stack.extend(reversed(current))
        elif isinstance(current, dict):
            yield current
            graph = current.get("@graph")
            if graph is not None:
                stack.append(graph)


def types_of(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).rsplit("/", 1)[-1].casefold() for k in kinds if k}


def is_article(node: dict[str, Any]) -> bool:
    return bool(types_of(node) & ARTICLE_TYPES)


def as_list(value: Any) -> list[Any]:
    if value is None:
        return []
    return value if isinstance(value, list) else [value]


def names(value: Any) -> list[str]:
    """Names from a JSON-LD person/organisation value: strings, objects or lists of them."""
    found = []
    for entry in as_list(value):
        if isinstance(entry, str):
            found.append(entry)
        elif isinstance(entry, dict):
            name = entry.get("name")
            if isinstance(name, list):
                name = name[0] if name else None
            if isinstance(name, str):
                found.append(name)
    return found


def first_string(values: Iterable[Any]) -> str | None:
    for value in values:
        if isinstance(value, dict):
            value = value.get("@value") or value.get("name") or value.get("url")
        if isinstance(value, list):
            value = next((v for v in value if isinstance(v, str)), None)
        if isinstance(value, str | int | float) and str(value).strip():
            return str(value).strip()
    return None
