from __future__ import annotations

import csv
import gzip
import json
import logging
from pathlib import Path

import pytest

from newscrawl import dataset
from newscrawl.dataset import ReadReport
from tests.pipeline_support import article, chain


def item(n: int, **fields) -> dict:
    return {**article(n).to_dict(), "duplicate_of": None, "problems": None, **fields}


def write_lines(path: Path, items: list[dict], tail: bytes = b"") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    data = b"".join(json.dumps(i, ensure_ascii=False).encode() + b"\n" for i in items) + tail
    path.write_bytes(gzip.compress(data) if path.suffix == ".gz" else data)
    return path


@pytest.fixture
def data(tmp_path) -> Path:
    root = tmp_path / "data"
    write_lines(root / "a" / "2026-01-02" / "r.jsonl",
                [item(1, site="a"), item(2, site="a", published="2026-03-01")],
                tail=b'{"url": "https://torn')
    write_lines(root / "b" / "2026-01-02" / "r.jsonl.gz",
                [item(3, site="b", duplicate_of="https://news.example.com/story/1")])
    return root


def test_reads_plain_and_gzip_and_skips_torn_tail(data, caplog) -> None:
    report = ReadReport()
    with caplog.at_level(logging.WARNING):
        urls = [i["url"][-1] for i in dataset.read(data, report=report)]
    assert urls == ["1", "2", "3"]
    assert report.files == 2 and report.items == 3
    assert report.torn_files == [str(data / "a" / "2026-01-02" / "r.jsonl")]
    assert "torn" in caplog.text


def test_filters(data) -> None:
    assert [i["url"][-1] for i in dataset.read(data, site="b")] == ["3"]
    assert [i["url"][-1] for i in dataset.read(data, since="2026-02-01")] == ["2"]
    assert [i["url"][-1] for i in dataset.read(data, until="2026-02-01")] == ["1", "3"]
    assert [i["url"][-1] for i in dataset.read(str(data / "*" / "*" / "*.gz"))] == ["3"]
    assert list(dataset.read([data / "nothing-here.jsonl"])) == []


def test_corrupt_gzip_and_bad_lines_do_not_crash(tmp_path) -> None:
    path = write_lines(tmp_path / "x.jsonl", [item(1)], tail=b"not json\n")
    broken = tmp_path / "y.jsonl.gz"
    whole = gzip.compress(b'{"url": "https://a.example/1"}\n')
    broken.write_bytes(whole + whole[:10])
    report = ReadReport()
    items = list(dataset.read([path, broken], report=report))
    assert len(items) == 2 and report.bad_lines == 1 and report.torn_files == [str(broken)]


def test_reads_what_the_writer_wrote(tmp_path) -> None:
    with chain(tmp_path) as pipes:
        for n in range(3):
            pipes.process(article(n))
    assert len(list(dataset.read(tmp_path / "data"))) == 3


def test_to_pandas(data) -> None:
    pytest.importorskip("pandas")
    frame = dataset.to_pandas(data, site="a")
    assert list(frame["url"].str[-1]) == ["1", "2"]
    assert str(frame["fetched_at"].dt.tz) == "UTC"


def test_missing_extra_is_explained(monkeypatch) -> None:
    import builtins

    real_import = builtins.__import__

    def no_pandas(name, *args, **kwargs):
        if name == "pandas":
            raise ImportError("No module named 'pandas'")
        return real_import(name, *args, **kwargs)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(dataset.MissingDependency, match=r"newscrawl\[pandas\]"):
        dataset.to_pandas([])


def test_cli_stats(data, run_cli) -> None:
    result = run_cli("stats", str(data), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["items"] == 3 and summary["near_duplicates"] == 1
    assert summary["sites"]["a"] == {"items": 2, "days": {"2026-01-02": 2}}
    assert summary["coverage"]["headline"] == 1.0 and summary["coverage"]["tags"] == 0.0
    assert summary["skipped"]["torn_files"]
    text = run_cli("stats", str(data)).stdout
    assert "3 items in 2 files" in text and "33.3%" in text


def test_cli_export_csv(data, run_cli, tmp_path) -> None:
    out = tmp_path / "out.csv"
    result = run_cli("export", str(data), "--format", "csv", "-o", str(out), "--site", "a")
    assert result.returncode == 0, result.stderr
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert [r["url"][-1] for r in rows] == ["1", "2"]
    assert json.loads(rows[0]["authors"]) == ["Jane Doe"]


def test_cli_export_parquet(data, run_cli, tmp_path) -> None:
    pq = pytest.importorskip("pyarrow.parquet")
    out = tmp_path / "out.parquet"
    result = run_cli("export", str(data), "--format", "parquet", "-o", str(out))
    assert result.returncode == 0, result.stderr
    table = pq.read_table(out)
    assert table.num_rows == 3
    rows = table.to_pylist()
    assert rows[0]["authors"] == ["Jane Doe"] and rows[0]["images"] == []
    assert rows[2]["duplicate_of"] == "https://news.example.com/story/1"
    assert str(table.schema.field("images").type).startswith("list<")


def test_cli_without_files_fails_clearly(run_cli, tmp_path) -> None:
    result = run_cli("stats", str(tmp_path / "none"))
    assert result.returncode == 1 and "no dataset files" in result.stderr
    assert not list(tmp_path.glob("*.partial"))


def test_cli_stats_counts_each_article_once_whatever_mix_of_outputs(run_cli, tmp_path) -> None:
    # A crawl's folder: the -o file beside the pipelines' data/ folder, both holding the run.
    folder = tmp_path / "output"
    run = [item(1, content_hash="h1"), item(2, content_hash="h2")]
    write_lines(folder / "data" / "a" / "2026-01-02" / "run-1.jsonl", run)
    # The -o file also has a story only it holds, and a changed version of story 2.
    write_lines(folder / "articles.jsonl",
                [*run, item(3, content_hash="h3"), item(2, content_hash="h2-new")])
    result = run_cli("stats", str(folder), "--json")
    assert result.returncode == 0, result.stderr
    summary = json.loads(result.stdout)
    assert summary["items"] == 4 and summary["copies_skipped"] == 2
    text = run_cli("stats", str(folder)).stdout
    assert "4 items in 2 files" in text and "2 more copies" in text
