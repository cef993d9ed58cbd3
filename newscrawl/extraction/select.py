"""CSS selection over a parsed page without walking the whole tree for every query.

An XPath translated from CSS (`descendant-or-self::*[...class test...]`) visits every element
of the page, and a profile asks a dozen such questions per page: together they cost more than
parsing the page. Almost every profile selector names a class, an id or an attribute value in
its last part or in a part before it, so the page keeps an index (`ClassIndex`) that finds the
elements carrying that key, and a query only visits those elements (or their subtrees). Each
candidate is then checked against the whole selector with an XPath test relative to it, so
the answer is exactly the XPath's, in document order; selectors the index cannot serve (no
key, sibling combinators after the keyed part, pseudo-elements) run as plain XPath.

Queries inside a selected element (a figure's caption, a container's paragraphs) go through
`select_in`: the page's matches of a one-compound selector, kept with their ancestors, are
filtered to the element; a list of tag names is one walk of the element; anything else is
the XPath relative to the element, as parsel would run it.
"""

from __future__ import annotations

import copy
import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import cache, cached_property
from typing import Any

from cssselect import parse
from cssselect.parser import Attrib, Class, CombinedSelector, Element, Hash, SelectorError
from lxml import etree
from parsel.csstranslator import HTMLTranslator

_TRANSLATOR = HTMLTranslator()
_ATTRIBUTE_NAME = re.compile(r"^[a-z_][a-z0-9_.-]*$")
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


def select_in(index: ClassIndex | None, scope: etree._Element,
              query: str) -> list[etree._Element] | None:
    """What `select(scope, query)` returns, found the cheapest way: through the page's class
    index, as one walk for a list of tag names, else by XPath. None for a query that selects
    text or attributes (pseudo-elements), which only parsel answers."""
    if index is not None:
        found = index.within(scope, query)
        if found is not None:
            return found
    tags = _plain_tags(query)
    if tags:
        return list(scope.iter(*tags))
    if tags is None:
        return None
    return select(scope, query)


@cache
def _single_compounds(query: str) -> bool:
    """Whether each selector of the group is one compound ("p.a:not(.b)", no "A B").

    Inside an element, parsel binds the whole chain of a selector to that element's subtree
    ("A B" needs its A there too), while a page's answer only places the match there: the two
    agree for single compounds alone."""
    return all(not isinstance(selector.parsed_tree, CombinedSelector)
               for selector in parse(query))


@cache
def _plain_tags(query: str) -> tuple[str, ...] | None:
    """The tag names of a query made only of them ("p, h2, li"); () for any other query that
    selects elements; None for one with pseudo-elements or that does not parse."""
    try:
        selectors = parse(query)
    except SelectorError:
        return None
    if any(selector.pseudo_element is not None for selector in selectors):
        return None
    trees = [selector.parsed_tree for selector in selectors]
    if all(isinstance(tree, Element) and tree.element not in (None, "*")
           and tree.namespace is None for tree in trees):
        return tuple(dict.fromkeys(tree.element.lower() for tree in trees))
    return ()


class ClassIndex:
    """The elements of a document by class token and by attribute value, each list in
    document order.

    The values of an attribute are read in one walk of the tree and joined into one string;
    the elements with a given class or value are found by searching that string, so no time
    goes into splitting the hundreds of class names nobody asks about. The class attribute and
    the `attributes` named up front (those a site profile's selectors use) share the first
    walk; any other attribute gets a walk of its own the first time a query names it.
    """

    def __init__(self, root: etree._Element, attributes: Iterable[str] = ()) -> None:
        self.root = root
        self._attributes: dict[str, _AttributeValues] = _read_attributes(
            root, ("class", *(name for name in attributes if name != "class")))
        self._found: dict[Key, list[etree._Element]] = {}
        self._located: dict[str, list[tuple[etree._Element, set]] | None] = {}
        self.classes = self._attributes["class"]

    def within(self, scope: etree._Element, query: str) -> list[etree._Element] | None:
        """The matches of `query` inside `scope` (the scope included), in document order; None
        when the index cannot serve the query or the page has too many matches to sort by
        ancestry cheaply."""
        located = self._located.get(query, False)
        if located is False:
            located = self._located[query] = self._locate(query)
        if located is None:
            return None
        return [element for element, ancestors in located
                if element is scope or scope in ancestors]

    def _locate(self, query: str) -> list[tuple[etree._Element, set]] | None:
        # The page's matches with their ancestors, found once: a profile asks the same
        # question inside every figure or related block of the page. Only for keys the index
        # answers without reading another attribute or testing most of the page's elements:
        # a walk of a small scope costs less.
        plan = _plan(query)
        if (plan is None or not _single_compounds(query)
                or not all(self._knows(part.key) for part in plan)):
            return None
        found = select_indexed(self, query)
        if found is None or len(found) > _MANY:
            return None
        return [(element, set(element.iterancestors())) for element in found]

    @cached_property
    def position(self) -> dict[etree._Element, int]:
        """The document order of the elements that have a class."""
        return {element: n for n, element in enumerate(self.classes.owners)}

    def _knows(self, key: Key) -> bool:
        kind, name, operator, value = key
        return kind == "class" or (name in self._attributes and bool(value)
                                   and operator in _VALUE_OPERATORS)

    def elements(self, key: Key) -> list[etree._Element]:
        """The elements that may match a compound with this key (all that do, and maybe a
        few that do not), in document order."""
        found = self._found.get(key)
        if found is None:
            found = self._found[key] = self._lookup(key)
        return found

    def _lookup(self, key: Key) -> list[etree._Element]:
        kind, name, operator, value = key
        if kind == "class":
            return self.classes.elements(self.classes.token_indices(name))
        values = self._values(name)
        if not value or operator not in _VALUE_OPERATORS:
            return values.elements(range(len(values.values)))
        indices = values.containing(value)
        # Exact for =, ^= and $= as well as *=, so that key elements need no test of the key.
        if operator in _ANCHORED:
            matches = _ANCHORED[operator]
            indices = [i for i in indices if matches(values.values[i], value)]
        return values.elements(indices)

    def _values(self, name: str) -> _AttributeValues:
        values = self._attributes.get(name)
        if values is None:
            values = self._attributes[name] = _read_attributes(self.root, (name,))[name]
        return values


def _read_attributes(root: etree._Element, names: Sequence[str]) -> dict[str, _AttributeValues]:
    """The values of the named attributes with the elements that carry them, in document
    order, from one walk of the tree (a Python walk reading several attributes costs less than
    one XPath walk per attribute, and keeps no string object tied to its element)."""
    values: dict[str, list[str]] = {name: [] for name in names}
    owners: dict[str, list[etree._Element]] = {name: [] for name in names}
    for element in root.iter(etree.Element):
        get = element.get
        for name in names:
            value = get(name)
            if value is not None:
                values[name].append(value)
                owners[name].append(element)
    return {name: _AttributeValues(values[name], owners[name]) for name in names}


_ANCHORED: dict[str, Callable[[str, str], bool]] = {
    "=": str.__eq__, "^=": str.startswith, "$=": str.endswith}
# The operators whose matches contain the value: [a=v], [a^=v], [a$=v], [a*=v], [a~=v], [a|=v].
_VALUE_OPERATORS = frozenset({"=", "^=", "$=", "*=", "~=", "|="})
# Between the tokens of a class attribute (XPath's normalize-space() splits at space, tab, CR
# and LF) and between the joined values (NUL, which parsing removed from the page).
_SEPARATORS = "\x00 \t\n\r"


class _AttributeValues:
    """The values of one attribute in document order, joined into one searchable string."""

    def __init__(self, values: list[str], owners: list[etree._Element]) -> None:
        self.values = values
        self.owners = owners
        self.joined = "\x00".join(values)

    def containing(self, text: str) -> list[int]:
        """The indices of the values that contain `text`."""
        return self._indices(_literal_pattern(text))

    def token_indices(self, token: str) -> list[int]:
        """The indices of the values that have `token` as a whitespace-separated token."""
        joined = self.joined
        return self._indices(_token_pattern(token),
                             lambda at: at == 0 or joined[at - 1] in _SEPARATORS)

    def _indices(self, pattern: re.Pattern[str],
                 accept: Callable[[int], bool] = lambda at: True) -> list[int]:
        # A value's index is the number of separators before the match: counted from the
        # previous match on, the whole string is scanned once.
        joined = self.joined
        found: list[int] = []
        index, counted_to = 0, 0
        for match in pattern.finditer(joined):
            at = match.start()
            if not accept(at):
                continue
            index += joined.count("\x00", counted_to, at)
            counted_to = at
            if not found or found[-1] != index:
                found.append(index)
        return found

    def elements(self, indices: Iterable[int]) -> list[etree._Element]:
        owners = self.owners
        return [owners[i] for i in indices]



@cache
def _literal_pattern(text: str) -> re.Pattern[str]:
    return re.compile(re.escape(text))


@cache
def _token_pattern(token: str) -> re.Pattern[str]:
    # The token first, so the search runs as a fast literal scan; the separator before a
    # match is checked by the caller.
    return re.compile(rf"{re.escape(token)}(?![^{_SEPARATORS}])")



# ("class", token, "", None): the elements with that class; ("attribute", name, operator,
# value): the elements with that attribute, whose value passes the CSS operator.
Key = tuple[str, str, str, str | None]


@dataclass(frozen=True)
class _Part:
    """One selector of a group: the key its candidates come from, whether the matches are
    those elements themselves or descendants of them, and the test of the whole selector."""

    key: Key
    # the selector up to the keyed compound, tested on a key element; None when the key says
    # it all (".a", "#main", "[data-x=y]")
    key_test: etree.XPath | None
    descendant_tag: str | None  # None: the key elements are the matches; else the tag to visit
    # the whole selector, tested on a descendant; None when every descendant with the tag
    # matches (".a p")
    test: etree.XPath | None


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
    usable = [(index, found) for index, (compound, _) in enumerate(chain)
              if (found := _key_of(compound)) is not None
              and all(combinator in (" ", ">") for _, combinator in chain[index + 1:])]
    if not usable:
        return None
    # The most selective key; between equals, the one nearest the match (less to walk below).
    index, (key, key_node) = min(usable, key=lambda u: (_selectivity(u[1][0]), -u[0]))
    later_combinators = [combinator for _, combinator in chain[index + 1:]]
    try:
        test = etree.XPath("self::" + _step(tree))
        # Key elements carry the key by construction: their test leaves it out, which spares
        # the costliest condition (a class token) on every candidate.
        key_tree = _prefix(tree, len(chain) - 1 - index)
        if _found_exactly(key):
            key_tree = _without(key_tree, key_node)
        key_test = None if _is_anything(key_tree) else etree.XPath("self::" + _step(key_tree))
    except (etree.XPathSyntaxError, SelectorError, _Unsupported):
        return None
    tag = None if index == len(chain) - 1 else _TRANSLATOR.xpath(chain[-1][0]).element
    bare_descendant = (index == len(chain) - 2 and later_combinators == [" "]
                       and isinstance(chain[-1][0], Element))
    return _Part(key, key_test, tag, None if bare_descendant else test)


def _chain(tree: Any) -> list[tuple[Any, str | None]]:
    if isinstance(tree, CombinedSelector):
        return [*_chain(tree.selector), (tree.subselector, tree.combinator)]
    return [(tree, None)]


def _prefix(tree: Any, drop: int) -> Any:
    """The selector without its last `drop` compounds."""
    for _ in range(drop):
        tree = tree.selector
    return tree


def _key_of(compound: Any) -> tuple[Key, Any] | None:
    """The most selective index key the compound requires (on its main chain, not inside
    :not() or :has()), with the node of the compound that requires it: a class, else an id
    or an attribute value, else an attribute."""
    keys: list[tuple[Key, Any]] = []
    node = compound
    while node is not None and not isinstance(node, CombinedSelector):
        if isinstance(node, Class):
            return ("class", node.class_name, "", None), node
        if isinstance(node, Hash):
            keys.append((("attribute", "id", "=", node.id), node))
        elif isinstance(node, Attrib) and node.namespace is None:
            name = node.attrib.lower()
            if _ATTRIBUTE_NAME.match(name):
                value = node.value.value if node.value is not None else None
                keys.append((("attribute", name, node.operator, value), node))
        node = getattr(node, "selector", None)
    return min(keys, key=lambda found: _selectivity(found[0]), default=None)


def _selectivity(key: Key) -> int:
    kind, _, operator, value = key
    if kind == "class":
        return 0
    if not value:
        return 2
    return 0 if operator == "=" else 1


# Attribute operators whose elements the index finds exactly (see ClassIndex._lookup).
_EXACT_OPERATORS = frozenset({"=", "^=", "$=", "*="})


def _found_exactly(key: Key) -> bool:
    """Whether the index's elements for the key are exactly those that satisfy it."""
    kind, _, operator, value = key
    return kind == "class" or operator == "exists" or (operator in _EXACT_OPERATORS
                                                          and bool(value))


def _without(tree: Any, key_node: Any) -> Any:
    """The selector with the key's condition taken out of its last compound (a copy: the
    parsed tree is left as it was)."""
    if isinstance(tree, CombinedSelector):
        return CombinedSelector(tree.selector, tree.combinator,
                                _without(tree.subselector, key_node))
    if tree is key_node:
        return tree.selector
    inner = copy.copy(tree)
    inner.selector = _without(tree.selector, key_node)
    return inner


def _is_anything(tree: Any) -> bool:
    """Whether the selector is a bare `*` (or an element of any name)."""
    return (isinstance(tree, Element) and tree.element in (None, "*")
            and tree.namespace is None)


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


# Attributes of nearly every link or image: selectors only ask for them to be there (`a[href]`),
# mostly inside a small element, where a walk of that element is cheaper than reading them all.
_EVERYWHERE = frozenset({"href", "src"})


def attribute_names(queries: Iterable[str]) -> frozenset[str]:
    """The attributes whose values the class index should read in its first walk to serve
    these queries."""
    names: set[str] = set()
    for query in queries:
        for part in _plan(query) or ():
            kind, name, _, value = part.key
            if kind == "class":
                names.add("class")
            elif value or name not in _EVERYWHERE:
                names.add(name)
    return frozenset(names)


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
    keys = index.elements(part.key)
    if part.key_test is not None:
        keys = [element for element in keys if part.key_test(element)]
    if part.descendant_tag is None:
        return keys
    key_set = set(keys)
    matches = []
    for key in keys:
        if any(ancestor in key_set for ancestor in key.iterancestors()):
            continue  # its subtree is visited from the outer key already
        tag = None if part.descendant_tag == "*" else part.descendant_tag
        matches.extend(element for element in key.iterdescendants(tag)
                       if isinstance(element.tag, str)
                       and (part.test is None or part.test(element)))
    return matches


def _in_document_order(index: ClassIndex, elements: list[etree._Element]) -> list[etree._Element]:
    unique = list(dict.fromkeys(elements))
    # A few elements are placed by their paths from the root; many, by numbering the elements
    # with a class (or all of them) once.
    if len(unique) <= _MANY:
        return sorted(unique, key=_tree_path)
    if all(element in index.position for element in unique):
        return sorted(unique, key=index.position.__getitem__)
    numbering = {element: n for n, element in enumerate(index.root.iter())}
    return sorted(unique, key=numbering.__getitem__)


def _tree_path(element: etree._Element) -> list[int]:
    """The element's position as child indices from the root: sorts in document order."""
    path = []
    parent = element.getparent()
    while parent is not None:
        path.append(parent.index(element))
        element, parent = parent, parent.getparent()
    path.reverse()
    return path
