"""The import contracts of pyproject.toml hold, and they do catch an arrow that points up or a
cycle (checked on a copy of the package laid out as it installs: tests/support/layering.py)."""

from __future__ import annotations

from pathlib import Path

from tests.support.layering import installed_layout, lint


def test_the_package_keeps_its_import_contracts(tmp_path: Path) -> None:
    result = lint(installed_layout(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_an_upward_import_breaks_the_layers(tmp_path: Path) -> None:
    layout = installed_layout(tmp_path)
    # The data model reaching up into the crawl settings.
    (layout / "newscrawl/model/upward.py").write_text("import newscrawl.crawl.settings\n")
    result = lint(layout)
    assert result.returncode != 0
    assert "Rooms import only from rooms below them BROKEN" in result.stdout
    assert "newscrawl.model.upward -> newscrawl.crawl.settings" in result.stdout


def test_a_spider_importing_a_pipeline_breaks_the_layers(tmp_path: Path) -> None:
    layout = installed_layout(tmp_path)
    (layout / "newscrawl/spiders/reach.py").write_text("import newscrawl.pipelines.jsonl\n")
    result = lint(layout)
    assert result.returncode != 0
    assert "newscrawl.spiders.reach -> newscrawl.pipelines.jsonl" in result.stdout


def test_a_cycle_inside_a_room_breaks_the_acyclic_contract(tmp_path: Path) -> None:
    layout = installed_layout(tmp_path)
    (layout / "newscrawl/dataset/first.py").write_text("import newscrawl.dataset.second\n")
    (layout / "newscrawl/dataset/second.py").write_text("import newscrawl.dataset.first\n")
    result = lint(layout)
    assert result.returncode != 0
    assert "No import cycles between the modules of any package BROKEN" in result.stdout


def test_scrapy_in_the_extraction_core_breaks_its_purity(tmp_path: Path) -> None:
    layout = installed_layout(tmp_path)
    (layout / "newscrawl/extraction/fetching.py").write_text("import scrapy\n")
    result = lint(layout)
    assert result.returncode != 0
    assert "Extraction is a pure function: no Scrapy, no Twisted, no network BROKEN" \
        in result.stdout
