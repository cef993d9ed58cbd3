"""Finding the article body in the markup of a page nobody wrote a profile for.

One walk over the tree collects the text blocks (paragraphs, subheadings, quotes, list items,
divs that hold only inline text) and marks boilerplate subtrees (see `boilerplate`). Each
block gets a value: its text length when it reads like prose, negative when it is mostly link
text (menus, cards, link lists). The body container is the element whose blocks add up to the
most value, so it grows over the article's paragraphs and stops where link lists start
outweighing them. Its blocks, boilerplate left out, are the body in reading order.
"""

from __future__ import annotations

import html
import itertools
import re
from dataclasses import dataclass, field

from lxml import etree

from newscrawl.extraction.boilerplate import (
    PICTURE_LABELS,
    Kind,
    classify,
    has_own_prose,
    is_firm,
    is_hidden,
    other_content_heading,
)
from newscrawl.extraction.text import (
    CJK,
    CJK_CHARACTERS,
    UNSEEN_TAGS,
    clean_block_text,
    normalize_space,
    strip_invisible,
)

HEADING_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6"})
PROSE_TAGS = frozenset({"p", "blockquote", "pre", "dd"})
BLOCK_TAGS = PROSE_TAGS | HEADING_TAGS | {"li", "h1", "dt"}
# Tags that may sit inside a run of text; a div whose children are all of these is a paragraph.
INLINE_TAGS = frozenset({"a", "abbr", "b", "bdi", "bdo", "br", "cite", "code", "data", "dfn",
                         "em", "font", "i", "kbd", "mark", "q", "s", "samp", "small", "span",
                         "strong", "sub", "sup", "time", "u", "var", "wbr", "img", "ruby",
                         "rb", "rt", "rp"})
# Ruby annotations: the reading printed above the characters (Japanese furigana), and the
# brackets shown where ruby is not supported. Not part of the sentence.
ANNOTATION_TAGS = frozenset({"rt", "rp"})
_NOT_READ = UNSEEN_TAGS | ANNOTATION_TAGS
# Boxes that HTML never allows inside a paragraph. A parser that does not close the paragraph
# before them (libxml2 knows no `aside`) nests a "read more" box in the paragraph's text.
NESTED_FURNITURE = frozenset({"aside", "nav", "footer", "header", "menu", "dialog", "figure"})
_NOT_READ_IN_PARAGRAPH = _NOT_READ | NESTED_FURNITURE
LINK_DENSE = 0.5
# Shorter blocks carry no evidence either way (labels, bylines, "Advertisement").
MIN_PROSE = 40
# Short paragraphs written as sentences count at this weight (poems, dialogue, short posts).
SHORT_LINE_WEIGHT = 0.5
# A block named as boilerplate is still kept when it holds this share of the page's prose:
# then the name was a styling hook on the article itself.
KEEP_NAMED_SHARE = 0.5
# The headline: a heading of at least MIN_TITLE characters that the page's title contains.
TITLE_TAGS = frozenset({"h1", "h2", "h3"})
# h1s other than the headline head sections of the body where it has at least this many.
MIN_SECTION_H1S = 2
MIN_TITLE = 8
# A container whose ancestors up to this many levels hold the headline is "near" it.
NEAR_HEADLINE_LEVELS = 1
NEAR_HEADLINE_SHARE = 0.25
# A name repeated on elements that together hold most of the prose, in this many prose
# blocks at least, wraps the article's paragraphs; two text widgets of a sidebar hold fewer.
MIN_WRAPPED_BLOCKS = 4
# At most this many blocks under a heading of other content ("Read more:", "About the author")
# go with it.
MAX_HEADED_BLOCKS = 8
# A run of short blocks opening or closing the body longer than this is content (a list).
MAX_EDGE_LABELS = 3
CARD_MAX_BLOCKS = 4
CARD_HEADLINE_WORDS = 3
# A teaser's excerpt is a few sentences; a linked title over more text than this heads the
# story itself (blogs link each post's title to its own page).
CARD_MAX_LENGTH = 1000
CARD_LINKED = 0.95  # link share of a card's headline that is no heading
_FIRST_CJK = CJK_CHARACTERS[0]  # the lowest code point of the CJK ranges
_BR = "\x00"  # stands for <br> while whitespace is collapsed; never in parsed text
_ENTITY = re.compile(r"&(?:#\d{2,6}|#x[0-9a-fA-F]{2,5}|[a-zA-Z]{2,8});")
_SIGNED = re.compile(r"[,\d]")
# closing quotes may follow; French sets a (thin) space before "!" and "?"
_CLOSING = re.compile(r"\w[ \u00a0\u202f]?[.!?…。！？][\"'”“»«’」』)]*\s*$")
_SENTENCE_END = re.compile(r"[.!?…。！？:;»”\"')]\s*$")
_TWO_LETTERS = re.compile(r"[^\W\d_]{2}")  # in a row, in any script: a word
# A picture's caption or credit set as a paragraph of its own ("Abbildung 4: ...", "Titelbild:
# ...", "Photo: ..."): it belongs to the picture, not to the text.
_PICTURE_NOTE = re.compile(
    rf"^(?:{PICTURE_LABELS}|abbildung|abb\.|figure|fig\.|titelbild|beitragsbild|titelfoto|"
    r"headerbild|aufmacherbild|illustration|grafik|imagen|imagem|immagine|afbeelding|"
    r"zdjęcie|fot\.)(?:\s+\d+[a-z]?)?\s*[:：]", re.IGNORECASE)


@dataclass(slots=True)  # a page has hundreds: built and read faster without a dict
class Block:
    element: etree._Element
    text: str
    length: float  # CJK characters count triple: one carries about a word
    link_length: float
    links: int  # number of anchors
    flagged: etree._Element | None = None  # nearest ancestor-or-self named as boilerplate
    chain: tuple[etree._Element, ...] = ()  # the element, then its ancestors up to the root
    teaser: bool = False  # part of a card presenting another story
    tag: str = ""  # the element's, read once: lxml makes a new string on every read
    # Set once by `_assemble` (the finder asks them several hundred times a page).
    link_density: float = 1.0
    # Mostly link text: a menu entry, a teaser, a "read more". A paragraph of many short
    # links in running text (place names, sources) still reads as text.
    is_link_list: bool = False

    @property
    def is_heading(self) -> bool:
        return self.tag in HEADING_TAGS or self.tag == "h1"

    def value(self) -> float:
        """How much this block speaks for its ancestors being the article."""
        if self.is_link_list or self.teaser:
            return -self.length
        if self.link_density > LINK_DENSE:
            return 0.0
        if self.is_heading or not _TWO_LETTERS.search(self.text):
            return 0.0  # a heading, or figures and marks with no word ("95' 88' 81'")
        if self.length < MIN_PROSE:
            # A line of verse or dialogue: evidence only as a sentence of a paragraph tag.
            if self.tag in PROSE_TAGS and _is_sentence(self):
                return SHORT_LINE_WEIGHT * self.length
            return 0.0
        weight = 0.5 if self.tag == "li" else 1.0
        if not _SENTENCE_END.search(self.text):
            weight *= 0.5
        return weight * self.length * (1 - self.link_density)


@dataclass
class BodyFinding:
    """What the body finder saw: the container, its blocks and the boilerplate around them."""

    container: etree._Element | None = None
    blocks: list[Block] = field(default_factory=list)  # body blocks, reading order
    link_blocks: list[Block] = field(default_factory=list)  # link-dense blocks in the container
    flagged: dict[etree._Element, Kind] = field(default_factory=dict)  # boilerplate kept out
    all_blocks: list[Block] = field(default_factory=list)  # every block of the page, in order
    cards: set[etree._Element] = field(default_factory=set)  # teaser cards of other stories
    # paragraphs with boxes nested in them (NESTED_FURNITURE), left out of their text
    nested: dict[etree._Element, list[etree._Element]] = field(default_factory=dict)

    def in_other_story(self, element: etree._Element, scope: etree._Element) -> bool:
        """Whether `element` sits, below `scope`, in a related-story block, hidden markup or a
        teaser card: then it belongs to another story (its date, author or picture)."""
        for ancestor in element.iterancestors():
            if ancestor is scope:
                return False
            if self.flagged.get(ancestor) in ("related", "unseen") or ancestor in self.cards:
                return True
        return False


def weighted_length(text: str) -> float:
    # No CJK character, the common case: known without a scan for ASCII text, in C otherwise.
    if text.isascii() or max(text) < _FIRST_CJK:
        return len(text)
    return len(text) + 2 * len(CJK.findall(text))


def _is_inline_run(element: etree._Element, children: list[etree._Element]) -> bool:
    """A div holding only inline content is a paragraph, whatever its tag says."""
    for child in children:
        tag = child.tag
        if tag not in INLINE_TAGS and isinstance(tag, str):
            return False
    if not children:  # a div of text alone, or an empty one (a spacer, an icon's box)
        text = element.text
        return bool(text and text.strip())
    return any(t.strip() for t in element.itertext())


def _holds_blocks(element: etree._Element) -> bool:
    # A plain loop, not lxml's tag filter: the filter's set-up for a dozen tags costs more than
    # the few descendants of a list item (0.10 against 0.28 ms a page, segments.json).
    return any(descendant.tag in BLOCK_TAGS for descendant in element.iterdescendants())


Nested = dict[etree._Element, list[etree._Element]]


def walk(root: etree._Element
         ) -> tuple[list[Block], dict[etree._Element, Kind], dict[etree._Element, str], Nested]:
    """Text blocks in document order, the elements classified as boilerplate, the parents of
    empty links that carry a title (see `_note_overlay_link`), and the paragraphs holding
    nested boxes, with the boxes (see `_paragraph`)."""
    blocks: list[Block] = []
    flagged: dict[etree._Element, Kind] = {}
    overlays: dict[etree._Element, str] = {}
    nested: Nested = {}
    # (element, nearest flagged ancestor-or-self, inside a link, ancestors nearest first);
    # reversed children keep document order. Carrying the ancestors keeps them alive, so lxml
    # does not build their Python proxies again for every block.
    # A Block on the stack is a run of loose text already read (see `_loose_runs`).
    Entry = tuple[etree._Element, etree._Element | None, bool, tuple[etree._Element, ...]]
    stack: list[Entry | Block] = [(root, None, False, ())]
    while stack:
        entry = stack.pop()
        if isinstance(entry, Block):
            blocks.append(entry)
            continue
        element, named, linked, ancestors = entry
        tag = element.tag
        if not isinstance(tag, str):
            continue
        kind = classify(element, tag)
        if kind == "unseen":
            flagged[element] = kind
            continue
        if kind is not None:
            flagged[element] = kind
            named = element
        if tag == "p":
            blocks.append(_paragraph(element, named, linked, (element, *ancestors), flagged,
                                     nested))
            continue
        if tag in BLOCK_TAGS and not (tag in ("li", "blockquote") and _holds_blocks(element)):
            blocks.append(_block(element, named, linked, (element, *ancestors)))
            continue
        # Read once: each pass over an element's children builds their Python proxies anew.
        children = list(element)
        if tag in ("div", "section", "font", "center", "td", "th") and _is_inline_run(
                element, children):
            blocks.append(_block(element, named, linked, (element, *ancestors)))
            continue
        linked = linked or (tag == "a" and element.get("href") is not None)
        if linked and tag == "a" and not children and not (element.text or "").strip():
            _note_overlay_link(element, overlays)
        chain = (element, *ancestors)
        if tag not in INLINE_TAGS and _has_loose_text(element, children):
            stack.extend(item if isinstance(item, Block) else (item, named, linked, chain)
                         for item in reversed(_loose_runs(element, named, linked, chain)))
        else:
            stack.extend([(child, named, linked, chain) for child in reversed(children)])
    return blocks, flagged, overlays, nested


def _paragraph(element: etree._Element, named: etree._Element | None, linked: bool,
               chain: tuple[etree._Element, ...], flagged: dict[etree._Element, Kind],
               nested: Nested) -> Block:
    """A paragraph's block, boxes nested in it left out (see NESTED_FURNITURE). A box that
    holds a linked headline presents other stories: it is flagged as related, so that its
    links are the article's related links and its dates and pictures are not the article's."""
    boxes: list[etree._Element] = []
    block = _block(element, named, linked, chain, boxes)
    if boxes:
        nested[element] = boxes
        for box in boxes:
            if any(len(visible_text(a).split()) >= 3 for a in box.iter("a")
                   if a.get("href") is not None):
                flagged[box] = "related"
    return block


def _note_overlay_link(link: etree._Element, overlays: dict[etree._Element, str]) -> None:
    """A card often links through an empty anchor laid over it, its title in the anchor's
    `title` and shown, unlinked, in a sibling: that sibling is the card's linked headline."""
    title = normalize_space(link.get("title"))
    parent = link.getparent()
    if title and parent is not None:
        overlays[parent] = title


def _has_loose_text(element: etree._Element, children: list[etree._Element]) -> bool:
    text = element.text
    if text and not text.isspace():
        return True
    for child in children:
        tail = child.tail
        if tail and not tail.isspace():
            return True
    return False


def _loose_runs(element: etree._Element, named: etree._Element | None, linked: bool,
                chain: tuple[etree._Element, ...]) -> list[etree._Element | Block]:
    """The children of an element mixing loose text with block children (older CMSs write
    "text<br><br>text<div class=ad>..</div>text"), with each run of inline content between
    block children read as a block of its own, in order. Runs too short to be prose (labels,
    separators) are dropped."""
    items: list[etree._Element | Block] = []
    pieces: list[str] = []
    link_pieces: list[str] = []
    anchors = 0

    def flush() -> None:
        nonlocal anchors
        if pieces:
            block = _assemble(element, pieces, link_pieces, anchors, linked, named, chain)
            if block.length >= MIN_PROSE:
                items.append(block)
        pieces.clear()
        link_pieces.clear()
        anchors = 0

    if element.text:
        pieces.append(element.text)
    for child in element:
        # A comment or processing instruction (its tag is no string) adds only its tail.
        tag = child.tag
        if tag == "br":
            pieces.append(_BR)
        elif tag in INLINE_TAGS:
            if tag not in _NOT_READ and not is_hidden(child):
                anchors += _read_text(child, pieces, link_pieces, linked)
        elif isinstance(tag, str):
            flush()
            items.append(child)
        if child.tail:
            pieces.append(child.tail)
    flush()
    return items


def _block(element: etree._Element, named: etree._Element | None, linked: bool,
           chain: tuple[etree._Element, ...], boxes: list[etree._Element] | None = None
           ) -> Block:
    """`boxes`, for a paragraph: where to put the nested boxes left out of its text."""
    pieces: list[str] = []
    link_pieces: list[str] = []
    anchors = _read_text(element, pieces, link_pieces, linked, boxes)
    return _assemble(element, pieces, link_pieces, anchors, linked, named, chain)


def _assemble(element: etree._Element, pieces: list[str], link_pieces: list[str], anchors: int,
              linked: bool, named: etree._Element | None,
              chain: tuple[etree._Element, ...]) -> Block:
    # Source whitespace becomes one space, <br> (a sentinel until then) a line break.
    # str.split() splits at exactly the characters the regular expression \s matches, and
    # costs a quarter of a substitution.
    text = " ".join("".join(pieces).split())
    if _BR in text:
        text = clean_block_text(text.replace(_BR, "\n"))
    else:
        text = strip_invisible(text).strip()
    if "&" in text and _ENTITY.search(text):
        text = html.unescape(text)  # entities escaped twice by the CMS
    length = weighted_length(text)
    link_length = weighted_length(normalize_space("".join(link_pieces))) if link_pieces else 0.0
    links = max(anchors, int(linked))
    tag = element.tag
    density = link_length / length if length else 1.0
    return Block(element, text, length, link_length, links, named, chain, tag=tag,
                 link_density=density,
                 is_link_list=density > LINK_DENSE and not (tag in PROSE_TAGS and links >= 3))


def visible_text(element: etree._Element) -> str:
    """An element's text as a reader sees it on one line: hidden parts left out."""
    pieces: list[str] = []
    _read_text(element, pieces, [], False)
    return normalize_space("".join(pieces).replace(_BR, " "))


def _read_text(element: etree._Element, pieces: list[str], link_pieces: list[str],
               linked: bool, boxes: list[etree._Element] | None = None) -> int:
    """Visible text of a block into `pieces` (link text also into `link_pieces`), in one pass.
    Inside a paragraph only hidden parts are left out (screen-reader hints, scripts), and,
    where `boxes` is given, boxes nested in it (put into `boxes`).
    Returns the number of links met.
    A stack of its own, not recursion, so that no depth of nesting exhausts Python's; not
    lxml's iterwalk, which costs 0.7 ms more a page (segments.json and dates.json)."""
    skip = _NOT_READ if boxes is None else _NOT_READ_IN_PARAGRAPH
    anchors = 0
    if element.tag == "a" and element.get("href") is not None:
        linked, anchors = True, 1
    text = element.text
    if text:
        pieces.append(text)
        if linked:
            link_pieces.append(text)
    if not len(element):
        return anchors
    # The children still to read of each open element, whether its text is link text, and
    # its tail, read once it is closed. Childless children are read in place: most are.
    stack = [(iter(element), linked, None)]
    while stack:
        children, linked, _ = stack[-1]
        for child in children:
            tag = child.tag
            if isinstance(tag, str) and tag not in skip and not is_hidden(child):
                if tag == "br":
                    pieces.append(_BR)
                else:
                    inner = linked
                    if tag == "a" and child.get("href") is not None:
                        anchors += 1
                        inner = True
                    text = child.text
                    if text:
                        pieces.append(text)
                        if inner:
                            link_pieces.append(text)
                    if len(child):
                        stack.append((iter(child), inner, child.tail))
                        break
            elif boxes is not None and tag in NESTED_FURNITURE:
                boxes.append(child)
            # lxml builds a new string on every read of .tag, .text and .tail: each is read once.
            tail = child.tail
            if tail:
                pieces.append(tail)
                if linked:
                    link_pieces.append(tail)
        else:
            tail = stack.pop()[2]
            if tail:
                pieces.append(tail)
                if stack[-1][1]:
                    link_pieces.append(tail)
    return anchors


def within(element: etree._Element, ancestor: etree._Element) -> bool:
    """Whether `element` is `ancestor` or lies inside it."""
    return element is ancestor or any(a is ancestor for a in element.iterancestors())


def find_body(root: etree._Element) -> BodyFinding:
    blocks, flagged, overlays, nested = walk(root)
    blocks = [b for b in blocks if b.text]
    if not blocks:
        return BodyFinding(flagged=flagged)
    title = _page_title(root)
    heading = _title_heading(title, blocks)
    cards = _mark_teaser_cards(blocks, heading, overlays)
    values = [b.value() for b in blocks]  # final once the teasers are marked
    _unflag_article_hooks(blocks, values, flagged)
    container, score = _best_container(blocks, values, flagged, heading)
    if container is None:
        _unflag_article_hooks(blocks, values, flagged, wrappers=True)
        container, score = _best_container(blocks, values, flagged, heading)
    if container is None:
        return _the_one_article(root, blocks, flagged, cards, heading, title)
    container = _under_the_headline(heading, container, score)
    parts = set(_content_siblings(container, score, flagged))
    inside = [b for b in blocks if not parts.isdisjoint(b.chain)]
    kept = [b for b in inside if not _is_flagged(b, flagged)]
    heads = _heads_of_links(kept)
    body, headed = _without_headed_content(_text_blocks(
        [b for b in kept if not (b.is_link_list or b.teaser) and id(b) not in heads],
        heading, title))
    links = [b for b in kept if b.is_link_list or b.teaser or id(b) in headed]
    return BodyFinding(container, _tidy(body), links, flagged, blocks, cards, nested)


def _without_headed_content(body: list[Block]) -> tuple[list[Block], set[int]]:
    """`body` without what a short line heads as other content (`other_content_heading`), in
    the element that holds the line: under "Mehr zum Thema" or "Read more:", the blocks that
    link elsewhere, up to the first that does not (those links are related stories); under
    "About the author", the author's biography, up to the next heading. Returns the body, and
    the ids of the related blocks."""
    kept: list[Block] = []
    related: set[int] = set()
    index = 0
    while index < len(body):
        block = body[index]
        kind = other_content_heading(block.text) if block.length < MIN_PROSE else None
        index += 1
        if kind is None:
            kept.append(block)
            continue
        box = block.element.getparent()
        for _ in range(MAX_HEADED_BLOCKS):
            headed = body[index] if index < len(body) else None
            if (headed is None or headed.is_heading or box is None
                    or not within(headed.element, box)
                    or (kind == "related" and not headed.links)):
                break
            if kind == "related":
                related.add(id(headed))
            index += 1
    return kept, related


def _heads_of_links(blocks: list[Block]) -> set[int]:
    """Labels right before links left out of the body ("More on this topic:", "Read more:"):
    they head those links, and go with them. A heading before links may head a section of
    the article (a product's name over its shop links), so only a label ending in a colon."""
    return {id(block) for block, following in itertools.pairwise(blocks)
            if (following.is_link_list or following.teaser)
            and not (block.is_link_list or block.teaser)
            and block.length < MIN_PROSE and block.text.endswith(":")}


def _the_one_article(root: etree._Element, blocks: list[Block],
                     flagged: dict[etree._Element, Kind], cards: set[etree._Element],
                     heading: etree._Element | None, title: str) -> BodyFinding:
    """For a page whose text is all links (a post that is a link roll, a list of sources), no
    element gathers prose: the page's one `article` element, or its one marked article body,
    is the body then, its link lists included. A page with several (a list of teasers) has
    no such element, and keeps no body."""
    nothing = BodyFinding(flagged=flagged, all_blocks=blocks, cards=cards)
    for candidates in (root.iter("article"), root.iterfind(".//*[@itemprop='articleBody']")):
        found = list(itertools.islice(candidates, 2))
        if len(found) != 1 or _is_flagged_element(found[0], flagged):
            continue
        article = found[0]
        body = _text_blocks([b for b in blocks if article in b.chain
                             and not _is_flagged(b, flagged)], heading, title)
        if sum(b.length for b in body) >= MIN_PROSE:
            links = [b for b in body if b.is_link_list or b.teaser]
            return BodyFinding(article, _tidy(body), links, flagged, blocks, cards)
    return nothing


def _is_flagged_element(element: etree._Element, flagged: dict[etree._Element, Kind]) -> bool:
    return element in flagged or not flagged.keys().isdisjoint(element.iterancestors())


def _mark_teaser_cards(blocks: list[Block], heading: etree._Element | None = None,
                       overlays: dict[etree._Element, str] | None = None
                       ) -> set[etree._Element]:
    """A linked headline with a few blocks around it (kicker, excerpt, time, author) is a card
    presenting another story. The card is the largest element around the link that holds at
    most CARD_MAX_BLOCKS blocks, of which at most one is prose (the excerpt): an article, even
    a short one, has more prose than that, or at least more than CARD_MAX_LENGTH of text.
    The page's own headline heads no card: it presents this story. A block that shows the
    title of an empty link laid over its card (`overlays`) is a linked headline too."""
    overlays = overlays or {}
    counts, prose, lengths = _ancestor_totals(blocks)
    cards: set[etree._Element] = set()
    for block in blocks:
        overlaid = overlays.get(block.element.getparent()) == block.text
        if block.element is heading or not (overlaid or _is_card_headline(block)):
            continue
        card = None
        # an overlaid headline is no link text, so it was counted as prose
        most_prose = 1 + (overlaid and not block.is_link_list and block.length >= MIN_PROSE)
        for element in block.chain[1:]:
            if (counts[element] > CARD_MAX_BLOCKS or prose[element] > most_prose
                    or lengths[element] > CARD_MAX_LENGTH):
                break
            card = element
        if card is not None and counts[card] > 1:
            cards.add(card)
    if cards:
        for block in blocks:
            if not cards.isdisjoint(block.chain[1:]):  # its ancestors hold a card
                block.teaser = True
    return cards


def _ancestor_totals(blocks: list[Block]) -> tuple[dict[etree._Element, int],
                                                    dict[etree._Element, int],
                                                    dict[etree._Element, float]]:
    """For every ancestor of a block: how many blocks it holds, how many of them are prose, and
    their length. Each block is added to its parent only, and the sums are passed up once per
    element, deepest first: on the 505 pages of the dates set that is 130,000 steps along the
    blocks' ancestors and 58,000 sums passed up, against 757,000 updates of three counters when
    each block was added to every ancestor."""
    counts: dict[etree._Element, int] = {}
    prose: dict[etree._Element, int] = {}
    lengths: dict[etree._Element, float] = {}
    parent: dict[etree._Element, etree._Element | None] = {}
    depth: dict[etree._Element, int] = {}
    for block in blocks:
        chain = block.chain
        if len(chain) < 2:
            continue
        for index in range(1, len(chain)):
            element = chain[index]
            if element in depth:
                break
            depth[element] = len(chain) - index
            parent[element] = chain[index + 1] if index + 1 < len(chain) else None
            counts[element], prose[element], lengths[element] = 0, 0, 0.0
        holder = chain[1]
        counts[holder] += 1
        prose[holder] += not block.is_link_list and block.length >= MIN_PROSE
        lengths[holder] += block.length
    for element in sorted(depth, key=depth.__getitem__, reverse=True):
        up = parent[element]
        if up is not None:
            counts[up] += counts[element]
            prose[up] += prose[element]
            lengths[up] += lengths[element]
    return counts, prose, lengths


def _is_card_headline(block: Block) -> bool:
    """A linked headline: a heading that is a link, or a block that is all link text. A
    paragraph ending in a link ("Link: the orchestra's page") is none."""
    if not block.is_link_list or len(block.text.split()) < CARD_HEADLINE_WORDS:
        return False
    return block.is_heading or block.link_density >= CARD_LINKED


def _unflag_article_hooks(blocks: list[Block], values: list[float],
                          flagged: dict[etree._Element, Kind], wrappers: bool = False) -> None:
    """A boilerplate-looking name on an element holding most of the prose was a styling hook
    of the article itself ("paywall", "story-meta"...): unflag it. The same holds for a name
    repeated on many elements that together hold most of the prose (every paragraph wrapped
    in its own "article-widget").

    With `wrappers`, for a page where all prose ended up inside boilerplate, a furniture tag
    (`nav`, `aside`, `header`...) holding most of it is unflagged too: an element left unclosed
    in the source swallowed the article when the parser nested it. Names of boilerplate that
    has prose of its own (cookie notices, comments, related stories) still hold."""
    total = sum(max(value, 0.0) for value in values)
    if not total:
        return
    held: dict[etree._Element, float] = {}
    held_by_name: dict[tuple[str, str], float] = {}
    blocks_by_name: dict[tuple[str, str], int] = {}
    for block, value in zip(blocks, values, strict=True):
        if value <= 0:
            continue
        for element in block.chain:
            if flagged.get(element) not in (None, "unseen"):
                held[element] = held.get(element, 0.0) + value
                name = _signature(element)
                held_by_name[name] = held_by_name.get(name, 0.0) + value
                blocks_by_name[name] = blocks_by_name.get(name, 0) + 1
    for element, amount in held.items():
        if has_own_prose(element) if wrappers else is_firm(element):
            continue
        name = _signature(element)
        by_name = held_by_name[name] if blocks_by_name[name] >= MIN_WRAPPED_BLOCKS else 0.0
        if max(amount, by_name) >= KEEP_NAMED_SHARE * total:
            del flagged[element]


def _signature(element: etree._Element) -> tuple[str, str]:
    return element.tag, element.get("class") or ""


def _is_flagged(block: Block, flagged: dict[etree._Element, Kind]) -> bool:
    return not flagged.keys().isdisjoint(block.chain)  # one C loop over the chain


def _best_container(blocks: list[Block], values: list[float],
                    flagged: dict[etree._Element, Kind], heading: etree._Element | None = None
                    ) -> tuple[etree._Element | None, dict[etree._Element, float]]:
    """The element whose blocks add up to the most value (`values`: each block's value()),
    and every element's score.

    Link lists, teasers and boilerplate closing an element in parts of it that hold no body
    text (sources, show notes, related stories after the article's paragraphs) are left out
    of the body anyway, so they do not count against the element: its score stops at its
    last body block. Those closing a part that has text (a side column's links under its
    "about me") still count, so the element holding both columns does not win.

    The page's own headline counts for nothing, also when it is a link (blogs link each
    post's title to the post): it is not a link list."""
    score: dict[etree._Element, float] = {}
    settled: dict[etree._Element, float] = {}
    depth: dict[etree._Element, int] = {}
    holding: set[etree._Element] = set()  # elements with a body block inside
    for block, own_value in zip(blocks, values, strict=True):
        chain = block.chain
        flagged_block = _is_flagged(block, flagged)
        # Boilerplate counts against a container, never for it.
        if flagged_block:
            value = -abs(block.length) * 0.5
        else:
            value = 0.0 if block.element is heading else own_value
        kept = not (flagged_block or block.is_link_list or block.teaser)
        last = 1 if block.tag in BLOCK_TAGS else 0  # a paragraph is not a container
        for index in range(len(chain) - 1, last - 1, -1):
            element = chain[index]
            total = score.get(element)
            if total is None:  # first seen: the element's score starts settled
                depth[element] = len(chain) - 1 - index
                score[element] = settled[element] = 0.0 + value
                continue
            score[element] = total = total + value
            if kept or (index and chain[index - 1] in holding):
                settled[element] = total
        if kept:
            holding.update(chain)
    if not score:
        return None, score
    best = max(settled, key=lambda e: (settled[e], depth[e]))
    return (best if settled[best] > 0 else None), settled


def _page_title(root: etree._Element) -> str:
    """The page's <title> and og:title, casefolded, spaces collapsed."""
    head = root.find("head")
    if head is None:
        return ""
    titles = [head.findtext("title") or ""] + [
        m.get("content") or "" for m in head.iter("meta") if m.get("property") == "og:title"]
    return " ".join(" ".join(titles).split()).casefold()


def _in_title(block: Block, title: str) -> bool:
    return " ".join(block.text.split()).casefold() in title


def _title_heading(title: str, blocks: list[Block]) -> etree._Element | None:
    """The heading that shows the page's own title (`title`: see `_page_title`), the first
    one in reading order."""
    if not title:
        return None
    for block in blocks:
        if block.tag in TITLE_TAGS and len(block.text) >= MIN_TITLE and _in_title(block, title):
            return block.element
    return None


def _is_headline(block: Block, heading: etree._Element | None, title: str) -> bool:
    """An h1 that shows the page's headline, which is no part of the body."""
    return block.tag == "h1" and (
        heading is None or block.element is heading or _in_title(block, title))


def _text_blocks(blocks: list[Block], heading: etree._Element | None,
                 title: str) -> list[Block]:
    """Of a body's candidate blocks, those that are its text: not the headline's h1 nor a
    picture's note (`_PICTURE_NOTE`), and other h1s only where they head sections."""
    return _section_h1s([b for b in blocks if not (
        _is_headline(b, heading, title) or _PICTURE_NOTE.match(b.text))])


def _section_h1s(body: list[Block]) -> list[Block]:
    """`body` with its h1s that are not the headline kept only where they head sections:
    some pages set every heading of their text (or every line they stress) as an h1, and
    there are several of them, each over text of its own. A lone one heads a box (a
    newsletter's, a donation call's); h1s in a row are the headline set in parts."""
    heads = sum(1 for block, following in itertools.pairwise([*body, None])
                if block.tag == "h1" and (following is None or following.tag != "h1"))
    if heads >= MIN_SECTION_H1S:
        return body
    return [b for b in body if b.tag != "h1"]


def _under_the_headline(heading: etree._Element | None, container: etree._Element,
                        score: dict[etree._Element, float]) -> etree._Element:
    """The body sits under the page's headline. When the best container lies away from it (a
    sidebar's text widget or a cookie notice outweighing a short post), the best container
    near the headline, and not around the far one, takes its place if it weighs at least
    NEAR_HEADLINE_SHARE as much."""
    if heading is None:
        return container
    around = {a for a in heading.iterancestors() if a.tag not in ("body", "html")}
    if not around:
        return container

    def near(element: etree._Element) -> bool:
        for level, candidate in enumerate([element, *element.iterancestors()]):
            if level > NEAR_HEADLINE_LEVELS:
                return False
            if candidate in around:
                return True
        return False

    if near(container):
        return container
    holding = set(container.iterancestors())  # those would bring the far container back
    depth = {e: sum(1 for _ in e.iterancestors()) for e in score
             if score[e] > 0 and e not in holding and near(e)}
    if not depth:
        return container
    best = max(depth, key=lambda e: (score[e], depth[e]))
    return best if score[best] >= NEAR_HEADLINE_SHARE * score[container] else container


def _content_siblings(container: etree._Element, score: dict[etree._Element, float],
                      flagged: dict[etree._Element, Kind]) -> list[etree._Element]:
    """The container and those of its siblings styled as it is (a class in common) that hold
    prose of their own and outweigh their link text: the article's text cut into several
    components ("paragraph", "paragraph paragraph--small") beside a link list that weighs
    down their common parent. A sibling styled otherwise is a promotion or a teaser box."""
    parent = container.getparent()
    classes = set((container.get("class") or "").split())
    if parent is None or not classes:
        return [container]
    return [child for child in parent if child is container or (
        child.tag == container.tag and score.get(child, 0.0) >= MIN_PROSE
        and child not in flagged and classes & set((child.get("class") or "").split()))]


def _is_sentence(block: Block) -> bool:
    """A short block written as a sentence ("See you tomorrow.", "Be there!")."""
    return not block.links and _CLOSING.search(block.text) is not None


def _is_label(block: Block) -> bool:
    """A short block that closes no text: a link, the announcement of a list that is not
    there ("Read more:"), a label in capitals ("PUBLISHED IN") or a phrase with no closing
    punctuation ("End of article", "Share this story"). A last short sentence ("See you
    tomorrow."), a signature or an address line ("Yours, Anna", "+81 158-23-2012") and the
    item of a list are text."""
    text = block.text.rstrip()
    if block.links or text.endswith(":") or (text.isupper() and not CJK.search(text)):
        return True
    return not (_is_sentence(block) or block.tag == "li" or _SIGNED.search(text))


def _tidy(blocks: list[Block]) -> list[Block]:
    """Drop what opens or closes a body without being part of it: headings that head nothing,
    a run of at most MAX_EDGE_LABELS short labels (see `_is_label`) after the last paragraph
    ("Share this", "Read more:") and of short blocks before the first ("By Jane Doe",
    "5 min read", a topic tag).
    A longer run of short blocks is content, a list. Repeated paragraphs stay: an article may
    repeat itself."""
    end = len(blocks)
    while end and (blocks[end - 1].is_heading or (blocks[end - 1].length < MIN_PROSE
                                                  and _is_label(blocks[end - 1]))):
        end -= 1
    if sum(not b.is_heading for b in blocks[end:]) > MAX_EDGE_LABELS:
        end = len(blocks)
        while end and blocks[end - 1].is_heading:
            end -= 1
    start = 0
    while start < end and not blocks[start].is_heading and blocks[start].length < MIN_PROSE:
        start += 1
    if start > MAX_EDGE_LABELS:
        start = 0
    return blocks[start:end]
