"""Authors on pages without a profile: clean names from byline markup, author-page links,
labelled lines and structured data, on small pages made for each rule."""

from __future__ import annotations

import json

import pytest
from lxml import etree

from newscrawl.api import extract
from newscrawl.extraction.authors import clean_author_names
from newscrawl.extraction.bylines import spaced_text
from tests.support.pages import prose

URL = "https://blog.example.org/2019/11/17/a-post-about-things/"
FETCHED = "2024-05-20T12:00:00Z"
PROSE = prose(5)


def post(header: str = "", head: str = "", after: str = "", footer: str = "") -> str:
    return (f"<html><head>{head}</head><body><div class='site'><article class='post'>"
            f"<header class='entry-header'><h1 class='entry-title'><a href='{URL}'>A post</a>"
            f"</h1>{header}</header><div class='entry-content'>{PROSE}</div>{footer}</article>"
            f"{after}</div></body></html>")


def authors(html: str) -> list[str]:
    return extract(html, URL, FETCHED, use_profiles=False).authors


@pytest.mark.parametrize(("raw", "names"), [
    (["AuthorAndreas Kalt"], ["Andreas Kalt"]),  # a label glued to the name by markup
    (["Zeige alle Beiträge von Cem Basman"], ["Cem Basman"]),
    (["View all posts by Jane Doe"], ["Jane Doe"]),
    (["SHOW ALL ARTICLES OF Heiko Sauer"], ["Heiko Sauer"]),
    (["Eingestellt von Weinlachgummi"], ["Weinlachgummi"]),
    (["Posted by Konstantin"], ["Konstantin"]),
    (["Autor: Klausmartin Friedrich"], ["Klausmartin Friedrich"]),
    (["Interview: Julia Lauter"], ["Julia Lauter"]),
    (["Sobre o autor: Ana Silva"], ["Ana Silva"]),  # a biography's heading as a label
    (["Veröffentlicht am"], []),
    (["Posted on"], []),
    (["Datum"], []),
    (["Dezember"], []),
    (["wordpressadmin"], []),
    (["admin"], []),
    (["View my complete profile"], []),
    (["Heiko Sauer Do 9 Apr 2020"], ["Heiko Sauer"]),
    (["MORITZ GATHMANN am 3. Mai 2020"], ["Moritz Gathmann"]),
    (["Jane Doe am Samstag"], ["Jane Doe"]),
    (["Kab Niang Le 12 mars 2020"], ["Kab Niang"]),
    (["John Walk - January 3, 2020"], ["John Walk"]),
    (["Dominique — veröffentlicht"], ["Dominique"]),
    (["Jens Bergmann Foto: Michael Hudler"], ["Jens Bergmann"]),
    (["Williams Perdomo @wperdomod"], ["Williams Perdomo"]),
    (["Karoline Herr sagt:"], ["Karoline Herr"]),
    (["Beitrag von r23 »"], ["r23"]),
    (["Joe S."], ["Joe S."]),
    (["April Smith"], ["April Smith"]),
    (["Isabella Di Biase"], ["Isabella Di Biase"]),
    (["Byron Parker"], ["Byron Parker"]),
    (["Redacci&oacute;n Diario Sur"], ["Redacción Diario Sur"]),  # an entity left in JSON-LD
    (["Redacci&amp;oacute;n Diario Sur"], ["Redacción Diario Sur"]),  # escaped twice
    (["Jane Doe &amp; John Roe"], ["Jane Doe", "John Roe"]),
    (["Elisa Marvena", "Übersetzt von Monica Seemann"], ["Elisa Marvena"]),  # a translator
    (["Jane Doe, translated by John Roe"], ["Jane Doe"]),
    (["Frank Bueltge http://bueltge.de"], ["Frank Bueltge"]),  # not cut at the slashes
    (["Jane Doe", "www.example.com"], ["Jane Doe"]),  # an address names no person
    (["Jane Doe, example.com"], ["Jane Doe"]),
    (["Autor: www.koffergepackt.com"], ["www.koffergepackt.com"]),  # no person: the site
    (["Disko Von Ernst Lohoff", "Ernst Lohoff"], ["Ernst Lohoff"]),  # a rubric before "Von"
    (["Wernher Von Braun"], ["Wernher Von Braun"]),
    (["© Getty Images"], []),  # a picture's credit
    (["© Getty Images", "Jane Doe"], ["Jane Doe"]),
])
def test_labels_dates_and_accounts_never_become_names(raw: list[str], names: list[str]) -> None:
    assert clean_author_names(raw) == names


def test_hcard_byline_in_the_posts_own_header() -> None:
    # The header's linked headline makes it look like a teaser card; it is the post's own.
    byline = ("<span class='byline'><span class='author vcard'><span class='screen-reader-text'>"
              "Author</span><a class='url fn n' href='/author/akalt/'>Andreas Kalt</a></span>"
              "</span>")
    assert authors(post(header=byline)) == ["Andreas Kalt"]


def test_a_byline_nested_deeper_than_the_recursion_limit_is_read() -> None:
    # The byline's text is read without recursion: 1,500 levels of inline markup around the
    # name (more than Python's recursion limit, fewer than the parser's 2,048).
    deep = 1500
    markup = ("<div class='byline'>" + "<span>" * deep + "<b>Author</b><a>Andreas Kalt</a>"
              + "</span>" * deep + "<script>x()</script></div>")
    parsed = etree.fromstring(markup, etree.HTMLParser(huge_tree=True))
    assert spaced_text(parsed.find(".//div")) == "Author Andreas Kalt"


def test_commenters_are_not_authors() -> None:
    comments = ("<ol class='commentlist'><li class='comment'><div class='comment-author vcard'>"
                "<cite class='fn'>Gloria Commenter</cite> <span class='says'>says:</span></div>"
                "<p>Nice post, thank you for writing it down for all of us.</p></li></ol>")
    assert authors(post(after=comments)) == []


def test_author_page_link_names_the_author() -> None:
    header = "<address>By <a href='/author/tanderson/'> Tim Anderson </a></address>"
    assert authors(post(header=header)) == ["Tim Anderson"]


def test_profile_link_on_another_site_names_no_author() -> None:
    header = "<p class='share'><a href='https://video.example.com/user/channel1'>Video</a></p>"
    assert authors(post(header=header)) == []


def test_labelled_line_under_the_headline() -> None:
    header = "<div class='postdata'><span class='category'>Posted by Konstantin</span></div>"
    assert authors(post(header=header)) == ["Konstantin"]


def test_author_biography_is_no_byline() -> None:
    bio = ("<div class='author-box'>Christoph Schulz Ich bin Christoph, Umweltwissenschaftler, "
           "und schreibe hier seit Jahren über den Klimawandel, Ernährung und vieles mehr, was "
           "mir am Herzen liegt, jede Woche neu.</div>")
    assert authors(post(footer=bio)) == []


def test_jsonld_author_given_as_a_reference() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "Article", "headline": "A post", "author": {"@id": "#/person/1"}},
        {"@type": "Person", "@id": "#/person/1", "name": "Karoline Herr"}]}
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    assert authors(post(head=head)) == ["Karoline Herr"]


@pytest.mark.parametrize(("description", "expected"), [
    ("Nils Pickert ist freier Autor und Journalist.", ["Nils Pickert"]),
    ("Hi, I am Nils and I write about bikes.", ["Nils"]),  # no surname written out
    ("Über mich: Nils Pickert, freier Autor.", ["Nils"]),  # not where it opens
])
def test_a_first_name_alone_gets_the_surname_its_person_description_opens_with(
        description: str, expected: list[str]) -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "Article", "headline": "A post", "author": {"@id": "#/person/1"}},
        {"@type": "Person", "@id": "#/person/1", "name": "Nils", "description": description}]}
    head = f'<script type="application/ld+json">{json.dumps(graph)}</script>'
    assert authors(post(head=head)) == expected


def test_person_in_the_byline_beats_an_organisation_in_the_metadata() -> None:
    data = {"@type": "NewsArticle", "headline": "A post",
            "author": {"@type": "Organization", "name": "Example Zeitung"}}
    head = (f'<script type="application/ld+json">{json.dumps(data)}</script>'
            "<meta name='author' content='Example Zeitung'>")
    header = "<div class='byline'>Von Lisa Petrich</div>"
    assert authors(post(head=head, header=header)) == ["Lisa Petrich"]
    assert authors(post(head=head)) == ["Example Zeitung"]


def test_cms_account_in_meta_author_is_no_name() -> None:
    head = "<meta name='author' content='wordpressadmin'>"
    assert authors(post(head=head)) == []
