"""Extraction quality and speed: newscrawl side by side with trafilatura on the shared corpus.

Run from the project root:  python -m benchmarks.quality [--corpus PATH]

Every system runs in this one process on the same decoded pages. A system is one entry of
`SYSTEMS`: a name and a function from a page to the fields compared here, so adding a column
is adding one line.
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
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import the checkout, not an installed copy
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from parsel import Selector

from newscrawl.api import extract

DEFAULT_CORPUS = Path("../shared/corpus/articles")
_WORD = re.compile(r"\w+")
_SPACE = re.compile(r"\s+")
SHINGLE = 4
PARSE_FLOOR = "parsel.Selector only (parse floor)"


@dataclass
class Case:
    """One corpus page: its HTML (already read and decoded) and its truth."""

    name: str
    html: str
    truth: dict

    @property
    def group(self) -> str:
        language = self.truth.get("language")
        return language if language in ("en", "de") else "other"


@dataclass
class Output:
    """The fields compared, as one system returns them."""

    headline: str | None = None
    published: str | None = None
    authors: list[str] = field(default_factory=list)
    body: str | None = None


def run_newscrawl(case: Case, use_profiles: bool) -> Output:
    article = extract(case.html, case.truth["url"], case.truth["crawl_date"],
                      use_profiles=use_profiles)
    return Output(article.headline, article.published, article.authors, article.body)


def run_trafilatura(case: Case) -> Output:
    import trafilatura

    # Asking for the time as well as the date, so "to the minute" is a fair question to ask.
    document = trafilatura.bare_extraction(
        case.html, url=case.truth["url"], with_metadata=True, include_comments=False,
        date_extraction_params={"extensive_search": True, "original_date": True,
                                "outputformat": "%Y-%m-%dT%H:%M:%S%z"})
    if document is None:
        return Output()
    authors = [a.strip() for a in (document.author or "").split(";") if a.strip()]
    return Output(document.title, document.date, authors, document.text)


System = tuple[str, Callable[[Case], Output]]
SYSTEMS: list[System] = [
    ("newscrawl", lambda case: run_newscrawl(case, use_profiles=False)),
    ("profiles", lambda case: run_newscrawl(case, use_profiles=True)),
    ("trafilatura", run_trafilatura),
]


# -- loading -------------------------------------------------------------------------------
def documented_corrections() -> dict[str, dict]:
    """Per truth URL, the truth with the slips its fixture documents (`truth_differences`)
    replaced by the fixture's expected values, in the truth's own format."""
    from newscrawl.fixtures import iter_fixtures

    corrected: dict[str, dict] = {}
    for fixture in iter_fixtures():
        truth, expected = fixture.meta.get("truth"), fixture.expected
        fields = {d["field"] for d in fixture.meta.get("truth_differences", [])}
        if not truth or not expected or not fields:
            continue
        fixed = dict(truth)
        if "headline" in fields:
            fixed["title"] = expected["headline"]
        for name in ("authors", "published"):
            if name in fields:
                fixed[name] = expected[name]
        if "body" in fields or "lead" in fields:  # our body opens with the lead when shown
            fixed["lead"], fixed["body"] = [], (expected.get("body") or "").split("\n\n")
        corrected[truth["url"]] = fixed
    return corrected


def with_corrections(cases: Sequence[Case]) -> list[Case]:
    corrections = documented_corrections()
    return [Case(c.name, c.html, corrections.get(c.truth["url"], c.truth)) for c in cases]


def load_cases(corpus: Path) -> list[Case]:
    cases = []
    for truth_path in sorted(corpus.glob("*/*.truth.json")):
        html_path = truth_path.with_name(truth_path.name.replace(".truth.json", ".html.gz"))
        if not html_path.exists():
            continue
        html = gzip.decompress(html_path.read_bytes()).decode("utf-8", errors="replace")
        truth = json.loads(truth_path.read_text(encoding="utf-8"))
        name = f"{truth_path.parent.name}/{truth_path.name.removesuffix('.truth.json')}"
        cases.append(Case(name, html, truth))
    return cases


# -- metrics -------------------------------------------------------------------------------
def squash(text: str | None) -> str:
    return _SPACE.sub(" ", text or "").strip()


def headline_ok(ours: str | None, truth: str | None) -> bool:
    return bool(ours) and squash(ours) == squash(truth)


def _parse(value: str | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None


def truth_date_kind(value: str | None) -> str:
    """'offset' (time and offset), 'naive' (time, no offset) or 'none' (no time, or no date)."""
    parsed = _parse(value)
    if parsed is None or "T" not in (value or ""):
        return "none"
    return "offset" if parsed.tzinfo is not None else "naive"


def published_ok(ours: str | None, truth: str | None) -> bool:
    """Same minute: in UTC when both carry an offset, else on the wall clock."""
    mine, theirs = _parse(ours), _parse(truth)
    if mine is None or theirs is None:
        return False
    if mine.tzinfo is not None and theirs.tzinfo is not None:
        mine, theirs = mine.astimezone(UTC), theirs.astimezone(UTC)
    else:
        mine, theirs = mine.replace(tzinfo=None), theirs.replace(tzinfo=None)
    return mine.replace(second=0, microsecond=0) == theirs.replace(second=0, microsecond=0)


def published_day_ok(ours: str | None, truth: str | None) -> bool:
    mine, theirs = _parse(ours), _parse(truth)
    return mine is not None and theirs is not None and mine.date() == theirs.date()


def author_f1(ours: Sequence[str], truth: Sequence[str]) -> float:
    mine = {squash(a).casefold() for a in ours if squash(a)}
    theirs = {squash(a).casefold() for a in truth if squash(a)}
    if not mine and not theirs:
        return 1.0
    hits = len(mine & theirs)
    if not hits:
        return 0.0
    precision, recall = hits / len(mine), hits / len(theirs)
    return 2 * precision * recall / (precision + recall)


def shingles(text: str | None) -> Counter:
    tokens = _WORD.findall(text or "")
    return Counter(tuple(tokens[i:i + SHINGLE]) for i in range(len(tokens) - SHINGLE + 1))


def truth_text(truth: dict) -> str:
    return "\n\n".join(list(truth.get("lead") or []) + list(truth.get("body") or []))


@dataclass
class BodyScore:
    precision: float | None  # None: we returned no text
    recall: float | None  # None: the truth has no text


def body_score(ours: str | None, truth: str) -> BodyScore:
    mine, theirs = shingles(ours), shingles(truth)
    hits = sum((mine & theirs).values())
    precision = hits / sum(mine.values()) if mine else None
    recall = hits / sum(theirs.values()) if theirs else None
    return BodyScore(precision, recall)


# -- running -------------------------------------------------------------------------------
@dataclass
class Result:
    case: Case
    output: Output | None  # None: the system raised
    error: str | None = None


def run_system(function: Callable[[Case], Output], cases: Iterable[Case]) -> list[Result]:
    """Every case through one system."""
    results = []
    for case in cases:
        try:
            output, error = function(case), None
        except Exception as exc:  # noqa: BLE001 - a crash is a result to report, not to hide
            output, error = None, f"{type(exc).__name__}: {exc}"
        results.append(Result(case, output, error))
    return results


def timed_rounds(tasks: dict[str, Callable[[], object]], repeats: int) -> dict[str, float]:
    """Each task's fastest run, in CPU seconds of this process. Rounds interleave the tasks
    and CPU time leaves out waiting for the processor; load that changes within a round
    still reaches one task and not the other (on a shared machine a task's time moved by up
    to a fifth between runs; `openweb.timed` takes turns page by page instead).

    A run ends with a garbage collection inside its timing: each system pays for the
    reference cycles it leaves behind (freeing the parsed trees they hold), not whichever
    system runs next when the collector happens to start. The objects that outlive the runs
    (pages, truth, results) are frozen out of the collector's way first.
    """
    gc.collect()
    gc.freeze()
    best = dict.fromkeys(tasks, float("inf"))
    for _ in range(repeats):
        for name, task in tasks.items():
            gc.collect()
            start = time.process_time()
            task()
            gc.collect()
            best[name] = min(best[name], time.process_time() - start)
    gc.unfreeze()
    return best


def extract_all(function: Callable[[Case], Output], cases: Sequence[Case]) -> Callable[[], None]:
    def run_all() -> None:
        for case in cases:
            with contextlib.suppress(Exception):  # failures are reported by run_system
                function(case)

    return run_all


def parse_all(cases: Sequence[Case]) -> Callable[[], None]:
    def run_all() -> None:
        for case in cases:
            Selector(text=case.html, type="html")

    return run_all


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def summarise(results: list[Result]) -> dict[str, str]:
    """One column of the table: every metric as printed text."""
    outputs = [(r.case.truth, r.output or Output()) for r in results]
    n = len(outputs)
    timed = [(t, o) for t, o in outputs if truth_date_kind(t.get("published")) == "offset"]
    naive = [(t, o) for t, o in outputs if truth_date_kind(t.get("published")) == "naive"]
    dateless = [(t, o) for t, o in outputs if truth_date_kind(t.get("published")) == "none"]
    scores = [body_score(o.body, truth_text(t)) for t, o in outputs]
    precision = _mean([s.precision for s in scores if s.precision is not None])
    recall = _mean([s.recall if s.recall is not None else 0.0 for s in scores
                    if s.recall is not None])
    f1 = (2 * precision * recall / (precision + recall)
          if precision and recall else 0.0)

    authors = _mean([author_f1(o.authors, t.get("authors") or []) for t, o in outputs]) or 0.0

    def share(ok: int, total: int) -> str:
        return f"{ok}/{total} {100 * ok / total:.0f}%" if total else "-"

    return {
        "pages": str(n),
        "errors": str(sum(r.output is None for r in results)),
        "headline exact": share(sum(headline_ok(o.headline, t.get("title"))
                                    for t, o in outputs), n),
        "published minute (truth has offset)": share(
            sum(published_ok(o.published, t.get("published")) for t, o in timed), len(timed)),
        "published minute (truth no offset)": share(
            sum(published_ok(o.published, t.get("published")) for t, o in naive), len(naive)),
        "published day (truth has no time)": share(
            sum(published_day_ok(o.published, t.get("published")) for t, o in dateless),
            len(dateless)),
        "published day (all)": share(
            sum(published_day_ok(o.published, t.get("published")) for t, o in outputs), n),
        "authors F1": f"{authors:.3f}",
        "body precision": f"{precision or 0:.3f}",
        "body recall": f"{recall or 0:.3f}",
        "body F1": f"{f1:.3f}",
        "no body": share(sum(not squash(o.body) for _t, o in outputs), n),
    }


def table(title: str, columns: dict[str, dict[str, str]]) -> str:
    names = list(columns)
    rows = list(next(iter(columns.values())))
    width = max(len(r) for r in rows)
    widths = [max(len(name), *(len(columns[name][r]) for r in rows)) for name in names]
    lines = [f"### {title}", "",
             "| " + "metric".ljust(width) + " | "
             + " | ".join(n.rjust(w) for n, w in zip(names, widths, strict=True)) + " |",
             "|" + "-" * (width + 2) + "|"
             + "|".join("-" * (w + 1) + ":" for w in widths) + "|"]
    for row in rows:
        cells = " | ".join(columns[n][row].rjust(w) for n, w in zip(names, widths, strict=True))
        lines.append(f"| {row.ljust(width)} | {cells} |")
    return "\n".join(lines)


def speed_table(cases: Sequence[Case], times: dict[str, float], floor: float) -> str:
    megabytes = sum(len(c.html.encode("utf-8")) for c in cases) / 1e6
    lines = ["### Speed (extraction alone, pages already read and decoded)", "",
             f"{len(cases)} pages, {megabytes:.1f} MB of HTML. CPU seconds of the fastest of "
             "the timed rounds (systems interleaved).", "",
             "| system | seconds | pages/s |", "|---|---:|---:|"]
    for name, seconds in [*times.items(), (PARSE_FLOOR, floor)]:
        lines.append(f"| {name} | {seconds:.2f} | {len(cases) / seconds:.1f} |")
    return "\n".join(lines)


def per_page(results_by_system: dict[str, list[Result]]) -> str:
    """Body F1 and headline per page for each system: where to look next."""
    names = list(results_by_system)
    lines = ["### Per page (body F1 / headline ok / published ok / authors F1)", "",
             "| page | " + " | ".join(names) + " |", "|---|" + "---|" * len(names)]
    for index, result in enumerate(results_by_system[names[0]]):
        cells = []
        for name in names:
            r = results_by_system[name][index]
            o, t = r.output or Output(), r.case.truth
            s = body_score(o.body, truth_text(t))
            p, rc = s.precision or 0.0, s.recall or 0.0
            f1 = 2 * p * rc / (p + rc) if p + rc else 0.0
            cells.append(f"{f1:.2f} {'H' if headline_ok(o.headline, t.get('title')) else '-'}"
                         f"{'P' if published_ok(o.published, t.get('published')) else '-'}"
                         f" {author_f1(o.authors, t.get('authors') or []):.1f}"
                         + (" ERR" if r.error else ""))
        lines.append(f"| {result.case.name} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--per-page", action="store_true", help="also print a row per page")
    parser.add_argument("--repeats", type=int, default=3,
                        help="timed runs per system; the fastest counts (default 3)")
    parser.add_argument("--all", action="store_true",
                        help="then the open-web sets too (benchmarks/openweb.py)")
    args = parser.parse_args(argv)
    cases = load_cases(args.corpus)
    if not cases:
        print(f"no pages with truth under {args.corpus}", file=sys.stderr)
        return 1
    results: dict[str, list[Result]] = {}
    for name, function in SYSTEMS:
        results[name] = run_system(function, cases)  # also warms imports up before timing
    tasks = {name: extract_all(function, cases) for name, function in SYSTEMS}
    tasks[PARSE_FLOOR] = parse_all(cases)
    times = timed_rounds(tasks, args.repeats)
    floor = times.pop(PARSE_FLOOR)
    groups = [("en", "English"), ("de", "German"), ("other", "Other languages (fr, es, ru, "
                                                              "ja, zh)"), (None, "All pages")]
    for group, title in groups:
        columns = {name: summarise([r for r in rs if group is None or r.case.group == group])
                   for name, rs in results.items()}
        print(table(title, columns), end="\n\n")
    corrected = {c.name: c for c in with_corrections(cases)}
    rescored = {name: [replace(r, case=corrected[r.case.name]) for r in rs]
                for name, rs in results.items()}
    title = "All pages, against the truth with the fixtures' documented corrections"
    print(table(title, {name: summarise(rs) for name, rs in rescored.items()}), end="\n\n")
    print(speed_table(cases, times, floor))
    for name, rs in results.items():
        for r in rs:
            if r.error:
                print(f"\n{name} failed on {r.case.name}: {r.error}", file=sys.stderr)
    if args.per_page:
        print("\n" + per_page(results))
    if args.all:
        from benchmarks import openweb

        print()
        return openweb.main(["--repeats", str(args.repeats)]
                            + (["--per-page"] if args.per_page else []))
    return 0


if __name__ == "__main__":
    sys.exit(main())
