"""The generic body finder on small synthetic pages: what it keeps and what it leaves out."""

from __future__ import annotations

import pytest
from lxml import etree

from newscrawl.api import extract
from newscrawl.extraction import boilerplate
from newscrawl.extraction.blocks import largest_from_srcset, srcset_candidates
from newscrawl.extraction.bodyfinder import find_body
from newscrawl.extraction.boilerplate import classify
from newscrawl.extraction.dates import to_utc_datetime
from newscrawl.extraction.page import Page

URL = "https://news.example.org/world/2024/05/17/a-story"
FETCHED = "2024-05-17T12:00:00Z"

# Synthetic prose: long enough to read like paragraphs, each one recognisable in assertions.
PARAGRAPHS = [
    f"Paragraph {word} of the story says something long enough to be read as prose, with "
    f"details, quotes and context that a reader would expect in a news article body {word}."
    for word in ("alpha", "bravo", "charlie", "delta", "echo")
]


def page_html(article_inner: str, around: str = "", head: str = "") -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in PARAGRAPHS)
    return (f"<html lang='en'><head><title>A story</title>{head}</head><body>"
            f"<nav><ul><li><a href='/a'>World</a></li><li><a href='/b'>Sport</a></li></ul></nav>"
            f"<main><article><h1>A story</h1>{article_inner.replace('{P}', paragraphs)}"
            f"</article></main>{around}"
            f"<footer><p>Copyright Example News, all rights reserved, terms and privacy policy "
            f"apply to everything published on this website.</p></footer></body></html>")


def body_of(html: str) -> str:
    return extract(html, URL, FETCHED, use_profiles=False).body or ""


def test_body_is_the_paragraphs_in_reading_order() -> None:
    body = body_of(page_html("<div class='story-body'>{P}</div>"))
    assert body.split("\n\n") == PARAGRAPHS


def test_subheadings_and_quotes_stay_in_order() -> None:
    inner = ("<div class='story-body'><p>" + PARAGRAPHS[0] + "</p><h2>What happens next</h2>"
             "<blockquote><p>" + PARAGRAPHS[1] + "</p></blockquote><p>" + PARAGRAPHS[2]
             + "</p></div>")
    body = body_of(page_html(inner))
    assert body.split("\n\n") == [PARAGRAPHS[0], "What happens next", PARAGRAPHS[1],
                                  PARAGRAPHS[2]]


def test_navigation_and_footer_are_left_out() -> None:
    body = body_of(page_html("<div>{P}</div>"))
    assert "World" not in body and "Copyright" not in body


def test_share_bar_newsletter_ads_and_cookie_notice_are_left_out() -> None:
    inner = ("<div class='share-bar'><a href='https://facebook.com/x'>Share on Facebook</a>"
             "<span>Share this story with your friends and family today please</span></div>"
             "<div class='text'>{P}"
             "<div class='newsletter-signup'><p>Sign up to our morning newsletter and get every "
             "story we publish straight into your inbox each day.</p></div>"
             "<div class='ad-slot'><p>Advertisement for a product that is long enough to look "
             "like a paragraph of text in the page markup.</p></div></div>")
    around = ("<div id='cookie-consent'><p>We use cookies to improve your experience on our "
              "website; by continuing to browse you agree to our use of cookies and to "
              "our privacy policy in full.</p></div>")
    body = body_of(page_html(inner, around))
    assert body.split("\n\n") == PARAGRAPHS


def test_comments_and_paywall_prompt_are_left_out() -> None:
    inner = ("<div class='article-text'>{P}</div>"
             "<section class='comments'><p>A reader wrote a long comment disagreeing with "
             "everything in this article, at considerable length and with feeling.</p>"
             "</section>"
             "<div class='subscribe-prompt'><p>Subscribe now to keep reading every story on "
             "our website without limits, from only one euro a month.</p></div>")
    body = body_of(page_html(inner))
    assert "comment" not in body and "Subscribe" not in body
    assert PARAGRAPHS[-1] in body


def test_hidden_and_screen_reader_text_is_left_out() -> None:
    inner = ("<div class='body'><p>" + PARAGRAPHS[0] + "<span class='sr-only'>, opens new tab"
             "</span></p><p hidden>" + "Hidden text. " * 10 + "</p>{P}</div>")
    body = body_of(page_html(inner))
    assert "opens new tab" not in body and "Hidden text" not in body


def test_figure_captions_go_to_images_not_body() -> None:
    inner = ("<div class='body'>{P}<figure><img src='/img/fire.jpg' alt='Fire'>"
             "<figcaption>Firefighters at the scene on Friday. "
             "<span class='credit'>Jane Doe/Agency</span></figcaption></figure></div>")
    article = extract(page_html(inner), URL, FETCHED, use_profiles=False)
    assert "Firefighters" not in (article.body or "")
    assert article.images[0].url == "https://news.example.org/img/fire.jpg"
    assert article.images[0].caption == "Firefighters at the scene on Friday."
    assert article.images[0].credit == "Jane Doe/Agency"
    assert article.images[0].alt == "Fire"


def test_credit_written_in_the_caption_is_split_off() -> None:
    inner = ("<div class='body'>{P}<figure><img src='/img/a.jpg'>"
             "<figcaption>The minister arrives. (AP Photo/John Roe)</figcaption></figure></div>")
    image = extract(page_html(inner), URL, FETCHED, use_profiles=False).images[0]
    assert (image.caption, image.credit) == ("The minister arrives.", "AP Photo/John Roe")


def test_related_block_goes_to_related_not_body() -> None:
    inner = ("<div class='body'>{P}</div><div class='related-stories'><h3>More on this</h3>"
             "<ul><li><a href='/world/another-story-same-topic'>Another story about the same "
             "topic<span class='sr-only'>, opens new tab</span></a></li>"
             "<li><a href='/world/2024/05/16/4711'>A third story people read as well</a></li>"
             "<li><a href='/world/'>More stories from World</a></li></ul></div>")
    article = extract(page_html(inner), URL, FETCHED, use_profiles=False)
    assert "Another story" not in (article.body or "")
    # The section front is no story; the hidden hint is not part of the headline.
    assert [link.url for link in article.related] == [
        "https://news.example.org/world/another-story-same-topic",
        "https://news.example.org/world/2024/05/16/4711"]
    assert article.related[0].headline == "Another story about the same topic"


def test_read_more_link_paragraph_goes_to_related() -> None:
    inner = ("<div class='body'><p>" + PARAGRAPHS[0] + "</p><p><a href='/x/earlier-fire-in-town'>"
             "Read more: "
             "Earlier fire in the same district</a></p>" + "".join(
                 f"<p>{p}</p>" for p in PARAGRAPHS[1:]) + "</div>")
    article = extract(page_html(inner), URL, FETCHED, use_profiles=False)
    assert "Read more" not in (article.body or "")
    assert article.related[0].url == "https://news.example.org/x/earlier-fire-in-town"


def test_teaser_cards_are_not_body() -> None:
    card = ("<div class='card'><h3><a href='/s/{n}'>Teaser headline number {n} here</a></h3>"
            "<p>An excerpt of that other story, long enough to be mistaken for a paragraph "
            "of this one by a naive extractor {n}.</p><div>3 hours ago</div></div>")
    inner = "<div class='body'>{P}" + "".join(card.format(n=n) for n in range(3)) + "</div>"
    body = body_of(page_html(inner))
    assert "excerpt" not in body and "hours ago" not in body
    assert body.split("\n\n") == PARAGRAPHS


def test_link_rich_paragraph_in_running_text_stays() -> None:
    places = ", ".join(f"<a href='/place/{n}'>Place{n}</a>" for n in range(8))
    inner = "<div class='body'>{P}<p>Shaking was felt in: " + places + ".</p></div>"
    body = body_of(page_html(inner))
    assert "Place0" in body and "Place7" in body


def test_name_of_boilerplate_on_the_article_itself_does_not_drop_it() -> None:
    # A styling hook such as "paywall" or "ad-free" on the element holding the story.
    body = body_of(page_html("<div class='paywall ad-wrapper'>{P}</div>"))
    assert body.split("\n\n") == PARAGRAPHS


def test_divs_of_inline_text_are_paragraphs() -> None:
    inner = "<div class='body'>" + "".join(
        f"<div><span>{p}</span></div>" for p in PARAGRAPHS) + "</div>"
    assert body_of(page_html(inner)).split("\n\n") == PARAGRAPHS


def test_shown_standfirst_opens_the_body_once() -> None:
    standfirst = "A short summary of the story shown under the headline for readers."
    inner = f"<p class='standfirst'>{standfirst}</p><div class='body'>{{P}}</div>"
    article = extract(page_html(inner, head=f"<meta name='description' content='{standfirst}'>"),
                      URL, FETCHED, use_profiles=False)
    assert article.lead == standfirst
    assert (article.body or "").split("\n\n") == [standfirst, *PARAGRAPHS]


def test_description_not_shown_on_page_is_lead_but_not_body() -> None:
    head = "<meta name='description' content='Only in the metadata, never shown.'>"
    article = extract(page_html("<div class='body'>{P}</div>", head=head), URL, FETCHED,
                      use_profiles=False)
    assert article.lead == "Only in the metadata, never shown."
    assert not (article.body or "").startswith("Only in the metadata")


def test_structured_article_body_stands_in_when_markup_has_little() -> None:
    text = "\\n".join(PARAGRAPHS)
    head = ('<script type="application/ld+json">{"@type": "NewsArticle", "headline": "A story",'
            f' "articleBody": "{text}"}}</script>')
    html = page_html("<div id='root'></div>", head=head)
    assert body_of(html).split("\n\n") == PARAGRAPHS


def test_find_body_on_a_page_without_text() -> None:
    page = Page("<html><body><div><img src='x.png'></div></body></html>", URL,
                to_utc_datetime(FETCHED))
    finding = find_body(page.root)
    assert finding.container is None and finding.blocks == []


def test_largest_lazy_loaded_version_of_a_picture() -> None:
    inner = ("<div class='body'>{P}<figure><picture>"
             "<source srcset='data:image/gif;base64,R0lGOD' data-lazy-srcset='/i/s.webp 420w, "
             "/i/l.webp 1380w, /i/m.webp 720w'><img src='data:image/gif;base64,AAAA'></picture>"
             "<figcaption>Caption</figcaption></figure></div>")
    image = extract(page_html(inner), URL, FETCHED, use_profiles=False).images[0]
    assert image.url == "https://news.example.org/i/l.webp"


def test_image_with_a_caption_element_outside_figure_tags() -> None:
    inner = ("<div class='body'>{P}<div class='image-container'><img src='/i/a.jpg'>"
             "<div class='image-text'><span class='image-caption'>Divers at work.</span>"
             "<span class='image-credit'>Photo: Max Muster/dpa</span></div></div></div>")
    image = extract(page_html(inner), URL, FETCHED, use_profiles=False).images[0]
    assert (image.url, image.caption, image.credit) == (
        "https://news.example.org/i/a.jpg", "Divers at work.", "Max Muster/dpa")


def test_gallery_pictures_sharing_a_container_each_find_their_caption() -> None:
    # Two pictures in one container, each with a caption two levels up; a third picture
    # with no caption near it is no figure.
    cell = ("<div class='cell'><div><img src='/i/{n}.jpg'></div>"
            "<div><p class='wp-caption-text'>Picture {n} of the gallery.</p></div></div>")
    inner = ("<div class='body'>{P}<div class='gallery'>" + cell.format(n=1) + cell.format(n=2)
             + "</div><div><div><div><img src='/i/3.jpg'></div></div></div></div>")
    images = extract(page_html(inner), URL, FETCHED, use_profiles=False).images
    assert [(i.url.rsplit("/", 1)[1], i.caption) for i in images] == [
        ("1.jpg", "Picture 1 of the gallery."), ("2.jpg", "Picture 2 of the gallery.")]


def test_loose_text_between_br_and_blocks_is_read_in_order() -> None:
    # Older CMSs: paragraphs as text runs separated by <br><br>, an ad block in between.
    inner = ("<div class='body'>" + PARAGRAPHS[0] + "<br><br>" + PARAGRAPHS[1]
             + "<div class='ad-slot'>Advertisement</div>" + PARAGRAPHS[2]
             + "<p>" + PARAGRAPHS[3] + "</p>" + PARAGRAPHS[4] + "</div>")
    body = body_of(page_html(inner))
    assert body.split("\n\n") == PARAGRAPHS


def test_glued_class_names_are_understood() -> None:
    inner = ("<div class='body'>{P}</div><div class='jp-relatedposts'><p>Glued related posts "
             "block with enough text to look like a paragraph of prose here.</p></div>")
    assert "Glued" not in body_of(page_html(inner))


def test_commentary_is_not_comments() -> None:
    assert body_of(page_html("<div class='commentary-body'>{P}</div>")).split("\n\n") == \
        PARAGRAPHS


def test_short_labels_closing_the_body_are_dropped() -> None:
    inner = "<div class='body'>{P}<p>End of Article</p><div>Share this story</div></div>"
    assert body_of(page_html(inner)).split("\n\n") == PARAGRAPHS


def test_a_closing_list_of_short_items_is_content() -> None:
    items = [f"Key fact number {n}" for n in range(5)]
    inner = "<div class='body'>{P}<ul>" + "".join(f"<li>{i}</li>" for i in items) + "</ul></div>"
    assert body_of(page_html(inner)).split("\n\n") == PARAGRAPHS + items


def test_short_labels_opening_the_body_are_dropped() -> None:
    inner = "<div class='body'><div>Duncan Walker</div><p>5 min read</p>{P}</div>"
    assert body_of(page_html(inner)).split("\n\n") == PARAGRAPHS


def test_wordpress_style_page() -> None:
    html = (
        "<html><body class='single post-template-default'><div id='page'>"
        "<header id='masthead'><nav class='main-navigation'><ul><li><a href='/'>Home</a></li>"
        "</ul></nav></header><div id='content'><main id='main'>"
        "<article class='post type-post status-publish tag-local tag-news category-city'>"
        "<header class='entry-header'><h1 class='entry-title'>A story</h1>"
        "<div class='entry-meta'>Posted on <time datetime='2024-05-17T08:00:00+02:00'>May 17"
        "</time> by <span class='author vcard'><a href='/author/jd'>Jane Doe</a></span></div>"
        "</header><div class='entry-content'>{P}"
        "<div class='sharedaddy sd-sharing-enabled'><h3>Share this:</h3><ul><li>"
        "<a href='https://twitter.com/share'>Twitter</a></li></ul></div>"
        "<div id='jp-relatedposts' class='jp-relatedposts'><h3>Related</h3>"
        "<p><a href='/2024/05/16/an-earlier-story-here/'>An earlier story here</a></p></div>"
        "</div></article><div id='comments' class='comments-area'><ol class='comment-list'>"
        "<li><p>I disagree with this article entirely, and here is a long comment that "
        "explains why in great detail.</p></li></ol></div></main></div></div></body></html>")
    article = extract(html.replace("{P}", "".join(f"<p>{p}</p>" for p in PARAGRAPHS)), URL,
                      FETCHED, use_profiles=False)
    assert (article.body or "").split("\n\n") == PARAGRAPHS
    assert article.headline == "A story"
    assert article.authors == ["Jane Doe"]
    assert article.published == "2024-05-17T08:00:00+02:00"
    assert [r.url for r in article.related] == [
        "https://news.example.org/2024/05/16/an-earlier-story-here/"]


def test_table_layout_page_of_an_older_site() -> None:
    html = ("<html><body><table class='layout'><tr><td class='nav'><a href='/a'>News</a><br>"
            "<a href='/b'>Sport</a></td><td class='main'><h1>A story</h1>"
            + "<br><br>".join(PARAGRAPHS) + "</td></tr></table></body></html>")
    assert body_of(html).split("\n\n") == PARAGRAPHS


@pytest.mark.parametrize(("srcset", "widest"), [
    ("/a.jpg 320w, /b.jpg 1024w, /c.jpg 640w", "/b.jpg"),
    ("/a.jpg 1x,/b.jpg 2x", "/b.jpg"),  # no space after the comma
    ("https://cdn.example/w_300,h_200/p.jpg 300w, https://cdn.example/w_900,h_600/p.jpg 900w",
     "https://cdn.example/w_900,h_600/p.jpg"),  # commas inside the URLs
    ("/small.jpg 2x, /wide.jpg 640w", "/wide.jpg"),  # widths and densities do not compare
    ("/only.jpg", "/only.jpg"),
    ("", None),
])
def test_largest_from_srcset(srcset: str, widest: str | None) -> None:
    assert largest_from_srcset(srcset) == widest


def test_srcset_candidates_give_url_size_and_unit() -> None:
    assert srcset_candidates("/a.jpg 320w, /b.jpg 1.5x, /c.jpg") == [
        ("/a.jpg", 320.0, "w"), ("/b.jpg", 1.5, "x"), ("/c.jpg", 1.0, "x")]


def test_a_link_list_closing_the_text_does_not_split_the_body_from_its_intro() -> None:
    # Show notes or sources: a long list of links at the foot of the article's own element,
    # outweighing the paragraphs between it and the introduction.
    links = "".join(f"<li><a href='/notes/{n}'>Episode note number {n} with a longer title</a>"
                    "</li>" for n in range(12))
    inner = (f"<div class='entry'><div class='intro'><p>{PARAGRAPHS[0]}</p></div>"
             f"<p>{PARAGRAPHS[1]}</p><p>{PARAGRAPHS[2]}</p><ul>{links}</ul></div>")
    body = body_of(page_html(inner))
    assert body.split("\n\n") == PARAGRAPHS[:3]


def test_a_deck_set_as_a_long_subheading_under_the_headline_opens_the_body() -> None:
    deck = ("The council voted late on Tuesday to close the old bridge for a year, and "
            "the ferry will run again")
    inner = f"<h2>{deck}</h2><div class='story-body'>{{P}}</div>"
    body = body_of(page_html(inner))
    assert body.split("\n\n") == [deck, *PARAGRAPHS]


def test_a_short_subheading_under_the_headline_is_no_deck() -> None:
    inner = "<h2>Local news</h2><div class='story-body'>{P}</div>"
    assert body_of(page_html(inner)).split("\n\n") == PARAGRAPHS


@pytest.mark.parametrize("name", ["sommario", "entradilla", "chapeau", "vorspann"])
def test_a_standfirst_named_in_another_language_opens_the_body(name: str) -> None:
    standfirst = ("The council voted to close the old bridge for a year while engineers "
                  "repair it.")
    inner = (f"<header><div class='{name}'><p>{standfirst}</p></div></header>"
             "<div class='story-body'>{P}</div>")
    body = body_of(page_html(inner))
    assert body.split("\n\n") == [standfirst, *PARAGRAPHS]


def test_a_short_post_under_a_linked_title_has_a_body() -> None:
    # Blogs link each post's title to the post; the title is no link list weighing the post
    # down, even when the post is shorter than it.
    title = "A walk through the snow on the longest night of the year, alone"
    text = "We walked home in the snow and said nothing at all, all the way."
    html = (f"<html><head><title>{title} | A blog</title></head><body>"
            f"<div class='post'><h2><a href='{URL}'>{title}</a></h2><p>{text}</p></div>"
            "<div class='widget-area'><ul><li><a href='/2024/05'>May 2024</a></li>"
            "<li><a href='/2024/04'>April 2024</a></li></ul></div></body></html>")
    assert body_of(html) == text


@pytest.mark.parametrize("line", ["“See you tomorrow.”", "– „Ok.“", "«Merci !»"])
def test_a_last_short_line_of_dialogue_in_quotes_is_text(line: str) -> None:
    body = body_of(page_html(f"<div class='story-body'>{{P}}<p>{line}</p></div>"))
    assert body.split("\n\n") == [*PARAGRAPHS, line]


@pytest.mark.parametrize("title", ["Ein anderer Beitrag {n}",
                                   # as long as prose: still the card's headline, not its text
                                   "Ein anderer Beitrag {n} über die neue Funktion der App"])
def test_cards_linked_through_an_empty_overlay_link_are_teasers(title: str) -> None:
    excerpt = ("Während der Erholungsphase passt sich der Körper an die Belastung an und wird "
               "stärker, und das Training danach gelingt besser als jemals zuvor ...")
    cards = "".join(
        f"<li><div class='text'><a href='/story-{n}' title='{title.format(n=n)}'></a>"
        f"<div class='title'>{title.format(n=n)}</div><p>{excerpt}</p></div></li>"
        for n in range(8))
    html = page_html("<div class='story-body'>{P}</div>", around=f"<ul>{cards}</ul>")
    assert body_of(html).split("\n\n") == PARAGRAPHS
    # in the article's own container too
    html = page_html(f"<div class='story-body'>{{P}}<ul>{cards}</ul></div>")
    assert body_of(html).split("\n\n") == PARAGRAPHS


def test_a_post_that_is_a_link_roll_keeps_its_links_as_body() -> None:
    # Every item of the post is a linked title over its source: no element gathers prose,
    # and the page's one article is the text all the same.
    items = "".join(
        f'<li><p class="link"><a href="https://news.example/{n}">Story number {n} about the '
        f'council budget</a></p><p class="via">via Example News https://news.example</p></li>'
        for n in range(6))
    html = (f"<html><head><title>Links of the day</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/about'>About</a></nav>"
            f"<article><h1>Links of the day</h1><div class='entry-content'><ul>{items}</ul>"
            f"</div></article><footer>© The Blog</footer></body></html>")
    body = body_of(html)
    assert "Story number 0 about the council budget" in body
    assert "Story number 5 about the council budget" in body
    assert "Home" not in body and "© The Blog" not in body
    # the same text rules as any body: no headline, no picture's credit line
    noted = html.replace("</ul>", "</ul><p>Photo: Jane Doe/Agency</p>")
    body = body_of(noted)
    assert "Story number 5 about the council budget" in body
    assert "Links of the day" not in body and "Jane Doe" not in body


def test_a_page_of_many_teaser_articles_gets_no_body_from_them() -> None:
    cards = "".join(
        f'<article><h2><a href="/s/{n}">Headline of the story number {n} today</a></h2>'
        f'</article>' for n in range(6))
    html = f"<html><head><title>Section</title></head><body><main>{cards}</main></body></html>"
    assert not body_of(html)


@pytest.mark.parametrize(("attributes", "kind"), [
    ('class="share-bar" id="related-stories"', "related"),
    ('class="related-links" id="site-footer"', "related"),
    ('id="site-footer"', "furniture"),
    ('class="entry" id="related"', "related"),
    ('class="sidebar" id="main-text"', "furniture"),
    ('class="entry" id="main-text"', None),
    ('class="sr-only" id="related"', "unseen"),
    ('class="related" role="navigation"', "furniture"),
])
def test_class_and_id_words_together_say_what_an_element_is(attributes: str, kind: str) -> None:
    element = etree.fromstring(f"<div {attributes}>text</div>")
    assert classify(element) == kind
    assert classify(element, "div") == kind


def test_a_run_of_figures_with_no_word_is_no_evidence_of_the_article() -> None:
    minutes = " ".join(f"{m}'" for m in range(95, 0, -3))  # a live ticker's time line
    html = ("<html><body><div class='story'><p>The match ended in a draw after a late goal, "
            "and the home side kept its place in the table.</p></div>"
            f"<div class='timeline'><p>{minutes}</p></div></body></html>")
    body = body_of(html)
    assert body.startswith("The match ended in a draw")
    assert "95'" not in body


def test_a_box_the_parser_nested_in_a_paragraph_is_not_its_text() -> None:
    # libxml2 does not close a paragraph before `aside` or `figure`, as HTML5 parsers do.
    box = ("<aside class='box'><div>Read more</div><ul>"
           "<li><a href='/world/2024/05/16/other-story-one'>The other story about the port</a></li>"
           "<li><a href='/world/2024/05/15/other-story-two'>A second story about the port</a></li>"
           "</ul></aside>")
    credit = "<figure><img src='/p.jpg'><figcaption>Photo: Agency</figcaption></figure>"
    inner = (f"<p>{PARAGRAPHS[0]}</p><p>{PARAGRAPHS[1]} <b>bold</b>{box}</p>"
             f"<p>{PARAGRAPHS[2]}{credit}</p><p>{PARAGRAPHS[3]}</p>")
    article = extract(page_html(inner), URL, FETCHED, use_profiles=False)
    assert article.body.split("\n\n") == [PARAGRAPHS[0], PARAGRAPHS[1] + " bold",
                                          PARAGRAPHS[2], PARAGRAPHS[3]]
    assert [link.headline for link in article.related] == [
        "The other story about the port", "A second story about the port"]
    assert "<strong>bold</strong></p>" in article.body_html  # its own markup is kept


def test_a_label_heading_links_left_out_goes_with_them() -> None:
    links = "".join(f"<li><a href='/world/2024/05/1{n}/other-story-{n}'>Another story about "
                    f"the harbour, part {n}</a></li>" for n in range(4))
    inner = (f"<div class='story-body'><p>{PARAGRAPHS[0]}</p><p>More on this topic:</p>"
             f"<ul>{links}</ul><p>{PARAGRAPHS[1]}</p><p>The rules:</p><p>{PARAGRAPHS[2]}</p>"
             "</div>")
    assert body_of(page_html(inner)).split("\n\n") == [
        PARAGRAPHS[0], PARAGRAPHS[1], "The rules:", PARAGRAPHS[2]]


@pytest.mark.parametrize("classes", [
    "readMore", "c-RelatedLinks__list", "share-bar", "sharebar-top", "relatedposts",
    "newsletterbox", "post-ad", "adslot-top", "tag-social category-news", "tag-nav",
    "has-sidebar", "js-readmore", "article-widget-text", "caption-text", "more stories",
    "wp-block-group alignwide", "col-md-6 entry-content", "header shadow padded", "is-hidden",
])
def test_the_first_cut_on_names_gives_the_verdict_their_words_give(classes: str) -> None:
    # The cut skips working out the words of names that can hold no boilerplate word; on
    # every shape of name that makes one (camel case, glued pairs, compounds), the verdict
    # is the one the words give.
    words = boilerplate._class_words.__wrapped__(classes)
    assert boilerplate._class_verdict.__wrapped__(classes)[1] == boilerplate._kind_of_words(words)
    assert boilerplate._id_kind(classes) == boilerplate._kind_of_words(
        boilerplate._words_of_names(classes, boilerplate._words_of_one_name))
    if boilerplate._kind_of_words(words) is not None:
        assert boilerplate._may_name_a_kind(classes)


def test_the_cached_words_of_names_are_left_to_reference_counting() -> None:
    # A crawl of many sites adds about 180 cache entries a page; values the collector tracks
    # make it walk every object of the process every 80 pages or so.
    import gc

    words = boilerplate._class_words("c-RelatedLinks__list tag-social category-news")
    one = boilerplate._cached_words_of_one_name("readMore")
    gc.collect()
    gc.collect()  # a pair is let go once its words are
    assert not gc.is_tracked(words) and not gc.is_tracked(one)
    assert set(words) >= {"related", "links", "relatedlinks"} and "readmore" in one[1]


@pytest.mark.parametrize(("attributes", "named"), [
    ('class="c-RelatedLinks__list"', True), ('id="readMore"', True),
    ('class="entry-content" id="comments"', True), ('class="col-md-6 entry-content"', False),
    ("", False),
])
def test_an_element_is_named_for_a_word_its_class_or_id_gives(attributes: str,
                                                              named: bool) -> None:
    element = etree.fromstring(f"<div {attributes}/>")
    wanted = frozenset({"related", "readmore", "comments"})
    assert boilerplate.is_named(element, wanted) is named
    assert bool(boilerplate.name_words(element) & wanted) is named


def test_a_caption_found_past_a_branch_nested_deeper_than_the_recursion_limit() -> None:
    # The caption search keeps its own stack: a sibling branch 1,500 elements deep (more
    # than Python's recursion limit) is searched through, and the caption after it found.
    deep = 1500
    inner = ("<div class='body'>{P}<div class='item'><span><img src='/i/a.jpg'></span>"
             + "<div>" * deep + "x" + "</div>" * deep
             + "<p class='wp-caption-text'>Divers at work.</p></div></div>")
    images = extract(page_html(inner), URL, FETCHED, use_profiles=False).images
    assert [(i.url, i.caption) for i in images] == [
        ("https://news.example.org/i/a.jpg", "Divers at work.")]


def test_a_paragraph_nesting_inline_markup_deeper_than_the_recursion_limit_is_read() -> None:
    # The block's text is read with a stack of its own: 1,500 nested spans (more than Python's
    # recursion limit, fewer than the parser's 2,048 levels) are read like one.
    deep = 1500
    words = "The harbour reopened to ferries on Monday after a week of repairs, officials said."
    nested = ("<p>" + "<span>" * deep + f"<a href='/ferries'>{words}</a> {words}"
              + "</span>" * deep + "</p>")
    article = extract(page_html(nested + "{P}"), URL, FETCHED, use_profiles=False)
    assert article.body is not None and article.body.split("\n\n") == [
        f"{words} {words}", *PARAGRAPHS]
    assert article.body_html is not None and article.body_html.startswith(
        f'<p><a href="https://news.example.org/ferries">{words}</a> {words}</p>')
