"""LanguageFilterPipeline: keep only the articles written in the languages asked for."""

from __future__ import annotations

from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newscrawl.model.languages import language_codes
from newscrawl.pipelines._common import DROPPED


class LanguageFilterPipeline:
    """Drops an item whose `language` (declared, the profile's, or detected) is not one of
    NEWSCRAWL_LANGUAGES ("en,de" or a list); an item of unknown language is dropped too.
    Unset, every item passes. Stats: `newscrawl/dropped/language`."""

    def __init__(self, crawler: Any, languages: frozenset[str] | None) -> None:
        self.crawler = crawler
        self.languages = languages

    @classmethod
    def from_crawler(cls, crawler: Any) -> LanguageFilterPipeline:
        setting = crawler.settings.get("NEWSCRAWL_LANGUAGES")
        return cls(crawler, language_codes(setting) if setting else None)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        if self.languages is None:
            return item
        language = ItemAdapter(item).get("language")
        if language in self.languages:
            return item
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(f"{DROPPED}/language")
        raise DropItem(f"language {language or 'unknown'} is not one of "
                       f"{', '.join(sorted(self.languages))}")
