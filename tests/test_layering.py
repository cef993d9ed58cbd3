"""The import contracts of pyproject.toml hold, and they do catch an arrow that points up or a
cycle (checked on a copy of the package laid out as it installs: tests/support/layering.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.layering import installed_layout, lint


def test_the_package_keeps_its_import_contracts(tmp_path: Path) -> None:
    result = lint(installed_layout(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


BREAKS = {
    "the data model reaching up into the crawl settings": (
        {"newscrawl/model/upward.py": "import newscrawl.crawl.settings\n"},
        "newscrawl.model.upward -> newscrawl.crawl.settings"),
    "a spider importing a pipeline": (
        {"newscrawl/spiders/reach.py": "import newscrawl.pipelines.jsonl\n"},
        "newscrawl.spiders.reach -> newscrawl.pipelines.jsonl"),
    "a cycle inside a room": (
        {"newscrawl/dataset/first.py": "import newscrawl.dataset.second\n",
         "newscrawl/dataset/second.py": "import newscrawl.dataset.first\n"},
        "No import cycles between the modules of any package BROKEN"),
    "Scrapy in the extraction core": (
        {"newscrawl/extraction/fetching.py": "import scrapy\n"},
        "Extraction is a pure function: no Scrapy, no Twisted, no network BROKEN"),
}


@pytest.mark.parametrize("case", BREAKS)
def test_a_forbidden_import_breaks_a_contract(tmp_path: Path, case: str) -> None:
    files, expected = BREAKS[case]
    layout = installed_layout(tmp_path)
    for name, text in files.items():
        (layout / name).write_text(text)
    result = lint(layout)
    assert result.returncode != 0
    assert expected in result.stdout, result.stdout
