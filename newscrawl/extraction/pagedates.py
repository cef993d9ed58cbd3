"""Publication dates a reader sees when the metadata gives none: the URL's path and the date
written near the headline or byline, in the page's language.

Own code rather than `dateparser.search` or htmldate: both scan the whole page and cost more
than the rest of the extraction together (htmldate's extensive search alone runs at about the
speed of the whole generic extractor); here a few regular expressions read a short window of
text around the headline, and dateparser's own month names (its locale data) name the months
in every language it knows.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Iterator
from datetime import date, datetime
from functools import lru_cache

from dateparser.languages import default_loader
from lxml import etree

from newscrawl.extraction.boilerplate import COMMENT_WORDS, is_named
from newscrawl.extraction.text import TEXT_EVENTS, UNSEEN_TAGS

# Languages whose month names are tried when the page declares none.
DEFAULT_LANGUAGES = ("en", "de", "fr", "es", "it", "pt", "nl")
_MONTH_KEYS = ("january", "february", "march", "april", "may", "june", "july", "august",
               "september", "october", "november", "december")
EARLIEST_YEAR = 1995  # no news page is older than the web's first news sites
# Class/id words of page parts whose dates are another story's, a comment's or a widget's.
FOREIGN_WORDS = COMMENT_WORDS | frozenset({
    "related", "sidebar", "archive",
    "archives", "recent", "recentposts", "popular", "mostread", "trending", "cookie",
    "cookies", "consent", "calendar", "nav", "navbar", "navigation", "menu", "breadcrumb",
    "breadcrumbs", "share", "social", "newsletter", "footer", "outbrain", "taboola",
    "recommended", "recommend", "playlist", "weather",
})
FOREIGN_TAGS = frozenset({"nav", "aside", "footer", "form", "select", "option", "button",
                          "figcaption"}) | UNSEEN_TAGS
FOLLOWING_NODES = 120  # text nodes read after the headline
PRECEDING_NODES = 30
WINDOW_CHARS = 1500

# -- the URL --------------------------------------------------------------------------------
_URL_DATES = (
    # /2018/06/28/, /2018-06-28/, /2018_06_28, /2018.06.28
    re.compile(r"(?<![\d])((?:19|20)\d{2})[/_.-](0?[1-9]|1[0-2])[/_.-](0?[1-9]|[12]\d|3[01])"
               r"(?![\d])"),
    # /20180628/ or /20180628-slug
    re.compile(r"(?<![\d])((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?![\d])"),
)
_URL_DAY_FIRST = re.compile(r"(?<![\d])(0?[1-9]|[12]\d|3[01])[_.-](0?[1-9]|1[0-2])[_.-]"
                            r"((?:19|20)\d{2})(?![\d])")


def url_date(url: str, latest: date) -> date | None:
    """The day a URL's path states (/2018/06/28/, /20180628/, /2018-06-28-slug, /28-06-2018-)."""
    path = url.split("//", 1)[-1].split("/", 1)[-1].split("?", 1)[0]
    for pattern in _URL_DATES:
        for match in pattern.finditer(path):
            found = _valid(int(match[1]), int(match[2]), int(match[3]), latest)
            if found:
                return found
    for match in _URL_DAY_FIRST.finditer(path):
        found = _valid(int(match[3]), int(match[2]), int(match[1]), latest)
        if found:
            return found
    return None


def _valid(year: int, month: int, day: int, latest: date) -> date | None:
    try:
        value = date(year, month, day)
    except ValueError:
        return None
    return value if year >= EARLIEST_YEAR and value <= latest else None


# -- dates written for readers ---------------------------------------------------------------
@lru_cache(maxsize=64)
def month_names(languages: tuple[str, ...]) -> dict[str, int]:
    """Month names and abbreviations (lower case, no final dot) in these languages, from
    dateparser's locale data."""
    names: dict[str, int] = {}
    for language in (*languages, "en"):
        try:
            info = default_loader.get_locale(language).info
        except (KeyError, ValueError, ImportError):
            continue
        for number, key in enumerate(_MONTH_KEYS, start=1):
            for name in info.get(key, ()):
                word = name.lower().rstrip(".")
                if len(word) >= 3 and not word.isdigit():
                    names.setdefault(word, number)
    return names


_WORD = r"([^\W\d_]{3,}\.?)"
_DAY = r"(0?[1-9]|[12]\d|3[01])"
_YEAR = r"((?:19|20)\d{2})"
_TIME = re.compile(r"^\D{0,12}?(?:\b|T)([01]?\d|2[0-3])[:h.](\d{2})(?::(\d{2}))?(?!\d)"
                   r"(?:\s*([ap])\.?\s?m\b\.?)?", re.IGNORECASE)
# Each pattern: its regex and the group numbers of year, month, day.
# A pattern that opens with a lookbehind gets no fast first-character scan from the regex
# engine, which then tries the lookbehind at every position of the text: `(?=\d)` before it
# lets it through only where a digit starts (a 1,500-character window: 34 against 114 µs a
# pattern).
_AT_DIGIT = r"(?=\d)"
_NUMERIC = (
    (re.compile(_YEAR + r"\s?([-/.])\s?(0?[1-9]|1[0-2])\2\s?" + _DAY + r"(?!\d)"), (1, 3, 4)),
    (re.compile(_AT_DIGIT + r"(?<![\d.])" + _DAY + r"\.\s?(0?[1-9]|1[0-2])\.\s?" + _YEAR
                + r"(?!\d)"), (3, 2, 1)),
    (re.compile(_AT_DIGIT + r"(?<![\d/])(\d{1,2})/(\d{1,2})/" + _YEAR + r"(?!\d)"), None),
    (re.compile(_AT_DIGIT + r"(?<![\d-])" + _DAY + r"-(0?[1-9]|1[0-2])-" + _YEAR + r"(?!\d)"),
     (3, 2, 1)),
    (re.compile(_YEAR + r"\s?[年년]\s?(0?[1-9]|1[0-2])\s?[月월]\s?" + _DAY
                + r"(?!\d)\s?[日일]?"),
     (1, 2, 3)),
    # dd.mm.yy, as German and Nordic bylines write it
    (re.compile(_AT_DIGIT + r"(?<![\d.])" + _DAY + r"\.(0?[1-9]|1[0-2])\.(\d{2})(?![\d.])"),
     (3, 2, 1)),
)
# What every pattern above needs: a four-figure year, or the day and month of a dd.mm.yy.
_YEAR_OR_SHORT_DATE = re.compile(r"(?:19|20)\d{2}|\d\.\d{1,2}\.\d{2}")
_NAMED = (
    # 5. Oktober 2013, 28 juin 2019, 17 de Febrero 2020, 1er août 2019, 28 April, 2017
    (re.compile(_AT_DIGIT + r"(?<!\d)" + _DAY + r"(?:\.|er|st|nd|rd|th)?\s*(?:de\s+)?" + _WORD
                + r",?\s*(?:de\s+)?" + _YEAR + r"(?!\d)"), (3, 2, 1)),
    # June 28th, 2018; Nov. 8, 2023; Jan 04 09:34 2021 is not one. Tried from a word's start
    # only, its letters taken whole: from inside a word the match can only fail, after the
    # engine has tried every shorter run of its letters (a window: 95 against 327 µs).
    (re.compile(r"(?<![^\W\d_])([^\W\d_]{3,}+\.?)\s+" + _DAY + r"(?:st|nd|rd|th)?,?\s+" + _YEAR
                + r"(?!\d)"), (3, 1, 2)),
)


# Words that say the date after them is a later change, in the languages of the web's news.
_UPDATE = re.compile(
    r"updated|update|aktualisiert|aktualisierung|geändert|letzte änderung|mis à jour|"
    r"mise à jour|modifié|actualizado|actualización|aggiornat|atualizado|bijgewerkt|"
    r"gewijzigd|zaktualizowano|aktualizováno|обновлено|оновлено|güncelleme|更新|수정",
    re.IGNORECASE)
UPDATE_REACH = 30  # characters before a date that may hold such a word


def figures_date_length(text: str) -> int:
    """How many characters a date written in figures takes at the start of `text` (0: none)."""
    return max((match.end() for pattern, _ in _NUMERIC if (match := pattern.match(text))),
               default=0)


def find_date(text: str, languages: tuple[str, ...], latest: date, *, month_first: bool = False,
              last: bool = False) -> tuple[datetime | date, int] | None:
    """The first (or last) date written in `text`, with the time of day that follows it if
    any, and how far it is from the start of the text (from its end for the last one).
    `month_first` reads an ambiguous 04/05/2020 as April 5 (US usage)."""
    if not _YEAR_OR_SHORT_DATE.search(text):
        return None  # six windows in ten: one scan instead of eight
    months = month_names(languages or DEFAULT_LANGUAGES)
    best: tuple[int, int, date] | None = None  # start, end, day
    for pattern, groups in (*_NUMERIC, *_NAMED):
        for match in pattern.finditer(text):
            if best is not None and not last and match.start() >= best[0]:
                break
            found = _read(match, groups, months, latest, month_first)
            if found and _UPDATE.search(text[max(0, match.start() - UPDATE_REACH):
                                             match.start()]):
                continue  # "updated on 7 January": the original publication is wanted
            if found and (best is None or (match.start() > best[0]) == last):
                best = (match.start(), match.end(), found)
                if not last:
                    break
    if best is None:
        return None
    start, end, day = best
    return _with_time(day, text[end:end + 40]), (len(text) - end if last else start)


def _read(match: re.Match, groups: tuple[int, int, int] | None, months: dict[str, int],
          latest: date, month_first: bool) -> date | None:
    if groups is None:  # d/m/y or m/d/y
        first, second, year = int(match[1]), int(match[2]), int(match[3])
        if first > 12 or (second <= 12 and not month_first):
            first, second = second, first
        return _valid(year, first, second, latest)
    year_text, month_text, day_text = (match[g] for g in groups)
    year = int(year_text) + (2000 if len(year_text) == 2 else 0)
    if month_text.isdigit():
        month = int(month_text)
    else:
        month = months.get(month_text.lower().rstrip("."), 0)
        if not month:
            return None
    return _valid(year, month, int(day_text), latest)


def _east_asian_half(prefix: str) -> str:
    """"p" or "a" for the afternoon/morning words written before a time in Korean, Japanese
    and Chinese (오후 8:06, 午後8時), else ""."""
    if any(word in prefix for word in ("오후", "午後", "下午")):
        return "p"
    return "a" if any(word in prefix for word in ("오전", "午前", "上午")) else ""


def _with_time(day: date, after: str) -> datetime | date:
    match = _TIME.match(after)
    if not match:
        return day
    hour, minute = int(match[1]), int(match[2])
    marker = (match[4] or "").lower() or _east_asian_half(after[:match.start(1)])
    if marker:
        if hour > 12:
            return day
        hour = hour % 12 + (12 if marker == "p" else 0)
    return datetime(day.year, day.month, day.day, hour, minute, int(match[3] or 0))


# -- the last resort ------------------------------------------------------------------------
def library_date(root: etree._Element, url: str, latest: date) -> date | None:
    """htmldate's reading of the page (its fast mode, original date): its markup and text
    patterns find dates where none of the signals above did. It parses the page again, so it
    only runs on the few pages that reach it."""
    from htmldate import find_date as htmldate_find

    try:
        found = htmldate_find(etree.tostring(root, encoding="unicode", method="html"),
                              url=url, original_date=True, extensive_search=False,
                              max_date=latest.isoformat())
    except (ValueError, TypeError, etree.LxmlError):
        return None
    return date.fromisoformat(found) if found else None


# -- where a reader looks: around the headline ----------------------------------------------


class Foreign:
    """Whether an element sits in a part of the page that shows other content's dates: a
    comment, a teaser list, a sidebar widget, a cookie banner, navigation. Answers are
    cached per element, so a window of text costs one walk up per new ancestor."""

    def __init__(self, extra: set[etree._Element] | None = None,
                 trusted: etree._Element | None = None) -> None:
        self._known: dict[etree._Element, bool] = {}
        self._extra = extra or set()
        if trusted is not None:  # the headline's own containers: the article, whatever named
            for element in (trusted, *trusted.iterancestors()):
                self._known[element] = False

    def __call__(self, element: etree._Element) -> bool:
        chain = []
        answer = False
        for current in (element, *element.iterancestors()):
            known = self._known.get(current)
            if known is not None:
                answer = known
                break
            chain.append(current)
            if (current.tag in FOREIGN_TAGS or current in self._extra
                    or is_named(current, FOREIGN_WORDS)):
                answer = True
                break
        for current in chain:
            self._known[current] = answer
        return answer


def text_around(anchor: etree._Element, foreign: Foreign) -> tuple[str, str]:
    """The visible text after `anchor` and the text right before it, in reading order,
    leaving out foreign parts of the page. A heading's own words are left out too: a date
    in a headline is what the story is about."""
    own = () if anchor.tag in HEADINGS else _texts(anchor, with_tail=False)
    following = _gather(itertools.chain(own, itertools.islice(_following(anchor),
                                                               FOLLOWING_NODES)),
                        foreign, anchor)
    preceding = _gather(itertools.islice(_preceding(anchor), PRECEDING_NODES), foreign, anchor)
    return " ".join(following), " ".join(reversed(preceding))


# The text nodes around an element, each with the element whose content it is (a tail is
# its element's parent's), read lazily in a walk of the tree: XPath's following:: and
# preceding:: axes collect every text node to the end or the start of the page before the
# first few are taken (0.09 against 0.28 ms a window after a page's h1, segments.json). No
# walk recurses: pages nest deeper than Python's recursion limit (a date below 1,000 nested
# divs was lost to a RecursionError). Forwards, lxml's iterwalk walks in C; backwards, which it
# cannot, a stack of our own (together 0.20 against 0.23 ms a page around the h1 for
# recursive generators, segments.json).
Texts = Iterator[tuple[str, etree._Element | None]]


def _texts(element: etree._Element, with_tail: bool = True) -> Texts:
    """The text nodes of `element`'s content in document order, then its tail."""
    if isinstance(element.tag, str):  # a comment's or an instruction's text is no text node
        for event, node in etree.iterwalk(element, events=TEXT_EVENTS):
            if event == "start":
                if text := node.text:
                    yield text, node
            elif (tail := node.tail) and (with_tail or node is not element):
                yield tail, node.getparent()
    elif with_tail and element.tail:
        yield element.tail, element.getparent()


def _texts_backwards(element: etree._Element) -> Texts:
    """`_texts(element)` from its end."""
    stack: list[tuple[etree._Element, bool]] = [(element, False)]
    while stack:
        node, entered = stack.pop()
        if entered:
            if text := node.text:
                yield text, node
            continue
        if tail := node.tail:
            yield tail, node.getparent()
        if isinstance(node.tag, str):
            stack.append((node, True))
            stack.extend([(child, False) for child in node])


def _following(anchor: etree._Element) -> Texts:
    """The text nodes after `anchor` and its content, nearest first."""
    node: etree._Element | None = anchor
    while node is not None:
        if node.tail:
            yield node.tail, node.getparent()
        for sibling in node.itersiblings():
            yield from _texts(sibling)
        node = node.getparent()


def _preceding(anchor: etree._Element) -> Texts:
    """The text nodes before `anchor`, nearest first; an ancestor's own text is one of them."""
    node: etree._Element | None = anchor
    while node is not None:
        for sibling in node.itersiblings(preceding=True):
            yield from _texts_backwards(sibling)
        parent = node.getparent()
        if parent is not None and parent.text:
            yield parent.text, parent
        node = parent


HEADINGS = frozenset({"h1", "h2", "h3", "h4"})


def nearest_date(anchor: etree._Element, foreign: Foreign, languages: tuple[str, ...],
                 latest: date, month_first: bool) -> datetime | date | None:
    """The date written nearest to `anchor`, after or before it."""
    following, preceding = text_around(anchor, foreign)
    after = find_date(following, languages, latest, month_first=month_first)
    before = find_date(preceding, languages, latest, month_first=month_first, last=True)
    if after and (before is None or after[1] <= before[1]):
        return after[0]
    return before[0] if before else None


# Parts of class and id names that label a date, a byline or post metadata.
_LABEL = re.compile(r"date|time|datum|publi|posted|byline|meta|author|fecha|data",
                    re.IGNORECASE)
LABELLED_CHARS = 160


@lru_cache(maxsize=4096)
def _labels(classes: str) -> bool:
    """Whether a class string names a date, byline or post metadata; asked once per string
    (a page repeats its class strings), in a loop over the page's elements rather than over an
    XPath of its named ones (0.38 against 0.62 ms a page, segments.json)."""
    return _LABEL.search(classes) is not None


def labelled_date(root: etree._Element, foreign: Foreign, languages: tuple[str, ...],
                  latest: date, month_first: bool) -> datetime | date | None:
    """The first date in the short texts of the page's date, byline and post-metadata
    elements (the first few, foreign parts left out)."""
    pieces = []
    for element in root.iter(etree.Element):
        classes, identifier = element.get("class"), element.get("id")
        if not ((classes and _labels(classes)) or (identifier and _LABEL.search(identifier))):
            continue
        text = _short_text(element)
        if text and any(c.isdigit() for c in text) and not foreign(element):
            pieces.append(text)
            if len(pieces) >= MAX_LABELLED:
                break
    found = find_date(" | ".join(pieces), languages, latest, month_first=month_first)
    return found[0] if found else None


def _short_text(element: etree._Element) -> str | None:
    """The element's text when it is short (a label, not a container of the page)."""
    pieces, size = [], 0
    for piece in element.itertext():
        size += len(piece)
        if size > 4 * LABELLED_CHARS:
            return None
        pieces.append(piece)
    text = " ".join("".join(pieces).split())
    return text if len(text) <= LABELLED_CHARS else None


MAX_LABELLED = 12


def _gather(texts: Iterable[tuple[str, etree._Element | None]], foreign: Foreign,
            anchor: etree._Element) -> list[str]:
    pieces: list[str] = []
    size = 0
    for text, owner in texts:
        # The owner of a tail after an HTML comment (which templates leave between a byline
        # and its date) is the comment's parent.
        if owner is None or (owner is not anchor and foreign(owner)):
            continue
        text = text.strip()
        if text:
            pieces.append(text)
            size += len(text)
            if size > WINDOW_CHARS:
                break
    return pieces
