"""Images with captions and credits, and related-story links, from the article's markup."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from lxml import etree

from newscrawl.extraction.blocks import srcset_candidates
from newscrawl.extraction.bodyfinder import BodyFinding, visible_text, within
from newscrawl.extraction.boilerplate import PICTURE_LABELS, is_hidden, is_named
from newscrawl.extraction.page import Page
from newscrawl.extraction.text import element_text, normalize_space
from newscrawl.model.items import Image, RelatedLink

CREDIT_WORDS = frozenset({"credit", "credits", "copyright", "photographer", "source",
                          "attribution", "byline", "author", "imagecredit", "photocredit",
                          "rights", "agency"})
CREDIT_ITEMPROPS = frozenset({"copyrightholder", "creator", "author", "credittext"})
CAPTION_WORDS = frozenset({"caption", "figcaption", "legend", "description", "imagecaption"})
# Credits written into the caption text: "... (AP Photo/Jane Doe)", "... Photo: Jane Doe".
_CREDIT_IN_PARENS = re.compile(
    r"\s*[(\[]([^()\[\]]*\b(?:photo|foto|bild|image|picture|credit|crédit|crédito|фото)\b"
    r"[^()\[\]]*|©[^()\[\]]*)[)\]]\s*$", re.IGNORECASE)
_CREDIT_AFTER_LABEL = re.compile(
    r"(?:^|(?<=[.!?\s]))\s*(?:photo(?:graph)?|picture|image|foto|bild|credit|crédit|crédito|"
    r"фото|©)\s*(?::|by\b|©)\s*([^:]{2,100})$", re.IGNORECASE)
_CREDIT_LABEL = re.compile(
    rf"^(?:©|\(c\)|copyright|{PICTURE_LABELS}|quelle|créditos?|source)\s*(?::|©|by\b)?\s*"
    r"(?:©\s*)?", re.IGNORECASE)
_CAPTION_LEVELS = 3


def split_credit(caption: str) -> tuple[str, str | None]:
    """Separate a credit written at the end of a caption from the caption itself."""
    for pattern in (_CREDIT_IN_PARENS, _CREDIT_AFTER_LABEL):
        match = pattern.search(caption)
        if match and match.start() > 0:
            return caption[:match.start()].strip(), normalize_space(match.group(1)) or None
    return caption, None


def _credit_elements(figure: etree._Element) -> list[etree._Element]:
    found = []
    for element in figure.iter():
        if not isinstance(element.tag, str) or element is figure:
            continue
        itemprop = (element.get("itemprop") or "").lower()
        is_credit = itemprop in CREDIT_ITEMPROPS or is_named(element, CREDIT_WORDS)
        if is_credit and not any(within(element, e) for e in found):
            found.append(element)
    return found


def _caption_element(figure: etree._Element) -> etree._Element | None:
    return next((e for e in figure.iterdescendants(etree.Element) if _is_caption(e)), None)


def _is_caption(element: etree._Element) -> bool:
    return element.tag == "figcaption" or is_named(element, CAPTION_WORDS)


def _holds_caption(element: etree._Element, known: dict[etree._Element, bool]) -> bool:
    """Whether a caption sits below `element`, each subtree searched once: the pictures of a
    gallery or a list share their containers, and a container's answer is its children's
    (segments.json, from the root: 1.1 against 3.0 ms a page for a search of every subtree).
    The search keeps its own stack, in document order: pages nest deeper than Python's
    recursion limit."""
    answer = known.get(element)
    if answer is not None:
        return answer
    path = [(element, element.iterchildren(etree.Element))]
    while path:
        node, children = path[-1]
        child = next(children, None)
        if child is None:  # every child searched: no caption below this one
            known[node] = False
            path.pop()
            continue
        found = True if _is_caption(child) else known.get(child)
        if found:
            known.update((holder, True) for holder, _ in path)
            return True
        if found is None:
            path.append((child, child.iterchildren(etree.Element)))
    return False


def figure_image(page: Page, figure: etree._Element) -> Image | None:
    img = next((i for i in figure.iter("img") if not is_hidden(i)), None)
    url = best_image_url(page, img) if img is not None else None
    if not url:
        return None
    credits = _credit_elements(figure)
    credit = clean_credit(" ".join(element_text(c) for c in credits))
    caption_element = _caption_element(figure)
    caption = None
    if caption_element is not None:
        caption = normalize_space(element_text(caption_element, set(credits))) or None
    if caption and not credit:
        caption, credit = split_credit(caption)
        credit = clean_credit(credit)
    alt = normalize_space(img.get("alt")) or None
    return Image(url=url, caption=caption or None, credit=credit, alt=alt)


def clean_credit(credit: str | None) -> str | None:
    """A credit without its label: "Photo: Jane Doe/AP", "(AP)", "© Agency" give the names."""
    text = normalize_space(credit)
    if text.startswith("(") and text.endswith(")"):
        text = text[1:-1].strip()
    text = _CREDIT_LABEL.sub("", text)
    return normalize_space(text) or None


def best_image_url(page: Page, img: etree._Element) -> str | None:
    """The largest version of an image: every src-like attribute of the img and of the
    <source> elements of its <picture> (lazy-loading scripts use data-*src* names), read as
    srcset where it is one; inline data: placeholders never count."""
    elements = [img]
    # The parser does not know <source> is empty, so an <img> may sit inside one.
    picture = next((a for _, a in zip(range(3), img.iterancestors(), strict=False)
                    if a.tag == "picture"), None)
    if picture is not None:
        elements.extend(picture.iter("source"))
    best: tuple[float, str] | None = None
    fallback: str | None = None
    for element in elements:
        for name, value in element.attrib.items():
            if "src" not in name.lower() or not value or value.lstrip().startswith("data:"):
                continue
            for width, url in _candidates(value):
                absolute = page.absolute(url)
                if not absolute:
                    continue
                if width and (best is None or width > best[0]):
                    best = (width, absolute)
                elif fallback is None and element is img:
                    fallback = absolute
    return best[1] if best else fallback


def _candidates(value: str) -> list[tuple[float, str]]:
    """(width, URL) of each candidate of a src or srcset value; 0 where no width is given."""
    return [(size if unit == "w" else 0.0, url) for url, size, unit in srcset_candidates(value)
            if not url.startswith("data:")]


def figure_images(page: Page, scope: etree._Element, finding: BodyFinding,
                  elements: dict[int, etree._Element] | None = None) -> list[Image]:
    """The figures of the article, in order; none from related-story blocks, teaser cards or
    hidden markup. A figure is a <figure>, or the nearest element around an <img> that also
    holds a caption. `elements`, when given, gets each image's figure by the image's id()."""
    images: list[Image] = []
    for figure in _figures(scope):
        if figure in finding.cards or finding.in_other_story(figure, scope) or any(
                a.tag in ("aside", "nav", "footer") for a in _ancestors_within(figure, scope)):
            continue
        image = figure_image(page, figure)
        if image and all(image.url != seen.url for seen in images):
            images.append(image)
            if elements is not None:
                elements[id(image)] = figure
    return images


def _figures(scope: etree._Element) -> list[etree._Element]:
    figures: list[etree._Element] = []
    captioned: dict[etree._Element, bool] = {}
    for element in scope.iter("figure", "img"):
        if element.tag == "figure":
            figures.append(element)
            continue
        if any(a.tag == "figure" for a in _ancestors_within(element, scope)):
            continue
        holder = element
        for _ in range(_CAPTION_LEVELS):
            holder = holder.getparent()
            if holder is None or holder is scope:
                break
            if _holds_caption(holder, captioned):
                if not any(within(holder, f) for f in figures[-1:]):
                    figures.append(holder)
                break
    return figures


def _ancestors_within(element: etree._Element, scope: etree._Element):
    for ancestor in element.iterancestors():
        if ancestor is scope:
            return
        yield ancestor


def related_links(page: Page, scope: etree._Element, finding: BodyFinding) -> list[RelatedLink]:
    """Links to other stories placed in the article: related blocks and link-only paragraphs."""
    anchors: list[etree._Element] = []
    for element, kind in finding.flagged.items():
        if kind == "related" and within(element, scope):
            anchors.extend(element.iter("a"))
    for block in finding.link_blocks:
        anchors.extend(block.element.iter("a"))
    here = page.url.split("#")[0]
    links: dict[str, RelatedLink] = {}
    for anchor in anchors:
        url = page.absolute(anchor.get("href"))
        if not url or url.split("#")[0] == here or url in links or not looks_like_story(url):
            continue
        headline = visible_text(anchor) or None
        if headline and len(headline.split()) >= 3:
            links[url] = RelatedLink(url=url, headline=headline)
    return list(links.values())


_STORY_SEGMENT = re.compile(r"(?:[^/]*[-_][^/]*[-_][^/]*)|\d{4,}")


def looks_like_story(url: str) -> bool:
    """Story URLs carry a slug ("words-of-the-headline") or a long numeric id in their path;
    section fronts, author pages and "about us" pages mostly do not."""
    path = urlsplit(url).path
    return any(_STORY_SEGMENT.search(segment) for segment in path.split("/") if segment)
