"""Site profiles: what a publisher's site is (hosts, timezone, entry points) and, per page
design, the selectors for every field.

A profile module declares one `PROFILE = SiteProfile(...)` and one `SelectorArticle` subclass
per page design. A field whose selector is declared is read from that selector only, so a
markup change shows up as a missing field instead of being papered over by a guess; fields
left undeclared fall back to the shared metadata signals of `ArticleExtractor`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import ClassVar

from parsel import Selector

from newscrawl.extraction import dates, titles
from newscrawl.extraction.article import ArticleExtractor
from newscrawl.extraction.authors import clean_author_names
from newscrawl.extraction.blocks import (
    DEFAULT_BLOCKS,
    IMAGE_SOURCE_ATTRIBUTES,
    collect_blocks,
    collect_text_runs,
    image_url,
    link_of,
    picture_source_url,
    select_all,
    text_of,
    texts_of,
)
from newscrawl.extraction.page import Page
from newscrawl.extraction.text import element_text, normalize_space, unique
from newscrawl.model.items import Dateline, Image, ListingEntry, ListingPage, RelatedLink
from newscrawl.model.urls import url_host

GENERIC = "generic"  # a field's source: the shared reading of ArticleExtractor
HEADLINE_METADATA: Mapping[str, Callable[[ArticleExtractor], str | None]] = {
    "jsonld": lambda article: article.ld_value("headline"),
    "og:title": lambda article: article.page.meta_first("og:title"),
}
# Per Article field, the setting naming its sources and the methods that read it.
FIELD_SETTINGS: Mapping[str, tuple[str | None, tuple[str, ...]]] = {
    "canonical_url": (None, ("canonical_url",)),
    "headline": ("headline_sources", ("headline",)),
    "lead": ("lead_css", ("lead",)),
    "section": ("section_css", ("section",)),
    "authors": ("authors_css", ("authors", "author_candidates")),
    "language": (None, ("language",)),
    "published": ("published_css", ("published",)),
    "modified": ("modified_css", ("modified",)),
    "dateline": ("dateline_css", ("dateline", "dateline_raw")),
    "body": ("body_css", ("body_blocks",)),
    "images": ("image_css", ("images", "figure_image")),
    "related": ("related_css", ("related",)),
    "tags": ("tags_css", ("tags",)),
}
_SHARED_CLASSES = frozenset({"SelectorArticle", "ArticleExtractor"})
DATE_ATTRIBUTES = ("datetime", "data-unixtime", "data-timestamp", "data-time", "content",
                   "data-published", "data-date")
# Below these shares of items having a field, a crawl reports that extraction broke.
# `design` is the share of pages one of the profile's designs recognised: when a site changes
# its markup, the generic fallback may still find a body, but the profile no longer applies.
DEFAULT_THRESHOLDS: Mapping[str, float] = {"headline": 0.95, "body": 0.95, "published": 0.9,
                                           "design": 0.9}


class SelectorArticle(ArticleExtractor):
    """An article design of one site, described by CSS selectors."""

    detect: ClassVar[str] = "html"  # this design is used when this selector matches
    # Where the headline is read, in order, until one source has text: a CSS selector (the
    # visible headline), "jsonld" (the article node's `headline`), "og:title" (both with
    # `headline_suffix_re`, a site-name suffix such as " | Metro News", cut), "generic" (the
    # vote of `ArticleExtractor.headline`). Metadata first where the publisher declares a
    # headline that differs from the visible h1 (an SEO headline, typeset quotes).
    headline_sources: ClassVar[Sequence[str]] = (GENERIC,)
    headline_suffix_re: ClassVar[str | None] = None
    lead_css: ClassVar[str | None] = None
    lead_shown: ClassVar[bool] = True
    section_css: ClassVar[str | None] = None
    authors_css: ClassVar[str | None] = None
    tags_css: ClassVar[str | None] = None
    published_css: ClassVar[str | None] = None
    modified_css: ClassVar[str | None] = None
    dateline_css: ClassVar[str | None] = None
    dateline_exclude: ClassVar[str | None] = None  # labels inside the date ("Published")
    # Where a site sets the dateline place ("AUBURN, Wash. —") apart from the first paragraph.
    dateline_place_css: ClassVar[str | None] = None
    body_css: ClassVar[str | None] = None
    body_blocks_css: ClassVar[str] = DEFAULT_BLOCKS
    body_exclude: ClassVar[Sequence[str]] = ()
    # For text laid out as runs between line breaks rather than paragraph elements: the
    # elements that break it (besides <br>); the body is then the runs, see collect_text_runs.
    body_breaks_css: ClassVar[str | None] = None
    image_css: ClassVar[str | None] = None
    image_img_css: ClassVar[str] = "img"
    # Attributes holding the picture's URL, in order of preference (lazy loaders keep a
    # placeholder in `src` and the real URL in `data-src`).
    image_src_attributes: ClassVar[Sequence[str]] = IMAGE_SOURCE_ATTRIBUTES
    image_caption_css: ClassVar[str | None] = None
    image_credit_css: ClassVar[str | None] = None
    image_caption_exclude: ClassVar[str | None] = None  # separators, "Copyright" labels
    image_credit_exclude: ClassVar[str | None] = None  # labels inside the credit ("Credit:")
    image_caption_from_title: ClassVar[bool] = False
    # Take the widest srcset candidate before src (sites whose src is a small rendition).
    image_prefer_srcset: ClassVar[bool] = False
    # srcset attributes of the `<source>` elements of the image's `<picture>`; when set, the
    # source for the widest screens gives the URL (the `<img>` itself is the small fallback).
    image_picture_sources: ClassVar[tuple[str, ...]] = ()
    # For captions that end with their credit ("... (Picture: Getty)"): a regular expression
    # with a `credit` group; the match is cut from the caption and becomes the credit.
    image_caption_credit_re: ClassVar[str | None] = None
    related_css: ClassVar[str | None] = None
    related_link_css: ClassVar[str | None] = None
    related_headline_css: ClassVar[str | None] = None
    related_section_css: ClassVar[str | None] = None

    @classmethod
    def matches(cls, page: Page) -> bool:
        return bool(page.css(cls.detect))

    @classmethod
    def field_sources(cls) -> dict[str, list[str]]:
        """Where this design reads each Article field, in the order tried: its own code first
        (a method it overrides, which may go on to the declared sources through super()),
        then its selectors or metadata, else "generic" (ArticleExtractor's reading)."""
        found: dict[str, list[str]] = {}
        for field_name, (setting, methods) in FIELD_SETTINGS.items():
            code = [f"{method.__qualname__}()" for method in
                    (getattr(cls, name) for name in methods)
                    if method.__qualname__.split(".")[0] not in _SHARED_CLASSES]
            declared = getattr(cls, setting, None) if setting else None
            sources = ([declared] if isinstance(declared, str) else list(declared or ())
                       ) or [GENERIC]
            found[field_name] = code + sources
        return found

    @property
    def name(self) -> str:  # type: ignore[override]
        return self.profile.name if self.profile else "generic"

    def headline(self) -> str | None:
        for source in self.headline_sources:
            if source == GENERIC:
                text = super().headline()
            elif source in HEADLINE_METADATA:
                text = titles.clean_title(HEADLINE_METADATA[source](self))
                if text and self.headline_suffix_re:
                    text = normalize_space(re.sub(self.headline_suffix_re, "", text))
            else:
                text = text_of(self.page.css(source))
            if text:
                return text
        return None

    def lead(self) -> str | None:
        if self.lead_css:
            return text_of(self.page.css(self.lead_css))
        return super().lead()

    def lead_in_body(self) -> bool:
        return bool(self.lead_css) and self.lead_shown

    def section(self) -> str | None:
        if self.section_css:
            return text_of(self.page.css(self.section_css))
        return super().section()

    def authors(self) -> list[str]:
        if self.authors_css:
            found = texts_of(self.page.css(self.authors_css))
            return clean_author_names(found, self.publisher_names())
        return super().authors()

    def tags(self) -> list[str]:
        if self.tags_css:
            return unique(texts_of(self.page.css(self.tags_css)))
        return super().tags()

    def published(self) -> str | None:
        if self.published_css:
            return self.date_from(self.page.css(self.published_css))
        return super().published()

    def modified(self) -> str | None:
        if self.modified_css:
            return self.date_from(self.page.css(self.modified_css))
        return super().modified()

    def dateline_raw(self) -> str | None:
        if self.dateline_css:
            return text_of(self.page.css(self.dateline_css), self.dateline_exclude)
        return super().dateline_raw()

    def dateline(self) -> Dateline | None:
        if not self.dateline_place_css:
            return super().dateline()
        place = (text_of(self.page.css(self.dateline_place_css)) or "").rstrip(" ,—–-:") or None
        raw = self.dateline_raw()
        return Dateline(raw=raw, place=place) if raw or place else None

    def date_from(self, selection: Sequence[Selector]) -> str | None:
        """A date from an element: its machine-readable attribute, else its text."""
        for element in selection:
            for attribute in DATE_ATTRIBUTES:
                parsed = dates.parse_machine(element.root.get(attribute), self.timezone)
                if parsed:
                    return parsed
            parsed = self.parse_date_text(normalize_space(element.xpath("string()").get()))
            if parsed:
                return parsed
        return None

    def body_blocks(self) -> list[str]:
        if not self.body_css:
            return super().body_blocks()
        containers = self.page.css(self.body_css)
        if self.body_breaks_css:
            return collect_text_runs(containers, self.body_breaks_css, self.body_exclude)
        return collect_blocks(containers, self.body_blocks_css, self.body_exclude,
                              self.block_sources)

    def images(self) -> list[Image]:
        if not self.image_css:
            return super().images()
        found: list[Image] = []
        for figure in self.page.css(self.image_css):
            image = self.figure_image(figure)
            if image and all(image.url != seen.url for seen in found):
                found.append(image)
                self.figure_elements[id(image)] = figure.root
        return found

    def figure_image(self, figure: Selector) -> Image | None:
        img = figure.css(self.image_img_css)
        if not img and figure.root.tag == "img":
            img = [figure]
        if not img:
            return None
        url = image_url(self.page, img[0], self.image_src_attributes,
                        prefer_srcset=self.image_prefer_srcset)
        if self.image_picture_sources:
            url = picture_source_url(self.page, img[0], self.image_picture_sources) or url
        if not url:
            return None
        credit = (text_of(figure.css(self.image_credit_css), self.image_credit_exclude)
                  if self.image_credit_css else None)
        if self.image_caption_css:
            skip = [css for css in (self.image_credit_css, self.image_caption_exclude) if css]
            caption = text_of(figure.css(self.image_caption_css), skip)
        elif self.image_caption_from_title:
            caption = normalize_space(img[0].root.get("title")) or None
        else:
            caption = None
        if caption and self.image_caption_credit_re:
            caption, credit = self.split_caption_credit(caption, credit)
        alt = normalize_space(img[0].root.get("alt")) or None
        return Image(url=url, caption=caption, credit=credit, alt=alt)

    def split_caption_credit(self, caption: str,
                             credit: str | None) -> tuple[str | None, str | None]:
        match = re.search(self.image_caption_credit_re or "", caption)
        if not match or not match.group("credit"):
            return caption, credit
        rest = normalize_space(caption[:match.start()] + " " + caption[match.end():])
        return rest or None, credit or normalize_space(match.group("credit"))

    def related(self) -> list[RelatedLink]:
        if not self.related_css:
            return super().related()
        links: list[RelatedLink] = []
        for block in self.page.css(self.related_css):
            url = link_of(self.page, block, self.related_link_css)
            if not url:
                continue
            headline = (text_of(block.css(self.related_headline_css))
                        if self.related_headline_css else text_of(block.css("a[href]")))
            section = (text_of(block.css(self.related_section_css))
                       if self.related_section_css else None)
            links.append(RelatedLink(url=url, headline=headline, section=section))
        return links


class SelectorListing:
    """A listing design (section page, home page) of one site, described by CSS selectors.

    Without `entry_css`, every link on the page whose URL is an article URL of the site
    becomes an entry, headline from the link text.
    """

    version: ClassVar[str] = "1"
    detect: ClassVar[str] = "html"
    section_css: ClassVar[str | None] = None
    entry_css: ClassVar[str | None] = None
    entry_link_css: ClassVar[str] = "a[href]"
    entry_headline_css: ClassVar[str | None] = None
    entry_date_css: ClassVar[str | None] = None
    entry_section_css: ClassVar[str | None] = None
    next_page_css: ClassVar[str | None] = None
    next_page_attribute: ClassVar[str] = "href"

    def __init__(self, page: Page, profile: SiteProfile) -> None:
        self.page = page
        self.profile = profile
        self.dates = SelectorArticle(page, profile)

    @classmethod
    def matches(cls, page: Page) -> bool:
        return bool(page.css(cls.detect))

    def entries(self) -> list[ListingEntry]:
        if not self.entry_css:
            return self.linked_articles()
        found: dict[str, ListingEntry] = {}
        for block in self.page.css(self.entry_css):
            url = link_of(self.page, block, self.entry_link_css)
            if not url or url in found or not self.profile.is_article_url(url):
                continue
            headline = text_of(block.css(self.entry_headline_css or self.entry_link_css))
            published = (self.dates.date_from(block.css(self.entry_date_css))
                         if self.entry_date_css else None)
            section = (text_of(block.css(self.entry_section_css))
                       if self.entry_section_css else None)
            found[url] = ListingEntry(url=url, headline=headline, published=published,
                                      section=section)
        return list(found.values())

    def linked_articles(self) -> list[ListingEntry]:
        found: dict[str, ListingEntry] = {}
        for anchor in self.page.root.iter("a"):
            url = self.page.absolute(anchor.get("href"))
            if not url or not self.profile.is_article_url(url):
                continue
            url = url.split("#")[0]
            headline = normalize_space(element_text(anchor)) or None
            entry = found.get(url)
            if entry is None:
                found[url] = ListingEntry(url=url, headline=headline)
            elif not entry.headline:
                entry.headline = headline
        return list(found.values())

    def next_page(self) -> str | None:
        if not self.next_page_css:
            return None
        for element in self.page.css(self.next_page_css):
            url = self.page.absolute(element.root.get(self.next_page_attribute))
            if url:
                return url
        return None

    def listing(self) -> ListingPage:
        section = text_of(self.page.css(self.section_css)) if self.section_css else None
        return ListingPage(url=self.page.url, site=self.profile.name,
                           extractor=f"{self.profile.name}@listing-{self.version}",
                           fetched_at=dates.format_datetime(self.page.fetched_at),
                           section=section, entries=self.entries(), next_page=self.next_page())


def declared_selectors(design: type) -> list[str]:
    """Every CSS selector a page design declares: `detect`, its `*_css` and `*_exclude`
    settings and the selectors among its `*_sources`."""
    found: list[str] = []
    for name in dir(design):
        if name == "detect" or name.endswith(("_css", "_exclude", "_sources")):
            value = getattr(design, name)
            values = [value] if isinstance(value, str) else value
            if isinstance(values, list | tuple):
                found.extend(v for v in values if isinstance(v, str) and v
                             and v != GENERIC and v not in HEADLINE_METADATA)
    return list(dict.fromkeys(found))


@dataclass(frozen=True)
class SiteProfile:
    """Everything newscrawl knows about one publisher's site."""

    name: str
    hosts: tuple[str, ...]
    article_url: str  # regular expression an article URL matches (searched in the full URL)
    layouts: tuple[type[SelectorArticle], ...]  # newest design first
    timezone: str | None = None  # IANA name, used when a page shows a time without zone
    language: str | None = None
    listing_layouts: tuple[type[SelectorListing], ...] = (SelectorListing,)
    section_pages: tuple[str, ...] = ()
    sitemaps: tuple[str, ...] = ()
    feeds: tuple[str, ...] = ()
    thresholds: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_THRESHOLDS))
    description: str = ""

    def __post_init__(self) -> None:
        object.__setattr__(self, "_article_re", re.compile(self.article_url))

    def serves(self, url: str) -> bool:
        return self.serves_host(url_host(url))

    def serves_host(self, host: str) -> bool:
        return any(host == h or host.endswith("." + h) for h in self.hosts)

    def is_article_url(self, url: str) -> bool:
        return self.serves(url) and bool(self._article_re.search(url))  # type: ignore[attr-defined]

    def layout_for(self, page: Page) -> type[SelectorArticle] | None:
        return next((layout for layout in self.layouts if layout.matches(page)), None)

    def listing_layout_for(self, page: Page) -> type[SelectorListing]:
        matching = (layout for layout in self.listing_layouts if layout.matches(page))
        return next(matching, SelectorListing)


__all__ = ["DEFAULT_THRESHOLDS", "SelectorArticle", "SelectorListing", "SiteProfile",
           "declared_selectors", "select_all"]
