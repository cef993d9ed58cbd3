"""`body_html`: the body's blocks as sanitised minimal HTML, for profiles and the generic
extractor alike."""

from __future__ import annotations

import pytest
from lxml import html as lxml_html

from newscrawl import fixtures as store
from newscrawl.api import extract
from newscrawl.extraction import load_page
from newscrawl.extraction.html_body import ALLOWED_ATTRIBUTES, ALLOWED_TAGS
from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import element_text

ARTICLES = [f for f in store.iter_fixtures() if f.kind == "article"]
TEXT_BLOCKS = frozenset({"p", "h2", "h3", "h4", "h5", "h6", "li", "pre", "td", "th"})
URL = "https://news.example.org/world/2024/05/17/a-story"
FETCHED = "2024-05-17T12:00:00Z"
PROSE = ("says something long enough to be read as prose, with details, quotes and context "
         "that a reader would expect in a news article body")


def parse(body_html: str) -> lxml_html.HtmlElement:
    return lxml_html.fragment_fromstring(body_html, create_parent="div")


def blocks_text(body_html: str) -> str:
    """The text of the rendered blocks (figures left out), joined as `body` joins blocks."""
    texts = []
    for element in parse(body_html).iter(*TEXT_BLOCKS):
        if next(element.iterancestors("figure"), None) is None:
            texts.append(element_text(element))
    return "\n\n".join(t for t in texts if t)


def assert_safe(body_html: str) -> None:
    for element in parse(body_html).iterdescendants():
        assert element.tag in ALLOWED_TAGS, element.tag
        for name, value in element.attrib.items():
            assert not name.startswith("on")
            assert name in ALLOWED_ATTRIBUTES.get(element.tag, ()), (element.tag, name)
            if name in ("href", "src"):
                assert value.startswith(("http://", "https://")), value


@pytest.mark.parametrize("use_profiles", [True, False], ids=["profile", "generic"])
@pytest.mark.parametrize("fixture", ARTICLES, ids=lambda f: f.label)
def test_body_html_reads_as_the_body(fixture, use_profiles):
    item = extract(fixture.html(), fixture.url, fixture.meta["fetched_at"],
                   encoding=fixture.meta.get("encoding"), use_profiles=use_profiles)
    assert (item.body is None) == (item.body_html is None)
    if item.body_html:
        assert blocks_text(item.body_html) == item.body
        assert_safe(item.body_html)
        figures = parse(item.body_html).findall(".//figure")
        assert len(figures) <= len(item.images)
        placed = {image.url for image in item.images}
        assert all(f.find("img").get("src") in placed for f in figures)


def test_fixtures_keep_links_headings_lists_and_figures():
    """Across the fixtures, the body's inline links, subheadings, lists and figures are kept."""
    counts = {"a": 0, "h2": 0, "li": 0, "figure": 0}
    for fixture in ARTICLES:
        root = parse(fixture.expected["body_html"])
        for tag in counts:
            counts[tag] += len(root.findall(f".//{tag}"))
    assert all(count >= 20 for count in counts.values()), counts


def test_a_bbc_article_keeps_its_links_and_subheadings():
    fixture = next(f for f in ARTICLES if f.label == "bbc/2024-08-01")
    root = parse(fixture.expected["body_html"])
    links = {a.get("href"): element_text(a) for a in root.iter("a")}
    assert links["https://www.bbc.co.uk/news/business-50504151"] == "borrowing costs"
    headings = [element_text(h) for h in root.iter("h2")]
    assert "What is the OBR and what does it do?" in headings
    assert root[0].tag == "figure"  # the lead picture stands above the text, as on the page


class _Written(SelectorArticle):
    detect = "article"
    body_css = "article .text"
    body_exclude = (".ad",)
    image_css = "article figure"
    image_caption_css = "figcaption"


WRITTEN_PROFILE = SiteProfile(name="written", description="A page written for this test",
                              hosts=("news.example.org",), article_url=r"/world/",
                              layouts=(_Written,))

HOSTILE_PAGE = f"""<html><head><title>A story</title></head><body><article>
<h1>A story</h1><div class="text">
<p class="lede" onclick="track()" data-analytics="x">First <b>bold</b> paragraph {PROSE}
 <a href="/world/other" class="link" onmouseover="steal()">relative link</a> and
 <a href="javascript:alert(1)">a script link</a>.<script>alert(1)</script>
 <style>p {{ color: red }}</style><span class="ad">Advertisement</span></p>
<figure class="wide"><img src="/pictures/one.jpg" alt="A picture" onerror="x()">
 <figcaption>The caption</figcaption></figure>
<h2 id="sub" style="color: red">A subheading</h2>
<ol><li>First <em>item</em></li><li>Second item</li></ol>
<blockquote><p>A quoted paragraph {PROSE}.</p><p>And its second paragraph.</p></blockquote>
<p>Line one<br>line two</p>
<pre><code>print("code")</code></pre>
</div></article></body></html>"""


def test_profile_renders_each_kind_of_block_sanitised():
    page = load_page(HOSTILE_PAGE, URL, FETCHED)
    item = _Written(page, WRITTEN_PROFILE).article()
    assert item.body_html == (
        f'<p>First <strong>bold</strong> paragraph {PROSE} '
        '<a href="https://news.example.org/world/other">relative link</a> and a script '
        'link.</p>'
        '<figure><img src="https://news.example.org/pictures/one.jpg" alt="A picture">'
        '<figcaption>The caption</figcaption></figure>'
        '<h2>A subheading</h2><ol><li>First <em>item</em></li><li>Second item</li></ol>'
        f'<blockquote><p>A quoted paragraph {PROSE}.</p><p>And its second paragraph.</p>'
        '</blockquote><p>Line one<br>line two</p><pre><code>print("code")</code></pre>')
    assert blocks_text(item.body_html) == item.body
    assert "Advertisement" not in item.body_html


def test_generic_extractor_renders_and_sanitises_too():
    item = extract(HOSTILE_PAGE.replace('class="text"', ""), URL, FETCHED, use_profiles=False)
    assert_safe(item.body_html)
    assert blocks_text(item.body_html) == item.body
    root = parse(item.body_html)
    assert [a.get("href") for a in root.iter("a")] == ["https://news.example.org/world/other"]
    assert [element_text(h) for h in root.iter("h2")] == ["A subheading"]
    assert root.find(".//figure/img").get("src") == "https://news.example.org/pictures/one.jpg"
    assert [element_text(li) for li in root.find(".//ol")] == ["First item", "Second item"]
    assert "<script" not in item.body_html and "onclick" not in item.body_html


def test_a_block_whose_text_the_extractor_changed_is_written_as_that_text():
    class Trimmed(_Written):
        def body_blocks(self) -> list[str]:
            return [block.removeprefix("First bold ") for block in super().body_blocks()]

    item = Trimmed(load_page(HOSTILE_PAGE, URL, FETCHED), WRITTEN_PROFILE).article()
    assert blocks_text(item.body_html) == item.body
    assert item.body_html.startswith(f"<p>paragraph {PROSE} relative link")
    assert "<ol><li>First <em>item</em></li>" in item.body_html


def test_structured_body_becomes_plain_paragraphs_with_markup_escaped():
    class FromMetadata(SelectorArticle):
        detect = "html"

    page = ('<html><head><script type="application/ld+json">{"@type": "NewsArticle", '
            '"headline": "A story", "articleBody": "One <img src=x onerror=y()> line.\\nTwo."}'
            '</script></head><body><p>Nothing here.</p></body></html>')
    item = FromMetadata(load_page(page, URL, FETCHED), WRITTEN_PROFILE).article()
    assert item.body == "One <img src=x onerror=y()> line.\n\nTwo."
    assert item.body_html == "<p>One &lt;img src=x onerror=y()&gt; line.</p><p>Two.</p>"
    assert blocks_text(item.body_html) == item.body


def test_table_cells_read_as_blocks_keep_their_table_and_rows():
    class WithTables(_Written):
        body_blocks_css = "p, th, td"

    page = f"""<html><body><article><div class="text"><p>Before the table {PROSE}.</p>
    <table class="data"><tr><th>City</th><th>Votes</th></tr>
    <tr><td>Oslo</td><td><b>1,204</b></td></tr></table><p>After the table.</p>
    </div></article></body></html>"""
    item = WithTables(load_page(page, URL, FETCHED), WRITTEN_PROFILE).article()
    assert item.body_html == (
        f"<p>Before the table {PROSE}.</p><table><tbody><tr><th>City</th><th>Votes</th></tr>"
        "<tr><td>Oslo</td><td><strong>1,204</strong></td></tr></tbody></table>"
        "<p>After the table.</p>")
    assert blocks_text(item.body_html) == item.body


def test_a_paragraph_of_plain_text_renders_its_text_escaped_once() -> None:
    html = (f"<html><body><article><h1>A story</h1><p>Fish &amp; chips &lt;3 {PROSE}.</p>"
            f"<p>Salt &amp;amp; vinegar, escaped twice by the CMS, {PROSE}.</p>"
            "</article></body></html>")
    item = extract(html, URL, FETCHED, use_profiles=False)
    assert item.body.startswith("Fish & chips <3")
    assert "Salt & vinegar, escaped twice" in item.body
    assert "<p>Fish &amp; chips &lt;3 " in item.body_html
    assert "<p>Salt &amp; vinegar, escaped twice" in item.body_html
    assert blocks_text(item.body_html) == item.body


def test_text_around_a_left_out_element_is_joined_by_one_space() -> None:
    html = (f"<html><body><article><h1>A story</h1><p>Before the aside \n"
            '<span style="display: none">Advertisement</span> after the aside, '
            f'<a href="/a page\u200b?q=one two">a link</a> {PROSE}.</p>'
            f"<p>A second paragraph {PROSE}.</p></article></body></html>")
    item = extract(html, URL, FETCHED, use_profiles=False)
    assert "Advertisement" not in item.body
    assert item.body_html.startswith("<p>Before the aside after the aside, ")
    assert "  " not in item.body_html and "\u200b" not in item.body_html
    link = parse(item.body_html).find(".//a").get("href")
    assert link == "https://news.example.org/a%20page%E2%80%8B?q=one%20two"
    assert blocks_text(item.body_html) == item.body


def test_runs_of_loose_text_in_one_container_each_render_as_their_own_paragraph() -> None:
    # Entries of a list article: a heading, then its text written straight into the container
    # with a link in it. Every run is a block of the same element.
    entries = "".join(f"<h2>{n}. Entry number {n}</h2>Entry {n} {PROSE} "
                      f"<a href='/entry/{n}'>more on entry {n}</a> and its closing words."
                      for n in range(1, 6))
    html = (f"<html><head><title>Five entries</title></head><body><h1>Five entries</h1>"
            f"<div class='entry-content'>{entries}</div></body></html>")
    item = extract(html, URL, FETCHED, use_profiles=False)
    root = parse(item.body_html)
    assert [element_text(h) for h in root.iter("h2")] == [
        f"{n}. Entry number {n}" for n in range(1, 6)]
    assert [element_text(p) for p in root.iter("p")] == [
        f"Entry {n} {PROSE} more on entry {n} and its closing words." for n in range(1, 6)]
    assert blocks_text(item.body_html) == item.body
