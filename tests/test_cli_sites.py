"""`newscrawl sites` as users run it: a table for people, JSON for machines."""

from __future__ import annotations

import json
import shutil

from newscrawl import fixtures as store
from newscrawl.sites import all_profiles, profile_named


def test_table_lists_every_profile_with_its_fixture_count(run_cli):
    result = run_cli("sites")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines[0].split() == ["SITE", "HOSTS", "TIMEZONE", "LANG", "DESIGNS", "SECTIONS",
                                "SITEMAPS", "FEEDS", "FIXTURES"]
    rows = {line.split()[0]: line.split() for line in lines[1:-1]}
    assert set(rows) == {p.name for p in all_profiles()}
    sputnik = rows["sputnik"]
    assert sputnik[1] == "sputnikglobe.com,sputniknews.com"
    assert sputnik[2] == "UTC" and sputnik[4] == "2022,2014"
    fixtures = sum(1 for _ in store.iter_fixtures(["sputnik"]))
    assert sputnik[-1] == str(fixtures)
    assert lines[-1].startswith(f"{len(rows)} site profile(s)")


def test_json_carries_entry_points_and_designs(run_cli):
    result = run_cli("sites", "--json")
    assert result.returncode == 0, result.stderr
    sites = {site["name"]: site for site in json.loads(result.stdout)["sites"]}
    assert set(sites) == {p.name for p in all_profiles()}
    br = sites["br"]
    profile = profile_named("br")
    assert br["hosts"] == list(profile.hosts)
    assert br["timezone"] == "Europe/Berlin"
    assert br["designs"] == [layout.version for layout in profile.layouts]
    assert br["extractors"] == [f"br@{layout.version}" for layout in profile.layouts]
    assert br["entry_points"]["sitemaps"] == list(profile.sitemaps)
    assert br["entry_points"]["section_pages"] == list(profile.section_pages)
    assert br["fixtures"] == sum(1 for _ in store.iter_fixtures(["br"]))


def test_long_listing_and_selected_sites(run_cli):
    result = run_cli("sites", "--long", "sputnik")
    assert result.returncode == 0, result.stderr
    assert "sitemap  https://sputnikglobe.com/sitemap_article_index.xml" in result.stdout
    assert "feed     https://sputnikglobe.com/export/rss2/archive/index.xml" in result.stdout
    assert "\nbr " not in result.stdout
    assert result.stdout.rstrip().endswith("1 site profile(s), "
                                           f"{sum(1 for _ in store.iter_fixtures(['sputnik']))}"
                                           " fixture(s)")


def test_long_listing_shows_where_each_field_is_read_first(run_cli):
    result = run_cli("sites", "--long", "metro", "taipeitimes")
    assert result.returncode == 0, result.stderr
    lines = [line.strip() for line in result.stdout.splitlines()]
    assert "design 2024:" in lines
    # metadata before the visible h1, in the order the module declares
    assert "headline      jsonld > og:title > article.article h1.article__title" in lines
    assert "published     generic" in lines
    # a method the design overrides is named before the selector it goes on to
    assert "authors       TaipeiTimes2015.authors() > div.archives ul.as .name" in lines


def test_fixture_counts_follow_the_fixtures_folder(run_cli, tmp_path):
    root = tmp_path / "fixtures"
    shutil.copytree(store.FIXTURES_DIR / "sputnik", root / "sputnik")
    (root / "sputnik" / "2018-03-17-homepage.json").unlink()
    result = run_cli("sites", "--root", str(root), "--json", "sputnik", "br")
    sites = {site["name"]: site for site in json.loads(result.stdout)["sites"]}
    assert sites["sputnik"]["fixtures"] == sum(1 for _ in store.iter_fixtures(["sputnik"])) - 1
    assert sites["br"]["fixtures"] == 0


def test_unknown_site_is_an_error(run_cli):
    result = run_cli("sites", "no-such-site")
    assert result.returncode == 2
    assert "no profile named no-such-site" in result.stderr
    assert result.stdout == ""
