"""CSS selection over a parsed page without walking the whole tree for every query.

An XPath translated from CSS (`descendant-or-self::*[...class test...]`) visits every element
of the page, and a profile asks a dozen such questions per page: together they cost more than
parsing the page. Almost every profile selector names a class in its last part or in a part
before it, so the page keeps one index of its elements by class token, built in one pass over
the class attributes, and a query only visits the elements carrying that class (or their
subtrees). Each candidate is then checked against the whole selector with an XPath test
relative to it, so the answer is exactly the XPath's, in document order; selectors the index
cannot serve (no class, sibling combinators after the indexed part, pseudo-elements) run as
plain XPath.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from typing import Any

from cssselect import parse
from cssselect.parser import Class, CombinedSelector, SelectorError
from lxml import etree
from parsel.csstranslator import HTMLTranslator

_TRANSLATOR = HTMLTranslator()
_CLASS_ATTRIBUTES = etree.XPath("//@class")
# Above this many results, one pass numbering the whole tree is cheaper than locating each.
_MANY = 64


@cache
def css_to_xpath(query: str) -> str:
    """The XPath of a CSS query, translated once per process (parsel keeps only the last 256,
    fewer than the selectors of all site profiles together)."""
    return _TRANSLATOR.css_to_xpath(query)


@cache
def _compiled_css(query: str) -> etree.XPath:
    return etree.XPath(css_to_xpath(query))


def select(scope: etree._Element, query: str) -> list[etree._Element]:
    """The elements matching the CSS `query` in `scope`, the scope itself included, in document
    order; the lxml elements themselves, for helpers that walk the tree."""
    return [found for found in _compiled_css(query)(scope) if isinstance(found, etree._Element)]


class ClassIndex:
    """The elements of a document by class token, each list in document order."""

    def __init__(self, root: etree._Element) -> None:
        self.root = root
        self.by_class: dict[str, list[etree._Element]] = {}
        self.position: dict[etree._Element, int] = {}
        for position, value in enumerate(_CLASS_ATTRIBUTES(root)):
            element = value.getparent()
            self.position[element] = position
            for token in set(_class_tokens(value)):
                self.by_class.setdefault(token, []).append(element)

    def elements(self, token: str) -> list[etree._Element]:
        return self.by_class.get(token, [])


def _class_tokens(value: str) -> list[str]:
    # Split exactly where XPath's normalize-space() does (str.split() also splits at NBSP).
    return value.replace("\t", " ").replace("\n", " ").replace("\r", " ").split(" ")


@dataclass(frozen=True)
class _Part:
    """One selector of a group: the class its candidates come from, whether the matches are
    those elements themselves or descendants of them, and the test of the whole selector."""

    key_class: str
    key_test: etree.XPath  # the selector up to the keyed compound, tested on a key element
    descendant_tag: str | None  # None: the key elements are the matches; else the tag to visit
    test: etree.XPath


@cache
def _plan(query: str) -> tuple[_Part, ...] | None:
    """How to answer `query` from the class index, or None to run it as plain XPath."""
    try:
        selectors = parse(query)
    except SelectorError:
        return None
    parts = []
    for selector in selectors:
        if selector.pseudo_element is not None:
            return None
        part = _part(selector.parsed_tree)
        if part is None:
            return None
        parts.append(part)
    return tuple(parts)


def _part(tree: Any) -> _Part | None:
    chain = _chain(tree)  # [(compound tree, combinator to its left)], left to right
    for index in range(len(chain) - 1, -1, -1):
        token = _class_of(chain[index][0])
        if token is None:
            continue
        later_combinators = [combinator for _, combinator in chain[index + 1:]]
        if any(combinator not in (" ", ">") for combinator in later_combinators):
            return None
        key_tree = _prefix(tree, len(chain) - 1 - index)
        try:
            key_test = etree.XPath("self::" + _step(key_tree))
            test = etree.XPath("self::" + _step(tree))
        except (etree.XPathSyntaxError, SelectorError, _Unsupported):
            return None
        tag = None if index == len(chain) - 1 else _TRANSLATOR.xpath(chain[-1][0]).element
        return _Part(token, key_test, tag, test)
    return None


def _chain(tree: Any) -> list[tuple[Any, str | None]]:
    if isinstance(tree, CombinedSelector):
        return [*_chain(tree.selector), (tree.subselector, tree.combinator)]
    return [(tree, None)]


def _prefix(tree: Any, drop: int) -> Any:
    """The selector without its last `drop` compounds."""
    for _ in range(drop):
        tree = tree.selector
    return tree


def _class_of(compound: Any) -> str | None:
    """A class the compound requires (on its main chain, not inside :not() or :has())."""
    node = compound
    while node is not None and not isinstance(node, CombinedSelector):
        if isinstance(node, Class):
            return node.class_name
        node = getattr(node, "selector", None)
    return None


class _Unsupported(Exception):
    pass


_AXIS = {" ": "ancestor::", ">": "parent::", "~": "preceding-sibling::"}


def _step(tree: Any) -> str:
    """An XPath step matching the element `tree` selects, its context written as predicates
    (right to left, the way a browser matches a selector)."""
    if not isinstance(tree, CombinedSelector):
        return _compound(tree)
    left = _step(tree.selector)
    if tree.combinator == "+":
        relation = f"preceding-sibling::*[1][self::{left}]"
    elif tree.combinator in _AXIS:
        relation = _AXIS[tree.combinator] + left
    else:
        raise _Unsupported(tree.combinator)
    return f"{_compound(tree.subselector)}[{relation}]"


def _compound(tree: Any) -> str:
    expr = _TRANSLATOR.xpath(tree)
    if expr.path:
        raise _Unsupported(str(expr))
    return expr.element + (f"[{expr.condition}]" if expr.condition else "")


def select_indexed(index: ClassIndex, query: str) -> list[etree._Element] | None:
    """The elements of the whole document matching `query`, in document order: what
    `select(index.root, query)` returns, found through the class index; None for a query the
    index cannot serve."""
    plan = _plan(query)
    if plan is None:
        return None
    results = [_matches(index, part) for part in plan]
    found = [elements for elements in results if elements]
    if len(found) <= 1:
        return found[0] if found else []
    return _in_document_order(index, [element for elements in found for element in elements])


def _matches(index: ClassIndex, part: _Part) -> list[etree._Element]:
    keys = [element for element in index.elements(part.key_class) if part.key_test(element)]
    if part.descendant_tag is None:
        return keys
    key_set = set(keys)
    matches = []
    for key in keys:
        if any(ancestor in key_set for ancestor in key.iterancestors()):
            continue  # its subtree is visited from the outer key already
        tag = None if part.descendant_tag == "*" else part.descendant_tag
        matches.extend(element for element in key.iterdescendants(tag)
                       if isinstance(element.tag, str) and part.test(element))
    return matches


def _in_document_order(index: ClassIndex, elements: list[etree._Element]) -> list[etree._Element]:
    unique = list(dict.fromkeys(elements))
    if all(element in index.position for element in unique):
        return sorted(unique, key=index.position.__getitem__)
    if len(unique) > _MANY:
        numbering = {element: n for n, element in enumerate(index.root.iter())}
        return sorted(unique, key=numbering.__getitem__)
    return sorted(unique, key=_tree_path)


def _tree_path(element: etree._Element) -> list[int]:
    """The element's position as child indices from the root: sorts in document order."""
    path = []
    parent = element.getparent()
    while parent is not None:
        path.append(parent.index(element))
        element, parent = parent, parent.getparent()
    path.reverse()
    return path
