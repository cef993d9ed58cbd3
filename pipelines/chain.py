"""Run the pipelines over items outside Scrapy's engine: re-processing, benchmarks, tests.

The pipelines themselves are unchanged: they get a Scrapy crawler built from the settings
(with the crawl state's extension, and by default the crawl settings' ITEM_PIPELINES), and
the chain calls open_spider, process_item and close_spider as the engine would, then closes
the shared crawl state as spider_closed would.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any

from scrapy.exceptions import DropItem
from scrapy.utils.misc import load_object
from scrapy.utils.test import get_crawler

from newscrawl.crawl import settings as crawl_settings
from newscrawl.crawl.state import EXTENSION, CrawlStateExtension


class PipelineChain:
    def __init__(self, settings: dict[str, Any] | None = None,
                 pipelines: dict[str, int] | None = None) -> None:
        order = pipelines if pipelines is not None else crawl_settings.ITEM_PIPELINES
        settings = settings or {}
        extensions = {EXTENSION: 0, **settings.get("EXTENSIONS", {})}
        self.crawler = get_crawler(settings_dict={"ITEM_PIPELINES": order, **settings,
                                                  "EXTENSIONS": extensions})
        self.pipelines = [load_object(path).from_crawler(self.crawler)
                          for path, _ in sorted(order.items(), key=lambda kv: kv[1])]
        self.dropped: list[str] = []
        self._closed = False
        for pipeline in self.pipelines:
            if hasattr(pipeline, "open_spider"):
                pipeline.open_spider()

    def process(self, item: Any) -> Any | None:
        """The item after every pipeline, or None when one dropped it."""
        for pipeline in self.pipelines:
            try:
                item = pipeline.process_item(item)
            except DropItem as drop:
                self.dropped.append(str(drop))
                return None
        return item

    def run(self, items: Iterable[Any]) -> Iterator[Any]:
        for item in items:
            result = self.process(item)
            if result is not None:
                yield result

    def close(self) -> None:
        if self._closed:
            return
        self._closed = True
        try:
            for pipeline in reversed(self.pipelines):  # Scrapy closes in reverse order too
                if hasattr(pipeline, "close_spider"):
                    pipeline.close_spider()
        finally:
            # What the engine's spider_closed signal does for the shared state (sending the
            # signal itself would also run Scrapy's own extensions, which never started).
            extension = self.crawler.get_extension(CrawlStateExtension)
            if extension is not None:
                extension.close()

    @property
    def stats(self) -> dict[str, Any]:
        return self.crawler.stats.get_stats()

    def __enter__(self) -> PipelineChain:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
