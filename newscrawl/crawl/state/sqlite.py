"""Persistent crawl state: which articles were fetched and written, in one SQLite file.

The spider asks it which URLs to skip; the pipelines ask it about duplicates from earlier
runs and tell it what was durably written. One process at a time owns a state file: an
exclusive lock file `<path>.lock` (holding the owner's pid) sits beside the database.

The lock is an `flock` on that file, so the kernel drops it when the owner dies, even by
SIGKILL: a lock file left by a dead process is simply taken over (and logged).
"""

from __future__ import annotations

import contextlib
import logging
import os
import sqlite3
import threading
from collections.abc import Iterable, Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from filelock import FileLock, Timeout

from newscrawl.crawl.state.base import (
    ArticleRecord,
    StateLocked,
    from_text,
    to_text,
    utc,
)
from newscrawl.model.urls import canonicalize_url

logger = logging.getLogger(__name__)

DEFAULT_STATE_PATH = ".newscrawl/state.sqlite"
SCHEMA_VERSION = 1
_LOCK_POLL_SECONDS = 0.05

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    url TEXT PRIMARY KEY,
    canonical_url TEXT,
    content_hash TEXT,
    first_seen TEXT NOT NULL,
    last_fetched TEXT,
    written_at TEXT,
    output_file TEXT
);
CREATE INDEX IF NOT EXISTS articles_canonical ON articles(canonical_url);
CREATE INDEX IF NOT EXISTS articles_hash ON articles(content_hash);
CREATE TABLE IF NOT EXISTS signatures (
    url TEXT PRIMARY KEY,
    signature BLOB NOT NULL,
    added_at TEXT NOT NULL,
    duplicate_of TEXT
);
"""


def _pid_alive(pid: int) -> bool:
    if pid <= 0:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    return True


def _read_pid(path: Path) -> int | None:
    try:
        text = path.read_text("ascii", errors="replace").strip()
    except OSError:
        return None
    return int(text) if text.isdigit() else None


class LockFile:
    """An exclusive, crash-released lock on `path` (filelock's flock lock) that records the
    owner's pid, so a second run can say who holds it and a stale one is reported."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = FileLock(path, thread_local=False, on_acquired=self._note_owner)

    def acquire(self, wait: float) -> None:
        try:
            self._lock.acquire(timeout=max(wait, 0.0), poll_interval=_LOCK_POLL_SECONDS)
        except Timeout:
            owner = _read_pid(self.path)
            who = f"process {owner}" if owner else "another process"
            raise StateLocked(
                f"crawl state {self.path.with_suffix('')} is in use by {who} "
                f"(lock file {self.path}); wait for it to finish or point "
                f"NEWSCRAWL_STATE_PATH at another file"
            ) from None

    def _note_owner(self, fd: int) -> None:
        previous = os.pread(fd, 32, 0).decode("ascii", errors="replace").strip()
        if previous.isdigit() and int(previous) != os.getpid():
            alive = _pid_alive(int(previous))
            logger.warning("recovered a stale crawl-state lock %s left by %s process %s",
                           self.path, "a live (unlocked)" if alive else "dead", previous)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode("ascii"), 0)

    def release(self) -> None:
        if not self._lock.is_locked:
            return
        # Unlinked while still held, so no lock file stays behind: a waiter that opened it
        # meanwhile finds its inode gone and takes a new one (filelock checks).
        with contextlib.suppress(FileNotFoundError):
            os.unlink(self.path)
        self._lock.release()


class CrawlState:
    """The crawl's memory across runs. Not shared between processes: see the module doc."""

    def __init__(self, path: str | os.PathLike[str], *, wait: float = 0.0) -> None:
        self.path = Path(path)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        self._lock = LockFile(Path(f"{self.path}.lock"))
        self._lock.acquire(wait)
        self._mutex = threading.RLock()
        try:
            self._db = self._connect()
        except BaseException:
            self._lock.release()
            raise

    # -- construction -----------------------------------------------------------------

    @classmethod
    def from_settings(cls, settings: Any) -> CrawlState:
        path = settings.get("NEWSCRAWL_STATE_PATH") or DEFAULT_STATE_PATH
        wait = float(settings.get("NEWSCRAWL_STATE_WAIT") or 0.0)
        return cls(path, wait=wait)

    @classmethod
    def from_crawler(cls, crawler: Any) -> CrawlState:
        return cls.from_settings(crawler.settings)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode survives a killed process; only an OS crash may lose the last
        # commits, which errs on the safe side (a line in a file the state forgot).
        db.execute("PRAGMA synchronous=NORMAL")
        db.executescript(_SCHEMA)
        row = db.execute("SELECT value FROM meta WHERE key='schema_version'").fetchone()
        if row is None:
            db.execute("INSERT INTO meta VALUES ('schema_version', ?)", (str(SCHEMA_VERSION),))
        elif int(row[0]) > SCHEMA_VERSION:
            db.close()
            raise RuntimeError(f"{self.path} was written by a newer newscrawl "
                               f"(state schema {row[0]} > {SCHEMA_VERSION})")
        return db

    @property
    def closed(self) -> bool:
        return self._db is None

    def close(self) -> None:
        with self._mutex:
            if self._db is None:
                return
            self._db.close()
            self._db = None
            self._lock.release()

    def __enter__(self) -> CrawlState:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise RuntimeError(f"crawl state {self.path} is closed")
        return self._db

    # -- articles ---------------------------------------------------------------------

    def article(self, url: str) -> ArticleRecord | None:
        with self._mutex:
            row = self._conn().execute(
                "SELECT url, canonical_url, content_hash, first_seen, last_fetched, written_at,"
                " output_file FROM articles WHERE url=?", (url,)).fetchone()
        if row is None:
            return None
        return ArticleRecord(row[0], row[1], row[2], from_text(row[3]), from_text(row[4]),
                             from_text(row[5]), row[6])

    def _known(self, url: str) -> ArticleRecord | None:
        """The record of `url`, or of the written article whose canonical URL it is.

        Canonical URLs are stored cleaned (newscrawl.model.urls), so a link that differs only by
        tracking parameters or a fragment is known too.
        """
        record = self.article(url)
        if record is not None:
            return record
        first = self.url_for_canonical(canonicalize_url(url))
        return self.article(first) if first else None

    def should_fetch(self, url: str, *, recrawl_after: timedelta | None = None,
                     now: datetime | None = None) -> bool:
        record = self._known(url)
        if record is None:
            return True
        if recrawl_after is None:
            return False
        last = record.last_fetched or record.written_at or record.first_seen
        return utc(now) - last >= recrawl_after

    def mark_fetched(self, url: str, *, when: datetime | None = None) -> None:
        stamp = to_text(when)
        with self._mutex:
            self._conn().execute(
                "INSERT INTO articles (url, first_seen, last_fetched) VALUES (?, ?, ?)"
                " ON CONFLICT(url) DO UPDATE SET last_fetched=excluded.last_fetched",
                (url, stamp, stamp))

    def url_for_hash(self, content_hash: str) -> str | None:
        return self._first_written("content_hash", content_hash)

    def url_for_canonical(self, canonical_url: str) -> str | None:
        return self._first_written("canonical_url", canonical_url)

    def _first_written(self, column: str, value: str) -> str | None:
        # `column` is one of two literals above, never user input.
        with self._mutex:
            row = self._conn().execute(
                f"SELECT url FROM articles WHERE {column}=? AND written_at IS NOT NULL"
                " ORDER BY written_at, rowid LIMIT 1", (value,)).fetchone()
        return row[0] if row else None

    def record_written(self, url: str, *, canonical_url: str | None, content_hash: str | None,
                       output_file: str, when: datetime | None = None) -> None:
        """Remember that `url` is in `output_file`. Call only once the line is durable."""
        self.record_written_many([(url, canonical_url, content_hash, output_file)], when=when)

    def record_written_many(self, rows: Iterable[tuple[str, str | None, str | None, str]], *,
                            when: datetime | None = None) -> None:
        """`record_written` for a batch (url, canonical_url, content_hash, output_file)."""
        stamp = to_text(when)
        params = [(url, canonical, digest, stamp, stamp, output)
                  for url, canonical, digest, output in rows]
        with self._mutex:
            db = self._conn()
            db.execute("BEGIN")
            try:
                db.executemany(
                    "INSERT INTO articles (url, canonical_url, content_hash, first_seen,"
                    " written_at, output_file) VALUES (?, ?, ?, ?, ?, ?)"
                    " ON CONFLICT(url) DO UPDATE SET canonical_url=excluded.canonical_url,"
                    " content_hash=excluded.content_hash, written_at=excluded.written_at,"
                    " output_file=excluded.output_file", params)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def written_count(self) -> int:
        with self._mutex:
            row = self._conn().execute(
                "SELECT COUNT(*) FROM articles WHERE written_at IS NOT NULL").fetchone()
        return int(row[0])

    def is_written(self, url: str) -> bool:
        record = self.article(url)
        return record is not None and record.written_at is not None

    # -- small settings that must survive runs ---------------------------------------

    def get_meta(self, key: str) -> str | None:
        with self._mutex:
            row = self._conn().execute("SELECT value FROM meta WHERE key=?", (key,)).fetchone()
        return row[0] if row else None

    def set_meta(self, key: str, value: str) -> None:
        with self._mutex:
            self._conn().execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    # -- near-duplicate signatures ----------------------------------------------------

    def add_signatures(self, items: Iterable[tuple[str, bytes, str | None]], *,
                       when: datetime | None = None) -> None:
        """Store opaque near-duplicate signatures (e.g. MinHash values) by article URL,
        each with the URL of the first copy of its story (None for a first copy)."""
        stamp = to_text(when)
        params = [(url, sqlite3.Binary(sig), stamp, first) for url, sig, first in items]
        with self._mutex:
            db = self._conn()
            db.execute("BEGIN")
            try:
                db.executemany("INSERT OR REPLACE INTO signatures VALUES (?, ?, ?, ?)", params)
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def signatures(self, *, since: datetime | None = None
                   ) -> Iterator[tuple[str, bytes, str | None]]:
        """Stored (url, signature, duplicate_of), oldest first; only those added since
        `since` when given."""
        floor = to_text(since) if since is not None else ""
        with self._mutex:
            rows = self._conn().execute(
                "SELECT url, signature, duplicate_of FROM signatures WHERE added_at >= ?"
                " ORDER BY added_at, rowid", (floor,)).fetchall()
        for url, sig, first in rows:
            yield url, bytes(sig), first

    def clear_signatures(self) -> None:
        with self._mutex:
            self._conn().execute("DELETE FROM signatures")

    def signature_count(self) -> int:
        with self._mutex:
            return int(self._conn().execute("SELECT COUNT(*) FROM signatures").fetchone()[0])
