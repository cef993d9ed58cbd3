"""Body paragraphs from containers: document order, exclusions, nesting."""

from datetime import UTC, datetime

from newscrawl.extraction.blocks import collect_blocks, collect_text_runs
from newscrawl.extraction.page import Page


def page_of(body: str) -> Page:
    return Page(f"<html><body>{body}</body></html>", "https://example.com/a",
                datetime(2026, 1, 1, tzinfo=UTC))


SEPARATE = (
    "<div class='text'><p>One</p><div class='ad'><p>Buy now</p></div>"
    "<blockquote><p>Quoted</p><p>twice</p></blockquote><noscript><p>No script</p></noscript>"
    "<h2>Heading</h2><ul><li>Item <b>bold</b><br>next line</li></ul></div>"
    "<p>Outside</p><div class='text'><p>Two</p><figure><figcaption><p>Cap</p></figcaption>"
    "</figure></div>")


def test_blocks_of_separate_containers_in_document_order_without_excluded_parts() -> None:
    page = page_of(SEPARATE)
    texts = collect_blocks(page.css(".text"), exclude=[".ad", "figure"])
    assert texts == ["One", "Quoted", "twice", "Heading", "Item bold\nnext line", "Two"]


def test_nested_containers_read_the_inner_blocks_once_per_container() -> None:
    page = page_of("<div class='text' id='outer'><p>A</p><div class='text'><p>B</p></div></div>")
    assert collect_blocks(page.css(".text")) == ["A", "B", "B"]


def test_a_container_that_is_itself_excluded_gives_nothing() -> None:
    page = page_of("<div class='text ad'><p>Hidden</p></div><div class='text'><p>Shown</p></div>")
    assert collect_blocks(page.css(".text"), exclude=".ad") == ["Shown"]


def test_containers_and_blocks_nested_deeper_than_the_recursion_limit_are_read() -> None:
    # No walk recurses: 1,500 levels (more than Python's recursion limit, fewer than the
    # parser's 2,048) between nested containers and their paragraphs, or inside a paragraph.
    deep = 1500
    around = page_of("<div class='text'><p>A</p>" + "<div>" * deep + "<p>Deep text</p>"
                     + "<div class='text'><p>B</p></div>" + "</div>" * deep + "</div>")
    assert collect_blocks(around.css(".text")) == ["A", "Deep text", "B", "B"]
    assert collect_text_runs(around.css(".text")[:1]) == ["A", "Deep text", "B"]
    inside = page_of("<div class='text'><p>A</p><p>" + "<span>" * deep + "Deep<br>text"
                     + "</span>" * deep + "</p></div>")
    assert collect_blocks(inside.css(".text")) == ["A", "Deep\ntext"]
    assert collect_text_runs(inside.css(".text")) == ["A", "Deep", "text"]
