"""The article extractor: one small method per field, each readable on its own.

`ArticleExtractor` reads the signals every news page offers (JSON-LD, meta tags, microdata,
`time` elements). The generic extractor and every site profile build on it and override only
the fields their markup tells better.

Each field is read on its own: an exception in one field's code leaves that field empty and
is noted in the Article's `field_errors` ({field: "Type: message"}, an attribute beside the
item's fields, not part of its JSON form), so the rest of the item is kept; the crawl's run
summary logs and counts it (`newscrawl/field_errors/<site>/<field>`).
"""

from __future__ import annotations

import hashlib
import itertools
from collections.abc import Callable
from functools import cached_property
from typing import Any, ClassVar, Protocol, TypeVar
from urllib.parse import urlsplit

from lxml import etree

from newscrawl.extraction import dates, jsonld, titles
from newscrawl.extraction.authors import clean_author_names
from newscrawl.extraction.blocks import dateline_place
from newscrawl.extraction.boilerplate import is_hidden
from newscrawl.extraction.html_body import SourceBlock, render_body
from newscrawl.extraction.language import detect_language
from newscrawl.extraction.page import Page
from newscrawl.extraction.text import (
    count_words,
    first_nonempty,
    normalize_space,
    unique,
)
from newscrawl.model.items import Article, Dateline, Image, RelatedLink

T = TypeVar("T")


class Site(Protocol):
    """What the extractor reads of a site profile (`newscrawl.extraction.profile.SiteProfile`),
    stated here so that this module needs nothing from the profiles built on it."""

    name: str
    timezone: str | None
    language: str | None


_HEADINGS = 40  # headings read to find the headline's part of a <title>


class ArticleExtractor:
    """Extract an Article from a Page using signals every site shares."""

    name: ClassVar[str] = "generic"
    version: ClassVar[str] = "1"
    # Detect the language from the body when neither the page nor the profile states one.
    language_detection: bool = True

    def __init__(self, page: Page, profile: Site | None = None) -> None:
        self.page = page
        self.profile = profile
        self.field_errors: dict[str, str] = {}

    # -- context ---------------------------------------------------------------------------
    @property
    def timezone(self) -> str | None:
        return self.profile.timezone if self.profile else None

    @property
    def extractor_id(self) -> str:
        return f"{self.name}@{self.version}"

    @property
    def site(self) -> str:
        return self.profile.name if self.profile else self.page.host.removeprefix("www.")

    @cached_property
    def ld(self) -> dict[str, Any]:
        return self.page.jsonld_article

    def ld_value(self, *keys: str) -> str | None:
        return jsonld.first_string(self.ld.get(key) for key in keys)

    def date_languages(self) -> list[str] | None:
        language = self.language() or self._text_language
        return [language] if language else None

    @cached_property
    def _text_language(self) -> str | None:
        """The language the body's text is written in (the item's `language` on a page that
        declares none), told once per page: the dates read it too, since dateparser without
        a language tries every locale it has, about 140 ms a date against 0.3 ms with one."""
        if not self.language_detection:
            return None
        return detect_language(self.body(self.isolated("lead", self.lead, None)))

    def parse_date_text(self, text: str | None) -> str | None:
        return dates.parse_text(text, fetched_at=self.page.fetched_at, timezone=self.timezone,
                                languages=self.date_languages())

    # -- fields ----------------------------------------------------------------------------
    def canonical_url(self) -> str | None:
        return self._canonical_url

    # Cached: the item and the generic section reader both ask, and each answer walks the page.
    @cached_property
    def _canonical_url(self) -> str | None:
        href = next((link.get("href") for link in self.page.root.iter("link")
                     if link.get("rel") == "canonical" and link.get("href") is not None), None)
        return self.page.absolute(href) or self.page.absolute(self.page.meta_first("og:url"))

    def headline(self) -> str | None:
        """The JSON-LD headline, og:title and the visible h1 vote, with the URL's slug as one
        more vote (see `titles.reconcile`); twitter:title and <title> only stand in when those
        are missing."""
        names = [*self.publisher_names(), *titles.host_names(self.page.host),
                 self.section() or ""]

        def clean(value: str | None) -> str:
            text = titles.clean_title(value)
            return (titles.slug_segment(text, self.page.url)
                    or titles.strip_site_name(text, names))

        voters = [clean(self.ld_value("headline", "name")),
                  clean(self.page.meta_first("og:title")), clean(self.visible_h1())]
        voters = [titles.strip_shared_affix(v, voters) for v in voters]
        voters[2] = titles.strip_kicker(voters[2], voters[:2])
        voters[:2] = [titles.around_heading(v, voters[2]) for v in voters[:2]]
        title = self.page_title()
        return titles.reconcile(voters, self.page.url, title) or first_nonempty([
            clean(self.page.meta_first("twitter:title")),
            titles.slug_segment(title, self.page.url),
            titles.heading_segment(title, self._headings()),
            titles.longest_segment(title),
            clean(title),
        ])

    @cached_property
    def shown_headline(self) -> str | None:
        """`headline()`, worked out once: the item and the generic dates (which read from where
        the headline is shown) both ask."""
        return self.headline()

    def _headings(self) -> list[str]:
        """The texts of the page's first headings of the top three levels, but for those
        linked to the home page (the site's name as a heading)."""
        return [titles.heading_text(e)
                for e in itertools.islice(self.page.root.iter("h1", "h2", "h3"), _HEADINGS)
                if not self._links_home(e)]

    def _links_home(self, element: Any) -> bool:
        links = [*element.iter("a"), *element.iterancestors("a")]
        return any(urlsplit(self.page.absolute(a.get("href")) or "").path in ("", "/")
                   for a in links if a.get("href") is not None)

    def visible_h1(self) -> str | None:
        return self._visible_h1

    def page_title(self) -> str:
        return self._page_title

    @cached_property
    def _page_title(self) -> str:
        """The <title>'s text, entities decoded."""
        element = next(self.page.root.iter("title"), None)
        return titles.clean_title(element.text if element is not None else None)

    @cached_property
    def _visible_h1(self) -> str | None:
        return first_visible_h1(self.page.root)

    def lead(self) -> str | None:
        return first_nonempty([
            self.ld_value("description"),
            self.page.meta_first("og:description", "description", "twitter:description"),
        ])

    def lead_in_body(self) -> bool:
        """Whether the lead is shown at the top of the article (then the body starts with it)."""
        return False

    def section(self) -> str | None:
        return first_nonempty([
            self.ld_value("articleSection"),
            self.page.meta_first("article:section", "section"),
        ])

    def author_candidates(self) -> list[str]:
        from_ld = jsonld.names(self.ld.get("author"))
        if from_ld:
            return from_ld
        meta = self.page.meta.get("author", []) + [
            a for a in self.page.meta.get("article:author", []) if not a.startswith("http")
        ]
        if meta:
            return meta
        return self.page.css("[rel=author]").xpath("string()").getall()

    def publisher_names(self) -> list[str]:
        return jsonld.names(self.ld.get("publisher")) + self.page.meta.get("og:site_name", [])

    def authors(self) -> list[str]:
        return clean_author_names(self.author_candidates(), self.publisher_names())

    def publisher(self) -> str | None:
        """The JSON-LD publisher's name, else og:site_name, else the profile's description."""
        return first_nonempty([*self.publisher_names(),
                               self.profile.description if self.profile else None])

    def free_access(self) -> bool | None:
        """Whether the article is free to read: JSON-LD (or microdata) `isAccessibleForFree`
        of the article or of a part of it (the paywalled part of Google's paywall markup),
        else the `article:content_tier` meta tag ("free" or "locked"; "metered" says
        nothing about this page)."""
        parts = [p for p in jsonld.as_list(self.ld.get("hasPart")) if isinstance(p, dict)]
        for value in (self.ld.get("isAccessibleForFree"),
                      *(part.get("isAccessibleForFree") for part in parts),
                      self.page.meta_first("isaccessibleforfree")):
            flag = _truth_value(value)
            if flag is not None:
                return flag
        return CONTENT_TIERS.get((self.page.meta_first("article:content_tier") or "").lower())

    def language(self) -> str | None:
        return self.stated_language()[0]

    def stated_language(self) -> tuple[str | None, str | None]:
        """The language the page declares, else the profile's, with which of the two it is."""
        return self._stated_language

    @cached_property  # the item asks, and every date read in the page's language
    def _stated_language(self) -> tuple[str | None, str | None]:
        for source, value in (
            ("declared", self.page.root.get("lang")),
            ("declared", self.page.meta_first("og:locale", "content-language", "language",
                                              "dc.language")),
            ("declared", self.ld_value("inLanguage")),
            ("profile", self.profile.language if self.profile else None),
        ):
            code = normalize_space(value).replace("_", "-").split("-")[0].lower()
            if len(code) == 2 and code.isalpha():
                return code, source
        return None, None

    def language_and_source(self) -> tuple[str | None, str | None]:
        language = self.language()
        if language is not None:
            return language, self.stated_language()[1]
        detected = self._text_language
        return detected, "detected" if detected else None

    def published(self) -> str | None:
        return self._first_date(
            lambda: self.ld_value("datePublished", "dateCreated"),
            lambda: self.page.meta_first(
                "article:published_time", "datepublished", "pubdate", "publishdate", "date",
                "dc.date", "dc.date.issued", "dcterms.created", "sailthru.date",
                "parsely-pub-date"),
            self._time_in_article,
        )

    def modified(self) -> str | None:
        return self._first_date(
            lambda: self.ld_value("dateModified"),
            lambda: self.page.meta_first("article:modified_time", "og:updated_time",
                                         "datemodified", "lastmod", "last-modified",
                                         "dcterms.modified"),
        )

    def _time_in_article(self) -> str | None:
        """The datetime of the first <time> inside an <article>."""
        for element in self.page.root.iter("time"):
            if (element.get("datetime") is not None
                    and next(element.iterancestors("article"), None) is not None):
                return element.get("datetime")
        return None

    def _first_date(self, *sources: Callable[[], str | None]) -> str | None:
        # Sources are asked in turn: a later one may walk the whole page.
        for source in sources:
            parsed = dates.parse_machine(source(), self.timezone)
            if parsed:
                return parsed
        return None

    def dateline_raw(self) -> str | None:
        return None

    def dateline(self) -> Dateline | None:
        raw = self.dateline_raw()
        place = dateline_place(self.blocks[0] if self.blocks else None)
        return Dateline(raw=raw, place=place) if raw or place else None

    def body_blocks(self) -> list[str]:
        """Paragraphs, subheadings and quotes after the lead, in reading order."""
        text = self.ld_value("articleBody")
        if text:
            return [p for p in (normalize_space(x) for x in text.split("\n")) if p]
        return [t for t in (normalize_space(p) for p in
                            self.page.css("article p").xpath("string()").getall()) if t]

    @cached_property
    def blocks(self) -> list[str]:
        return self.isolated("body", self.body_blocks, [])

    @cached_property
    def block_sources(self) -> list[SourceBlock]:
        """The elements the body's blocks were read from, as far as the body reader records
        them (blocks without one are written as plain paragraphs in `body_html`)."""
        return []

    @cached_property
    def figure_elements(self) -> dict[int, etree._Element]:
        """The element each image of `images()` was read from, by the image's id()."""
        return {}

    def images(self) -> list[Image]:
        url = self.page.absolute(self.page.meta_first("og:image", "twitter:image"))
        if not url:
            return []
        alt = self.page.meta_first("og:image:alt", "twitter:image:alt")
        return [Image(url=url, caption=None, credit=None, alt=alt)]

    def related(self) -> list[RelatedLink]:
        return []

    def tags(self) -> list[str]:
        keywords = [k for k in jsonld.as_list(self.ld.get("keywords")) if isinstance(k, str)]
        meta_keywords = self.page.meta_first("news_keywords", "keywords") or ""
        values = keywords or self.page.meta.get("article:tag", []) or [meta_keywords]
        # Lists arrive as one comma-separated string as often as as a list (or as both).
        split = [part for value in values for part in value.split(",")]
        return unique([normalize_space(v) for v in split if normalize_space(v)])

    # -- assembly --------------------------------------------------------------------------
    def body_parts(self, lead: str | None) -> list[str]:
        paragraphs = list(self.blocks)
        if lead and self.lead_in_body() and (not paragraphs or paragraphs[0] != lead):
            paragraphs.insert(0, lead)
        return paragraphs

    def body(self, lead: str | None) -> str | None:
        return "\n\n".join(self.body_parts(lead)) or None

    def body_html(self, lead: str | None, images: list[Image]) -> str | None:
        figures = [(image, self.figure_elements[id(image)]) for image in images
                   if id(image) in self.figure_elements]
        return render_body(self.body_parts(lead), self.block_sources, figures,
                           self.page.absolute, is_hidden)

    def isolated(self, name: str, read: Callable[[], T], empty: T) -> T:
        """`read()`, or `empty` when it raises: a bug in one field's code must not lose the
        other fields of the item."""
        try:
            return read()
        except Exception as error:  # noqa: BLE001 - whatever the field's code raised
            self.field_errors.setdefault(name, f"{type(error).__name__}: {error}")
            return empty

    def article(self) -> Article:
        field = self.isolated
        lead = field("lead", self.lead, None)
        body = self.body(lead)
        images = field("images", self.images, [])
        language, language_source = field("language", self.language_and_source,
                                          (None, None))
        article = Article(
            url=self.page.url,
            canonical_url=field("canonical_url", self.canonical_url, None),
            site=self.site,
            extractor=self.extractor_id,
            fetched_at=dates.format_datetime(self.page.fetched_at),
            headline=field("headline", lambda: self.shown_headline, None),
            lead=lead,
            section=field("section", self.section, None),
            authors=field("authors", self.authors, []),
            publisher=field("publisher", self.publisher, None),
            free_access=field("free_access", self.free_access, None),
            language=language,
            language_source=language_source,
            published=field("published", self.published, None),
            modified=field("modified", self.modified, None),
            dateline=field("dateline", self.dateline, None),
            body=body,
            body_html=field("body_html", lambda: self.body_html(lead, images), None),
            images=images,
            related=field("related", self.related, []),
            tags=field("tags", self.tags, []),
            word_count=count_words(body),
            content_hash=content_hash(body),
        )
        article.field_errors = self.field_errors  # type: ignore[attr-defined]
        return article


def first_visible_h1(root: Any) -> str | None:
    """The text of the page's first visible h1."""
    for element in root.iter("h1"):
        if not is_hidden(element):
            text = titles.heading_text(element)
            if text:
                return text
    return None


CONTENT_TIERS = {"free": True, "locked": False}


def _truth_value(value: Any) -> bool | None:
    """A JSON-LD boolean, written as true/false or as a string ("True", "false")."""
    if isinstance(value, bool):
        return value
    if isinstance(value, str):
        return {"true": True, "false": False}.get(value.strip().lower())
    return None


def content_hash(body: str | None) -> str | None:
    """Hex SHA-256 of the whitespace-normalised, composed (NFC) body, so re-wrapped or
    differently encoded text hashes the same."""
    if not body:
        return None
    return hashlib.sha256(normalize_space(body).encode("utf-8")).hexdigest()

