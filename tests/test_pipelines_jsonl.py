from __future__ import annotations

import gzip
import hashlib
import json
import logging
import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import fields
from pathlib import Path

import pytest

from newscrawl.crawl.state.sqlite import CrawlState
from newscrawl.dataset.paths import inside, safe_component
from newscrawl.model.items import Article
from tests.pipeline_support import article, chain

ROOT = Path(__file__).resolve().parents[1]
WRITER = {"newscrawl.pipelines.jsonl.JsonLinesWriterPipeline": 900}
# Tests of what one write does see each item written at once.
EACH = {"NEWSCRAWL_JSONL_FSYNC_BATCH": 1}


def lines_of(path: Path) -> list[dict]:
    data = path.read_bytes()
    assert data.endswith(b"\n")
    return [json.loads(line) for line in data.split(b"\n")[:-1]]


def test_layout_and_encoding(tmp_path) -> None:
    with chain(tmp_path, WRITER, **EACH) as pipes:
        pipes.process(article(1, headline="Ärger über «Zölle» — 東京", site="example"))
        pipes.process(article(2, fetched_at="2026-01-03T00:00:01+00:00"))
        pipes.process(article(3, site="other"))
        assert pipes.stats["newscrawl/written"] == 3
    data = tmp_path / "data"
    day1 = data / "example" / "2026-01-02" / "run1.jsonl"
    raw = day1.read_text("utf-8")
    assert "Ärger über «Zölle» — 東京" in raw and "\\u" not in raw
    assert [item["url"] for item in lines_of(day1)] == ["https://news.example.com/story/1"]
    assert len(lines_of(data / "example" / "2026-01-03" / "run1.jsonl")) == 1
    assert len(lines_of(data / "other" / "2026-01-02" / "run1.jsonl")) == 1
    item = lines_of(day1)[0]
    assert item["duplicate_of"] is None and item["problems"] is None
    assert list(item) == [f.name for f in fields(Article)]  # a line keeps the item's order
    with CrawlState(tmp_path / "state.sqlite") as state:
        record = state.article("https://news.example.com/story/1")
        assert record.output_file == "example/2026-01-02/run1.jsonl"
        assert state.written_count() == 3


def test_manifest_describes_the_run(tmp_path) -> None:
    with chain(tmp_path) as pipes:
        pipes.process(article(1, tags=["a"]))
        pipes.process(article(2))
        pipes.process(article(3, headline=None))  # dropped by validation
    manifest = json.loads((tmp_path / "data" / "run1.manifest.json").read_text())
    assert manifest["status"] == "complete" and manifest["run"] == "run1"
    assert manifest["newscrawl_version"]
    assert manifest["extractors"] == {"generic@1": 2}
    assert manifest["counts"]["items"] == 2
    assert manifest["counts"]["dropped"] == {"no_headline": 1}
    assert manifest["coverage"]["headline"] == 1.0 and manifest["coverage"]["tags"] == 0.5
    assert manifest["settings"]["NEWSCRAWL_RUN_ID"] == "run1"
    [entry] = manifest["files"]
    path = tmp_path / "data" / entry["path"]
    assert entry["sha256"] == hashlib.sha256(path.read_bytes()).hexdigest()
    assert entry["items"] == 2
    assert manifest["started_at"] <= manifest["finished_at"]


def test_gzip_files(tmp_path) -> None:
    with chain(tmp_path, WRITER, NEWSCRAWL_JSONL_GZIP=True) as pipes:
        for n in range(3):
            pipes.process(article(n))
    path = tmp_path / "data" / "example" / "2026-01-02" / "run1.jsonl.gz"
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        assert [json.loads(line)["url"][-1] for line in handle] == ["0", "1", "2"]


@pytest.mark.parametrize("site", ["../../escape", "/etc", "..", "a/../../b", "x\x00y",
                                  "s" * 5000, "", ".hidden", "C:\\windows"])
def test_hostile_site_names_stay_inside(tmp_path, site) -> None:
    with chain(tmp_path, WRITER) as pipes:
        pipes.process(article(1, site=site or None, url="https://host.example/x"))
    files = [p for p in tmp_path.rglob("*.jsonl")]
    assert len(files) == 1
    relative = files[0].relative_to(tmp_path / "data")
    assert len(relative.parts) == 3 and all(len(part) <= 100 for part in relative.parts)
    assert not relative.parts[0].startswith(".")


def test_safe_component_keeps_distinct_names_apart() -> None:
    assert safe_component("bbc") == "bbc"
    assert safe_component("a/b") != safe_component("a-b")
    assert safe_component("..") not in ("..", ".", "")
    with pytest.raises(ValueError):
        inside(Path("/tmp/root"), "..", "x")


def test_hostile_run_id_stays_inside(tmp_path) -> None:
    with chain(tmp_path, WRITER, NEWSCRAWL_RUN_ID="../../../tmp/evil") as pipes:
        pipes.process(article(1))
    assert all(p.is_relative_to(tmp_path / "data") for p in tmp_path.rglob("*evil*"))
    assert list((tmp_path / "data").rglob("*evil*.jsonl"))


def torn_file(tmp_path: Path, run: str = "crashed") -> Path:
    path = tmp_path / "data" / "example" / "2026-01-02" / f"{run}.jsonl"
    path.parent.mkdir(parents=True)
    path.write_bytes(b'{"url":"https://a.example/1","site":"example"}\n{"url":"https://a.exa')
    return path


def test_next_run_repairs_a_torn_last_line(tmp_path, caplog) -> None:
    path = torn_file(tmp_path)
    with caplog.at_level(logging.WARNING), chain(tmp_path, WRITER) as pipes:
        assert pipes.stats["newscrawl/jsonl/repaired_files"] == 1
    assert [item["url"] for item in lines_of(path)] == ["https://a.example/1"]
    assert "torn last line" in caplog.text
    recovered = json.loads((tmp_path / "data" / "crashed.manifest.json").read_text())
    assert recovered["status"] == "recovered" and recovered["counts"]["items"] == 1


def test_resuming_the_same_run_appends_after_the_repair(tmp_path) -> None:
    path = torn_file(tmp_path, run="run1")
    with chain(tmp_path, WRITER) as pipes:
        pipes.process(article(7))
    assert [item["url"] for item in lines_of(path)] == ["https://a.example/1",
                                                        "https://news.example.com/story/7"]


def test_failed_write_leaves_no_half_line_behind(tmp_path, monkeypatch) -> None:
    import newscrawl.pipelines.jsonl as jsonl

    real_write_all = jsonl.write_all

    def disk_full(fd: int, data: bytes) -> None:
        real_write_all(fd, data[: len(data) // 2])
        raise OSError(28, "No space left on device")

    with chain(tmp_path, WRITER, **EACH) as pipes:
        pipes.process(article(1))
        monkeypatch.setattr(jsonl, "write_all", disk_full)
        with pytest.raises(OSError):
            pipes.process(article(2))
        monkeypatch.setattr(jsonl, "write_all", real_write_all)
        pipes.process(article(3))
        assert pipes.stats["newscrawl/jsonl/write_errors"] == 1
    path = tmp_path / "data" / "example" / "2026-01-02" / "run1.jsonl"
    assert [item["url"][-1] for item in lines_of(path)] == ["1", "3"]
    with CrawlState(tmp_path / "state.sqlite") as state:
        assert not state.is_written("https://news.example.com/story/2")
        assert state.written_count() == 2


def test_lines_written_but_not_recorded_are_recorded_on_recovery(tmp_path) -> None:
    path = torn_file(tmp_path)
    with chain(tmp_path, WRITER) as pipes:
        assert pipes.stats["newscrawl/jsonl/reconciled"] == 1
    with CrawlState(tmp_path / "state.sqlite") as state:
        record = state.article("https://a.example/1")
        assert record.written_at is not None
        assert record.output_file == path.relative_to(tmp_path / "data").as_posix()
        assert state.written_count() == 1


def test_torn_gzip_member_is_cut(tmp_path) -> None:
    with chain(tmp_path, WRITER, NEWSCRAWL_JSONL_GZIP=True, NEWSCRAWL_RUN_ID="old") as pipes:
        pipes.process(article(1))
    path = tmp_path / "data" / "example" / "2026-01-02" / "old.jsonl.gz"
    (tmp_path / "data" / "old.manifest.json").unlink()  # as if the run had been killed
    whole = path.read_bytes()
    member = gzip.compress(b'{"url":"https://a.example/2"}\n')
    path.write_bytes(whole + member[: len(member) // 2])
    with chain(tmp_path, WRITER) as pipes:  # a plain-text run repairs gzip runs too
        assert pipes.stats["newscrawl/jsonl/repaired_files"] == 1
    assert path.read_bytes() == whole


def test_a_live_runs_files_are_left_alone(tmp_path) -> None:
    with chain(tmp_path, WRITER, NEWSCRAWL_RUN_ID="live", **EACH) as live:
        live.process(article(1))
        path = tmp_path / "data" / "example" / "2026-01-02" / "live.jsonl"
        with open(path, "ab") as handle:
            handle.write(b'{"half":')  # the live writer is mid-line
        with chain(tmp_path, WRITER, NEWSCRAWL_STATE_ENABLED=False) as other:
            assert "newscrawl/jsonl/repaired_files" not in other.stats
        assert path.read_bytes().endswith(b'{"half":')
        path.write_bytes(path.read_bytes()[: -len(b'{"half":')])


def written_urls(tmp_path: Path) -> list[str]:
    files = sorted((tmp_path / "data").rglob("*.jsonl"))
    return [item["url"] for path in files for item in lines_of(path)]


def test_default_batch_holds_items_until_it_is_full_or_the_run_ends(tmp_path) -> None:
    with chain(tmp_path, WRITER, NEWSCRAWL_JSONL_FSYNC_SECONDS=3600) as pipes:
        writer = pipes.pipelines[0]
        for n in range(99):
            pipes.process(article(n))
        # Not durable, so not recorded: a crash now loses them and the next run fetches
        # them again.
        assert written_urls(tmp_path) == [] and writer.state.written_count() == 0
        pipes.process(article(99))
        assert len(written_urls(tmp_path)) == 100 and writer.state.written_count() == 100
        pipes.process(article(100))
        assert writer.state.written_count() == 100
    assert len(written_urls(tmp_path)) == 101


def test_no_age_limit_waits_for_a_full_batch(tmp_path) -> None:
    with chain(tmp_path, WRITER, NEWSCRAWL_JSONL_FSYNC_SECONDS=0) as pipes:
        writer = pipes.pipelines[0]
        for n in range(99):
            pipes.process(article(n))
        writer._flush_if_due()
        assert written_urls(tmp_path) == [] and writer.state.written_count() == 0
        pipes.process(article(99))
        assert len(written_urls(tmp_path)) == 100 and writer.state.written_count() == 100
    assert len(written_urls(tmp_path)) == 100


def test_a_batch_is_written_once_its_oldest_item_is_old_enough(tmp_path, monkeypatch) -> None:
    import newscrawl.pipelines.jsonl as jsonl

    clock = {"now": 1000.0}
    monkeypatch.setattr(jsonl.time, "monotonic", lambda: clock["now"])
    with chain(tmp_path, WRITER, NEWSCRAWL_JSONL_FSYNC_SECONDS=2) as pipes:
        writer = pipes.pipelines[0]
        pipes.process(article(1))
        clock["now"] += 1.5
        pipes.process(article(2))
        assert written_urls(tmp_path) == []
        clock["now"] += 0.5  # the first item has waited 2 s: the next one flushes both
        pipes.process(article(3))
        assert len(written_urls(tmp_path)) == 3 and writer.state.written_count() == 3
        pipes.process(article(4))
        clock["now"] += 2
        writer._flush_if_due()  # what the crawl's timer does while no item comes
        assert len(written_urls(tmp_path)) == 4


# -- the kill test: a real process, SIGKILL, then the guarantees -------------------------------


def start_child(tmp_path: Path, run: str, count: int, *extra: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "tests.crash_child", str(tmp_path), run,
                             str(count), *extra], cwd=ROOT, stdout=subprocess.PIPE)


def wait_for(condition, timeout: float = 40.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def written_count(tmp_path: Path) -> int:
    files = list((tmp_path / "data").rglob("*.jsonl"))
    return sum(p.read_bytes().count(b"\n") for p in files)


def check_guarantees(tmp_path: Path) -> tuple[set[str], int]:
    """Complete lines are valid JSON, at most one torn tail per file, no item twice, and
    every item the state calls written is in the files. Returns URLs on disk, torn tails."""
    urls: list[str] = []
    torn = 0
    for path in (tmp_path / "data").rglob("*.jsonl"):
        *complete, tail = path.read_bytes().split(b"\n")
        urls.extend(json.loads(line)["url"] for line in complete)
        torn += bool(tail)
    # A kill between fsync and the state record leaves a line the state does not know;
    # the next run records it instead of writing it again.
    assert len(urls) == len(set(urls)), "an item was written twice"
    with CrawlState(tmp_path / "state.sqlite") as state:
        recorded = {url for url in urls if state.is_written(url)}
        assert state.written_count() == len(recorded), "state records an item not on disk"
    return set(urls), torn


def resume_and_finish(tmp_path: Path, count: int) -> None:
    child = start_child(tmp_path, "resumed", count)
    assert child.wait(timeout=60) == 0
    urls, torn = check_guarantees(tmp_path)
    assert torn == 0
    assert urls == {f"https://news.example.com/story/{n}" for n in range(count)}


def test_sigkill_mid_line_and_at_a_random_moment_then_resume(tmp_path) -> None:
    # 1. A kill while a line is half written (a stalled write: deterministic torn line).
    child = start_child(tmp_path, "killed", 150, "--stall-at", "25", "--batch", "1")
    try:
        wait_for((tmp_path / "stalled").exists)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=10)
    urls, torn = check_guarantees(tmp_path)
    assert torn == 1 and len(urls) == 24
    # 2. A second run with the default batches, killed at a random moment: it first
    # repairs the killed run.
    child = start_child(tmp_path, "random", 150)
    try:
        target = written_count(tmp_path) + random.Random().randint(5, 40)
        wait_for(lambda: written_count(tmp_path) >= target)
        time.sleep(random.random() * 0.01)
        os.kill(child.pid, signal.SIGKILL)
    finally:
        child.wait(timeout=10)
    check_guarantees(tmp_path)
    recovered = json.loads((tmp_path / "data" / "killed.manifest.json").read_text())
    assert recovered["status"] == "recovered" and recovered["counts"]["items"] == 24
    # 3. A run that finishes: every item on disk exactly once, no torn line anywhere.
    resume_and_finish(tmp_path, 150)
