"""Comparing re-extracted items with an earlier run's JSON Lines, matched by URL."""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newscrawl.fixtures import FieldDiff, diff_items

# Fields that differ on every run by design, not because an extractor changed.
IGNORED_FIELDS = frozenset({"fetched_at", "warc"})
MAX_EXAMPLE_LINES = 12


class OldItems:
    """An earlier run's items, indexed by URL to their line's byte offset: memory holds the
    index, not the items, so a month of items can be compared."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.offsets: dict[str, tuple[int, str]] = {}
        self.bad_lines = 0
        self._handle = open(path, "rb")  # noqa: SIM115 - closed by close()
        self._index()

    def _index(self) -> None:
        offset = 0
        for line in self._handle:
            try:
                item = json.loads(line)
                url, site = item["url"], item.get("site") or "?"
            except (ValueError, KeyError, TypeError):
                self.bad_lines += bool(line.strip())
            else:
                self.offsets.setdefault(url, (offset, site))
            offset += len(line)

    def get(self, url: str) -> dict[str, Any] | None:
        entry = self.offsets.get(url)
        if entry is None:
            return None
        self._handle.seek(entry[0])
        return json.loads(self._handle.readline())

    def close(self) -> None:
        self._handle.close()


@dataclass
class SiteCounts:
    compared: int = 0
    changed: int = 0
    new: int = 0
    missing: int = 0
    fields: Counter[str] = field(default_factory=Counter)


@dataclass
class Comparison:
    old: OldItems
    examples_per_field: int = 3
    sites: dict[str, SiteCounts] = field(default_factory=lambda: defaultdict(SiteCounts))
    examples: dict[tuple[str, str], list[tuple[str, FieldDiff]]] = field(
        default_factory=lambda: defaultdict(list))
    seen: set[str] = field(default_factory=set)

    def add(self, item: dict[str, Any]) -> None:
        url, site = item["url"], item.get("site") or "?"
        counts = self.sites[site]
        old = self.old.get(url)
        self.seen.add(url)
        if old is None:
            counts.new += 1
            return
        counts.compared += 1
        diffs = [d for d in diff_items(old, item) if d.field not in IGNORED_FIELDS]
        counts.changed += bool(diffs)
        for diff in diffs:
            counts.fields[diff.field] += 1
            examples = self.examples[(site, diff.field)]
            if len(examples) < self.examples_per_field:
                examples.append((url, diff))

    def finish(self) -> None:
        """Count the old items that the re-extraction did not produce."""
        for url, (_, site) in self.old.offsets.items():
            if url not in self.seen:
                self.sites[site].missing += 1

    def report(self) -> str:
        totals = SiteCounts()
        for counts in self.sites.values():
            totals.compared += counts.compared
            totals.changed += counts.changed
            totals.new += counts.new
            totals.missing += counts.missing
        lines = [f"compared with {self.old.path} (matched by url): {totals.compared} items "
                 f"compared, {totals.changed} changed, {totals.new} new, {totals.missing} "
                 f"missing from the re-extraction"]
        for site in sorted(self.sites):
            lines.extend(self._site_report(site, self.sites[site]))
        return "\n".join(lines)

    def _site_report(self, site: str, counts: SiteCounts) -> list[str]:
        lines = ["", f"{site}: {counts.compared} compared, {counts.changed} changed, "
                     f"{counts.new} new, {counts.missing} missing"]
        for name, number in counts.fields.most_common():
            lines.append(f"  {name}: {number} changed")
        for name, _ in counts.fields.most_common():
            for url, diff in self.examples[(site, name)]:
                lines.append(f"  example ({name}) {url}  [- old, + new]")
                lines.extend("    " + line for line in _compact(diff))
        return lines


def _compact(diff: FieldDiff) -> list[str]:
    text = diff.render().replace("expected", "old").replace("actual:  ", "new:").replace(
        " found", " now")
    lines = text.splitlines()
    if len(lines) > MAX_EXAMPLE_LINES:
        lines = [*lines[:MAX_EXAMPLE_LINES], f"… {len(lines) - MAX_EXAMPLE_LINES} more lines"]
    return lines
