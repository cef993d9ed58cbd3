"""The shipped JSON Schema accepts real items and rejects broken ones with readable reasons."""

from __future__ import annotations

import copy

import pytest

from newscrawl import fixtures as store
from newscrawl.model.items import ARTICLE_FIELDS, article_from_dict
from newscrawl.model.schema import article_schema, schema_errors

ITEM = next(f for f in store.iter_fixtures(["sputnik"]) if f.name == "2024-05-17-putins-trip")


def valid_item() -> dict:
    return copy.deepcopy(ITEM.expected)


def test_schema_documents_every_item_field():
    assert set(article_schema()["properties"]) == set(ARTICLE_FIELDS)


def test_item_round_trips_through_its_json_form():
    assert article_from_dict(valid_item()).to_dict() == valid_item()


def test_warc_location_round_trips_and_validates():
    location = {"file": "newscrawl-1.warc.gz", "record_id": "<urn:uuid:1>", "offset": 0,
                "length": 10}
    item = {**valid_item(), "warc": location}
    assert article_from_dict(item).to_dict()["warc"] == location
    assert schema_errors(item) == []
    assert any(e.startswith("warc") for e in schema_errors({**item, "warc": {"file": "x"}}))


@pytest.mark.parametrize(("change", "where"), [
    ({"url": "ftp://x"}, "url"),
    ({"published": "17 May 2024"}, "published"),
    ({"fetched_at": "2024-05-17T18:00:00+02:00"}, "fetched_at"),
    ({"authors": "Jane Doe"}, "authors"),
    ({"images": [{"url": "https://x/y.jpg"}]}, "images/0"),
    ({"related": [{"url": "https://x", "headline": None, "section": None, "extra": 1}]},
     "related/0"),
    ({"dateline": {"raw": "x"}}, "dateline"),
    ({"content_hash": "abc"}, "content_hash"),
    ({"language": "english"}, "language"),
    ({"word_count": -1}, "word_count"),
    ({"extractor": "no version"}, "extractor"),
])
def test_schema_rejects_broken_items(change, where):
    item = {**valid_item(), **change}
    errors = schema_errors(item)
    assert errors and any(e.startswith(where) for e in errors), errors


def test_missing_required_field_is_reported():
    item = valid_item()
    del item["headline"]
    assert any("headline" in e for e in schema_errors(item))


# -- the fast yes/no check agrees with jsonschema -------------------------------------------------
ODD_VALUES = [None, "", "x", "https://x.example/a", "ftp://x", "en", "eng", "2024-05-17",
              "2024-05-17T10:00:00+00:00", "2024-05-17T10:00Z", "17 May 2024", "a" * 64,
              "f" * 64, "generic@1", "<urn:uuid:1>", 0, 1, -1, 2.0, 2.5, True, False, [],
              [""], ["Jane"], [None], {}, {"raw": None, "place": "Paris"}, {"raw": "x"},
              {"raw": None, "place": None, "extra": 1}]
NESTED = {
    "images": [{"url": "https://x.example/i.jpg", "caption": None, "credit": None,
                "alt": None}],
    "related": [{"url": "https://x.example/r", "headline": "R", "section": None}],
    "warc": {"file": "f.warc.gz", "record_id": "<urn:uuid:1>", "offset": 0, "length": 5},
}


def mutations() -> list[dict]:
    base = {**valid_item(), **NESTED}
    found = [base, {**base, "unknown_field": 1}]
    for name in article_schema()["properties"]:
        found += [{**base, name: value} for value in ODD_VALUES]
        found.append({key: value for key, value in base.items() if key != name})
    for name in ("images", "related"):
        for key in NESTED[name][0]:
            found += [{**base, name: [{**NESTED[name][0], key: value}]} for value in ODD_VALUES]
    for key in NESTED["warc"]:
        found += [{**base, "warc": {**NESTED["warc"], key: value}} for value in ODD_VALUES]
    return found


def test_fast_check_agrees_with_jsonschema_on_every_mutation():
    from jsonschema import Draft202012Validator

    from newscrawl.model.schema import is_valid

    validator = Draft202012Validator(article_schema())
    items = mutations()
    verdicts = [(is_valid(item), validator.is_valid(item)) for item in items]
    assert [i for i, (fast, full) in enumerate(verdicts) if fast != full] == []
    assert any(fast for fast, _ in verdicts) and not all(fast for fast, _ in verdicts)
