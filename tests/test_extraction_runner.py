"""Extraction from a crawl: worker processes, their settings and their time limit."""

from __future__ import annotations

import asyncio
import sys
import time
from datetime import UTC, datetime

import pytest
from scrapy.settings import Settings

from newscrawl.crawl.extractor import DEFAULT_TIMEOUT, ExtractionRunner
from newscrawl.extraction import ExtractionError
from newscrawl.workers import stop_fork_server

FETCHED_AT = datetime(2024, 5, 20, 12, tzinfo=UTC)
HTML = b"<html><body><article><h1>Title</h1><p>" + b"Words of the story. " * 40 + b"</p>"


@pytest.fixture
def runners():
    made: list[ExtractionRunner] = []
    yield made
    for runner in made:
        runner.close()
    stop_fork_server()


def test_settings_give_the_workers_and_the_time_limit(runners) -> None:
    runners.append(ExtractionRunner.from_settings(
        Settings({"NEWSCRAWL_EXTRACT_WORKERS": 1, "NEWSCRAWL_EXTRACT_TIMEOUT": 5})))
    runners.append(ExtractionRunner.from_settings(
        Settings({"NEWSCRAWL_EXTRACT_WORKERS": 0, "NEWSCRAWL_EXTRACT_TIMEOUT": 0})))
    runners.append(ExtractionRunner.from_settings(Settings({"NEWSCRAWL_EXTRACT_WORKERS": 0})))
    assert [(r.workers, r.timeout) for r in runners] == [(1, 5.0), (0, None),
                                                          (0, DEFAULT_TIMEOUT)]


def test_a_page_past_the_time_limit_is_an_extraction_error_and_the_next_page_is_read(
        runners) -> None:
    runner = ExtractionRunner(1, timeout=0.5)
    runners.append(runner)

    async def main() -> str | None:
        with pytest.raises(ExtractionError, match="took too long"):
            await runner._run(time.sleep, 10)
        article = await runner.article(HTML, "https://example.com/a/story", "2026-01-01T00:00:00Z",
                                       use_profiles=False)
        return article.headline

    assert asyncio.run(main()) == "Title"


LISTING = ("<html><head><title>World</title></head><body><main>" + "".join(
    f'<article><h2><a href="/world/2024/05/story-number-{n}-of-the-day">Story number {n} '
    f'of the day in the world</a></h2></article>' for n in range(12)) + "</main></body></html>")


@pytest.mark.parametrize("workers", [0, 1])
def test_the_generic_story_judgement_comes_with_the_article(runners, workers) -> None:
    runner = ExtractionRunner(workers)
    runners.append(runner)

    async def judge(body: bytes, url: str) -> tuple[str | None, bool]:
        article, story = await runner.generic_story(body, url, FETCHED_AT, "utf-8")
        return article.headline, story

    story = asyncio.run(judge(HTML, "https://blog.example.org/2024/05/title/"))
    listing = asyncio.run(judge(LISTING.encode(), "https://news.example.org/world/"))
    assert story == ("Title", True)
    assert listing[1] is False


def _language_model_loaded() -> bool:
    return "py3langid" in sys.modules


DECLARED = b"<html lang='en'><body><article><h1>Title</h1><p>" + b"Words of the story. " * 40


@pytest.mark.parametrize(("workers", "preloaded"), [(1, False), (2, True)])
def test_the_fork_server_loads_the_language_model_only_for_several_workers(
        runners, workers, preloaded) -> None:
    runner = ExtractionRunner(workers)
    runners.append(runner)

    async def main() -> tuple[str | None, bool]:
        article = await runner.article(DECLARED, "https://example.com/a/story", FETCHED_AT,
                                       use_profiles=False)
        return article.language, await runner._run(_language_model_loaded)

    # A page that declares its language never needs the model; with several workers they
    # all start with it, loaded once in the fork server.
    assert asyncio.run(main()) == ("en", preloaded)
