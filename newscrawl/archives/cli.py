"""The command-line side of the archives: `extract --warc` and `reextract`."""

from __future__ import annotations

import argparse
import json
import signal
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TextIO

from newscrawl.archives.reader import Summary, default_jobs, extract_warcs
from newscrawl.model.languages import language_codes
from newscrawl.workers import WORKER_DIED


def missing_files(paths: list[Path], prefix: str) -> bool:
    missing = [path for path in paths if not path.is_file()]
    for path in missing:
        print(f"{prefix}: {path}: no such file", file=sys.stderr)
    return bool(missing)


def open_output(path: Path | None) -> TextIO:
    if path is None:
        return sys.stdout
    path.parent.mkdir(parents=True, exist_ok=True)
    return open(path, "w", encoding="utf-8")  # noqa: SIM115 - closed by the caller


def run_warcs(paths: list[Path], args: argparse.Namespace, output: Path | None, prefix: str,
              also: Callable[[str], None] | None = None) -> tuple[Summary, int]:
    """Extract `paths` to `output`; returns the summary and the exit status."""
    jobs = default_jobs() if args.jobs is None else args.jobs
    if jobs < 0:
        print(f"{prefix}: --jobs must be 0 or more", file=sys.stderr)
        return Summary(), 2
    out = open_output(output)
    # SIGTERM (a service stop, `kill`) ends the run like Ctrl-C: the worker pool is shut down.
    signal.signal(signal.SIGTERM, _raise_interrupt)

    languages = language_codes(getattr(args, "language", None))

    def write(line: str) -> None:
        if languages is not None and not _kept(json.loads(line), languages):
            return
        out.write(line + "\n")
        if also is not None:
            also(line)

    try:
        summary = extract_warcs(paths, write, jobs=jobs, use_profiles=not args.generic,
                                prefix=prefix)
    except WORKER_DIED as error:  # a worker was killed (out of memory, a signal)
        print(f"{prefix}: a worker process died ({error}); the output is incomplete",
              file=sys.stderr)
        return Summary(), 1
    finally:
        if out is sys.stdout:
            out.flush()
        else:
            out.close()
    print(f"{prefix}: {summary.line()}", file=sys.stderr)
    return summary, 1 if summary.errors else 0


def _kept(item: dict, languages: frozenset[str]) -> bool:
    """Error lines are always written; items only in the languages asked for."""
    return "error" in item or item.get("language") in languages


def _raise_interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def run_extract(args: argparse.Namespace) -> int:
    """`newscrawl extract --warc FILE...`: PATHs given as well are read as WARC files too."""
    paths = [*args.warc, *args.paths]
    if args.manifest or args.url:
        print("newscrawl extract: --warc does not go with --manifest or --url", file=sys.stderr)
        return 2
    if missing_files(paths, "newscrawl extract"):
        return 1
    return run_warcs(paths, args, args.output, "newscrawl extract")[1]


def run_reextract(args: argparse.Namespace) -> int:
    prefix = "newscrawl reextract"
    if missing_files([*args.warcs, *([args.compare] if args.compare else [])], prefix):
        return 1
    if args.compare is None:
        return run_warcs(args.warcs, args, args.output, prefix)[1]
    from newscrawl.archives.compare import Comparison, OldItems

    old = OldItems(args.compare)
    try:
        comparison = Comparison(old, examples_per_field=args.examples)
        _, status = run_warcs(args.warcs, args, args.output, prefix,
                              also=lambda line: comparison.add(json.loads(line)))
        comparison.finish()
        print(comparison.report())
    finally:
        old.close()
    if old.bad_lines:
        print(f"{prefix}: {old.bad_lines} lines of {args.compare} were not items with a url",
              file=sys.stderr)
    return status
