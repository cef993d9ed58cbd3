"""CSS selection through parsel's translator, each selector translated and compiled once.

parsel keeps only the last 256 translations, fewer than the selectors of all site profiles
together, so a crawl over many sites would translate the same selectors again and again.
"""

from __future__ import annotations

from functools import cache

from lxml import etree
from parsel.csstranslator import HTMLTranslator

_TRANSLATOR = HTMLTranslator()


@cache
def css_to_xpath(query: str) -> str:
    """The XPath of a CSS query, translated once per process."""
    return _TRANSLATOR.css_to_xpath(query)


@cache
def compiled_css(query: str) -> etree.XPath:
    """The CSS query as a compiled XPath; strings come back plain, as parsel's do."""
    return etree.XPath(css_to_xpath(query), smart_strings=False)


def select(scope: etree._Element, query: str) -> list[etree._Element]:
    """The elements matching the CSS `query` in `scope`, the scope itself included, in document
    order; the lxml elements themselves, for helpers that walk the tree."""
    return [found for found in compiled_css(query)(scope) if isinstance(found, etree._Element)]
