"""Headlines: the site's name taken off title tags, and several sources reconciled."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable, Sequence

from newscrawl.extraction.text import normalize_space

# Separators between a headline and the site or section name in <title> and og:title.
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", "：", " : ", " « ", " » ")
_KEY = re.compile(r"\W+")


def _key(text: str) -> str:
    return _KEY.sub("", text.casefold())


def clean_title(value: str | None) -> str:
    """Whitespace normalised, HTML entities left in by a CMS decoded."""
    text = normalize_space(value)
    return normalize_space(html.unescape(text)) if "&" in text else text


def strip_site_name(title: str, names: Iterable[str]) -> str:
    """Drop a leading or trailing "| Site name" (or section name) from a title."""
    keys = [k for k in (_key(n) for n in names if n) if len(k) >= 2]
    if not keys:
        return title
    for separator in _SEPARATORS:
        if separator not in title:
            continue
        head, _, tail = title.rpartition(separator)
        if head.strip() and _names_one_of(tail, keys):
            return head.strip()
        first, _, rest = title.partition(separator)
        if rest.strip() and _names_one_of(first, keys):
            return rest.strip()
    return title


def _names_one_of(text: str, keys: Sequence[str]) -> bool:
    key = _key(text)
    return bool(key) and any(key == k or (len(key) >= 4 and (key in k or k in key))
                             for k in keys)


def reconcile(candidates: Sequence[str | None]) -> str | None:
    """The headline: the text two sources agree on, else the first source that has one.
    Sources agreeing are independent evidence (a visible h1 and og:title agreeing beat an
    older JSON-LD headline); the order of `candidates` is the order of trust otherwise."""
    present = [c for c in candidates if c]
    counts: dict[str, int] = {}
    for candidate in present:
        counts[candidate] = counts.get(candidate, 0) + 1
    for candidate in present:
        if counts[candidate] >= 2:
            return candidate
    return present[0] if present else None
