"""Daily Mail / MailOnline (dailymail.co.uk).

Under the h1 sit a bullet-point summary (the lead), the byline ("By NAME For Dailymail.Com")
and the timestamps; the text is `[itemprop=articleBody]` with `mol-*` components: image groups
with a `p.imageCaption`, embeds, bullet lists. Lazy images keep a 1-pixel GIF in `src` and the
picture in `data-src`. Topics are the linked buttons of `.articleTopicsRow`.
"""

import re

from newscrawl.extraction.authors import clean_author_names
from newscrawl.extraction.blocks import texts_of
from newscrawl.extraction.profile import SelectorArticle, SiteProfile

# "Dolores Chang For Dailymail.Com", "Jane Doe For Mailonline", "... For The Mail On Sunday":
# the outlet is not a name.
_FOR_OUTLET = re.compile(r"\s+for\s+(?:the\s+)?(?:daily\s*mail|mailonline|mail\s+on\s+sunday)\b.*$",
                         re.IGNORECASE)


class DailyMail2015(SelectorArticle):
    version = "2015"
    detect = "#js-article-text [itemprop=articleBody]"
    # og:title, the headline the publisher declares (JSON-LD repeats the longer h1).
    headline_sources = ("og:title", "jsonld", "#js-article-text > h1")
    lead_css = "#js-article-text > ul.mol-bullets-with-font"
    authors_css = "#js-article-text .author-section a.author"
    tags_css = "#js-article-text .articleTopicsRow a"
    published_css = "#js-article-text .article-timestamp-published time"
    modified_css = "#js-article-text .article-timestamp-updated time"
    dateline_css = published_css
    body_css = "#js-article-text [itemprop=articleBody]"
    body_blocks_css = "p, h2, h3, h4, li, blockquote"
    body_exclude = (".mol-img-group", ".mol-embed", ".mol-video", "[class*=related-carousel]",
                    ".mol-factbox", "[class*=ad-slot]", "ad-slot", ".moduleFull")
    image_css = "#js-article-text [itemprop=articleBody] .mol-img-group"
    image_src_attributes = ("data-src", "src")
    image_caption_css = "p.imageCaption"

    def lead(self) -> str | None:
        # The summary is a list of bullet points, unpunctuated: one line each, as shown.
        points = texts_of(self.page.css(f"{self.lead_css} > li"))
        return "\n".join(points) or None

    def authors(self) -> list[str]:
        bylines = [_FOR_OUTLET.sub("", b) for b in texts_of(self.page.css(self.authors_css))]
        return clean_author_names(bylines, self.publisher_names())


PROFILE = SiteProfile(
    name="dailymail",
    description="Daily Mail / MailOnline",
    hosts=("dailymail.co.uk",),
    # /yourmoney/article-13357113/slug.html
    article_url=r"^https?://(?:www\.)?dailymail\.co\.uk/(?:[a-z]+/)+article-\d+/[\w-]+\.html(?:[?#]|$)",
    layouts=(DailyMail2015,),
    timezone="Europe/London",
    language="en",
    section_pages=("https://www.dailymail.co.uk/news/index.html",
                   "https://www.dailymail.co.uk/ushome/index.html",
                   "https://www.dailymail.co.uk/money/index.html",
                   "https://www.dailymail.co.uk/sciencetech/index.html"),
    sitemaps=("https://www.dailymail.co.uk/google-news-sitemap.xml",
              "https://www.dailymail.co.uk/sitemap.xml"),
    feeds=("https://www.dailymail.co.uk/articles.rss", "https://www.dailymail.co.uk/news/index.rss"),
)
