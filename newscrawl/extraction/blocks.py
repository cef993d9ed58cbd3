"""Shared building blocks for extractors: body paragraphs, figures, related-story blocks.

Each helper takes parsel selectors, walks the chosen subtree once, and never re-parses.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from lxml import etree
from parsel import Selector, SelectorList

from newscrawl.extraction.html_body import SourceBlock, source_parts
from newscrawl.extraction.page import Page
from newscrawl.extraction.select import select
from newscrawl.extraction.text import TEXT_EVENTS, UNSEEN_TAGS, element_text, normalize_space

DEFAULT_BLOCKS = "p, h2, h3, h4, h5, h6, blockquote, li, pre"


def elements(selection: Selector | SelectorList | Sequence[Selector]) -> list[etree._Element]:
    return [s.root for s in _selectors(selection)]


def _selectors(selection: Selector | SelectorList | Sequence[Selector]) -> list[Selector]:
    """The selected elements' selectors (text and attribute results left out)."""
    selected = [selection] if isinstance(selection, Selector) else selection
    return [s for s in selected if isinstance(getattr(s.root, "tag", None), str)]


def select_all(scopes: Sequence[Selector], css: str | Sequence[str] | None) -> set:
    """The elements matching `css` inside any of `scopes` (each scope itself included)."""
    if not css:
        return set()
    queries = [css] if isinstance(css, str) else list(css)
    found: set = set()
    for scope in _selectors(scopes):
        for query in queries:
            found.update(select(scope.root, query))
    return found


def collect_blocks(containers: Sequence[Selector], blocks: str = DEFAULT_BLOCKS,
                   exclude: str | Sequence[str] | None = None,
                   sources: list[SourceBlock] | None = None) -> list[str]:
    """The text of each block element inside the containers, in document order.

    Excluded subtrees (captions, related blocks, ads...) are skipped entirely. A block that holds
    other blocks (a quote of several paragraphs) yields those inner blocks instead. Each block
    read is also added to `sources`, when given (for the body's HTML).
    """
    selected = _selectors(containers)
    found = [select(container.root, blocks) for container in selected]
    block_set = {block for matches in found for block in matches}
    skip = select_all(selected, exclude)
    texts: list[str] = []
    nested = _any_nested([container.root for container in selected])
    for container, matches in zip(selected, found, strict=True):
        if nested:
            _visit_blocks(container.root, block_set, skip, texts, sources)
            continue
        # Separate containers: this one's blocks are its own matches, already in document
        # order, so only their ancestors are looked at instead of every element inside.
        for block in matches:
            if _is_read(block, container.root, block_set, skip):
                _add_text(block, skip, texts, sources)
    return texts


def _any_nested(roots: list[etree._Element]) -> bool:
    """Whether one of the elements is inside another (or listed twice)."""
    given = set(roots)
    return len(given) < len(roots) or any(
        ancestor in given for root in roots for ancestor in root.iterancestors())


def _is_read(block: etree._Element, container: etree._Element, block_set: set,
             skip: set) -> bool:
    """What _visit_blocks decides for a block it reaches from the container: read unless it
    holds other blocks, or it or an element around it up to the container is left out."""
    element = block
    while element is not None:
        if element in skip or element.tag in UNSEEN_TAGS:
            return False
        if element is container:
            return not _holds_blocks(block, block_set)
        element = element.getparent()
    return False


def _add_text(block: etree._Element, skip: set, texts: list[str],
              sources: list[SourceBlock] | None = None) -> None:
    text = element_text(block, skip)
    if text:
        parts = source_parts(text)
        texts.extend(parts)
        if sources is not None:
            sources.append(SourceBlock(block, parts, skip))


def _visit_blocks(element: etree._Element, block_set: set, skip: set, texts: list[str],
                  sources: list[SourceBlock] | None = None) -> None:
    # lxml's iterwalk walks in C: no depth of nesting exhausts Python's stack.
    if not isinstance(element.tag, str):
        return
    walker = etree.iterwalk(element, events=("start",))
    for _, node in walker:
        if node in skip or node.tag in UNSEEN_TAGS:
            walker.skip_subtree()
        elif node in block_set and not _holds_blocks(node, block_set):
            _add_text(node, skip, texts, sources)
            walker.skip_subtree()


def _holds_blocks(element: etree._Element, block_set: set) -> bool:
    return any(descendant in block_set for descendant in element.iterdescendants())


def text_of(selection: Selector | SelectorList | None,
            exclude: str | Sequence[str] | None = None) -> str | None:
    """Visible text of the first selected element, excluded parts left out; None if empty."""
    if selection is None:
        return None
    selected = [selection] if isinstance(selection, Selector) else list(selection)
    if not selected:
        return None
    skip = select_all(selected[:1], exclude)
    return normalize_space(element_text(selected[0].root, skip)) or None


def texts_of(selection: SelectorList) -> list[str]:
    return [t for t in (text_of(s) for s in selection) if t]


# Candidates are separated by a comma and a space, or by a comma right after a descriptor:
# a URL may itself hold commas (image CDNs: ".../w_300,h_200/photo.jpg").
_SRCSET_SPLIT = re.compile(r",\s+|(?<=\d[wx]),")
_SRCSET_ENTRY = re.compile(r"^(\S+)(?:\s+(\d+(?:\.\d+)?)([wx]))?$")


def srcset_candidates(srcset: str) -> list[tuple[str, float, str]]:
    """(URL, size, unit) of each candidate of a srcset; a URL without descriptor is 1x."""
    found = []
    for entry in _SRCSET_SPLIT.split(srcset.strip()):
        match = _SRCSET_ENTRY.match(entry.strip())
        if match:
            found.append((match.group(1), float(match.group(2) or 1), match.group(3) or "x"))
    return found


def largest_from_srcset(srcset: str | None) -> str | None:
    """The URL of the widest candidate in a srcset attribute: by width where the candidates
    give widths, else by pixel density (the two do not compare)."""
    candidates = srcset_candidates(srcset) if srcset else []
    widths = [(size, url) for url, size, unit in candidates if unit == "w"]
    densities = [(size, url) for url, size, unit in candidates if unit == "x"]
    best = max(widths or densities, key=lambda pair: pair[0], default=None)
    return best[1] if best else None


IMAGE_SOURCE_ATTRIBUTES = ("src", "data-src", "data-original", "data-lazy-src", "data-url")


def image_url(page: Page, image: Selector, attributes: Iterable[str] = IMAGE_SOURCE_ATTRIBUTES,
              prefer_srcset: bool = False) -> str | None:
    """An image element's URL, skipping inline data: placeholders."""
    candidates = [image.root.get(name) for name in attributes]
    srcset = largest_from_srcset(image.root.get("srcset") or image.root.get("data-srcset"))
    if prefer_srcset:
        candidates.insert(0, srcset)
    else:
        candidates.append(srcset)
    for candidate in candidates:
        if candidate and not candidate.strip().startswith("data:"):
            absolute = page.absolute(candidate)
            if absolute:
                return absolute
    return None


_MIN_WIDTH = re.compile(r"min-width\s*:\s*(\d+)")


def picture_source_url(page: Page, image: Selector,
                       attributes: Iterable[str] = ("srcset", "data-srcset")) -> str | None:
    """The widest candidate of the `<source>` meant for the widest screens in the image's
    `<picture>`: the source whose media query has the largest min-width (the first such
    source on a tie, which sites list at the higher pixel ratio)."""
    picture = image.xpath("ancestor::picture[1]")
    if not picture:
        return None
    best, best_width = None, -1
    for source in picture[0].css("source"):
        srcset = next((source.root.get(a) for a in attributes if source.root.get(a)), None)
        if not srcset:
            continue
        match = _MIN_WIDTH.search(source.root.get("media", ""))
        width = int(match.group(1)) if match else 0
        if width > best_width:
            best, best_width = srcset, width
    candidate = largest_from_srcset(best) if best else None
    if best and not candidate:
        candidate = best.split(",")[0].split()[0]
    return page.absolute(candidate) if candidate else None


def link_of(page: Page, scope: Selector, css: str | None = None) -> str | None:
    anchor = scope.css(css) if css else scope.css("a[href]")
    if not anchor and scope.root.tag == "a":
        anchor = [scope]
    for candidate in anchor:
        href = page.absolute(candidate.root.get("href"))
        if href:
            return href
    return None


_DATELINE_PLACE = re.compile(
    r"^\s*(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ.'’/\- ]{1,50}?)"
    r"(?:,\s*(?P<extra>[^()—–\-\n]{1,30}?))?\s*"
    r"(?:\([^)]{1,40}\)\s*)?[—–-]{1,2}\s"
)
_MONTH_OR_DIGIT = re.compile(
    r"\d|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\b\.?", re.IGNORECASE)


def dateline_place(first_paragraph: str | None) -> str | None:
    """The place a wire-style dateline opens with: "MOSCOW (Sputnik) - ..." gives "MOSCOW",
    "LA CROSSE, Wis. (AP) — ..." gives "LA CROSSE, Wis.", and the date in
    "KATHMANDU, April 25 (Reuters) - ..." is left out."""
    if not first_paragraph:
        return None
    match = _DATELINE_PLACE.match(first_paragraph)
    if not match:
        return None
    place = match.group("place").strip(" ,")
    letters = [c for c in place if c.isalpha()]
    if len(letters) < 2 or not all(c.isupper() for c in letters):
        return None
    extra = (match.group("extra") or "").strip()
    if extra and not _MONTH_OR_DIGIT.search(extra):
        place = f"{place}, {extra}"
    return place


# Elements a browser lays out as blocks: each ends the run of text before it.
LAYOUT_BLOCK_TAGS = frozenset({
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figure", "footer",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "li", "ol", "p", "pre", "section", "table",
    "tr", "ul"})


def collect_text_runs(containers: Sequence[Selector], breaks: str = "br",
                      exclude: str | Sequence[str] | None = None) -> list[str]:
    """The runs of text inside the containers, for text laid out with line breaks instead of
    paragraph elements ("one<br>two<br><div><h2>Head</h2></div>three").

    A run ends at a break (a `<br>` or an element matching `breaks`) and at the start and end
    of every block-level element. Excluded subtrees are skipped, but their tails are kept and
    an excluded block (an ad box between two runs) still ends the run before it.
    """
    runs = _TextRuns(select_all(containers, exclude), select_all(containers, breaks))
    for container in elements(containers):
        runs.visit(container)
        runs.flush()
    return runs.texts


class _TextRuns:
    """The walk of collect_text_runs: the runs found so far and the one being read."""

    def __init__(self, skip: set, break_set: set) -> None:
        self.skip = skip
        self.break_set = break_set
        self.texts: list[str] = []
        self.run: list[str] = []

    def flush(self) -> None:
        text = normalize_space("".join(self.run))
        self.run.clear()
        if text:
            self.texts.append(text)

    def visit(self, element: etree._Element) -> None:
        """Read `element` and what it holds (lxml's iterwalk walks in C, so no depth of
        nesting exhausts Python's stack)."""
        if not isinstance(element.tag, str):
            return
        blocks: list[bool] = []  # for each open element, whether it is laid out as a block
        walker = etree.iterwalk(element, events=TEXT_EVENTS)
        for event, node in walker:
            if event == "start":
                blocks.append(self._open(node, walker))
                continue
            if event == "end":
                if blocks.pop():
                    self.flush()
                if not blocks:
                    break  # the element's own tail is not its text
            if tail := node.tail:  # of a closed element, a comment or a processing instruction
                self.run.append(tail)

    def _open(self, element: etree._Element, walker: etree.iterwalk) -> bool:
        """Read an element's start; whether its end ends a run."""
        tag = element.tag
        if tag in UNSEEN_TAGS:
            walker.skip_subtree()
            return False
        left_out = element in self.skip
        if left_out or tag == "br" or element in self.break_set:
            walker.skip_subtree()
            # A break ends the run, and so does a left-out block (an ad box between two runs).
            if not left_out or tag in LAYOUT_BLOCK_TAGS:
                self.flush()
            return False
        block = tag in LAYOUT_BLOCK_TAGS
        if block:
            self.flush()
        if text := element.text:
            self.run.append(text)
        return block
