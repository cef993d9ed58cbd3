"""The items newscrawl produces. Field names are a public contract (see docs/schema.md)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any

# The version of the Article's fields (docs/schema.md); an item without `schema_version` was
# written before the field existed, by version 1.0.
SCHEMA_VERSION = "1.1"


@dataclass
class Image:
    url: str
    caption: str | None = None
    credit: str | None = None
    alt: str | None = None


@dataclass
class RelatedLink:
    url: str
    headline: str | None = None
    section: str | None = None


@dataclass
class Dateline:
    raw: str | None = None
    place: str | None = None


@dataclass
class WarcLocation:
    """Where the raw response an item was extracted from is archived (docs/archives.md)."""

    file: str
    record_id: str
    offset: int
    length: int | None = None


@dataclass
class Article:
    url: str
    canonical_url: str | None = None
    site: str | None = None
    extractor: str | None = None
    schema_version: str = SCHEMA_VERSION
    fetched_at: str | None = None
    headline: str | None = None
    lead: str | None = None
    section: str | None = None
    authors: list[str] = field(default_factory=list)
    # The publication's display name, and whether the whole article is free to read (False:
    # behind a paywall, the body may be a teaser; None: the page does not say).
    publisher: str | None = None
    free_access: bool | None = None
    language: str | None = None
    # Where `language` came from: "declared" (the page), "profile" (the site profile's
    # language) or "detected" (from the body text, for pages that declare none).
    language_source: str | None = None
    published: str | None = None
    modified: str | None = None
    dateline: Dateline | None = None
    body: str | None = None
    # The body's blocks as sanitised minimal HTML, figures in place (docs/schema.md).
    body_html: str | None = None
    images: list[Image] = field(default_factory=list)
    related: list[RelatedLink] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    word_count: int = 0
    content_hash: str | None = None
    # Set by the item pipelines only (docs/pipelines.md): the validation problems of an item
    # kept despite them, and the URL of the first copy of a near-duplicate story.
    problems: list[str] | None = None
    duplicate_of: str | None = None
    warc: WarcLocation | None = None

    def to_dict(self) -> dict[str, Any]:
        """The JSON form; the pipeline-only fields appear once a pipeline has set them, and
        `warc` once the page was captured or read from a WARC file."""
        data = asdict(self)
        for name in OMITTED_WHEN_UNSET:
            if data[name] is None:
                del data[name]
        return data


PIPELINE_FIELDS: tuple[str, ...] = ("problems", "duplicate_of")
OMITTED_WHEN_UNSET: tuple[str, ...] = (*PIPELINE_FIELDS, "warc")


@dataclass
class ListingEntry:
    url: str
    headline: str | None = None
    published: str | None = None
    section: str | None = None


@dataclass
class ListingPage:
    """A section, home or archive page: the article links it lists and where the list goes on."""

    url: str
    site: str | None = None
    extractor: str | None = None
    fetched_at: str | None = None
    section: str | None = None
    entries: list[ListingEntry] = field(default_factory=list)
    next_page: str | None = None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


ARTICLE_FIELDS: tuple[str, ...] = tuple(Article.__dataclass_fields__)


def article_from_dict(data: dict[str, Any]) -> Article:
    """Rebuild an Article from its JSON form (unknown keys are an error, missing ones default)."""
    values = dict(data)
    values.setdefault("schema_version", "1.0")
    if values.get("dateline") is not None:
        values["dateline"] = Dateline(**values["dateline"])
    values["images"] = [Image(**image) for image in values.get("images") or []]
    values["related"] = [RelatedLink(**link) for link in values.get("related") or []]
    if values.get("warc") is not None:
        values["warc"] = WarcLocation(**values["warc"])
    return Article(**values)
