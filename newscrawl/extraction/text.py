"""Turning markup into clean text: one place for whitespace and invisible-character rules."""

from __future__ import annotations

import html
import re
import unicodedata
from collections.abc import Iterable

from lxml import etree

# A character class, not str.translate: translating through a dict costs a lookup per character.
# The zero-width non-joiner only beside Latin letters, digits or spaces, where it is a stray
# of the CMS: Persian and Indic scripts spell with it (and with the joiner, always kept).
_INVISIBLE = re.compile("[\u200b\u200e\u200f\u2060\ufeff\xad]"
                        "|(?<=[\x00-\u024f])\u200c|\u200c(?=[\x00-\u024f])")
# Any of them, the non-joiner included: one character class scans a text about seven times
# faster than the alternation above, and most texts have none.
_MAYBE_INVISIBLE = re.compile("[\u200b\u200c\u200e\u200f\u2060\ufeff\xad]")
_MANY_NEWLINES = re.compile(r"\n{3,}")
# Elements whose text a reader never sees.
UNSEEN_TAGS = frozenset({"script", "style", "noscript", "template", "svg", "iframe", "head",
                         "button", "select", "option", "textarea", "input", "form"})
LINE_BREAK = "\n"
# What a text walk through lxml's iterwalk is told of: comments' and instructions' tails are text.
TEXT_EVENTS = ("start", "end", "comment", "pi")


def decode_entities(text: str) -> str:
    """HTML entities a CMS left in text (JSON-LD, meta tags), also when it escaped them twice
    (`&amp;amp;`, a template escaping already escaped text)."""
    for _ in range(3):
        if "&" not in text:
            break
        decoded = html.unescape(text)
        if decoded == text:
            break
        text = decoded
    return text


def normalize_space(text: str | None) -> str:
    """Collapse all whitespace (NBSP and ideographic spaces included) to single spaces."""
    if not text:
        return ""
    # str.split() splits at exactly the characters the regular expression \s matches, and
    # costs a third of a substitution.
    return " ".join(strip_invisible(text).split())


def strip_invisible(text: str) -> str:
    """Remove zero-width and soft-hyphen characters a reader never sees, and compose the rest
    (Unicode NFC), so that the same words are the same string whichever way a page encoded
    them (Bengali য় as one code point or two)."""
    # Most texts have none: looking costs less than rebuilding the string.
    if _MAYBE_INVISIBLE.search(text):
        text = _INVISIBLE.sub("", text)
    if text.isascii() or unicodedata.is_normalized("NFC", text):
        return text
    return unicodedata.normalize("NFC", text)


def clean_block_text(text: str) -> str:
    """Normalise a block's text, keeping the line breaks that came from <br>: spaces collapse
    within each line, and at most one empty line separates two lines of text."""
    if "\n" not in text:
        return normalize_space(text)
    joined = "\n".join(" ".join(line.split()) for line in strip_invisible(text).split("\n"))
    if "\n\n\n" in joined:
        joined = _MANY_NEWLINES.sub("\n\n", joined)
    return joined.strip()


def _is_element(node: object) -> bool:
    return isinstance(node, etree._Element) and isinstance(node.tag, str)


def text_pieces(element: etree._Element, skip: frozenset | set = frozenset()) -> list[str]:
    """The texts a reader sees in `element`, in order, `skip`'s subtrees left out: source
    newlines as spaces (only "\n" needs replacing: clean_block_text collapses every other space
    character), each <br> as LINE_BREAK. lxml's iterwalk walks in C, so no depth of nesting
    exhausts Python's stack."""
    pieces: list[str] = []
    if not _is_element(element):
        return pieces
    depth = 0
    walker = etree.iterwalk(element, events=TEXT_EVENTS)
    for event, node in walker:
        if event == "start":
            depth += 1
            tag = node.tag
            if node in skip or tag in UNSEEN_TAGS:
                walker.skip_subtree()
            elif tag == "br":
                pieces.append(LINE_BREAK)
                walker.skip_subtree()
            # lxml makes a new string on every read of .text and .tail: each is read once.
            elif text := node.text:
                pieces.append(text.replace("\n", " "))
            continue
        if event == "end":
            depth -= 1
            if not depth:
                break  # the element's own tail is not its text
        if tail := node.tail:  # of a closed element, a comment or a processing instruction
            pieces.append(tail.replace("\n", " "))
    return pieces


def element_text(element: etree._Element, skip: frozenset | set = frozenset()) -> str:
    """Visible text of one element as a reader sees it, whitespace normalised."""
    return clean_block_text("".join(text_pieces(element, skip)))


def first_nonempty(values: Iterable[str | None]) -> str | None:
    for value in values:
        if value:
            cleaned = normalize_space(value)
            if cleaned:
                return cleaned
    return None


def unique(values: Iterable[str]) -> list[str]:
    """Keep the first occurrence of each value (case-insensitively), in order."""
    seen: set[str] = set()
    kept = []
    for value in values:
        key = value.casefold()
        if value and key not in seen:
            seen.add(key)
            kept.append(value)
    return kept


# Kana, CJK ideographs (with extension A and compatibility forms) and Hangul syllables: the
# inside of a character class, for patterns that treat these characters as words of their own.
CJK_CHARACTERS = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
CJK = re.compile(f"[{CJK_CHARACTERS}]")
_WORD = re.compile(r"\w+")


def count_words(text: str | None) -> int:
    """Words as readers count them: each CJK character is a word, other scripts split on \\w+."""
    if not text:
        return 0
    if not CJK.search(text):
        return len(_WORD.findall(text))
    cjk = len(CJK.findall(text))
    return cjk + len(_WORD.findall(CJK.sub(" ", text)))
