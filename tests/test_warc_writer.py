"""The WARC writer on its own: rotation, names, and a failing disk."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from scrapy import Request
from scrapy.http import HtmlResponse
from warcio.archiveiterator import ArchiveIterator

from newscrawl.archives.capture import WarcCaptureMiddleware
from newscrawl.archives.writer import Exchange, RotatingWarcWriter

PAGE = Exchange(url="https://example.org/a?b=1", status=200, body=b"<html>hi</html>" * 100,
                response_headers=[("Content-Type", "text/html"),
                                  ("Transfer-Encoding", "chunked")],
                request_headers=[("User-Agent", "newscrawl-test")])


def read(path: Path) -> list:
    with open(path, "rb") as handle:
        return [(r.rec_type, r.rec_headers, r.http_headers, r.content_stream().read())
                for r in ArchiveIterator(handle, check_digests=True)]


def test_files_rotate_by_size_each_with_its_warcinfo(tmp_path):
    with RotatingWarcWriter(tmp_path, max_file_size=3000) as writer:
        written = [writer.write(PAGE) for _ in range(6)]
    assert len(writer.files) >= 2
    assert len({w.file for w in written}) == len(writer.files)
    for name in writer.files:
        assert name.endswith(".warc.gz") and name.startswith("newscrawl-")
        records = read(tmp_path / name)
        assert records[0][0] == "warcinfo"
        assert records[0][1].get_header("WARC-Filename") == name
        request = records[2]
        assert request[0] == "request"
        assert request[2].protocol == "GET" and "/a?b=1" in request[2].statusline
        assert request[2].get_header("Host") == "example.org"
        response = records[1]
        assert response[3] == PAGE.body
        assert response[2].get_header("Transfer-Encoding") is None
        assert response[2].get_header("X-Archive-Orig-Transfer-Encoding") == "chunked"
        assert response[2].statusline == "200 OK"


def test_a_second_writer_in_the_same_directory_never_shares_a_file(tmp_path):
    with RotatingWarcWriter(tmp_path) as first, RotatingWarcWriter(tmp_path) as second:
        first.write(PAGE)
        second.write(PAGE)
    assert set(first.files).isdisjoint(second.files)


class FullDisk(io.BytesIO):
    def write(self, data: bytes) -> int:
        raise OSError(28, "No space left on device")


def test_a_failing_write_leaves_the_article_unarchived_and_the_next_record_in_a_new_file(
        tmp_path, caplog):
    writer = RotatingWarcWriter(tmp_path)
    writer.write(PAGE)
    writer._handle = FullDisk()  # the disk fills up
    with pytest.raises(OSError):
        writer.write(PAGE)
    assert writer._handle is None
    writer.write(PAGE)
    writer.close()
    assert len(writer.files) == 2

    middleware = WarcCaptureMiddleware(RotatingWarcWriter(tmp_path / "m"))
    middleware.writer._ensure_file()
    middleware.writer._handle = FullDisk()
    request = Request(PAGE.url, meta={"newscrawl_kind": "article"})
    response = HtmlResponse(PAGE.url, body=PAGE.body, request=request)
    assert middleware.process_response(request, response) is response
    assert "newscrawl_warc" not in request.meta
    assert "cannot archive" in caplog.text
