"""Open-web quality and speed: newscrawl's generic extractor beside htmldate and trafilatura.

Run from the project root:  python -m benchmarks.openweb [--per-page] [--repeats N]

The pages are those of `../shared/benchmarks/` (real pages from htmldate's and trafilatura's
published evaluation sets; its README gives their provenance and the scoring methods, which
are the sources' own, so the figures compare with theirs). Every page is read and decoded
once, and every system gets the same decoded text.

- dates (`dates.json`): newscrawl's `published` reduced to its day, beside
  `htmldate.find_date(html, original_date=True, extensive_search=True)`.
- main text (`segments.json`): each "with" segment found in the whitespace-collapsed body is
  a true positive, each missing one a false negative; each "without" segment found is a false
  positive. Beside `trafilatura.extract(..., fast=False, include_comments=False,
  include_tables=True)`.
- on the same pages, the annotators' `title` (exact after whitespace collapsing) and `author`
  (set F1 of the names; several names are joined with ";", "," or "und"/"and"/"&" in the
  labels).
- page kinds: the share of the pages of both sets the generic crawl keeps as stories (the
  story judgement of `newscrawl.crawl.discovery`, beside the URL-shape rule it replaced),
  and the share of the corpus's saved section and home pages (`section-pages/`, and the
  fixtures saved as listings) that `extract_document` reads as listings without a profile.
- speed: CPU seconds of extraction alone per system and set, the systems taking turns page
  by page, the fastest of the rounds. Beside the full item, newscrawl's parse and main text
  alone (the same body; timed only): what trafilatura's call does.

The fetch time given to newscrawl is the time of the run, as htmldate takes today's date as
its upper bound: a relative date on a page ("2 days ago") is counted back from it.
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import gzip
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):  # run as a script: import the checkout, not an installed copy
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newscrawl.api import extract
from newscrawl.extraction import load_page
from newscrawl.extraction.decode import decode_html
from newscrawl.extraction.generic import GenericArticle

DEFAULT_SETS = Path("../shared/benchmarks")
_SPACE = re.compile(r"\s+")
_NAME_SEPARATORS = re.compile(r"\s*[;,]\s*|\s+(?:und|and|&)\s+", re.IGNORECASE)


@dataclass
class Page:
    """One benchmark page, decoded once, with its labels."""

    url: str
    file: str
    html: str
    labels: dict


@dataclass
class Output:
    published: str | None = None
    body: str | None = None
    headline: str | None = None
    authors: list[str] = field(default_factory=list)


def page_url(key: str, file: str) -> str:
    """The page's URL; the few keys that are not http(s) URLs get a neutral one."""
    if key.startswith(("http://", "https://")):
        return key
    return f"https://example.org/{quote(file)}"


def load_pages(sets: Path, name: str) -> list[Page]:
    labels = json.loads((sets / name).read_text(encoding="utf-8"))
    pages = []
    for key, item in labels.items():
        raw = gzip.decompress((sets / "pages" / f"{item['file']}.gz").read_bytes())
        pages.append(Page(page_url(key, item["file"]), item["file"], decode_html(raw), item))
    return pages


# -- systems -------------------------------------------------------------------------------
FETCHED_AT = datetime.now(UTC).replace(microsecond=0).isoformat()


def run_newscrawl(page: Page) -> Output:
    article = extract(page.html, page.url, FETCHED_AT, use_profiles=False)
    return Output(article.published, article.body, article.headline, list(article.authors))


def run_newscrawl_text(page: Page) -> Output:
    """The part of `run_newscrawl` that does trafilatura's job: the page parsed and its main
    text found, without the item's other fields (the body `extract` gives: the same on all
    964 pages of both sets when this was written). Timed only, to show what the full item
    costs beside the main text; `extract` has no such call."""
    parsed = load_page(page.html, page.url, FETCHED_AT)
    extractor = GenericArticle(parsed, None)
    return Output(body=extractor.body(extractor.lead()))


def run_htmldate(page: Page) -> Output:
    from htmldate import find_date

    return Output(published=find_date(page.html, url=page.url, original_date=True,
                                      extensive_search=True))


def run_trafilatura(page: Page) -> Output:
    import trafilatura

    body = trafilatura.extract(page.html, url=page.url, fast=False, include_comments=False,
                               include_tables=True, include_formatting=False)
    return Output(body=body)


def run_trafilatura_metadata(page: Page) -> Output:
    import trafilatura

    document = trafilatura.bare_extraction(page.html, url=page.url, with_metadata=True,
                                           include_comments=False, include_tables=True)
    if document is None:
        return Output()
    authors = [a.strip() for a in (document.author or "").split(";") if a.strip()]
    return Output(headline=document.title, authors=authors)


def safely(function: Callable[[Page], Output], page: Page) -> tuple[Output, str | None]:
    try:
        return function(page), None
    except Exception as exc:  # noqa: BLE001 - a crash is a result to report, not to hide
        return Output(), f"{type(exc).__name__}: {exc}"


# -- scoring -------------------------------------------------------------------------------
def squash(text: str | list[str] | None) -> str:
    """Whitespace runs collapsed; a label given as a list of names counts as their join."""
    if isinstance(text, list):
        text = "; ".join(text)
    return _SPACE.sub(" ", text or "").strip()


def day_of(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 else None


def label_date(labels: dict) -> str | None:
    value = labels.get("date")
    return value if isinstance(value, str) else None  # a few labels are NaN: no date


@dataclass
class Counts:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    def f(self) -> float:
        total = 2 * self.tp + self.fp + self.fn
        return 2 * self.tp / total if total else 0.0


def date_verdict(ours: str | None, label: str | None) -> str:
    """'tp', 'fp' or 'fn' for one page, as htmldate's evaluation counts them."""
    day = day_of(ours)
    if day is None:
        return "fn"
    return "tp" if day == label else "fp"


def segment_counts(body: str | None, labels: dict) -> Counts:
    text = squash(body)
    counts = Counts()
    for segment in labels.get("with", []):
        if squash(segment) in text and squash(segment):
            counts.tp += 1
        else:
            counts.fn += 1
    for segment in labels.get("without", []):
        if squash(segment) and squash(segment) in text:
            counts.fp += 1
        else:
            counts.tn += 1
    return counts


def label_names(value: str | list[str] | None) -> set[str]:
    if isinstance(value, list):
        value = "; ".join(value)
    return {squash(n).casefold() for n in _NAME_SEPARATORS.split(value or "") if squash(n)}


def author_f1(ours: Sequence[str], label: str | list[str] | None) -> float:
    mine = {squash(a).casefold() for a in ours if squash(a)}
    theirs = label_names(label)
    if not mine and not theirs:
        return 1.0
    hits = len(mine & theirs)
    if not hits:
        return 0.0
    precision, recall = hits / len(mine), hits / len(theirs)
    return 2 * precision * recall / (precision + recall)


# -- reports -------------------------------------------------------------------------------
@dataclass
class Run:
    page: Page
    output: Output
    error: str | None


def run_all(function: Callable[[Page], Output], pages: Sequence[Page]) -> list[Run]:
    return [Run(page, *safely(function, page)) for page in pages]


def date_column(runs: list[Run]) -> dict[str, str]:
    counts = Counts()
    for run in runs:
        setattr(counts, verdict := date_verdict(run.output.published,
                                                label_date(run.page.labels)),
                getattr(counts, verdict) + 1)
    pages = len(runs)
    return {"pages": str(pages), "errors": str(sum(bool(r.error) for r in runs)),
            "precision": f"{counts.precision():.3f}", "recall": f"{counts.recall():.3f}",
            "accuracy": f"{counts.tp / pages:.3f}" if pages else "-",
            "F": f"{counts.f():.3f}", "no date": str(counts.fn)}


def text_column(runs: list[Run]) -> dict[str, str]:
    total = Counts()
    for run in runs:
        counts = segment_counts(run.output.body, run.page.labels)
        total.tp, total.fp, total.fn = (total.tp + counts.tp, total.fp + counts.fp,
                                        total.fn + counts.fn)
    empty = sum(not squash(r.output.body) for r in runs)
    return {"pages": str(len(runs)), "errors": str(sum(bool(r.error) for r in runs)),
            "precision": f"{total.precision():.3f}", "recall": f"{total.recall():.3f}",
            "F": f"{total.f():.3f}", "no body": f"{empty} ({100 * empty / len(runs):.1f}%)"}


def metadata_column(runs: list[Run]) -> dict[str, str]:
    titled = [r for r in runs if squash(r.page.labels.get("title"))]
    authored = [r for r in runs if squash(r.page.labels.get("author"))]
    exact = sum(squash(r.output.headline) == squash(r.page.labels["title"]) for r in titled)
    f1 = [author_f1(r.output.authors, r.page.labels["author"]) for r in authored]
    return {"pages with a title label": str(len(titled)),
            "headline exact": f"{exact / len(titled):.3f}" if titled else "-",
            "pages with an author label": str(len(authored)),
            "authors F1": f"{sum(f1) / len(f1):.3f}" if f1 else "-"}


def table(title: str, columns: dict[str, dict[str, str]]) -> str:
    from benchmarks.quality import table as corpus_table

    return corpus_table(title, columns)


def speed_rows(name: str, pages: Sequence[Page], times: dict[str, float]) -> list[str]:
    return [f"| {name} | {system} | {len(pages)} | {seconds:.2f} | {len(pages) / seconds:.1f} |"
            for system, seconds in times.items()]


def timed(systems: dict[str, Callable[[Page], Output]], pages: Sequence[Page],
          repeats: int) -> dict[str, float]:
    """Each system's CPU seconds over all the pages, the fastest of `repeats` rounds. The
    systems take turns page by page (the first one changing from page to page), so a busy
    moment on a shared machine slows them alike: timed in turns of a whole set each, the
    ratio of two systems moved by up to a fifth between runs, page by page by a few percent.
    The objects that outlive the rounds (pages, truth) are frozen out of the collector's way
    first; each system pays for the collections its own allocations start. The corpus table
    (`quality.timed_rounds`) keeps whole-set turns: `beforeafter` compares it with the same
    script of older trees."""
    gc.collect()
    gc.freeze()
    turns = list(systems.items())
    best = dict.fromkeys(systems, float("inf"))
    for _ in range(repeats):
        spent = dict.fromkeys(systems, 0.0)
        for index, page in enumerate(pages):
            shift = index % len(turns)
            for name, function in turns[shift:] + turns[:shift]:
                start = time.process_time()
                with contextlib.suppress(Exception):  # failures are reported by run_all
                    function(page)
                spent[name] += time.process_time() - start
        best = {name: min(best[name], spent[name]) for name in systems}
    gc.unfreeze()
    return best


def speed_table(date_systems: dict[str, Callable[[Page], Output]], date_pages: Sequence[Page],
                text_systems: dict[str, Callable[[Page], Output]], text_pages: Sequence[Page],
                repeats: int) -> str:
    lines = ["### Speed (extraction alone, pages already read and decoded)", "",
             "CPU seconds of the fastest of the timed rounds, the systems taking turns page by "
             "page.", "",
             "| set | system | pages | seconds | pages/s |", "|---|---|---:|---:|---:|"]
    # trafilatura is timed on the dates set too: both sets compare newscrawl with the same peer
    date_timed = {**date_systems, **{name: f for name, f in text_systems.items()
                                     if name not in date_systems}}
    lines += speed_rows("dates", date_pages, timed(date_timed, date_pages, repeats))
    lines += speed_rows("main text", text_pages, timed(text_systems, text_pages, repeats))
    return "\n".join(lines)


def misses(dates: dict[str, list[Run]], texts: dict[str, list[Run]]) -> str:
    lines = ["### Dates: pages some system gets wrong", "",
             "| page | label | " + " | ".join(dates) + " |", "|---|---|" + "---|" * len(dates)]
    first = next(iter(dates.values()))
    for index, run in enumerate(first):
        label = label_date(run.page.labels)
        values = [day_of(rs[index].output.published) for rs in dates.values()]
        if any(v != label for v in values):
            cells = " | ".join(str(v) + (" ✓" if v == label else "") for v in values)
            lines.append(f"| {run.page.file} | {label} | {cells} |")
    lines += ["", "### Main text: pages some system loses segments on (tp/fn/fp, words)", "",
              "| page | " + " | ".join(texts) + " |", "|---|" + "---|" * len(texts)]
    first = next(iter(texts.values()))
    for index, run in enumerate(first):
        cells, bad = [], False
        for rs in texts.values():
            counts = segment_counts(rs[index].output.body, run.page.labels)
            words = len((rs[index].output.body or "").split())
            bad = bad or counts.fn > 0 or counts.fp > 0
            cells.append(f"{counts.tp}/{counts.fn}/{counts.fp}, {words}")
        if bad:
            lines.append(f"| {run.page.file} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


# -- page kinds ----------------------------------------------------------------------------
SECTION_PAGES = Path("../shared/corpus/section-pages")
_SECTION_URL = re.compile(r"^- (\S+\.html): .*?\burl (https?://[^\s,()]+)", re.MULTILINE)


def listing_pages(fixtures: Path = Path("fixtures")) -> list[Page]:
    """The corpus's saved section and home pages (URLs from its README) and the fixtures
    saved as listings."""
    pages = []
    readme = SECTION_PAGES / "README.md"
    if readme.is_file():
        for name, url in _SECTION_URL.findall(readme.read_text(encoding="utf-8")):
            raw = (SECTION_PAGES / name).read_bytes()
            pages.append(Page(url.rstrip("."), name, decode_html(raw), {}))
    for meta in sorted(fixtures.glob("*/*.json")):
        data = json.loads(meta.read_text(encoding="utf-8"))
        html = meta.with_name(meta.name.removesuffix(".json") + ".html.gz")
        if data.get("kind") == "listing" and html.is_file():
            raw = gzip.decompress(html.read_bytes())
            pages.append(Page(data["url"], f"{meta.parent.name}/{html.name}", decode_html(raw),
                              {}))
    return pages


def judged_stories(pages: Sequence[Page]) -> tuple[int, int]:
    """(pages the crawl keeps as stories by URL shape and word count, as before; pages it
    keeps by the story judgement), generic extraction."""
    from newscrawl.api import extract_page
    from newscrawl.crawl.discovery import (
        STORY_MIN_WORDS,
        judged_story,
        structured_article,
        url_looks_like_article,
    )
    from newscrawl.extraction import load_page

    before = now = 0
    for page in pages:
        with contextlib.suppress(Exception):
            parsed = load_page(page.html, page.url, FETCHED_AT)
            article = extract_page(parsed, use_profiles=False)
            now += judged_story(parsed, article)
            before += structured_article(page.html[:200_000]) or (
                url_looks_like_article(page.url) and (article.word_count >= STORY_MIN_WORDS
                                                      or bool(article.headline
                                                              and article.published)))
    return before, now


def judged_listings(pages: Sequence[Page]) -> int:
    from newscrawl.api import extract_document, kind_of

    return sum(kind_of(extract_document(p.html, p.url, FETCHED_AT, use_profiles=False))
               == "listing" for p in pages)


def kind_table(date_pages: Sequence[Page], text_pages: Sequence[Page]) -> str:
    def share(count: int, total: int) -> str:
        return f"{count}/{total} ({100 * count / total:.1f}%)" if total else "-"

    lines = ["### Page kinds (generic judgement)", "",
             "| pages | judged | before (URL shape and words) | now |", "|---|---|---:|---:|"]
    for name, pages in (("dates.json", date_pages), ("segments.json", text_pages)):
        before, now = judged_stories(pages)
        lines.append(f"| {name} | stories | {share(before, len(pages))} | "
                     f"{share(now, len(pages))} |")
    listings = listing_pages()
    lines.append(f"| corpus section and home pages | listings | - | "
                 f"{share(judged_listings(listings), len(listings))} |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", type=Path, default=DEFAULT_SETS)
    parser.add_argument("--per-page", action="store_true", help="list every miss")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed runs per system; the fastest counts (default 3)")
    parser.add_argument("--newscrawl-only", action="store_true",
                        help="leave the reference systems out (quicker, for development)")
    parser.add_argument("--no-speed", action="store_true", help="leave the timed rounds out")
    args = parser.parse_args(argv)
    date_pages = load_pages(args.sets, "dates.json")
    text_pages = load_pages(args.sets, "segments.json")

    date_systems = {"newscrawl": run_newscrawl, "htmldate": run_htmldate}
    text_systems = {"newscrawl": run_newscrawl, "trafilatura": run_trafilatura}
    if args.newscrawl_only:
        date_systems, text_systems = {"newscrawl": run_newscrawl}, {"newscrawl": run_newscrawl}
    dates = {name: run_all(f, date_pages) for name, f in date_systems.items()}
    texts = {name: run_all(f, text_pages) for name, f in text_systems.items()}
    metadata = {"newscrawl": texts["newscrawl"]}
    if not args.newscrawl_only:
        metadata["trafilatura"] = run_all(run_trafilatura_metadata, text_pages)

    print(table(f"Dates ({len(date_pages)} pages of dates.json, htmldate's scoring)",
                {name: date_column(rs) for name, rs in dates.items()}), end="\n\n")
    print(table(f"Main text ({len(text_pages)} pages of segments.json, trafilatura's scoring)",
                {name: text_column(rs) for name, rs in texts.items()}), end="\n\n")
    print(table("Headline and authors on the labels of segments.json",
                {name: metadata_column(rs) for name, rs in metadata.items()}), end="\n\n")

    print(kind_table(date_pages, text_pages), end="\n\n")
    if not args.no_speed:
        # trafilatura is the peer for the speed of the whole extraction on both sets
        text_only = {"newscrawl, main text only": run_newscrawl_text}
        date_timed = {**date_systems, **text_only} if args.newscrawl_only else {
            **date_systems, **text_only, "trafilatura": run_trafilatura}
        print(speed_table(date_timed, date_pages, {**text_systems, **text_only}, text_pages,
                          args.repeats))
    for name, rs in {**dates, **texts}.items():
        for run in rs:
            if run.error:
                print(f"\n{name} failed on {run.page.file}: {run.error}", file=sys.stderr)
    if args.per_page:
        print("\n" + misses(dates, texts))
    return 0


if __name__ == "__main__":
    sys.exit(main())
