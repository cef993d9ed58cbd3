"""ValidationPipeline: the JSON Schema plus the rules a usable article must meet."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newscrawl.extraction.text import count_words
from newscrawl.model.schema import schema_errors
from newscrawl.pipelines._common import DROPPED

DEFAULT_MIN_BODY_WORDS = 50


def parse_iso(value: str) -> datetime | date | None:
    """A date or date-time in the schema's ISO form, or None when it names no real day."""
    try:
        return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
    except ValueError:
        return None


# Characters per word that a body's start is given to prove it long enough; most words
# with their space take 5 to 8.
_PREFIX_CHARS_PER_WORD = 16


def short_body_words(body: str | None, minimum: int) -> int | None:
    """The body's word count (count_words) when it is below `minimum`, else None.

    A start of the text never has more words than the whole (a word cut at the end is
    still one word, a CJK character one), so a start with enough words settles it without
    counting the other 90 % of a typical body.
    """
    if body and count_words(body[:_PREFIX_CHARS_PER_WORD * minimum]) >= minimum:
        return None
    words = count_words(body)
    return words if words < minimum else None


def problems_of(item: dict[str, Any], *, min_body_words: int,
                require_date: bool) -> list[tuple[str, str]]:
    """(reason, detail) for every rule the item breaks; reasons are short stats keys."""
    found = [("schema", error) for error in schema_errors(item)]
    if not item.get("headline"):
        found.append(("no_headline", "headline: missing"))
    words = short_body_words(item.get("body"), min_body_words)
    if words is not None:
        found.append(("short_body", f"body: {words} words, at least {min_body_words} needed"))
    if require_date:
        found.extend(_date_problems(item))
    return found


def _date_problems(item: dict[str, Any]) -> list[tuple[str, str]]:
    stated = [(name, item.get(name)) for name in ("published", "modified") if item.get(name)]
    if not stated:
        return [("no_date", "published: missing (and no modified date)")]
    if not any(isinstance(v, str) and parse_iso(v) for _, v in stated):
        name, value = stated[0]
        return [("bad_date", f"{name}: {value!r} is not a real date")]
    return []


class ValidationPipeline:
    """Drops invalid items, or keeps them with `problems` listed when configured to.

    Settings: NEWSCRAWL_VALIDATION_MIN_BODY_WORDS (50), NEWSCRAWL_VALIDATION_REQUIRE_DATE
    (True), NEWSCRAWL_VALIDATION_KEEP_INVALID (False).
    Stats: `newscrawl/dropped/<reason>` (first reason of a dropped item),
    `newscrawl/validation/<reason>` (every problem seen), `newscrawl/validation/valid`,
    `newscrawl/validation/kept_invalid`.
    """

    def __init__(self, crawler: Any, *, min_body_words: int, require_date: bool,
                 keep_invalid: bool) -> None:
        self.crawler = crawler
        self.min_body_words = min_body_words
        self.require_date = require_date
        self.keep_invalid = keep_invalid

    @classmethod
    def from_crawler(cls, crawler: Any) -> ValidationPipeline:
        settings = crawler.settings
        return cls(
            crawler,
            min_body_words=settings.getint("NEWSCRAWL_VALIDATION_MIN_BODY_WORDS",
                                           DEFAULT_MIN_BODY_WORDS),
            require_date=settings.getbool("NEWSCRAWL_VALIDATION_REQUIRE_DATE", True),
            keep_invalid=settings.getbool("NEWSCRAWL_VALIDATION_KEEP_INVALID", False),
        )

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        data = adapter.asdict()
        data.pop("problems", None)  # our own output is not part of what is checked
        found = problems_of(data, min_body_words=self.min_body_words,
                            require_date=self.require_date)
        stats = self.crawler.stats
        for reason in dict.fromkeys(reason for reason, _ in found):
            stats.inc_value(f"newscrawl/validation/{reason}")
        if not found:
            stats.inc_value("newscrawl/validation/valid")
            return item
        if self.keep_invalid and self._note_problems(adapter, found):
            stats.inc_value("newscrawl/validation/kept_invalid")
            return item
        reason = found[0][0]
        stats.inc_value(f"{DROPPED}/{reason}")
        raise DropItem(f"invalid article {adapter.get('url')}: "
                       + "; ".join(detail for _, detail in found))

    @staticmethod
    def _note_problems(adapter: ItemAdapter, found: list[tuple[str, str]]) -> bool:
        """Write the problems into the item; False for item types without that field."""
        try:
            adapter["problems"] = [detail for _, detail in found]
        except KeyError:
            return False
        return True
