from __future__ import annotations

import logging
import os
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from newscrawl.crawl.state.sqlite import CrawlState, StateLocked

T0 = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
HASH_A = "a" * 64


def _holder_script(db: Path, hold: float, ready: Path) -> str:
    return textwrap.dedent(f"""
        import time
        from pathlib import Path
        from newscrawl.crawl.state.sqlite import CrawlState
        s = CrawlState({str(db)!r})
        s.mark_fetched("https://holder.example/")
        Path({str(ready)!r}).write_text("ok")
        time.sleep({hold})
        s.close()
    """)


def _start_holder(tmp_path: Path, db: Path, hold: float) -> subprocess.Popen[bytes]:
    ready = tmp_path / "ready"
    proc = subprocess.Popen([sys.executable, "-c", _holder_script(db, hold, ready)],
                            cwd=Path(__file__).resolve().parents[1])
    deadline = time.monotonic() + 15
    while not ready.exists():
        assert proc.poll() is None, "holder process died"
        assert time.monotonic() < deadline, "holder never took the lock"
        time.sleep(0.02)
    return proc


def test_fetch_and_write_roundtrip(tmp_path: Path) -> None:
    with CrawlState(tmp_path / "s.sqlite") as state:
        url = "https://news.example/a"
        assert state.should_fetch(url)
        state.mark_fetched(url, when=T0)
        assert not state.should_fetch(url)
        assert state.should_fetch(url, recrawl_after=timedelta(hours=1),
                                  now=T0 + timedelta(hours=2))
        assert not state.should_fetch(url, recrawl_after=timedelta(hours=1),
                                      now=T0 + timedelta(minutes=30))
        assert state.written_count() == 0
        assert state.url_for_hash(HASH_A) is None  # fetched is not written
        state.record_written(url, canonical_url="https://news.example/a-canon",
                             content_hash=HASH_A, output_file="data/x.jsonl",
                             when=T0 + timedelta(seconds=1))
        record = state.article(url)
        assert record is not None
        assert record.first_seen == T0 and record.last_fetched == T0
        assert record.written_at == T0 + timedelta(seconds=1)
        assert record.output_file == "data/x.jsonl"
        assert state.url_for_hash(HASH_A) == url
        assert state.url_for_canonical("https://news.example/a-canon") == url
        assert state.written_count() == 1
        # The canonical URL of a written article is known too, tracking decorations or not.
        assert not state.should_fetch("https://news.example/a-canon")
        assert not state.should_fetch("https://NEWS.example/a-canon?utm_source=rss#top")


def test_first_written_wins_for_hash(tmp_path: Path) -> None:
    with CrawlState(tmp_path / "s.sqlite") as state:
        state.record_written("https://x.example/2", canonical_url=None, content_hash=HASH_A,
                             output_file="f", when=T0 + timedelta(seconds=5))
        state.record_written("https://x.example/1", canonical_url=None, content_hash=HASH_A,
                             output_file="f", when=T0)
        assert state.url_for_hash(HASH_A) == "https://x.example/1"


def test_persists_across_reopen(tmp_path: Path) -> None:
    db = tmp_path / "deep" / "dir" / "s.sqlite"
    with CrawlState(db) as state:
        state.record_written("https://x.example/1", canonical_url=None, content_hash=HASH_A,
                             output_file="f")
        state.add_signatures([("https://x.example/1", b"\x00\x01sig", None),
                              ("https://x.example/2", b"sig2", "https://x.example/1")])
    assert not Path(f"{db}.lock").exists()
    with CrawlState(db) as state:
        assert state.written_count() == 1
        assert state.url_for_hash(HASH_A) == "https://x.example/1"
        assert list(state.signatures()) == [
            ("https://x.example/1", b"\x00\x01sig", None),
            ("https://x.example/2", b"sig2", "https://x.example/1")]
        assert state.signature_count() == 2


def test_second_open_in_same_process_is_locked(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    with CrawlState(db):
        with pytest.raises(StateLocked, match=str(os.getpid())):
            CrawlState(db)
        assert Path(f"{db}.lock").read_text().strip() == str(os.getpid())
    CrawlState(db).close()  # free again once closed


def test_live_process_lock_blocks_then_wait_succeeds(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    proc = _start_holder(tmp_path, db, hold=1.0)
    try:
        with pytest.raises(StateLocked, match=f"process {proc.pid}"):
            CrawlState(db)
        start = time.monotonic()
        with CrawlState(db, wait=10) as state:
            assert time.monotonic() - start < 9
            assert not state.should_fetch("https://holder.example/")
    finally:
        proc.wait(timeout=10)


def test_lock_of_killed_process_is_recovered(tmp_path: Path, caplog) -> None:
    db = tmp_path / "s.sqlite"
    proc = _start_holder(tmp_path, db, hold=60)
    proc.kill()
    proc.wait()
    lock = Path(f"{db}.lock")
    assert lock.read_text().strip() == str(proc.pid)  # SIGKILL left the lock file behind
    with caplog.at_level(logging.WARNING), CrawlState(db) as state:
        assert not state.should_fetch("https://holder.example/")
        assert lock.read_text().strip() == str(os.getpid())
    assert "stale" in caplog.text and str(proc.pid) in caplog.text


def test_stale_lock_file_with_dead_pid(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    Path(f"{db}.lock").write_text("999999999\n")
    with CrawlState(db) as state:
        assert state.written_count() == 0


def test_two_processes_take_turns_without_losing_writes(tmp_path: Path) -> None:
    db = tmp_path / "s.sqlite"
    script = textwrap.dedent(f"""
        import sys
        from newscrawl.crawl.state.sqlite import CrawlState
        tag = sys.argv[1]
        for i in range(15):
            with CrawlState({str(db)!r}, wait=20) as s:
                s.record_written(f"https://x.example/{{tag}}/{{i}}", canonical_url=None,
                                 content_hash=None, output_file="f")
    """)
    root = Path(__file__).resolve().parents[1]
    procs = [subprocess.Popen([sys.executable, "-c", script, tag], cwd=root) for tag in "ab"]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    with CrawlState(db) as state:
        assert state.written_count() == 30


def test_from_settings_reads_path(tmp_path: Path) -> None:
    db = tmp_path / "custom.sqlite"
    with CrawlState.from_settings({"NEWSCRAWL_STATE_PATH": str(db)}) as state:
        assert state.path == db
    assert db.exists()


def test_closed_state_refuses_use(tmp_path: Path) -> None:
    state = CrawlState(tmp_path / "s.sqlite")
    state.close()
    state.close()  # idempotent
    with pytest.raises(RuntimeError, match="closed"):
        state.written_count()
