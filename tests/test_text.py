"""Whitespace and word rules of newscrawl.extraction.text, against their regular-expression
definitions on random strings full of unusual spaces, line breaks and invisible characters."""

import random
import re
import unicodedata

import pytest

from newscrawl.extraction.text import (
    clean_block_text,
    count_words,
    normalize_space,
    strip_invisible,
)

INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\u2060\ufeff\xad]")
ALPHABET = ["a", "b", "é", "語", " ", " ", "\t", "\n", "\r", "\x0b", "\x0c", "\x1c", "\x85",
            "\xa0", "\u2028", "\u3000", "\u200b", "\xad", "\ufeff", "'", ","]


def reference_normalize(text: str) -> str:
    return re.sub(r"\s+", " ", INVISIBLE.sub("", text)).strip()


def reference_block(text: str) -> str:
    text = re.sub(r"[^\S\n]+", " ", INVISIBLE.sub("", text))
    text = re.sub(r" ?\n ?", "\n", text)
    return re.sub(r"\n{3,}", "\n\n", text).strip()


def random_texts(count: int) -> list[str]:
    generator = random.Random(20261129)
    return ["".join(generator.choices(ALPHABET, k=generator.randint(0, 40))) for _ in range(count)]


def test_normalize_space_collapses_every_unicode_space_and_drops_invisible_characters() -> None:
    assert normalize_space("  Hello\u00a0\u3000world\u200b!\n\t") == "Hello world!"
    assert normalize_space(None) == ""
    for text in random_texts(3000):
        assert normalize_space(text) == reference_normalize(text), repr(text)


def test_block_text_keeps_line_breaks_and_at_most_one_empty_line() -> None:
    text = " First line \n\n\n\n  second\u00a0 line \n"
    assert clean_block_text(text) == "First line\n\nsecond line"
    for text in random_texts(3000):
        assert clean_block_text(text) == reference_block(text), repr(text)


@pytest.mark.parametrize(("text", "words"), [
    ("", 0),
    ("Don't stop, 2 times!", 5),
    ("東京で会議", 5),
    ("Tokyo 東京 summit", 4),
])
def test_count_words_counts_cjk_characters_one_each(text: str, words: int) -> None:
    assert count_words(text) == words


def test_text_is_composed_so_the_same_words_are_the_same_string() -> None:
    decomposed, composed = "\u09af\u09bc", "\u09df"  # Bengali য়, two code points or one
    assert unicodedata.normalize("NFC", composed) == decomposed
    assert normalize_space(f"এক {composed}") == f"এক {decomposed}"
    assert normalize_space(f"এক {decomposed}") == f"এক {decomposed}"
    assert strip_invisible("Cafe\u0301") == "Café"


def test_the_zero_width_non_joiner_stays_where_a_script_spells_with_it() -> None:
    assert strip_invisible("\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645") == (
        "\u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645")  # Persian "I want"
    assert strip_invisible("energy supply \u200cand stability") == "energy supply and stability"
    assert strip_invisible("soft\xadhyphen, zero\u200bwidth") == "softhyphen, zerowidth"
