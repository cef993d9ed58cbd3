"""An exception in one field's code leaves that field empty and keeps the rest of the item."""

from __future__ import annotations

import logging
from datetime import UTC, datetime

import pytest
from scrapy.utils.test import get_crawler

from newscrawl.api import extract
from newscrawl.crawl.extensions.report import RunSummary
from newscrawl.extraction.generic import GenericArticle
from newscrawl.extraction.profile import SelectorArticle
from newscrawl.fixtures import iter_fixtures

FIXTURE = next(f for f in iter_fixtures(["sputnik"]) if f.name == "2024-05-17-putins-trip")
FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


def broken(*args: object) -> list[str]:
    raise RuntimeError("markup surprise")


# body_html places the article's figures among its blocks: without images it has none.
DERIVED = {"images": {"body_html"}}


def extract_fixture(use_profiles: bool = True):
    return extract(FIXTURE.html(), FIXTURE.url, FETCHED, use_profiles=use_profiles)


@pytest.mark.parametrize(("field", "empty"), [("tags", []), ("headline", None),
                                              ("images", []), ("published", None)])
def test_a_failing_field_is_left_empty_and_the_rest_is_kept(monkeypatch, field, empty) -> None:
    whole = extract_fixture().to_dict()
    assert whole[field] not in (None, [])
    monkeypatch.setattr(SelectorArticle, field, broken)
    article = extract_fixture()
    got = article.to_dict()
    assert got[field] == empty
    left_out = {field, *DERIVED.get(field, ())}
    assert {k: v for k, v in got.items() if k not in left_out} == {
        k: v for k, v in whole.items() if k not in left_out}
    assert article.field_errors == {field: "RuntimeError: markup surprise"}
    assert "field_errors" not in got  # not part of the item's JSON form


def test_a_failing_body_keeps_headline_and_dates(monkeypatch) -> None:
    monkeypatch.setattr(GenericArticle, "body_blocks", broken)
    article = extract_fixture(use_profiles=False)
    assert article.lead and article.body == article.lead  # the shown lead opens the body
    assert article.headline and article.published and article.images
    assert article.field_errors == {"body": "RuntimeError: markup surprise"}


def test_a_clean_extraction_has_no_field_errors() -> None:
    assert extract_fixture().field_errors == {}


def test_the_run_summary_logs_once_and_counts_each_failed_field(monkeypatch, caplog) -> None:
    monkeypatch.setattr(SelectorArticle, "tags", broken)
    article = extract_fixture()
    crawler = get_crawler(settings_dict={})
    summary = RunSummary.from_crawler(crawler)
    with caplog.at_level(logging.WARNING, logger="newscrawl.crawl.extensions.report"):
        summary.item_scraped(article)
        summary.item_scraped(extract_fixture())
    assert crawler.stats.get_value("newscrawl/field_errors/sputnik/tags") == 2
    failed = [r.getMessage() for r in caplog.records if "left empty" in r.getMessage()]
    assert len(failed) == 2  # once per item
    assert all("sputnik" in m and "tags" in m and FIXTURE.url in m for m in failed)
    assert summary.build("finished")["field_errors"] == {"sputnik/tags": 2}
    summary.item_scraped(monkeypatch.undo() or extract_fixture())
    assert crawler.stats.get_value("newscrawl/field_errors/sputnik/tags") == 2
