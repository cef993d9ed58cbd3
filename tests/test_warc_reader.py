"""`extract --warc` and `reextract` over WARC files written with warcio itself: items equal to
the fixtures', and damaged or irrelevant records counted and skipped, never a crash."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path

import pytest
from warcio.archiveiterator import ArchiveIterator
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from newscrawl.archives import reader
from newscrawl.archives.reader import Summary, extract_warcs
from newscrawl.dataset.jsonlines import GzipMembers
from newscrawl.fixtures import Fixture, iter_fixtures
from newscrawl.model.schema import schema_errors
from tests.warc_helpers import stable

ALL_ARTICLES = [f for f in iter_fixtures() if f.kind == "article"]
# Most tests need a few pages only: one per site, for the first three sites.
ARTICLES = list({f.site: f for f in reversed(ALL_ARTICLES)}.values())[-3:]
PNG = b"\x89PNG\r\n\x1a\n" + bytes(64)


def write_record(writer: WARCWriter, url: str, body: bytes, *, status: str = "200 OK",
                 content_type: str = "text/html; charset=utf-8", date: str | None = None,
                 extra: list[tuple[str, str]] = ()) -> None:
    """A request and a response record for one page, as any WARC tool would write them."""
    headers = StatusAndHeaders(status, [("Content-Type", content_type), *extra,
                                        ("Content-Length", str(len(body)))],
                               protocol="HTTP/1.1")
    warc_headers = {"WARC-Date": date} if date else {}
    response = writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                         length=len(body), http_headers=headers,
                                         warc_headers_dict=warc_headers)
    request = writer.create_warc_record(
        url, "request", http_headers=StatusAndHeaders("GET / HTTP/1.1", [("Host", "x")],
                                                      is_http_request=True),
        warc_headers_dict={"WARC-Concurrent-To":
                           response.rec_headers.get_header("WARC-Record-ID")})
    writer.write_record(response)
    writer.write_record(request)


def fixture_warc(path: Path, *, gzipped: bool = True, extras: bool = True,
                 fixtures: list[Fixture] = ARTICLES) -> Path:
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=gzipped)
        writer.write_record(writer.create_warcinfo_record(path.name, {"software": "test"}))
        for fixture in fixtures:
            write_record(writer, fixture.url, fixture.html(),
                         date=fixture.meta["fetched_at"].replace("+00:00", "Z"))
        if extras:
            write_record(writer, "https://example.org/logo.png", PNG, content_type="image/png")
            write_record(writer, "https://example.org/gone", b"<html>gone</html>",
                         status="404 Not Found")
            write_record(writer, "https://example.org/moved", b"", status="301 Moved")
    return path


def run(paths: list[Path], jobs: int = 0) -> tuple[list[dict], Summary, str]:
    items: list[dict] = []
    stderr = io.StringIO()
    summary = extract_warcs(paths, lambda line: items.append(json.loads(line)), jobs=jobs,
                            stderr=stderr, progress=False)
    return items, summary, stderr.getvalue()


def expect_fixture_items(items: list[dict], fixtures: list[Fixture] = ARTICLES) -> None:
    assert [item["url"] for item in items] == [f.url for f in fixtures]
    for item, fixture in zip(items, fixtures, strict=True):
        assert stable(item) == stable(fixture.expected)
        # fetched_at is the record's WARC-Date (to the second, as extraction writes it)
        assert item["fetched_at"][:19] == fixture.meta["fetched_at"][:19]


def test_library_reads_the_test_warc_with_good_digests(tmp_path):
    path = fixture_warc(tmp_path / "pages.warc.gz")
    with open(path, "rb") as handle:
        for record in ArchiveIterator(handle, check_digests=True):
            record.content_stream().read()
            assert record.digest_checker.passed is not False


@pytest.mark.parametrize("gzipped", [True, False])
def test_fixture_pages_extract_to_their_expected_items(tmp_path, gzipped):
    # Every article fixture once (gzipped); the uncompressed variant needs only a few.
    fixtures = ALL_ARTICLES if gzipped else ARTICLES
    path = fixture_warc(tmp_path / ("pages.warc.gz" if gzipped else "pages.warc"),
                        gzipped=gzipped, fixtures=fixtures)
    items, summary, messages = run([path], jobs=2 if gzipped else 0)
    expect_fixture_items(items, fixtures)
    assert summary.extracted == len(fixtures) and summary.errors == 0
    # warcinfo + request records, the image, the 404 and the redirect are counted, not items
    assert summary.skipped == {"not-response": 1 + len(fixtures) + 3, "non-html": 1,
                               "status": 2}
    assert summary.records == 1 + 2 * (len(fixtures) + 3)
    assert messages == ""


def test_item_locations_point_at_their_response_records(tmp_path):
    path = fixture_warc(tmp_path / "pages.warc.gz")
    items, _, _ = run([path])
    for item in items:
        assert schema_errors(item) == []
        location = item["warc"]
        assert location["file"] == str(path)
        with open(path, "rb") as handle:
            handle.seek(location["offset"])
            member = handle.read(location["length"])
        record = next(iter(ArchiveIterator(io.BytesIO(member))))
        assert record.rec_headers.get_header("WARC-Record-ID") == location["record_id"]


def test_parallel_run_gives_the_same_items_in_the_same_order(tmp_path):
    paths = [fixture_warc(tmp_path / f"pages-{n}.warc.gz") for n in range(3)]
    single, one, _ = run(paths, jobs=0)
    parallel, two, _ = run(paths, jobs=2)
    worker, three, _ = run(paths, jobs=1)
    assert worker == single and three == one
    assert single == parallel and one == two and len(single) == 3 * len(ARTICLES)


def member_offsets(path: Path) -> list[int]:
    with open(path, "rb") as handle:
        records = ArchiveIterator(handle)
        offsets = []
        for record in records:
            records.read_to_end(record)
            offsets.append(records.get_record_offset())
    return offsets


def test_truncated_file_keeps_the_complete_records(tmp_path):
    path = fixture_warc(tmp_path / "pages.warc.gz", extras=False)
    last_response = member_offsets(path)[-2]
    path.write_bytes(path.read_bytes()[:last_response + 500])  # cut inside the last page
    items, summary, messages = run([path])
    expect_fixture_items_prefix(items, len(ARTICLES) - 1)
    assert summary.skipped["truncated"] == 1
    assert "ends inside this gzip member" in messages


def test_truncated_uncompressed_file_keeps_the_complete_records(tmp_path):
    path = fixture_warc(tmp_path / "pages.warc", gzipped=False, extras=False)
    last_response = member_offsets(path)[-2]
    path.write_bytes(path.read_bytes()[:last_response + 2000])
    items, summary, messages = run([path])
    expect_fixture_items_prefix(items, len(ARTICLES) - 1)
    assert summary.skipped["truncated"] + summary.skipped["unparsable"] == 1
    assert messages


def expect_fixture_items_prefix(items: list[dict], count: int) -> None:
    assert [item["url"] for item in items] == [f.url for f in ARTICLES[:count]]


def test_broken_gzip_member_is_skipped_and_reading_goes_on(tmp_path):
    path = fixture_warc(tmp_path / "pages.warc.gz")
    offsets = member_offsets(path)
    data = bytearray(path.read_bytes())
    first_response = offsets[1]
    for index in range(first_response + 40, first_response + 240):
        data[index] ^= 0x5A  # scramble the deflate stream of the first page
    path.write_bytes(bytes(data))
    items, summary, messages = run([path])
    assert [item["url"] for item in items] == [f.url for f in ARTICLES[1:]]
    assert summary.skipped["broken-gzip"] == 1
    assert "broken gzip member" in messages


def test_garbage_between_members_is_skipped(tmp_path):
    path = fixture_warc(tmp_path / "pages.warc.gz")
    second_response = member_offsets(path)[3]
    data = path.read_bytes()
    path.write_bytes(data[:second_response] + b"garbage" * 100 + data[second_response:])
    items, summary, _ = run([path])
    expect_fixture_items(items)
    assert summary.skipped["broken-gzip"] == 1


def test_compressed_payload_is_decoded_and_non_html_is_skipped(tmp_path):
    path = tmp_path / "raw.warc.gz"
    fixture = ARTICLES[-1]
    with open(path, "wb") as handle:
        writer = WARCWriter(handle, gzip=True)
        # As some crawlers store it: the payload still gzip-encoded, the header says so.
        write_record(writer, fixture.url, gzip.compress(fixture.html()),
                     extra=[("Content-Encoding", "gzip")])
        write_record(writer, "https://example.org/data", b'{"a": 1}',
                     content_type="application/json")
        write_record(writer, "https://example.org/blob", PNG + b"\x00" * 10,
                     content_type="")
    items, summary, _ = run([path])
    assert [stable(item) for item in items] == [stable(fixture.expected)]
    assert summary.skipped["non-html"] == 2


def test_not_a_warc_at_all_is_reported_not_raised(tmp_path):
    path = tmp_path / "notes.txt"
    path.write_text("hello, this is not a WARC file\n")
    items, summary, messages = run([path])
    assert items == [] and summary.skipped["unparsable"] == 1 and "notes.txt" in messages


def test_cli_writes_items_and_a_summary(tmp_path, run_cli):
    path = fixture_warc(tmp_path / "pages.warc.gz")
    out = tmp_path / "out.jsonl"
    done = run_cli("extract", "--warc", str(path), "-o", str(out), "--jobs", "2")
    assert done.returncode == 0, done.stderr
    assert len(out.read_text().splitlines()) == len(ARTICLES)
    assert f"{len(ARTICLES)} extracted" in done.stderr and "non-html 1" in done.stderr
    assert "\r" not in done.stderr  # no progress bar when stderr is not a terminal
    to_stdout = run_cli("extract", "--warc", str(path), "--generic", "--jobs", "1")
    assert [json.loads(line)["extractor"].startswith("generic@")
            for line in to_stdout.stdout.splitlines()] == [True] * len(ARTICLES)
    missing = run_cli("extract", "--warc", str(tmp_path / "none.warc.gz"))
    assert missing.returncode == 1 and "no such file" in missing.stderr


def test_reextract_compare_reports_changes_per_site_and_field(tmp_path, run_cli):
    path = fixture_warc(tmp_path / "pages.warc.gz")
    old = tmp_path / "old.jsonl"
    changed = dict(ARTICLES[0].expected, headline="An older headline",
                   tags=["stale"])
    gone = dict(ARTICLES[0].expected, url="https://sputniknews.com/gone-since/")
    old.write_text("\n".join(json.dumps(item) for item in
                             [changed, *(f.expected for f in ARTICLES[1:]), gone]) + "\n")
    out = tmp_path / "new.jsonl"
    done = run_cli("reextract", str(path), "-o", str(out), "--compare", str(old))
    assert done.returncode == 0, done.stderr
    report = done.stdout
    assert f"{len(ARTICLES)} items compared, 1 changed, 0 new, 1 missing" in report
    assert "headline: 1 changed" in report and "tags: 1 changed" in report
    assert "An older headline" in report and ARTICLES[0].url in report
    assert len(out.read_text().splitlines()) == len(ARTICLES)


def test_progress_bar_is_drawn_only_when_asked(tmp_path):
    path = fixture_warc(tmp_path / "pages.warc.gz")
    shown = io.StringIO()
    extract_warcs([path], lambda line: None, jobs=0, stderr=shown, progress=True)
    assert "\r[" in shown.getvalue() and "100.0%" in shown.getvalue()
    quiet = io.StringIO()
    extract_warcs([path], lambda line: None, jobs=0, stderr=quiet)  # StringIO is no terminal
    assert quiet.getvalue() == ""


def test_member_bounds_are_exact_for_highly_compressed_members():
    first = gzip.compress(b"WARC/1.1\r\n" + b"a" * 3_000_000)  # inflates in many steps
    second = gzip.compress(b"WARC/1.1\r\n")
    chunks = list(GzipMembers(io.BytesIO(first + second)))
    assert [(c.offset, c.length, c.problem) for c in chunks] == [
        (0, len(first), None), (len(first), len(second), None)]
    assert len(chunks[0].data) == 3_000_010
    cut = list(GzipMembers(io.BytesIO(first + second[:-4])))
    assert [c.problem for c in cut] == [None, "truncated"]


def test_recycled_workers_keep_every_item_in_order(tmp_path, monkeypatch):
    monkeypatch.setattr(reader, "RECYCLE_AFTER_BATCHES", 1)  # a new process per batch
    monkeypatch.setattr(reader, "BATCH_RECORDS", 2)
    path = fixture_warc(tmp_path / "pages.warc.gz")
    in_process, counted, _ = run([path], jobs=0)
    recycled, recounted, _ = run([path], jobs=2)
    assert recycled == in_process and recounted == counted
