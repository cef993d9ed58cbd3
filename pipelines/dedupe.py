"""ExactDuplicatePipeline: one copy per canonical URL and per body, within and across runs."""

from __future__ import annotations

import hashlib
from typing import Any

from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newscrawl.crawl.state import crawl_state
from newscrawl.crawl.state.base import StateStore
from newscrawl.pipelines._common import DROPPED, canonical_key


def _fingerprint(text: str) -> bytes:
    # 16 bytes of SHA-256 keep the in-run sets small; collisions are out of reach at crawl sizes.
    return hashlib.sha256(text.encode("utf-8")).digest()[:16]


class ExactDuplicatePipeline:
    """Drops an item whose canonical URL or content hash was already seen.

    Within a run it remembers fingerprints in memory; across runs it asks the crawl state
    what was written (so this needs the JSON Lines writer, which records written items).
    Stats: `newscrawl/dropped/duplicate_url`, `newscrawl/dropped/duplicate_content`,
    `newscrawl/dedupe/unique`.
    """

    def __init__(self, crawler: Any, state: StateStore | None) -> None:
        self.crawler = crawler
        self.state = state
        self._urls: set[bytes] = set()
        self._hashes: set[bytes] = set()

    @classmethod
    def from_crawler(cls, crawler: Any) -> ExactDuplicatePipeline:
        return cls(crawler, crawl_state(crawler))

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        key = canonical_key(adapter)
        digest = adapter.get("content_hash")
        url_print = _fingerprint(key)
        hash_print = _fingerprint(digest) if digest else None
        if url_print in self._urls:
            self._drop("duplicate_url", adapter, f"canonical URL {key} already seen in this run")
        if hash_print in self._hashes:
            self._drop("duplicate_content", adapter, "same body already seen in this run")
        if self.state is not None:
            self._check_state(adapter, key, digest)
        self._urls.add(url_print)
        if hash_print is not None:
            self._hashes.add(hash_print)
        self.crawler.stats.inc_value("newscrawl/dedupe/unique")
        return item

    def _check_state(self, adapter: ItemAdapter, key: str, digest: str | None) -> None:
        assert self.state is not None
        first = self.state.url_for_canonical(key)
        if first is not None:
            self._drop("duplicate_url", adapter, f"canonical URL {key} written before as {first}")
        first = self.state.url_for_hash(digest) if digest else None
        if first is not None:
            self._drop("duplicate_content", adapter, f"same body written before as {first}")

    def _drop(self, reason: str, adapter: ItemAdapter, why: str) -> None:
        self.crawler.stats.inc_value(f"{DROPPED}/{reason}")
        raise DropItem(f"duplicate {adapter.get('url')}: {why}")
