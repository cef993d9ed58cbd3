"""The generic extractor: for pages of sites that have no profile.

Metadata comes from the shared signal readers of `ArticleExtractor`; the body, the shown lead,
images and related links come from the markup, through the body finder. No rule here names a
site: each must hold for news pages in general.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import UTC, date, datetime, timedelta
from datetime import timezone as dt_timezone
from functools import cached_property
from urllib.parse import urlsplit

from lxml import etree

from newscrawl.extraction import bylines, dates, jsonld, pagedates, titles
from newscrawl.extraction.article import ArticleExtractor
from newscrawl.extraction.authors import clean_author_names
from newscrawl.extraction.bodyfinder import Block, BodyFinding, find_body, within
from newscrawl.extraction.boilerplate import is_hidden, is_named, name_words
from newscrawl.extraction.figures import figure_images, related_links
from newscrawl.extraction.html_body import SourceBlock, source_parts
from newscrawl.extraction.select import on_attribute_nodes
from newscrawl.extraction.text import count_words, element_text, normalize_space, unique
from newscrawl.extraction.titles import clean_title
from newscrawl.model.items import Image, RelatedLink

# Class/id words that mark a standfirst (the summary under the headline) across languages' CMSs.
LEAD_WORDS = frozenset({"standfirst", "dek", "deck", "summary", "lead", "leadtext", "teaser",
                        "intro", "introduction", "subtitle", "subheadline", "subhead",
                        "description", "excerpt", "sapo", "chapo", "strapline", "abstract",
                        "synopsis", "descriptionsummary", "articlelead", "storylead", "lede",
                        # the standfirst's names in other languages' newsrooms
                        "sommario", "catenaccio", "entradilla", "sumario", "bajada", "copete",
                        "linhafina", "chapeau", "vorspann", "anriss", "einleitung"})
PUBLISHED_META = ("article:published_time", "datepublished", "pubdate", "publishdate",
                  "publish-date", "dc.date.issued", "dcterms.created",
                  "dcterms.issued", "sailthru.date", "parsely-pub-date", "og:published_time",
                  "article.published", "publication_date", "citation_publication_date")
# Date tags that do not say which date they hold: CMSs write the last change there as often
# as the publication, so the article's own <time> goes before them.
UNNAMED_DATE_META = ("date", "dc.date", "dcterms.date")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "lastmod",
                 "last-modified", "dcterms.modified", "article.updated", "dc.date.modified")
# JSON-LD nodes that never describe the page itself, and the keys that date those that do.
NOT_THE_PAGE = frozenset({"website", "organization", "newsmediaorganization", "person",
                          "imageobject", "breadcrumblist", "comment", "review", "rating",
                          "aggregaterating", "searchaction", "sitenavigationelement", "event"})
NODE_DATE_KEYS = ("datePublished", "dateCreated", "uploadDate")
_PUBLISHED_KEY = re.compile(r"publi(?:shed|cation)_?(?:time|date)|pub_?date|date_?published|"
                            r"created|issued")
_MODIFIED_KEY = re.compile(r"modif|updat|revis|expir")
PUBLICATION_WORDS = frozenset({"published", "publish", "publishdate", "pubdate", "entrydate",
                               "postdate", "postedon", "datepublished", "publicationdate",
                               "publication", "created"})
UPDATE_WORDS = frozenset({"updated", "update", "modified", "lastmodified", "lastupdated"})
MAX_OFFSET = timedelta(hours=14)  # UTC-12 to UTC+14: the offsets in use
# A day shown without a time moves a UTC instant at most this far: the offsets of nearly all
# publishers (Hawaii to Sydney); a day further off is the day the story was begun, not shown.
MAX_DAY_SHIFT = timedelta(hours=10)
# Microdata is read by its itemprop alone: the byline class names once searched beside it
# were never read, and cost a contains() per element of the page. Found through the attribute
# nodes (0.22 against 0.31 ms a page).
_MARKED = etree.XPath(on_attribute_nodes("descendant::*[@itemprop]"))
LINKED_PARAGRAPH = 0.3  # share of link text above which a block is a teaser, not prose
_SITE_FURNITURE = frozenset({"nav", "aside", "footer", "dialog", "menu"})
AUTHOR_META = ("author", "article:author", "dc.creator", "dcterms.creator", "parsely-author",
               "sailthru.author", "byl")
ORGANISATION_TYPES = frozenset({"organization", "newsmediaorganization", "corporation",
                                "educationalorganization", "governmentorganization",
                                "ngo", "localbusiness", "onlinebusiness", "website", "brand"})
_FIRST_TIME_AFTER = etree.XPath("following::time[1]")  # libxml2 stops at the first
MAX_MARKED_TIMES = 3  # an article shows its publication once, perhaps again at its foot
_LEAD_ANCESTOR_LEVELS = 3
_TAG = re.compile(r"<[^>]{0,200}>")
MAX_DATE_TEXT = 80  # longer "time" text is no date, and dateparser is slow on long input
# A numeric date whose first two numbers could each be the day or the month (11/01/2023).
_SWAPPABLE = re.compile(r"\s*(0?[1-9]|1[0-2])([/.-])(0?[1-9]|1[0-2])\2\d{4}\b")
MIN_LEAD = 30
MAX_LEAD = 1200
MAX_LEAD_BLOCKS = 3
# A subheading this long between the headline and the text is a deck (a sentence or two),
# not the title of a section.
MIN_DECK = 80
# Structured articleBody replaces the markup's body only when the markup gave much less.
ARTICLE_BODY_RATIO = 2.0


class GenericArticle(ArticleExtractor):
    """Every field from the signals any news page may carry; no per-domain rules here."""

    name = "generic"
    version = "2"

    @cached_property
    def finding(self) -> BodyFinding:
        return find_body(self.page.root)

    # -- body ------------------------------------------------------------------------------
    def body_blocks(self) -> list[str]:
        lead = {id(b) for b in self._shown_lead_block or ()}
        found = [b.text for b in self.finding.blocks if id(b) not in lead]
        structured = self._structured_body()
        if structured and count_words("\n".join(structured)) > (
                ARTICLE_BODY_RATIO * count_words("\n".join(found))):
            # The standfirst shown above a paywall is the start of the text, also when the
            # structured body (the full text) leaves it to the description.
            opening = [b.text for b in self.finding.blocks[:MAX_LEAD_BLOCKS]
                       if self._shows_description(b) and b.text not in structured]
            return opening[:1] + structured
        return found

    @cached_property
    def block_sources(self) -> list[SourceBlock]:
        shown_lead = self._shown_lead_block or []
        nested = self.finding.nested
        return [SourceBlock(b.element, source_parts(b.text), frozenset(nested.get(b.element, ())),
                            skip_hidden=True)
                for b in [*shown_lead, *self.finding.blocks]]

    def _structured_body(self) -> list[str]:
        text = self.ld_value("articleBody")
        if not text or "<" in text[:200]:
            return []
        return [p for p in (normalize_space(x) for x in text.split("\n")) if p]

    # -- lead ------------------------------------------------------------------------------
    @cached_property
    def _shown_lead_block(self) -> list[Block] | None:
        """The standfirst blocks shown between the headline and the body, if any: a deck set
        as a long subheading, then the standfirst paragraphs."""
        blocks = self.finding.all_blocks
        body = self.finding.blocks
        if not blocks or not body:
            return None
        first = next((i for i, b in enumerate(blocks) if b is body[0]), None)
        if first is None:
            return None
        start = max((i for i, b in enumerate(blocks[:first]) if b.element.tag == "h1"),
                    default=None)
        window = blocks[start + 1 if start is not None else first:first + 1]
        deck: list[Block] = []
        for index, block in enumerate(window):
            if not self._lead_like(block):
                continue
            if block.is_heading:
                if block.length >= MIN_DECK and not deck:
                    deck.append(block)
                continue  # a title or subheading is no standfirst: those are paragraphs
            hook = self._lead_hook(block.element)
            if hook is not None:
                lead = []
                for following in window[index:index + MAX_LEAD_BLOCKS]:
                    if (not within(following.element, hook) or not self._lead_like(following)
                            or following.is_heading):
                        break
                    lead.append(following)
                return deck + lead
            if self._shows_description(block):
                return [*deck, block]
        return deck or None

    def _shows_description(self, block: Block) -> bool:
        """Whether the block shows the page's description (whole, or cut short)."""
        described = self._folded_description
        if not described:
            return False
        text = normalize_space(block.text).casefold()
        return text == described or (len(text) > 60 and described.startswith(text.rstrip(".…")))

    def _lead_like(self, block: Block) -> bool:
        """Text that can be a standfirst: prose-sized, not a link, not inside boilerplate (the
        page's <header> aside, where standfirsts often sit)."""
        if not (MIN_LEAD <= block.length <= MAX_LEAD and block.link_density < 0.3
                and block.element.tag not in ("h1", "li") and not block.teaser):
            return False
        flagged = self.finding.flagged
        return not any(e in flagged and e.tag != "header" for e in block.chain)

    @staticmethod
    def _lead_hook(element: etree._Element) -> etree._Element | None:
        for level, candidate in enumerate([element, *element.iterancestors()]):
            if level > _LEAD_ANCESTOR_LEVELS:
                return None
            if is_named(candidate, LEAD_WORDS):
                return candidate
        return None

    @cached_property
    def _shown_lead(self) -> str | None:
        if not self._shown_lead_block:
            return None
        return "\n\n".join(b.text for b in self._shown_lead_block) or None

    @cached_property  # held against each block that may open the article
    def _description(self) -> str | None:
        """The meta/JSON-LD description as text: some CMSs put escaped HTML in it."""
        text = clean_title(super().lead())  # entities decoded, also when escaped twice over
        if "<" in text:
            text = _TAG.sub(" ", text)
        return normalize_space(text) or None

    @cached_property
    def _folded_description(self) -> str:
        return (self._description or "").casefold()

    def lead(self) -> str | None:
        return self._shown_lead or self._description

    def lead_in_body(self) -> bool:
        return self._shown_lead is not None

    def main_paragraphs(self) -> list[str]:
        """The main text's paragraphs as found in the markup, links left out (the page-kind
        judgement reads their length)."""
        return [b.text for b in self.finding.blocks if b.link_density < LINKED_PARAGRAPH]

    # -- headline ----------------------------------------------------------------------------
    def visible_h1(self) -> str | None:
        return self._headline_h1

    @cached_property
    def _headline_h1(self) -> str | None:
        """The first h1 that is a headline: not hidden, not in the navigation or a sidebar, and
        not the site's name (a blog's title in an h1 linked to its home page, or naming the
        site or the site name half of the <title>)."""
        names = [*self.publisher_names(), *titles.host_names(self.page.host)]
        title = self.page_title()
        found = []
        for element in self.page.root.iter("h1"):
            if is_hidden(element) or _in_furniture(element) or self._links_home(element):
                continue
            text = titles.heading_text(element)
            if text and not titles.names_the_site(text, names) and not (
                    titles.is_site_part(text, title, self.page.url)):
                found.append(text)
        # Of several, the one the <title> repeats (the first is often a logo or a section),
        # else the first that is no one-word name (a place or a section set as an h1).
        return next((t for t in found if titles.confirms(title, t)), None) or next(
            (t for t in found if not titles.is_short_name(t)), found[0] if found else None)

    # -- section -----------------------------------------------------------------------------
    def section(self) -> str | None:
        return super().section() or self._breadcrumb_section

    @cached_property
    def _breadcrumb_section(self) -> str | None:
        """The last step of the JSON-LD breadcrumb trail before the article itself; the home
        page and the article are no section. Read once: headline() asks for the section too."""
        trail = next((n for n in self.page.jsonld_nodes
                      if "breadcrumblist" in jsonld.types_of(n)), None)
        if trail is None:
            return None
        here = {self.page.url.rstrip("/"), (self.canonical_url() or "").rstrip("/")}
        # Raw titles, not headline(): the headline strips section names, so reads section().
        titles = {normalize_space(t).casefold() for t in (
            self.ld_value("headline"), self.page.meta_first("og:title"), self.visible_h1()) if t}
        steps = []
        for item in sorted((i for i in jsonld.as_list(trail.get("itemListElement"))
                            if isinstance(i, dict)), key=_position):
            name, url = _breadcrumb_step(item)
            if not name or not url or url.rstrip("/") in here or (
                    normalize_space(name).casefold() in titles):
                continue
            if urlsplit(url).path.strip("/") == "":
                continue  # the home page
            steps.append(normalize_space(name))
        return steps[-1] if steps else None

    # -- dates -------------------------------------------------------------------------------
    def published(self) -> str | None:
        """Signals in their order of trust: the article's structured data, other structured
        data of the page, the article's <time>, the URL's day, the date written near the
        headline, htmldate's reading of the page; a relative phrase ("vor 2 Stunden") only
        when the page shows no date."""
        value = (self._reconciled_date(self._published_values(), "published")
                 or self._other_structured_date() or self._article_time()
                 or self._reconciled_date(self._meta_values(UNNAMED_DATE_META), None)
                 or self._seen_date())
        if value is None:
            found = pagedates.library_date(self.page.root, self.page.url, self._latest_day)
            return found.isoformat() if found else self._relative_date
        if _is_utc(value):
            return self._in_publisher_offset(value)
        return value

    def _published_values(self) -> list[str | None]:
        return [self.ld_value("datePublished", "dateCreated"),
                *self._meta_values(PUBLISHED_META), *self._microdata("datepublished")]

    def modified(self) -> str | None:
        return self._reconciled_date(
            [self.ld_value("dateModified"), *self._meta_values(MODIFIED_META),
             *self._microdata("datemodified")], None)

    def _meta_values(self, keys: tuple[str, ...]) -> list[str]:
        return [value for key in keys for value in self.page.meta.get(key, ())]

    @cached_property
    def _marked(self) -> list[etree._Element]:
        """Elements of the article carrying microdata, found once in C."""
        scope = self._scope if self._scope is not None else self.page.root
        return [e for e in _MARKED(scope) if not self.finding.in_other_story(e, scope)]

    def _microdata(self, prop: str) -> list[str]:
        return [element.get("datetime") or element.get("content") or element_text(element)
                for element in self._marked if (element.get("itemprop") or "").lower() == prop]

    def _reconciled_date(self, values: list[str | None], kind: str | None) -> str | None:
        """The first machine-readable date; when it states no offset but another source gives
        the same wall-clock minute with one, that one (a zone is read, never guessed). Else a
        value written for readers; a relative one ("2 hours ago") is kept for last."""
        parsed = [p for p in (dates.parse_machine(v, self.timezone) for v in values) if p]
        if parsed:
            first = parsed[0]
            if not _has_offset(first):
                return next((p for p in parsed[1:] if _has_offset(p) and p[:16] == first[:16]),
                            first)
            return first
        # Some CMSs write the date for readers even in metadata ("17.05.2024 14:30").
        written = next((v for v in values if isinstance(v, str) and v.strip()), None)
        if written and len(written) <= MAX_DATE_TEXT:
            return self._in_the_order_shown(written, self._absolute_text(written))
        return None

    def _in_the_order_shown(self, written: str, parsed: str | None) -> str | None:
        """`parsed` read from `written`, or with its day and month swapped when `written` could
        be read either way and only the swapped date is the one the page shows near the
        headline or in its URL: software writes metadata month first (`11/01/2023 12:43:42`
        from a US-English server) on pages whose readers read day first."""
        match = _SWAPPABLE.match(written)
        if parsed is None or match is None:
            return parsed
        read = date.fromisoformat(parsed[:10])
        if {read.day, read.month} != {int(match[1]), int(match[3])}:
            return parsed  # not read from those two numbers
        shown = {str(day)[:10] for day in (self._near_headline_date, self._url_day) if day}
        swapped = date(read.year, read.day, read.month).isoformat()
        if parsed[:10] in shown or swapped not in shown:
            return parsed
        return swapped + parsed[10:]

    def _absolute_text(self, text: str) -> str | None:
        """A date written for readers; a relative one is noted for `_relative_date`."""
        parsed, relative = dates.read_text(text, fetched_at=self.page.fetched_at,
                                           timezone=self.timezone,
                                           languages=self.date_languages())
        if parsed and relative:
            self._relative.append(parsed)
            return None
        return parsed

    @cached_property
    def _relative(self) -> list[str]:
        return []

    @property
    def _relative_date(self) -> str | None:
        return self._relative[0] if self._relative else None

    def _other_structured_date(self) -> str | None:
        """The publication date of another JSON-LD node describing this page (a WebPage, a
        Recipe, a VideoObject...), or of a meta tag named for publication in another
        vocabulary (`og:article:published_time`, `shareaholic:article_published_time`)."""
        values = [jsonld.first_string([node.get(key) for key in NODE_DATE_KEYS])
                  for node in self.page.jsonld_nodes
                  if not jsonld.types_of(node) & NOT_THE_PAGE]
        values += [v for key, found in self.page.meta.items() if _PUBLISHED_KEY.search(key)
                   and not _MODIFIED_KEY.search(key) for v in found]
        return next((p for p in (dates.parse_machine(v, self.timezone) for v in values) if p),
                    None)

    def _article_time(self) -> str | None:
        """The article's <time>: one marked as the publication first, then the article's first
        one after the headline, then its first one; never one of a related story, a teaser or
        a comment."""
        times = [e for e in self.page.root.iter("time") if not self._foreign(e)]
        scope = self._scope
        marked = [e for e in times if _marks_publication(e)]
        if len(marked) > MAX_MARKED_TIMES:
            marked = []  # a template marking every entry of a list marks no one publication
        inside = [e for e in times if scope is not None and within(e, scope)
                  and not self.finding.in_other_story(e, scope)]
        anchor = self._headline_element
        following = _FIRST_TIME_AFTER(anchor) if anchor is not None and times else []
        after = [e for e in following if not self._foreign(e)
                 and not self.finding.in_other_story(e, self.page.root)]
        for element in (*marked, *after, *inside):
            shown = element_text(element)
            parsed = (dates.parse_machine(element.get("datetime"), self.timezone)
                      or (self._absolute_text(shown) if len(shown) <= MAX_DATE_TEXT else None))
            if parsed:
                return parsed
        return None

    @cached_property
    def _foreign(self) -> pagedates.Foreign:
        return pagedates.Foreign(self.finding.cards)

    @cached_property
    def _url_day(self) -> date | None:
        return pagedates.url_date(self.page.url, self._latest_day)

    @property
    def _latest_day(self) -> date:
        return (self.page.fetched_at + timedelta(days=1)).date()

    def _seen_date(self) -> str | None:
        """The day of the URL's path, or the date written around the headline: the one with
        the time of day when both name the same day."""
        shown = self._shown_date
        if self._url_day is not None and (shown is None or shown[:10] != str(self._url_day)):
            return self._url_day.isoformat()
        return shown

    @cached_property
    def _shown_date(self) -> str | None:
        """The date written nearest to the headline, else in the first elements of the page
        whose class names a date, a byline or post metadata."""
        if self._near_headline_date is not None or self._headline_element is None:
            return self._near_headline_date
        found = pagedates.labelled_date(self.page.root, self._headline_foreign,
                                        tuple(self.date_languages() or ()), self._latest_day,
                                        self._month_first)
        return self._date_text(found)

    @cached_property
    def _near_headline_date(self) -> str | None:
        """The date written right after the headline, or right before it if nearer."""
        anchor = self._headline_element
        if anchor is None:
            return None
        return self._date_text(pagedates.nearest_date(
            anchor, self._headline_foreign, tuple(self.date_languages() or ()),
            self._latest_day, self._month_first))

    @cached_property
    def _headline_foreign(self) -> pagedates.Foreign:
        return pagedates.Foreign(self.finding.cards, trusted=self._headline_element)

    def _date_text(self, found: datetime | date | None) -> str | None:
        if found is None:
            return None
        if isinstance(found, datetime):
            return dates.format_datetime(dates.with_zone(found, self.timezone))
        return found.isoformat()

    @property
    def _month_first(self) -> bool:
        """04/05/2020 is April 5 in US English, 4 May elsewhere."""
        declared = (self.page.root.get("lang") or "").lower().replace("_", "-")
        return declared in ("en", "en-us")

    @cached_property
    def _headline_element(self) -> etree._Element | None:
        """Where a reader starts: the heading that shows the headline, else the first visible
        <h1>, else the body's first block. A headline whose code fails leaves the dates to
        the first visible <h1>: that field's failure is the headline's alone."""
        wanted = normalize_space(self.isolated("headline", lambda: self.shown_headline, None))
        wanted = wanted.casefold()
        first = None
        for element in self.page.root.iter("h1", "h2", "h3"):
            text = normalize_space(element_text(element)).casefold()
            if not text or is_hidden(element):
                continue
            if wanted and (text == wanted or (wanted in text and len(text) < 2 * len(wanted))):
                return element
            if first is None and element.tag == "h1" and not self._foreign(element):
                first = element
        if first is not None:
            return first
        blocks = self.finding.blocks
        return blocks[0].element if blocks else None

    def _in_publisher_offset(self, value: str) -> str:
        """A UTC instant in the publisher's offset when the page shows the same instant in
        local time (the same minute a whole number of quarter hours away). When only the
        URL's day or the date near the headline says that readers saw another day, the
        instant in the whole-hour offset nearest to UTC that falls on that day: the instant
        stays exact and the day is the one the page shows. A page showing the instant's own
        UTC time, or a URL's day and a shown day that disagree, leave the offset unguessed:
        the evidence does not point at one day."""
        instant = datetime.fromisoformat(value)
        for local in self._local_views():
            offset = local.replace(second=0) - instant.replace(tzinfo=None, second=0)
            if not offset:
                return value  # the page shows UTC's wall clock, and so UTC's day
            if abs(offset) <= MAX_OFFSET and offset % timedelta(minutes=15) == timedelta(0):
                return dates.format_datetime(instant.astimezone(dt_timezone(offset)))
        shown = self._near_headline_date
        days = {day for day in (self._url_day, date.fromisoformat(shown[:10]) if shown else None)
                if day is not None}
        if len(days) != 1:
            return value
        seen = days.pop()
        if abs((seen - instant.date()).days) != 1:
            return value
        step = timedelta(hours=1 if seen > instant.date() else -1)
        offset = step
        while abs(offset) <= MAX_DAY_SHIFT:
            if (instant + offset).date() == seen:
                return dates.format_datetime(instant.astimezone(dt_timezone(offset)))
            offset += step
        return value

    def _local_views(self) -> Iterator[datetime]:
        """Date-times the page gives without an offset or with one other than UTC: the
        metadata's, the article's <time> elements', then the one written near the headline
        (read only when those give none)."""
        scope = self._scope
        values = [*self._published_values(), *(
            e.get("datetime") for e in self.page.root.iter("time") if _marks_publication(e)
            or (scope is not None and within(e, scope)))]
        for value in values:
            parsed = dates.parse_machine(value)
            if parsed and len(parsed) > 10 and not _is_utc(parsed):
                moment = datetime.fromisoformat(parsed)
                yield (moment.replace(tzinfo=None) if moment.tzinfo is None else
                       moment.astimezone(UTC).replace(tzinfo=None) + moment.utcoffset())
        shown = self._near_headline_date
        if shown and len(shown) > 10:
            yield datetime.fromisoformat(shown).replace(tzinfo=None)

    # -- authors ---------------------------------------------------------------------------
    def authors(self) -> list[str]:
        """As every extractor cleans them; a first name alone, as CMSs show a display name,
        gets the surname the author's JSON-LD description writes (`bylines.full_name`)."""
        people = [n for n in self.page.jsonld_nodes if "person" in jsonld.types_of(n)]
        return unique([bylines.full_name(name, people) for name in super().authors()])

    def author_candidates(self) -> list[str]:
        """The first source that names someone, in order of trust: JSON-LD people; the byline
        shown in the article (never one of a comment or a related-story card); the meta author;
        rel=author links; only then an organisation given as the author (a person named in the
        byline beats the publication's name in the metadata)."""
        organisations = self._organisation_names
        people_ld, organisations_ld = self._ld_authors()
        meta = self._meta_authors()
        meta_people = [m for m in meta if not self._is_organisation(m)]
        for source in (lambda: people_ld, self.byline_names, lambda: meta_people,
                       lambda: organisations_ld, lambda: meta):
            raw = source()
            if raw and clean_author_names(raw, organisations):
                return raw
        return []

    def byline_names(self) -> list[str]:
        return bylines.byline_names(self.page.root, self._scope, self.finding, self.page.url)

    def _ld_authors(self) -> tuple[list[str], list[str]]:
        """The JSON-LD article's authors as (people, organisations); an author given as a
        reference (`{"@id": ...}`, as Yoast writes it) is read from the node it names."""
        nodes = {n.get("@id"): n for n in self.page.jsonld_nodes if isinstance(n.get("@id"), str)}
        people: list[str] = []
        organisations: list[str] = []
        for entry in jsonld.as_list(self.ld.get("author")):
            if isinstance(entry, dict) and "name" not in entry and entry.get("@id") in nodes:
                entry = nodes[entry["@id"]]
            for name in jsonld.names(entry):
                kinds = jsonld.types_of(entry) if isinstance(entry, dict) else set()
                is_person = "person" in kinds or not kinds & ORGANISATION_TYPES
                if is_person and not self._is_organisation(name):
                    people.append(name)
                else:
                    organisations.append(name)
        return people, organisations

    def _meta_authors(self) -> list[str]:
        meta = self.page.meta
        return [value for key in AUTHOR_META for value in meta.get(key, ())
                if value and not value.startswith(("http://", "https://"))]

    @cached_property
    def _organisation_names(self) -> list[str]:
        return [*self.publisher_names(), *titles.host_names(self.page.host)]

    def _is_organisation(self, name: str) -> bool:
        """Whether a name is the publication's: its declared name or its host name."""
        key = _name_key(name)
        return bool(key) and any(key == _name_key(o) for o in self._organisation_names)

    # -- images and related stories ----------------------------------------------------------
    @cached_property
    def _scope(self) -> etree._Element | None:
        """The article around the body: nearest <article>/<main> holding it, else its parent."""
        container = self.finding.container
        if container is None:
            return None
        for element in [container, *container.iterancestors()]:
            if element.tag in ("article", "main"):
                return element
        parent = container.getparent()
        return parent if parent is not None else container

    def images(self) -> list[Image]:
        if self._scope is not None:
            found = figure_images(self.page, self._scope, self.finding, self.figure_elements)
            if found:
                return found
        return super().images()  # og:image: the page's cover when the article shows none

    def related(self) -> list[RelatedLink]:
        if self._scope is None:
            return []
        return related_links(self.page, self._scope, self.finding)


def _position(item: dict) -> float:
    try:
        return float(item.get("position") or 0)
    except (TypeError, ValueError):
        return 0.0


def _breadcrumb_step(item: dict) -> tuple[str | None, str | None]:
    target = item.get("item")
    name = item.get("name")
    url = target if isinstance(target, str) else None
    if isinstance(target, dict):
        name = name or target.get("name")
        url = target.get("@id") or target.get("url")
    return (name if isinstance(name, str) else None), (url if isinstance(url, str) else None)


def _in_furniture(element: etree._Element) -> bool:
    """In navigation, a sidebar, a page footer or a dialog: a heading there heads no story."""
    return any(a.tag in _SITE_FURNITURE or (a.get("role") or "") in ("navigation", "dialog")
               for a in element.iterancestors())


def _name_key(name: str) -> str:
    return "".join(c for c in name.casefold() if c.isalnum())


def _has_offset(value: str) -> bool:
    return len(value) > 19 or value.endswith("Z")


def _is_utc(value: str) -> bool:
    return value.endswith(("+00:00", "Z"))


def _marks_publication(element: etree._Element) -> bool:
    """A <time> its markup names as the publication (`pubdate`, `itemprop=datePublished`,
    class words such as published, entry-date, post-date)."""
    if element.get("pubdate") is not None or (
            element.get("itemprop") or "").lower() in ("datepublished", "datecreated"):
        return True
    words = name_words(element)
    return bool(words & PUBLICATION_WORDS) and not words & UPDATE_WORDS
