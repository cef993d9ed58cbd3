"""Reading WARC files for extraction: robust to damage, streaming, and spread over processes.

The parent process only splits files into chunks (one gzip member, or one record of an
uncompressed WARC) and inflates them; worker processes parse the records and extract the
articles. Damaged input never stops a run: it is counted and skipped with a message.
"""

from __future__ import annotations

import json
import os
import sys
import time
from collections import Counter, deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future
from dataclasses import dataclass, field
from datetime import datetime
from io import BytesIO
from pathlib import Path
from typing import BinaryIO, NamedTuple, TextIO

from warcio.archiveiterator import ArchiveIterator
from warcio.recordloader import ArcWarcRecord

from newscrawl.api import ExtractionError, extract
from newscrawl.dataset.jsonlines import GZIP_MAGIC, GzipMembers
from newscrawl.extraction.language import MODEL_MODULE
from newscrawl.model.items import WarcLocation
from newscrawl.workers import WorkerPool

MAX_RECORD_BYTES = 64 * 1024 * 1024  # inflated size of one gzip member we are willing to hold
BATCH_RECORDS = 16  # records per task: amortises inter-process overhead
BATCH_BYTES = 2 * 1024 * 1024
IN_FLIGHT_PER_JOB = 4  # tasks queued per worker: bounds memory, keeps workers busy
RECYCLE_AFTER_BATCHES = 64  # a worker's lifetime, about 1,000 records (see _pool)
HTML_TYPES = frozenset({"text/html", "application/xhtml+xml"})
# Reasons shown in the summary, in this order; the problems among them get a message each.
SKIP_REASONS = ("not-response", "status", "non-html", "not-extractable", "truncated",
                "broken-gzip", "too-large", "unparsable", "undecodable")
PROBLEMS = frozenset({"truncated", "broken-gzip", "too-large", "unparsable", "undecodable"})
MAX_MESSAGES_PER_REASON = 10


@dataclass
class Chunk:
    """One gzip member (or one record of an uncompressed WARC), or a damaged stretch of file."""

    file: str
    offset: int
    length: int | None
    data: bytes | None = None
    problem: str | None = None
    detail: str = ""


class Event(NamedTuple):
    kind: str  # "item", "skip" or "error"
    detail: str  # the item as a JSON line, or the skip reason
    message: str = ""  # for the user: what was wrong, and where


# -- splitting files into chunks (parent process) -----------------------------------------------
def iter_chunks(path: Path) -> Iterator[Chunk]:
    with open(path, "rb") as handle:
        head = handle.read(5)
        handle.seek(0)
        if head.startswith(GZIP_MAGIC[:2]):
            for member in GzipMembers(handle, MAX_RECORD_BYTES):
                yield Chunk(str(path), *member)
        elif head == b"WARC/":
            yield from _plain_records(handle, str(path))
        elif head:
            yield Chunk(str(path), 0, None, problem="unparsable",
                        detail="not a WARC file (neither gzip nor starting with WARC/)")


def _plain_records(handle: BinaryIO, name: str) -> Iterator[Chunk]:
    """Records of an uncompressed WARC: warcio finds their bounds, pread copies their bytes."""
    records = ArchiveIterator(handle, no_record_parse=True)
    try:
        for record in records:
            records.read_to_end(record)
            offset, length = records.get_record_offset(), records.get_record_length()
            yield Chunk(name, offset, length, os.pread(handle.fileno(), length, offset))
    except Exception as error:  # warcio raises several kinds; none may end the run
        yield Chunk(name, handle.tell(), None, problem="unparsable",
                    detail=f"cannot read on ({type(error).__name__}: {error})")


# -- records to items (worker processes) --------------------------------------------------------
def process_batch(batch: list[Chunk], use_profiles: bool) -> list[list[Event]]:
    return [process_chunk(chunk, use_profiles) for chunk in batch]


def process_chunk(chunk: Chunk, use_profiles: bool) -> list[Event]:
    where = f"{chunk.file} at offset {chunk.offset}"
    if chunk.problem:
        return [Event("skip", chunk.problem, f"{where}: {chunk.detail}")]
    events: list[Event] = []
    try:
        for record in ArchiveIterator(BytesIO(chunk.data or b"")):
            if record.format != "warc":  # warcio also reads ARC and guesses at junk
                raise ValueError(f"a {record.format} record, not a WARC record")
            events.append(record_event(record, chunk, use_profiles))
    except Exception as error:  # a malformed record: report it, go on with the next chunk
        events.append(Event("skip", "unparsable",
                            f"{where}: not a readable WARC record ({type(error).__name__}: "
                            f"{error})"))
    return events


def record_event(record: ArcWarcRecord, chunk: Chunk, use_profiles: bool) -> Event:
    where = f"{chunk.file} at offset {chunk.offset}"
    if record.rec_type != "response" or record.http_headers is None:
        return Event("skip", "not-response")
    url = record.rec_headers.get_header("WARC-Target-URI") or ""
    if record.http_headers.get_statuscode() != "200":
        return Event("skip", "status")
    content_type = record.http_headers.get_header("Content-Type") or ""
    if content_type and _mime(content_type) not in HTML_TYPES:
        return Event("skip", "non-html")
    try:
        body = record.content_stream().read()
    except Exception as error:  # a broken chunked or compressed body
        return Event("skip", "undecodable", f"{where}: {url}: cannot decode the body ({error})")
    if getattr(record.raw_stream, "limit", 0) > 0:
        return Event("skip", "truncated", f"{where}: {url}: the record is cut short")
    if not content_type and not _looks_like_html(body):
        return Event("skip", "non-html")
    return _extract_event(record, body, url, _charset(content_type), chunk, use_profiles)


def _extract_event(record: ArcWarcRecord, body: bytes, url: str, encoding: str | None,
                   chunk: Chunk, use_profiles: bool) -> Event:
    where = f"{chunk.file} at offset {chunk.offset}: {url}"
    try:
        fetched_at = _warc_date(record.rec_headers.get_header("WARC-Date") or "")
        article = extract(body, url, fetched_at, encoding=encoding, use_profiles=use_profiles)
    except (ExtractionError, ValueError) as error:
        return Event("skip", "not-extractable", f"{where}: {error}")
    except Exception as error:  # one page's bug must not end the batch
        return Event("error", "", f"{where}: internal error ({type(error).__name__}: {error})")
    article.warc = WarcLocation(chunk.file, record.rec_headers.get_header("WARC-Record-ID"),
                                chunk.offset, chunk.length)
    return Event("item", json.dumps(article.to_dict(), ensure_ascii=False))


def _mime(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip().lower()


def _charset(content_type: str) -> str | None:
    for parameter in content_type.split(";")[1:]:
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "charset" and value.strip(" \"'"):
            return value.strip(" \"'")
    return None


def _looks_like_html(body: bytes) -> bool:
    start = body[:1024].lstrip().lower()
    return start.startswith((b"<!doctype html", b"<html")) or b"<head" in start


def _warc_date(value: str) -> datetime:
    if not value:
        raise ValueError("the record has no WARC-Date")
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


# -- running it all (parent process) ------------------------------------------------------------
@dataclass
class Summary:
    files: int = 0
    records: int = 0
    extracted: int = 0
    skipped: Counter[str] = field(default_factory=Counter)
    errors: int = 0

    def line(self) -> str:
        reasons = ", ".join(f"{reason} {self.skipped[reason]}" for reason in SKIP_REASONS
                            if self.skipped[reason])
        skipped = sum(self.skipped.values())
        return (f"{self.files} file(s), {self.records} records read, {self.extracted} "
                f"extracted, {skipped} skipped" + (f" ({reasons})" if reasons else "")
                + f", {self.errors} errors")


def _batches(paths: Iterable[Path], on_file: Callable[[Path], None]) -> Iterator[list[Chunk]]:
    batch: list[Chunk] = []
    size = 0
    for path in paths:
        on_file(path)
        for chunk in iter_chunks(path):
            batch.append(chunk)
            size += len(chunk.data or b"")
            if len(batch) >= BATCH_RECORDS or size >= BATCH_BYTES:
                yield batch
                batch, size = [], 0
    if batch:
        yield batch


def _results(batches: Iterator[list[Chunk]], jobs: int,
             use_profiles: bool) -> Iterator[tuple[list[Chunk], list[list[Event]]]]:
    """Each batch with its events, in input order; at most jobs × IN_FLIGHT_PER_JOB queued.

    `jobs` worker processes extract; 0 extracts in this process (for tests and debugging).
    """
    if jobs <= 0:
        for batch in batches:
            yield batch, process_batch(batch, use_profiles)
        return
    pool = _pool(jobs)
    try:
        window: deque[tuple[list[Chunk], Future[list[list[Event]]]]] = deque()
        for batch in batches:
            # Chunks travel without their data once submitted: only positions are kept here.
            window.append((_positions(batch), pool.submit(process_batch, batch, use_profiles)))
            if len(window) >= jobs * IN_FLIGHT_PER_JOB:
                positions, future = window.popleft()
                yield positions, future.result()
        while window:
            positions, future = window.popleft()
            yield positions, future.result()
    finally:
        # Also on an error or a signal: drop the queued work and stop the workers, so no
        # process outlives the command.
        pool.close()


def _pool(jobs: int) -> WorkerPool:
    """Workers that are replaced after RECYCLE_AFTER_BATCHES batches (newscrawl.workers)."""
    return WorkerPool(jobs, tasks_per_worker=RECYCLE_AFTER_BATCHES,
                      preload=["newscrawl.archives.reader"],
                      shared_preload=[MODEL_MODULE])


def _positions(batch: list[Chunk]) -> list[Chunk]:
    return [Chunk(c.file, c.offset, c.length, problem=c.problem) for c in batch]


class Progress:
    """A one-line progress bar on stderr, redrawn at most five times a second."""

    def __init__(self, total_bytes: int, stream: TextIO, enabled: bool) -> None:
        self.total = max(total_bytes, 1)
        self.stream = stream
        self.enabled = enabled
        self.started = self.shown = time.monotonic()

    def update(self, done_bytes: int, summary: Summary, *, final: bool = False) -> None:
        now = time.monotonic()
        if not self.enabled or (not final and now - self.shown < 0.2):
            return
        self.shown = now
        share = min(done_bytes / self.total, 1.0)
        bar = "#" * int(share * 30)
        rate = summary.extracted / max(now - self.started, 1e-9)
        self.stream.write(f"\r[{bar:<30}] {share:6.1%} {summary.records} records, "
                          f"{summary.extracted} items, {rate:.0f} items/s ")
        if final:
            self.stream.write("\n")
        self.stream.flush()


class Messages:
    """Problem messages on stderr: the first few of each reason, then a count in the summary."""

    def __init__(self, stream: TextIO, prefix: str) -> None:
        self.stream = stream
        self.prefix = prefix
        self.shown: Counter[str] = Counter()

    def report(self, reason: str, message: str, show_bar_break: bool) -> None:
        self.shown[reason] += 1
        if self.shown[reason] > MAX_MESSAGES_PER_REASON:
            return
        lead = "\n" if show_bar_break else ""
        suffix = (" (further such messages are not shown)"
                  if self.shown[reason] == MAX_MESSAGES_PER_REASON else "")
        self.stream.write(f"{lead}{self.prefix}: {message}{suffix}\n")


def extract_warcs(paths: list[Path], on_item: Callable[[str], None], *, jobs: int,
                  use_profiles: bool = True, stderr: TextIO | None = None,
                  progress: bool | None = None, prefix: str = "newscrawl") -> Summary:
    """Extract every HTML 200 response in `paths`, calling `on_item` with each JSON line in
    input order. Problems go to stderr; returns the counts."""
    stderr = stderr or sys.stderr
    summary = Summary()
    sizes = {path: path.stat().st_size for path in paths}
    bar = Progress(sum(sizes.values()), stderr, stderr.isatty() if progress is None else progress)
    messages = Messages(stderr, prefix)
    done_before: dict[str, int] = {}

    def on_file(path: Path) -> None:
        done_before[str(path)] = sum(sizes[p] for p in paths[:paths.index(path)])
        summary.files += 1

    for positions, events in _results(_batches(paths, on_file), jobs, use_profiles):
        for chunk, chunk_events in zip(positions, events, strict=True):
            for event in chunk_events:
                _count(event, summary, on_item, messages, bar.enabled)
            end = chunk.offset + (chunk.length or 0)
            bar.update(done_before.get(chunk.file, 0) + end, summary)
    bar.update(sum(sizes.values()), summary, final=True)
    return summary


def _count(event: Event, summary: Summary, on_item: Callable[[str], None], messages: Messages,
           bar_shown: bool) -> None:
    # A broken gzip member is a stretch of damaged bytes, not a record we could read.
    summary.records += event.detail != "broken-gzip"
    if event.kind == "item":
        summary.extracted += 1
        on_item(event.detail)
    elif event.kind == "skip":
        summary.skipped[event.detail] += 1
        if event.detail in PROBLEMS or event.detail == "not-extractable":
            messages.report(event.detail, event.message, bar_shown)
    else:
        summary.errors += 1
        messages.report("error", event.message, bar_shown)


def default_jobs() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
