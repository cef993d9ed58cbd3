"""Bylines as a page shows them, for pages without a profile.

Three kinds of evidence, in order of trust, each read in the article before the rest of the
page: byline markup (schema.org `itemprop="author"`, `rel="author"`, hCard `fn` inside an
author or byline element, class names such as "byline" or "author"); links to an author's page
(`/author/jane-doe/`, `/autorin/...`, `/profil/...`); and a short line opening with a byline
label ("Posted by", "Von", "Autor:"). Comments, teaser cards of other stories and navigation
never give the author: their names belong to someone else.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from urllib.parse import unquote, urlsplit

from lxml import etree

from newscrawl.extraction.authors import clean_author_names
from newscrawl.extraction.bodyfinder import BodyFinding
from newscrawl.extraction.boilerplate import COMMENT_WORDS as THREAD_WORDS
from newscrawl.extraction.boilerplate import is_named, name_words
from newscrawl.extraction.text import normalize_space, text_pieces

# Class/id words of a byline or of the element holding the author's name.
BYLINE_WORDS = frozenset({"byline", "bylines", "author", "authors", "authorname", "byauthor",
                          "postauthor", "entryauthor", "articleauthor", "writer", "contributor",
                          "contributors", "autor", "autoren", "auteur", "verfasser"})
NAME_WORDS = frozenset({"fn", "name", "authorname", "username", "nickname", "displayname"})
# Class/id words of comment threads and forms: the names there are the commenters'.
COMMENT_WORDS = THREAD_WORDS | {"discussion", "reactions"}
NAVIGATION_TAGS = frozenset({"nav", "form", "menu", "select", "button", "label"})
# Path segments of the page a site keeps for each author (or forum member).
AUTHOR_PATHS = ("author", "authors", "autor", "autoren", "autorin", "autorinnen", "auteur",
                "auteurs", "autore", "autori", "autores", "autora", "profil", "profile",
                "profiles", "people", "journalist", "journalisten", "redakteur", "mitarbeiter",
                "contributor", "contributors", "writer", "writers", "columnist", "members",
                "member", "user", "users", "benutzer", "usuario", "utilisateur")
# Substrings of those paths, for a first cut; `_is_author_page` decides. One regular
# expression over each link's href in a loop: 0.40 against 0.91 ms a page (segments.json) for
# libxml2's XPath of sixteen contains() tests, even asked on the href attribute nodes.
_AUTHOR_HINT = re.compile("uthor|utor|uteur|profil|member|user|people|journalist|redakteur|"
                          "mitarbeiter|ontributor|writer|columnist|benutzer|usuario|tilisateur")
_MARKED_CLASS = re.compile("uthor|yline|yLine|ontributor|utor|uteur")


def _marked(scope: etree._Element) -> list[etree._Element]:
    """The elements under `scope` with byline markup (itemprop or rel author, a byline class
    name), in document order. A loop over lxml's element iterator, not an XPath of nine
    contains() tests: measured on the 505 pages of the open-web dates set, 1.1 ms a page
    against 2.9 ms, the same elements."""
    found = []
    for element in scope.iterdescendants(etree.Element):
        rel, classes = element.get("rel"), element.get("class")
        if (element.get("itemprop") == "author" or (rel is not None and "author" in rel)
                or (classes is not None and _MARKED_CLASS.search(classes))):
            found.append(element)
    return found


# A line that opens with a byline label: "Posted by Jane Doe", "Autor: Jane Doe", "Von Jane Doe".
_LABELLED = re.compile(
    r"^(?:(?:\w+\s+){0,2}(?:posted|written|published|veröffentlicht|geschrieben|eingestellt|"
    r"verfasst|publiziert|publié|écrit|publicado|escrito|pubblicato|scritto|beitrag|artikel|"
    r"text)\s+(?:by|von|par|por|da|di|door)|by|von|par|por|autor|autorin|author|auteur|autore|"
    r"text|texte|verfasser)\s*[:：]?\s+\S", re.IGNORECASE)
MAX_BYLINE = 120  # characters: a longer line is prose that mentions a name
MAX_BYLINE_WORDS = 14
# Lower-case words a shown name may hold ("Ursula von der Leyen", "Luiz Inácio da Silva").
PARTICLES = frozenset({"von", "van", "der", "den", "de", "del", "della", "di", "da", "do", "dos",
                       "das", "du", "des", "le", "la", "bin", "ibn", "al", "el", "y", "e", "ter",
                       "zu", "vom", "zum", "und", "and"})
_LABELLED_WINDOW = 3  # blocks around the headline and at the edges of the body


def byline_names(root: etree._Element, scope: etree._Element | None, finding: BodyFinding,
                 url: str) -> list[str]:
    """The names of the article's byline, from the most trusted evidence that has any."""
    return (marked_names(root, scope, finding, url)
            or author_link_names(root, scope, finding, url) or labelled_lines(finding))


def _excluded(element: etree._Element, root: etree._Element, finding: BodyFinding,
              url: str) -> bool:
    """A commenter's name, a teaser card's author or a navigation link."""
    for node in (element, *element.iterancestors()):
        if node.tag in NAVIGATION_TAGS or is_named(node, COMMENT_WORDS):
            return True
        if finding.flagged.get(node) in ("related", "unseen"):
            return True
        if node in finding.cards and not _own_card(node, url):
            return True
        if node is root:
            break
    return False


def _own_card(card: etree._Element, url: str) -> bool:
    """A "card" that is the article's own header: its headline is the page's h1, or its link
    is the page itself (blogs link the headline of a post to the post)."""
    if next(card.iter("h1"), None) is not None:
        return True
    path = _path(url)
    return any(_path(a.get("href") or "") == path for a in card.iter("a"))


def _path(href: str) -> str:
    try:
        return urlsplit(href).path.rstrip("/")
    except ValueError:
        return ""


def _in_order(elements: list[etree._Element], scope: etree._Element | None
              ) -> Iterator[etree._Element]:
    """Elements of the article first, then the others, each in document order."""
    if scope is None:
        yield from elements
        return
    inside = [e for e in elements if e is scope or any(a is scope for a in e.iterancestors())]
    seen = set(inside)
    yield from inside
    yield from (e for e in elements if e not in seen)


def _first_group(root: etree._Element, scope: etree._Element | None, finding: BodyFinding,
                 url: str, elements: list[etree._Element],
                 read: Callable[[etree._Element], str | None]) -> list[str]:
    """Names read from the first element that shows one and from the elements beside it (a
    byline naming several authors marks each of them)."""
    group: etree._Element | None = None
    names: list[str] = []
    for element in _in_order(elements, scope):
        if group is not None and not any(a is group for a in element.iterancestors()):
            continue
        if _excluded(element, root, finding, url):
            continue
        found = shown_names(read(element))
        if found:
            names.extend(found)
            if group is None:
                group = element.getparent() if element.getparent() is not None else element
    return clean_author_names(names)


def shown_names(text: str | None) -> list[str]:
    """The names in a byline's text, written the way names are: each word capitalised but for
    particles, or one word (a user name). A longer text is a biography, not a byline."""
    if not text or len(text) > MAX_BYLINE or len(text.split()) > MAX_BYLINE_WORDS:
        return []
    return [name for name in clean_author_names([text]) if _written_as_name(name)]


def _written_as_name(name: str) -> bool:
    words = name.split()
    return len(words) == 1 or all(
        w.casefold() in PARTICLES or not w[0].isalpha() or w[0].isupper() for w in words)


def marked_names(root: etree._Element, scope: etree._Element | None, finding: BodyFinding,
                 url: str) -> list[str]:
    """Names in byline markup: microdata, rel=author, hCard and byline class names; the
    article's markup is searched alone first (the search of the whole page costs more)."""
    if scope is not None:
        found = _first_group(root, scope, finding, url, _marked(scope), _marked_text)
        if found:
            return found
    return _first_group(root, scope, finding, url, _marked(root), _marked_text)


def _marked_text(element: etree._Element) -> str | None:
    itemprop = (element.get("itemprop") or "").lower()
    rel = (element.get("rel") or "").lower().split()
    if itemprop == "author":
        inner = next((e for e in element.iter() if e.get("itemprop") == "name"), element)
        return spaced_text(inner) or normalize_space(inner.get("content"))
    if "author" in rel:
        return spaced_text(element)
    words = name_words(element)
    if not words & BYLINE_WORDS:
        return None
    inner = next((e for e in element.iterdescendants() if isinstance(e.tag, str)
                  and is_named(e, NAME_WORDS)), None)
    return spaced_text(inner if inner is not None else element)


def author_link_names(root: etree._Element, scope: etree._Element | None,
                      finding: BodyFinding, url: str) -> list[str]:
    """The text of links to an author's page on the page's own site."""
    host = urlsplit(url).hostname or ""
    links = [a for a in root.iter("a") if (href := a.get("href")) is not None
             and _AUTHOR_HINT.search(href) and _is_author_page(href, host)]
    return _first_group(root, scope, finding, url, links, spaced_text)


def _is_author_page(href: str, host: str) -> bool:
    try:
        parts = urlsplit(href)
        path = unquote(parts.path).lower()
    except ValueError:
        return False
    other = (parts.hostname or "").removeprefix("www.")
    if other and other != host.removeprefix("www.") and not other.endswith(
            "." + host.removeprefix("www.")) and not host.endswith("." + other):
        return False  # a profile on another site (a video channel, a social network)
    segments = [s for s in path.split("/") if s]
    # The author's own page: the segment is followed by the author's id, not the last one.
    return any(s.split("-")[0] in AUTHOR_PATHS or s in AUTHOR_PATHS
               for s in segments[:-1]) or any(
        s.split("-", 1)[0] in ("profil", "profile", "author", "autor") and "-" in s
        for s in segments[-1:])


def labelled_lines(finding: BodyFinding) -> list[str]:
    """A short line opening with a byline label, next to the headline or at either end of the
    body (where blogs and small sites write "Posted by Jane Doe")."""
    blocks, body = finding.all_blocks, finding.blocks
    if not body:
        return []
    index = {id(b): i for i, b in enumerate(blocks)}
    first, last = index.get(id(body[0])), index.get(id(body[-1]))
    if first is None or last is None:
        return []
    window = [*blocks[max(0, first - _LABELLED_WINDOW):first + _LABELLED_WINDOW],
              *blocks[max(first + _LABELLED_WINDOW, last - _LABELLED_WINDOW + 1):last + 1]]
    for block in window:
        text = normalize_space(block.text)
        if _LABELLED.match(text) and (names := shown_names(text)):
            return names
    return []


def spaced_text(element: etree._Element | None) -> str:
    """An element's visible text with a space between the texts of its elements, so markup
    that glues a label to a name ("<span>Author</span><a>Jane Doe</a>") keeps them apart."""
    if element is None:
        return ""
    return normalize_space(" ".join(text_pieces(element)))


# -- a first name alone ----------------------------------------------------------------------
def full_name(name: str, people: list[dict]) -> str:
    """A one-word author ("Nils", a CMS display name) with the surname the author's JSON-LD
    Person description opens with ("Nils Pickert ist freier Autor..."), where one does;
    else `name`."""
    if " " in name or not name[:1].isupper() or not name.isalpha():
        return name
    pattern = re.compile(rf"{re.escape(name)}\s+([A-ZÀ-ÖØ-Þ][^\W\d_]+(?:-[A-ZÀ-ÖØ-Þ]"
                         r"[^\W\d_]+)?)(?![\w-])")
    surnames = {match[1] for person in people
                if isinstance(person.get("description"), str)
                and (match := pattern.match(person["description"].strip()))}
    return f"{name} {surnames.pop()}" if len(surnames) == 1 else name
