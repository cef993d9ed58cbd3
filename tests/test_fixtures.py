"""Every fixture's extraction equals its expected item, which is schema-valid and, where an
independent truth exists, agrees with it."""

from __future__ import annotations

import pytest

from newscrawl import fixtures as store
from newscrawl.model.schema import schema_errors

FIXTURES = list(store.iter_fixtures())
ARTICLES = [f for f in FIXTURES if f.kind == "article"]
WITH_TRUTH = [f for f in FIXTURES if f.meta.get("truth")]


def test_fixtures_exist_for_the_reference_site():
    assert {f.name for f in FIXTURES if f.site == "sputnik"} >= {
        "2024-05-17-putins-trip", "2019-11-18-royal-self-indicting-arrogance",
        "2024-05-17-world-section", "2018-03-17-homepage"}


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.label)
def test_extraction_matches_expected_item(fixture):
    result = store.check_fixture(fixture)
    assert result.ok, result.render()


@pytest.mark.parametrize("fixture", ARTICLES, ids=lambda f: f.label)
def test_expected_item_is_schema_valid(fixture):
    assert schema_errors(fixture.expected) == []


@pytest.mark.parametrize("fixture", WITH_TRUTH, ids=lambda f: f.label)
def test_expected_item_agrees_with_truth(fixture):
    skip = [d["field"] for d in fixture.meta.get("truth_differences", [])]
    diffs = store.truth_diffs(fixture.expected, fixture.meta["truth"], skip)
    assert not diffs, "\n".join(d.render() for d in diffs)


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.label)
def test_fixture_states_its_provenance(fixture):
    provenance = fixture.meta["provenance"]
    assert provenance["status"] in store.PROVENANCE_STATUSES
    assert provenance["source"]
    assert "licence" in provenance
    if "reconstructed" in str(fixture.meta.get("provenance", {}).get("corpus_path", "")):
        assert provenance["status"] == "reconstructed"


@pytest.mark.parametrize("fixture", FIXTURES, ids=lambda f: f.label)
def test_documented_truth_differences_have_reasons(fixture):
    for difference in fixture.meta.get("truth_differences", []):
        assert difference["field"] and len(difference["reason"]) > 10
