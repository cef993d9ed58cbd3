"""Listings of pages without a profile: the teaser links a section or home page shows, with
the date shown beside each where there is one, and the link to the next page of the list."""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import urlsplit

from lxml import etree

from newscrawl.extraction import dates
from newscrawl.extraction.article import first_visible_h1
from newscrawl.extraction.boilerplate import name_words
from newscrawl.extraction.page import Page
from newscrawl.extraction.pagekind import Teaser, absolute, same_site, teaser_links
from newscrawl.extraction.text import element_text, normalize_space
from newscrawl.model.items import ListingEntry, ListingPage

# The texts of a link to the next page of a list, across languages.
NEXT_TEXTS = re.compile(
    r"^(?:next|next page|next »|older|older posts|older entries|older articles|load more|"
    r"show more|more stories|more articles|weiter|nächste|nächste seite|ältere beiträge|"
    r"mehr laden|mehr anzeigen|mehr artikel|weitere artikel|suivant|page suivante|"
    r"articles plus anciens|voir plus|siguiente|página siguiente|más|ver más|cargar más|"
    r"próxima|próxima página|successivo|pagina successiva|altri articoli|volgende|"
    r"meer laden|следующая|далее|»|›|→|>|>>)$", re.IGNORECASE)
# Class/id words of the control that loads the list's next page.
NEXT_WORDS = frozenset({"next", "nextpage", "pagenext", "loadmore", "showmore", "morelink",
                        "paginationnext", "navnext", "older"})
URL_ATTRIBUTES = ("href", "data-url", "data-href", "data-next", "data-next-url", "data-link")
_DATE_LEVELS = 4  # ancestors of a teaser link searched for the date shown with it


class GenericListing:
    """The listing of a page without a profile (see `newscrawl.extraction.pagekind`)."""

    name = "generic"
    version = "1"

    def __init__(self, page: Page, teasers: list[Teaser] | None = None) -> None:
        self.page = page
        self._given = teasers

    @cached_property
    def teasers(self) -> list[Teaser]:
        if self._given is not None:
            return self._given
        return teaser_links(self.page.root, self.page.url, self.page.base_url)

    def listing(self) -> ListingPage:
        return ListingPage(url=self.page.url, site=self.page.host.removeprefix("www."),
                           extractor=f"{self.name}@listing-{self.version}",
                           fetched_at=dates.format_datetime(self.page.fetched_at),
                           section=self.section(), entries=self.entries(),
                           next_page=self.next_page())

    def entries(self) -> list[ListingEntry]:
        anchors = {t.element for t in self.teasers}
        return [ListingEntry(url=t.url, headline=t.headline,
                             published=self._date_beside(t.element, anchors))
                for t in self.teasers]

    def section(self) -> str | None:
        return first_visible_h1(self.page.root)

    def _date_beside(self, anchor: etree._Element, anchors: set[etree._Element]) -> str | None:
        """The machine-readable date in the teaser around the link: the nearest ancestors
        that hold no other teaser link."""
        element = anchor
        for _ in range(_DATE_LEVELS):
            parent = element.getparent()
            if parent is None or any(a in anchors and a is not anchor for a in parent.iter("a")):
                break
            element = parent
        for node in element.iter("time"):
            parsed = dates.parse_machine(node.get("datetime"), None)
            if parsed:
                return parsed
        return None

    def next_page(self) -> str | None:
        """rel=next (a <link> or an <a>), else a control named or labelled as the next page."""
        host = self.page.host
        candidates = [e for e in self.page.root.iter("link", "a")
                      if "next" in (e.get("rel") or "").lower().split()]
        candidates += [e for e in self.page.root.iter() if isinstance(e.tag, str)
                       and e.tag not in ("link", "script", "style") and _names_next(e)]
        stories = {t.url for t in self.teasers}
        for element in candidates:
            for attribute in URL_ATTRIBUTES:
                url = absolute(element.get(attribute), self.page.base_url)
                # A carousel's "next" that opens a story is no next page of the list.
                if (url and same_site(host, _host(url)) and url != self.page.url
                        and url not in stories):
                    return url
        return None


def _names_next(element: etree._Element) -> bool:
    if not any(element.get(a) for a in URL_ATTRIBUTES):
        return False
    words = name_words(element)
    if words & NEXT_WORDS:
        return True
    if "more" in words and any(element.get(a) for a in URL_ATTRIBUTES[1:]):
        return True  # a "more" control that carries the URL it loads
    text = normalize_space(element_text(element)) or normalize_space(element.get("aria-label"))
    return bool(text) and len(text) <= 30 and bool(NEXT_TEXTS.match(text))


def _host(url: str) -> str:
    return urlsplit(url).hostname or ""
