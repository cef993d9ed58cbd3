"""newscrawl items as zyte-common-items `Article`s, the schema Scrapy users of Zyte API and
scrapy-poet already read. Needs the `zyte` extra.

The items are built with zyte-common-items' own classes (so its field names and nesting are
the library's, not a copy), and written with its item adapter, which leaves empty fields out.
"""

from __future__ import annotations

from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from newscrawl.dataset import require


def _zyte() -> Any:
    return require("zyte_common_items", "zyte", "the Zyte Article format")


def zyte_date(value: str | None) -> str | None:
    """A date-time in Zyte's form: converted to UTC with a "Z" where the offset is known;
    without one (or for a date alone) as newscrawl has it, since no zone is guessed."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return value
    if "T" not in value or parsed.tzinfo is None:
        return value
    return parsed.astimezone(UTC).isoformat().replace("+00:00", "Z")


def to_zyte_article(item: dict[str, Any]) -> Any:
    """A newscrawl item (its JSON form) as a `zyte_common_items.Article`."""
    zyte = _zyte()
    dateline = item.get("dateline") or {}
    images = [zyte.Image(url=image["url"]) for image in item.get("images") or []]
    return zyte.Article(
        url=item["url"],
        canonicalUrl=item.get("canonical_url"),
        headline=item.get("headline"),
        datePublished=zyte_date(item.get("published")),
        # The date as the page shows it, where newscrawl read one; else the parsed value.
        datePublishedRaw=dateline.get("raw") or item.get("published"),
        dateModified=zyte_date(item.get("modified")),
        dateModifiedRaw=item.get("modified"),
        authors=[zyte.Author(name=name, nameRaw=name) for name in item.get("authors") or []],
        breadcrumbs=([zyte.Breadcrumb(name=item["section"])] if item.get("section") else []),
        inLanguage=item.get("language"),
        mainImage=images[0] if images else None,
        images=images,
        description=item.get("lead"),
        articleBody=item.get("body"),
        articleBodyHtml=item.get("body_html"),
        metadata=zyte.ArticleMetadata(dateDownloaded=zyte_date(item.get("fetched_at"))),
    )


@lru_cache(maxsize=1)
def _adapter() -> type:
    from itemadapter import ItemAdapter

    class ZyteAdapter(ItemAdapter):
        ADAPTER_CLASSES = (_zyte().ZyteItemAdapter, *ItemAdapter.ADAPTER_CLASSES)

    return ZyteAdapter


def zyte_article_dict(item: dict[str, Any]) -> dict[str, Any]:
    """The Zyte Article of an item as JSON-ready data, empty fields left out (as Zyte API
    writes it)."""
    return _adapter()(to_zyte_article(item)).asdict()
