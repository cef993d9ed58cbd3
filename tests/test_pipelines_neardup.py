from __future__ import annotations

import zlib
from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from datasketch import MinHash
from hypothesis import given, settings
from hypothesis import strategies as st

from newscrawl.crawl.state.sqlite import CrawlState
from newscrawl.pipelines.neardup import (
    BandTable,
    NearDupConfig,
    NearDuplicateIndex,
    Signer,
    affine32_permutations,
    shingles,
    tokens,
)
from tests.pipeline_support import article, chain

ORIGINAL = list(range(100, 110))


def test_similarity_estimate_tracks_jaccard() -> None:
    signer = Signer(NearDupConfig())
    a = signer.sign(" ".join(f"w{i}" for i in range(400)))
    b = signer.sign(" ".join(f"w{i}" for i in range(400, 800)))
    assert a is not None and b is not None
    assert float(np.mean(a == signer.sign(" ".join(f"w{i}" for i in range(400))))) == 1.0
    assert float(np.mean(a == b)) < 0.1
    assert signer.sign("too few words") is None


@pytest.mark.parametrize("body", [
    " ".join(f"w{i % 37}" for i in range(300)),       # repeated shingles
    "Ärger über «Zölle» in Köln; 東京の市場は静か. " * 12,  # multi-byte words, CJK
    "one two three four five six seven",              # fewer words than a shingle needs
])
def test_signatures_are_minhash_over_the_crc32_of_each_distinct_shingle(body) -> None:
    # Signatures stored by earlier runs stay comparable: this is what they were made of.
    config = NearDupConfig(min_words=5, shingle_words=8)
    signer = Signer(config)
    reference = MinHash(num_perm=config.num_perm, seed=config.seed, hashfunc=zlib.crc32,
                        scheme="affine32")
    reference.update_batch(shingles(tokens(body), config.shingle_words))
    assert np.array_equal(signer.sign(body), reference.hashvalues.astype(np.uint32))


def _reference(values: list, hashfunc, config: NearDupConfig) -> np.ndarray:
    sketch = MinHash(num_perm=config.num_perm, seed=config.seed, hashfunc=hashfunc,
                     scheme="affine32")
    sketch.update_batch(values)
    return sketch.hashvalues.astype(np.uint32)


@pytest.mark.parametrize(("num_perm", "seed"), [(128, 20240517), (64, 1), (256, 7)])
def test_permutations_are_datasketchs(num_perm, seed) -> None:
    expected = MinHash(num_perm=num_perm, seed=seed, scheme="affine32").permutations
    a, b = affine32_permutations(num_perm, seed)
    assert a.dtype == b.dtype == np.uint32
    assert np.array_equal(a, expected[0]) and np.array_equal(b, expected[1])


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.lists(st.integers(min_value=0, max_value=2**32 - 1), max_size=300))
def test_minhash_is_datasketchs_affine32_sketch(values) -> None:
    config = NearDupConfig()
    expected = _reference(values, lambda value: value, config)
    assert np.array_equal(Signer(config).minhash(values), expected)


@settings(max_examples=100, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(["Köln", "İstanbul", "straße", "東京", "市場", "naïve",
                                 "co-op", "don't", "x", "ﬁnal", "Ωmega", "٣٤"]),
                min_size=5, max_size=60).map(" ".join))
def test_signatures_of_any_text_are_datasketchs(body) -> None:
    config = NearDupConfig(min_words=1, shingle_words=3)
    expected = _reference(shingles(tokens(body), config.shingle_words), zlib.crc32, config)
    assert np.array_equal(Signer(config).sign(body), expected)


@pytest.mark.parametrize("variant", [
    ORIGINAL[:9],                                      # trimmed ending
    ORIGINAL + [999],                                  # an added paragraph
    ORIGINAL[1:2] + ORIGINAL[0:1] + ORIGINAL[2:],      # reordered paragraphs
])
def test_edited_copies_are_marked_with_the_first_url(tmp_path, variant) -> None:
    with chain(tmp_path) as pipes:
        first = pipes.process(article(1, seeds=ORIGINAL))
        copy = pipes.process(article(2, seeds=variant, headline="A different headline"))
        stats = pipes.stats
    assert first.duplicate_of is None
    assert copy is not None and copy.duplicate_of == "https://news.example.com/story/1"
    assert stats["newscrawl/neardup/marked"] == 1


def test_recombined_stories_are_not_duplicates(tmp_path) -> None:
    with chain(tmp_path) as pipes:
        pipes.process(article(1, seeds=list(range(0, 10))))
        pipes.process(article(2, seeds=list(range(10, 20))))
        mixed = pipes.process(article(3, seeds=list(range(0, 5)) + list(range(10, 15))))
    assert mixed.duplicate_of is None


def test_drop_setting_drops_copies(tmp_path) -> None:
    with chain(tmp_path, NEWSCRAWL_NEARDUP_DROP=True) as pipes:
        pipes.process(article(1, seeds=ORIGINAL))
        assert pipes.process(article(2, seeds=ORIGINAL[:9])) is None
        assert pipes.stats["newscrawl/dropped/near_duplicate"] == 1


def test_index_persists_across_runs(tmp_path) -> None:
    with chain(tmp_path) as pipes:
        pipes.process(article(1, seeds=ORIGINAL))
    with chain(tmp_path, NEWSCRAWL_RUN_ID="run2") as pipes:
        copy = pipes.process(article(2, seeds=ORIGINAL + [999]))
        third = pipes.process(article(3, seeds=ORIGINAL + [999, 998]))
        assert pipes.stats["newscrawl/neardup/loaded"] == 1
    assert copy.duplicate_of == third.duplicate_of == "https://news.example.com/story/1"
    with chain(tmp_path, NEWSCRAWL_RUN_ID="run3") as pipes:
        assert pipes.stats["newscrawl/neardup/loaded"] == 3  # copies too, with their root
        fourth = pipes.process(article(4, seeds=ORIGINAL + [999, 998, 997]))
    assert fourth.duplicate_of == "https://news.example.com/story/1"


def test_unwritten_first_copies_are_not_persisted(tmp_path) -> None:
    # Without the writer nothing is recorded as written, so nothing may be remembered.
    only = {"newscrawl.pipelines.neardup.NearDuplicatePipeline": 400}
    with chain(tmp_path, only) as pipes:
        pipes.process(article(1, seeds=ORIGINAL))
    with chain(tmp_path, only) as pipes:
        assert pipes.process(article(2, seeds=ORIGINAL[:9])).duplicate_of is None


def test_changed_settings_forget_old_signatures(tmp_path) -> None:
    with chain(tmp_path) as pipes:
        pipes.process(article(1, seeds=ORIGINAL))
    with chain(tmp_path, NEWSCRAWL_RUN_ID="run2", NEWSCRAWL_NEARDUP_SHINGLE_WORDS=4) as pipes:
        assert pipes.stats["newscrawl/neardup/loaded"] == 0


def test_copies_point_at_the_first_copy_even_through_another_copy(tmp_path) -> None:
    # The third item resembles the second (a copy) more than the first; it still names
    # the first copy of the story.
    with chain(tmp_path) as pipes:
        pipes.process(article(1, seeds=ORIGINAL))
        second = pipes.process(article(2, seeds=ORIGINAL[:8] + [500, 501]))
        third = pipes.process(article(3, seeds=ORIGINAL[:6] + [500, 501, 502, 503]))
    assert second.duplicate_of == third.duplicate_of == "https://news.example.com/story/1"


def test_index_query() -> None:
    config = NearDupConfig()
    signer, index = Signer(config), NearDuplicateIndex(config)
    signature = signer.sign(" ".join(f"w{i}" for i in range(300)))
    assert index.add("https://a.example/1", signature) == 0
    assert index.query(signature) == (0, 1.0)
    assert index.first_copy(index.add("https://a.example/2", signature, 0)) == \
        "https://a.example/1"
    assert index.query(signer.sign(" ".join(f"v{i}" for i in range(300)))) is None


def test_bad_band_settings_are_refused() -> None:
    with pytest.raises(ValueError, match="exceeds"):
        NearDupConfig(num_perm=32, bands=16, rows=4)


def test_band_table_grows_and_keeps_first_values() -> None:
    table = BandTable(capacity=8)
    keys = [k * 2654435761 % 2**32 or 1 for k in range(1, 2000)]
    for value, key in enumerate(keys):
        table.setdefault(key, value)
        table.setdefault(key, -5)  # first value wins
    assert len(table) == len(set(keys))
    assert all(table.get(key) == keys.index(key) for key in keys[:200])
    assert table.get(123456789) is None or 123456789 in keys


def test_old_signatures_are_not_loaded(tmp_path) -> None:
    with chain(tmp_path) as pipes:
        pipes.process(article(1, seeds=ORIGINAL))
    with CrawlState(tmp_path / "state.sqlite") as state:
        [(url, signature, _)] = list(state.signatures())
        state.add_signatures([(url, signature, None)],
                             when=datetime.now(UTC) - timedelta(days=40))
    with chain(tmp_path, NEWSCRAWL_RUN_ID="run2") as pipes:
        assert pipes.stats["newscrawl/neardup/loaded"] == 0
    with chain(tmp_path, NEWSCRAWL_RUN_ID="run3", NEWSCRAWL_NEARDUP_HISTORY_DAYS=0) as pipes:
        assert pipes.stats["newscrawl/neardup/loaded"] == 1
