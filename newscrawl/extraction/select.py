"""CSS selection through parsel's translator, each selector translated and compiled once.

parsel keeps only the last 256 translations, fewer than the selectors of all site profiles
together, so a crawl over many sites would translate the same selectors again and again.

A step whose whole test is one attribute, false where the element has none (a class, `#id`,
`[name]`, `[name=v]`, `[name^=v]`, `[name*=v]`...), is asked through that attribute instead:
parsel writes `::*[@class and contains(@class, 'x') and ...]`, this writes
`::*/@class[contains(., 'x') and ...]/parent::*`, which selects the same elements. libxml2
then tests only the elements that have the attribute rather than evaluating a predicate on
every element of the page: about 1.7 times faster a class query (0.39 against 0.21 ms on a
2,000-element page) and 2.3 to 2.8 times faster an id or attribute query on the fixture
pages (0.23-0.32 against 0.10-0.11 ms). CSS selection was half of a profile's extraction
time on the crawl benchmark's pages. A test that reads anything but the attribute's value
(its position, the element, another attribute), or is true where the attribute is missing
(`:not([name])`), stays as parsel wrote it. lxml's cssselect writes the same tests, so
there is no library form to take instead.

`ClassIndex` answers, from the page's root, the queries that open with a class step: even
rewritten, each such query visits every element of the page, and a profile asks about fifteen
per page. On the crawl benchmark's 1,400-element pages they took 3.5 ms a page, more than a
third of a profile's extraction, and the crawl ran at 0.53 times its speed before the index was
taken out. The index groups the page's elements by their `class` string in one pass, and each
query then runs its remaining steps below the elements carrying its class only. A query it
cannot answer exactly as the XPath would (its first step is no class step, later steps leave
the subtree, nested matches, several parts of a group that all match) runs as plain XPath.
"""

from __future__ import annotations

import heapq
import re
from functools import cache, lru_cache
from operator import itemgetter
from typing import Any

from lxml import etree
from parsel import Selector, SelectorList
from parsel.csstranslator import HTMLTranslator

_TRANSLATOR = HTMLTranslator()
# cssselect's test for one class name, as the first step of a query (`ClassIndex`); the
# name is the second group of the pattern it is part of.
_CLASS_TEST = (r"\[@class and contains\(@class, '([^']+)'\) and "
               r"contains\(concat\(' ', normalize-space\(@class\), ' '\), ' \2 '\)\]")
# A step whose whole predicate tests one attribute and is false where the element has none:
# `[@name]`, `[@name = 'v']`, or `[@name and ...]` (a class, `^=`, `*=`, `$=`, `~=`, `|=`).
_ATTRIBUTE_STEP = re.compile(
    r"(::|/)(\*|[a-z][a-z0-9-]*)\[@([a-z_][a-z0-9_.-]*)"
    r"( = '[^']*'| and (?:[^\[\]'/:]|'[^']*')+)?\](?=$|/| \|)")
_LITERALS = re.compile(r"'[^']*'")
_ATTRIBUTE_NAME = re.compile(r"@([a-z_][a-z0-9_.-]*)")
_LITERAL_OR_NAME = re.compile(r"'[^']*'|@[a-z_][a-z0-9_.-]*")
# What would read the element or its position rather than the attribute's value.
_CONTEXT_READS = re.compile(r"[.*]|\b(?:position|last|count|name|text|node|lang|id)\(")


def _on_the_attribute(match: re.Match[str]) -> str:
    axis, tag, name, test = match.groups()
    if test is None:
        return f"{axis}{tag}/@{name}/parent::*"
    if test.startswith(" = "):
        return f"{axis}{tag}/@{name}[. ={test[2:]}]/parent::*"
    rest = test.removeprefix(" and ")
    bare = _LITERALS.sub("''", rest)
    if _CONTEXT_READS.search(bare) or set(_ATTRIBUTE_NAME.findall(bare)) != {name}:
        return match.group(0)
    on_node = _LITERAL_OR_NAME.sub(lambda m: m.group(0) if m.group(0)[0] == "'" else ".", rest)
    return f"{axis}{tag}/@{name}[{on_node}]/parent::*"


def on_attribute_nodes(xpath: str) -> str:
    """`xpath` with its steps that test one attribute asked through the attribute node."""
    return _ATTRIBUTE_STEP.sub(_on_the_attribute, xpath)


@cache
def css_to_xpath(query: str) -> str:
    """The XPath of a CSS query, translated once per process."""
    return on_attribute_nodes(_TRANSLATOR.css_to_xpath(query))


@cache
def compiled_css(query: str) -> etree.XPath:
    """The CSS query as a compiled XPath; strings come back plain, as parsel's do."""
    return etree.XPath(css_to_xpath(query), smart_strings=False)


def selector_list(found: list[Any], query: str, make: type[Selector]) -> SelectorList[Any]:
    """XPath answers as parsel gives them back: one `make` selector for each element or string."""
    return SelectorList(make(root=item, _expr=query, type="html") for item in found)


def select(scope: etree._Element, query: str) -> list[etree._Element]:
    """The elements matching the CSS `query` in `scope`, the scope itself included, in document
    order; the lxml elements themselves, for helpers that walk the tree."""
    return [found for found in compiled_css(query)(scope) if isinstance(found, etree._Element)]


# The first step of a part of a translated query: a class test on any or one tag.
_FIRST_CLASS_STEP = re.compile(r"descendant-or-self::(\*|[a-z][a-z0-9]*)" + _CLASS_TEST)
_LITERAL = re.compile(r"'[^']*'|\"[^\"]*\"")
_PREDICATE = re.compile(r"\[[^\[\]]*\]")
# Steps that stay below the element they start from, once literals and predicates are gone.
_DOWNWARD_PATH = re.compile(r"(/(descendant-or-self::|descendant::|child::)?"
                            r"(\*|[a-z][a-z0-9-]*|text\(\)|@[a-z_][a-z0-9_.:-]*))*")
_XML_SPACE = re.compile(r"[ \t\r\n]+")


@lru_cache(maxsize=8192)
def _class_names(value: str) -> frozenset[str]:
    """The names of a `class` string, split where XPath's normalize-space splits."""
    return frozenset(_XML_SPACE.split(value))


@cache
def _class_plan(query: str) -> tuple[tuple[str, str, etree.XPath | None], ...] | None:
    """For each part of the query's group: its first step's tag and class, and the XPath of
    its other steps relative to an element; None when the index cannot answer the query."""
    xpath = _TRANSLATOR.css_to_xpath(query)
    if _LITERAL.sub("''", xpath).count(" | ") != xpath.count(" | "):
        return None
    plan = []
    for part in xpath.split(" | "):
        first = _FIRST_CLASS_STEP.match(part)
        if first is None:
            return None
        rest = part[first.end():]
        path = _LITERAL.sub("''", rest)
        while _PREDICATE.search(path):
            path = _PREDICATE.sub("", path)
        if not _DOWNWARD_PATH.fullmatch(path):
            return None
        steps = (etree.XPath("self::*" + on_attribute_nodes(rest), smart_strings=False)
                 if rest else None)
        plan.append((first.group(1), first.group(2), steps))
    return tuple(plan)


class ClassIndex:
    """The elements of one page by class name, in document order.

    Built in one pass that groups the elements by their whole `class` string (pages repeat
    a few hundred strings over a thousand elements); a name is looked up in those strings
    only when a query asks for it. On the 52 fixture pages that is 0.47 ms a page against
    1.2 ms for filling a list per class name up front, most of whose names no query asks.
    """

    def __init__(self, root: etree._Element) -> None:
        self._root = root
        self._by_value: dict[str, list[tuple[int, etree._Element]]] | None = None
        self._by_name: dict[str, list[etree._Element]] = {}

    def _by_class(self, name: str) -> list[etree._Element]:
        found = self._by_name.get(name)
        if found is None:
            found = self._by_name[name] = self._look_up(name)
        return found

    def _look_up(self, name: str) -> list[etree._Element]:
        if self._by_value is None:
            self._by_value = {}
            for position, element in enumerate(self._root.iter(etree.Element)):
                value = element.get("class")
                if value:
                    self._by_value.setdefault(value, []).append((position, element))
        runs = [run for value, run in self._by_value.items()
                if name in value and name in _class_names(value)]
        return [element for _, element in heapq.merge(*runs, key=itemgetter(0))]

    def select(self, query: str) -> list[Any]:
        """What `compiled_css(query)` answers from the page's root, elements, strings or both."""
        plan = _class_plan(query)
        if plan is None:
            return compiled_css(query)(self._root)
        answers = [self._part(tag, name, steps) for tag, name, steps in plan]
        if None in answers or sum(1 for found in answers if found) > 1:
            return compiled_css(query)(self._root)  # document order across the parts
        return next((found for found in answers if found), [])

    def _part(self, tag: str, name: str, steps: etree.XPath | None) -> list[Any] | None:
        candidates = [e for e in self._by_class(name) if tag == "*" or e.tag == tag]
        if steps is None:
            return candidates
        if len(candidates) > 1 and _nested(candidates):
            return None
        return [found for candidate in candidates for found in steps(candidate)]


def _nested(elements: list[etree._Element]) -> bool:
    members = set(elements)
    return any(a in members for e in elements for a in e.iterancestors())
