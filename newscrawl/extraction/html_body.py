"""The article body as clean, minimal HTML: the blocks of `body`, in the same order, with their
headings, lists, quotes, emphasis and links, and the article's figures in place.

Each body block is rendered from the element it was read from, with the same parts left out
as in its text (excluded subtrees, hidden or unseen elements), so the text of each rendered
block is the block's text. Where a block has no element behind it (JSON-LD articleBody, runs
of text between line breaks) or the rendered text would differ from the block's text (an
extractor rewrote it), the block is written as plain text in a paragraph instead: `body_html`
never says something `body` does not.

The result is sanitised by nh3 (the ammonia sanitiser) against a short allow-list, so no
script, style, event handler, class or tracking attribute gets through whatever the page held.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import cached_property
from html import escape
from urllib.parse import quote

import nh3
from lxml import etree

from newscrawl.extraction.text import (
    TEXT_EVENTS,
    UNSEEN_TAGS,
    clean_block_text,
    normalize_space,
    strip_invisible,
)
from newscrawl.model.items import Image

ALLOWED_TAGS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "blockquote",
                          "table", "thead", "tbody", "tr", "th", "td", "pre", "code", "em",
                          "strong", "sub", "sup", "br", "a", "figure", "img", "figcaption"})
ALLOWED_ATTRIBUTES = {"a": {"href"}, "img": {"src", "alt"}}
URL_SCHEMES = frozenset({"http", "https", "mailto"})
# Configured once: nh3 turns the allow-lists into its own sets on every `nh3.clean` call.
_SANITISER = nh3.Cleaner(tags=set(ALLOWED_TAGS),
                         attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
                         url_schemes=set(URL_SCHEMES), link_rel=None, strip_comments=True)
# Source tag -> the tag written for it; inline tags not named here keep only their text.
INLINE = {"a": "a", "em": "em", "i": "em", "cite": "em", "dfn": "em", "strong": "strong",
          "b": "strong", "code": "code", "kbd": "code", "samp": "code", "sub": "sub",
          "sup": "sup"}
HEADINGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
_SPACE_RUN = re.compile(r"\s+")
_ADDRESS_ODD = re.compile("[\\s\u200b\u200c\u200e\u200f\u2060\ufeff\xad]")

Absolute = Callable[[str | None], str | None]


@dataclass(frozen=True)
class SourceBlock:
    """A body block's element and what its text leaves out; `parts` are the body blocks it
    gave (a block with an empty line, two `<br>`, gives two)."""

    element: etree._Element
    parts: tuple[str, ...]
    skip: frozenset | set = frozenset()
    skip_hidden: bool = False


def source_parts(text: str) -> tuple[str, ...]:
    if "\n\n" not in text:  # nearly every block: no need to split
        return (text,) if text and not text.isspace() else ()
    return tuple(part for part in text.split("\n\n") if part.strip())


def render_body(blocks: Sequence[str], sources: Sequence[SourceBlock],
                figures: Sequence[tuple[Image, etree._Element]], absolute: Absolute,
                is_hidden: Callable[[etree._Element], bool] | None = None) -> str | None:
    """The body's blocks as sanitised HTML, figures inserted before the first block that
    follows them in the page."""
    parts = [part for block in blocks for part in source_parts(block)]
    if not parts:
        return None
    chunks = _Chunks()
    index, start = 0, 0
    while index < len(parts):
        found = _matching_source(parts, index, sources, start)
        if found is None:
            chunks.add_plain(parts[index])
            index += 1
            continue
        start = found + 1
        source = sources[found]
        chunks.add_source(source, absolute, is_hidden)
        index += len(source.parts)
    chunks.place_figures([(_figure_html(image), element) for image, element in figures])
    return _SANITISER.clean("".join(chunks.html()))


def _matching_source(parts: list[str], index: int, sources: Sequence[SourceBlock],
                     start: int) -> int | None:
    """The first source from `start` on whose parts are the body's next parts."""
    for position in range(start, len(sources)):
        wanted = sources[position].parts
        if wanted and tuple(parts[index:index + len(wanted)]) == wanted:
            return position
    return None


# The elements a block sits in, outermost first, as (tag written, source element): a list
# item's list, a quoted paragraph's quote, a table cell's table and row.
Path = tuple[tuple[str, etree._Element], ...]


class _Chunks:
    """The rendered blocks in order, each with the element it came from (for placing figures)
    and the containers it sits in (consecutive items of one list share one `<ul>`)."""

    def __init__(self) -> None:
        self.items: list[tuple[str, etree._Element | None, Path]] = []
        # Each run of loose text in a container is a block whose element is the container: it
        # is read whole once, not once per run (a page of 25 entries, each a heading over a
        # run, read the container's 300 elements 25 times; on segments.json one element in
        # eight that rendering read was such a repeat).
        self._read: dict[tuple[etree._Element, int, bool], _Inline] = {}

    def add_plain(self, text: str) -> None:
        self.items.append((f"<p>{_plain_lines(text)}</p>", None, ()))

    def add_source(self, source: SourceBlock, absolute: Absolute,
                   is_hidden: Callable[[etree._Element], bool] | None) -> None:
        element = source.element
        text = "\n\n".join(source.parts)
        if not len(element):  # most blocks: text and no markup, so nothing to walk
            shown = normalize_space(element.text)
            inner = escape(shown, quote=False) if shown == text else _plain_lines(text)
        else:
            inline = self._inline(source, absolute, is_hidden)
            if inline.shown != text:
                # The element read whole is not the block (a run of loose text among other
                # elements, entities escaped twice): keep the block's kind, not its markup.
                inner = _plain_lines(text)
            else:
                # Spaces and invisible characters are tidied in the block's markup at once,
                # not in each of its pieces of text: the tags written hold neither (see
                # `_address`).
                inner = _SPACE_RUN.sub(" ", strip_invisible("".join(inline.html))).strip()
        tag = _block_tag(element)
        html = f"<{tag}>{inner}</{tag}>" if tag != "blockquote" else f"<p>{inner}</p>"
        self.items.append((html, element, _containers(element, tag)))

    def _inline(self, source: SourceBlock, absolute: Absolute,
                is_hidden: Callable[[etree._Element], bool] | None) -> _Inline:
        # The skip set by identity: a profile's is a plain set, the same for all its blocks.
        key = (source.element, id(source.skip), source.skip_hidden)
        inline = self._read.get(key)
        if inline is None:
            inline = _Inline(source.skip, is_hidden if source.skip_hidden else None, absolute)
            inline.walk_children(source.element)
            self._read[key] = inline
        return inline

    def place_figures(self, figures: list[tuple[str, etree._Element]]) -> None:
        placed = [i for i, item in enumerate(self.items) if item[1] is not None]
        keys: dict[int, _OrderKey] = {}

        def key(index: int) -> _OrderKey:
            # Only the blocks a binary search looks at get their position worked out.
            if index not in keys:
                keys[index] = _OrderKey.of(self.items[index][1])  # type: ignore[arg-type]
            return keys[index]

        inserts: list[tuple[int, str]] = []
        for html, element in figures:
            if not placed:
                inserts.append((0, html))
                continue
            position = bisect.bisect_right(placed, _OrderKey.of(element), key=key)
            inserts.append((placed[position] if position < len(placed) else len(self.items),
                            html))
        # From the end, so earlier positions stay valid; figures at one place keep their order.
        for _, (at, html) in sorted(enumerate(inserts), key=lambda pair: (pair[1][0], pair[0]),
                                    reverse=True):
            self.items.insert(at, (html, None, ()))

    def html(self) -> list[str]:
        out: list[str] = []
        opened: Path = ()
        for html, _element, path in [*self.items, ("", None, ())]:
            shared = 0
            while (shared < min(len(opened), len(path))
                   and opened[shared][1] is path[shared][1]):
                shared += 1
            out.extend(f"</{tag}>" for tag, _ in reversed(opened[shared:]))
            out.extend(f"<{tag}>" for tag, _ in path[shared:])
            opened = path
            out.append(html)
        return out


class _OrderKey(tuple):
    """An element's position in document order: the child indexes from the root down. A
    block holding a figure comes before it (a prefix sorts first)."""

    @classmethod
    def of(cls, element: etree._Element) -> _OrderKey:
        path = []
        child = element
        parent = child.getparent()
        while parent is not None:
            path.append(parent.index(child))
            child, parent = parent, parent.getparent()
        return cls(reversed(path))


def _plain_lines(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def _block_tag(element: etree._Element) -> str:
    tag = element.tag
    if tag in HEADINGS:
        return tag
    if tag == "h1":
        return "h2"  # the headline is the page's h1; a body has subheadings only
    if tag in ("li", "pre", "blockquote"):
        return tag
    if tag in ("td", "th") and _row_and_table(element) is not None:
        return tag
    return "p"


def _row_and_table(cell: etree._Element) -> tuple[etree._Element, etree._Element] | None:
    row = cell.getparent()
    table = next(cell.iterancestors("table"), None)
    return (row, table) if row is not None and row.tag == "tr" and table is not None else None


def _containers(element: etree._Element, tag: str) -> Path:
    """The list around an item, the quote around a quoted block, the table and row around a
    cell."""
    if tag == "li":
        parent = element.getparent()
        kind = "ol" if parent is not None and parent.tag == "ol" else "ul"
        return ((kind, parent),) if parent is not None else ()
    if tag in ("td", "th"):
        row, table = _row_and_table(element)  # type: ignore[misc]
        return ("table", table), ("tr", row)
    if tag == "blockquote":
        return (("blockquote", element),)
    quote = next(element.iterancestors("blockquote"), None)
    return (("blockquote", quote),) if quote is not None else ()


class _Inline:
    """The inline content of a block as HTML, and its text read as `element_text` reads it
    (source line breaks as spaces, `<br>` as a line break), to check the two agree."""

    def __init__(self, skip: frozenset | set, is_hidden: Callable[[etree._Element], bool] | None,
                 absolute: Absolute) -> None:
        self.skip = skip
        self.is_hidden = is_hidden
        self.absolute = absolute
        self.html: list[str] = []
        self.text: list[str] = []

    @cached_property
    def shown(self) -> str:
        """The text read, tidied as a block's is (asked once the walk is done)."""
        return clean_block_text("".join(self.text))

    def add_text(self, text: str | None) -> None:
        if text:
            self.text.append(text.replace("\n", " "))
            self.html.append(escape(text, quote=False))

    def walk_children(self, element: etree._Element) -> None:
        """Read what `element` holds (lxml's iterwalk walks in C, so no depth of nesting
        exhausts Python's stack)."""
        closing: list[str | None] = []  # the tag to close at each open element's end
        walker = etree.iterwalk(element, events=TEXT_EVENTS)
        for event, node in walker:
            if event == "start":
                if closing:
                    closing.append(self._open(node, walker))
                else:  # the block itself: only what it holds
                    closing.append(None)
                    self.add_text(node.text)
                continue
            if event == "end":
                written = closing.pop()
                if not closing:
                    break
                if written:
                    self.html.append(f"</{written}>")
            self.add_text(node.tail)  # of a closed element, a comment or an instruction

    def _open(self, element: etree._Element, walker: etree.iterwalk) -> str | None:
        """Write an element's start and text; the tag to close at its end, if any."""
        tag = element.tag
        if tag in UNSEEN_TAGS or element in self.skip or (
                self.is_hidden is not None and self.is_hidden(element)):
            walker.skip_subtree()
            return None
        if tag == "br":
            self.text.append("\n")
            self.html.append("<br>")
            walker.skip_subtree()
            return None
        written = INLINE.get(tag)
        if written == "a":
            href = self.absolute(element.get("href"))
            written = "a" if href else None
            if href:
                self.html.append(f'<a href="{escape(_address(href))}">')
        elif written:
            self.html.append(f"<{written}>")
        self.add_text(element.text)
        return written


def _address(href: str) -> str:
    """A link's URL with spaces and invisible characters percent-encoded, as a browser sends
    them: tidying the block's text must not change where the link goes."""
    return _ADDRESS_ODD.sub(lambda match: quote(match[0]), href)


def _figure_html(image: Image) -> str:
    alt = f' alt="{escape(image.alt)}"' if image.alt else ""
    caption = " ".join(text for text in (image.caption, image.credit) if text)
    figcaption = f"<figcaption>{escape(caption)}</figcaption>" if caption else ""
    return f'<figure><img src="{escape(image.url)}"{alt}>{figcaption}</figure>'
