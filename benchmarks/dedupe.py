"""Deduplication quality, speed and memory of the whole pipeline chain on a labelled stream.

Run from the project root:

    python -m benchmarks.dedupe [--items 10000] [--corpus PATH] [--fsync-batch 1]
    python -m benchmarks.dedupe --memory 10000 100000     # peak memory, one process each

The stream is built from the corpus pages, extracted with `newscrawl.extract`:
- first copies: every corpus article, plus distinct stories made by recombining
  paragraphs of different articles (a few paragraphs from each of several sources, so no
  two stories share more than a small part of their text);
- one to three rewritten copies of 40% of them, each at another URL on another site, with a
  different headline and one to three edits: reordered paragraphs, a trimmed ending, an
  added boilerplate sentence, an added paragraph.
Items leave through a 2,000-item shuffling window (copies arrive in any order, near each
other); an item is a true near-duplicate when an earlier item of the stream
belongs to the same story. A marked item counts as correct only if `duplicate_of` names
an item of its own story.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import os
import random
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, replace
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import the checkout, not an installed copy
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newscrawl import extract
from newscrawl.extraction.article import content_hash
from newscrawl.extraction.text import count_words
from newscrawl.model.items import Article
from newscrawl.pipelines.chain import PipelineChain

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_CORPUS = ROOT.parent / "shared" / "corpus"
BOILERPLATE = [
    "This article was provided by a news agency and has been edited for length.",
    "Copyright 2024 The Associated Wire. All rights reserved.",
    "Sign up for our newsletter to get the day's top stories in your inbox.",
    "Additional reporting by our correspondents; editing by the news desk.",
]
# Paragraphs outside these bounds are left out of the pool: very long "paragraphs" (whole
# listicles on one line) would make recombined stories real near-duplicates of their source.
CRAWL_TIME = "2026-01-02T03:04:05+00:00"  # one crawl day, as in a real daily run
MIN_PARAGRAPH_WORDS = 12
MAX_PARAGRAPH_WORDS = 120


@dataclass(frozen=True)
class Labelled:
    article: Article
    story: int


def corpus_articles(corpus: Path) -> list[Article]:
    """Every corpus article page extracted by newscrawl (pages without a usable body skipped)."""
    articles = []
    for page in sorted((corpus / "articles").glob("*/*.html.gz")):
        truth = json.loads(page.with_name(page.name.replace(".html.gz", ".truth.json"))
                           .read_text("utf-8"))
        article = extract(gzip.decompress(page.read_bytes()), truth["url"],
                          truth["crawl_date"][:19] + "+00:00")
        if len(paragraphs_of(article)) >= 4:
            articles.append(article)
    return articles


def paragraphs_of(article: Article) -> list[str]:
    return [p for p in (article.body or "").split("\n\n")
            if MIN_PARAGRAPH_WORDS <= count_words(p) <= MAX_PARAGRAPH_WORDS]


def with_body(template: Article, *, url: str, site: str, headline: str,
              paragraphs: list[str]) -> Article:
    body = "\n\n".join(paragraphs)
    return replace(template, url=url, canonical_url=url, site=site, headline=headline,
                   body=body, word_count=count_words(body), content_hash=content_hash(body),
                   published=template.published or "2024-05-17T10:00:00+00:00",
                   fetched_at=CRAWL_TIME,
                   duplicate_of=None, problems=None)


def first_copies(articles: list[Article], count: int, rng: random.Random) -> Iterator[Article]:
    """The corpus articles, then recombined stories until `count` first copies exist."""
    pools = [paragraphs_of(a) for a in articles]
    for n, article in enumerate(articles[:count]):
        yield with_body(article, url=f"https://origin{n % 50}.example/story/{n}",
                        site=f"origin{n % 50}", headline=article.headline or f"Story {n}",
                        paragraphs=pools[n])
    for n in range(len(articles), count):
        # Two or three paragraphs from each of four sources: any two stories share little.
        sources = rng.sample(range(len(articles)), 4)
        paragraphs = [p for s in sources
                      for p in rng.sample(pools[s], min(len(pools[s]), rng.randint(2, 3)))]
        template = articles[sources[0]]
        yield with_body(template, url=f"https://origin{n % 50}.example/story/{n}",
                        site=f"origin{n % 50}", headline=f"Recombined story {n}",
                        paragraphs=paragraphs)


def rewrite(original: Article, copy_number: int, rng: random.Random,
            filler: list[str]) -> Article:
    """A syndicated copy: new URL, site and headline, plus one to three edits."""
    paragraphs = original.body.split("\n\n")
    edits = rng.sample(["reorder", "trim", "boilerplate", "add"], rng.randint(1, 3))
    if "reorder" in edits and len(paragraphs) > 2:
        i = rng.randrange(len(paragraphs) - 1)
        paragraphs[i], paragraphs[i + 1] = paragraphs[i + 1], paragraphs[i]
    if "trim" in edits and len(paragraphs) >= 6:
        paragraphs = paragraphs[:-1]
    elif "trim" in edits:
        last = paragraphs[-1].split()
        paragraphs[-1] = " ".join(last[: max(len(last) * 2 // 3, 1)])
    if "boilerplate" in edits:
        paragraphs.append(rng.choice(BOILERPLATE))
    if "add" in edits:
        paragraphs.insert(rng.randrange(len(paragraphs) + 1), rng.choice(filler))
    site = f"mirror{rng.randrange(40)}"
    story = story_of(original.url)
    return with_body(original, url=f"https://{site}.example/wire/{story}-{copy_number}",
                     site=site, headline=f"Copy: {original.headline}"[:200],
                     paragraphs=paragraphs)


def story_of(url: str) -> int:
    """The story number a benchmark URL carries (/story/N or /wire/N-COPY)."""
    return int(url.rsplit("/", 1)[1].split("-")[0])


def labelled_stream(articles: list[Article], total: int, seed: int = 1,
                    window: int = 2000) -> Iterator[Labelled]:
    """`total` items: first copies and their rewrites (40% of stories get 1-3 copies).

    Items leave through a shuffling window of `window` items, so a story's copies arrive in
    any order, near each other (as syndicated copies do), and the stream is never held
    whole in memory: memory figures are the pipelines' own.
    """
    rng = random.Random(seed)
    filler = [p for a in articles for p in paragraphs_of(a)]
    buffer: list[Labelled] = []
    produced = 0

    def take() -> Labelled:
        position = rng.randrange(len(buffer))
        buffer[position], buffer[-1] = buffer[-1], buffer[position]
        return buffer.pop()

    for story, original in enumerate(first_copies(articles, total, rng)):
        buffer.append(Labelled(original, story))
        if rng.random() < 0.4:
            for copy_number in range(rng.randint(1, 3)):
                buffer.append(Labelled(rewrite(original, copy_number, rng, filler), story))
        while len(buffer) > window and produced < total:
            produced += 1
            yield take()
        if produced >= total:
            return
    while buffer and produced < total:
        produced += 1
        yield take()


@dataclass
class Scores:
    items: int
    kept: int
    true_duplicates: int
    marked: int
    correct: int
    exact_dropped: int
    seconds: float
    cpu_seconds: float

    @property
    def precision(self) -> float:
        return self.correct / self.marked if self.marked else 1.0

    @property
    def recall(self) -> float:
        return self.correct / self.true_duplicates if self.true_duplicates else 1.0


def run_chain(stream: Iterable[Labelled], folder: Path, fsync_batch: int) -> Scores:
    settings = {"NEWSCRAWL_DATA_DIR": str(folder / "data"),
                "NEWSCRAWL_STATE_PATH": str(folder / "state.sqlite"),
                "NEWSCRAWL_JSONL_FSYNC_BATCH": fsync_batch,
                "LOG_LEVEL": "ERROR"}
    seen = bytearray()  # one byte per story: has an item of it come by yet?
    items = true_dups = marked = correct = kept = 0
    start, cpu_start = time.perf_counter(), time.process_time()
    with PipelineChain(settings) as chain:
        for item in stream:
            items += 1
            if item.story >= len(seen):
                seen.extend(bytes(item.story + 1024 - len(seen)))
            is_dup = bool(seen[item.story])
            seen[item.story] = 1
            out = chain.process(item.article)
            if out is None:
                continue
            kept += 1
            true_dups += is_dup
            if out.duplicate_of is not None:
                marked += 1
                correct += story_of(out.duplicate_of) == item.story
        exact = chain.stats.get("newscrawl/dropped/duplicate_content", 0)
    return Scores(items, kept, true_dups, marked, correct, exact,
                  time.perf_counter() - start, time.process_time() - cpu_start)


def current_rss_bytes() -> int:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss_bytes() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024  # Linux: KiB


def measure_memory(corpus: Path, total: int, fsync_batch: int) -> dict[str, float]:
    """Peak RSS growth while `total` generated items stream through the chain.

    The baseline is taken after the corpus is loaded and the pipeline modules (Scrapy,
    jsonschema, numpy) are imported: what is measured is the chain's own memory.
    """
    articles = corpus_articles(corpus)
    with tempfile.TemporaryDirectory() as folder:
        PipelineChain({"NEWSCRAWL_STATE_ENABLED": False,
                       "NEWSCRAWL_DATA_DIR": str(Path(folder) / "data")}).close()
    gc.collect()
    baseline = current_rss_bytes()
    with tempfile.TemporaryDirectory() as folder:
        scores = run_chain(labelled_stream(articles, total), Path(folder), fsync_batch)
    growth = peak_rss_bytes() - baseline
    return {"items": total, "baseline_rss": baseline, "peak_growth": growth,
            "bytes_per_item": growth / total, "items_per_s": total / scores.seconds,
            "items_per_cpu_s": total / scores.cpu_seconds,
            "precision": scores.precision, "recall": scores.recall}


def report(scores: Scores, fsync_batch: int) -> str:
    return "\n".join([
        f"items {scores.items}, written {scores.kept}, exact-duplicate drops "
        f"{scores.exact_dropped}",
        f"true near-duplicates {scores.true_duplicates}, marked {scores.marked}, "
        f"correct {scores.correct}",
        f"precision {scores.precision:.4f}  recall {scores.recall:.4f}",
        f"whole chain: {scores.items / scores.seconds:.0f} items/s wall clock "
        f"({scores.seconds:.1f} s, fsync every {fsync_batch} item(s)); "
        f"{scores.items / scores.cpu_seconds:.0f} items per CPU second "
        f"({scores.cpu_seconds:.1f} s CPU)",
    ])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--items", type=int, default=10_000)
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--fsync-batch", type=int, default=1)
    parser.add_argument("--memory", type=int, nargs="*", metavar="N",
                        help="measure peak memory for each N, each in a fresh process")
    parser.add_argument("--memory-one", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.memory_one:
        print(json.dumps(measure_memory(args.corpus, args.memory_one, args.fsync_batch)))
        return 0
    if args.memory:
        growth: dict[int, float] = {}
        for total in args.memory:
            out = subprocess.run(
                [sys.executable, "-m", "benchmarks.dedupe", "--memory-one", str(total),
                 "--corpus", str(args.corpus), "--fsync-batch", str(args.fsync_batch)],
                cwd=ROOT, capture_output=True, text=True, check=True).stdout
            figures = json.loads(out.strip().splitlines()[-1])
            growth[total] = figures["peak_growth"]
            print(f"{total} items: peak RSS growth {figures['peak_growth'] / 2**20:.1f} MiB "
                  f"= {figures['bytes_per_item']:.0f} bytes/item; "
                  f"{figures['items_per_s']:.0f} items/s "
                  f"({figures['items_per_cpu_s']:.0f} per CPU second); precision "
                  f"{figures['precision']:.4f} recall {figures['recall']:.4f}")
        sizes = sorted(growth)
        if len(sizes) >= 2:
            slope = (growth[sizes[-1]] - growth[sizes[0]]) / (sizes[-1] - sizes[0])
            print(f"marginal cost between {sizes[0]} and {sizes[-1]} items: "
                  f"{slope:.0f} bytes/item")
        return 0
    articles = corpus_articles(args.corpus)
    print(f"corpus: {len(articles)} articles, "
          f"{sum(len(paragraphs_of(a)) for a in articles)} paragraphs")
    with tempfile.TemporaryDirectory() as folder:
        scores = run_chain(labelled_stream(articles, args.items), Path(folder),
                           args.fsync_batch)
    print(report(scores, args.fsync_batch))
    return 0


if __name__ == "__main__":
    sys.exit(main())
