"""The examples of docs/datasets.md (pandas, Hugging Face datasets, DuckDB) run as written,
on a small dataset made of the fixtures' expected items and its Parquet export."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from newscrawl import fixtures as store

DOC = Path(__file__).resolve().parent.parent / "docs" / "datasets.md"
SECTION = "## With pandas, Hugging Face datasets and DuckDB"
ARTICLES = [f.expected for f in store.iter_fixtures() if f.kind == "article"]


def examples() -> list[str]:
    text = DOC.read_text("utf-8")
    section = text[text.index(SECTION):]
    section = section[:section.index("\n## ", len(SECTION))]
    return re.findall(r"```python\n(.*?)```", section, re.DOTALL)


@pytest.fixture
def demo(tmp_path: Path, run_cli, monkeypatch) -> Path:
    (tmp_path / "data").mkdir()
    (tmp_path / "data" / "items.jsonl").write_text(
        "".join(json.dumps(item, ensure_ascii=False) + "\n" for item in ARTICLES), "utf-8")
    result = run_cli("export", "data/", "--format", "parquet", "-o", "articles.parquet",
                     cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    monkeypatch.chdir(tmp_path)
    # Hugging Face datasets: never ask the hub, keep its cache in the test's folder.
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    monkeypatch.setenv("HF_DATASETS_CACHE", str(tmp_path / "hf-cache"))
    return tmp_path


def test_the_document_has_the_three_examples():
    assert [("pandas" in code, "datasets" in code, "duckdb" in code) for code in examples()] \
        == [(True, False, False), (False, True, False), (False, False, True)]


@pytest.mark.parametrize("index", range(3), ids=["pandas", "huggingface", "duckdb"])
def test_example_runs_on_the_demo_dataset(demo, index):
    namespace: dict = {}
    exec(compile(examples()[index], f"{DOC.name} example {index + 1}", "exec"), namespace)
    german = sum(item["language"] == "de" for item in ARTICLES)
    if index == 0:
        assert len(namespace["frame"]) == german
    elif index == 1:
        assert namespace["german"].num_rows == german
        assert namespace["long_reads"].num_rows == sum(i["word_count"] >= 1000 for i in ARTICLES)
        assert namespace["texts"] == [i["body"] for i in ARTICLES if i["language"] == "de"]
    else:
        sites = {item["site"] for item in ARTICLES}
        assert sorted(site for site, _, _ in namespace["per_site"]) == sorted(sites)
        assert sum(count for _, count, _ in namespace["per_site"]) == len(ARTICLES)
        assert namespace["paywalled"] == sum(i["free_access"] is False for i in ARTICLES)
        top_author, top_count = namespace["authors"][0]
        assert top_count == sum(top_author in i["authors"] for i in ARTICLES)
