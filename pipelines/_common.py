"""What the pipelines share: stats keys and the dedupe key of an item."""

from __future__ import annotations

from itemadapter import ItemAdapter

from newscrawl.model.urls import canonicalize_url

DROPPED = "newscrawl/dropped"


def canonical_key(adapter: ItemAdapter) -> str:
    """The URL that identifies an article: its canonical URL, else its fetched URL, cleaned."""
    return canonicalize_url(adapter.get("canonical_url") or adapter["url"])
