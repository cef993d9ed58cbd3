"""The generic extractor's signal readers and how it reconciles them, on synthetic snippets."""

from __future__ import annotations

import json

import pytest

from newscrawl.api import extract
from newscrawl.extraction.authors import clean_author_names
from newscrawl.extraction.dates import parse_text, to_utc_datetime
from newscrawl.extraction.titles import (
    clean_title,
    host_names,
    reconcile,
    slug_words,
    strip_shared_affix,
    strip_site_name,
)
from tests.support.pages import prose

URL = "https://news.example.org/politics/2024/05/17/story"
FETCHED = "2024-05-20T12:00:00Z"
PROSE = prose(4)


def page(head: str = "", article: str = "", lang: str = "en", after: str = "") -> str:
    return (f"<html lang='{lang}'><head>{head}</head><body><main><article>{article}"
            f"<div class='body'>{PROSE}</div></article>{after}</main></body></html>")


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


def run(html: str):
    return extract(html, URL, FETCHED, use_profiles=False)


# -- JSON-LD -----------------------------------------------------------------------------------
def test_jsonld_article_inside_graph_with_webpage() -> None:
    graph = {"@context": "https://schema.org", "@graph": [
        {"@type": "WebPage", "@id": URL, "name": "Page name | Example"},
        {"@type": "NewsArticle", "headline": "Graph headline", "datePublished":
         "2024-05-17T08:30:00+02:00", "author": [{"@type": "Person", "name": "Ana Ruiz"}],
         "articleSection": "Politics", "inLanguage": "es"}]}
    article = run(page(ld(graph)))
    assert article.headline == "Graph headline"
    assert article.published == "2024-05-17T08:30:00+02:00"
    assert article.authors == ["Ana Ruiz"]
    assert article.section == "Politics"


def test_jsonld_list_and_broken_json_browsers_tolerate() -> None:
    broken = ('<script type="application/ld+json"><!--\n[{"@type": "ReportageNewsArticle", '
              '"headline": "Tolerated", "author": {"name": "Li Wei"},}]\n--></script>')
    article = run(page(broken))
    assert article.headline == "Tolerated"
    assert article.authors == ["Li Wei"]


def test_jsonld_entities_are_decoded() -> None:
    article = run(page(ld({"@type": "NewsArticle", "headline": "Strava&#8217;s &amp; more"})))
    assert article.headline == "Strava’s & more"


# -- headline ----------------------------------------------------------------------------------
def test_visible_h1_agreeing_with_og_title_beats_jsonld() -> None:
    head = ld({"@type": "NewsArticle", "headline": "An older SEO headline"}) + (
        "<meta property='og:title' content='The headline readers see'>")
    assert run(page(head, "<h1>The headline readers see</h1>")).headline == \
        "The headline readers see"


def test_a_place_set_as_the_first_h1_gives_way_to_the_headline_h1() -> None:
    head = ("<title>Bote fliegt nach Singapur, Thailand</title>"
            "<meta property='og:title' content='Bote fliegt nach Singapur, Thailand'>")
    article = "<h1>Bangkok</h1><h1>Bote fliegt nach Singapur</h1>"
    assert run(page(head, article)).headline == "Bote fliegt nach Singapur"


def test_a_title_alone_in_several_parts_gives_its_longest_part_but_not_a_tagline() -> None:
    head = ("<title>EFC Club Regensburg - The club sets its course for the future - Press - "
            "News</title>")
    assert run(page(head)).headline == "The club sets its course for the future"
    head = "<title>Letters - Blog - Pictures, news, stories and much more!</title>"
    assert run(page(head)).headline != "Pictures, news, stories and much more!"


def test_site_name_is_stripped_from_titles() -> None:
    head = ("<meta property='og:site_name' content='Example News'>"
            "<title>Council approves budget | Example News</title>")
    assert run(page(head)).headline == "Council approves budget"


def test_strip_site_name_keeps_titles_that_only_contain_a_separator() -> None:
    assert strip_site_name("Fire - what we know", ["Example News"]) == "Fire - what we know"
    assert strip_site_name("Example News - Fire spreads", ["Example News"]) == "Fire spreads"


def test_reconcile_prefers_agreement_then_order() -> None:
    assert reconcile(["A", "B", "B"]) == "B"
    assert reconcile([None, "B", "C"]) == "B"
    assert reconcile([None, None]) is None


def test_reconcile_counts_a_truncated_source_for_the_full_text() -> None:
    full = "Storm floods the coast as thousands flee their homes overnight"
    assert reconcile(["Storm floods the coast as thousands…", "Another title", full]) == full
    assert reconcile(["Storm floods the coast as thousands ...", "Another title", full]) == full
    # Cut at the length limit (schema.org's 110 characters) without a mark.
    long = "A" + " word" * 30
    assert reconcile([long[:105], "Another title", long]) == long
    # A shorter headline that merely starts the same way is a different headline.
    assert reconcile(["Storm floods the coast", "Another title", full]) == \
        "Storm floods the coast"


def test_truncated_jsonld_headline_yields_to_the_full_h1() -> None:
    full = ("Council approves the budget after a night of debate, with cuts to libraries and "
            "parks but a rise in school funding")
    head = (ld({"@type": "NewsArticle", "headline": full[:109] + "…"})
            + "<meta property='og:title' content='Budget approved'>")
    assert run(page(head, f"<h1>{full}</h1>")).headline == full


def test_slug_words_drop_extension_ids_and_accents() -> None:
    assert slug_words("https://x.example/news/2024/05/mayor-resigns-after-vote-12345.html") == \
        ("mayor", "resigns", "after", "vote")
    assert slug_words("https://x.example/welt/krieg-in-gaza-im-ticker,UMXw2qF") == \
        ("krieg", "in", "gaza", "im", "ticker")
    assert slug_words("https://x.example/a/straße-zur-küste-gesperrt") == \
        ("strasse", "zur", "kuste", "gesperrt")
    assert slug_words("https://x.example/") == ()


def test_url_slug_spelling_a_source_is_one_more_vote() -> None:
    # A live blog: the h1 and og:title show the latest entry, JSON-LD and the slug the blog.
    blog = "War in Gaza: live ticker from 26 August to 1 September"
    entry = "Ticker: talks resume in Cairo"
    html = page(ld({"@type": "NewsArticle", "headline": blog})
                + f"<meta property='og:title' content='{entry}'>", f"<h1>{entry}</h1>")
    url = "https://news.example.org/world/war-in-gaza-live-ticker-from-26-august-to-1-september,Ab3x"
    assert extract(html, url, FETCHED, use_profiles=False).headline == blog
    # Without the slug's vote the two agreeing sources win.
    assert extract(html, URL, FETCHED, use_profiles=False).headline == entry
    # The slug must spell the title word for word: a slug sharing words is no vote.
    url = "https://news.example.org/world/gaza-live-ticker-august"
    assert extract(html, url, FETCHED, use_profiles=False).headline == entry


def test_affix_is_stripped_when_another_source_is_the_bare_title() -> None:
    assert strip_shared_affix("Keeper returns | Sport", ["Keeper returns"]) == "Keeper returns"
    assert strip_shared_affix("Sport: Keeper returns", ["Keeper returns"]) == "Keeper returns"
    assert strip_shared_affix("Keeper returns home", ["Keeper returns"]) == \
        "Keeper returns home"
    # An h1 holding the site's name does not make the headline an affix.
    assert strip_shared_affix("Keeper returns to the squad | Daily Post", ["Daily Post"]) == \
        "Keeper returns to the squad | Daily Post"
    assert strip_shared_affix("Daily Post: Keeper returns to the squad", ["Daily Post"]) == \
        "Daily Post: Keeper returns to the squad"
    head = ld({"@type": "NewsArticle", "headline": "Keeper returns to the squad | Sport"})
    assert run(page(head, "<h1>Keeper returns to the squad</h1>")).headline == \
        "Keeper returns to the squad"


def test_entities_escaped_twice_are_decoded() -> None:
    assert clean_title("Tom &amp;amp; Jerry &amp;#8217;s") == "Tom & Jerry ’s"
    head = ld({"@type": "NewsArticle", "headline": "Rock &amp;amp; roll is back"})
    assert run(page(head)).headline == "Rock & roll is back"


def test_site_name_from_the_host_when_the_page_declares_none() -> None:
    assert host_names("edition.cnn.com") == ["edition", "cnn"]
    assert host_names("www.bbc.co.uk") == ["bbc"]
    html = page("<title>Markets rally on rate hopes | CNN</title>")
    article = extract(html, "https://edition.cnn.com/2024/05/17/markets", FETCHED,
                      use_profiles=False)
    assert article.headline == "Markets rally on rate hopes"


# -- canonical, language, section, tags ----------------------------------------------------------
def test_canonical_url_is_absolute() -> None:
    assert run(page("<link rel='canonical' href='/politics/story'>")).canonical_url == \
        "https://news.example.org/politics/story"


def test_canonical_url_is_the_first_canonical_link_with_an_address_resolved_against_base() -> None:
    head = ("<base href='https://cdn.example.net/en/'><link rel='alternate' href='/amp'>"
            "<link rel='canonical'><link rel='canonical' href='story'>"
            "<link rel='canonical' href='/other'>")
    assert run(page(head)).canonical_url == "https://cdn.example.net/en/story"


def test_language_from_html_lang_then_og_locale() -> None:
    assert run(page(lang="de-DE")).language == "de"
    assert run(page("<meta property='og:locale' content='fr_FR'>", lang="")).language == "fr"


def test_tags_from_keywords() -> None:
    head = "<meta name='keywords' content='budget, council ,  city hall'>"
    assert run(page(head)).tags == ["budget", "council", "city hall"]


# -- dates -------------------------------------------------------------------------------------
def test_published_from_opengraph_article_meta() -> None:
    head = "<meta property='article:published_time' content='2024-05-17T06:00:00Z'>"
    assert run(page(head)).published == "2024-05-17T06:00:00+00:00"


def test_offset_stated_elsewhere_for_the_same_minute_is_used() -> None:
    head = (ld({"@type": "NewsArticle", "datePublished": "2024-05-17T10:15:00"})
            + "<meta property='article:published_time' content='2024-05-17T10:15:00+03:00'>")
    assert run(page(head)).published == "2024-05-17T10:15:00+03:00"


def test_no_timezone_is_invented() -> None:
    head = ld({"@type": "NewsArticle", "datePublished": "2024-05-17T10:15:00"})
    assert run(page(head)).published == "2024-05-17T10:15:00"


def test_microdata_date_published() -> None:
    article = "<time itemprop='datePublished' datetime='2024-05-16T22:00:00-04:00'>May 16</time>"
    assert run(page(article=article)).published == "2024-05-16T22:00:00-04:00"


def test_time_of_a_related_story_never_wins() -> None:
    related = ("<div class='related'><a href='/old'><time datetime='2019-01-01T00:00:00Z'>"
               "Old</time> An old story about something else</a></div>")
    own = "<time datetime='2024-05-17T07:00:00Z'>17 May</time>"
    assert run(page(article=related + own)).published == "2024-05-17T07:00:00+00:00"
    # Without its own <time>, the article is dated by its URL's day, never by the related one.
    assert run(page(article=related)).published == "2024-05-17"


@pytest.mark.parametrize(("lang", "text"), [
    ("de", "17. Mai 2024, 14:30 Uhr"),
    ("fr", "17 mai 2024 à 14h30"),
    ("es", "17 de mayo de 2024 14:30"),
    ("ru", "17 мая 2024, 14:30"),
    ("ja", "2024年5月17日 14時30分"),
    ("zh", "2024年05月17日14:30"),
])
def test_dates_shown_in_other_languages(lang: str, text: str) -> None:
    assert run(page(article=f"<time>{text}</time>", lang=lang)).published == \
        "2024-05-17T14:30:00"


def test_relative_date_is_read_against_fetch_time() -> None:
    parsed = parse_text("vor 3 Stunden", fetched_at=to_utc_datetime(FETCHED), languages=["de"])
    assert parsed == "2024-05-20T09:00:00+00:00"


# -- authors -----------------------------------------------------------------------------------
@pytest.mark.parametrize(("raw", "names"), [
    (["By Jane Doe and John Roe"], ["Jane Doe", "John Roe"]),
    (["Jane Doe, Senior Reporter"], ["Jane Doe"]),
    (["Von Max Mustermann und Erika Musterfrau"], ["Max Mustermann", "Erika Musterfrau"]),
    (["Par Jean Dupont"], ["Jean Dupont"]),
    (["Jane Doe 11:00 AM PDT • May 16, 2024"], ["Jane Doe"]),
    (["By Madeleine Howell 30 August 2023 • 4:45pm"], ["Madeleine Howell"]),
    (["Jane Doe Email the author"], ["Jane Doe"]),
    (["105092"], []),
    (["BR24 Redaktion"], ["BR24 Redaktion"]),
    (["Jane Doe Senior Political Reporter"], ["Jane Doe"]),
    (["Guardian staff reporter"], ["Guardian staff reporter"]),
    (["BY JANE DOE AND JOHN ROE"], ["Jane Doe", "John Roe"]),
])
def test_author_names_are_cleaned(raw: list[str], names: list[str]) -> None:
    assert clean_author_names(raw) == names


def test_publication_dropped_when_a_person_is_named() -> None:
    assert clean_author_names(["Example News", "Jane Doe"], ["Example News"]) == ["Jane Doe"]
    assert clean_author_names(["Example News"], ["Example News"]) == ["Example News"]


def test_byline_markup_of_the_article_not_of_related_cards() -> None:
    byline = "<div class='byline'>By <a rel='author' href='/a/jd'>Jane Doe</a></div>"
    card = ("<div class='related'><a href='/other'>Other story headline here</a>"
            "<span class='author'>Someone Else</span></div>")
    assert run(page(article=card + byline)).authors == ["Jane Doe"]


def test_description_with_escaped_html_is_read_as_text() -> None:
    # The CMS escaped the HTML of the description, then the page escaped it again.
    head = ("<meta name='description' content='&amp;lt;p&amp;gt;Here&amp;amp;#x27;s the gist"
            "&amp;lt;/p&amp;gt;'>")
    assert run(page(head)).lead == "Here's the gist"


def test_section_from_breadcrumb_trail_when_not_declared() -> None:
    trail = {"@type": "BreadcrumbList", "itemListElement": [
        {"@type": "ListItem", "position": 1, "name": "Home", "item": "https://news.example.org/"},
        {"@type": "ListItem", "position": 2, "item": {"@id": "https://news.example.org/politics/",
                                                      "name": "Politics"}},
        {"@type": "ListItem", "position": 3, "name": "The story itself"}]}
    head = ld(trail) + "<meta property='og:title' content='The story itself'>"
    assert run(page(head)).section == "Politics"


def test_date_written_for_readers_in_metadata() -> None:
    head = "<meta name='date' content='17.05.2024 14:30'>"
    assert run(page(head, lang="de")).published == "2024-05-17T14:30:00"
