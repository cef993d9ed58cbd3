"""Run manifests: what a run wrote, with what, and a checksum of every file."""

from __future__ import annotations

import hashlib
import json
import os
from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from newscrawl.dataset.jsonlines import LineReader
from newscrawl.model.items import ARTICLE_FIELDS
from newscrawl.version import __version__

MANIFEST_SUFFIX = ".manifest.json"


def is_covered(value: Any) -> bool:
    """A field is covered when it says something: not null, empty or zero."""
    return value not in (None, "", [], {}, 0)


def scan_file(path: Path) -> tuple[dict[str, Any], Counter[str], Counter[str], Counter[str]]:
    """(file entry, field coverage counts, extractor counts, flag counts) of one data file."""
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    coverage: Counter[str] = Counter()
    extractors: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    lines = 0
    reader = LineReader(path)
    for line in reader:
        item = json.loads(line)
        lines += 1
        coverage.update(name for name, value in item.items() if is_covered(value))
        extractors[str(item.get("extractor"))] += 1
        flags["near_duplicates"] += item.get("duplicate_of") is not None
        flags["kept_invalid"] += item.get("problems") is not None
    entry = {"path": "", "items": lines, "bytes": path.stat().st_size,
             "sha256": digest.hexdigest(), "torn_tail_bytes": reader.torn}
    return entry, coverage, extractors, flags


def build_manifest(root: Path, run: str, files: Iterable[Path], *, status: str,
                   started_at: str | None, finished_at: str | None,
                   settings: dict[str, Any], stats: dict[str, Any]) -> dict[str, Any]:
    entries: list[dict[str, Any]] = []
    coverage: Counter[str] = Counter()
    extractors: Counter[str] = Counter()
    flags: Counter[str] = Counter()
    per_site: Counter[str] = Counter()
    for path in sorted(files):
        entry, file_coverage, file_extractors, file_flags = scan_file(path)
        entry["path"] = path.relative_to(root).as_posix()
        entries.append(entry)
        coverage.update(file_coverage)
        extractors.update(file_extractors)
        flags.update(file_flags)
        per_site[path.relative_to(root).parts[0]] += entry["items"]
    total = sum(entry["items"] for entry in entries)
    fields = list(ARTICLE_FIELDS) + sorted(set(coverage) - set(ARTICLE_FIELDS))
    return {
        "newscrawl_version": __version__,
        "run": run,
        "status": status,
        "started_at": started_at,
        "finished_at": finished_at,
        "extractors": dict(sorted(extractors.items())),
        "settings": settings,
        "counts": {"items": total, "per_site_folder": dict(sorted(per_site.items())),
                   **{name: flags[name] for name in ("near_duplicates", "kept_invalid")},
                   "dropped": {key.rsplit("/", 1)[1]: value for key, value in sorted(stats.items())
                               if key.startswith("newscrawl/dropped/")}},
        "coverage": {name: round(coverage[name] / total, 4) if total else 0.0
                     for name in fields},
        "files": entries,
    }


def write_manifest(path: Path, manifest: dict[str, Any]) -> None:
    """Atomically: readers see the old manifest or the new one, never half of one."""
    temporary = path.with_name(path.name + ".tmp")
    with open(temporary, "w", encoding="utf-8") as handle:
        json.dump(manifest, handle, ensure_ascii=False, indent=2, default=str)
        handle.write("\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
