"""The generic body finder on small pages made for each rule, shaped like pages of the open web
that are no news CMS: blogs, institutions, documentation, pages with tables and broken markup."""

from __future__ import annotations

import pytest

from newscrawl.api import extract
from newscrawl.model.items import Article

URL = "https://blog.example.org/2024/05/17/a-post/"
FETCHED = "2024-05-17T12:00:00Z"

SENTENCES = [
    f"Sentence {word} of the post is written out long enough to read as prose, with some "
    f"detail that a reader of the page would take for its main text {word}."
    for word in ("alpha", "bravo", "charlie", "delta", "echo", "foxtrot")
]
MENU = "".join(f"<li><a href='/{w}'>{w.title()} section</a></li>"
               for w in ("home", "about", "archive", "contact"))
FOOTER = ("<footer><p>Imprint and privacy: this site is run by a small team, all rights "
          "reserved, no part may be copied without asking first.</p></footer>")


def body_of(body_html: str) -> str:
    html = (f"<html><head><title>A post</title></head><body>{body_html}{FOOTER}"
            f"</body></html>")
    return extract(html, URL, FETCHED, use_profiles=False).body or ""


def paragraphs(start: int = 0, stop: int = 6) -> str:
    return "".join(f"<p>{s}</p>" for s in SENTENCES[start:stop])


def test_text_in_a_table_is_body() -> None:
    rows = "".join(f"<tr><td>Setting {n}</td><td>{s}</td></tr>"
                   for n, s in enumerate(SENTENCES[4:6]))
    body = body_of(f"<ul class='menu'>{MENU}</ul><div class='entry'>{paragraphs(0, 4)}"
                   f"<table>{rows}</table></div>")
    for sentence in SENTENCES:
        assert sentence in body
    assert "Imprint" not in body and "Archive section" not in body


def test_a_linked_post_title_over_a_long_text_is_no_teaser_card() -> None:
    # One block of <br>-separated text under the post's title, linked to its own page: a
    # card's excerpt is a few sentences, so this is the post itself.
    text = "<br><br>".join(SENTENCES * 2)
    body = body_of(f"<ul>{MENU}</ul><div class='post'><h3 class='post-title'>"
                   f"<a href='{URL}'>The title of this post</a></h3>"
                   f"<div class='post-body'>{text}</div></div>")
    assert SENTENCES[0] in body and SENTENCES[5] in body


def test_a_short_teaser_card_stays_out() -> None:
    card = ("<div class='card'><h3><a href='/other-story'>Another story worth reading "
            "today</a></h3><p>An excerpt of another story, a sentence or two that makes "
            "a reader click.</p></div>")
    body = body_of(f"<main><article>{paragraphs()}</article></main>{card}")
    assert SENTENCES[5] in body and "excerpt of another story" not in body


def test_a_share_word_on_the_post_wrapper_does_not_hide_the_post() -> None:
    body = body_of(f"<ul>{MENU}</ul><article><div class='entry themeform share'>"
                   f"<div class='entry-inner'>{paragraphs()}</div></div></article>")
    assert all(s in body for s in SENTENCES)


def test_a_share_bar_is_still_left_out() -> None:
    bar = ("<div class='share'><a href='https://x.example/s'>Share on X</a> "
           "<a href='https://f.example/s'>Share on F</a></div>")
    body = body_of(f"<article>{bar}{paragraphs()}{bar}</article>")
    assert SENTENCES[0] in body and "Share on" not in body


def test_taxonomy_classes_name_no_boilerplate() -> None:
    # WordPress writes the post's tags and categories as classes of its wrapper.
    body = body_of(f"<ul class='nav'>{MENU}</ul><div class='post type-post tag-social "
                   f"category-comments tag-navigation'>{paragraphs()}</div>")
    assert all(s in body for s in SENTENCES)


def test_an_unclosed_nav_around_the_article_does_not_empty_the_body() -> None:
    # The menu's <nav> is never closed, so the parser puts the article inside it.
    html = (f"<html><head><title>A post</title></head><body><nav><ul>{MENU}</ul>"
            f"<div class='content'><h1>A post</h1>{paragraphs()}</div></body></html>")
    body = extract(html, URL, FETCHED, use_profiles=False).body or ""
    assert all(s in body for s in SENTENCES)
    assert "Archive section" not in body


def test_an_unclosed_nav_does_not_bring_back_a_cookie_notice() -> None:
    notice = ("<div class='cookie-consent'><p>" + " ".join(SENTENCES[:3]).replace(
        "Sentence", "Cookie") + "</p></div>")
    html = (f"<html><head><title>A post</title></head><body>{notice}<nav><ul>{MENU}</ul>"
            f"<div class='content'>{paragraphs(3, 6)}</div></body></html>")
    body = extract(html, URL, FETCHED, use_profiles=False).body or ""
    assert SENTENCES[3] in body and "Cookie" not in body


def test_core_component_classes_are_no_consent_banner() -> None:
    # "cmp-text" is a text component of a common enterprise CMS, not a consent manager.
    body = body_of(f"<ul class='menu'>{MENU}</ul><main><div class='cmp-container'>"
                   f"<div class='cmp-text'>{paragraphs()}</div></div></main>")
    assert all(s in body for s in SENTENCES)


def test_a_paragraph_ending_in_a_link_does_not_make_a_short_post_a_card() -> None:
    post = (f"<div class='entry-content'><p>{' '.join(SENTENCES[:3])}</p>"
            "<p>Link: <a href='https://orchestra.example/noise'>the orchestra makes noise "
            "out of everyday sounds</a></p></div>")
    body = body_of(f"<ul>{MENU}</ul>{post}")
    assert SENTENCES[0] in body


def test_text_components_styled_alike_are_read_together() -> None:
    # Each section of the article is a component of its own beside a link list that weighs
    # down their common parent.
    links = "".join(f"<li><a href='/shop/{n}'>Product number {n} in the shop</a></li>"
                    for n in range(12))
    html = (f"<div class='page'><div class='item-paragraph'>{paragraphs(0, 4)}</div>"
            f"<ul class='shop'>{links}</ul>"
            f"<div class='item-paragraph item-paragraph--small'>{paragraphs(4, 5)}</div>"
            f"<div class='promo-box'><p>Subscribe today and get two months for the price "
            f"of one, only this week.</p></div></div>")
    body = body_of(html)
    assert all(s in body for s in SENTENCES[:5])
    assert "Subscribe" not in body and "Product number" not in body


def test_a_closing_sentence_stays_and_a_closing_label_goes() -> None:
    body = body_of(f"<article>{paragraphs()}<p>See you tomorrow.</p><p>Share this</p>"
                   f"</article>")
    assert body.endswith("See you tomorrow.")


def test_a_poem_of_short_lines_is_the_body() -> None:
    lines = [f"The city line number {n} is dark." for n in range(8)]
    widget = ("<div class='widget'><p>" + SENTENCES[0].replace("Sentence", "Notice")
              + "</p></div>")
    body = body_of(f"<div class='post'>{''.join(f'<p>{x}</p>' for x in lines)}</div>"
                   f"<div class='sidebar-box'>{widget}</div>")
    assert all(x in body for x in lines) and "Notice" not in body


def test_glued_meta_names_legends_and_comments_in_other_languages_are_left_out() -> None:
    extras = ("<p class='postmetadata'>Written on Tuesday 6 May 2014 in the category news, "
              "no replies yet.</p>"
              "<div class='image'><img src='/a.jpg'><div class='legend'>The river at dawn, "
              "seen from the old bridge over the valley.</div></div>"
              "<section id='kommentare'><p>Ein Kommentar eines Lesers, lang genug um als "
              "Absatz zu gelten, aber nicht Teil des Beitrags.</p></section>")
    body = body_of(f"<div class='post'>{paragraphs()}{extras}</div>")
    assert SENTENCES[5] in body
    assert "Written on" not in body and "river at dawn" not in body
    assert "Kommentar" not in body


def test_a_lone_category_name_can_still_mark_navigation() -> None:
    menu = ("<div class='category-nav'><p>" + SENTENCES[0].replace("Sentence", "Menu")
            + "</p></div>")
    body = body_of(f"{menu}<div class='post'>{paragraphs(1, 6)}</div>")
    assert SENTENCES[1] in body and "Menu" not in body


def test_ruby_readings_are_left_out_of_the_sentence() -> None:
    ruby = ("<p><ruby>子<rt>こ</rt></ruby>どもへの<ruby>虐待<rp>(</rp><rt>ぎゃくたい</rt>"
            "<rp>)</rp></ruby>をなくすための<ruby>法律<rt>ほうりつ</rt></ruby>ができました。"
            "親が子どもを教育するために、体罰をしてはいけないと決まりました。</p>")
    body = body_of(f"<article>{ruby}{paragraphs(0, 2)}</article>")
    assert "子どもへの虐待をなくすための法律ができました。" in body
    assert "ぎゃくたい" not in body


def test_script_hook_classes_name_no_boilerplate() -> None:
    # "js-truncate-related": a script truncates the text; the element is the article's text.
    body = body_of(f"<ul class='menu'>{MENU}</ul><section class='article__content "
                   f"js-truncate-related-to-my-size'>{paragraphs()}</section>")
    assert all(s in body for s in SENTENCES)


def test_the_text_under_the_headline_wins_over_a_longer_side_column() -> None:
    about = "".join(f"<p>{s.replace('Sentence', 'About')}</p>" for s in SENTENCES)
    html = ("<html><head><title>A short post | The Blog</title></head><body>"
            "<div id='wrapper'><div class='content'><div class='post'>"
            f"<h2>A short post</h2><p>{SENTENCES[0]}</p><p>{SENTENCES[1]}</p></div></div>"
            f"<div class='column-right'><div class='box'><h3>About me</h3>{about}</div>"
            f"<ul class='links'>{MENU * 12}</ul></div></div></body></html>")
    body = extract(html, URL, FETCHED, use_profiles=False).body or ""
    assert SENTENCES[0] in body and SENTENCES[1] in body
    assert "About" not in body


def test_the_standfirst_above_a_paywall_opens_the_structured_body() -> None:
    import json

    standfirst = ("Snow on a solar roof costs more than yield: its weight strains the panels "
                  "and their mounts, and experts warn against clearing it yourself.")
    structured = "\n".join(SENTENCES * 3)
    head = ("<meta name='description' content='" + standfirst + "'>"
            "<script type='application/ld+json'>" + json.dumps(
                {"@type": "NewsArticle", "headline": "Snow on the roof",
                 "articleBody": structured}) + "</script>")
    html = (f"<html><head><title>Snow on the roof</title>{head}</head><body><article>"
            "<h1>Snow on the roof</h1><h2>Snow on the roof: leave it to the experts</h2>"
            f"<p>{standfirst}</p>"
            "<p>Read on with a subscription</p></article></body></html>")
    body = extract(html, URL, FETCHED, use_profiles=False).body or ""
    assert body.startswith(standfirst)
    assert SENTENCES[5] in body


def test_two_text_widgets_are_no_article_wrapped_paragraph_by_paragraph() -> None:
    steps = "".join(f"<li>Step {n}: mix, roll and bake the dough for a while</li>"
                    for n in range(6))
    widgets = "".join(
        f"<div class='widget widget_text'><h3>Box {n}</h3><div class='textwidget'>"
        f"{SENTENCES[n].replace('Sentence', 'Notice')} {SENTENCES[n + 2]}</div></div>"
        for n in range(2))
    body = body_of(f"<div class='content'><div class='post'><h1>Almond biscuits</h1>"
                   f"<p>Makes forty biscuits in half an hour, with the oven hot.</p>"
                   f"<ol>{steps}</ol></div><div class='col-right'>{widgets}</div></div>")
    assert "Step 5" in body and "Notice" not in body


def test_a_name_on_each_paragraph_of_the_article_is_a_styling_hook() -> None:
    wrapped = "".join(f"<div class='article-widget'><p>{s}</p></div>" for s in SENTENCES)
    body = body_of(f"<ul class='menu'>{MENU}</ul><article>{wrapped}</article>")
    assert all(s in body for s in SENTENCES)


def test_a_signature_stays_and_an_announced_list_that_is_not_there_goes() -> None:
    body = body_of(f"<article>{paragraphs()}<p>Yours, Anna</p><p>Read more:</p>"
                   "<p>PUBLISHED IN</p></article>")
    assert body.endswith("Yours, Anna")


def test_definition_terms_and_header_cells_are_text() -> None:
    terms = "".join(f"<dt>Term {n}</dt><dd>{SENTENCES[n]}</dd>" for n in range(3))
    table = ("<table><tr><th>Minimum ageing</th><td>two years, one of them in oak casks of "
             "the region</td></tr></table>")
    body = body_of(f"<article><p>{SENTENCES[4]}</p><dl>{terms}</dl><p>{SENTENCES[5]}</p>"
                   f"{table}<p>{SENTENCES[3]}</p></article>")
    assert "Term 1" in body and SENTENCES[1] in body
    assert "Minimum ageing" in body


def test_print_layout_classes_hide_nothing_and_a_print_button_stays_out() -> None:
    body = body_of(f"<article><div class='toolbar-actions'><a class='print' href='#'>Print</a>"
                   f"</div>{paragraphs(0, 4)}<div class='col-6 print-full'>"
                   f"{paragraphs(4, 6)}</div></article>")
    assert SENTENCES[5] in body and "Print" not in body


def article_in_parts(parts: str) -> Article:
    html = (f"<html><head><title>A post in parts - Example blog</title></head><body>"
            f"<h1>A post in parts</h1><div class='entry'>{parts}</div>{FOOTER}</body></html>")
    return extract(html, URL, FETCHED, use_profiles=False)


def article_with(parts: str) -> str:
    return article_in_parts(parts).body or ""


def test_h1s_that_head_sections_of_the_text_stay_in_the_body() -> None:
    body = article_with(f"<h1>First part</h1>{paragraphs(0, 3)}"
                        f"<h1>Second part</h1>{paragraphs(3, 6)}")
    assert body.startswith("First part\n")
    assert "\nSecond part\n" in body and SENTENCES[5] in body
    assert "A post in parts" not in body  # the headline h1 is no part of the body
    body_html = article_in_parts(f"<h1>First part</h1>{paragraphs(0, 3)}"
                                 f"<h1>Second part</h1>{paragraphs(3, 6)}").body_html or ""
    assert "<h2>First part</h2>" in body_html and "<h1>" not in body_html


def test_a_lone_h1_over_a_box_and_a_headline_set_in_two_h1s_stay_out() -> None:
    box = article_with(f"{paragraphs(0, 5)}<h1>Stay in touch</h1>{paragraphs(5, 6)}")
    assert SENTENCES[5] in box and "Stay in touch" not in box
    split = article_with(f"<h1>Why posts</h1><h1>are written</h1>{paragraphs(0, 6)}")
    assert SENTENCES[0] in split and "Why posts" not in split and "are written" not in split


def test_a_pictures_caption_or_credit_set_as_a_paragraph_is_no_body_text() -> None:
    notes = ("<p>Abbildung 2: Aufbau der Methode, wie sie im Feld angewandt wird.</p>"
             "<p>Titelbild: Jane Doe/Agentur</p><p>Figure 3: Font sizes of the axis text.</p>")
    body = article_with(f"{paragraphs(0, 3)}<img src='/a.jpg'>{notes}{paragraphs(3, 6)}")
    assert SENTENCES[0] in body and SENTENCES[5] in body
    assert "Abbildung" not in body and "Titelbild" not in body and "Figure 3" not in body
    # a label inside a sentence is text
    body = article_with(f"{paragraphs(0, 5)}<p>Das Bild: eine Frage der Perspektive, sagt sie "
                        f"im Gespräch über ihre Arbeit.</p>")
    assert "Das Bild: eine Frage" in body


def test_an_embeds_consent_placeholder_is_no_body_text() -> None:
    placeholder = ("<div class='third-party-services--placeholder'><h2>Enable Twitter</h2>"
                   "<div>We respect your privacy and connect to Twitter only once you agree: "
                   "here you can change your settings for embedded content.</div></div>")
    body = article_with(f"{paragraphs(0, 3)}{placeholder}{paragraphs(3, 6)}")
    assert SENTENCES[0] in body and SENTENCES[5] in body
    assert "Enable Twitter" not in body and "respect your privacy" not in body


@pytest.mark.parametrize("heading", ["Mehr zum Thema", "Read more:", "Trending"])
def test_links_under_a_read_more_heading_are_related_stories_not_body(heading: str) -> None:
    box = (f"<div class='box'><h3>{heading}</h3>"
           "<p><a href='/2024/05/01/first-story-on-the-topic'>First story on the topic</a> "
           "and why it matters</p>"
           "<p><a href='/2024/05/02/second-story-on-the-topic'>Second story on the topic</a> "
           "explained</p></div>")
    article = article_in_parts(f"{paragraphs(0, 5)}{box}<p>{SENTENCES[5]} "
                               f"<a href='/source'>Source</a></p>")
    body = article.body or ""
    assert heading not in body and "First story" not in body
    assert SENTENCES[5] in body  # a paragraph with a link, outside the box, is text
    assert {link.headline for link in article.related} >= {"First story on the topic",
                                                           "Second story on the topic"}


def test_an_about_the_author_section_is_no_body_text() -> None:
    bio = ("<h4>About the author</h4><p>Jane Doe has written about wine and food for twenty "
           "years and lives in the hills above the lake.</p>")
    body = article_with(f"{paragraphs(0, 6)}{bio}")
    assert SENTENCES[5] in body and "About the author" not in body and "twenty" not in body
