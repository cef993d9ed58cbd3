"""Publication dates of the generic extractor on pages without an article's structured date:
each signal a reader uses, their order of trust, and the dates that must never be taken.
Every page here is a small page made for its test."""

from __future__ import annotations

import json
from datetime import date, datetime

import pytest
from lxml import etree

from newscrawl.api import extract
from newscrawl.extraction import dates, pagedates
from tests.support.pages import prose

FETCHED = "2026-12-03T08:00:00Z"
PLAIN_URL = "https://blog.example.org/posts/a-story"
PROSE = prose(4)


def page(head: str = "", before: str = "", after: str = "", lang: str = "en",
         headline: str = "A headline for the test page", extra: str = "") -> str:
    return (f"<html lang='{lang}'><head><title>{headline}</title>{head}</head><body>"
            f"<div class='wrap'>{before}<h1>{headline}</h1>{after}"
            f"<div class='text'>{PROSE}</div></div>{extra}</body></html>")


def published(html: str, url: str = PLAIN_URL, fetched: str = FETCHED) -> str | None:
    return extract(html, url, fetched, use_profiles=False).published


def ld(data: object) -> str:
    return f'<script type="application/ld+json">{json.dumps(data)}</script>'


# -- structured data beyond the article node -------------------------------------------------
@pytest.mark.parametrize("node", [
    {"@type": "WebPage", "datePublished": "2019-10-18T13:07:38+02:00"},
    {"@type": "Recipe", "datePublished": "2019-10-18T13:07:38+02:00"},
    {"@type": "VideoObject", "uploadDate": "2019-10-18T13:07:38+02:00"},
])
def test_another_node_describing_the_page_dates_it(node):
    nodes = [{"@type": "WebSite", "name": "Site"}, node]
    assert published(page(ld(nodes))) == "2019-10-18T13:07:38+02:00"


DATED_URL = "https://blog.example.org/2021/05/06/a-story/"


def test_a_review_or_comment_node_never_dates_the_page():
    nodes = [{"@type": "Review", "datePublished": "2020-04-12"},
             {"@type": "Comment", "dateCreated": "2020-04-11"}]
    assert published(page(ld(nodes)), DATED_URL) == "2021-05-06"


def test_a_publication_meta_tag_of_another_vocabulary():
    head = ("<meta property='shareaholic:article_published_time' "
            "content='2017-06-07T11:19:22+02:00'>")
    assert published(page(head)) == "2017-06-07T11:19:22+02:00"


def test_a_tag_naming_the_update_is_no_publication_date():
    head = "<meta property='shareaholic:article_modified_time' content='2020-06-05T23:21:19Z'>"
    assert published(page(head), DATED_URL) == "2021-05-06"


# -- <time> elements ---------------------------------------------------------------------------
def test_the_time_marked_as_publication_wins_over_a_comment_time():
    comments = ("<div class='comments'><time datetime='2019-08-01T01:15:45+02:00'>1 Aug</time>"
                "</div>")
    own = "<time class='entry-date' datetime='2019-07-13T15:52:31+02:00'>13 Jul 2019</time>"
    assert published(page(after=own, extra=comments)) == "2019-07-13T15:52:31+02:00"


def test_a_time_in_a_comment_is_never_the_publication():
    comments = ("<div class='comment-list'><p>Reader wrote</p><time datetime="
                "'2019-08-01T01:15:45+02:00'>1 Aug</time></div>")
    assert published(page(extra=comments), DATED_URL) == "2021-05-06"


def test_unnamed_date_meta_comes_after_the_articles_own_time():
    head = "<meta name='date' content='2021-12-20T11:02:44+01:00'>"
    own = "<time datetime='2022-01-27T09:00:00+01:00'>27.01.2022</time>"
    assert published(page(head, after=own)) == "2022-01-27T09:00:00+01:00"
    assert published(page(head)) == "2021-12-20T11:02:44+01:00"



def test_a_month_first_meta_date_takes_the_order_the_page_shows():
    # An ASP.NET server writes en-US dates into a German page: 11/01/2023 is 1 November.
    head = "<meta name='date' content='11/01/2023 12:43:42'>"
    shown = "<p>Erstellt am: 01.11.2023</p>"
    assert published(page(head, after=shown, lang="de")) == "2023-11-01T12:43:42"
    # The same order as the page shows, or nothing shown: the meta date as it reads.
    assert published(page(head, after="<p>Erstellt am: 11.01.2023</p>", lang="de")) == (
        "2023-01-11T12:43:42")
    assert published(page(head, lang="de")) == "2023-01-11T12:43:42"
    # The URL's day says the same.
    url = "https://news.example.ch/2023/11/01/trinkwasser"
    assert published(page(head, lang="de"), url=url) == "2023-11-01T12:43:42"
    # Day and month that cannot be swapped stay as written.
    late = "<meta name='date' content='25/01/2023 12:43:42'>"
    assert published(page(late, after=shown, lang="de"))[:10] == "2023-01-25"
    same = "<meta name='date' content='05/05/2023 12:43:42'>"
    assert published(page(same, after=shown, lang="de")) == "2023-05-05T12:43:42"

# -- the URL ---------------------------------------------------------------------------------
@pytest.mark.parametrize(("url", "day"), [
    ("https://blog.example.org/2018/06/28/interactive-maps/", date(2018, 6, 28)),
    ("https://example.org/news/20200413/second-suspect", date(2020, 4, 13)),
    ("https://example.org/a/2018-06-28-slug.html", date(2018, 6, 28)),
    ("https://example.org/newsroom/23-01-2022-a-race/17-378.html", date(2022, 1, 23)),
    ("https://example.org/2018/06/slug", None),  # a month is no day
    ("https://example.org/2031/01/01/future", None),  # after the fetch
    ("https://example.org/article/20201399/x", None),
])
def test_url_day(url, day):
    assert pagedates.url_date(url, date(2026, 12, 4)) == day


def test_the_url_day_dates_a_page_without_other_signals():
    url = "https://blog.example.org/2018/06/28/interactive-maps/"
    assert published(page(), url) == "2018-06-28"


def test_the_written_date_of_the_url_day_adds_its_time():
    url = "https://blog.example.org/2018/06/28/interactive-maps/"
    after = "<p class='byline'>By Jo Doe, June 28th, 2018 at 4:38 PM</p>"
    assert published(page(after=after), url) == "2018-06-28T16:38:00"


# -- dates written for readers -----------------------------------------------------------------
@pytest.mark.parametrize(("lang", "byline", "expected"), [
    ("de", "Von Anna Muster | 5. Oktober 2013", "2013-10-05"),
    ("de", "Peter Grimm / 07.11.2023 / 09:30", "2023-11-07T09:30:00"),
    ("fr", "Publié le 1er août 2019", "2019-08-01"),
    ("es", "Por: Agencia | 17 de Febrero 2020", "2020-02-17"),
    ("en", "Published Nov. 8, 2023, 10:28 p.m. ET", "2023-11-08T22:28:00"),
    ("fi", "2.9.2020 klo 12.45", "2020-09-02T12:45:00"),
    ("ja", "2020年07月03日", "2020-07-03"),
    ("ja", "2020年07月12日 | 情報", "2020-07-12"),  # a two-digit day, not the 1st
    ("zh", "2019年6月24日10:00", "2019-06-24T10:00:00"),
    ("ko", "입력2023.11.02. 오후 8:06", "2023-11-02T20:06:00"),
    ("en", "04/05/2020", "2020-04-05"),  # US order for a page in (US) English
    ("en-gb", "04/05/2020", "2020-05-04"),
])
def test_the_date_under_the_headline_in_the_pages_language(lang, byline, expected):
    assert published(page(after=f"<p class='info'>{byline}</p>", lang=lang)) == expected


def test_a_date_just_before_the_headline_when_none_follows():
    before = "<h2 class='date-header'>Samstag, 9. September 2017</h2>"
    assert published(page(before=before, lang="de")) == "2017-09-09"


def test_the_nearest_date_wins_not_one_deep_in_the_text():
    before = "<div class='kicker'>Wissen 26.02.2020</div>"
    after = "<div class='text2'>" + "Words of the article. " * 40 + " Am 3. März 2020</div>"
    assert published(page(before=before, after=after, lang="de")) == "2020-02-26"


def test_a_date_after_an_html_comment_in_the_byline_is_read():
    # templates leave comments between a byline's parts; the date is the comment's tail
    before = ("<span class='meta'>Par <a href='/auteur/x'>Jane Doe</a> | "
              "<!-- span class='mag'>Mag</span --> 30 septembre 2018 "
              "<!--span class='heure'>12:00</span--></span>")
    after = "<p>" + "Mots de l'article. " * 20 + " Le 6 août 2019, un fait.</p>"
    assert published(page(before=before, after=after, lang="fr")) == "2018-09-30"


def test_a_date_in_the_headline_is_what_the_story_is_about():
    headline = "Protokoll der Sitzung vom 10. Oktober 2019"
    after = "<p class='posted-on'>26/12/2019</p>"
    assert published(page(after=after, headline=headline, lang="de")) == "2019-12-26"


def test_the_headline_heading_is_the_anchor_not_a_logo_h1():
    html = ("<html lang='de'><head><meta property='og:title' content='Die Meldung des Tages'>"
            "</head><body>"
            "<h1 class='logo'>Bundesamt</h1><nav><a href='/'>Start</a></nav>"
            "<div class='side-news'><p>Nachricht vom 01.01.2022</p></div>"
            + "<p>" + "Füllwörter der Seite. " * 80 + "</p>"
            "<h2>Die Meldung des Tages</h2><p>27.01.2022</p>" + PROSE + "</body></html>")
    assert published(html) == "2022-01-27"


def test_dates_in_comments_teaser_lists_and_cookie_banners_are_never_read():
    after = ("<div class='cookie-banner'>Stand der Richtlinie: 01.03.2021</div>"
             "<ul class='related-posts'><li>Alte Meldung, 02.02.2020</li></ul>")
    extra = "<div class='comments'><p>Leser, 03.03.2021</p></div>"
    assert published(page(after=after, extra=extra, lang="de"), DATED_URL) == "2021-05-06"


def test_labelled_date_elements_anywhere_on_the_page():
    extra = ("<p class='postmetadata'>Dieser Beitrag wurde am Samstag, 3. Dezember 2011 "
             "veröffentlicht</p>")
    html = page(after="<p>" + "Text der Seite. " * 150 + "</p>", extra=extra, lang="de")
    assert published(html) == "2011-12-03"


# -- relative phrases and bare times -------------------------------------------------------------
def test_a_relative_phrase_loses_to_the_url_day():
    url = "https://example.cl/deportes/2020/08/24/670291/congresos.aspx"
    own = "<time>hace 1 día</time>"
    assert published(page(after=own, lang="es"), url) == "2020-08-24"


def test_a_bare_time_of_day_loses_to_the_date_shown_before_the_headline():
    before = "<h2 class='date-header'>Samstag, 9. September 2017</h2>"
    after = "<abbr itemprop='datePublished'>10:52</abbr>"
    assert published(page(before=before, after=after, lang="de")) == "2017-09-09"


def test_a_relative_phrase_still_dates_a_page_that_shows_nothing_else():
    own = "<time>vor 2 Stunden</time>"
    assert published(page(after=own, lang="de")) == "2026-12-03T06:00:00+00:00"


def test_read_text_tells_relative_from_absolute():
    fetched = dates.to_utc_datetime(FETCHED)
    assert dates.read_text("vor 2 Stunden", fetched_at=fetched, languages=["de"])[1] is True
    assert dates.read_text("16:45", fetched_at=fetched)[1] is True
    assert dates.read_text("17. Mai 2024", fetched_at=fetched, languages=["de"]) == (
        "2024-05-17T00:00:00", False)


# -- the publisher's offset ----------------------------------------------------------------------
def test_utc_instant_in_the_offset_of_the_local_time_the_page_shows():
    head = "<meta property='article:published_time' content='2023-11-09T03:28:35+00:00'>"
    after = "<div class='byline'>Published Nov. 8, 2023, 10:28 p.m. ET</div>"
    url = "https://news.example.com/2023/11/08/news/a-debate/"
    assert published(page(head, after=after), url) == "2023-11-08T22:28:35-05:00"


def test_utc_instant_in_the_offset_of_a_local_machine_value():
    head = ("<meta property='article:published_time' content='2023-11-09T01:49:09+00:00'>"
            "<meta name='sailthru.date' content='2023-11-08 17:49:09'>")
    assert published(page(head)) == "2023-11-08T17:49:09-08:00"


def test_url_day_alone_moves_the_instant_to_the_nearest_offset_with_that_day():
    head = "<meta property='article:published_time' content='2020-02-18T02:18:11+00:00'>"
    url = "https://news.example.com/2020/02/17/a-story/"
    value = published(page(head), url)
    assert value == "2020-02-17T23:18:11-03:00"
    assert dates.to_utc_datetime(value) == dates.to_utc_datetime("2020-02-18T02:18:11Z")


def test_a_day_too_far_from_the_instant_moves_nothing():
    head = "<meta property='article:published_time' content='2020-07-09T10:04:04+00:00'>"
    url = "https://news.example.com/politics/story/2020/07/08/a-story/"
    assert published(page(head), url) == "2020-07-09T10:04:04+00:00"


def test_an_instant_on_the_shown_day_keeps_utc():
    head = "<meta property='article:published_time' content='2020-02-17T12:00:00+00:00'>"
    url = "https://news.example.com/2020/02/17/a-story/"
    assert published(page(head), url) == "2020-02-17T12:00:00+00:00"



def test_a_page_showing_the_utc_time_keeps_utc_whatever_day_the_url_gives():
    head = "<meta property='article:published_time' content='2026-06-30T16:34:54Z'>"
    after = "<p class='byline'><time>June 30, 2026 - 4.34pm</time></p>"
    url = "https://news.example.com/world/a-ruling-20260701-p60bhj.html"
    assert published(page(head, after=after), url) == "2026-06-30T16:34:54+00:00"


def test_a_url_day_and_a_shown_day_that_disagree_move_nothing():
    head = "<meta property='article:published_time' content='2026-06-30T16:34:54Z'>"
    after = "<p class='byline'>June 30, 2026</p>"
    url = "https://news.example.com/2026/07/01/a-ruling/"
    assert published(page(head, after=after), url) == "2026-06-30T16:34:54+00:00"
    # The shown day alone, a day after the instant, still moves it there.
    shown = "<p class='byline'>July 1, 2026</p>"
    assert published(page(head, after=shown))[:10] == "2026-07-01"

# -- the text reader on its own -------------------------------------------------------------------
def test_find_date_reads_month_names_of_the_given_language():
    found = pagedates.find_date("Mittwoch, 16. März 2022", ("de",), date(2026, 1, 1))
    assert found == (date(2022, 3, 16), 10)


def test_find_date_rejects_impossible_and_future_dates():
    latest = date(2026, 12, 4)
    assert pagedates.find_date("31.02.2020 and 01.01.2030", ("de",), latest) is None
    assert pagedates.find_date("1.2.3", ("de",), latest) is None


@pytest.mark.parametrize(("text", "found"), [
    ("Posted in Dismay 5, 2020 by Jane, on June 28th, 2018", (date(2018, 6, 28), 37)),
    ("Filed under May 5, 2020", (date(2020, 5, 5), 12)),
    ("am 5.6.2020.", (date(2020, 6, 5), 3)),
    ("x1.2.2020", (date(2020, 2, 1), 1)),
    ("11.2.2020", (date(2020, 2, 11), 0)),
])
def test_find_date_starts_at_a_digit_or_at_a_words_start(text, found):
    assert pagedates.find_date(text, ("en", "de"), date(2026, 1, 1)) == found


def test_find_date_of_a_window_with_no_year_nor_short_date_is_none():
    assert pagedates.find_date("on Monday 5 June, at 10:30", ("en",), date(2026, 1, 1)) is None
    found = pagedates.find_date("am 07.08.21 um 10:30", ("de",), date(2026, 1, 1))
    assert found == (datetime(2021, 8, 7, 10, 30), 3)


def test_a_date_marked_as_the_update_is_skipped_for_the_original():
    after = "<p class='info'>Aktualisiert am 11.04.2020, veröffentlicht 03.04.2020</p>"
    assert published(page(after=after, lang="de")) == "2020-04-03"
    after = "<p class='info'>Article mis à jour le 7 janvier 2020. Publié le 30 septembre 2018</p>"
    assert published(page(after=after, lang="fr")) == "2018-09-30"


def test_the_first_time_after_the_headline_not_the_articles_first_time():
    listing = "".join(f"<li><time datetime='2019-09-{d:02d}T10:00:00Z'>{d} sept.</time> "
                      f"Story</li>" for d in range(10, 14))
    html = ("<html lang='fr'><body><main><ul>" + listing + "</ul>"
            "<h1>A headline for the test page</h1>"
            "<time datetime='2019-06-28T13:49:45Z'>28 juin 2019</time>"
            f"<div class='text'>{PROSE}</div></main></body></html>")
    assert published(html) == "2019-06-28T13:49:45+00:00"


def test_a_publication_mark_on_every_list_entry_marks_none():
    listing = "".join(f"<li><time pubdate datetime='2019-09-24T13:34:33Z'>{d}/09/2019</time></li>"
                      for d in range(10, 20))
    own = "<time datetime='2019-06-28T13:49:45Z'>28 juin 2019</time>"
    html = page(after=own, extra=f"<ul class='liste'>{listing}</ul>", lang="fr")
    assert published(html) == "2019-06-28T13:49:45+00:00"



def test_dates_on_a_page_declaring_no_language_are_read_in_its_text_language():
    # dateparser without a language tries every locale it has (about 140 ms a date): the
    # body's detected language narrows it to one.
    from newscrawl.extraction import load_page
    from newscrawl.extraction.generic import GenericArticle

    body = "".join(
        f"<p>Der Gemeinderat hat am Dienstag über den neuen Haushalt beraten, und die "
        f"Mehrheit der Mitglieder stimmte nach einer langen Debatte zu, Absatz {n}.</p>"
        for n in range(4))
    html = f"<html><body><article><h1>Haushalt beschlossen</h1>{body}</article></body></html>"
    page = load_page(html, "https://example.org/haushalt", "2026-12-03T10:00:00+00:00")
    assert GenericArticle(page, None).date_languages() == ["de"]
    declared = load_page(html.replace("<html>", '<html lang="fr">'),
                         "https://example.org/haushalt", "2026-12-03T10:00:00+00:00")
    assert GenericArticle(declared, None).date_languages() == ["fr"]
    undetected = GenericArticle(page, None)
    undetected.language_detection = False
    assert undetected.date_languages() is None


def test_the_text_around_an_element_is_read_in_the_order_of_xpaths_axes():
    html = ("<html><body><div>Kicker <!-- byline -->tail of a comment<header><p>Before "
            "<b>bold</b> after</p><h1>The <i>headline</i></h1>right after"
            "<!-- c --><span>Von <a>Jane</a></span>, 5. Mai 2020<?pi x?>pi tail</header>"
            "<p>Body <em>text</em></p>end</div>outside</body></html>")
    root = etree.HTML(html)
    anchor = root.xpath("//h1")[0]

    def owned(nodes):
        return [(str(n), n.getparent().getparent() if n.is_tail else n.getparent())
                for n in nodes]

    following = owned(anchor.xpath("following::text()"))
    preceding = owned(reversed(anchor.xpath("preceding::text()")))
    own = owned(anchor.xpath(".//text()"))
    assert list(pagedates._following(anchor)) == following
    assert list(pagedates._preceding(anchor)) == preceding
    assert list(pagedates._texts(anchor, with_tail=False)) == own
    assert [text for text, _ in following][:3] == ["right after", "Von ", "Jane"]
    assert [text for text, _ in preceding][:2] == [" after", "bold"]


def test_a_date_below_more_nested_elements_than_pythons_recursion_limit_is_read():
    # Templates and broken markup can nest far deeper than sys.getrecursionlimit() (1,000):
    # the text around the headline is read with a stack of its own, not by recursion.
    deep = 1500
    html = ("<html><body><article><h1>Harbour reopens after the storm</h1>" + "<div>" * deep
            + "<p>Published 12 March 2024</p>" + PROSE + "</div>" * deep
            + "</article></body></html>")
    assert published(html).startswith("2024-03-12")
    from newscrawl.extraction import load_page

    anchor = load_page(html, PLAIN_URL, FETCHED).root.xpath("//h1")[0]
    assert next(pagedates._following(anchor))[0] == "Published 12 March 2024"
    article = anchor.getparent()
    forwards = list(pagedates._texts(article))
    assert [text for text, _ in forwards][:2] == ["Harbour reopens after the storm",
                                                  "Published 12 March 2024"]
    assert list(pagedates._texts_backwards(article)) == forwards[::-1]
