"""Saved pages with their expected items: how extractors are checked.

A fixture is `fixtures/<site>/<name>.html.gz` beside `<name>.json`:

    {"url": ..., "fetched_at": ..., "kind": "article" | "listing", "encoding": null,
     "provenance": {"status": "captured" | "reconstructed", "source": ..., "licence": ...},
     "truth": {... the reference values, when an independent truth exists ...},
     "truth_differences": ["where and why `expected` knowingly differs from `truth`"],
     "expected": {... the item the extractor must produce ...}}
"""

from __future__ import annotations

import difflib
import gzip
import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from newscrawl.api import extract, extract_listing

FIXTURES_DIR = Path(__file__).resolve().parent.parent / "fixtures"
PROVENANCE_STATUSES = ("captured", "reconstructed")
_SAFE_NAME = re.compile(r"[^a-z0-9._-]+")
MAX_NAME_LENGTH = 100


@dataclass
class Fixture:
    site: str
    name: str
    html_path: Path
    meta_path: Path
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def url(self) -> str:
        return self.meta["url"]

    @property
    def kind(self) -> str:
        return self.meta.get("kind", "article")

    @property
    def expected(self) -> dict[str, Any] | None:
        return self.meta.get("expected")

    @property
    def label(self) -> str:
        return f"{self.site}/{self.name}"

    def html(self) -> bytes:
        return gzip.decompress(self.html_path.read_bytes())

    def extract(self) -> dict[str, Any]:
        """The item the current extractors produce for this page, as JSON-ready data."""
        run = extract_listing if self.kind == "listing" else extract
        item = run(self.html(), self.url, self.meta["fetched_at"],
                   encoding=self.meta.get("encoding"))
        return json.loads(json.dumps(item.to_dict(), ensure_ascii=False))

    def save(self) -> None:
        write_json(self.meta_path, self.meta)


def safe_name(text: str) -> str:
    """A file name that cannot leave its folder: lower-case [a-z0-9._-], no leading dots."""
    name = _SAFE_NAME.sub("-", text.lower()).strip("-.")[:MAX_NAME_LENGTH].strip("-.")
    if not name:
        raise ValueError(f"cannot make a file name from {text!r}")
    return name


def write_json(path: Path, data: dict[str, Any]) -> None:
    """Write atomically: a crash never leaves half a fixture."""
    temporary = path.with_suffix(path.suffix + ".tmp")
    temporary.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    temporary.replace(path)


def iter_fixtures(sites: Iterable[str] = (), root: Path = FIXTURES_DIR) -> Iterator[Fixture]:
    wanted = set(sites)
    for meta_path in sorted(root.glob("*/*.json")):
        site = meta_path.parent.name
        if wanted and site not in wanted:
            continue
        name = meta_path.name.removesuffix(".json")
        meta = json.loads(meta_path.read_text("utf-8"))
        yield Fixture(site, name, meta_path.with_name(f"{name}.html.gz"), meta_path, meta)


def add_fixture(page: Path, url: str, *, site: str, name: str | None = None,
                fetched_at: str | None = None, provenance: dict[str, Any] | None = None,
                root: Path = FIXTURES_DIR, kind: str = "article") -> Fixture:
    """Import a saved page (plain or gzipped) with the current extraction as its expected item."""
    data = page.read_bytes()
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    site = safe_name(site)
    name = safe_name(name or _name_from_url(url))
    folder = root / site
    folder.mkdir(parents=True, exist_ok=True)
    provenance = provenance or {"status": "captured", "source": str(page), "licence": None}
    if provenance.get("status") not in PROVENANCE_STATUSES:
        raise ValueError(f"provenance status must be one of {PROVENANCE_STATUSES}")
    fixture = Fixture(site, name, folder / f"{name}.html.gz", folder / f"{name}.json", {
        "url": url,
        "fetched_at": fetched_at or datetime.now(UTC).replace(microsecond=0).isoformat(),
        "kind": kind,
        "encoding": None,
        "provenance": provenance,
    })
    if fixture.meta_path.exists():
        raise FileExistsError(f"fixture {fixture.label} exists; use `fixtures update`")
    fixture.html_path.write_bytes(gzip.compress(data, mtime=0))
    fixture.meta["expected"] = fixture.extract()
    fixture.save()
    return fixture


def attach_truth(fixture: Fixture, truth: dict[str, Any],
                 differences: Iterable[dict[str, str]] = ()) -> None:
    """Store an independent reference record (and known departures from it) in the fixture,
    keeping `expected` last so the reviewed item stays at the end of the file."""
    expected = fixture.meta.pop("expected", None)
    fixture.meta["truth"] = truth
    fixture.meta["truth_differences"] = list(differences) or fixture.meta.get(
        "truth_differences", [])
    if expected is not None:
        fixture.meta["expected"] = expected
    fixture.save()


def _name_from_url(url: str) -> str:
    path = re.sub(r"^https?://[^/]+", "", url).strip("/")
    return path.rsplit("/", 1)[-1].removesuffix(".html") or "index"


# -- comparing items --------------------------------------------------------------------------
@dataclass
class FieldDiff:
    field: str
    expected: Any
    actual: Any

    def render(self) -> str:
        if isinstance(self.expected, str) and isinstance(self.actual, str) and (
                "\n\n" in self.expected or "\n\n" in self.actual):
            return paragraph_diff(self.field, self.expected, self.actual)
        if isinstance(self.expected, list) and isinstance(self.actual, list):
            return list_diff(self.field, self.expected, self.actual)
        return (f"{self.field}:\n  - expected: {_show(self.expected)}\n"
                f"  + actual:   {_show(self.actual)}{_invisible_note(self.expected, self.actual)}")


def _invisible_note(expected: Any, actual: Any) -> str:
    """Name the characters when two strings differ only in spacing, which looks identical."""
    if not (isinstance(expected, str) and isinstance(actual, str)):
        return ""
    if expected.split() != actual.split():
        return ""
    odd = sorted({c for c in expected + actual if c.isspace() and c != " "})
    names = ", ".join(f"U+{ord(c):04X}" for c in odd) or "repeated or edge spaces"
    return f"\n  (the values differ only in whitespace: {names})"


def _show(value: Any, limit: int = 300) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= limit else text[:limit] + "…"


def paragraph_diff(name: str, expected: str, actual: str) -> str:
    """Which paragraphs are missing, extra or changed: readable for long text."""
    old, new = expected.split("\n\n"), actual.split("\n\n")
    lines = [f"{name}: {len(old)} paragraphs expected, {len(new)} found"]
    matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            continue
        if tag in ("replace",) and i2 - i1 == j2 - j1:
            for offset in range(i2 - i1):
                lines.append(f"  ~ changed paragraph {i1 + offset + 1}:")
                lines.append(f"      - {_show(old[i1 + offset])}")
                lines.append(f"      + {_show(new[j1 + offset])}")
            continue
        for index in range(i1, i2):
            lines.append(f"  - missing paragraph {index + 1}: {_show(old[index])}")
        for index in range(j1, j2):
            lines.append(f"  + extra paragraph (found at {index + 1}): {_show(new[index])}")
    return "\n".join(lines)


def list_diff(name: str, expected: list[Any], actual: list[Any]) -> str:
    lines = [f"{name}: {len(expected)} expected, {len(actual)} found"]
    for index in range(max(len(expected), len(actual))):
        old = expected[index] if index < len(expected) else None
        new = actual[index] if index < len(actual) else None
        if old == new:
            continue
        if isinstance(old, dict) and isinstance(new, dict):
            for key in sorted(set(old) | set(new)):
                if old.get(key) != new.get(key):
                    lines.append(f"  [{index}].{key}: - {_show(old.get(key))}")
                    lines.append(f"  {' ' * len(str(index))}   {' ' * len(key)}  + "
                                 f"{_show(new.get(key))}")
        elif old is None:
            lines.append(f"  + extra [{index}]: {_show(new)}")
        elif new is None:
            lines.append(f"  - missing [{index}]: {_show(old)}")
        else:
            lines.append(f"  [{index}]: - {_show(old)}\n  {' ' * len(str(index))}   + {_show(new)}")
    return "\n".join(lines)


IGNORED_FIELDS = frozenset({"fetched_at"})


def diff_items(expected: dict[str, Any], actual: dict[str, Any]) -> list[FieldDiff]:
    keys = [k for k in dict.fromkeys([*expected, *actual]) if k not in IGNORED_FIELDS]
    return [FieldDiff(k, expected.get(k), actual.get(k)) for k in keys
            if expected.get(k) != actual.get(k)]


@dataclass
class CheckResult:
    fixture: Fixture
    diffs: list[FieldDiff] = field(default_factory=list)
    error: str | None = None

    @property
    def ok(self) -> bool:
        return not self.diffs and self.error is None

    def render(self) -> str:
        if self.ok:
            return f"ok    {self.fixture.label}"
        head = f"FAIL  {self.fixture.label} ({self.fixture.url})"
        if self.error:
            return f"{head}\n  error: {self.error}"
        return "\n".join([head, *("  " + d.render().replace("\n", "\n  ") for d in self.diffs)])


def check_fixture(fixture: Fixture) -> CheckResult:
    if fixture.expected is None:
        return CheckResult(fixture, error="no expected item: run `newscrawl fixtures update`")
    try:
        actual = fixture.extract()
    except Exception as error:  # a fixture check reports every failure, whatever its kind
        return CheckResult(fixture, error=f"{type(error).__name__}: {error}")
    return CheckResult(fixture, diff_items(fixture.expected, actual))


def update_fixture(fixture: Fixture) -> list[FieldDiff]:
    """Make the current extraction the expected item; returns what changed."""
    actual = fixture.extract()
    changes = diff_items(fixture.expected or {}, actual)
    if changes:
        fixture.meta["expected"] = actual
        fixture.save()
    return changes


# -- comparing with an independent truth ------------------------------------------------------
def _paragraphs(value: Any) -> list[str]:
    if value is None:
        return []
    parts = value if isinstance(value, list) else str(value).split("\n\n")
    return [" ".join(p.split()) for p in parts if p and p.strip()]


def _minute(value: str | None) -> str | None:
    if not value:
        return None
    parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(UTC)
    return parsed.strftime("%Y-%m-%dT%H:%M%z")


def _body_against_truth(item: dict[str, Any], truth: dict[str, Any]) -> tuple[list, list]:
    ours = _paragraphs(item.get("body"))
    theirs = _paragraphs(truth.get("body"))
    lead = _paragraphs(truth.get("lead")) or _paragraphs(item.get("lead"))
    if lead and ours[:len(lead)] == lead and theirs[:len(lead)] != lead:
        ours = ours[len(lead):]
    return theirs, ours


def truth_diffs(item: dict[str, Any], truth: dict[str, Any],
                skip: Iterable[str] = ()) -> list[FieldDiff]:
    """How an extracted item departs from a truth record (corpus truth files' keys).

    Headline exact, dates to the minute (in UTC when both have an offset), authors as sets,
    body paragraph for paragraph (the lead may open our body), captions and credits in order.
    """
    checks: dict[str, tuple[Any, Any]] = {}
    if "title" in truth or "headline" in truth:
        checks["headline"] = (truth.get("headline", truth.get("title")), item.get("headline"))
    for key in ("published", "modified"):
        if truth.get(key):
            checks[key] = (_minute(truth[key]), _minute(item.get(key)))
    if "authors" in truth:
        # As a set, case aside: "STEVE PEOPLES" in a byline styled in capitals is the same name.
        checks["authors"] = (sorted(a.casefold() for a in truth["authors"]),
                             sorted(a.casefold() for a in item.get("authors") or []))
    if truth.get("body") is not None:
        theirs, ours = _body_against_truth(item, truth)
        checks["body"] = ("\n\n".join(theirs), "\n\n".join(ours))
    if truth.get("lead"):
        checks["lead"] = (" ".join(_paragraphs(truth["lead"])), item.get("lead"))
    for key in ("section", "related", "next_page"):
        if key in truth:
            checks[key] = (truth[key], item.get(key))
    if truth.get("dateline_raw"):
        checks["dateline"] = (truth["dateline_raw"], (item.get("dateline") or {}).get("raw"))
    tags = truth.get("tags", truth.get("topics"))
    if tags is not None:
        checks["tags"] = (tags, item.get("tags"))
    if truth.get("images"):
        checks["images"] = (_captions(truth["images"]), _captions(item.get("images") or []))
    if "entries" in truth:
        fields = ("url", "headline", "published")
        checks["entries"] = ([{k: e.get(k) for k in fields} for e in truth["entries"]],
                             [{k: e.get(k) for k in fields} for e in item.get("entries") or []])
    skipped = set(skip)
    return [FieldDiff(name, want, got) for name, (want, got) in checks.items()
            if name not in skipped and want != got]


def check_against_truth(fixture: Fixture, item: dict[str, Any] | None = None) -> list[FieldDiff]:
    """How the current extraction (or `item`) departs from the fixture's truth, leaving out the
    fields its `truth_differences` document. Empty when the fixture has no truth."""
    truth = fixture.meta.get("truth")
    if not truth:
        return []
    skip = [d["field"] for d in fixture.meta.get("truth_differences", [])]
    return truth_diffs(item if item is not None else fixture.extract(), truth, skip)


def _captions(images: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [{"caption": i.get("caption"), "credit": i.get("credit")} for i in images]
