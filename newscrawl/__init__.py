"""newscrawl: a news crawler and structured-extraction pipeline.

    from newscrawl import extract
    article = extract(html, url, fetched_at)

The names below are loaded on first use, so that importing one room of the package (reading
a dataset, say) does not import the extraction core and every site profile.
"""

from __future__ import annotations

from typing import Any

from newscrawl.version import __version__

_PUBLIC = {"extract": "newscrawl.api", "extract_listing": "newscrawl.api",
           "ExtractionError": "newscrawl.api", "Article": "newscrawl.model.items",
           "ListingEntry": "newscrawl.model.items", "ListingPage": "newscrawl.model.items"}

__all__ = ["Article", "ExtractionError", "ListingEntry", "ListingPage", "__version__", "extract",
           "extract_listing"]


def __getattr__(name: str) -> Any:
    if name not in _PUBLIC:
        raise AttributeError(f"module 'newscrawl' has no attribute {name!r}")
    import importlib

    return getattr(importlib.import_module(_PUBLIC[name]), name)
