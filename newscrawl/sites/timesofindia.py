"""The Times of India (timesofindia.indiatimes.com).

Server-rendered React pages with hashed class names; stable hooks are `data-articlebody`,
`.innerbody`, `.byline`, `.art_synopsis` and the `id-r-component` markers. The text is not
in paragraphs: it is runs of text separated by `<br>` (2024) or by empty
`span.id-r-component.br` elements (2026), with subheadings as `h2` blocks or `span.strong`
runs, and embeds (images, polls, videos, ads) between them. Times are shown in IST.
"""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique

# Embedded widgets between the runs of text: lead media, images, polls, social posts, ads,
# recommendation carousels.
_EMBEDS = ("section.leadmedia", "video-embed", "[data-type=in_view]", "#poll-widget",
           ".socialembed", "[class*=mgid_]", "[id^=taboola]", "[id*=affilaite_widget]",
           ".adInv", "div.id-r-component:has(img)",
           # info boxes that are a line of links to other pages ("You Can Also Check: ...")
           "div.cdatainfo:has(> a)", "div.cdatainfo:has(> strong > a)")


class _TimesOfIndiaArticle(SelectorArticle):
    detect = "[data-articlebody]"
    headline_sources = (".innerbody h1",)
    authors_css = ".byline a[href*='/toireporter/']"
    dateline_css = ".byline > span"
    body_css = "[data-articlebody]"
    body_breaks_css = "span.id-r-component.br"
    body_exclude = _EMBEDS
    image_css = ("[data-articlebody] section.leadmedia,"
                 " [data-articlebody] div.id-r-component:has(img)")
    # Inline pictures keep a placeholder in `src` until they scroll into view.
    image_src_attributes = ("data-src", "src")

    def tags(self) -> list[str]:
        # No tags are shown. The meta keywords open with the section's stock phrases
        # ("Bhopal news, Bhopal latest news, ..."), which news_keywords lacks (or the other way
        # round); a keyword found in both is the article's own.
        keywords = self.page.meta_first("keywords") or ""
        news_keywords = (self.page.meta_first("news_keywords") or "").casefold()
        return unique([k for k in (normalize_space(k) for k in keywords.split(","))
                       if k and k.casefold() in news_keywords])


class TimesOfIndia2024(_TimesOfIndiaArticle):
    """Article page of 2024 onwards; the synopsis box (`.art_synopsis`) is shown above the
    text when there is one."""

    version = "2024"
    lead_css = ".art_synopsis"


PROFILE = SiteProfile(
    name="timesofindia",
    description="The Times of India",
    hosts=("timesofindia.indiatimes.com",),
    # /<section>/.../<slug>/articleshow/112898501.cms ; /topic/, /toireporter/ pages differ
    article_url=r"^https?://[^/]+/(?:[\w-]+/)+articleshow/\d{6,}\.cms(?:[?#]|$)",
    layouts=(TimesOfIndia2024,),
    timezone="Asia/Kolkata",
    language="en",
    section_pages=("https://timesofindia.indiatimes.com/india",
                   "https://timesofindia.indiatimes.com/world",
                   "https://timesofindia.indiatimes.com/business",
                   "https://timesofindia.indiatimes.com/city"),
    sitemaps=("https://timesofindia.indiatimes.com/sitemap/today",
              "https://timesofindia.indiatimes.com/sitemap/yesterday"),
    feeds=("https://timesofindia.indiatimes.com/rssfeedstopstories.cms",
           "https://timesofindia.indiatimes.com/rssfeeds/296589292.cms"),
)
