"""JsonLinesWriterPipeline: crash-safe JSON Lines files laid out by site and day.

    <NEWSCRAWL_DATA_DIR>/<site>/<YYYY-MM-DD>/<run>.jsonl[.gz]
    <NEWSCRAWL_DATA_DIR>/<run>.manifest.json

Order of events for every batch: write the lines, fsync the files, then record the items
as written in the crawl state. A kill at any moment therefore leaves complete lines plus at
most one torn tail per file, and never a state record without its line. The next run cuts
torn tails off (and logs it) before anything else touches the folder.
"""

from __future__ import annotations

import contextlib
import gzip
import json
import logging
import os
import time
from collections import OrderedDict
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from itemadapter import ItemAdapter
from scrapy import signals
from twisted.internet import task

from newscrawl.crawl.state import state_extension
from newscrawl.crawl.state.base import StateLocked, StateStore
from newscrawl.crawl.state.sqlite import LockFile
from newscrawl.dataset.jsonlines import GZIP_SUFFIX, LineReader, repair
from newscrawl.dataset.manifest import MANIFEST_SUFFIX, build_manifest, write_manifest
from newscrawl.dataset.paths import inside, safe_component
from newscrawl.pipelines._common import canonical_key

logger = logging.getLogger(__name__)

DEFAULT_DATA_DIR = "data"
JSONL_SUFFIX = ".jsonl"
# Settings whose values shape the output; the manifest records them.
SHAPING_PREFIXES = ("NEWSCRAWL_",)
SHAPING_NAMES = ("ITEM_PIPELINES",)
# An fsync per item costs more than writing the item; a batch bounds what a crash can lose
# (items not yet recorded as written, which the next run fetches again) by count and by age.
DEFAULT_FSYNC_BATCH = 100
DEFAULT_FSYNC_SECONDS = 1.0
_MAX_REMEMBERED_PATHS = 1024  # (site, day) pairs


def default_run_id(now: datetime) -> str:
    """run-<UTC date>-<UTC time>-<pid>: sorts by start time, already a safe file name."""
    return now.strftime("run-%Y%m%d-%H%M%S") + f"-{os.getpid()}"


def crawl_run_id(crawler: Any) -> str:
    """The default run id; in a distributed crawl, the run's seed time and this worker's id,
    so that each worker writes its own files and a restarted worker continues its own."""
    if crawler.settings.get("REDIS_URL"):
        from newscrawl.crawl.distributed import DistributedRun

        return DistributedRun.of(crawler).file_run_id
    return default_run_id(datetime.now(UTC))


def item_day(fetched_at: Any) -> str:
    """The UTC day the item was fetched; files are grouped by crawl day."""
    if isinstance(fetched_at, str):
        with contextlib.suppress(ValueError):
            return date.fromisoformat(fetched_at[:10]).isoformat()
    return datetime.now(UTC).date().isoformat()


def item_site(adapter: ItemAdapter) -> str:
    site = adapter.get("site")
    if site:
        return str(site)
    return urlsplit(str(adapter.get("url") or "")).hostname or "unknown"


def encode_line(data: dict[str, Any]) -> bytes:
    # ensure_ascii=False: readable UTF-8 instead of \\u escapes; json escapes any newline.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str)
    return (text + "\n").encode("utf-8", "replace")


def write_all(fd: int, data: bytes) -> None:
    view = memoryview(data)
    while view:
        written = os.write(fd, view)
        view = view[written:]


def run_of(path: Path) -> str:
    """The run id in a data file's name (`<run>.jsonl` or `<run>.jsonl.gz`)."""
    return path.name.removesuffix(GZIP_SUFFIX).removesuffix(JSONL_SUFFIX)


class JsonLinesWriterPipeline:
    """Appends each item as one line; see the module doc for layout and guarantees.

    Settings: NEWSCRAWL_DATA_DIR ("data"), NEWSCRAWL_RUN_ID (run-<UTC time>-<pid>),
    NEWSCRAWL_JSONL_GZIP (False), NEWSCRAWL_JSONL_FSYNC_BATCH (100 items),
    NEWSCRAWL_JSONL_FSYNC_SECONDS (1.0), NEWSCRAWL_JSONL_MAX_OPEN_FILES (64).
    Stats: `newscrawl/written`, `newscrawl/jsonl/files`, `newscrawl/jsonl/bytes`,
    `newscrawl/jsonl/repaired_files`, `newscrawl/jsonl/repaired_bytes`,
    `newscrawl/jsonl/reconciled` (lines a killed run wrote but had not recorded),
    `newscrawl/jsonl/write_errors`.
    """

    def __init__(self, crawler: Any, state: StateStore | None, *, root: Path, run: str,
                 gzip_files: bool, batch: int, max_open: int,
                 max_delay: float = DEFAULT_FSYNC_SECONDS) -> None:
        self.crawler = crawler
        self.state = state
        self.root = root
        self.run = safe_component(run, fallback="run")
        self.gzip_files = gzip_files
        self.batch = max(batch, 1)
        self.max_delay = max_delay
        self._oldest: float | None = None  # when the oldest pending item arrived
        self._timer: task.LoopingCall | None = None
        self.max_open = max(max_open, 1)
        self.started_at: str | None = None
        self._fds: OrderedDict[Path, int] = OrderedDict()
        self._files: set[Path] = set()
        self._pending: list[tuple[Path, bytes, tuple[str, str | None, str | None, str]]] = []
        self._run_lock: LockFile | None = None
        self._paths: dict[tuple[str, str], tuple[Path, str]] = {}

    @classmethod
    def from_crawler(cls, crawler: Any) -> JsonLinesWriterPipeline:
        settings = crawler.settings
        # This pipeline records what it wrote in the state, once durable; the state's
        # extension then leaves the items it passes to it.
        extension = state_extension(crawler)
        if extension is not None:
            extension.records_written()
        pipeline = cls(
            crawler, extension.state if extension is not None else None,
            root=Path(settings.get("NEWSCRAWL_DATA_DIR") or DEFAULT_DATA_DIR),
            run=settings.get("NEWSCRAWL_RUN_ID") or crawl_run_id(crawler),
            gzip_files=settings.getbool("NEWSCRAWL_JSONL_GZIP", False),
            batch=settings.getint("NEWSCRAWL_JSONL_FSYNC_BATCH", DEFAULT_FSYNC_BATCH),
            max_open=settings.getint("NEWSCRAWL_JSONL_MAX_OPEN_FILES", 64),
            max_delay=settings.getfloat("NEWSCRAWL_JSONL_FSYNC_SECONDS", DEFAULT_FSYNC_SECONDS),
        )
        # In a running crawl a timer flushes a batch that is due while no item arrives (a
        # slow site); outside one (PipelineChain) the next item or close_spider does it.
        crawler.signals.connect(pipeline._start_timer, signal=signals.spider_opened)
        return pipeline

    def _start_timer(self, spider: Any = None) -> None:
        if self.batch > 1 and self.max_delay > 0 and self._timer is None:
            self._timer = task.LoopingCall(self._flush_if_due)
            self._timer.start(min(self.max_delay, 1.0), now=False)

    def _flush_if_due(self) -> None:
        # NEWSCRAWL_JSONL_FSYNC_SECONDS 0 sets no age limit: only a full batch or the end.
        if self.max_delay > 0 and self._oldest is not None and \
                time.monotonic() - self._oldest >= self.max_delay:
            self.flush()

    # -- opening: lock our run, repair what crashed runs left -----------------------------

    @property
    def suffix(self) -> str:
        return JSONL_SUFFIX + (GZIP_SUFFIX if self.gzip_files else "")

    def manifest_path(self, run: str) -> Path:
        return self.root / f"{run}{MANIFEST_SUFFIX}"

    def open_spider(self, spider: Any = None) -> None:
        self.root.mkdir(parents=True, exist_ok=True)
        self.started_at = datetime.now(UTC).isoformat()
        self._run_lock = LockFile(self.root / f"{self.run}.lock")
        self._run_lock.acquire(0)
        self.recover()

    def recover(self) -> None:
        """Repair the files of every run that has no manifest and no living writer."""
        runs: dict[str, list[Path]] = {}
        # Both kinds: an earlier run may have been written with the other gzip setting.
        for suffix in (JSONL_SUFFIX, JSONL_SUFFIX + GZIP_SUFFIX):
            for path in self.root.glob(f"*/*/*{suffix}"):
                runs.setdefault(run_of(path), []).append(path)
        for run, files in sorted(runs.items()):
            if run == self.run:
                self._repair(files)  # resuming our own run: we append after the repair
                self._reconcile(files)
                continue
            if self.manifest_path(run).exists():
                continue
            lock = LockFile(self.root / f"{run}.lock")
            try:
                lock.acquire(0)
            except StateLocked:
                continue  # another process is still writing that run
            try:
                self._repair(files)
                self._reconcile(files)
                self._write_manifest(run, files, status="recovered", started_at=None)
            finally:
                lock.release()

    def _repair(self, files: list[Path]) -> None:
        stats = self.crawler.stats
        for path in files:
            removed = repair(path)
            if removed:
                logger.warning("repaired %s: cut a torn last line of %d bytes", path, removed)
                stats.inc_value("newscrawl/jsonl/repaired_files")
                stats.inc_value("newscrawl/jsonl/repaired_bytes", removed)

    def _reconcile(self, files: list[Path]) -> None:
        """Record the complete lines a killed run wrote but had no time to record.

        The kill may fall between a batch's fsync and its state record; those lines are
        in the files, so they count as written (else a resumed run would write them again).
        """
        if self.state is None:
            return
        missing: list[tuple[str, str | None, str | None, str]] = []
        base = self.root.resolve()
        for path in files:
            output = path.resolve().relative_to(base).as_posix()
            for line in LineReader(path):
                adapter = ItemAdapter(json.loads(line))
                if not self.state.is_written(str(adapter["url"])):
                    missing.append((str(adapter["url"]), canonical_key(adapter),
                                    adapter.get("content_hash"), output))
        if missing:
            logger.warning("recorded %d items a killed run had written but not recorded",
                           len(missing))
            self.state.record_written_many(missing)
            self.crawler.stats.inc_value("newscrawl/jsonl/reconciled", len(missing))

    # -- writing ------------------------------------------------------------------------

    def _file_for(self, site: str, day: str) -> tuple[Path, str]:
        """The file for a site and day, and its name relative to the data folder.

        Remembered: resolving the path (and checking it stays inside) costs file-system
        calls, and a run writes few site and day folders, each many times.
        """
        known = self._paths.get((site, day))
        if known is None:
            if len(self._paths) >= _MAX_REMEMBERED_PATHS:
                self._paths.clear()
            path = inside(self.root, safe_component(site, fallback="site"), day,
                          self.run + self.suffix)
            known = path, path.relative_to(self.root.resolve()).as_posix()
            self._paths[(site, day)] = known
        return known

    def process_item(self, item: Any, spider: Any = None) -> Any:
        adapter = ItemAdapter(item)
        path, output = self._file_for(item_site(adapter), item_day(adapter.get("fetched_at")))
        record = (str(adapter["url"]), canonical_key(adapter), adapter.get("content_hash"),
                  output)
        self._pending.append((path, encode_line(adapter.asdict()), record))
        if self._oldest is None:
            self._oldest = time.monotonic()
        if len(self._pending) >= self.batch:
            self.flush()
        else:
            self._flush_if_due()
        return item

    def flush(self) -> None:
        """Write pending lines, make them durable, and only then record them as written."""
        if not self._pending:
            return
        pending, self._pending = self._pending, []
        self._oldest = None
        by_file: dict[Path, list[bytes]] = {}
        for path, line, _ in pending:
            by_file.setdefault(path, []).append(line)
        written = 0
        for path, lines in by_file.items():
            data = b"".join(lines)
            if self.gzip_files:
                # One complete gzip member per batch: a kill can only cut the last member.
                data = gzip.compress(data, mtime=0)
            self._append(path, data)
            written += len(data)
        if self.state is not None:
            self.state.record_written_many([record for _, _, record in pending])
        stats = self.crawler.stats
        stats.inc_value("newscrawl/written", len(pending))
        stats.inc_value("newscrawl/jsonl/bytes", written)

    def _append(self, path: Path, data: bytes) -> None:
        """Append and fsync; on failure (disk full...) cut the file back and re-raise.

        Without the cut, a half-written batch would sit in the middle of the file once later
        batches are appended after it; the items of a failed batch are never recorded.
        """
        fd = self._fd(path)
        size = os.fstat(fd).st_size
        try:
            write_all(fd, data)
            os.fsync(fd)
        except OSError:
            self.crawler.stats.inc_value("newscrawl/jsonl/write_errors")
            with contextlib.suppress(OSError):
                os.ftruncate(fd, size)
            raise

    def _fd(self, path: Path) -> int:
        fd = self._fds.get(path)
        if fd is not None:
            self._fds.move_to_end(path)
            return fd
        if len(self._fds) >= self.max_open:
            _, oldest = self._fds.popitem(last=False)
            os.close(oldest)
        new_file = path not in self._files and not path.exists()
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
        if new_file:
            # A new directory entry is durable only once its folder is synced.
            self._fsync_dir(path.parent)
            self.crawler.stats.inc_value("newscrawl/jsonl/files")
        self._files.add(path)
        self._fds[path] = fd
        return fd

    @staticmethod
    def _fsync_dir(folder: Path) -> None:
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)

    # -- closing ------------------------------------------------------------------------

    def close_spider(self, spider: Any = None) -> None:
        if self._timer is not None and self._timer.running:
            self._timer.stop()
        try:
            self.flush()
        finally:
            for fd in self._fds.values():
                os.close(fd)
            self._fds.clear()
        files = sorted(self.root.glob(f"*/*/{self.run}{self.suffix}"))
        self._write_manifest(self.run, files, status="complete", started_at=self.started_at)
        if self._run_lock is not None:
            self._run_lock.release()

    def _write_manifest(self, run: str, files: list[Path], *, status: str,
                        started_at: str | None) -> None:
        # A recovered run's own settings and stats died with it; ours would mislead.
        complete = status == "complete"
        manifest = build_manifest(
            self.root, run, files, status=status, started_at=started_at,
            finished_at=datetime.now(UTC).isoformat(),
            settings=self._shaping_settings() if complete else {},
            stats=self.crawler.stats.get_stats() if complete else {})
        write_manifest(self.manifest_path(run), manifest)

    def _shaping_settings(self) -> dict[str, Any]:
        values = self.crawler.settings.copy_to_dict()
        chosen = {name: value for name, value in values.items()
                  if name.startswith(SHAPING_PREFIXES) or name in SHAPING_NAMES}
        return json.loads(json.dumps(chosen, default=str, sort_keys=True))
