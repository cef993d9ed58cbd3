"""What a reader of a news page does not read as the article: recognised from markup alone.

The rules look at tags, ARIA roles, hiding attributes and the words of class and id names.
They hold for news sites in general; none names a site. A name is only a hint: the body finder
keeps a named block anyway when it holds most of the page's article text.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import lru_cache
from typing import Literal

from lxml import etree

from newscrawl.extraction.text import UNSEEN_TAGS

# Elements whose content is never article text: navigation, page furniture, media, forms.
FURNITURE_TAGS = frozenset({"nav", "aside", "footer", "header", "menu", "dialog", "figure",
                            "figcaption", "picture", "video", "audio", "object", "embed",
                            "canvas", "map", "address"})
FURNITURE_ROLES = frozenset({"navigation", "banner", "contentinfo", "complementary", "dialog",
                             "alertdialog", "menu", "menubar", "toolbar", "search", "button",
                             "tablist", "alert", "figure"})

# Words of class/id names, by what they mark. Comment threads and their forms, in the
# languages most pages name them in: the names and dates there are the commenters'.
COMMENT_WORDS = frozenset({
    "comment", "comments", "commenting", "commentlist", "commentform", "disqus", "respond",
    "reply", "replies", "kommentare", "kommentar", "commentaires", "comentarios", "commenti",
    "reacties",
})
# "related" blocks hold links to other stories.
RELATED_WORDS = frozenset({
    "related", "recommend", "recommended", "recommendations", "recommendation", "readmore",
    "morestories",
    "morenews", "morearticles", "moreon", "morefrom", "alsoread", "readalso", "seealso",
    "trending", "popular", "mostread", "mostpopular", "mostviewed", "outbrain", "taboola",
    "teasers", "suggested", "suggestions", "crosslinks", "furtherreading", "upnext",
    "nextup", "linkbox", "storylinks", "relatedlinks",
})
FURNITURE_WORDS = frozenset({
    "share", "sharing", "sharebar", "social", "newsletter", "newsletters", "subscribe",
    "subscription", "signup", "promo", "promotion", "advert", "advertisement", "ad", "ads",
    "adslot", "adunit", "dfp", "gpt", "sponsor", "sponsored", "cookie", "cookies", "consent",
    "gdpr", "privacy", "onetrust", "didomi", "usercentrics", "regwall", "footer", "nav",
    "navbar", "navigation", "menu", "breadcrumb", "breadcrumbs",
    # a "placeholder" stands in for what is not loaded: an ad, a video, an embed that asks
    # for consent first
    "sidebar", "widget", "popup", "modal", "overlay", "placeholder", "caption", "captions",
    "credit", "credits", "copyright", "byline", "bylines", "author", "authors", "meta",
    "metadata",
    "toolbar", "tags", "keywords", "topics", "gallery", "slideshow", "carousel",
    "player", "podcast", "banner", "masthead", "skip", "tooltip", "feedback",
    "rating", "survey", "donate", "donation", "login", "signin", "register",
    "headline", "kicker", "dateline", "timestamp", "date", "toc", "disclaimer", "bio",
    "authorbio", "authorbox", "authorinfo", "authorprofile", "authorcard",
    # glued by some themes: "postmetadata", "entryfooter"
    "postmetadata", "postmeta", "entrymeta", "entryfooter", "postfooter",
    # an image's legend is its caption; a quoted post of another site is none of the text
    "legend", "tweet",
}) | COMMENT_WORDS
# Names and tags that never turn out to be a styling hook of the article itself, however much
# text they hold (a cookie policy can be longer than the story).
FIRM_WORDS = frozenset({
    "cookie", "cookies", "consent", "gdpr", "privacy", "onetrust", "didomi",
    "usercentrics", "newsletter", "newsletters",
    "outbrain", "taboola", "social", "share", "sharing", "breadcrumb", "breadcrumbs", "nav",
    "navbar", "navigation", "menu", "footer", "popup", "modal", "related",
    "recommend", "recommended", "mostread", "mostpopular", "trending",
}) | COMMENT_WORDS
FIRM_TAGS = frozenset({"nav", "footer", "aside", "dialog", "menu", "figure", "figcaption"})
# Firm words for furniture made of links and buttons (menus, share bars, breadcrumbs): such an
# element cannot hold much prose of its own, so one that holds most of the page's prose is a
# wrapper whose name says what it also holds ("entry share", "nav_menu-8" left unclosed).
LINK_FURNITURE_WORDS = frozenset({"social", "share", "sharing", "breadcrumb", "breadcrumbs",
                                  "nav", "navbar", "navigation", "menu"})
# Classes naming taxonomy terms ("tag-social category-navigation", written by CMSs on a post's
# wrapper, one per term) say what the post is about, not what the element is; a lone one may
# name a part of the page ("category-nav").
TAXONOMY_PREFIXES = frozenset({"tag", "category", "categories", "cat", "topic", "term"})
# Screen-reader-only text is not shown on the page.
SCREEN_READER_CLASSES = frozenset({"sr-only", "visually-hidden", "visuallyhidden",
                                   "screen-reader-text", "screenreader-only", "offscreen",
                                   "sr-text", "a11y-hidden", "u-hidden", "is-hidden", "hide",
                                   "hidden", "d-none", "element-invisible",
                                   "aural", "screen-reader-only", "screenreader",
                                   "u-visually-hidden", "hidden-visually", "ym-hideme"})

CAPTION_WORDS = frozenset({"caption", "captions", "credit", "credits", "copyright", "legend"})
# Words that label a picture's caption or credit in its text ("Photo: Jane Doe", "Bild: ..."),
# as a regular-expression alternation.
PICTURE_LABELS = r"photo(?:graph)?s?|pictures?|images?|fotos?|bild(?:er)?|credits?|crédits?|фото"
# Words that start no other word a class name would use ("comment" would: "commentary").
GLUED_PREFIXES = ("related", "recommend", "readmore", "outbrain", "taboola", "newsletter",
                  "cookie", "advert", "sponsor", "breadcrumb", "sharing", "sharebar")
MODIFIER_WORDS = frozenset({"with", "has", "no", "without", "enable", "enabled", "is",
                            "can", "allow", "hide", "disable", "disabled", "before", "after"})
STATE_WORDS = frozenset({"enabled", "disabled", "open", "opened", "closed", "active", "visible",
                         "loaded", "allowed", "on", "off"})
TEXT_HEADS = frozenset({"text", "body", "content", "paragraph", "paragraphs", "prose", "copy",
                        "richtext"})
_NAME_WORD = re.compile(r"[a-z0-9]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.IGNORECASE)

Kind = Literal["unseen", "furniture", "related"]

# Headings written over other stories' links ("Mehr zum Thema", "Related articles") and over
# an author's biography, in the languages most pages are written in; compared casefolded,
# without closing punctuation. Those whose words run together are a related block's class
# word ("Read more", "See also") are not repeated here: see `other_content_heading`.
RELATED_HEADINGS = frozenset("""
related articles|related stories|related posts|related content|more on this topic|
more on this story|you may also like|you might also like|recommended for you|mehr zum thema|
zum thema|zum weiterlesen|weiterlesen|lesen sie auch|
lies auch|auch interessant|das könnte sie auch interessieren|das könnte dich auch interessieren|
das könnte sie interessieren|ähnliche artikel|ähnliche beiträge|verwandte artikel|
weitere artikel|mehr dazu|passend zum thema|mehr aus dem ressort|à lire aussi|a lire aussi|
lire aussi|voir aussi|sur le même sujet|articles liés|dans la même rubrique|lee también|
te puede interesar|noticias relacionadas|artículos relacionados|te recomendamos|leggi anche|
articoli correlati|potrebbe interessarti|lees ook|gerelateerde artikelen|
meer over dit onderwerp|leia também|veja também|notícias relacionadas|leia mais|
czytaj także|czytaj też|zobacz też|zobacz także|polecamy""".replace("\n", "").split("|"))
AUTHOR_BIO_HEADINGS = frozenset("""
about the author|über den autor|über die autorin|zum autor|zur autorin|à propos de l'auteur|
sobre el autor|sobre a autora|sobre o autor|sull'autore|over de auteur|o autorze""".replace(
    "\n", "").split("|"))
_CLOSING_MARKS = " :.…!?»>›-–—"


def other_content_heading(text: str) -> Literal["related", "bio"] | None:
    """Whether a short line heads other stories' links or the author's biography. A heading
    whose words, run together, name a related block ("Read more", "See also", "Trending")
    is read with the class-name words of `RELATED_WORDS`."""
    line = " ".join(text.split()).rstrip(_CLOSING_MARKS).casefold()
    if line in RELATED_HEADINGS or line.replace(" ", "") in RELATED_WORDS:
        return "related"
    return "bio" if line in AUTHOR_BIO_HEADINGS else None


# Words are kept as tuples of strings (a word may repeat: they are only tested against
# sets), which the collector stops tracking, where it keeps tracking every set. The caches
# below gain about 180 entries a page on a crawl of many sites, and as sets they made the
# collector walk all the process's objects every 80 pages (segments.json: 4 full
# collections of 60-90 ms in 459 pages).
Words = tuple[str, ...]


def name_words(element: etree._Element) -> frozenset[str]:
    """The words of an element's class and id ("c-RelatedLinks__list" gives related, links,
    list, relatedlinks, c); glued pairs are kept too so "readMore" and "read-more" meet."""
    return frozenset(_element_words(element))


def is_named(element: etree._Element, words: frozenset[str]) -> bool:
    """Whether the words of the element's class and id (see `name_words`) hold one of these."""
    return not words.isdisjoint(_element_words(element))


def _element_words(element: etree._Element) -> Words:
    classes, identifier = element.get("class"), element.get("id")
    if not identifier:
        return _class_words(classes) if classes else ()
    words = _id_words(identifier)
    return (*_class_words(classes), *words) if classes else words


def _words_of_names(names: str, words_of_name: Callable[[str], tuple[bool, Words]]) -> Words:
    split = [words_of_name(name) for name in names.split()]
    if len(split) == 1:
        return split[0][1]
    # Several "tag-x"/"category-y" names: the terms a CMS files the post under.
    skip_terms = sum(term for term, _ in split) > 1
    return tuple(word for term, words in split if not (skip_terms and term) for word in words)


def _name_parts(names: str) -> list[str]:
    """The lower-case parts of names, camel case split ("readMore" gives read, more); an
    all-lower-case name ("col-md-6") has no camel case to split."""
    return _NAME_WORD.findall(names if names.islower() else _CAMEL.sub("-", names).lower())


def _words_of_one_name(name: str) -> tuple[bool, Words]:
    """Whether one class name files the post under a taxonomy term, and its words."""
    # The common case, a lower-case ASCII word, has nothing to split.
    simple = name.isascii() and name.isalnum() and name.islower()
    parts = [name] if simple else _name_parts(name)
    term = len(parts) > 1 and parts[0] in TAXONOMY_PREFIXES
    if not parts or parts[0] in MODIFIER_WORDS or parts[-1] in STATE_WORDS:
        return term, ()  # "has-sidebar", "comments-enabled": a state, not a part
    if parts[0] == "js" and len(parts) > 1:
        return term, ()  # "js-readmore": a hook for a script, not a part's name
    if parts[-1] in TEXT_HEADS and len(parts) > 1:
        # "article-widget-text" is named last for what it is, a piece of text; only words
        # that no text of the article carries still count ("caption-text").
        return term, tuple(p for p in parts if p in FIRM_WORDS or p in CAPTION_WORDS)
    words = [*parts, *map(str.__add__, parts, parts[1:])]
    # Glued compounds ("relatedposts", "newsletterbox") count as their first word.
    for part in parts:
        if part.startswith(GLUED_PREFIXES):  # one C call for the common miss
            words.extend(p for p in GLUED_PREFIXES if part.startswith(p) and part != p)
    return term, tuple(words)


# Pages repeat the same class string thousands of times, and sites share most of its names
# ("container", "entry-content"): each string, and each name in it, is split once.
_cached_words_of_one_name = lru_cache(maxsize=16384)(_words_of_one_name)


@lru_cache(maxsize=8192)
def _class_words(classes: str) -> Words:
    return _words_of_names(classes, _cached_words_of_one_name)


def is_hidden(element: etree._Element) -> bool:
    # A loop over the few attributes, not a dict of them: asked of every element of every
    # paragraph, most of which have one attribute or none.
    for name, value in element.items():
        if name == "class":
            if value and _screen_reader_only(value):
                return True
        elif _hides(name, value):
            return True
    return False


def _hides(name: str, value: str) -> bool:
    """Whether one attribute other than the class hides its element."""
    return name == "hidden" or (name == "aria-hidden" and value == "true") or (
        name == "style" and _HIDDEN_STYLE.search(value) is not None)


@lru_cache(maxsize=8192)
def _screen_reader_only(classes: str) -> bool:
    return not SCREEN_READER_CLASSES.isdisjoint(classes.lower().split())


def is_firm(element: etree._Element) -> bool:
    """Boilerplate whatever it holds (see FIRM_WORDS), unless named only for link furniture."""
    return element.tag in FIRM_TAGS or has_own_prose(element)


def has_own_prose(element: etree._Element) -> bool:
    """Named for boilerplate that may hold long prose of its own: a cookie policy, comments,
    related stories with their excerpts (a firm name that is not link furniture)."""
    return bool((name_words(element) & FIRM_WORDS) - LINK_FURNITURE_WORDS)


def classify(element: etree._Element, tag: str | None = None) -> Kind | None:
    """Why a reader would not read this element as article text, or None. `tag` is the
    element's tag where the caller has read it already (lxml makes a new string each time)."""
    if tag is None:
        tag = element.tag
    if tag in UNSEEN_TAGS:
        return "unseen"
    items = element.items()  # one call into lxml instead of one per attribute
    if not items:
        return "furniture" if tag in FURNITURE_TAGS else None
    if len(items) == 1 and items[0][0] == "class":  # four elements in ten: worked out once
        return _classed_kind(tag, items[0][1])
    classes = identifier = role = None
    for name, value in items:
        if name == "class":
            classes = value
        elif name == "id":
            identifier = value
        elif name == "role":
            role = value
        elif _hides(name, value):
            return "unseen"
    screen_reader_only, kind = _class_verdict(classes) if classes else (False, None)
    if screen_reader_only:
        return "unseen"
    if tag in FURNITURE_TAGS or (role or "").lower() in FURNITURE_ROLES:
        return "furniture"
    if tag in ("html", "body", "main", "article"):
        return None
    if not identifier or kind == "related":
        return kind
    return _id_kind(identifier) or kind


@lru_cache(maxsize=8192)
def _classed_kind(tag: str, classes: str) -> Kind | None:
    """`classify` for an element whose one attribute is its class."""
    screen_reader_only, kind = _class_verdict(classes)
    if screen_reader_only:
        return "unseen"
    if tag in FURNITURE_TAGS:
        return "furniture"
    return None if tag in ("html", "body", "main", "article") else kind


def _kind_of_words(words: Words) -> Kind | None:
    if not RELATED_WORDS.isdisjoint(words):
        return "related"
    if not FURNITURE_WORDS.isdisjoint(words):
        return "furniture"
    return None


# Every element of every page is classified: a class string's verdict is worked out once.
@lru_cache(maxsize=8192)
def _class_verdict(classes: str) -> tuple[bool, Kind | None]:
    return _screen_reader_only(classes), _kind_of_names(classes, _class_words)


def _id_kind(identifier: str) -> Kind | None:
    return _kind_of_names(identifier, _id_words)


# Apart from the class strings' cache: a page repeats a class string thousands of times, but
# each id once; the same element's id is still asked about by several readers (the body
# finder, the dates, the bylines, the figures: a quarter of the ids asked on segments.json).
@lru_cache(maxsize=2048)
def _id_words(identifier: str) -> Words:
    return _words_of_names(identifier, _words_of_one_name)


_KIND_WORDS = RELATED_WORDS | FURNITURE_WORDS


def _kind_of_names(names: str, words_of: Callable[[str], Words]) -> Kind | None:
    """The kind the words of these names give, their words worked out (by `words_of`) only
    where one of them can be a boilerplate word: six class strings in ten hold none. Each
    page of a site new to the process brings about 120 class strings no earlier page had;
    the first cut costs a third of working out their words (2.5 against 7.4 µs a string,
    segments.json)."""
    return _kind_of_words(words_of(names)) if _may_name_a_kind(names) else None


def _may_name_a_kind(names: str) -> bool:
    parts = _name_parts(names)
    # A superset of the words `_words_of_one_name` gives: parts, glued pairs (here also across
    # two names), glued compounds.
    return not (_KIND_WORDS.isdisjoint(parts)
                and _KIND_WORDS.isdisjoint(map(str.__add__, parts, parts[1:]))
                and not any(part.startswith(GLUED_PREFIXES) for part in parts))
