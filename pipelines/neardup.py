"""NearDuplicatePipeline: mark syndicated or lightly edited copies of a story already seen.

Each body becomes a MinHash signature (datasketch 2's affine32 scheme, computed here with
numpy) over its word 5-grams; locality-sensitive banding finds candidate earlier stories,
and the estimated Jaccard similarity of the full signatures decides. `duplicate_of` always
names the first copy of a story. The index of written items is kept in the crawl state
between runs.
"""

from __future__ import annotations

import logging
import re
import zlib
from array import array
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from itertools import accumulate
from typing import Any

import numpy as np
from itemadapter import ItemAdapter
from scrapy.exceptions import DropItem

from newscrawl.crawl.state import crawl_state
from newscrawl.crawl.state.base import StateStore
from newscrawl.extraction.text import CJK_CHARACTERS
from newscrawl.pipelines._common import DROPPED

logger = logging.getLogger(__name__)

# CJK characters are words of their own; other scripts split on \w runs.
_TOKEN = re.compile(f"[{CJK_CHARACTERS}]|[^\\W{CJK_CHARACTERS}]+")
_PERSIST_EVERY = 256
_MAX_PENDING = 4096


@dataclass(frozen=True)
class NearDupConfig:
    # Estimated Jaccard similarity of the shingle sets. On benchmarks/dedupe.py, copies
    # of one story are >= 0.63 for 98% of pairs, different stories <= 0.41.
    threshold: float = 0.6
    num_perm: int = 128
    # 32 bands of 4 rows: a pair at similarity 0.6 shares a band with probability 0.988.
    bands: int = 32
    rows: int = 4
    shingle_words: int = 5
    min_words: int = 30  # shorter bodies are too small to judge (and are not indexed)
    # Syndicated copies follow within days: older signatures are not loaded, which keeps
    # memory bounded for long-lived crawls. 0 loads them all.
    history_days: int = 30
    seed: int = 20240517

    def __post_init__(self) -> None:
        if self.bands * self.rows > self.num_perm:
            raise ValueError(f"bands*rows ({self.bands}*{self.rows}) exceeds num_perm "
                             f"({self.num_perm})")
        if not 0.0 < self.threshold <= 1.0:
            raise ValueError(f"threshold must be in (0, 1], not {self.threshold}")

    @property
    def scheme(self) -> str:
        """What makes stored signatures comparable; a change invalidates them."""
        return (f"minhash-affine32-crc32/{self.num_perm}/{self.seed}/"
                f"{self.shingle_words}w")

    @classmethod
    def from_settings(cls, settings: Any) -> NearDupConfig:
        default = cls()
        return cls(
            threshold=settings.getfloat("NEWSCRAWL_NEARDUP_THRESHOLD", default.threshold),
            num_perm=settings.getint("NEWSCRAWL_NEARDUP_NUM_PERM", default.num_perm),
            bands=settings.getint("NEWSCRAWL_NEARDUP_BANDS", default.bands),
            rows=settings.getint("NEWSCRAWL_NEARDUP_ROWS", default.rows),
            shingle_words=settings.getint("NEWSCRAWL_NEARDUP_SHINGLE_WORDS",
                                          default.shingle_words),
            min_words=settings.getint("NEWSCRAWL_NEARDUP_MIN_WORDS", default.min_words),
            history_days=settings.getint("NEWSCRAWL_NEARDUP_HISTORY_DAYS",
                                         default.history_days),
        )


def tokens(text: str) -> list[str]:
    return _TOKEN.findall(text.casefold())


def shingles(words: list[str], size: int) -> set[bytes]:
    return {" ".join(words[i:i + size]).encode("utf-8")
            for i in range(max(len(words) - size + 1, 1))}


def shingle_hashes(words: list[str], size: int) -> list[int]:
    """crc32 of every shingle of `shingles` (repeats included, which a minimum ignores).

    The words are joined and encoded once and each shingle is a slice of that, instead of a
    join and an encode per shingle: the same bytes, at a fraction of the cost.
    """
    text = " ".join(words)
    joined = text.encode("utf-8")
    # Byte offsets of the words; in ASCII text characters and bytes are the same.
    lengths = (len(w) + 1 for w in words) if len(joined) == len(text) else (
        len(w.encode("utf-8")) + 1 for w in words)
    starts = [0, *accumulate(lengths)]
    if len(words) <= size:
        return [zlib.crc32(joined)]
    crc32, ends = zlib.crc32, starts[size:]
    return [crc32(joined[start:end - 1]) for start, end in zip(starts, ends, strict=False)]


# datasketch's MurmurHash3 finalizer for 32-bit values (minhash._FMIX_CONSTANTS[32]).
_FMIX32 = (np.uint32(16), np.uint32(0x85EBCA6B), np.uint32(13), np.uint32(0xC2B2AE35),
           np.uint32(16))
_MAX32 = np.uint32(0xFFFFFFFF)


def affine32_permutations(num_perm: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """The (a, b) of datasketch 2's affine32 MinHash(num_perm, seed): odd multipliers and
    offsets drawn from numpy's RandomState(seed), as its `_init_permutations` draws them.

    Drawn here so the crawl does not import datasketch (whose package imports scipy: half a
    second of every crawl's start) and so stored signatures do not depend on a library
    release; a test checks the result against datasketch's own sketch.
    """
    generator = np.random.RandomState(seed)
    a = generator.randint(0, 1 << 31, num_perm, dtype=np.uint32) * np.uint32(2) + np.uint32(1)
    b = generator.randint(0, 1 << 32, num_perm, dtype=np.uint32)
    return a, b


class Signer:
    """Body text -> MinHash signature (uint32 array), with permutations built once."""

    def __init__(self, config: NearDupConfig) -> None:
        self.config = config
        a, b = affine32_permutations(config.num_perm, config.seed)
        # One row per permutation: each row's minimum is then a contiguous reduction.
        self._a = a.reshape(-1, 1)
        self._b = b.reshape(-1, 1)

    def sign(self, body: str | None) -> np.ndarray | None:
        words = tokens(body or "")
        if len(words) < self.config.min_words:
            return None
        return self.minhash(shingle_hashes(words, self.config.shingle_words))

    def minhash(self, hashes: list[int]) -> np.ndarray:
        """The hashvalues datasketch's affine32 MinHash holds after `update_batch(hashes)`
        with the identity as hash function: each value pre-mixed once, then the minimum of
        `a * h + b` (mod 2**32) per permutation.

        Computed here rather than by datasketch, which calls the hash function once per
        value in Python and builds a sketch object per body: the same uint32 arithmetic,
        so the same signatures, at about half the cost.
        """
        if not hashes:
            return np.full(self.config.num_perm, _MAX32, dtype=np.uint32)
        values = np.array(hashes, dtype=np.uint32)
        shift1, multiplier1, shift2, multiplier2, shift3 = _FMIX32
        values ^= values >> shift1
        values *= multiplier1
        values ^= values >> shift2
        values *= multiplier2
        values ^= values >> shift3
        permuted = self._a * values  # (num_perm, len(hashes)), wrapping mod 2**32
        permuted += self._b
        return permuted.min(axis=1)


class BandTable:
    """uint32 band key -> item index, first item per key kept, in two flat arrays.

    Open addressing with linear probing, at most half full. Per entry this takes about 16
    bytes, against about 100 for a dict of Python ints; with 32 bands per item that is the
    difference between ~0.5 and ~3 KB per item. Key 0 marks an empty slot.
    """

    def __init__(self, capacity: int = 1 << 16) -> None:
        self._keys = array("I", bytes(4 * capacity))
        self._values = array("i", bytes(4 * capacity))
        self._mask = capacity - 1
        self._used = 0

    def __len__(self) -> int:
        return self._used

    def _slot(self, key: int) -> int:
        keys, mask = self._keys, self._mask
        slot = (key * 0x9E3779B1) & mask  # spread keys that differ only in high bits
        while keys[slot] != key and keys[slot] != 0:
            slot = (slot + 1) & mask
        return slot

    def get(self, key: int) -> int | None:
        slot = self._slot(key)
        return self._values[slot] if self._keys[slot] == key else None

    def setdefault(self, key: int, value: int) -> None:
        slot = self._slot(key)
        if self._keys[slot] == key:
            return
        self._keys[slot] = key
        self._values[slot] = value
        self._used += 1
        if self._used * 2 > len(self._keys):
            self._grow()

    def _grow(self) -> None:
        # Walk the old arrays in place: a list of the entries would briefly cost more than
        # the whole table.
        old_keys, old_values = self._keys, self._values
        capacity = len(old_keys) * 2
        self._keys = array("I", bytes(4 * capacity))
        self._values = array("i", bytes(4 * capacity))
        self._mask = capacity - 1
        for key, value in zip(old_keys, old_values, strict=True):
            if key:
                slot = self._slot(key)
                self._keys[slot] = key
                self._values[slot] = value


class NearDuplicateIndex:
    """Every story copy's signature, the first copy it belongs to, and LSH band buckets.

    Copies are indexed too (pointing at their first copy), so a later copy is found through
    whichever earlier copy it resembles most; `duplicate_of` still names the first copy.
    Memory per item: the signature (num_perm * 4 bytes) in fixed-size numpy blocks, its URL,
    and one `BandTable` entry per band.
    """

    BLOCK = 4096

    def __init__(self, config: NearDupConfig) -> None:
        self.config = config
        self.urls: list[str] = []
        self._roots: list[int] = []  # index of each item's first copy (itself for a first)
        self._blocks: list[np.ndarray] = []
        # band key -> index of the first item in that bucket; later items that share the
        # bucket are found through their other bands or via the first one.
        self._buckets = BandTable()
        rng = np.random.RandomState(config.seed)
        shape = (config.bands, config.rows)  # a multiplier per row and band: bands differ
        self._mix = rng.randint(1, 2**62, size=shape, dtype=np.int64).astype(np.uint64) | 1

    def __len__(self) -> int:
        return len(self.urls)

    def _band_keys(self, signature: np.ndarray) -> list[int]:
        config = self.config
        bands = signature[: config.bands * config.rows].astype(np.uint64)
        bands = bands.reshape(config.bands, config.rows)
        with np.errstate(over="ignore"):  # wrap-around is the point of the mix
            mixed = (bands * self._mix).sum(axis=1, dtype=np.uint64)
        # Fold to 32 bits; a rare collision only adds a candidate that verification rejects.
        folded = ((mixed >> np.uint64(32)) ^ mixed) & np.uint64(0xFFFFFFFF)
        return [key or 1 for key in folded.tolist()]

    def _signature(self, index: int) -> np.ndarray:
        return self._blocks[index // self.BLOCK][index % self.BLOCK]

    def query(self, signature: np.ndarray) -> tuple[int, float] | None:
        """(index, similarity) of the most similar item at or above the threshold."""
        found = {self._buckets.get(key) for key in self._band_keys(signature)}
        found.discard(None)
        best: tuple[int, float] | None = None
        for index in sorted(found):  # earliest first, so ties go to the older item
            similarity = float(np.count_nonzero(self._signature(index) == signature))
            similarity /= len(signature)
            if similarity >= self.config.threshold and (best is None or similarity > best[1]):
                best = (index, similarity)
        return best

    def first_copy(self, index: int) -> str:
        return self.urls[self._roots[index]]

    def add(self, url: str, signature: np.ndarray, copy_of: int | None = None) -> int:
        """Index an item; `copy_of` is the index of an item of the same story."""
        index = len(self.urls)
        if index % self.BLOCK == 0:
            self._blocks.append(np.empty((self.BLOCK, self.config.num_perm), dtype=np.uint32))
        self._blocks[-1][index % self.BLOCK] = signature
        self.urls.append(url)
        self._roots.append(index if copy_of is None else self._roots[copy_of])
        for key in self._band_keys(signature):
            self._buckets.setdefault(key, index)
        return index

    def load(self, stored: Iterable[tuple[str, bytes, str | None]]) -> int:
        """Add stored (url, signature, first copy url) rows, oldest first."""
        positions: dict[str, int] = {}
        for url, raw, first in stored:
            signature = np.frombuffer(raw, dtype=np.uint32)
            if len(signature) == self.config.num_perm:
                positions[url] = self.add(url, signature, positions.get(first or ""))
        return len(positions)


class NearDuplicatePipeline:
    """Sets `duplicate_of` on near-duplicates (or drops them with NEWSCRAWL_NEARDUP_DROP).

    Stats: `newscrawl/neardup/marked`, `newscrawl/neardup/first_copy`,
    `newscrawl/neardup/too_short`, `newscrawl/neardup/loaded`,
    `newscrawl/dropped/near_duplicate`.
    """

    SCHEME_KEY = "neardup_scheme"

    def __init__(self, crawler: Any, state: StateStore | None, config: NearDupConfig,
                 drop: bool) -> None:
        self.crawler = crawler
        self.state = state
        self.config = config
        self.drop = drop
        self.signer = Signer(config)
        self.index = NearDuplicateIndex(config)
        self._pending: list[tuple[str, bytes, str | None]] = []
        self._next_persist = _PERSIST_EVERY
        self._load()

    @classmethod
    def from_crawler(cls, crawler: Any) -> NearDuplicatePipeline:
        settings = crawler.settings
        return cls(crawler, crawl_state(crawler), NearDupConfig.from_settings(settings),
                   settings.getbool("NEWSCRAWL_NEARDUP_DROP", False))

    def _load(self) -> None:
        if self.state is None:
            return
        stored_scheme = self.state.get_meta(self.SCHEME_KEY)
        if stored_scheme not in (None, self.config.scheme):
            logger.warning("near-duplicate settings changed (%s -> %s): forgetting the %d "
                           "stored signatures", stored_scheme, self.config.scheme,
                           self.state.signature_count())
            self.state.clear_signatures()
        self.state.set_meta(self.SCHEME_KEY, self.config.scheme)
        since = (datetime.now(UTC) - timedelta(days=self.config.history_days)
                 if self.config.history_days > 0 else None)
        loaded = self.index.load(self.state.signatures(since=since))
        self.crawler.stats.set_value("newscrawl/neardup/loaded", loaded)

    def process_item(self, item: Any, spider: Any = None) -> Any:
        self._persist()
        adapter = ItemAdapter(item)
        stats = self.crawler.stats
        signature = self.signer.sign(adapter.get("body"))
        if signature is None:
            stats.inc_value("newscrawl/neardup/too_short")
            return item
        match = self.index.query(signature)
        if match is None:
            stats.inc_value("newscrawl/neardup/first_copy")
            self._remember(adapter, signature, None)
            return item
        index, similarity = match
        first_url = self.index.first_copy(index)
        if self.drop:
            stats.inc_value(f"{DROPPED}/near_duplicate")
            raise DropItem(f"near-duplicate {adapter.get('url')} of {first_url} "
                           f"(similarity {similarity:.2f})")
        stats.inc_value("newscrawl/neardup/marked")
        adapter["duplicate_of"] = first_url
        self._remember(adapter, signature, index)
        return item

    def _remember(self, adapter: ItemAdapter, signature: np.ndarray,
                  copy_of: int | None) -> None:
        url = str(adapter["url"])
        self.index.add(url, signature, copy_of)
        if self.state is not None:
            first = None if copy_of is None else self.index.first_copy(copy_of)
            self._pending.append((url, signature.tobytes(), first))

    def _persist(self, *, final: bool = False) -> None:
        """Store the signatures of items the writer has recorded as written.

        A story that was never written (crash, write error) must not become somebody's
        `duplicate_of` in a later run, hence the wait for the writer's record.
        """
        if self.state is None or not self._pending:
            return
        if not final and len(self._pending) < self._next_persist:
            return
        written: list[tuple[str, bytes, str | None]] = []
        waiting: list[tuple[str, bytes, str | None]] = []
        for entry in self._pending:
            (written if self.state.is_written(entry[0]) else waiting).append(entry)
        self.state.add_signatures(written)
        self._pending = [] if final else waiting[-_MAX_PENDING:]
        self._next_persist = len(self._pending) + _PERSIST_EVERY

    def close_spider(self, spider: Any = None) -> None:
        # Scrapy closes pipelines in reverse order, so the writer has flushed by now.
        if self.state is not None and not self.state.closed:
            self._persist(final=True)
