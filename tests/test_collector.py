"""The garbage collector's tuning while a spider runs (newscrawl.crawl.extensions.collector)."""

from __future__ import annotations

import gc

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from newscrawl.crawl.extensions.collector import CollectorTuning


def _extension(**settings) -> CollectorTuning:
    return CollectorTuning.from_crawler(get_crawler(settings_dict=settings))


def test_the_start_up_heap_is_frozen_while_spiders_run_and_released_by_the_last() -> None:
    before = gc.get_threshold()
    first, second = _extension(NEWSCRAWL_GC_THRESHOLD=12345), _extension()
    try:
        first.spider_opened()
        assert gc.get_freeze_count() > 0
        assert gc.get_threshold() == (12345, *before[1:])
        second.spider_opened()
        first.spider_closed()
        assert gc.get_freeze_count() > 0  # the other spider still runs
        second.spider_closed()
        assert gc.get_freeze_count() == 0 and gc.get_threshold() == before
        second.spider_closed()  # closing twice changes nothing
        assert gc.get_threshold() == before
    finally:
        gc.unfreeze()
        gc.set_threshold(*before)


def test_the_tuning_can_be_switched_off() -> None:
    with pytest.raises(NotConfigured):
        _extension(NEWSCRAWL_GC_TUNING=False)
