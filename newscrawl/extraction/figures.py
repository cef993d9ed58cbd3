"""Images with captions and credits, and related-story links, from the article's markup."""

from __future__ import annotations

import re

from lxml import etree
from parsel import Selector

from newscrawl.extraction.blocks import image_url
from newscrawl.extraction.bodyfinder import BodyFinding
from newscrawl.extraction.boilerplate import Kind, is_hidden, name_words
from newscrawl.extraction.page import Page
from newscrawl.extraction.text import element_text, normalize_space
from newscrawl.items import Image, RelatedLink

CREDIT_WORDS = frozenset({"credit", "credits", "copyright", "photographer", "source",
                          "attribution", "byline", "author", "imagecredit", "photocredit",
                          "rights", "agency"})
CREDIT_ITEMPROPS = frozenset({"copyrightholder", "creator", "author", "creditText".lower()})
CAPTION_WORDS = frozenset({"caption", "figcaption", "legend", "description", "imagecaption"})
# Credits written into the caption text: "... (AP Photo/Jane Doe)", "... Photo: Jane Doe".
_CREDIT_IN_PARENS = re.compile(
    r"\s*[(\[]([^()\[\]]*\b(?:photo|foto|bild|image|picture|credit|crédit|crédito|фото)\b"
    r"[^()\[\]]*|©[^()\[\]]*)[)\]]\s*$", re.IGNORECASE)
_CREDIT_AFTER_LABEL = re.compile(
    r"(?:^|(?<=[.!?\s]))\s*(?:photo(?:graph)?|picture|image|foto|bild|credit|crédit|crédito|"
    r"фото|©)\s*(?::|by\b|©)\s*([^:]{2,100})$", re.IGNORECASE)
_COPYRIGHT_SIGN = re.compile(r"^\s*(?:©|\(c\)|copyright)\s*", re.IGNORECASE)


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
        is_credit = itemprop in CREDIT_ITEMPROPS or name_words(element) & CREDIT_WORDS
        if is_credit and not any(_inside(element, e) for e in found):
            found.append(element)
    return found


def _caption_element(figure: etree._Element) -> etree._Element | None:
    for element in figure.iter():
        if isinstance(element.tag, str) and element is not figure and (
                element.tag == "figcaption" or name_words(element) & CAPTION_WORDS):
            return element
    return None


def figure_image(page: Page, figure: etree._Element) -> Image | None:
    img = next((i for i in figure.iter("img") if not is_hidden(i)), None)
    if img is None:
        return None
    url = image_url(page, Selector(root=img, type="html"), prefer_srcset=True)
    if not url:
        return None
    credits = _credit_elements(figure)
    credit = normalize_space(" ".join(element_text(c) for c in credits)) or None
    credit = _COPYRIGHT_SIGN.sub("", credit) or None if credit else None
    caption_element = _caption_element(figure)
    caption = None
    if caption_element is not None:
        caption = normalize_space(element_text(caption_element, set(credits))) or None
    if caption and not credit:
        caption, credit = split_credit(caption)
    alt = normalize_space(img.get("alt")) or None
    return Image(url=url, caption=caption or None, credit=credit, alt=alt)


def figure_images(page: Page, scope: etree._Element,
                  flagged: dict[etree._Element, Kind]) -> list[Image]:
    """The figures of the article, in order; none from related-story or hidden blocks."""
    images: list[Image] = []
    for figure in scope.iter("figure"):
        if any(flagged.get(a) in ("related", "unseen") or a.tag in ("aside", "nav", "footer")
               for a in _ancestors_within(figure, scope)):
            continue
        image = figure_image(page, figure)
        if image and all(image.url != seen.url for seen in images):
            images.append(image)
    return images


def _inside(element: etree._Element, ancestor: etree._Element) -> bool:
    return any(a is ancestor for a in element.iterancestors())


def _ancestors_within(element: etree._Element, scope: etree._Element):
    for ancestor in element.iterancestors():
        if ancestor is scope:
            return
        yield ancestor


def related_links(page: Page, scope: etree._Element, finding: BodyFinding) -> list[RelatedLink]:
    """Links to other stories placed in the article: related blocks and link-only paragraphs."""
    anchors: list[etree._Element] = []
    for element, kind in finding.flagged.items():
        if kind == "related" and (element is scope or scope in set(element.iterancestors())):
            anchors.extend(element.iter("a"))
    for block in finding.link_blocks:
        anchors.extend(block.element.iter("a"))
    here = page.url.split("#")[0]
    links: dict[str, RelatedLink] = {}
    for anchor in anchors:
        url = page.absolute(anchor.get("href"))
        headline = normalize_space(element_text(anchor)) or None
        if not url or url.split("#")[0] == here or not headline or len(headline.split()) < 3:
            continue
        if url not in links:
            links[url] = RelatedLink(url=url, headline=headline)
    return list(links.values())
