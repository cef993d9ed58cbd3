from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl.extraction.text import count_words
from newscrawl.pipelines.validate import short_body_words
from tests.pipeline_support import article, chain

ONLY = {"newscrawl.pipelines.validate.ValidationPipeline": 200}


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


_WORDS = st.sampled_from(["word", "東", "京", "x" * 40, "co-op", "naïve", "3.14", "—", " ",
                          "\n\n", "İstanbul", "", "_"])


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(_WORDS, max_size=400).map(" ".join), st.integers(min_value=0, max_value=120))
def test_the_short_body_check_is_a_full_count(body, minimum) -> None:
    words = count_words(body)
    assert short_body_words(body, minimum) == (words if words < minimum else None)
    # What the check relies on: a start of the text never has more words than the whole.
    assert all(count_words(body[:cut]) <= words for cut in range(0, len(body), 37))


def test_a_long_body_is_not_counted_past_its_start(monkeypatch) -> None:
    import newscrawl.pipelines.validate as validate

    counted: list[int] = []
    monkeypatch.setattr(validate, "count_words", lambda text: counted.append(len(text))
                        or count_words(text))
    assert short_body_words("word " * 5000, 50) is None
    assert counted == [800]
    assert short_body_words("word " * 49, 50) == 49
