from __future__ import annotations

from tests.pipeline_support import article, chain


def test_same_canonical_url_is_written_once_in_a_run(tmp_path) -> None:
    first = article(1)
    tracked = article(2, canonical_url="https://NEWS.example.com:443/story/1?utm_source=x#top")
    with chain(tmp_path) as pipes:
        assert pipes.process(first) is not None
        assert pipes.process(tracked) is None
        assert pipes.stats["newscrawl/dropped/duplicate_url"] == 1


def test_fetched_url_stands_in_for_a_missing_canonical(tmp_path) -> None:
    with chain(tmp_path) as pipes:
        assert pipes.process(article(1, canonical_url=None)) is not None
        again = article(2, canonical_url=None, url="https://news.example.com/story/1?fbclid=z")
        assert pipes.process(again) is None


def test_same_body_elsewhere_is_written_once(tmp_path) -> None:
    with chain(tmp_path) as pipes:
        assert pipes.process(article(1, seeds=[1, 2, 3])) is not None
        copy = article(2, seeds=[1, 2, 3], headline="Another headline")
        assert pipes.process(copy) is None
        assert pipes.stats["newscrawl/dropped/duplicate_content"] == 1
        assert pipes.process(article(3, seeds=[4, 5, 6])) is not None


def test_duplicates_across_runs_through_the_state(tmp_path) -> None:
    with chain(tmp_path) as pipes:
        assert pipes.process(article(1, seeds=[1, 2, 3])) is not None
    with chain(tmp_path, NEWSCRAWL_RUN_ID="run2") as pipes:
        assert pipes.process(article(1, seeds=[7, 8, 9])) is None  # same URL
        assert pipes.process(article(5, seeds=[1, 2, 3])) is None  # same body
        assert pipes.process(article(6, seeds=[4, 5, 6])) is not None
        assert "already" not in " ".join(pipes.dropped)
        assert "written before as https://news.example.com/story/1" in pipes.dropped[0]


def test_dropped_items_do_not_count_as_seen(tmp_path) -> None:
    # An item that failed validation was never written: its URL stays free for a good copy.
    with chain(tmp_path) as pipes:
        assert pipes.process(article(1, headline=None)) is None
        assert pipes.process(article(1)) is not None


def test_without_state_only_the_run_is_deduplicated(tmp_path) -> None:
    with chain(tmp_path, NEWSCRAWL_STATE_ENABLED=False) as pipes:
        assert pipes.process(article(1)) is not None
        assert pipes.process(article(1)) is None
    with chain(tmp_path, NEWSCRAWL_STATE_ENABLED=False, NEWSCRAWL_RUN_ID="run2") as pipes:
        assert pipes.process(article(1)) is not None
    assert not (tmp_path / "state.sqlite").exists()
