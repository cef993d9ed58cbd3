"""CBC News (cbc.ca/news), server-rendered React pages.

Captions carry the credit in trailing parentheses ("... in 2011. (Adel Hana/Associated Press)").
The page shows no tags: the editors' tags and subject concepts are only in the page state
script (`"keywords":{"tags":[...],"concepts":[...]}`).
"""

import json

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique

_KEYWORDS = '"keywords":{"tags"'


class CBCNews2020(SelectorArticle):
    """Story page: `#detailContent` with `h1.detailHeadline` and a `.story` text."""

    version = "2020"
    detect = "#detailContent [data-cy=storyWrapper] .story"
    headline_sources = ("#detailContent h1.detailHeadline",)
    lead_css = "#detailContent h2.deck"
    section_css = "#detailContent .detail-link-label a"
    authors_css = "#detailContent .byline .authorText"
    published_css = "#detailContent .byline time.timeStamp[datetime]"
    dateline_css = "#detailContent .byline time.timeStamp"
    body_css = "[data-cy=storyWrapper] .story"
    body_exclude = ("figure", ".mediaEmbed", ".media-caption", "ul.similarLinks",
                    # the "WATCH | ..." label over an embedded video
                    "div:has(.mediaEmbed) > strong", "div:has(.mediaEmbed) > em")
    image_css = "[data-cy=storyWrapper] figure.imageMedia:not(.author-image)"
    image_caption_css = "figcaption"
    # The credit closes the caption in parentheses: "... released on Jeffrey Epstein. (AP)"
    image_caption_credit_re = r"\s*\((?P<credit>[^()]+)\)$"
    related_css = ".story ul.similarLinks li, .relatedlinks li.relatedListItem"
    related_headline_css = ".similarLinkText, a.relatedLink"

    def tags(self) -> list[str]:
        for script in self.page.css("script::text").getall():
            start = script.find(_KEYWORDS)
            if start < 0:
                continue
            try:
                keywords, _ = json.JSONDecoder().raw_decode(script, start + len('"keywords":'))
            except ValueError:
                continue
            names = [t.get("name") for t in keywords.get("tags", []) if isinstance(t, dict)]
            # concepts are paths ("General news/Crime/Kidnapping"): the last step names it
            names += [str(c.get("path", "")).split("/")[-1]
                      for c in keywords.get("concepts", []) if isinstance(c, dict)]
            return unique([n for n in (normalize_space(n) for n in names if n) if n])
        return []


PROFILE = SiteProfile(
    name="cbcnews",
    description="CBC News (Canadian Broadcasting Corporation)",
    hosts=("cbc.ca",),
    # /news/world/<slug>-1.7287711; sections (/news/world) and authors end otherwise
    article_url=r"^https?://[^/]+/news/(?:[\w-]+/)*[\w-]+-1\.\d{6,}/?(?:[?#]|$)",
    layouts=(CBCNews2020,),
    timezone="America/Toronto",
    language="en",
    section_pages=("https://www.cbc.ca/news/canada", "https://www.cbc.ca/news/world",
                   "https://www.cbc.ca/news/politics", "https://www.cbc.ca/news/business",
                   "https://www.cbc.ca/news/health", "https://www.cbc.ca/news/science"),
    feeds=("https://www.cbc.ca/webfeed/rss/rss-topstories",
           "https://www.cbc.ca/webfeed/rss/rss-world",
           "https://www.cbc.ca/webfeed/rss/rss-canada",
           "https://www.cbc.ca/webfeed/rss/rss-politics"),
)
