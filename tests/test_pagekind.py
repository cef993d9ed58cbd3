"""Article or listing without a profile, the generic listing, the crawl's story judgement and
`newscrawl extract` printing the kind; on small pages made for each rule (and the saved
Sputnik pages for the command)."""

from __future__ import annotations

import json

from newscrawl import fixtures as store
from newscrawl.api import extract_document, extract_page, kind_of
from newscrawl.crawl.discovery import judged_story, url_is_no_story
from newscrawl.extraction import load_page
from newscrawl.extraction.pagekind import declared_kind, judge, same_site, teaser_links
from newscrawl.model.items import ListingPage
from tests.support.pages import prose

SECTION = "https://news.example.org/world/"
FETCHED = "2024-05-20T12:00:00Z"
PROSE = prose(6, " in the markup of the page and keeps the paragraphs of one story together")


def teaser(n: int) -> str:
    return (f"<div class='card'><h3><a href='/world/2024/05/20/story-{n}'>Headline number {n} "
            f"of the world section</a></h3><time datetime='2024-05-20T0{n % 10}:00:00Z'>"
            f"{n} hours ago</time></div>")


def section_page(extra: str = "", head: str = "") -> str:
    teasers = "".join(teaser(n) for n in range(12))
    return (f"<html><head>{head}<link rel='next' href='/world/?page=2'></head><body>"
            "<nav><a href='/about/team/contact-the-whole-team-here'>Contact the whole team "
            "here today</a></nav>"
            f"<h1>World</h1><main>{teasers}{extra}</main></body></html>")


def test_judge_reads_declarations_teasers_and_paragraphs() -> None:
    assert judge("article", 40, []) == "article"
    assert judge("listing", 2, [300]) == "listing"
    assert judge(None, 12, [20, 25, 10]) == "listing"
    assert judge(None, 12, [20, 60]) == "article"  # a story's paragraph
    assert judge(None, 12, [30] * 8) == "article"  # short paragraphs, a story's worth of text
    assert judge(None, 5, []) == "article"  # a few related links are no listing


def test_declared_kinds() -> None:
    about = {"@type": "NewsArticle", "url": "https://news.example.org/a/1"}
    other = {"@type": "NewsArticle", "url": "https://news.example.org/a/2"}
    assert declared_kind("https://news.example.org/a/1", [about], None) == "article"
    assert declared_kind(SECTION, [other], None) is None  # a teaser's node, not this page's
    assert declared_kind(SECTION, [{"@type": "CollectionPage"}], None) == "listing"
    assert declared_kind(SECTION, [], "article") == "article"
    assert declared_kind(SECTION, [], "website") is None


def test_teaser_links_skip_navigation_other_sites_and_short_links() -> None:
    html = section_page(
        "<a href='https://elsewhere.example.com/a/story-x'>A story on another site entirely</a>"
        "<a href='/world/2024/05/20/story-1'>More</a>"
        "<a href='https://m.news.example.org/world/2024/05/20/story-99'>A story on the mobile "
        "host of the site</a>")
    page = load_page(html, SECTION, FETCHED)
    teasers = teaser_links(page.root, page.url)
    urls = [t.url for t in teasers]
    assert len(urls) == 13 and len(set(urls)) == 13
    assert "https://m.news.example.org/world/2024/05/20/story-99" in urls
    assert all("elsewhere" not in u and "/about/" not in u for u in urls)
    assert teasers[1].headline == "Headline number 1 of the world section"
    assert same_site("news.example.co.uk", "www.example.co.uk")
    assert not same_site("news.example.co.uk", "news.other.co.uk")


def test_section_page_without_a_profile_is_a_listing() -> None:
    listing = extract_document(section_page(), SECTION, FETCHED, use_profiles=False)
    assert isinstance(listing, ListingPage) and kind_of(listing) == "listing"
    assert len(listing.entries) == 12
    first = listing.entries[0]
    assert first.url == "https://news.example.org/world/2024/05/20/story-0"
    assert first.headline == "Headline number 0 of the world section"
    assert first.published == "2024-05-20T00:00:00+00:00"
    assert listing.next_page == "https://news.example.org/world/?page=2"
    assert listing.section == "World"


def test_load_more_control_gives_the_next_page_and_a_carousel_next_does_not() -> None:
    carousel = ("<a class='carousel-next' href='/world/2024/05/20/story-3'>next</a>"
                "<div class='list__more' data-url='/world/more.html?id=42'>Load more</div>")
    html = section_page(carousel).replace("<link rel='next' href='/world/?page=2'>", "")
    listing = extract_document(html, SECTION, FETCHED, use_profiles=False)
    assert listing.next_page == "https://news.example.org/world/more.html?id=42"


def test_article_with_related_links_stays_an_article() -> None:
    related = "".join(teaser(n) for n in range(10))
    html = (f"<html><body><article><h1>One story</h1>{PROSE}</article>"
            f"<section>{related}</section></body></html>")
    document = extract_document(html, "https://news.example.org/world/one-story", FETCHED,
                                use_profiles=False)
    assert kind_of(document) == "article" and document.headline == "One story"


def judged(html: str, url: str) -> bool:
    page = load_page(html, url, FETCHED)
    return judged_story(page, extract_page(page, use_profiles=False))


def test_story_judgement_of_the_crawl() -> None:
    post = f"<html><body><article><h1>Kein Cyberterrorismus</h1>{PROSE * 3}</article></body>"
    assert judged(post, "https://blog.example.org/news/2011/12/kein-cyberterrorismus-diesmal/")
    assert not judged(section_page(), SECTION)
    dated = ("<html><head><meta property='article:published_time' "
             "content='2024-05-19T10:00:00Z'></head><body><h1>Only a headline here</h1>"
             "</body></html>")
    assert judged(dated, "https://news.example.org/p/123")
    # A page that says it is a story is one, whatever its URL and length.
    said = ('<html><head><script type="application/ld+json">{"@graph": [{"@type": "WebPage"}, '
            '{"@type": "BlogPosting", "headline": "A note"}]}</script></head><body><p>Short.'
            '</p></body></html>')
    assert judged(said, "https://news.example.org/tag/notes/")
    og = "<html><head><meta property='og:type' content=' Article'></head><body></body></html>"
    assert judged(og, "https://news.example.org/tag/notes/")
    assert not judged(og.replace("Article", "website"), "https://news.example.org/tag/notes/")
    assert url_is_no_story("https://news.example.org/tag/politics/")
    assert url_is_no_story("https://news.example.org/")
    assert not url_is_no_story("https://blog.example.org/?p=959")


def test_extract_prints_the_sputnik_section_as_its_listing(run_cli) -> None:
    section = next(f for f in store.iter_fixtures(["sputnik"])
                   if f.name == "2024-05-17-world-section")
    article = next(f for f in store.iter_fixtures(["sputnik"])
                   if f.name == "2024-05-17-putins-trip")
    result = run_cli("extract", str(section.html_path), str(article.html_path),
                     "--fetched-at", "2024-05-17T19:00:00Z")
    assert result.returncode == 0, result.stderr
    listing, story = (json.loads(line) for line in result.stdout.splitlines())
    truth = section.meta["truth"]
    assert listing["kind"] == "listing"
    assert [e["url"] for e in listing["entries"]] == [e["url"] for e in truth["entries"]]
    assert listing["next_page"] == truth["next_page"]
    assert story["kind"] == "article" and story["headline"] == article.expected["headline"]
