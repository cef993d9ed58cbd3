"""Site profiles of the second English group: URL patterns, design detection, boilerplate kept
out of bodies, related blocks and captions, checked on the corpus fixtures."""

from __future__ import annotations

from functools import cache

from newscrawl import fixtures as store
from newscrawl.sites import profile_for_url, profile_named


@cache
def item(site: str, name: str) -> dict:
    fixture = next(f for f in store.iter_fixtures([site]) if f.name == name)
    return fixture.extract()


# -- Voice of America -------------------------------------------------------------------------
def test_voiceofamerica_urls():
    voa = profile_named("voiceofamerica")
    assert profile_for_url("https://www.voanews.com/usa") is voa
    assert voa.is_article_url("https://www.voanews.com/a/america-s-child-care-crisis-is-holding"
                              "-back-moms-without-college-degrees-/7585813.html")
    assert not voa.is_article_url("https://www.voanews.com/z/599")
    assert not voa.is_article_url("https://www.voanews.com/p/6290.html")
    assert not voa.is_article_url("https://www.voanews.com/author/associated-press/j_-yt")


def test_voiceofamerica_dateline_related_and_body():
    article = item("voiceofamerica", "2024-04-28")
    assert article["extractor"] == "voiceofamerica@2020"
    assert article["dateline"] == {"raw": "April 28, 2024 3:00 AM", "place": "AUBURN, Wash."}
    assert article["body"].startswith("After a series of lower-paying jobs")
    assert "FILE - Mike and Jane Roberts" not in article["body"]
    # Only the editors' "Related" list, not the "More US Stories" promotion.
    assert len(article["related"]) == 4
    assert all("child-care-crisis" not in link["url"] for link in article["related"])


# -- Los Angeles Times ------------------------------------------------------------------------
def test_latimes_urls():
    lat = profile_named("latimes")
    assert lat.is_article_url("https://www.latimes.com/sports/story/2023-06-26/100-years-los-"
                              "angeles-coliseum-historical-events")
    assert lat.is_article_url("https://www.latimes.com/california/story/2024-01-02/some-story")
    assert not lat.is_article_url("https://www.latimes.com/sports")
    assert not lat.is_article_url("https://www.latimes.com/people/houston-mitchell")
    assert not lat.is_article_url("https://www.latimes.com/topic/for-la-times-subscribers")


def test_latimes_story_stack_sections_ads_and_credits():
    article = item("latimes", "2023-06-26")
    assert article["extractor"] == "latimes@2023"
    paragraphs = article["body"].split("\n\n")
    assert paragraphs[3] == "Football" and "Music" in paragraphs
    assert "Advertisement" not in article["body"]
    assert "More From the Los Angeles Times" not in article["body"]
    credits = [image["credit"] for image in article["images"]]
    assert "Los Angeles Times" in credits
    assert not any(credit.startswith("(") for credit in credits if credit)


# -- The Intercept ----------------------------------------------------------------------------
def test_theintercept_urls_and_designs():
    intercept = profile_named("theintercept")
    assert intercept.is_article_url("https://theintercept.com/2023/04/28/montana-trans-zooey-zephyr/")
    assert not intercept.is_article_url("https://theintercept.com/world/")
    assert not intercept.is_article_url("https://theintercept.com/staff/nikita-mazurov/")
    assert item("theintercept", "2024-02-28")["extractor"] == "theintercept@2024"
    assert item("theintercept", "2023-04-28")["extractor"] == "theintercept@2016"


def test_theintercept_promos_pullquotes_and_subjects_left_out():
    for name in ("2023-04-28", "2024-02-28"):
        article = item("theintercept", name)
        assert "Join Our Newsletter" not in article["body"]
        assert "Wait! Before you go" not in article["body"]
        assert not any(tag.startswith(("Day:", "WC:", "Subject")) for tag in article["tags"])
    current = item("theintercept", "2024-02-28")
    assert "Most Read" not in current["body"]
    assert "Read our complete coverage" not in current["body"]
    # The pull quote repeats a sentence of the text: it must appear once only.
    assert current["body"].count("what a huge mistake it was until I was more than halfway") == 1
    urls = [link["url"] for link in current["related"]]
    assert len(urls) == len(set(urls)) == 4
    assert current["images"][0]["credit"] == "Tom Brenner for The Washington Post via Getty Images"


# -- WIRED ------------------------------------------------------------------------------------
def test_wired_urls():
    wired = profile_named("wired")
    assert wired.is_article_url("https://www.wired.com/story/the-best-sleeping-bags-for-every-adventure/")
    assert wired.is_article_url("https://www.wired.com/gallery/best-camping-tents/")
    assert not wired.is_article_url("https://www.wired.com/category/gear/")
    assert not wired.is_article_url("https://www.wired.com/author/scott-gilbertson/")
    assert not wired.is_article_url("https://www.wired.com/tag/camping/")


def test_wired_guide_leaves_out_shop_buttons_toc_and_offers():
    article = item("wired", "2024-04-28")
    body = article["body"]
    for boilerplate in ("Table of Contents", "$285", "at REI", "Photograph:",
                        "If you buy something using links", "Special offer for Gear readers",
                        "Best for Backpackers:"):
        assert boilerplate not in body
    assert "The Best Sleeping Bag for Backpackers" in body.split("\n\n")
    assert "Types of Nylon" in body.split("\n\n")
    assert "_commerce" not in article["tags"]
    products = [image["caption"] for image in article["images"]]
    assert products[1] == "Mountain Hardwear Bishop Pass 15"
    assert all(not (image["credit"] or "").startswith("Photograph") for image in article["images"])


# -- CBC News ---------------------------------------------------------------------------------
def test_cbcnews_urls():
    cbc = profile_named("cbcnews")
    assert cbc.is_article_url("https://www.cbc.ca/news/world/gaza-israel-ceasefire-negotiations"
                              "-sinwar-1.7287711?cmp=rss")
    assert not cbc.is_article_url("https://www.cbc.ca/news/world")
    assert not cbc.is_article_url("https://www.cbc.ca/news/politics/author/yasmine-hassan")


def test_cbcnews_videos_and_similar_links_kept_out_of_body():
    article = item("cbcnews", "2024-08-08")
    body = article["body"]
    for boilerplate in ("WATCH |", "Duration", "Who is Ismail Haniyeh", "14 hours ago",
                        "ABOUT THE AUTHOR", "Submit a news tip"):
        assert boilerplate not in body
    assert [link["headline"] for link in article["related"]][-1] == (
        "Hamas chooses Oct. 7 attacks mastermind Yahya Sinwar as new leader, militants say")
    assert len(article["related"]) == 4
    first = article["images"][0]
    assert first["credit"] == "Adel Hana/Associated Press"
    assert not first["caption"].endswith(")")
    assert "Assassinations" in article["tags"]


# -- Global News ------------------------------------------------------------------------------
def test_globalnews_urls():
    gn = profile_named("globalnews")
    assert gn.is_article_url("https://globalnews.ca/news/11862251/russia-missile-attack-kyiv-ukraine/")
    assert not gn.is_article_url("https://globalnews.ca/world/")
    assert not gn.is_article_url("https://globalnews.ca/video/11860464/ebola-outbreak/")


def test_globalnews_ads_signup_and_agency_kept_out():
    article = item("globalnews", "2026-05-24")
    body = article["body"]
    for boilerplate in ("Story continues below advertisement", "Get daily National news",
                        "More on World", "Click to play video", "Stick to the Facts"):
        assert boilerplate not in body
    assert article["authors"] == ["Samya Kullab", "Vasilisa Stepanenko"]
    assert "Region National" not in article["tags"]
    assert article["images"][0]["caption"].startswith("RELATED: Russia 'spoofing'")


# -- The Globe and Mail -----------------------------------------------------------------------
def test_theglobeandmail_urls():
    globe = profile_named("theglobeandmail")
    assert globe.is_article_url("https://www.theglobeandmail.com/business/article-business-brief"
                                "-nvidias-into-nation-building-we-cool-with-that/")
    assert not globe.is_article_url("https://www.theglobeandmail.com/business/")
    assert not globe.is_article_url("https://www.theglobeandmail.com/authors/chris-wilson-smith/")


def test_theglobeandmail_toolbar_chart_and_flags_left_out():
    article = item("theglobeandmail", "2024-08-28")
    for boilerplate in ("Please log in to bookmark", "Share", "Report an editorial error",
                        "Open this photo in gallery", "Positions approved"):
        assert boilerplate not in article["body"]
    paragraphs = article["body"].split("\n\n")
    assert paragraphs[1] == "Up top" and "Morning markets" in paragraphs
    assert article["tags"] == []
    assert article["images"][0]["credit"] == "The Associated Press"


# -- Nine News --------------------------------------------------------------------------------
def test_ninenews_urls_on_both_hosts():
    nine = profile_named("ninenews")
    assert profile_for_url("https://www.9news.com.au/world") is nine
    assert nine.is_article_url("https://www.nine.com.au/world-news/usa/supreme-court-upholds-"
                               "birthright-citizenship-rejecting-trump-s-proposed-limits-20260701"
                               "-p60bhj.html")
    assert nine.is_article_url("https://www.9news.com.au/world/usa-jeffrey-epstein-documents-"
                               "released/141e61e9-8a07-42e4-a527-2f03f45e7ef0")
    assert not nine.is_article_url("https://www.nine.com.au/topic/politics-26lj")
    assert not nine.is_article_url("https://www.9news.com.au/jeffrey-epstein")


def test_ninenews_designs_promos_and_captions():
    earlier, current = item("ninenews", "2024-05-02"), item("ninenews", "2026-07-04")
    assert earlier["extractor"] == "ninenews@2018"
    assert current["extractor"] == "ninenews@2025"
    assert "READ MORE" not in earlier["body"]
    assert len(earlier["related"]) == 6
    assert earlier["images"][1] == {**earlier["images"][1], "credit": "Christie's"}
    assert not earlier["lead"].startswith(("<", "&"))
    for boilerplate in ("Read more", "Advertisement", "Share article", "Powered by",
                        "Sydney council ditches"):
        assert boilerplate not in current["body"]
    assert len(current["related"]) == 3
    assert current["images"][0]["credit"] == "AP Photo/Jacquelyn Martin"
    assert "AP Photo" not in current["images"][0]["caption"]


# -- Daily Maverick ---------------------------------------------------------------------------
def test_dailymaverick_urls_and_designs():
    dm = profile_named("dailymaverick")
    assert dm.is_article_url("https://www.dailymaverick.co.za/article/2025-05-03-icj-concludes"
                             "-hearings-on-israel-aid-obligations-in-gaza/")
    assert not dm.is_article_url("https://www.dailymaverick.co.za/section/world/")
    assert not dm.is_article_url("https://www.dailymaverick.co.za/article_tag/joburg/")
    assert item("dailymaverick", "2025-05-22")["extractor"] == "dailymaverick@2020"
    assert item("dailymaverick", "2026-01-06")["extractor"] == "dailymaverick@2025"


def test_dailymaverick_ends_at_sign_off_and_splits_credits():
    current = item("dailymaverick", "2026-01-06")
    assert current["body"].endswith("inner city. DM")
    assert "First published in" not in current["body"]
    assert current["images"][0]["credit"] == "Gallo Images / Sharon Seretlo"
    earlier = item("dailymaverick", "2025-05-22")
    for boilerplate in ("Read more:", "advertisement", "Remove ads", "(Photo:"):
        assert boilerplate not in earlier["body"]
    assert earlier["body"].endswith(" DM")
    header = earlier["images"][0]
    assert header["caption"].startswith("Public hearings on Israel’s obligations")
    assert header["credit"] == "UN Photo / ICJ-CIJ / Frank van Beek. Courtesy of the ICJ"
    assert any("gnu-mps-fact-finding" in link["url"] for link in earlier["related"])


# -- TimesLIVE --------------------------------------------------------------------------------
def test_timeslive_urls_and_designs():
    tl = profile_named("timeslive")
    assert tl.is_article_url("https://www.timeslive.co.za/sunday-times-daily/business/2025-05-21"
                             "-2025-budget-30-sars-gets-r4bn-to-hire-army-of-debt-collectors/")
    assert not tl.is_article_url("https://www.timeslive.co.za/news/south-africa/")
    assert not tl.is_article_url("https://www.timeslive.co.za/authors/thabo-mokone")
    assert item("timeslive", "2025-05-22")["extractor"] == "timeslive@2020"
    assert item("timeslive", "2025-11-10")["extractor"] == "timeslive@2025"


def test_timeslive_widgets_keywords_and_pull_quote():
    earlier = item("timeslive", "2025-05-22")
    for boilerplate in ("Subscribe now", "READ MORE:", "R20bn to hire 800 doctors", "Image:"):
        assert boilerplate not in earlier["body"]
    assert len(earlier["related"]) == 6 and earlier["related"][0]["section"] == "Politics"
    assert "tshisa live" not in earlier["tags"] and len(earlier["tags"]) == 21
    current = item("timeslive", "2025-11-10")
    quote = "What is dangerous about a tweet that says ‘we see you’"
    assert current["body"].count(quote) == 1
    assert "Would you like to comment" not in current["body"]
    assert current["images"][0]["credit"] == "NPA"


# -- The Times of India -----------------------------------------------------------------------
def test_timesofindia_urls():
    toi = profile_named("timesofindia")
    assert toi.is_article_url("https://timesofindia.indiatimes.com/city/bhopal/newborns-left-in-"
                              "dustbins/articleshow/130278578.cms")
    assert not toi.is_article_url("https://timesofindia.indiatimes.com/topic/pakistan")
    assert not toi.is_article_url("https://timesofindia.indiatimes.com/world/pakistan")


def test_timesofindia_runs_of_text_become_paragraphs():
    earlier = item("timesofindia", "2024-09-02")
    paragraphs = earlier["body"].split("\n\n")
    assert paragraphs[2].startswith("Pakistan's Chief of Army Staff")
    assert paragraphs[3].startswith("He described the activities")  # split at the poll widget
    assert "Munir's repeated attacks on social media" in paragraphs
    current = item("timesofindia", "2026-04-16")
    paragraphs = current["body"].split("\n\n")
    assert "Newborn Buried Alive: Fear of Job Loss Drives Extreme Act" in paragraphs
    for boilerplate in ("You Can Also Check", "CBSE 12 Result", "Bhopal news"):
        assert boilerplate not in current["body"] + " ".join(current["tags"])
    # lazy-loaded pictures: the real URL, not the placeholder in src
    assert all("83033472" not in image["url"] for image in current["images"])
    assert len(current["images"]) == 5


def test_collect_text_runs_breaks_at_br_break_elements_blocks_and_left_out_blocks():
    from parsel import Selector

    from newscrawl.extraction.blocks import collect_text_runs

    html = ("<div id=t>one <a>link</a><br>two<span class=br></span>three"
            "<div class=ad>advert</div>four<div><h2>Head</h2></div><b>five</b> six</div>")
    runs = collect_text_runs(Selector(html).css("#t"), "span.br", ".ad")
    assert runs == ["one link", "two", "three", "four", "Head", "five six"]


# -- Taipei Times -----------------------------------------------------------------------------
def test_taipeitimes_urls():
    tt = profile_named("taipeitimes")
    assert tt.is_article_url("https://www.taipeitimes.com/News/front/archives/2024/10/16/2003825372")
    assert not tt.is_article_url("https://www.taipeitimes.com/News/front")
    assert not tt.is_article_url("https://www.taipeitimes.com/News/Mostread")


def test_taipeitimes_byline_place_caption_and_body():
    article = item("taipeitimes", "2024-10-15")
    assert article["authors"] == ["AFP"]
    assert article["dateline"] == {"raw": "Wed, Oct 16, 2024 page1", "place": "MANILA"}
    assert article["body"].startswith("CHINESE AGGRESSION: Manila accused")
    for boilerplate in ("Photo: AFP", "Commandant Major-General Arturo Roja, second left",
                        "You might also like", "Most Popular"):
        assert boilerplate not in article["body"]
    assert article["images"][0]["credit"] == "AFP"


# -- design detection -------------------------------------------------------------------------
def test_each_two_design_page_matches_only_its_own_design():
    from newscrawl.extraction import load_page

    for site in ("theintercept", "ninenews", "dailymaverick", "timeslive"):
        profile = profile_named(site)
        for fixture in store.iter_fixtures([site]):
            page = load_page(fixture.html(), fixture.url, fixture.meta["fetched_at"])
            matching = [layout.version for layout in profile.layouts if layout.matches(page)]
            assert matching == [fixture.expected["extractor"].split("@")[1]], fixture.label
