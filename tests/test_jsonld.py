"""JSON-LD read as browsers tolerate it."""

import pytest

from newscrawl.extraction.jsonld import parse_jsonld


@pytest.mark.parametrize("script", [
    '{"headline": "A"}',
    '  <!-- {"headline": "A"} -->  ',
    '<![CDATA[{"headline": "A"}]]>',
    '//<![CDATA[\n{"headline": "A"}\n//]]>',
    '{"headline": "A",}',
    '{"headline":\x01 "A"}',
])
def test_wrappers_trailing_commas_and_control_characters_are_tolerated(script: str) -> None:
    assert parse_jsonld(script) == {"headline": "A"}


def test_a_wrapper_inside_a_value_is_kept() -> None:
    assert parse_jsonld('{"headline": "<!-- A -->"}') == {"headline": "<!-- A -->"}


def test_unreadable_json_gives_none() -> None:
    assert parse_jsonld("{headline: ") is None
