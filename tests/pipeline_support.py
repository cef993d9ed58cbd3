"""Articles and pipeline chains for the pipeline tests."""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import Any

from newscrawl.extraction.article import content_hash
from newscrawl.extraction.text import count_words
from newscrawl.model.items import Article
from newscrawl.pipelines.chain import PipelineChain

WORDS = [
    "river", "council", "budget", "school", "harbour", "election", "railway", "museum",
    "festival", "hospital", "market", "bridge", "weather", "library", "airport", "stadium",
    "farmers", "orchestra", "police", "court", "minister", "village", "factory", "senate",
    "treaty", "energy", "vaccine", "harvest", "tunnel", "ferry",
]


def paragraph(seed: int, words: int = 40) -> str:
    """A deterministic paragraph whose word sequence differs for every seed."""
    digest = hashlib.sha256(str(seed).encode()).digest() * 4
    return " ".join(WORDS[digest[i] % len(WORDS)] for i in range(words)).capitalize() + "."


def body_of(seeds: list[int]) -> str:
    return "\n\n".join(paragraph(s) for s in seeds)


def article(n: int = 1, *, seeds: list[int] | None = None, **overrides: Any) -> Article:
    body = overrides.pop("body", None) or body_of(seeds or [n * 10 + i for i in range(5)])
    values: dict[str, Any] = {
        "url": f"https://news.example.com/story/{n}",
        "canonical_url": f"https://news.example.com/story/{n}",
        "site": "example",
        "extractor": "generic@1",
        "fetched_at": "2026-01-02T03:04:05+00:00",
        "headline": f"Story number {n}",
        "published": "2026-01-01T10:00:00+01:00",
        "authors": ["Jane Doe"],
        "body": body,
        "word_count": count_words(body),
        "content_hash": content_hash(body),
    }
    values.update(overrides)
    return Article(**values)


def chain(tmp_path: Path, pipelines: dict[str, int] | None = None,
          **settings: Any) -> PipelineChain:
    base = {"NEWSCRAWL_DATA_DIR": str(tmp_path / "data"),
            "NEWSCRAWL_STATE_PATH": str(tmp_path / "state.sqlite"),
            "NEWSCRAWL_RUN_ID": "run1"}
    return PipelineChain({**base, **settings}, pipelines)
