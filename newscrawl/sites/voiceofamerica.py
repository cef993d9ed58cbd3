"""Voice of America (voanews.com), English service, on the Pangea CMS shared by US-funded
broadcasters. One design in the corpus (2024). Times are ISO with offset in `time[datetime]`."""

from newscrawl.extraction.profile import SelectorArticle, SiteProfile


class VoiceOfAmerica2020(SelectorArticle):
    """Pangea article page: `.hdr-container` header above the `#article-content .wsw` text."""

    version = "2020"
    detect = "#article-content .wsw"
    headline_sources = (".hdr-container h1.pg-title",)
    section_css = ".hdr-container .category a"
    authors_css = ".publishing-details .links__item a.links__item-link"
    published_css = ".publishing-details .published time[datetime]"
    dateline_css = ".publishing-details .published time"
    dateline_place_css = "#article-content .wsw > .dateline"
    body_css = "#article-content .wsw"
    body_exclude = (".wsw__embed", "figure", ".dateline", ".media-block-wrap", ".share")
    # The cover picture above the text, then the pictures embedded in it.
    image_css = ".hdr-container .cover-media figure, #article-content .wsw figure.media-image"
    image_caption_css = "figcaption .caption"
    # The editors' "Related" list beside the text; the lists in CMS areas (`data-area-id`)
    # there are section promotions, the same on every article of the section.
    related_css = ".body-container .media-block-wrap:not([data-area-id]) li .media-block"
    related_link_css = ".media-block__content a[href]"
    related_headline_css = ".media-block__title"


PROFILE = SiteProfile(
    name="voiceofamerica",
    description="Voice of America, English news",
    hosts=("voanews.com",),
    # /a/<slug>/<numeric id>.html; sections are /z/<id> or /<name>, pages /p/<id>.html
    article_url=r"^https?://[^/]+/a/[^/?#]+/\d{5,}\.html(?:[?#]|$)",
    layouts=(VoiceOfAmerica2020,),
    timezone="America/New_York",
    language="en",
    section_pages=("https://www.voanews.com/usa", "https://www.voanews.com/africa",
                   "https://www.voanews.com/east-asia", "https://www.voanews.com/europe",
                   "https://www.voanews.com/middle-east", "https://www.voanews.com/americas",
                   "https://www.voanews.com/immigration"),
    # The RSS feeds live under /api/, which robots.txt closes to crawlers; the sitemap index
    # is what robots.txt offers.
    sitemaps=("https://www.voanews.com/sitemap.xml",),
)
