"""Headlines: the site's name taken off title tags, and several sources reconciled."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Sequence
from functools import lru_cache
from urllib.parse import unquote, urlsplit

from lxml import etree

from newscrawl.extraction.boilerplate import is_named
from newscrawl.extraction.pagedates import figures_date_length
from newscrawl.extraction.text import decode_entities, element_text, normalize_space

# Separators between a headline and the site or section name in <title> and og:title.
_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ", " · ", "：", " : ", " « ", " » ")
# "Site: headline" (or a kicker, "Live: headline") only ever leads.
_PREFIX_SEPARATORS = (*_SEPARATORS, ": ")
_AFFIX_WORDS = 5
_KICKER_WORDS = 12
# A one-word heading this long is a headline (a compound, "Mandarinen-Schmand-Kuchen", or a
# sentence in a script written without spaces), not a section's name.
_HEADLINE_WORD = 12
MIN_SEGMENT_WORDS = 4
_KEY = re.compile(r"\W+")
_BRACKETED_TAIL = re.compile(r"^(.{10,}?)\s+\(([^()]{2,60})\)$")
_WORD = re.compile(r"[^\W_]+")
_ELLIPSIS = ("…", "...")
_FILE_EXTENSION = re.compile(r"\.(?:s?html?|php|aspx?)$", re.IGNORECASE)
# A headline cut at a length limit: schema.org and Google ask for at most 110 characters.
_CUT_AT_LIMIT = 100
# Host labels that never name the site: "www.", "co.uk", "com.au".
_NOT_A_NAME = frozenset({"www", "m", "amp", "mobile", "com", "co", "org", "net", "gov", "ac"})


def _key(text: str) -> str:
    return _KEY.sub("", text.casefold())


def clean_title(value: str | None) -> str:
    """Whitespace normalised, HTML entities left in by a CMS decoded (also when escaped twice,
    as `&amp;amp;` in JSON-LD written by a template that escapes already escaped text)."""
    return _without_leading_date(normalize_space(decode_entities(normalize_space(value))))


# After a date opening a title: "23.01.2022 - Headline", "2021/05/03 | Headline"
_DATE_SEPARATOR = re.compile(r"\s+[-–—|:]\s+(?=\S)")


def _without_leading_date(title: str) -> str:
    """A title without the dateline set before it."""
    end = figures_date_length(title)
    separator = _DATE_SEPARATOR.match(title, end) if end else None
    return title[separator.end():] if separator else title


def heading_text(element: etree._Element) -> str:
    """The text a heading shows, without its ruby annotations (<rt>, <rp>): the readings set
    over Japanese or Chinese characters are a reading aid, not words of the headline, which
    the page's metadata spells without them. A date set in the heading (a `time`, an element
    named for a date) is its dateline, and a label or badge ("Live", a forum thread's
    prefix) tags it: neither is words of the headline."""
    skip = {e for e in element.iterdescendants() if e.tag in _NOT_HEADLINE_TAGS
            or is_named(e, _NOT_HEADLINE_NAMES)}
    return normalize_space(element_text(element, skip=skip))


_NOT_HEADLINE_TAGS = frozenset({"rt", "rp", "time"})
_NOT_HEADLINE_NAMES = frozenset({"date", "label", "badge"})


def host_names(host: str) -> list[str]:
    """Labels of a host name that may name the site: "edition.cnn.com" -> edition, cnn."""
    labels = host.lower().split(".")[:-1]  # the top-level domain names no site
    return [label for label in labels if label and label not in _NOT_A_NAME]


def strip_site_name(title: str, names: Iterable[str]) -> str:
    """Drop a leading or trailing "| Site name" (or section name) from a title, with what
    follows the site's name ("Headline | Site | Tagline") and a site's name in brackets
    after the headline ("Headline (Site)")."""
    keys = [k for k in (_key(n) for n in names if n) if len(k) >= 2]
    if not keys:
        return title
    bracketed = _BRACKETED_TAIL.match(title)
    if bracketed and _names_one_of(bracketed.group(2), keys):
        return bracketed.group(1).strip()
    for separator in _SEPARATORS:
        if separator not in title:
            continue
        parts = title.split(separator)
        named = next((i for i, part in enumerate(parts) if i and _names_one_of(part, keys)),
                     None)
        if named is not None and separator.join(parts[:named]).strip():
            return separator.join(parts[:named]).strip()
        first, _, rest = title.partition(separator)
        if rest.strip() and _names_one_of(first, keys):
            return rest.strip()
    return title


def _names_one_of(text: str, keys: Sequence[str]) -> bool:
    """Whether `text` is one of the names, or a part of one, or one with a word or two more
    ("Gothamist" of "Gothamist News"); a headline that merely holds a short name ("DRK: more
    people need help" on drk.de) is none."""
    key = _key(text)
    return bool(key) and any(key == k or (len(key) >= 4 and (
        key in k or (k in key and len(key) <= 2 * len(k) + 4))) for k in keys)


def names_the_site(text: str | None, names: Iterable[str]) -> bool:
    """Whether a heading's text is the site's name (a blog's title in its h1)."""
    keys = [k for k in (_key(n) for n in names if n) if len(k) >= 2]
    return bool(text) and bool(keys) and _names_one_of(text, keys)


def is_site_part(text: str, title: str, url: str | None) -> bool:
    """Whether `text` is the site-name half of the page's <title>: the title is the text and
    another part, and the other part is what the URL's slug spells (the story's headline)."""
    if not title or text == title:
        return False
    parts = title_segments(title)
    if typographic_key(text) not in {typographic_key(p) for p in parts}:
        return False
    slug = slug_words(url)
    return any(matches_slug(p, slug) for p in parts if p != text)


def title_segments(title: str) -> list[str]:
    """A title split at its separators: "Site » Archive » Headline" gives three parts."""
    parts = [title]
    for separator in _SEPARATORS:
        parts = [p for part in parts for p in part.split(separator)]
    return [p.strip() for p in parts if p.strip()]


def slug_segment(title: str | None, url: str | None) -> str | None:
    """The part of a title that the URL's slug spells word for word, if any: the headline,
    whatever site and section names stand around it."""
    if not title:
        return None
    slug = slug_words(url)
    return next((part for part in title_segments(title) if matches_slug(part, slug)), None)


def heading_segment(title: str | None, headings: Iterable[str]) -> str | None:
    """The part of a title that the page shows as a heading, when the title has several parts:
    the headline, whatever site and section names stand around it."""
    if not title:
        return None
    parts = title_segments(title)
    if len(parts) < 2:
        return None
    shown = {typographic_key(h) for h in headings if h}
    return next((part for part in parts if typographic_key(part) in shown), None)


def longest_segment(title: str | None) -> str | None:
    """Of a title in three parts or more ("Site - Headline - Section - Module"), the longest
    part, where it is a phrase: the names around a headline are shorter. Not the last part,
    where a site's tagline stands ("Post - Blog - Pictures, news and stories!")."""
    parts = title_segments(title) if title else []
    if len(parts) < 3:
        return None
    longest = max(parts[:-1], key=len)
    if len(longest) < len(parts[-1]) or len(longest.split()) < MIN_SEGMENT_WORDS:
        return None
    return longest


def typographic_key(text: str) -> str:
    """A title with its quotes, dashes and spaces folded: the same headline written with
    straight quotes in metadata and typographic ones on the page agrees with itself."""
    return " ".join(text.translate(_TYPOGRAPHY).split())


_TYPOGRAPHY = str.maketrans({"‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'", "´": "'",
                             "“": '"', "”": '"', "„": '"', "‟": '"', "«": '"', "»": '"',
                             "–": "-", "—": "-", "‐": "-", "‑": "-", "\xad": None})


def strip_shared_affix(title: str, others: Iterable[str]) -> str:
    """`title` without a "| Section" or "Site: " affix, when what remains is exactly another
    source's title: the other source shows the affix is no part of the headline, whatever
    name it holds (a section or site name the page does not declare). The affix must be the
    shorter part: an h1 holding the site's name leaves "Headline | Site" alone."""
    for other in others:
        if not other or len(other) >= len(title):
            continue
        for separator in _SEPARATORS:
            affix = title.removeprefix(other + separator)
            if affix != title and _is_affix(affix, other):
                return other
        for separator in _PREFIX_SEPARATORS:
            affix = title.removesuffix(separator + other)
            if affix != title and _is_affix(affix, other):
                return other
    return title


def strip_kicker(heading: str, others: Iterable[str]) -> str:
    """A visible heading that is another source's title with a kicker set before it (or a
    subtitle after it) in the same element, "Tunesien Große Aufgaben für die neue Regierung":
    the other source shows where the headline starts."""
    for other in others:
        if not other or len(other) >= len(heading) or len(other.split()) < 2:
            continue
        if heading.endswith(other) and not heading[-len(other) - 1].isalnum():
            rest = heading[:-len(other)]
        elif heading.startswith(other) and not heading[len(other)].isalnum():
            rest = heading[len(other):]
        else:
            continue
        if _KICKER_WORDS >= len(rest.split()) > 0:
            return other
    return heading


def is_short_name(heading: str) -> bool:
    """One word too short to be a headline: a section's, a place's or a site's name."""
    return len(heading.split()) < 2 and len(heading) < _HEADLINE_WORD


def around_heading(title: str, heading: str) -> str:
    """A metadata title that is the visible heading with a few words added before or after
    it ("Receita de Sequilho com Chocolate Amargo" for the h1 "Sequilho com Chocolate Amargo",
    "Mandarinen-Schmand-Kuchen von jesusfreak", "NEWS WEB EASY|子どもへの…"): those words
    were written for search engines, and the heading is the headline."""
    if not heading or len(heading) >= len(title) or is_short_name(heading):
        return title
    if title.startswith(heading) and not title[len(heading)].isalnum():
        rest = title[len(heading):]
    elif title.endswith(heading) and not title[-len(heading) - 1].isalnum():
        rest = title[:-len(heading)]
    else:
        return title
    return heading if _is_affix(rest.strip(" -–—|:»«·•"), heading) else title


def _is_affix(affix: str, kept: str) -> bool:
    return bool(affix.strip()) and len(affix) < len(kept) and len(affix.split()) <= _AFFIX_WORDS


def _is_truncation(short: str, full: str) -> bool:
    """Whether `short` is `full` cut off: with an ellipsis, or at a length limit."""
    if len(short) >= len(full):
        return False
    for mark in _ELLIPSIS:
        if short.endswith(mark):
            stem = short[:-len(mark)].rstrip()
            return len(stem) >= 10 and full.startswith(stem)
    return len(short) >= _CUT_AT_LIMIT and full.startswith(short)


def _words(text: str) -> list[str]:
    """Words as a URL slug spells them: case and accents folded ("Straße" -> strasse)."""
    text = unicodedata.normalize("NFKD", text.casefold().replace("ß", "ss"))
    return _WORD.findall("".join(c for c in text if not unicodedata.combining(c)))


@lru_cache(maxsize=64)  # each of a page's headline sources is held against its URL's slug
def slug_words(url: str | None) -> tuple[str, ...]:
    """The words of the URL's slug, the path segment made of most words, without a trailing
    file extension or story ids (tokens with digits after the last word): the headline as
    the article was first saved, on sites that derive the URL from it."""
    if not url:
        return ()
    try:
        path = unquote(urlsplit(url).path)
    except ValueError:
        return ()
    segments = [_FILE_EXTENSION.sub("", s) for s in path.split("/") if s]
    if not segments:
        return ()
    words = max((_words(s) for s in segments), key=len)
    while words and any(c.isdigit() for c in words[-1]):
        words.pop()
    return tuple(words)


def matches_slug(title: str, slug: Sequence[str]) -> bool:
    """Whether the slug spells this title, word for word (at least four words)."""
    return len(slug) >= 4 and _words(title) == list(slug)


def reconcile(candidates: Sequence[str | None], url: str | None = None,
              title: str | None = None) -> str | None:
    """The headline: the text most sources agree on, else the first source that has one.

    Sources agreeing are independent evidence (a visible h1 and og:title agreeing beat an
    older JSON-LD headline); the order of `candidates` is the order of trust otherwise.
    A source ending in an ellipsis, or cut at the 110-character limit, that starts another
    agrees with that longer one. The URL's slug, when it spells one of the candidates word for
    word, is one more vote for it (a live blog's h1 and og:title follow its latest entry; its
    slug and JSON-LD name the blog). When no two sources agree, the page's <title> `title`
    decides between them where it holds one of them.
    """
    present = [c for c in candidates if c]
    if not present:
        return None
    # A truncated source counts for the full text it was cut from.
    resolved = []
    for candidate in present:
        longer = [o for o in present if _is_truncation(candidate, o)]
        resolved.append(max(longer, key=len) if longer else candidate)
    votes: dict[str, int] = {}
    for candidate in resolved:
        key = candidate
        votes[key] = votes.get(key, 0) + 1
    slug = slug_words(url)
    for key in votes:
        if matches_slug(key, slug):
            votes[key] += 1
    best = max(votes.values())
    if best < 2:
        # No two sources agree: the one the page's <title> confirms, else the most trusted.
        chosen = next((c for c in present if confirms(title, c)), present[0])
    else:
        chosen = next(c for c in resolved if votes[c] == best)
    return spelling(chosen, resolved)


def spelling(headline: str, sources: Sequence[str]) -> str:
    """Of the sources' spellings of `headline` that differ only in quotes and dashes, the one
    most sources write; on a tie, the one with more typographic marks: templates fold „“ ’ –
    to ASCII in metadata while the visible heading keeps what the writer typed, and nothing
    folds the other way."""
    key = typographic_key(headline)
    same = [s for s in sources if typographic_key(s) == key] or [headline]
    return max(same, key=lambda s: (same.count(s), sum(ord(c) in _TYPOGRAPHY for c in s)))


def confirms(title: str | None, headline: str) -> bool:
    """Whether a page title is the headline, or holds it as one of its parts."""
    if not title or not headline:
        return False
    key = typographic_key(headline)
    return key == typographic_key(title) or key in {
        typographic_key(p) for p in title_segments(title)} or (
        key in {typographic_key(p) for p in title.split(": ")})
