"""`newscrawl export`: a JSON Lines dataset to Parquet (nested types kept), CSV, or a folder
of Markdown files (one per article)."""

from __future__ import annotations

import argparse
import csv
import json
import shutil
import sys
from collections.abc import Iterable, Iterator
from itertools import islice
from pathlib import Path
from typing import Any

from newscrawl.cli._filters import add_dataset_arguments, read_filters
from newscrawl.dataset import MissingDependency, ReadReport, read, require
from newscrawl.model.items import ARTICLE_FIELDS

BATCH = 5000
NESTED = ("authors", "dateline", "images", "related", "tags", "problems")


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "export", help="convert a dataset to Parquet, CSV, Markdown or Zyte Articles",
        description="Write the items of JSON Lines datasets as one Parquet file (lists and "
                    "objects stay lists and structs; needs the `parquet` extra), one CSV "
                    "file (lists and objects become JSON strings), or a folder OUT of "
                    "Markdown files, one per article with its metadata as YAML front matter "
                    "(needs the `markdown` extra), or JSON Lines of zyte-common-items "
                    "Articles (`zyte-article`, needs the `zyte` extra).")
    add_dataset_arguments(parser)
    parser.add_argument("--format", choices=tuple(WRITERS), required=True)
    parser.add_argument("-o", "--output", type=Path, required=True, metavar="OUT")
    parser.set_defaults(handler=run)


def batches(items: Iterable[dict[str, Any]], size: int = BATCH) -> Iterator[list[dict]]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def arrow_schema(pa: Any) -> Any:
    """The Article as Arrow types. Dates stay ISO strings: their offsets differ by item."""
    text = pa.string()
    return pa.schema([
        *((name, text) for name in ("url", "canonical_url", "site", "extractor",
                                    "schema_version", "fetched_at", "headline", "lead",
                                    "section")),
        ("authors", pa.list_(text)),
        ("publisher", text), ("free_access", pa.bool_()),
        ("language", text), ("language_source", text), ("published", text),
        ("modified", text),
        ("dateline", pa.struct([("raw", text), ("place", text)])),
        ("body", text), ("body_html", text),
        ("images", pa.list_(pa.struct([("url", text), ("caption", text), ("credit", text),
                                        ("alt", text)]))),
        ("related", pa.list_(pa.struct([("url", text), ("headline", text),
                                         ("section", text)]))),
        ("tags", pa.list_(text)),
        ("word_count", pa.int64()),
        ("content_hash", text),
        ("problems", pa.list_(text)),
        ("duplicate_of", text),
    ])


def write_parquet(items: Iterable[dict[str, Any]], output: Path) -> int:
    pa = require("pyarrow", "parquet", "export --format parquet")
    import pyarrow.parquet as pq

    schema = arrow_schema(pa)
    count = 0
    with pq.ParquetWriter(output, schema, compression="zstd") as writer:
        for batch in batches(items):
            writer.write_table(pa.Table.from_pylist(batch, schema=schema))
            count += len(batch)
    return count


def csv_cell(value: Any) -> Any:
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value


def write_csv(items: Iterable[dict[str, Any]], output: Path) -> int:
    count = 0
    with open(output, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(ARTICLE_FIELDS), extrasaction="ignore")
        writer.writeheader()
        for item in items:
            writer.writerow({name: csv_cell(item.get(name)) for name in ARTICLE_FIELDS})
            count += 1
    return count


def write_markdown(items: Iterable[dict[str, Any]], output: Path) -> int:
    from newscrawl.dataset.markdown import article_markdown, file_name

    require("markdownify", "markdown", "export --format markdown")
    require("yaml", "markdown", "export --format markdown")
    output.mkdir()
    count = 0
    for item in items:
        path = output / file_name(item)
        path.parent.mkdir(exist_ok=True)
        path.write_text(article_markdown(item), encoding="utf-8")
        count += 1
    return count


def write_zyte_articles(items: Iterable[dict[str, Any]], output: Path) -> int:
    from newscrawl.dataset.zyte import zyte_article_dict

    require("zyte_common_items", "zyte", "export --format zyte-article")
    count = 0
    with open(output, "w", encoding="utf-8") as handle:
        for item in items:
            handle.write(json.dumps(zyte_article_dict(item), ensure_ascii=False) + "\n")
            count += 1
    return count


WRITERS = {"parquet": write_parquet, "csv": write_csv, "markdown": write_markdown,
           "zyte-article": write_zyte_articles}


def _discard(path: Path) -> None:
    if path.is_dir():
        shutil.rmtree(path)
    else:
        path.unlink(missing_ok=True)


def run(args: argparse.Namespace) -> int:
    if args.format == "markdown" and args.output.exists():
        print(f"newscrawl export: {args.output} exists; Markdown goes into a new folder",
              file=sys.stderr)
        return 2
    report = ReadReport()
    items = read(args.paths, report=report, **read_filters(args))
    # Write beside OUT and rename at the end: an interrupted export leaves no half file.
    temporary = args.output.with_name(args.output.name + ".partial")
    _discard(temporary)
    try:
        count = WRITERS[args.format](items, temporary)
    except MissingDependency as error:
        _discard(temporary)
        print(f"newscrawl export: {error}", file=sys.stderr)
        return 2
    except BaseException:
        _discard(temporary)
        raise
    if report.files == 0:
        _discard(temporary)
        print("newscrawl export: no dataset files found", file=sys.stderr)
        return 1
    temporary.replace(args.output)
    print(f"wrote {count} items from {report.files} files to {args.output}", file=sys.stderr)
    return 0
