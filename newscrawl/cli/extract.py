"""`newscrawl extract`: saved pages to JSON Lines on standard output, one line per page."""

from __future__ import annotations

import argparse
import gzip
import json
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TextIO

from newscrawl.api import ExtractionError, extract_document, kind_of
from newscrawl.cli._filters import add_language_argument
from newscrawl.dataset import MissingDependency, require
from newscrawl.dataset.markdown import body_markdown
from newscrawl.model.languages import language_codes


def add_parser(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "extract", help="extract articles and listings from saved pages",
        description="Extract saved pages (plain or gzipped HTML) and print one JSON line per "
                    "page: an article, or for a section or home page its listing (entries "
                    "and next page); `kind` says which. A page that fails prints a line with "
                    "an `error`; the others go on.")
    parser.add_argument("paths", nargs="*", type=Path, metavar="PATH")
    parser.add_argument("--url", help="the page's URL (for a single PATH; a fixture's URL is "
                                      "read from the JSON file beside it)")
    parser.add_argument("--manifest", metavar="FILE",
                        help='JSON Lines of {"id", "path", "url"[, "fetched_at"]}; - for stdin')
    parser.add_argument("--fetched-at", help="fetch time, ISO 8601 (default: now)")
    parser.add_argument("--generic", action="store_true", help="disable site profiles")
    add_language_argument(parser)
    parser.add_argument("--body-markdown", action="store_true",
                        help="add `body_markdown`, the body as Markdown converted from "
                             "body_html (needs the `markdown` extra)")
    parser.add_argument("--warc", nargs="+", action="extend", type=Path, metavar="FILE",
                        help="read WARC files (gzipped or not) and extract their HTML "
                             "responses with status 200 (docs/archives.md)")
    parser.add_argument("-o", "--output", type=Path, metavar="FILE",
                        help="write the JSON Lines here instead of standard output")
    parser.add_argument("--jobs", type=int, metavar="N",
                        help="worker processes for --warc (default: all cores; 0: extract in "
                             "this process)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    if args.warc:
        from newscrawl.archives.cli import run_extract

        return run_extract(args)
    if not args.paths and not args.manifest:
        print("newscrawl extract: give PATH... or --manifest FILE", file=sys.stderr)
        return 2
    if args.url and len(args.paths) > 1:
        print("newscrawl extract: --url goes with a single PATH; use --manifest for several",
              file=sys.stderr)
        return 2
    fetched_at = args.fetched_at or datetime.now(UTC).replace(microsecond=0).isoformat()
    languages = language_codes(args.language)
    if args.body_markdown:
        try:
            require("markdownify", "markdown", "--body-markdown")
        except MissingDependency as error:
            print(f"newscrawl extract: {error}", file=sys.stderr)
            return 2
    failures = skipped = 0
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout  # noqa: SIM115
    try:
        for job in _jobs(args):
            result = extract_job(job, fetched_at, use_profiles=not args.generic)
            failures += "error" in result
            if (languages and result.get("kind") == "article"
                    and result["language"] not in languages):
                skipped += 1
                continue
            if args.body_markdown and result.get("kind") == "article":
                result["body_markdown"] = body_markdown(result["body_html"])
            out.write(json.dumps(result, ensure_ascii=False) + "\n")
    finally:
        if out is sys.stdout:
            out.flush()
        else:
            out.close()
    if skipped:
        print(f"newscrawl extract: left out {skipped} pages in other languages",
              file=sys.stderr)
    return 1 if failures else 0


def _jobs(args: argparse.Namespace) -> Iterator[dict[str, Any]]:
    for path in args.paths:
        yield {"path": str(path), "url": args.url}
    if args.manifest:
        yield from _manifest_lines(sys.stdin if args.manifest == "-" else None, args.manifest)


def _manifest_lines(stream: TextIO | None, name: str) -> Iterator[dict[str, Any]]:
    handle = stream or open(name, encoding="utf-8")  # noqa: SIM115 - closed below
    try:
        for number, line in enumerate(handle, 1):
            if not line.strip():
                continue
            try:
                entry = json.loads(line)
                if not isinstance(entry, dict):
                    raise ValueError("not a JSON object")
            except ValueError as error:
                yield {"error": f"manifest line {number}: {error}"}
                continue
            yield entry
    finally:
        if stream is None:
            handle.close()


def extract_job(job: dict[str, Any], fetched_at: str, *, use_profiles: bool) -> dict[str, Any]:
    """Extract one page; never raises: problems come back as an `error` entry."""
    echo = {key: job[key] for key in ("id",) if key in job}
    if "error" in job:
        return {**echo, "error": job["error"]}
    path = Path(str(job.get("path", "")))
    try:
        data = read_page(path)
        url = job.get("url") or url_from_fixture(path)
        if not url:
            raise ExtractionError(f"{path}: no URL: give --url (or a manifest `url`)")
        document = extract_document(data, url, job.get("fetched_at") or fetched_at,
                                    use_profiles=use_profiles)
    except (OSError, ExtractionError, ValueError) as error:
        return {**echo, "path": str(path), "url": job.get("url"), "error": str(error)}
    except Exception as error:  # one page's bug must not end the batch
        return {**echo, "path": str(path), "url": job.get("url"),
                "error": f"internal error ({type(error).__name__}): {error}"}
    return {**echo, "kind": kind_of(document), **document.to_dict()}


def read_page(path: Path) -> bytes:
    if not path.is_file():
        raise ExtractionError(f"{path}: no such file")
    data = path.read_bytes()
    if data[:2] == b"\x1f\x8b":
        try:
            data = gzip.decompress(data)
        except (OSError, EOFError) as error:
            raise ExtractionError(f"{path}: broken gzip file: {error}") from error
    return data


def url_from_fixture(path: Path) -> str | None:
    meta = path.with_name(path.name.removesuffix(".gz").removesuffix(".html") + ".json")
    if meta.is_file():
        try:
            return json.loads(meta.read_text("utf-8")).get("url")
        except ValueError:
            return None
    return None
