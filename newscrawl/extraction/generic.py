"""The generic extractor: for pages of sites that have no profile.

Metadata comes from the shared signal readers of `ArticleExtractor`; the body, the shown lead,
images and related links come from the markup, through the body finder. No rule here names a
site: each must hold for news pages in general.
"""

from __future__ import annotations

import re
from functools import cached_property
from urllib.parse import urlsplit

from lxml import etree

from newscrawl.extraction import dates, jsonld
from newscrawl.extraction.article import ArticleExtractor
from newscrawl.extraction.bodyfinder import Block, BodyFinding, find_body, within
from newscrawl.extraction.boilerplate import name_words
from newscrawl.extraction.figures import figure_images, related_links
from newscrawl.extraction.html_body import SourceBlock, source_parts
from newscrawl.extraction.text import count_words, element_text, normalize_space
from newscrawl.extraction.titles import clean_title
from newscrawl.items import Image, RelatedLink

# Class/id words that mark a standfirst (the summary under the headline) across languages' CMSs.
LEAD_WORDS = frozenset({"standfirst", "dek", "deck", "summary", "lead", "leadtext", "teaser",
                        "intro", "introduction", "subtitle", "subheadline", "subhead",
                        "description", "excerpt", "sapo", "chapo", "strapline", "abstract",
                        "synopsis", "descriptionsummary", "articlelead", "storylead"})
PUBLISHED_META = ("article:published_time", "datepublished", "pubdate", "publishdate",
                  "publish-date", "date", "dc.date", "dc.date.issued", "dcterms.created",
                  "dcterms.issued", "sailthru.date", "parsely-pub-date", "og:published_time",
                  "article.published", "publication_date", "citation_publication_date")
MODIFIED_META = ("article:modified_time", "og:updated_time", "datemodified", "lastmod",
                 "last-modified", "dcterms.modified", "article.updated", "dc.date.modified")
# contains() on a few spellings: translate() to lower case costs more than the whole walk.
# Compiled once: the expression is the same for every page.
_MARKED = etree.XPath(".//*[@itemprop or @rel='author' or " + " or ".join(
    f"contains(@class, '{part}')" for part in ("uthor", "UTHOR", "yline", "yLine", "YLINE")) + "]")
BYLINE_WORDS = frozenset({"byline", "bylines", "author", "authors", "authorname", "byauthor"})
_LEAD_ANCESTOR_LEVELS = 3
_TAG = re.compile(r"<[^>]{0,200}>")
MAX_DATE_TEXT = 80  # longer "time" text is no date, and dateparser is slow on long input
MIN_LEAD = 30
MAX_LEAD = 1200
MAX_LEAD_BLOCKS = 3
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
            return structured
        return found

    @cached_property
    def block_sources(self) -> list[SourceBlock]:
        shown_lead = self._shown_lead_block or []
        return [SourceBlock(b.element, source_parts(b.text), skip_hidden=True)
                for b in [*shown_lead, *self.finding.blocks]]

    def _structured_body(self) -> list[str]:
        text = self.ld_value("articleBody")
        if not text or "<" in text[:200]:
            return []
        return [p for p in (normalize_space(x) for x in text.split("\n")) if p]

    # -- lead ------------------------------------------------------------------------------
    @cached_property
    def _shown_lead_block(self) -> list[Block] | None:
        """The standfirst blocks shown between the headline and the body, if any."""
        blocks = self.finding.all_blocks
        body = self.finding.blocks
        if not blocks or not body:
            return None
        first = next((i for i, b in enumerate(blocks) if b is body[0]), None)
        if first is None:
            return None
        start = max((i for i, b in enumerate(blocks[:first]) if b.element.tag == "h1"),
                    default=None)
        described = (self._description() or "").casefold()
        window = blocks[start + 1 if start is not None else first:first + 1]
        for index, block in enumerate(window):
            if block.is_heading or not self._lead_like(block):
                continue  # a title or subheading is no standfirst: those are paragraphs
            text = normalize_space(block.text).casefold()
            hook = self._lead_hook(block.element)
            if hook is not None:
                lead = []
                for following in window[index:index + MAX_LEAD_BLOCKS]:
                    if (not within(following.element, hook) or not self._lead_like(following)
                            or following.is_heading):
                        break
                    lead.append(following)
                return lead
            if described and (text == described or (len(text) > 60 and described.startswith(
                    text.rstrip(".…")))):
                return [block]
        return None

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
            if name_words(candidate) & LEAD_WORDS:
                return candidate
        return None

    @cached_property
    def _shown_lead(self) -> str | None:
        if not self._shown_lead_block:
            return None
        return "\n\n".join(b.text for b in self._shown_lead_block) or None

    def _description(self) -> str | None:
        """The meta/JSON-LD description as text: some CMSs put escaped HTML in it."""
        text = clean_title(super().lead())  # entities decoded, also when escaped twice over
        if "<" in text:
            text = _TAG.sub(" ", text)
        return normalize_space(text) or None

    def lead(self) -> str | None:
        return self._shown_lead or self._description()

    def lead_in_body(self) -> bool:
        return self._shown_lead is not None

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
        return self._reconciled_date(
            [self.ld_value("datePublished", "dateCreated"),
             *self._meta_values(PUBLISHED_META), *self._microdata("datepublished")],
            "published")

    def modified(self) -> str | None:
        return self._reconciled_date(
            [self.ld_value("dateModified"), *self._meta_values(MODIFIED_META),
             *self._microdata("datemodified")], None)

    def _meta_values(self, keys: tuple[str, ...]) -> list[str]:
        return [value for key in keys for value in self.page.meta.get(key, ())]

    @cached_property
    def _marked(self) -> list[etree._Element]:
        """Elements of the article carrying microdata or byline markup, found once in C."""
        scope = self._scope if self._scope is not None else self.page.root
        return [e for e in _MARKED(scope) if not self.finding.in_other_story(e, scope)]

    def _microdata(self, prop: str) -> list[str]:
        return [element.get("datetime") or element.get("content") or element_text(element)
                for element in self._marked if (element.get("itemprop") or "").lower() == prop]

    def _reconciled_date(self, values: list[str | None], kind: str | None) -> str | None:
        """The first machine-readable date; when it states no offset but another source gives
        the same wall-clock minute with one, that one (a zone is read, never guessed). Without
        any, the article's own <time> element (never one of a related story or a comment)."""
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
            parsed_text = self.parse_date_text(written)
            if parsed_text:
                return parsed_text
        return self._article_time() if kind == "published" else None

    def _article_time(self) -> str | None:
        scope = self._scope
        if scope is None:
            return None
        for element in scope.iter("time"):
            if self.finding.in_other_story(element, scope):
                continue
            shown = element_text(element)
            parsed = (dates.parse_machine(element.get("datetime"), self.timezone)
                      or (self.parse_date_text(shown) if len(shown) <= MAX_DATE_TEXT else None))
            if parsed:
                return parsed
        return None

    # -- authors ---------------------------------------------------------------------------
    def author_candidates(self) -> list[str]:
        """Structured authors first; else the byline shown in the article (never one from a
        related-story card, which names another story's author)."""
        from_ld = jsonld.names(self.ld.get("author"))
        if from_ld:
            return from_ld
        return self.byline_names() or super().author_candidates()

    def byline_names(self) -> list[str]:
        if self._scope is None:
            return []
        names: list[str] = []
        for element in self._marked:
            itemprop = (element.get("itemprop") or "").lower()
            if itemprop == "author" or (element.tag == "a" and element.get("rel") == "author"):
                inner = next((e for e in element.iter() if e.get("itemprop") == "name"), element)
                names.append(element_text(inner) or normalize_space(inner.get("content")))
            elif name_words(element) & BYLINE_WORDS and not names:
                names.append(element_text(element))
        return [n for n in names if n]

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


def _has_offset(value: str) -> bool:
    return len(value) > 19 or value.endswith("Z")
