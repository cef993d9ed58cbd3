"""The run report: one self-contained HTML page about a dataset's runs.

Built from what the runs leave in the data folder: the run manifests (`<run>.manifest.json`,
newscrawl/dataset/manifest.py: files per site and day, duplicates) and the run history
(`runs/<run>.json`, newscrawl.crawl.alarms: the per-site summary, errors, faults and alarms
of each run). It shows articles per site per fetch day, field coverage per site over runs
(the field furthest below the threshold the site's profile sets for it, so a markup change
shows as a red cell), the duplicate share per run, errors and faults per run, and a
table of the latest run.

The plots are matplotlib's, written as SVG into the page (text as paths, no fonts), so the
page needs no network, no script and no other file to be viewed.
"""

from __future__ import annotations

import html
import io
import json
import logging
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from newscrawl.crawl.alarms import HISTORY_SUBDIR, read_history

logger = logging.getLogger(__name__)

MANIFEST_SUFFIX = ".manifest.json"
DUPLICATE_REASONS = ("duplicate_url", "duplicate_content", "near_duplicate")
# Coverage cells are coloured by share / threshold: green at the threshold or above, through
# yellow to red at half of it or less (matplotlib's RdYlGn).
COLOUR_MAP = "RdYlGn"
# Generic items have no profile thresholds; these stand in, for the colour only.
GENERIC_FIELDS = ("headline", "body", "published")
GENERIC_THRESHOLD = 0.9


class MissingDependency(ImportError):
    """The report's plots need matplotlib (the `report` extra)."""


@dataclass
class ReportData:
    manifests: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)

    def articles_per_site_day(self) -> dict[str, dict[str, int]]:
        table: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
        for manifest in self.manifests:
            for entry in manifest.get("files", ()):
                parts = Path(entry["path"]).parts
                if len(parts) == 3:
                    table[parts[0]][parts[1]] += int(entry.get("items", 0))
        return {site: dict(days) for site, days in sorted(table.items())}


def read_manifests(data_dir: Path) -> list[dict[str, Any]]:
    manifests = []
    for path in sorted(data_dir.glob(f"*{MANIFEST_SUFFIX}")):
        try:
            manifests.append(json.loads(path.read_text("utf-8")))
        except (OSError, ValueError) as error:
            logger.warning("report: skipped %s (%s)", path, error)
    return sorted(manifests, key=lambda m: str(m.get("finished_at") or m.get("run") or ""))


def load(data_dir: Path, history: Path | None = None) -> ReportData:
    return ReportData(read_manifests(data_dir),
                      read_history(history or data_dir / HISTORY_SUBDIR))


def run_label(record: dict[str, Any]) -> str:
    when = str(record.get("finished_at") or record.get("started_at") or "")
    return when[:19].replace("T", " ") if when else str(record.get("run", "?"))


def worst_watched_field(entry: dict[str, Any]) -> tuple[float, float, str] | None:
    """(share / threshold, share, field) of the site's field furthest below its threshold
    (or nearest to it), among those its profile watches; None without items."""
    if not entry.get("items"):
        return None
    thresholds = entry.get("thresholds") or dict.fromkeys(GENERIC_FIELDS, GENERIC_THRESHOLD)
    shares = entry.get("fields", {})
    return min((shares.get(name, 0.0) / minimum if minimum else 1.0, shares.get(name, 0.0),
                name) for name, minimum in thresholds.items())


def duplicate_share(manifest: dict[str, Any]) -> float:
    counts = manifest.get("counts", {})
    dropped = sum(counts.get("dropped", {}).get(r, 0) for r in DUPLICATE_REASONS)
    marked = counts.get("near_duplicates", 0)
    seen = counts.get("items", 0) + dropped
    return (dropped + marked) / seen if seen else 0.0


# -- plots -------------------------------------------------------------------------------------
def _figure(width: float, height: float) -> Any:
    try:
        import matplotlib

        matplotlib.rcParams["svg.fonttype"] = "path"  # text as shapes: no font needed
        matplotlib.rcParams["svg.hashsalt"] = "newscrawl"  # the same ids each time
        from matplotlib.figure import Figure
    except ImportError as error:
        raise MissingDependency("the report's plots need matplotlib: "
                                "pip install 'newscrawl[report]'") from error
    return Figure(figsize=(width, height), layout="constrained")


def _svg(figure: Any, label: str) -> str:
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", metadata={"Date": None})
    text = buffer.getvalue()
    svg = text[text.index("<svg"):]
    return svg.replace("<svg ", f'<svg role="img" aria-label="{html.escape(label)}" ', 1)


def heatmap(rows: list[str], columns: list[str], values: list[list[float | None]], *,
            title: str, label: str, cell_text: list[list[str]], vmin: float = 0.0,
            vmax: float | None = None,
            colour_map: str = "Blues", low_is_bad: bool = False) -> str:
    import numpy as np

    figure = _figure(max(4.0, 1.2 + 0.9 * len(columns)), max(2.0, 0.8 + 0.28 * len(rows)))
    axes = figure.subplots()
    grid = np.ma.masked_invalid(np.array([[np.nan if v is None else v for v in row]
                                          for row in values], dtype=float))
    top = vmax if vmax is not None else max(1.0, float(grid.max() or 1))
    image = axes.imshow(grid, aspect="auto", cmap=colour_map, vmin=vmin, vmax=top)
    axes.set_xticks(range(len(columns)), columns, rotation=30, ha="right", fontsize=8)
    axes.set_yticks(range(len(rows)), rows, fontsize=8)
    for y, row in enumerate(cell_text):
        for x, text in enumerate(row):
            value = values[y][x]
            dark = not low_is_bad and value is not None and value > 0.6 * top
            axes.text(x, y, text, ha="center", va="center", fontsize=7,
                      color="white" if dark else "black")
    axes.set_title(title, fontsize=10)
    figure.colorbar(image, ax=axes, shrink=0.6)
    return _svg(figure, label)


def articles_plot(data: ReportData) -> str:
    table = data.articles_per_site_day()
    if not table:
        return _empty("No run manifests: no articles to plot.")
    days = sorted({day for days in table.values() for day in days})
    sites = list(table)
    values = [[table[s].get(d) for d in days] for s in sites]
    text = [[str(v) if v else "" for v in row] for row in values]
    return heatmap(sites, days, values, title="Articles written per site and fetch day (UTC)",
                   label="articles per site per day", cell_text=text)


def coverage_plot(data: ReportData) -> str:
    runs = [r for r in data.runs if r.get("sites")]
    if not runs:
        return _empty("No run history yet: coverage over runs appears after the first run.")
    sites = sorted({site for run in runs for site in run["sites"]})
    values: list[list[float | None]] = []
    text: list[list[str]] = []
    for site in sites:
        row, row_text = [], []
        for run in runs:
            worst = worst_watched_field(run["sites"].get(site, {}))
            row.append(None if worst is None else min(worst[0], 1.0))
            if worst is None:
                row_text.append("no items" if site in run["sites"] else "")
            else:
                row_text.append(f"{worst[1]:.0%}\n{worst[2]}")
        values.append(row)
        text.append(row_text)
    return heatmap(sites, [run_label(r) for r in runs], values, vmin=0.5, vmax=1.0,
                   title="Watched field furthest below its threshold",
                   label="field coverage per site over runs", cell_text=text,
                   colour_map=COLOUR_MAP, low_is_bad=True)


def duplicates_plot(data: ReportData) -> str:
    if not data.manifests:
        return _empty("No run manifests: no duplicate share to plot.")
    figure = _figure(7, 2.6)
    axes = figure.subplots()
    labels = [run_label(m) for m in data.manifests]
    shares = [100 * duplicate_share(m) for m in data.manifests]
    bars = axes.bar(range(len(labels)), shares, color="tab:purple")
    axes.bar_label(bars, labels=[f"{share:.1f}%" for share in shares], fontsize=7)
    axes.set_xticks(range(len(labels)), labels, rotation=30, ha="right", fontsize=8)
    axes.set_ylabel("% of articles", fontsize=8)
    axes.set_ylim(0, max(10.0, max(shares) * 1.2))
    axes.set_title("Duplicate share per run (dropped as duplicates or marked near-duplicate)",
                   fontsize=10)
    return _svg(figure, "duplicate share per run")


def errors_plot(data: ReportData) -> str:
    runs = data.runs
    if not runs:
        return _empty("No run history yet: errors and faults appear after the first run.")
    kinds = sorted({f"error {k}" for r in runs for k in r.get("errors", {})}
                   | {f"fault {k}" for r in runs for k in r.get("faults", {})})
    figure = _figure(7, 2.8)
    axes = figure.subplots()
    bottom = [0] * len(runs)
    for kind in kinds:
        source, _, name = kind.partition(" ")
        counts = [r.get("errors" if source == "error" else "faults", {}).get(name, 0)
                  for r in runs]
        axes.bar(range(len(runs)), counts, bottom=bottom, label=kind)
        bottom = [b + c for b, c in zip(bottom, counts, strict=True)]
    axes.set_xticks(range(len(runs)), [run_label(r) for r in runs], rotation=30, ha="right",
                    fontsize=8)
    axes.set_ylim(0, max(5, max(bottom) * 1.2))
    axes.set_title("Errors and faults per run" + ("" if kinds else ": none"), fontsize=10)
    if kinds:
        axes.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1, 1))
    return _svg(figure, "errors and faults per run")


def _empty(message: str) -> str:
    return f'<p class="empty">{html.escape(message)}</p>'


# -- the page ----------------------------------------------------------------------------------
def latest_table(data: ReportData) -> str:
    if not data.runs:
        return _empty("No run history yet.")
    run = data.runs[-1]
    alarmed = {alarm["site"] for alarm in run.get("alarms") or ()}
    rows = []
    for site, entry in sorted(run["sites"].items()):
        thresholds = (entry.get("thresholds") or {}) if entry.get("items") else {}
        marks = []
        for name, minimum in thresholds.items():
            share = entry.get("fields", {}).get(name, 0.0)
            low = share < minimum
            marks.append(f'<span class="{"low" if low else "ok"}">{html.escape(name)} '
                         f"{share:.0%}</span>")
        errors = ", ".join(f"{html.escape(k)} {v}" for k, v in
                           sorted((entry.get("errors") or {}).items())) or "0"
        flag = ' class="alarm"' if site in alarmed else ""
        rows.append(f"<tr{flag}><td>{html.escape(site)}</td><td>{entry.get('fetched', 0)}</td>"
                    f"<td>{entry.get('written', 0)}</td><td>{entry.get('skipped_as_seen', 0)}"
                    f"</td><td>{entry.get('duplicates', 0)}</td><td>{errors}</td>"
                    f"<td>{' '.join(marks) or ('-' if entry.get('items') else 'no items')}"
                    "</td></tr>")
    alarms = "".join(f"<li>{html.escape(a['message'])}</li>" for a in run.get("alarms") or ())
    broken = "".join(f"<li>extraction broke on site {html.escape(b['site'])}: field "
                     f"{html.escape(b['field'])} in {b['share']:.0%} of items</li>"
                     for b in run.get("broken") or ())
    notes = f'<ul class="alarms">{alarms}{broken}</ul>' if alarms or broken else ""
    return (f"<p>Run {html.escape(str(run.get('run')))}, finished "
            f"{html.escape(run_label(run))} UTC ({html.escape(str(run.get('finish_reason')))}):"
            f" {run.get('pages_fetched', 0)} pages, {run.get('articles_written', 0)} new "
            f"articles, {run.get('error_count', 0)} errors.</p>{notes}"
            "<table><thead><tr><th>site</th><th>fetched</th><th>new articles</th>"
            "<th>skipped as seen</th><th>duplicates</th><th>errors</th>"
            "<th>coverage of the watched fields</th></tr></thead><tbody>"
            + "".join(rows) + "</tbody></table>")


STYLE = """
body { font: 14px/1.4 system-ui, sans-serif; margin: 2em auto; max-width: 1100px; color: #222; }
h1 { font-size: 1.5em; } h2 { font-size: 1.15em; margin-top: 2em; }
figure { margin: 0; } figure svg { max-width: 100%; height: auto; }
table { border-collapse: collapse; width: 100%; font-size: 13px; }
th, td { border-bottom: 1px solid #ddd; padding: 3px 6px; text-align: left; }
tr.alarm td { background: #fff3cd; } .low { color: #b00020; font-weight: bold; }
.ok { color: #2e7d32; } .empty { color: #777; font-style: italic; }
ul.alarms { color: #8a5300; }
"""


def build_report(data: ReportData, title: str = "newscrawl runs") -> str:
    sections = [
        ("Latest run", latest_table(data)),
        ("Articles per site per day", articles_plot(data)),
        ("Field coverage per site over runs", coverage_plot(data)),
        ("Duplicate share", duplicates_plot(data)),
        ("Errors and faults", errors_plot(data)),
    ]
    body = "".join(f'<section><h2>{html.escape(name)}</h2><figure>{content}</figure></section>'
                   for name, content in sections)
    summary = (f"{len(data.manifests)} run manifests, {len(data.runs)} run records")
    return ("<!doctype html>\n<html lang=en><head><meta charset=utf-8>"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>"
            f"<h1>{html.escape(title)}</h1><p>{summary}</p>{body}</body></html>\n")


def write_report(data_dir: Path, output: Path, history: Path | None = None) -> ReportData:
    """Build the page and write it atomically; returns what it was built from."""
    data = load(data_dir, history)
    page = build_report(data, title=f"newscrawl runs: {data_dir}")
    temporary = output.with_name(output.name + ".partial")
    temporary.write_text(page, "utf-8")
    temporary.replace(output)
    return data
