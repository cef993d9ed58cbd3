"""`newscrawl fixtures add --truth` and `fixtures check --truth`: a fixture's independent
reference record, stored at import and compared on demand."""

from __future__ import annotations

import json
import shutil

from newscrawl import fixtures as store

ARTICLE = next(f for f in store.iter_fixtures(["sputnik"]) if f.name == "2024-05-17-putins-trip")


def copy_fixtures(tmp_path):
    root = tmp_path / "fixtures"
    shutil.copytree(ARTICLE.html_path.parent, root / "sputnik")
    return root


def test_add_with_truth_stores_it_before_expected_and_reports_differences(run_cli, tmp_path):
    root = copy_fixtures(tmp_path)
    page = tmp_path / "saved.html"
    page.write_bytes(ARTICLE.html())
    truth = dict(ARTICLE.meta["truth"], headline="A headline the page does not have")
    truth_path = tmp_path / "truth.json"
    truth_path.write_text(json.dumps(truth))
    url = "https://sputnikglobe.com/20240517/another-copy-1118491999.html"
    result = run_cli("fixtures", "--root", str(root), "add", str(page), "--url", url,
                     "--fetched-at", "2024-05-17T18:00:00+00:00", "--licence", "test",
                     "--notes", "a copy for the test", "--truth", str(truth_path))
    assert result.returncode == 0, result.stderr
    assert "A headline the page does not have" in result.stdout
    assert "truth: 1 field(s) differ" in result.stdout
    meta = json.loads((root / "sputnik" / "another-copy-1118491999.json").read_text())
    assert list(meta)[-3:] == ["truth", "truth_differences", "expected"]
    assert meta["truth"]["headline"] == "A headline the page does not have"
    assert meta["provenance"]["notes"] == "a copy for the test"


def test_add_rejects_a_truth_that_is_not_a_json_object(run_cli, tmp_path):
    root = copy_fixtures(tmp_path)
    bad = tmp_path / "truth.json"
    bad.write_text("[1, 2]")
    result = run_cli("fixtures", "--root", str(root), "add", str(ARTICLE.html_path), "--url",
                     "https://sputnikglobe.com/20240517/x-1118491998.html", "--truth", str(bad))
    assert result.returncode == 1 and "JSON object" in result.stderr
    assert not (root / "sputnik" / "x-1118491998.json").exists()


def test_check_with_truth_fails_on_undocumented_differences_only(run_cli, tmp_path):
    root = copy_fixtures(tmp_path)
    plain = run_cli("fixtures", "--root", str(root), "check", "--truth", "sputnik")
    assert plain.returncode == 0, plain.stdout
    assert "0 disagree" in plain.stdout
    meta_path = root / "sputnik" / "2024-05-17-putins-trip.json"
    meta = json.loads(meta_path.read_text())
    meta["truth"]["headline"] = "Not the headline"
    meta_path.write_text(json.dumps(meta))
    failing = run_cli("fixtures", "--root", str(root), "check", "--truth", "sputnik")
    assert failing.returncode == 1
    assert "TRUTH sputnik/2024-05-17-putins-trip" in failing.stdout
    assert "Not the headline" in failing.stdout
    # without --truth, the expected item alone is compared, as before
    assert run_cli("fixtures", "--root", str(root), "check", "sputnik").returncode == 0
    meta["truth_differences"] = [{"field": "headline", "reason": "documented for the test"}]
    meta_path.write_text(json.dumps(meta))
    documented = run_cli("fixtures", "--root", str(root), "check", "--truth", "sputnik")
    assert documented.returncode == 0, documented.stdout


def test_a_whitespace_only_difference_is_named():
    diff = store.FieldDiff("headline", "la «\u00a0gravité\u00a0»", "la « gravité »")
    assert "differ only in whitespace: U+00A0" in diff.render()
    assert "whitespace" not in store.FieldDiff("headline", "a", "b").render()
