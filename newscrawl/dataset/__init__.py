"""Reading newscrawl datasets: JSON Lines files (plain or gzipped) as dicts or a DataFrame.

    from newscrawl import dataset
    for item in dataset.read("data/", site="bbc", since="2026-01-01"):
        ...

A file cut short by a crash ends in a torn line; it is skipped and reported (logged, and
counted in the optional `ReadReport`), never raised.
"""

from __future__ import annotations

import glob
import json
import logging
import os
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

from newscrawl.dataset.jsonlines import LineReader
from newscrawl.model.items import ARTICLE_FIELDS
from newscrawl.model.languages import language_codes

logger = logging.getLogger(__name__)

PathLike = str | os.PathLike[str]
DATA_PATTERNS = ("*.jsonl", "*.jsonl.gz")
_GLOB_CHARS = frozenset("*?[")


class MissingDependency(ImportError):
    """An optional extra is not installed; the message says which one."""


def require(module: str, extra: str, purpose: str) -> Any:
    """Import an optional dependency, or explain how to install it."""
    try:
        return __import__(module)
    except ImportError as error:
        raise MissingDependency(
            f"{purpose} needs {module}, which is not installed: "
            f"pip install 'newscrawl[{extra}]'") from error


@dataclass
class ReadReport:
    files: int = 0
    items: int = 0
    torn_files: list[str] = field(default_factory=list)
    bad_lines: int = 0


def expand(paths_or_globs: PathLike | Iterable[PathLike]) -> list[Path]:
    """Files named, matched by globs, or found (recursively) in folders, sorted, once each."""
    entries = [paths_or_globs] if isinstance(paths_or_globs, str | os.PathLike) \
        else list(paths_or_globs)
    found: dict[Path, None] = {}
    for entry in map(str, entries):
        if _GLOB_CHARS & set(entry):
            matches = [Path(p) for p in glob.glob(entry, recursive=True)]
        elif Path(entry).is_dir():
            matches = [p for pattern in DATA_PATTERNS for p in Path(entry).rglob(pattern)]
        else:
            matches = [Path(entry)]
        if not matches:
            logger.warning("%s: no such file, or nothing matches", entry)
        for match in sorted(matches):
            if match.is_file():
                found[match] = None
    return list(found)


def to_datetime(value: str | date | datetime | None) -> datetime | None:
    """An aware datetime; dates are midnight UTC and values without offset count as UTC."""
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value) if "T" in value or " " in value \
                else date.fromisoformat(value)
        except ValueError:
            return None
    if not isinstance(value, datetime):
        value = datetime(value.year, value.month, value.day)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def item_time(item: dict[str, Any]) -> datetime | None:
    """When the article appeared: published, else fetched."""
    return to_datetime(item.get("published")) or to_datetime(item.get("fetched_at"))


def _in_window(item: dict[str, Any], since: datetime | None, until: datetime | None) -> bool:
    if since is None and until is None:
        return True
    when = item_time(item)
    if when is None:
        return False
    return (since is None or when >= since) and (until is None or when < until)


def _items_of(path: Path, report: ReadReport) -> Iterator[dict[str, Any]]:
    reader = LineReader(path)
    for number, line in enumerate(reader, 1):
        try:
            item = json.loads(line)
        except ValueError:
            report.bad_lines += 1
            logger.warning("%s:%d: not valid JSON, skipped", path, number)
            continue
        if isinstance(item, dict):
            yield item
    if reader.torn:
        report.torn_files.append(str(path))
        logger.warning("%s: skipped a torn last line (%d bytes; a crawl was interrupted)",
                       path, reader.torn)


def read(paths_or_globs: PathLike | Iterable[PathLike], *, site: str | Iterable[str] | None = None,
         since: str | date | datetime | None = None, until: str | date | datetime | None = None,
         language: str | Iterable[str] | None = None,
         report: ReadReport | None = None) -> Iterator[dict[str, Any]]:
    """Items of the files, filtered by site, by [since, until) on published (or fetched) and
    by language ("en", "en,de" or a list of ISO 639-1 codes).

    Dates without offset, and plain days, are taken as UTC.
    """
    report = report if report is not None else ReadReport()
    sites = {site} if isinstance(site, str) else set(site) if site is not None else None
    languages = language_codes(language)
    start, end = to_datetime(since), to_datetime(until)
    for path in expand(paths_or_globs):
        report.files += 1
        try:
            for item in _items_of(path, report):
                if sites is not None and item.get("site") not in sites:
                    continue
                if languages is not None and item.get("language") not in languages:
                    continue
                if _in_window(item, start, end):
                    report.items += 1
                    yield item
        except OSError as error:  # unreadable or vanished file: report and go on
            logger.warning("%s: cannot read (%s), skipped", path, error)


def to_pandas(paths_or_globs: PathLike | Iterable[PathLike], **filters: Any) -> Any:
    """The items as a pandas DataFrame (needs the `pandas` extra); filters as for read()."""
    pandas = require("pandas", "pandas", "to_pandas()")
    rows = list(read(paths_or_globs, **filters))
    frame = pandas.DataFrame.from_records(rows) if rows \
        else pandas.DataFrame(columns=list(ARTICLE_FIELDS))
    for name in ("fetched_at",):
        if name in frame:
            frame[name] = pandas.to_datetime(frame[name], utc=True)
    return frame
