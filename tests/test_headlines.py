"""Headlines on pages without a profile: the site's name taken off, wherever it stands, and
never a site-name h1; each rule on a small page made for it."""

from __future__ import annotations

from newscrawl.api import extract
from newscrawl.extraction.generic import GenericArticle
from newscrawl.extraction.titles import (
    around_heading,
    heading_segment,
    names_the_site,
    reconcile,
    slug_segment,
    strip_kicker,
    strip_site_name,
)
from tests.support.pages import prose

URL = "https://blog.example.org/2019/10/21/interning-of-small-integers-in-python/"
UNDATED_URL = "https://blog.example.org/interning-of-small-integers-in-python/"
FETCHED = "2024-05-20T12:00:00Z"
PROSE = prose(5)


def headline(head: str, body: str, url: str = URL) -> str | None:
    html = f"<html><head>{head}</head><body>{body}<div class='post'>{PROSE}</div></body></html>"
    return extract(html, url, FETCHED, use_profiles=False).headline


def test_blog_title_in_an_h1_linked_home_is_no_headline() -> None:
    head = ("<title>Four Years Remaining » Blog Archive » Interning of Small Integers in Python"
            "</title>")
    body = "<h1><a href='https://blog.example.org/'>Four Years Remaining</a></h1>"
    assert headline(head, body) == "Interning of Small Integers in Python"


def test_h1_naming_the_site_is_no_headline() -> None:
    head = "<title>A quiet week in the garden - example blog</title>"
    body = "<h1>blog.example.org</h1><h2>A quiet week in the garden</h2>"
    assert headline(head, body, "https://blog.example.org/?p=12") == "A quiet week in the garden"


def test_h1_in_the_navigation_is_no_headline() -> None:
    head = "<title>Example</title>"
    body = "<nav><h1>Menu</h1></nav><h1>Floods close the river road</h1>"
    assert headline(head, body) == "Floods close the river road"


def test_site_name_in_the_middle_of_a_title() -> None:
    names = ["petri-heil.ch"]
    assert strip_site_name("Winterhechte | petri-heil.ch | Dein Fischereimagazin",
                           names) == "Winterhechte"
    assert strip_site_name("Kein Geld mehr für die Miete (neues deutschland)",
                           ["Neues Deutschland"]) == "Kein Geld mehr für die Miete"


def test_headline_holding_a_short_site_name_is_not_cut() -> None:
    title = "UN-Klimakonferenz in Glasgow - DRK: Immer mehr Menschen brauchen Hilfe"
    assert strip_site_name(title, ["drk"]) == title
    assert names_the_site("Gothamist News", ["Gothamist"])
    assert not names_the_site("DRK: Immer mehr Menschen brauchen Hilfe", ["drk"])


def test_slug_and_headings_pick_the_headline_part_of_a_title() -> None:
    title = "Site Name » Blog Archive » Interning of Small Integers in Python"
    assert slug_segment(title, URL) == "Interning of Small Integers in Python"
    assert heading_segment("Alles Neue macht der Mai | Bibliothek und mehr",
                           ["Archiv", "Alles Neue macht der Mai"]) == "Alles Neue macht der Mai"
    assert heading_segment("One part only", ["One part only"]) is None


def test_kicker_in_the_h1_and_words_around_the_heading() -> None:
    assert strip_kicker("Tunesien Große Aufgaben für die neue Regierung",
                        ["Große Aufgaben für die neue Regierung"]) == (
        "Große Aufgaben für die neue Regierung")
    assert around_heading("Receita de Sequilho com Chocolate Amargo",
                          "Sequilho com Chocolate Amargo") == "Sequilho com Chocolate Amargo"
    assert around_heading("Schneller Mandarinen-Schmand-Kuchen von jesusfreak",
                          "Schneller Mandarinen-Schmand-Kuchen") == (
        "Schneller Mandarinen-Schmand-Kuchen")
    # A different headline that happens to start the same way stays what it is.
    long_title = "Floods close the river road for a week after the storm"
    assert around_heading(long_title, "Floods close") == long_title


def test_h1_wins_when_the_metadata_adds_search_words() -> None:
    head = ("<meta property='og:title' content='Receita de Sequilho com Chocolate Amargo'>"
            "<title>Receita de Sequilho com Chocolate Amargo</title>")
    body = "<h1>Sequilho com Chocolate Amargo</h1>"
    assert headline(head, body, "https://food.example.org/r/123") == (
        "Sequilho com Chocolate Amargo")


def test_reconcile_still_follows_agreement() -> None:
    assert reconcile(["Old headline", "New headline", "New headline"]) == "New headline"
    assert reconcile(["Only one", None, None]) == "Only one"


def test_title_decides_when_no_two_sources_agree() -> None:
    candidates = ["Pressemitteilungen", "Olafur Eliasson gestaltet die Titelseite"]
    assert reconcile(candidates, None, "BDZV: Olafur Eliasson gestaltet die Titelseite") == (
        "Olafur Eliasson gestaltet die Titelseite")
    assert reconcile(candidates, None, "Something else entirely") == "Pressemitteilungen"


def test_of_several_h1s_the_one_the_title_repeats() -> None:
    head = "<title>BBA - Pressemitteilungen - Messenger sind kein rechtsfreier Raum</title>"
    body = "<h1>Bundesamt für Beispiele</h1><h1>Messenger sind kein rechtsfreier Raum</h1>"
    assert headline(head, body, "https://www.bba.example/p/1") == (
        "Messenger sind kein rechtsfreier Raum")


def test_one_word_heading_wins_over_metadata_adding_words() -> None:
    assert around_heading("Mandarinen-Schmand-Kuchen von Backfee", "Mandarinen-Schmand-Kuchen") == (
        "Mandarinen-Schmand-Kuchen")
    # A short one-word heading is a section's name, not the headline the title holds.
    assert around_heading("Literatur: Buch", "Literatur") == "Literatur: Buch"


def test_ruby_readings_are_no_part_of_the_headline() -> None:
    story = "新しい法律で子どもへの体罰が禁止になる"
    head = (f"<meta property='og:title' content='やさしいニュース|{story}'>"
            f"<title>やさしいニュース|{story}</title>")
    body = ("<h1><ruby>新<rt>あたら</rt></ruby>しい<ruby>法律<rp>(</rp><rt>ほうりつ</rt>"
            "<rp>)</rp></ruby>で子どもへの体罰が禁止になる</h1>")
    assert headline(head, body, "https://news.example.jp/easy/k100.html") == story


def test_a_date_or_label_set_in_the_heading_is_no_part_of_the_headline() -> None:
    head = "<title>Fuel statistics</title>"
    for extra in ("<span class='topline'><span class='date'>27.01.2022</span></span>",
                  "<time datetime='2022-01-27'>27.01.2022</time>",
                  "<span class='label label--blue'>Statistics</span> "):
        body = f"<h1>{extra}Fuel sales in November 2021</h1>"
        assert headline(head, body) == "Fuel sales in November 2021"


def test_a_date_opening_the_title_is_its_dateline() -> None:
    head = ("<title>23.01.2022 - Fuel sales in November 2021 - Agency</title>"
            "<meta property='og:title' content='23.01.2022 - Fuel sales in November 2021'>")
    assert headline(head, "<h2>23.01.2022 - Fuel sales in November 2021</h2>") == (
        "Fuel sales in November 2021")
    assert headline("<title>2020年7月12日 | Fuel sales in November 2021</title>", "") == (
        "Fuel sales in November 2021")


def test_an_h1_for_screen_readers_only_is_no_headline() -> None:
    head = "<title>Fuel statistics</title>"
    for hidden in ("aural", "screen-reader-only", "u-visually-hidden", "ym-hideme"):
        body = (f"<h1 class='{hidden}'>Federal Office for Economic Affairs</h1>"
                "<h1>Fuel sales in November 2021</h1>")
        assert headline(head, body) == "Fuel sales in November 2021"


def test_the_typographic_spelling_when_the_sources_split_evenly() -> None:
    folded, typed = 'Er nennt ihn "finished"', "Er nennt ihn „finished“"
    assert reconcile([None, folded, typed], URL, f"{folded} - Example") == typed
    # Most sources spelling it one way keep that spelling.
    assert reconcile([folded, folded, typed]) == folded
    assert reconcile(["Storm’s end", "Storm’s end", "Storm's end"]) == "Storm’s end"


def test_visible_heading_keeps_its_quotes_beside_folded_og_title() -> None:
    head = ("<meta property='og:title' content=\"Keks'n Cream im Test\">"
            "<title>Keks'n Cream im Test</title>")
    assert headline(head, "<h1>Keks’n Cream im Test</h1>", "https://shop.example.org/t/9") == (
        "Keks’n Cream im Test")


def test_the_headline_is_worked_out_once_for_the_item_and_the_dates(monkeypatch) -> None:
    calls = []
    original = GenericArticle.headline

    def counted(self: GenericArticle) -> str | None:
        calls.append(self)
        return original(self)

    monkeypatch.setattr(GenericArticle, "headline", counted)
    body = "<h1>Interning of small integers</h1><p class='meta'>21 October 2019</p>"
    article = extract(f"<html><body>{body}<div>{PROSE}</div></body></html>", UNDATED_URL,
                      FETCHED, use_profiles=False)
    assert article.headline == "Interning of small integers"
    assert article.published == "2019-10-21"  # read from under the headline
    assert len(calls) == 1


def test_a_failing_headline_leaves_the_date_under_the_first_h1(monkeypatch) -> None:
    def broken(self: GenericArticle) -> str | None:
        raise RuntimeError("markup surprise")

    monkeypatch.setattr(GenericArticle, "headline", broken)
    body = "<h1>Interning of small integers</h1><p class='meta'>21 October 2019</p>"
    article = extract(f"<html><body>{body}<div>{PROSE}</div></body></html>", UNDATED_URL,
                      FETCHED, use_profiles=False)
    assert article.headline is None
    assert article.published == "2019-10-21"
    assert article.field_errors == {"headline": "RuntimeError: markup surprise"}
