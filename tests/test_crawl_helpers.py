"""Crawl helpers that need no network: dates, sitemaps, feeds, robots.txt, routing, retries."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta

import pytest

from newscrawl.crawl.discovery import (
    parse_feed,
    parse_sitemap,
    robots_sitemaps,
    structured_article,
    url_looks_like_article,
)
from newscrawl.crawl.horizon import is_before, parse_duration, parse_since
from newscrawl.crawl.middlewares.retry import retry_after_seconds
from newscrawl.crawl.middlewares.routing import mirror_url

NOW = datetime(2024, 5, 17, 12, 0, tzinfo=UTC)


def test_durations_and_horizons():
    assert parse_duration("90m") == timedelta(minutes=90)
    assert parse_duration("2d") == timedelta(days=2)
    assert parse_since("2d", now=NOW) == NOW - timedelta(days=2)
    assert parse_since("2024-05-01") == datetime(2024, 5, 1, tzinfo=UTC)
    assert parse_since(None) is None
    with pytest.raises(ValueError, match="duration"):
        parse_duration("soon")
    with pytest.raises(ValueError):
        parse_since("last tuesday")


def test_only_known_old_dates_are_before_the_horizon():
    horizon = datetime(2024, 5, 1, tzinfo=UTC)
    assert is_before("2024-04-30T23:00:00+00:00", horizon)
    assert is_before("Tue, 30 Apr 2024 10:00:00 GMT", horizon)
    assert not is_before("2024-05-02", horizon)
    assert not is_before(None, horizon) and not is_before("garbage", horizon)
    assert not is_before("2000-01-01", None)


NEWS_SITEMAP = b"""<?xml version="1.0" encoding="UTF-8"?>
<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"
        xmlns:news="http://www.google.com/schemas/sitemap-news/0.9">
 <url><loc>https://x.test/2024/05/17/a-story.html</loc><lastmod>2024-05-17</lastmod>
  <news:news><news:publication_date>2024-05-17T10:00:00Z</news:publication_date></news:news>
 </url>
 <url><loc>/relative.html</loc></url>
</urlset>"""


def test_news_sitemap_gives_urls_with_publication_dates():
    sitemap = parse_sitemap(NEWS_SITEMAP, "https://x.test/sitemap.xml")
    assert not sitemap.is_index
    first, second = sitemap.links
    assert first.published == "2024-05-17T10:00:00Z" and first.lastmod == "2024-05-17"
    assert second.url == "https://x.test/relative.html" and second.date is None
    assert parse_sitemap(gzip.compress(NEWS_SITEMAP), "https://x.test/s.xml.gz").links == \
        sitemap.links


def test_sitemap_index_and_non_sitemaps():
    index = parse_sitemap(b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
                          b"<sitemap><loc>https://x.test/s1.xml</loc><lastmod>2024-01-01"
                          b"</lastmod></sitemap></sitemapindex>", "https://x.test/")
    assert index.is_index and index.links[0].lastmod == "2024-01-01"
    assert parse_sitemap(b"<html><body>oops</body></html>", "https://x.test/") is None
    assert parse_sitemap(b"", "https://x.test/") is None


def test_xml_entities_are_never_expanded_nor_fetched(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("TOP-SECRET")
    laughs = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(b'<!ENTITY %s "%s">' % (chr(98 + i).encode(), (b"&" + chr(97 + i)
                         .encode() + b";") * 10) for i in range(8))
              + b']><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><url><loc>'
              b"https://x.test/&i;</loc></url></urlset>")
    external = (b'<?xml version="1.0"?><!DOCTYPE u [<!ENTITY x SYSTEM "file://'
                + str(secret).encode() + b'">]><urlset xmlns="http://www.sitemaps.org/schemas/'
                b'sitemap/0.9"><url><loc>https://x.test/&x;</loc></url></urlset>')
    for body in (laughs, external):
        sitemap = parse_sitemap(body, "https://x.test/")
        text = " ".join(link.url for link in sitemap.links) if sitemap else ""
        assert "TOP-SECRET" not in text and "aaaaaaaaaa" * 10 not in text


def test_gzip_bombs_are_refused():
    bomb = gzip.compress(b"<urlset>" + b" " * (60 * 1024 * 1024) + b"</urlset>")
    with pytest.raises(ValueError, match="bytes"):
        parse_sitemap(bomb, "https://x.test/")


def test_rss_and_atom_feeds():
    rss = parse_feed(b"<rss version='2.0'><channel><item><link>https://x.test/a.html</link>"
                     b"<pubDate>Fri, 17 May 2024 10:00:00 GMT</pubDate></item>"
                     b"<item><guid>https://x.test/b.html</guid></item></channel></rss>",
                     "https://x.test/")
    assert [(x.url, x.published) for x in rss] == [
        ("https://x.test/a.html", "Fri, 17 May 2024 10:00:00 GMT"), ("https://x.test/b.html",
                                                                     None)]
    atom = parse_feed(b'<feed xmlns="http://www.w3.org/2005/Atom"><entry><link rel="alternate" '
                      b'href="/c.html"/><published>2024-05-17T10:00:00Z</published></entry>'
                      b"</feed>", "https://x.test/feed")
    assert [(x.url, x.date) for x in atom] == [("https://x.test/c.html", "2024-05-17T10:00:00Z")]
    assert parse_feed(b"<html/>", "https://x.test/") is None


def test_robots_sitemap_lines():
    robots = "User-agent: *\nDisallow: /x\nSITEMAP: /news.xml # ours\nsitemap: https://x.test/a.xml\n"
    assert robots_sitemaps(robots, "https://x.test/robots.txt") == [
        "https://x.test/news.xml", "https://x.test/a.xml"]


@pytest.mark.parametrize(("url", "story"), [
    ("https://x.test/2024/05/17/some-story/", True),
    ("https://x.test/news/world-leaders-meet-in-geneva-for-talks-on-trade", True),
    ("https://x.test/columnists/201911181077343476-royal/", True),
    ("https://x.test/world/", False),
    ("https://x.test/tag/2024-elections-and-everything-else-here", False),
    ("https://x.test/media/photo-1234567.jpg", False),
    ("https://x.test/", False),
])
def test_url_shape_of_stories(url, story):
    assert url_looks_like_article(url) is story


def test_structured_data_says_article():
    assert structured_article('<script type="application/ld+json">{"@graph": [{"@type": '
                              '["NewsArticle"]}]}</script>')
    assert structured_article('<meta property="og:type" content="article">')
    assert not structured_article('<meta property="og:type" content="website">'
                                  '<script type="application/ld+json">{"@type": "WebSite"}'
                                  "</script>")


def test_structured_data_is_read_as_the_article_fields_read_it():
    # The reading the extraction uses: a CMS's trailing comma, a schema.org URL as the type.
    script = '<script type="application/ld+json">{}</script>'
    assert structured_article(script.format('{"@type": "NewsArticle", "headline": "A",}'))
    assert structured_article(script.format('{"@type": "https://schema.org/ReportageNewsArticle"}'))


def test_retry_after_and_mirror_routing():
    assert retry_after_seconds(b"120") == 120
    assert retry_after_seconds("Fri, 17 May 2024 12:01:00 GMT", now=NOW) == 60
    assert retry_after_seconds("Fri, 17 May 2024 11:00:00 GMT", now=NOW) == 0
    assert retry_after_seconds(None) is None and retry_after_seconds("soon") is None
    assert mirror_url("http://127.0.0.1:9/", "https://X.test/a/b.html?p=2#f") == \
        "http://127.0.0.1:9/x.test/a/b.html?p=2"
