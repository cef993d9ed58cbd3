"""Site profiles of the German, French, Spanish, Russian, Japanese and Chinese publishers:
URL patterns, design detection, boilerplate left out, dates read with the right offset."""

from __future__ import annotations

import pytest

from newscrawl import fixtures as store
from newscrawl.extraction import load_page
from newscrawl.sites import profile_for_url, profile_named


def fixture(site: str, name: str) -> store.Fixture:
    return next(f for f in store.iter_fixtures([site]) if f.name == name)


def extracted(site: str, name: str) -> dict:
    return fixture(site, name).extract()


def page_of(site: str, name: str):
    saved = fixture(site, name)
    return load_page(saved.html(), saved.url, saved.meta["fetched_at"])


SITES = ("br", "bild", "berlinerzeitung", "lemonde", "elpais", "kommersant", "asahishimbun",
         "people")
CORPUS_PAGES = [f for f in store.iter_fixtures(SITES)]


@pytest.mark.parametrize("saved", CORPUS_PAGES, ids=lambda f: f.label)
def test_every_corpus_url_is_an_article_of_its_profile(saved):
    profile = profile_for_url(saved.url)
    assert profile is not None and profile.name == saved.site
    assert profile.is_article_url(saved.url)
    assert saved.expected["extractor"].startswith(f"{saved.site}@")
    assert saved.expected["language"] == profile.language


def test_all_eight_publishers_have_their_corpus_pages():
    counts = {site: sum(1 for f in CORPUS_PAGES if f.site == site) for site in SITES}
    assert counts == {"br": 3, "bild": 1, "berlinerzeitung": 2, "lemonde": 1, "elpais": 1,
                      "kommersant": 1, "asahishimbun": 1, "people": 1}


# -- BR24 ------------------------------------------------------------------------------------
def test_br_article_urls_and_listings():
    br = profile_named("br")
    assert profile_for_url("https://www.br.de/nachrichten/bayern/x,UAf9GNd") is br
    assert br.is_article_url("https://www.br.de/nachrichten/bayern/"
                             "evangelische-kirche-landeskirche-will-missbrauch-aufarbeiten,UAf9GNd")
    assert not br.is_article_url("https://www.br.de/nachrichten/wirtschaft,QXAPwyN")
    assert not br.is_article_url("https://www.br.de/nachrichten/autoren/jasper-riemann,f1be522a")
    assert not br.is_article_url("https://www.br.de/nachrichten/suche?param=Kirche")


@pytest.mark.parametrize("name", ["2024-04-22", "2024-08-27", "2026-04-15"])
def test_br_body_leaves_out_house_footers_and_reading_tips(name):
    item = extracted("br", name)
    assert item["extractor"] == "br@2023"
    for boilerplate in ("Europäische Perspektive", "BR24 Newsletter", "Zum Artikel",
                        "Mit Informationen der ARD", "ZU DEN BISHERIGEN ENTWICKLUNGEN",
                        "Das könnte Sie auch interessieren", "Bildrechte"):
        assert boilerplate not in item["body"]
    assert item["body"].startswith(item["lead"])
    assert item["images"][0]["credit"] and "Bildrechte" not in item["images"][0]["credit"]


def test_br_ticker_keeps_its_own_title_and_links_the_previous_ticker():
    item = extracted("br", "2024-08-27")
    # the visible h2 is the latest entry's title; the article's own title is the ticker's
    assert item["headline"].startswith("Krieg in Israel und Gaza im News-Ticker")
    assert item["published"] == "2024-08-27T12:32:24+02:00"
    assert [r["url"].rsplit(",", 1)[-1] for r in item["related"]] == ["ULstXNh"]
    credit = extracted("br", "2024-04-22")["images"][0]["credit"]
    assert credit == "picture alliance/dpa, Daniel Vogl"


def test_br_reading_tip_is_a_related_link():
    item = extracted("br", "2026-04-15")
    assert [r["headline"] for r in item["related"]] == ["Tarifrunde im ÖPNV: Das wird verhandelt"]


# -- BILD ------------------------------------------------------------------------------------
def test_bild_article_urls_reject_section_fronts_and_videos():
    bild = profile_named("bild")
    assert bild.is_article_url("https://www.bild.de/sport/fussball/fortuna-duesseldorf/"
                               "bubi-bomber-wieder-da-thioune-fordert-geduld-mit-niemiec-83936220"
                               ".bild.html")
    assert not bild.is_article_url("https://www.bild.de/sport/fussball/2-bundesliga/"
                                   "2-liga-startseite-52368772.bild.html")
    assert not bild.is_article_url("https://www.bild.de/ratgeber/startseite/ratgeber/"
                                   "home-15478376.bild.html")
    assert not bild.is_article_url("https://www.bild.de/video/clip/sport-video/x-83940000.bild.html")


def test_bild_body_skips_teasers_video_and_voucher_links():
    item = extracted("bild", "2023-05-15")
    assert item["extractor"] == "bild@2021"
    for boilerplate in ("Lesen Sie auch", "Hennings dankt", "Reif ist Live", "Gutscheine",
                        "Teilen", "Quelle: BILD"):
        assert boilerplate not in item["body"]
    assert item["body"].split("\n\n")[0] == item["lead"]
    assert [i["credit"] for i in item["images"]] == ["Getty Images"]
    assert len(item["related"]) == 2 and item["section"] == "Fußball"


# -- Berliner Zeitung --------------------------------------------------------------------------
def test_berlinerzeitung_urls_of_both_designs():
    blz = profile_named("berlinerzeitung")
    assert blz.is_article_url("https://www.berliner-zeitung.de/article/"
                              "es-geht-nicht-darum-ob-wir-kinder-wollen-oder-nicht-es-geht-um-"
                              "unser-leben-10035612")
    assert blz.is_article_url("https://www.berliner-zeitung.de/news/550-kinder-gezeugt-gericht-"
                              "stoppt-uebereifrigen-samenspender-in-den-niederlanden-li.343191")
    assert not blz.is_article_url("https://www.berliner-zeitung.de/category/debatte")
    assert not blz.is_article_url("https://www.berliner-zeitung.de/topics/niederlande")


def test_berlinerzeitung_design_detection():
    assert extracted("berlinerzeitung", "2026-05-18")["extractor"] == "berlinerzeitung@2026"
    assert extracted("berlinerzeitung", "2023-04-28")["extractor"] == "berlinerzeitung@2021"
    new, old = profile_named("berlinerzeitung").layouts
    for name, design, other in (("2026-05-18", new, old), ("2023-04-28", old, new)):
        page = page_of("berlinerzeitung", name)
        assert design.matches(page) and not other.matches(page)


def test_berlinerzeitung_2026_body_ends_before_bio_feedback_and_teasers():
    item = extracted("berlinerzeitung", "2026-05-18")
    body = item["body"]
    assert body.endswith("welche Zukunft wir uns selbst zutrauen.")
    for boilerplate in ("Gründer der Stiftung Islam", "Ihre Meinung ist uns wichtig",
                        "Berliner Geburtenrate auf Rekordtief", "Lesen Sie mehr zum Thema"):
        assert boilerplate not in body
    assert [r["url"].rsplit("/", 1)[-1] for r in item["related"]] == [
        "2350041", "10028888", "10034558", "10033652"]
    assert item["images"][0]["credit"] == "Rolf Zoellner/imago"


def test_berlinerzeitung_2021_teasers_and_infobox_are_not_body():
    item = extracted("berlinerzeitung", "2023-04-28")
    assert "Nachrichten der Berliner Zeitung finden Sie hier" not in item["body"]
    assert "AfD behauptet" not in item["body"]
    assert len(item["related"]) == 2
    assert item["published"] == "2023-04-28T17:52:31+00:00"


# -- Le Monde --------------------------------------------------------------------------------
def test_lemonde_article_urls():
    lemonde = profile_named("lemonde")
    assert lemonde.is_article_url(
        "https://www.lemonde.fr/politique/article/2023/08/30/sophie-binet-met-en-garde-emmanuel-"
        "macron-sur-la-gravite-de-la-situation-dans-le-pays_6187099_823448.html")
    assert not lemonde.is_article_url("https://www.lemonde.fr/politique/")
    assert not lemonde.is_article_url("https://www.lemonde.fr/signataires/bertrand-bissuel/")


def test_lemonde_body_stops_at_the_paywall_and_skips_read_also():
    item = extracted("lemonde", "2023-09-01")
    assert item["extractor"] == "lemonde@2019"
    for boilerplate in ("Il vous reste", "réservée aux abonnés", "Lire aussi",
                        "Ajouter à vos sélections", "BERTRAND GUAY"):
        assert boilerplate not in item["body"]
    assert "« Désaccord total »" in item["body"].split("\n\n")
    assert item["authors"] == ["Bertrand Bissuel"]
    assert item["published"] == "2023-08-30T14:52:08+02:00"
    assert [r["url"].rsplit("_", 2)[-2] for r in item["related"]] == ["6167707"]
    assert item["images"][0]["credit"] == "BERTRAND GUAY / AFP"


# -- El País ---------------------------------------------------------------------------------
def test_elpais_article_urls():
    elpais = profile_named("elpais")
    assert elpais.is_article_url(
        "https://elpais.com/internacional/2024-10-15/bruselas-sondea-la-apertura-de-centros-de-"
        "deportacion-fuera-de-la-union-europea.html")
    assert elpais.is_article_url("https://elpais.com/mexico/2024-10-14/una-nota.html")
    assert not elpais.is_article_url("https://elpais.com/noticias/migracion/")
    assert not elpais.is_article_url("https://elpais.com/autor/maria-rodriguez-sahuquillo/")


def test_elpais_captions_credits_and_dateline():
    item = extracted("elpais", "2024-10-15")
    assert item["extractor"] == "elpais@2020"
    assert item["dateline"] == {"raw": "15 oct 2024 - 08:22", "place": "Bruselas"}
    hero, *gallery = item["images"]
    assert hero["caption"] == ("Un centro de recepción de migrantes construido por Italia"
                               " en Albania.")
    assert hero["credit"] == "Florion Goga (REUTERS), Vídeo: EPV"
    assert len(gallery) == 8 and all("width=414" not in i["url"] for i in gallery)
    for text in ("Alketa Misja", "Tu suscripción", "Campamento italiano para la recepción"):
        assert text not in item["body"]
    assert "Denuncias de ONG" in item["body"].split("\n\n")


# -- Kommersant ------------------------------------------------------------------------------
def test_kommersant_article_urls():
    kommersant = profile_named("kommersant")
    assert kommersant.is_article_url("https://www.kommersant.ru/doc/7715044")
    assert kommersant.is_article_url("https://www.kommersant.ru/doc/7715044?from=main")
    assert not kommersant.is_article_url("https://www.kommersant.ru/rubric/5")
    assert not kommersant.is_article_url("https://www.kommersant.ru/theme/2973?from=doc")


def test_kommersant_lazy_photos_quotes_and_themes():
    item = extracted("kommersant", "2025-05-14")
    assert item["extractor"] == "kommersant@2020"
    assert len(item["images"]) == 3
    assert all(i["url"].endswith(".webp") and i["credit"] == "Дмитрий Азаров, Коммерсантъ"
               for i in item["images"])
    body = item["body"]
    assert "Фото:" not in body and "Подписывайтесь" not in body
    assert "Газета «Коммерсантъ»" not in body
    assert not body.endswith("Андрей Колесников")  # the author line closing the text
    assert any(p.startswith("— Я восхищаюсь теми связями") for p in body.split("\n\n"))
    assert item["tags"] == ["Репортажи Андрея Колесникова", "Владимир Путин", "Азия"]
    assert item["published"] == "2025-05-14T20:28:12+03:00" and item["section"] == "Мир"


# -- Asahi Shimbun ---------------------------------------------------------------------------
def test_asahi_article_urls():
    asahi = profile_named("asahishimbun")
    assert asahi.is_article_url("https://www.asahi.com/articles/AST1F4445T1FUTIL02SM.html")
    assert not asahi.is_article_url("https://www.asahi.com/articles/AST1F4445T1FUTIL02SM.html"
                                    "/photo/AS20250113003419.html")
    assert not asahi.is_article_url("https://www.asahi.com/national/")
    assert not asahi.is_article_url("https://www.asahi.com/topics/word/気象庁.html")


def test_asahi_reporter_tags_and_paywall():
    item = extracted("asahishimbun", "2025-01-13")
    assert item["extractor"] == "asahishimbun@2023"
    assert item["authors"] == ["渡辺洋介"]
    assert item["tags"] == ["社会", "災害・気象", "宮崎県"]  # without the brand keywords
    assert item["section"] == "社会"
    assert item["published"] == "2025-01-13T21:37:00+09:00"
    for boilerplate in ("有料会員", "ログインする", "[PR]", "印刷する"):
        assert boilerplate not in item["body"]
    assert len(item["body"].split("\n\n")) == 11
    assert [i["alt"] for i in item["images"]] == ["写真・図版"]


# -- People's Daily Online -------------------------------------------------------------------
def test_people_article_urls():
    people = profile_named("people")
    assert profile_for_url("http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html") \
        is people
    assert people.is_article_url("http://politics.people.com.cn/n1/2024/0424/c1001-40223222.html")
    assert people.is_article_url("http://world.people.com.cn/n1/2024/0425/c1002-40223500.html")
    assert not people.is_article_url("http://politics.people.com.cn/")
    assert not people.is_article_url("http://opinion.people.com.cn/GB/223228/index.html")


def test_people_date_section_tags_and_editors_line():
    item = extracted("people", "2024-04-24")
    assert item["extractor"] == "people@2020"
    assert item["published"] == "2024-04-24T23:52:00+08:00"
    assert item["dateline"] == {"raw": "2024年04月24日23:52", "place": "北京"}
    assert item["section"] == "时政"
    assert item["headline"].endswith("指明方向")
    assert len(item["tags"]) == 10 and item["tags"][0] == "深空探测"
    assert item["language"] == "zh"
    for boilerplate in ("责编", "分享让更多人看到", "小字号", "来源"):
        assert boilerplate not in item["body"]
    assert item["authors"] == [] and item["images"] == []
