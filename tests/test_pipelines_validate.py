from __future__ import annotations

import pytest

from tests.pipeline_support import article, chain

ONLY = {"pipelines.validate.ValidationPipeline": 200}


@pytest.mark.parametrize(("change", "reason"), [
    ({"headline": None}, "no_headline"),
    ({"body": "Too short to be an article.", "word_count": 6}, "short_body"),
    ({"published": None, "modified": None}, "no_date"),
    ({"published": "2026-02-30T10:00:00"}, "bad_date"),
    ({"url": "ftp://files.example/x"}, "schema"),
    ({"fetched_at": "yesterday"}, "schema"),
])
def test_invalid_items_are_dropped_with_their_reason(tmp_path, change, reason) -> None:
    with chain(tmp_path, ONLY) as pipes:
        assert pipes.process(article(1, **change)) is None
        assert pipes.stats[f"newscrawl/dropped/{reason}"] == 1
        assert pipes.stats[f"newscrawl/validation/{reason}"] == 1
    assert "invalid article" in pipes.dropped[0]


def test_valid_item_passes(tmp_path) -> None:
    with chain(tmp_path, ONLY) as pipes:
        item = pipes.process(article(1))
        assert item is not None and item.problems is None
        assert pipes.stats["newscrawl/validation/valid"] == 1


def test_modified_date_is_enough(tmp_path) -> None:
    with chain(tmp_path, ONLY) as pipes:
        assert pipes.process(article(1, published=None, modified="2026-01-01")) is not None


def test_minimum_length_and_date_rule_are_settings(tmp_path) -> None:
    short = article(1, body="Short but fine here.", word_count=4, published=None)
    with chain(tmp_path, ONLY, NEWSCRAWL_VALIDATION_MIN_BODY_WORDS=3,
               NEWSCRAWL_VALIDATION_REQUIRE_DATE=False) as pipes:
        assert pipes.process(short) is not None


def test_keep_invalid_lists_every_problem(tmp_path) -> None:
    with chain(tmp_path, ONLY, NEWSCRAWL_VALIDATION_KEEP_INVALID=True) as pipes:
        item = pipes.process(article(1, headline=None, published=None, body="Tiny.",
                                     word_count=1))
        stats = pipes.stats
    assert item is not None
    assert [p.split(":")[0] for p in item.problems] == ["headline", "body", "published"]
    assert "newscrawl/dropped/no_headline" not in stats
    assert stats["newscrawl/validation/kept_invalid"] == 1
    assert item.to_dict()["problems"] == item.problems  # serialised once set
