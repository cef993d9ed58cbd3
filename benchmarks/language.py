"""Language detection on the open-web benchmark pages: is it right, and what does it cost?

Run from the project root:  python -m benchmarks.language [--pages DIR] [--repeats N]

For every page of ../shared/benchmarks/ that declares a language (the `lang` attribute,
og:locale, content-language, JSON-LD inLanguage...) and whose body has 50 words or more, the
declarations are taken out of the HTML and the page extracted again: the detected language
should agree with the declared one. Speed is the CPU time of extracting those stripped pages
with detection and without (the fastest of the rounds, the two interleaved): detection runs
on every one of them, the worst case; pages that declare a language never detect.
"""

from __future__ import annotations

import argparse
import gc
import gzip
import json
import re
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: import the checkout, not an installed copy
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from newscrawl.api import ExtractionError, extract
from newscrawl.extraction.decode import decode_html
from newscrawl.extraction.text import count_words

DEFAULT_BENCHMARKS = Path("../shared/benchmarks")
MIN_WORDS = 50
FETCHED = "2024-01-01T00:00:00+00:00"
# What declares a page's language, each written the ways pages write it.
_LANG_ATTRIBUTE = re.compile(r"""\s(?:xml:)?lang\s*=\s*(?:"[^"]*"|'[^']*'|[^\s>]+)""", re.I)
_LANGUAGE_META = re.compile(
    r"""<meta\b[^>]*(?:og:locale|content-language|["']language["']|dc\.language)[^>]*>""", re.I)
_LD_LANGUAGE = re.compile(r'"inLanguage"', re.I)


def strip_declarations(html: str) -> str:
    html = _LANG_ATTRIBUTE.sub("", html)
    html = _LANGUAGE_META.sub("", html)
    return _LD_LANGUAGE.sub('"declaredLanguageRemoved"', html)


@dataclass
class Case:
    url: str
    declared: str
    stripped: str


def page_urls(root: Path) -> dict[str, str]:
    """File name -> URL for every page the two label files name (neutral URLs for keys that
    are not URLs, as the README says)."""
    urls: dict[str, str] = {}
    for labels in ("segments.json", "dates.json"):
        for key, entry in json.loads((root / labels).read_text("utf-8")).items():
            url = key if key.startswith(("http://", "https://")) \
                else f"https://example.org/{entry['file']}"
            urls.setdefault(entry["file"], url)
    return urls


def load_cases(root: Path) -> tuple[list[Case], Counter]:
    counts: Counter = Counter()
    cases = []
    for name, url in sorted(page_urls(root).items()):
        path = root / "pages" / (name if name.endswith(".gz") else f"{name}.gz")
        if not path.is_file():
            counts["missing"] += 1
            continue
        html = decode_html(gzip.decompress(path.read_bytes()), None)
        try:
            item = extract(html, url, FETCHED)
        except ExtractionError:
            counts["not extractable"] += 1
            continue
        counts["pages"] += 1
        if item.language_source != "declared":
            counts["declaring none"] += 1
            continue
        if count_words(item.body) < MIN_WORDS:
            counts["declared, body under 50 words"] += 1
            continue
        cases.append(Case(url, item.language, strip_declarations(html)))
    return cases, counts


def timed(cases: Sequence[Case], detect: bool) -> float:
    gc.collect()
    start = time.process_time()
    for case in cases:
        extract(case.stripped, case.url, FETCHED, detect_language=detect)
    return time.process_time() - start


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--benchmarks", type=Path, default=DEFAULT_BENCHMARKS)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args(argv)
    cases, counts = load_cases(args.benchmarks)
    print(", ".join(f"{name}: {count}" for name, count in counts.items()))
    agree, confusions = 0, Counter()
    for case in cases:
        item = extract(case.stripped, case.url, FETCHED)
        if item.language == case.declared:
            agree += 1
        else:
            confusions[f"{case.declared}->{item.language}"] += 1
    print(f"detection agrees with the declaration on {agree}/{len(cases)} pages "
          f"({agree / len(cases):.1%}) whose body has {MIN_WORDS} words or more")
    print("disagreements (declared->detected):",
          ", ".join(f"{k} {v}" for k, v in confusions.most_common()) or "none")
    best = {True: float("inf"), False: float("inf")}
    for _ in range(args.repeats):
        for detect in (False, True):
            best[detect] = min(best[detect], timed(cases, detect))
    print(f"extraction of the {len(cases)} stripped pages, CPU seconds (fastest of "
          f"{args.repeats}): without detection {best[False]:.2f} "
          f"({len(cases) / best[False]:.1f} pages/s), with detection {best[True]:.2f} "
          f"({len(cases) / best[True]:.1f} pages/s): {best[True] / best[False] - 1:+.1%}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
