"""Raw capture through the middleware in real Scrapy crawls (child processes, loopback server):
valid WARC files, items that point at their records, re-extraction equal to the fixtures, and
crash safety under SIGKILL."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from newscrawl.dataset.jsonlines import GzipMembers
from newscrawl.fixtures import iter_fixtures
from tests._crawl import ARTICLES as SPUTNIK
from tests._crawl import newscrawl, read_jsonl
from tests.warc_helpers import Page, page_server, stable

ROOT = Path(__file__).resolve().parent.parent
CHILD = ROOT / "tests" / "warc_crawl.py"
# A few sites' pages keep the crawl short; tests/test_warc_reader.py reads every fixture.
ARTICLES = list({f.site: f for f in reversed([f for f in iter_fixtures()
                                              if f.kind == "article"])}.values())[-4:]


def crawl_command(tmp_path: Path, origin: str, urls: list[str], warc_dir: Path,
                  **config: Any) -> tuple[list[str], dict[str, str], Path]:
    items = tmp_path / f"items-{time.monotonic_ns()}.jsonl"
    path = tmp_path / f"crawl-{time.monotonic_ns()}.json"
    path.write_text(json.dumps({"urls": urls, "warc_dir": str(warc_dir), "items": str(items),
                                **config}))
    env = {**os.environ, "NEWSCRAWL_TEST_ORIGIN": origin,
           "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")])}
    return [sys.executable, str(CHILD), str(path)], env, items


def run_crawl(tmp_path: Path, origin: str, urls: list[str], warc_dir: Path,
              **config: Any) -> list[dict[str, Any]]:
    command, env, items = crawl_command(tmp_path, origin, urls, warc_dir, **config)
    done = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    return [json.loads(line) for line in items.read_text().splitlines()]


def library_records(path: Path) -> list[dict[str, Any]]:
    """Every record as warcio reads it, with its digests checked (the body is read in full)."""
    records = []
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle, check_digests=True):
            body = record.content_stream().read()
            assert record.digest_checker.passed is not False, record.digest_checker.problems
            records.append({"type": record.rec_type, "headers": record.rec_headers,
                            "http": record.http_headers, "body": body})
    return records


def test_crawl_captures_valid_warcs_that_reextract_to_the_fixtures(tmp_path, run_cli):
    pages = {f.url: Page(f.html()) for f in ARTICLES}
    pages["https://example.org/logo.png"] = Page(b"\x89PNG\r\n", content_type="image/png")
    warc_dir = tmp_path / "warc"
    with page_server(pages) as origin:
        items = run_crawl(tmp_path, origin, [*pages, "https://example.org/gone"], warc_dir,
                          max_size=20_000)
    files = sorted(warc_dir.iterdir())
    assert len(files) >= 2, "a small NEWSCRAWL_WARC_MAX_SIZE rotates files"
    responses: dict[str, Any] = {}
    for path in files:
        records = library_records(path)
        assert records[0]["type"] == "warcinfo"
        by_id = {r["headers"].get_header("WARC-Record-ID"): r for r in records}
        for record in records:
            if record["type"] == "request":
                response = by_id[record["headers"].get_header("WARC-Concurrent-To")]
                assert response["type"] == "response"
                assert response["headers"].get_header("WARC-Target-URI") == \
                    record["headers"].get_header("WARC-Target-URI")
            if record["type"] == "response":
                responses[record["headers"].get_header("WARC-Target-URI")] = record
    assert set(responses) == {*pages, "https://example.org/gone"}
    for fixture in ARTICLES:
        http = responses[fixture.url]["http"]
        assert responses[fixture.url]["body"] == fixture.html()
        assert http.get_header("Content-Encoding") is None  # the body is stored decoded
        assert http.get_header("X-Archive-Orig-Content-Encoding") == "gzip"
        assert http.get_header("Content-Length") == str(len(fixture.html()))

    # Each item points at its own response record.
    assert {item["url"] for item in items} >= {f.url for f in ARTICLES}
    for item in items:
        location = item["warc"]
        with open(warc_dir / location["file"], "rb") as handle:
            handle.seek(location["offset"])
            member = handle.read(location["length"])
        record = next(iter(ArchiveIterator(io.BytesIO(member))))
        assert record.rec_headers.get_header("WARC-Record-ID") == location["record_id"]
        assert record.rec_headers.get_header("WARC-Target-URI") == item["url"]

    out = tmp_path / "again.jsonl"
    done = run_cli("reextract", *map(str, files), "-o", str(out))
    assert done.returncode == 0, done.stderr
    again = {item["url"]: item for item in map(json.loads, out.read_text().splitlines())}
    for fixture in ARTICLES:
        assert stable(again[fixture.url]) == stable(fixture.expected)
        assert again[fixture.url]["warc"]["record_id"] == \
            responses[fixture.url]["headers"].get_header("WARC-Record-ID")


def test_sigkill_leaves_every_complete_record_readable_and_next_run_starts_a_new_file(
        tmp_path):
    body = ARTICLES[0].html()
    urls = [f"{ARTICLES[0].url}?copy={n}" for n in range(400)]
    warc_dir = tmp_path / "warc"
    with page_server({url: Page(body) for url in urls}, delay=0.03) as origin:
        command, env, _ = crawl_command(tmp_path, origin, urls, warc_dir, concurrency=8)
        child = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL,
                                 stderr=subprocess.DEVNULL)
        try:
            first = wait_for_records(warc_dir, minimum_bytes=300_000)
            assert child.poll() is None, "the crawl must still be running when killed"
        finally:
            child.send_signal(signal.SIGKILL)
            child.wait(timeout=30)
        assert child.returncode == -signal.SIGKILL
        killed = first.read_bytes()

        members = list(GzipMembers(open(first, "rb")))  # noqa: SIM115
        complete = [m for m in members if m.problem is None]
        assert 10 <= len(complete) < 1 + 2 * len(urls), "killed mid-run"
        assert all(m.problem == "truncated" for m in members[len(complete):])
        assert len(members) - len(complete) <= 1, "only the last member may be cut short"
        readable = count_library_records(first)
        assert readable == len(complete)

        run_crawl(tmp_path, origin, urls[:3], warc_dir)
    files = sorted(warc_dir.iterdir())
    assert len(files) == 2 and first in files
    assert first.read_bytes() == killed, "the next run never appends to an earlier file"
    assert count_library_records(next(f for f in files if f != first)) == 1 + 3 * 2


def wait_for_records(warc_dir: Path, minimum_bytes: int, timeout: float = 60) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        files = list(warc_dir.glob("*.warc.gz")) if warc_dir.is_dir() else []
        if files and files[0].stat().st_size >= minimum_bytes:
            return files[0]
        time.sleep(0.02)
    raise AssertionError("the crawl wrote no WARC data in time")


def count_library_records(path: Path) -> int:
    """Records warcio reads with good digests, stopping at a cut-short end."""
    count = 0
    with open(path, "rb") as handle:
        try:
            for record in ArchiveIterator(handle, check_digests=True):
                record.content_stream().read()
                if record.digest_checker.passed is False:
                    break
                count += 1
        except Exception:  # the cut-short last member: everything before it has counted
            pass
    return count


def test_newscrawl_crawl_with_warc_dir_links_items_to_their_records(tmp_path):
    """The real spider against the offline mirror: items carry their WARC location, and
    re-extraction from the archive gives the fixtures' expected items."""
    out, warc_dir = tmp_path / "out.jsonl", tmp_path / "warc"
    result = newscrawl("crawl", "sputnik", "--mirror", "-o", str(out), "--warc", str(warc_dir),
                       "--state", str(tmp_path / "state.sqlite"), "--data-dir",
                       str(tmp_path / "data"), "-s", "NEWSCRAWL_EXTRACT_WORKERS=0")
    assert result.returncode == 0, result.stderr[-3000:]
    items = read_jsonl(out)
    assert sorted(item["url"] for item in items) == sorted(f.url for f in SPUTNIK)
    records = {}
    for path in warc_dir.iterdir():
        for record in library_records(path):
            if record["type"] == "response":
                records[record["headers"].get_header("WARC-Record-ID")] = record
    # Only article responses are archived, not the sitemaps, feeds or section pages; the
    # listed articles the mirror does not hold are archived too, with their 404.
    found = [r for r in records.values() if r["http"].get_statuscode() == "200"]
    assert sorted(r["headers"].get_header("WARC-Target-URI") for r in found) == \
        sorted(f.url for f in SPUTNIK)
    assert not any(r["http"].get_header("Content-Type", "").startswith(("application/xml",
                                                                        "text/xml"))
                   for r in records.values())
    for item in items:
        record = records[item["warc"]["record_id"]]
        assert record["headers"].get_header("WARC-Target-URI") == item["url"]
    again = tmp_path / "again.jsonl"
    done = newscrawl("reextract", *map(str, warc_dir.iterdir()), "-o", str(again))
    assert done.returncode == 0, done.stderr
    by_url = {item["url"]: item for item in read_jsonl(again)}
    for fixture in SPUTNIK:
        assert stable(by_url[fixture.url]) == stable(fixture.expected)
