"""The dateline place of wire-style openings."""

from __future__ import annotations

import pytest

from newscrawl.extraction.blocks import dateline_place


@pytest.mark.parametrize(("opening", "place"), [
    ("MOSCOW (Sputnik) - Russian officials said", "MOSCOW"),
    ("KATHMANDU, April 25 (Reuters) - Nepal's civil aviation", "KATHMANDU"),
    ("NEW DELHI, Jan. 5 (Reuters) - India said", "NEW DELHI"),
    ("BEIRUT/THE HAGUE, March 7 (Reuters) - An Israeli tank", "BEIRUT/THE HAGUE"),
    ("LA CROSSE, Wis. (AP) — After a summer", "LA CROSSE, Wis."),
    ("MEXICO CITY (AP) — Mexico’s economy", "MEXICO CITY"),
    ("WASHINGTON — The Senate voted", "WASHINGTON"),
    ("The US is considering - options", None),
    ("A (AP) — b", None),
    ("Police said - on Monday", None),
    ("", None),
])
def test_dateline_place(opening, place):
    assert dateline_place(opening) == place
