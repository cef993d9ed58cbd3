"""The `newscrawl` command as users run it."""

from __future__ import annotations

import gzip
import json
import shutil

from newscrawl import fixtures as store

ARTICLE = next(f for f in store.iter_fixtures(["sputnik"]) if f.name == "2024-05-17-putins-trip")


def lines(output: str) -> list[dict]:
    return [json.loads(line) for line in output.splitlines() if line.strip()]


def test_extract_a_fixture_page_reads_its_url_from_the_fixture(run_cli):
    result = run_cli("extract", str(ARTICLE.html_path), "--fetched-at", "2024-05-17T18:00:00Z")
    assert result.returncode == 0, result.stderr
    [item] = lines(result.stdout)
    assert item["headline"] == ARTICLE.expected["headline"]
    assert item["body"] == ARTICLE.expected["body"]


def test_extract_bad_inputs_reports_each_and_goes_on(run_cli, tmp_path):
    empty = tmp_path / "empty.html"
    empty.write_bytes(b"")
    binary = tmp_path / "image.html"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 8)
    russian = tmp_path / "ru.html"
    russian.write_bytes("<html><body><h1>Заголовок</h1><p>Текст статьи о переговорах.</p>"
                        "</body></html>".encode("cp1251"))
    broken_gzip = tmp_path / "broken.html.gz"
    broken_gzip.write_bytes(gzip.compress(b"<html>" * 100)[:30])
    manifest = "\n".join(json.dumps({"id": name, "path": str(path), "url": f"https://x.test/{name}"})
                         for name, path in [("missing", tmp_path / "nope.html"), ("empty", empty),
                                            ("binary", binary), ("ru", russian),
                                            ("gz", broken_gzip)])
    result = run_cli("extract", "--manifest", "-", stdin=manifest + "\nnot json\n")
    assert result.returncode == 1
    out = {entry.get("id", "line"): entry for entry in lines(result.stdout)}
    assert "no such file" in out["missing"]["error"]
    assert "empty" in out["empty"]["error"]
    assert "binary" in out["binary"]["error"]
    assert "gzip" in out["gz"]["error"]
    assert "manifest line 6" in out["line"]["error"]
    assert "error" not in out["ru"] and out["ru"]["headline"] == "Заголовок"


def test_extract_without_url_says_so(run_cli, tmp_path):
    page = tmp_path / "page.html"
    page.write_text("<html><body><p>x</p></body></html>")
    result = run_cli("extract", str(page))
    assert result.returncode == 1
    assert "no URL" in lines(result.stdout)[0]["error"]


def test_extract_generic_flag_disables_profiles(run_cli):
    result = run_cli("extract", "--generic", str(ARTICLE.html_path))
    [item] = lines(result.stdout)
    assert item["extractor"].startswith("generic@")
    assert item["site"] == "sputnikglobe.com"


def copy_fixtures(tmp_path):
    root = tmp_path / "fixtures"
    shutil.copytree(ARTICLE.html_path.parent.parent, root)
    return root


def test_fixtures_check_passes_on_the_project_fixtures(run_cli):
    result = run_cli("fixtures", "check", "sputnik")
    assert result.returncode == 0, result.stdout
    assert "0 failed" in result.stdout


def test_fixtures_check_prints_a_field_level_diff_and_fails(run_cli, tmp_path):
    root = copy_fixtures(tmp_path)
    meta_path = root / "sputnik" / "2024-05-17-putins-trip.json"
    meta = json.loads(meta_path.read_text())
    paragraphs = meta["expected"]["body"].split("\n\n")
    meta["expected"]["body"] = "\n\n".join(paragraphs[:3] + ["An invented paragraph."]
                                           + paragraphs[4:])
    meta["expected"]["headline"] = "Wrong headline"
    meta_path.write_text(json.dumps(meta))
    result = run_cli("fixtures", "--root", str(root), "check", "sputnik")
    assert result.returncode == 1
    assert "FAIL  sputnik/2024-05-17-putins-trip" in result.stdout
    assert "headline:" in result.stdout and "Wrong headline" in result.stdout
    assert "changed paragraph 4" in result.stdout
    assert "1 failed" in result.stdout


def test_fixtures_add_then_update_shows_what_changed(run_cli, tmp_path):
    root = copy_fixtures(tmp_path)
    page = tmp_path / "saved.html"
    page.write_bytes(ARTICLE.html())
    url = "https://sputnikglobe.com/20240517/another-copy-1118491999.html"
    added = run_cli("fixtures", "--root", str(root), "add", str(page), "--url", url,
                    "--fetched-at", "2024-05-17T18:00:00+00:00", "--licence", "test")
    assert added.returncode == 0, added.stderr
    meta_path = root / "sputnik" / "another-copy-1118491999.json"
    meta = json.loads(meta_path.read_text())
    assert meta["provenance"]["status"] == "captured"
    assert meta["expected"]["headline"] == ARTICLE.expected["headline"]
    again = run_cli("fixtures", "--root", str(root), "add", str(page), "--url", url)
    assert again.returncode == 1 and "exists" in again.stderr
    meta["expected"]["tags"] = ["stale"]
    meta_path.write_text(json.dumps(meta))
    updated = run_cli("fixtures", "--root", str(root), "update", "sputnik")
    assert "updated sputnik/another-copy-1118491999" in updated.stdout
    assert "tags:" in updated.stdout
    assert json.loads(meta_path.read_text())["expected"]["tags"] == ARTICLE.expected["tags"]


def test_fixture_names_from_urls_cannot_escape_the_folder(run_cli, tmp_path):
    root = copy_fixtures(tmp_path)
    page = tmp_path / "saved.html"
    page.write_bytes(ARTICLE.html())
    result = run_cli("fixtures", "--root", str(root), "add", str(page), "--url",
                     "https://sputnikglobe.com/x", "--site", "../../escape", "--name", "../../../x")
    assert result.returncode == 0, result.stderr
    assert not (tmp_path.parent / "escape").exists()
    assert (root / "escape" / "x.json").is_file()


def test_scrapy_lists_the_spiders(tmp_path):
    import subprocess
    import sys

    from tests.conftest import ROOT

    result = subprocess.run([sys.executable, "-m", "scrapy", "list"], cwd=ROOT,
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert "pages" in result.stdout.split()


def test_every_crawl_option_sets_its_setting():
    from scrapy.settings import SETTINGS_PRIORITIES

    from newscrawl.cli import build_parser
    from newscrawl.cli.crawl import crawl_settings

    given = {"--data-dir": ("NEWSCRAWL_DATA_DIR", "/tmp/d"),
             "--state": ("NEWSCRAWL_STATE_PATH", "/tmp/s.sqlite"),
             "--recrawl-after": ("NEWSCRAWL_RECRAWL_AFTER", "2d"),
             "--since": ("NEWSCRAWL_SINCE", "2024-01-01"),
             "--until": ("NEWSCRAWL_UNTIL", "2024-02-01"),
             "--max-depth": ("NEWSCRAWL_MAX_PAGES_DEPTH", "0"),
             "--jobdir": ("JOBDIR", "/tmp/j"),
             "--stats": ("NEWSCRAWL_STATS_FILE", "/tmp/st.json"),
             "--warc": ("NEWSCRAWL_WARC_DIR", "/tmp/w"),
             "--notify": ("NEWSCRAWL_NOTIFY_URL", "http://127.0.0.1:9/hook"),
             "--notify-command": ("NEWSCRAWL_NOTIFY_COMMAND", "echo done"),
             "--workers": ("NEWSCRAWL_EXTRACT_WORKERS", "0"),
             "--redis": ("REDIS_URL", "redis://127.0.0.1:9"),
             "--worker-id": ("NEWSCRAWL_WORKER_ID", "w1")}
    argv = ["crawl", "bbc", *[part for option, (_, value) in given.items()
                               for part in (option, value)]]
    settings = crawl_settings(build_parser().parse_args(argv), None)
    for option, (name, value) in given.items():
        assert str(settings.get(name)) == value, option
    assert settings.getbool("NEWSCRAWL_STATE_ENABLED", True)
    no_state = crawl_settings(build_parser().parse_args(["crawl", "bbc", "--no-state"]), None)
    assert not no_state.getbool("NEWSCRAWL_STATE_ENABLED", True)
    # An option not given leaves the project's setting alone.
    cmdline = SETTINGS_PRIORITIES["cmdline"]
    assert all((no_state.getpriority(name) or 0) < cmdline for name, _ in given.values())
