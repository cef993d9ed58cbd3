"""Site profiles of the English group en1: URL patterns, design detection, boilerplate."""

from __future__ import annotations

from functools import cache

from newscrawl import fixtures as store
from newscrawl.extraction import load_page
from newscrawl.extraction.profile import SelectorArticle
from newscrawl.sites import profile_for_url, profile_named


@cache
def item(site: str, name: str) -> dict:
    fixture = next(f for f in store.iter_fixtures([site]) if f.name == name)
    return fixture.extract()


# -- BBC -----------------------------------------------------------------------------------
def test_bbc_urls():
    bbc = profile_named("bbc")
    assert profile_for_url("https://www.bbc.co.uk/news/uk") is bbc
    assert bbc.is_article_url("https://www.bbc.com/news/articles/clymn8zyrp9o")
    assert bbc.is_article_url("https://www.bbc.com/news/explainers-63159607")
    assert bbc.is_article_url("https://www.bbc.co.uk/news/business-45814459")
    assert not bbc.is_article_url("https://www.bbc.com/news/topics/c1vw6q14rzqt")
    assert not bbc.is_article_url("https://www.bbc.com/news/world")


def test_bbc_designs_and_read_more_lists():
    old, new = item("bbc", "2024-08-01"), item("bbc", "2026-04-25")
    assert (old["extractor"], new["extractor"]) == ("bbc@2024", "bbc@2025")
    # "Read more" link lists are related stories, not body text.
    assert "Budget: Key points at a glance" not in old["body"]
    assert "Budget: Key points at a glance" in [r["headline"] for r in old["related"]]
    assert len(new["related"]) == 3 and "Falklands" not in new["body"]
    assert old["body"].startswith(old["lead"] + "\n\n")
    assert new["lead"] is None


def test_bbc_images_skip_placeholders():
    images = item("bbc", "2026-04-25")["images"]
    assert len(images) == 5
    assert not any("placeholder" in i["url"] for i in images)
    assert images[1]["credit"] == "Getty Images"


# -- The Telegraph -------------------------------------------------------------------------
def test_telegraph_urls():
    telegraph = profile_named("thetelegraph")
    assert telegraph.is_article_url(
        "https://www.telegraph.co.uk/politics/2024/09/16/keir-victoria-starmer-clothes-row-lord-alli/")
    assert telegraph.is_article_url(
        "https://www.telegraph.co.uk/recommended/home/best-heated-clothes-airer/")
    assert not telegraph.is_article_url("https://www.telegraph.co.uk/politics/")
    assert not telegraph.is_article_url("https://www.telegraph.co.uk/recommended/home/")
    assert not telegraph.is_article_url("https://www.telegraph.co.uk/authors/a/ak-ao/amy-gibbons/")


def test_telegraph_designs_and_boilerplate():
    old, new = item("thetelegraph", "2023-08-30"), item("thetelegraph", "2024-09-17")
    assert (old["extractor"], new["extractor"]) == ("thetelegraph@2019", "thetelegraph@2024")
    # Affiliate boxes and the disclaimer are embeds, not text; the mobile byline is not body.
    assert "Buy now" not in old["body"] and "affiliate links" not in old["body"]
    assert "Political Correspondent" not in new["body"]
    assert new["authors"] == ["Amy Gibbons"]
    assert "Standard" not in new["tags"] and "David Lammy" in new["tags"]
    assert old["images"][-1]["credit"] == "Minky"
    # The <picture> source for the widest screens, not the small <img> fallback.
    assert new["images"][0]["url"].endswith("?imwidth=1280")


# -- Metro ---------------------------------------------------------------------------------
def test_metro_urls():
    metro = profile_named("metro")
    assert metro.is_article_url("https://metro.co.uk/2024/11/18/sweden-tells-households-22018356/")
    assert metro.is_article_url(
        "https://metro.co.uk/2024/07/17/king-charles-speech-21244172/?ico=mosaic_politics")
    assert not metro.is_article_url("https://metro.co.uk/tag/sweden/")
    assert not metro.is_article_url("https://metro.co.uk/news/world/")


def test_metro_designs_prompts_and_credits():
    old, new = item("metro", "2024-07-17"), item("metro", "2024-11-29")
    assert (old["extractor"], new["extractor"]) == ("metro@2015", "metro@2024")
    for article in (old, new):
        assert "webnews@metro.co.uk" not in article["body"]
        assert "For more stories like this" not in article["body"]
        assert "MORE" not in article["body"]
        assert len(article["related"]) == 3
        assert not any("(Picture" in (i["caption"] or "") for i in article["images"])
    # Lazy images: the real URL, not the placeholder in src.
    assert len(old["images"]) == 13 and not any("fallback" in i["url"] for i in old["images"])
    assert new["images"][0]["credit"] == "Claudio Bresciani/AP"
    assert "YouTuber" not in new["body"] and "full transcript" not in old["body"]
    assert new["dateline"]["raw"] == "November 18, 2024 9:26pm"


# -- Euronews ------------------------------------------------------------------------------
def test_euronews_urls():
    euronews = profile_named("euronewsen")
    assert euronews.is_article_url(
        "https://www.euronews.com/2024/04/30/swedish-police-to-investigate-reports")
    assert euronews.is_article_url(
        "https://www.euronews.com/business/2024/04/30/russian-bear-putin-gets-his-claws-out")
    assert not euronews.is_article_url("https://www.euronews.com/tag/sweden")
    assert not euronews.is_article_url("https://www.euronews.com/news/international")


def test_euronews_designs_captions_and_widgets():
    old, new = item("euronewsen", "2024-04-30"), item("euronewsen", "2026-01-06")
    assert (old["extractor"], new["extractor"]) == ("euronewsen@2023", "euronewsen@2025")
    # The related-links widget sits between paragraphs: a related block, not text.
    assert "Sweden PM asks military" not in old["body"]
    assert old["related"][0]["headline"].startswith("Sweden PM asks military")
    assert "ADVERTISEMENT" not in old["body"]
    assert old["images"][0] == {**old["images"][0], "caption": "Swedish police officer",
                                "credit": "Fredrik Persson/AP"}
    assert "Copyright" not in new["images"][0]["caption"]
    assert new["published"] == "2026-01-06T13:55:27+01:00" and new["authors"] == ["Stefan Grobe"]
    assert new["section"] == "World" and len(new["tags"]) == 5


# -- AP ------------------------------------------------------------------------------------
def test_apnews_urls():
    ap = profile_named("apnews")
    assert ap.is_article_url(
        "https://apnews.com/article/mexico-economy-growth-3cc842471fb9df42315d658d88c8403a")
    assert not ap.is_article_url("https://apnews.com/hub/mexico")
    assert not ap.is_article_url("https://apnews.com/author/thomas-beaumont")


def test_apnews_designs_tags_and_boilerplate():
    old, new = item("apnews", "2023-04-28"), item("apnews", "2024-09-03")
    assert (old["extractor"], new["extractor"]) == ("apnews@2019", "apnews@2023")
    assert not any("State Wire" in t or t.endswith(" news") for t in new["tags"])
    assert "Election 2024" in new["tags"] and "p" not in new["tags"]
    assert "What to know about the 2024 Election" not in new["body"]
    assert "RELATED COVERAGE" not in new["body"] and "___" not in new["body"]
    assert len(new["related"]) == 3 and all(r["headline"] for r in new["related"])
    assert new["images"][0]["credit"] == "AP Photo/Charles Rex Arbogast"
    assert old["images"][0]["credit"] == "AP Photo/Marco Ugarte"
    assert new["dateline"]["place"] == "LA CROSSE, Wis."


# -- Reuters -------------------------------------------------------------------------------
def test_reuters_urls():
    reuters = profile_named("reuters")
    assert reuters.is_article_url("https://www.reuters.com/world/middle-east/"
                                  "israeli-tank-likely-fired-machine-gun-2024-03-07/")
    assert not reuters.is_article_url("https://www.reuters.com/world/middle-east/")
    assert not reuters.is_article_url("https://www.reuters.com/authors/gopal-sharma/")


def test_reuters_designs_and_screen_reader_text():
    old, new = item("reuters", "2023-05-16"), item("reuters", "2024-03-07")
    assert (old["extractor"], new["extractor"]) == ("reuters@2021", "reuters@2024")
    for article in (old, new):
        assert "opens new tab" not in article["body"]
        assert "Our Standards" not in article["body"] and "Reporting by" not in article["body"]
        assert article["body"].startswith(article["lead"])
    assert "IDENTIFIED AS PRESS" in new["body"].split("\n\n")
    assert new["dateline"]["raw"] == "March 7, 2024 7:55 AM UTC"
    assert old["images"][0]["credit"] == "@SubasTheOne/via REUTERS"
    assert old["tags"] == ["Aerospace & Defense", "Business", "Asia Pacific", "World"]


# -- TechCrunch ----------------------------------------------------------------------------
def test_techcrunch_urls():
    tc = profile_named("techcrunch")
    assert tc.is_article_url("https://techcrunch.com/2024/04/28/how-rpa-vendors-aim-to-remain/")
    assert not tc.is_article_url("https://techcrunch.com/category/startups/")
    assert not tc.is_article_url("https://techcrunch.com/tag/strava/")


def test_techcrunch_designs_and_credits():
    old, new = item("techcrunch", "2024-04-28"), item("techcrunch", "2024-05-17")
    assert (old["extractor"], new["extractor"]) == ("techcrunch@2019", "techcrunch@2024")
    assert "Image Credits" not in old["body"] and "Image Credits" not in new["body"]
    assert old["images"][1]["credit"] == "UiPath" and old["images"][1]["caption"] is None
    # Only the article's figures: the recirculation cards' pictures are not its images.
    assert len(new["images"]) == 5
    assert new["images"][1] == {**new["images"][1], "credit": "Strava",
                                "caption": "Strava: Leaderboard integrity powered by AI"}
    assert new["published"] == "2024-05-16T11:00:00-07:00"
    assert new["body"].startswith(new["lead"] + "\n\n")


# -- The Guardian --------------------------------------------------------------------------
def test_guardian_urls_and_boilerplate():
    guardian = profile_named("theguardian")
    assert guardian.is_article_url("https://www.theguardian.com/world/2024/feb/24/death-toll")
    assert not guardian.is_article_url("https://www.theguardian.com/world/spain")
    assert not guardian.is_article_url("https://www.theguardian.com/profile/guardian-staff")
    article = item("theguardian", "2024-02-24")
    assert article["extractor"] == "theguardian@2023"
    assert "newsletter promotion" not in article["body"] and "Sign up" not in article["body"]
    assert article["images"][0]["credit"] == "Eva Manez/Reuters"
    assert "Photograph" not in article["images"][0]["caption"]
    assert article["tags"] == ["Spain", "Europe", "World news"]


# -- The Independent -----------------------------------------------------------------------
def test_independent_urls_and_boilerplate():
    independent = profile_named("theindependent")
    assert independent.is_article_url(
        "https://www.independent.co.uk/news/world/laos-methanol-poisoning-b2651790.html")
    assert not independent.is_article_url("https://www.independent.co.uk/news/world")
    assert not independent.is_article_url("https://www.independent.co.uk/author/angus-thompson")
    article = item("theindependent", "2024-11-22")
    assert "breaking news alerts" not in article["body"]
    assert "bookmark" not in article["body"] and "commenting forum" not in article["body"]
    assert article["images"][0]["credit"] == "The Independent"
    assert article["section"] == "World" and article["authors"] == ["Angus Thompson"]


# -- Daily Mail ----------------------------------------------------------------------------
def test_dailymail_urls_and_byline():
    dm = profile_named("dailymail")
    assert dm.is_article_url("https://www.dailymail.co.uk/yourmoney/article-13357113/"
                             "dollar-bill-worth-THOUSANDS-check.html")
    assert not dm.is_article_url("https://www.dailymail.co.uk/news/index.html")
    assert not dm.is_article_url("https://www.dailymail.co.uk/profile-671/dolores-chang.html")
    article = item("dailymail", "2024-04-27")
    assert article["authors"] == ["Dolores Chang"]
    assert article["tags"] == ["Florida", "Federal Reserve", "New York"]
    assert article["lead"].count("\n") == 2
    assert "Read more" not in article["body"] and "Share or comment" not in article["body"]
    assert len(article["images"]) == 4 and not article["images"][0]["url"].startswith("data:")


# -- CNBC ----------------------------------------------------------------------------------
def test_cnbc_urls_and_modules():
    cnbc = profile_named("cnbc")
    assert cnbc.is_article_url("https://www.cnbc.com/2023/04/28/many-new-bitcoin-buyers.html")
    assert not cnbc.is_article_url("https://www.cnbc.com/investing/")
    assert not cnbc.is_article_url("https://www.cnbc.com/greg-iacurci/")
    article = item("cnbc", "2023-04-28")
    body = article["body"]
    assert "More from Ask an Advisor" not in body and "watch now" not in body.lower()
    # The pull quote repeats the text: it must not be there twice.
    assert body.count("The sexy sells") == 1
    assert "Trust but verify" in body.split("\n\n")
    assert article["lead"].startswith("About a third of new crypto investors")
    assert len(article["related"]) == 3
    assert article["dateline"]["raw"] == "Published Fri, Apr 28 2023 2:23 PM EDT"


# -- Fox News ------------------------------------------------------------------------------
def test_foxnews_urls_and_read_more_lines():
    fox = profile_named("foxnews")
    assert fox.is_article_url("https://www.foxnews.com/politics/house-china-committee-demands")
    assert not fox.is_article_url("https://www.foxnews.com/politics")
    assert not fox.is_article_url("https://www.foxnews.com/category/world/world-regions/china")
    assert not fox.is_article_url("https://www.foxnews.com/person/k/aaron-kliegman")
    article = item("foxnews", "2023-04-28")
    assert "CLICK HERE TO GET THE FOX NEWS APP" not in article["body"]
    assert "WHAT ARE CHINA'S OVERSEAS POLICE STATIONS?" not in article["body"]
    assert len(article["related"]) == 3 and "is a politics reporter" not in article["body"]
    assert article["images"][0]["credit"] == "U.S. District Court, Eastern District of New York"
    assert article["section"] == "China"


# -- The Washington Post -------------------------------------------------------------------
def test_washingtonpost_urls_and_embeds():
    wapo = profile_named("washingtonpost")
    assert wapo.is_article_url("https://www.washingtonpost.com/weather/2024/04/26/storms-tornadoes/")
    assert not wapo.is_article_url("https://www.washingtonpost.com/weather/")
    assert not wapo.is_article_url("https://www.washingtonpost.com/people/matthew-cappucci/")
    article = item("washingtonpost", "2024-04-26")
    assert "Landspout tornado" not in article["body"] and "Advertisement" not in article["body"]
    assert "Share this article" not in article["body"]
    assert "Looking ahead" in article["body"].split("\n\n")
    assert article["images"][0]["credit"] == "NOAA/SPC"
    assert article["dateline"]["raw"].startswith("April 26, 2024 at 11:24")


# -- Shared options added for these profiles -----------------------------------------------
class _Figures(SelectorArticle):
    image_css = "figure"
    image_caption_css = "figcaption"
    image_caption_credit_re = r"\s*\((?:Picture|Photo)\s*:\s*(?P<credit>[^()]+)\)\s*$"
    image_src_attributes = ("data-src", "src")
    image_picture_sources = ("srcset",)


_FIGURES = """<html><body>
<figure><img src="data:image/gif;base64,R0l" data-src="/lazy.jpg">
  <figcaption>The King arrives (Picture: Getty)</figcaption></figure>
<figure><picture><source srcset="/a-1280.jpg" media="(min-width: 1280px)">
  <source srcset="/a-640.jpg" media="(min-width: 640px)"><img src="/a-320.jpg"></picture>
  <figcaption>No credit here</figcaption></figure>
</body></html>"""


def test_caption_credit_split_lazy_src_and_picture_sources():
    page = load_page(_FIGURES, "https://example.com/a", "2024-01-01T00:00:00+00:00")
    lazy, picture = _Figures(page).images()
    assert (lazy.url, lazy.caption, lazy.credit) == (
        "https://example.com/lazy.jpg", "The King arrives", "Getty")
    assert (picture.url, picture.caption, picture.credit) == (
        "https://example.com/a-1280.jpg", "No credit here", None)
