"""A real Scrapy crawl (no network) whose spider yields articles through the crawl settings'
ITEM_PIPELINES.

    python -m tests.scrapy_child DIR COUNT

The spider also uses the shared crawl state, as the crawl spiders do, to skip what an
earlier run already wrote.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

import scrapy
from scrapy.crawler import CrawlerProcess

from newscrawl.crawl import settings as crawl_settings
from newscrawl.crawl.state import EXTENSION, crawl_state
from tests.pipeline_support import article


class ItemsSpider(scrapy.Spider):
    name = "items"
    count = 0

    async def start(self) -> Any:
        state = crawl_state(self.crawler)
        for n in range(self.count):
            item = article(n, seeds=[n * 100 + i for i in range(8)])
            if state.should_fetch(item.url):
                state.mark_fetched(item.url)
                yield item
            else:
                self.crawler.stats.inc_value("test/skipped_seen")
        yield article(10_000, seeds=[1, 2, 3, 4, 5, 6, 7, 8])  # a copy of item 0's story
        # (the first paragraph seeds differ, the rest match: a near-duplicate)


def main() -> None:
    folder, count = Path(sys.argv[1]), int(sys.argv[2])
    process = CrawlerProcess({
        "ITEM_PIPELINES": crawl_settings.ITEM_PIPELINES,
        "EXTENSIONS": {EXTENSION: 0},
        "NEWSCRAWL_DATA_DIR": str(folder / "data"),
        "NEWSCRAWL_STATE_PATH": str(folder / "state.sqlite"),
        "LOG_LEVEL": "WARNING",
    })
    crawler = process.create_crawler(ItemsSpider)
    process.crawl(crawler, count=count)
    process.start()
    stats = crawler.stats.get_stats()
    print({k: v for k, v in stats.items() if k.startswith(("newscrawl/", "test/"))})


if __name__ == "__main__":
    main()
