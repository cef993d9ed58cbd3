"""CSS selection through the compiled selectors answers exactly what parsel answers."""

from __future__ import annotations

import random
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from parsel import Selector
from parsel.csstranslator import HTMLTranslator

from newscrawl.extraction import load_page
from newscrawl.extraction.page import Page
from newscrawl.extraction.profile import SiteProfile, declared_selectors
from newscrawl.extraction.select import compiled_css, css_to_xpath, select
from newscrawl.fixtures import iter_fixtures
from newscrawl.sites import all_profiles

FETCHED = datetime(2026, 1, 1, tzinfo=UTC)


def profile_selectors() -> list[str]:
    """Every CSS selector a site profile declares, on any of its designs."""
    return sorted({query for profile in all_profiles() for query in own_selectors(profile)})


def fixture_pages() -> Iterator[Page]:
    for fixture in iter_fixtures():
        yield load_page(fixture.html(), fixture.url, FETCHED)


def parsel_answer(page: Page, query: str) -> list:
    """What a plain parsel Selector over the same tree answers."""
    return [s.root for s in Selector(root=page.root, type="html").css(query)]


def test_every_profile_selector_on_every_fixture_page_matches_parsel() -> None:
    selectors = profile_selectors()
    assert len(selectors) > 300
    checked = 0
    for page in fixture_pages():
        for query in selectors:
            theirs = parsel_answer(page, query)
            assert select(page.root, query) == theirs, (page.url, query)
            assert [s.root for s in page.css(query)] == theirs, (page.url, query)
            checked += 1
    assert checked == len(selectors) * len(list(iter_fixtures()))


def page_of(body: str) -> Page:
    return Page(f"<html><head></head><body>{body}</body></html>", "https://example.com/a",
                FETCHED)


CASES = {
    "nested keys, descendants": (
        '<div class="a"><p id="1">x</p><div class="a"><p id="2">y</p></div><p id="3">z</p></div>',
        ".a p"),
    "nested keys, children": (
        '<div class="a"><p id="1">x</p><div class="a"><p id="2">y</p></div><p id="3">z</p></div>',
        ".a > p"),
    "group in document order": (
        '<p class="b" id="1"></p><p class="a" id="2"></p><p class="b" id="3"></p>',
        ".a, .b"),
    "group mixing keyed and descendant parts": (
        '<div class="w"><span id="1"></span></div><i class="x" id="2"></i>'
        '<div class="w"><span id="3"></span></div>',
        ".x, .w span"),
    "adjacent sibling before the key": (
        '<h2 class="t">a</h2><p class="c" id="1"></p><p class="c" id="2"></p>',
        "h2.t + .c"),
    "general sibling before the key": (
        '<p class="c" id="0"></p><h2>a</h2><p class="c" id="1"></p><p class="c" id="2"></p>',
        "h2 ~ .c"),
    "negation and has": (
        '<div class="c"><a href="#">x</a></div><div class="c x"><a>y</a></div>'
        '<div class="c"></div>',
        ".c:not(.x):has(> a[href])"),
    "class separated by tabs and newlines": (
        '<p class="one\ttwo\nthree" id="1"></p><p class="one\xa0two" id="2"></p>', ".two"),
    "both parts of a group match": (
        '<div class="a"><p class="b" id="1"></p></div><p class="a" id="2"></p>'
        '<div class="b"><p class="a" id="3"></p></div>',
        ".b, .a"),
    "class among siblings after the key": (
        '<div class="a"><p id="1"></p></div><p id="2"></p><div class="a"></div><p id="3"></p>',
        ".a + p"),
    "class next to an id": ('<p class="a" id="k"></p><p class="a" id="1"></p>', "p.a#k"),
    "attribute after the key": (
        '<ul class="l"><li data-k="1"><a rel="author">a</a></li><li><a>b</a></li></ul>',
        ".l li[data-k] a[rel=author]"),
    "nth-of-type": (
        '<nav class="n"><a>1</a><a>2</a><a id="3">3</a></nav>', ".n a:nth-of-type(3)"),
    "key with no element": ('<p class="other"></p>', ".missing p"),
    "id and attribute keys": (
        '<main id="m"><div data-t="body"><p id="1">a</p></div><p id="2" data-t="x">b</p></main>'
        '<div data-t="body"><p id="3">c</p></div>',
        "#m [data-t=body] p, [data-t^=x]"),
    "keys alone": (
        '<div data-t="x" id="1"></div><div data-t="xy" id="2"></div><main id="m"></main>'
        '<p class="k" id="3"></p><p class="kk" id="4"></p>',
        "[data-t=x], #m, .k"),
    "attribute value operators": (
        '<p class="x-body-1" id="1"></p><p class="body" id="2"></p><p data-k="ab-c" id="3"></p>'
        '<p data-k="a b" id="4"></p><p data-k="" id="5"></p>',
        "[class*=body], [class^=x-], [class$='-1'], [data-k|=ab], [data-k~=b], [data-k^='']"),
    "attribute key without value": (
        '<div data-k="1"><span id="1"></span></div><div><span id="2"></span></div>',
        "[data-k] span"),
}


@pytest.mark.parametrize("name", sorted(CASES))
def test_edge_cases_match_parsel(name: str) -> None:
    body, query = CASES[name]
    page = page_of(body)
    assert select(page.root, query) == parsel_answer(page, query)
    assert [s.root for s in page.css(query)] == parsel_answer(page, query)


def test_pseudo_elements_answer_text_and_attributes_as_parsel_does() -> None:
    page = page_of('<p class="a">one<b>two</b></p><p class="b">three</p><p class="a">four</p>')
    for query in (".a::text", "p::attr(class)", "p", ".a ::text", ".a::attr(class)"):
        assert page.css(query).getall() == Selector(root=page.root, type="html").css(
            query).getall()
    assert page.css(".a::text").getall() == ["one", "four"]
    assert select(page.root, "p::attr(class)") == []


def test_each_selector_is_compiled_once() -> None:
    assert compiled_css(".once p") is compiled_css(".once p")


SCOPE_SELECTORS = ("body_css", "image_css", "related_css", "entry_css")


def scoped_cases(page: Page) -> Iterator[tuple[object, str]]:
    """(scope, query) for every element a layout of the page's profile selects as a container
    (body, figure, related block, listing entry) and every selector of that profile."""
    profile = next(p for p in all_profiles() if p.serves(page.url))
    queries = sorted(own_selectors(profile))
    for design in (*profile.layouts, *profile.listing_layouts):
        for name in SCOPE_SELECTORS:
            container = getattr(design, name, None)
            for scope in page.css(container)[:4] if container else ():
                for query in queries:
                    yield scope, query


def own_selectors(profile: SiteProfile) -> set[str]:
    designs = (*profile.layouts, *profile.listing_layouts)
    return {query for design in designs for query in declared_selectors(design)}


def test_queries_inside_selected_elements_match_parsel() -> None:
    checked = 0
    for page in fixture_pages():
        for scope, query in scoped_cases(page):
            ours = [s.root for s in scope.css(query)]
            theirs = [s.root for s in Selector.css(scope, query)]
            assert ours == theirs, (page.url, scope.root.tag, query)
            checked += 1
    assert checked > 5000


def test_scoped_queries_stay_inside_the_element() -> None:
    page = page_of('<div class="box"><p class="c" id="1">a</p><h2 id="2">t</h2></div>'
                   '<p class="c" id="3">b</p>')
    box = page.css(".box")[0]
    assert [s.root.get("id") for s in box.css(".c")] == ["1"]
    assert [e.get("id") for e in select(box.root, "h2, p")] == ["1", "2"]
    assert box.css(".c::text").getall() == ["a"]


# -- random documents and selectors ------------------------------------------------------------
TAGS = ["div", "p", "span", "a", "section", "article", "li", "ul", "h2", "figure"]
CLASSES = ["a", "b", "ab", "a-b", "c", "body", "x-body", "body-x"]
ATTRIBUTES = [("data-k", ["1", "x", "xy", "a b", "ab-c", ""]), ("id", ["m", "n", "main"]),
              ("rel", ["author", "tag"]), ("href", ["/x", "#y", "https://e/z"])]


def random_element(rng: random.Random, depth: int) -> str:
    attributes = []
    if rng.random() < 0.6:
        attributes.append(f'class="{" ".join(rng.sample(CLASSES, rng.randint(0, 3)))}"')
    attributes += [f'{name}="{rng.choice(values)}"' for name, values in ATTRIBUTES
                   if rng.random() < 0.25]
    children = "".join(random_element(rng, depth + 1)
                       for _ in range(rng.randint(0, 3) if depth < 5 else 0))
    tag = rng.choice(TAGS)
    return f"<{tag} {' '.join(attributes)}>t{children}</{tag}>"


def random_compound(rng: random.Random) -> str:
    parts = [rng.choice(["", "div", "p", "span", "a", "*", "li"])]
    for _ in range(rng.randint(1, 2)):
        kind = rng.random()
        if kind < 0.4:
            parts.append("." + rng.choice(CLASSES))
        elif kind < 0.55:
            parts.append("#" + rng.choice(["m", "n", "main"]))
        elif kind < 0.8:
            name, values = rng.choice(ATTRIBUTES)
            operator = rng.choice(["", "=", "^=", "$=", "*=", "~=", "|="])
            parts.append(f"[{name}{operator}'{rng.choice(values)}']" if operator else f"[{name}]")
        elif kind < 0.9:
            parts.append(f":not(.{rng.choice(CLASSES)})")
        else:
            parts.append(f":has(> .{rng.choice(CLASSES)})")
    return "".join(parts)


def random_query(rng: random.Random) -> str:
    selectors = []
    for _ in range(rng.randint(1, 2)):
        selector = random_compound(rng)
        for _ in range(rng.randint(0, 2)):
            selector += rng.choice([" ", " > ", " + ", " ~ "]) + random_compound(rng)
        selectors.append(selector)
    return ", ".join(selectors)


def test_random_selectors_on_random_documents_match_parsel_on_the_page_and_inside() -> None:
    rng = random.Random(20261129)
    checked = 0
    for _ in range(80):
        body = "".join(random_element(rng, 0) for _ in range(rng.randint(1, 4)))
        queries = [random_query(rng) for _ in range(20)]
        page = page_of(body)
        scopes = page.css("div, section, article")[:3]
        for query in queries:
            assert [s.root for s in page.css(query)] == parsel_answer(page, query), (body, query)
            for scope in scopes:
                assert ([s.root for s in scope.css(query)]
                        == [s.root for s in Selector.css(scope, query)]), (body, query)
            checked += 1
    assert checked == 1600


def test_the_class_index_serves_class_queries_from_the_page_root() -> None:
    page = page_of('<div class="w x"><p class="t">a</p></div><div class="w"><p>b</p></div>')
    plain = compiled_css(".w p")
    assert [s.root.text for s in page.css(".w p")] == ["a", "b"]
    assert "w" in page._classes._by_name, "the query did not go through the index"
    assert [s.root for s in page.css(".w p")] == plain(page.root)


def test_one_class_name_in_several_class_strings_comes_back_in_document_order() -> None:
    page = page_of('<p class="a b">1</p><p class="a">2</p><div><p class="c\ta">3</p></div>'
                   '<p class="ab">no</p><p class="\na b ">4</p>')
    assert [s.root.text for s in page.css(".a")] == ["1", "2", "3", "4"]
    assert [s.root.text for s in page.css("p.b")] == ["1", "4"]


@pytest.mark.parametrize(("query", "written"), [
    ("#m p", "descendant-or-self::*/@id[. = 'm']/parent::*/descendant::p"),
    ("div[data-k]", "descendant-or-self::div/@data-k/parent::*"),
    ("[data-k^=a] > p", "descendant-or-self::*/@data-k[starts-with(., 'a')]/parent::*/p"),
    ("[data-k*=b]", "descendant-or-self::*/@data-k[contains(., 'b')]/parent::*"),
    ("[data-k$=c]",
     "descendant-or-self::*/@data-k[substring(., string-length(.)-0) = 'c']/parent::*"),
    ("p.c", "descendant-or-self::p/@class[contains(., 'c') and "
            "contains(concat(' ', normalize-space(.), ' '), ' c ')]/parent::*"),
    ("[data-k*='@data-k']", "descendant-or-self::*/@data-k[contains(., '@data-k')]/parent::*"),
    # Tests of two attributes, or true where the attribute is missing, stay as parsel
    # writes them.
    ("#m.c", None), (":not(#m)", None), (":not([data-k])", None), ("p:nth-child(1)", None),
])
def test_steps_testing_one_attribute_are_asked_through_the_attribute(query, written) -> None:
    assert css_to_xpath(query) == (written or HTMLTranslator().css_to_xpath(query))
    page = page_of('<main id="m"><p data-k="abc" id="1">a</p><div data-k="b"><p id="2">b</p>'
                   '</div></main><p class="c" id="m">c</p><div data-k="" id="3"></div>'
                   '<p data-k="x@data-k" class="a c" id="4">d</p>')
    assert [s.root for s in page.css(query)] == parsel_answer(page, query)
