"""Pieces of the small pages that tests write for one rule each."""

from __future__ import annotations


def prose(paragraphs: int, words: str = "") -> str:
    """`paragraphs` paragraphs the body finder reads as a story's prose (numbered, so no two
    are the same); `words` lengthens each one."""
    return "".join(
        f"<p>Sentence {n} of a page written for this test, long enough to count as a paragraph "
        f"of prose for the body finder, which looks for text density{words}.</p>"
        for n in range(paragraphs))
