"""People's Daily Online, Chinese edition (people.com.cn and its channel subdomains).

The corpus page is the `rm_txt` template of 2020 onwards: static HTML, declared GB2312, no
JSON-LD and almost no metadata. The date is shown as "2024年04月24日23:52" in Beijing time.
"""

from __future__ import annotations

import re

from newscrawl.extraction.profile import SelectorArticle, SiteProfile
from newscrawl.extraction.text import normalize_space, unique
from newscrawl.model.items import Dateline

TEXT = "div.rm_txt"
# Wire copy opens "新华社北京4月24日电" (Xinhua, Beijing, 24 April): agency, place, date.
WIRE_DATELINE = re.compile(r"^(?:新华社|中新社|人民网)(\w{2,8}?)\d{1,2}月\d{1,2}日电")


class People2020(SelectorArticle):
    """`div.rm_txt`: h3 kicker, h1, h4 subtitle, byline slot, the date/source line, then
    `div.rm_txt_con` (paragraphs, pagination, the responsible editors' line)."""

    version = "2020"
    detect = f"{TEXT} h1, {TEXT} div.rm_txt_con"
    headline_sources = (f"{TEXT} h1",)
    # The subtitle under the headline (empty on many articles); shown, so it opens the body.
    lead_css = f"{TEXT} h4.sub"
    # The byline slot. The "(责编：...)" line closing every article names the channel's
    # responsible editors, who did not write it.
    authors_css = f"{TEXT} div.author"
    dateline_css = f"{TEXT} div.channel .col-1-1"
    body_css = f"{TEXT} div.rm_txt_con"
    body_exclude = ("div.bza", "div.box_pic", "div.zdfy", "center", "div.edit", "p.paper_num")
    image_css = f"{TEXT} div.rm_txt_con div.box_pic"

    def published(self) -> str | None:
        # "2024年04月24日23:52 | 来源：新华网": the date is the text before the source.
        line = self.page.css(f"{TEXT} div.channel .col-1-1::text").get()
        shown = self.parse_date_text(normalize_space(line).split("|")[0]) if line else None
        return shown or super().published()

    def dateline_raw(self) -> str | None:
        line = normalize_space(self.page.css(f"{TEXT} div.channel .col-1-1::text").get())
        return line.split("|")[0].strip() or None

    def dateline(self) -> Dateline | None:
        line = super().dateline()
        wire = WIRE_DATELINE.match(self.blocks[0]) if self.blocks else None
        if line and wire and not line.place:
            line.place = wire.group(1)
        return line

    def section(self) -> str | None:
        # Titles read "<headline>--<channel>--人民网"; the page names its channel nowhere else.
        parts = normalize_space(self.page.css("title::text").get()).split("--")
        return parts[-2].strip() or None if len(parts) >= 3 else None

    def tags(self) -> list[str]:
        # Keywords are separated by spaces, not commas.
        return unique((self.page.meta_first("keywords") or "").split())


PROFILE = SiteProfile(
    name="people",
    description="People's Daily Online, 人民网 (Chinese)",
    hosts=("people.com.cn", "people.cn"),
    # http://<channel>.people.com.cn/n1/YYYY/MMDD/c<channel id>-<article id>.html
    article_url=r"^https?://[\w-]+\.people\.com\.cn/n1/\d{4}/\d{4}/c\d+-\d+\.html(?:[?#]|$)",
    layouts=(People2020,),
    timezone="Asia/Shanghai",
    language="zh",
    section_pages=("http://politics.people.com.cn/", "http://world.people.com.cn/",
                   "http://society.people.com.cn/"),
    sitemaps=("http://www.people.cn/sitemap_index.xml",),
    feeds=("http://www.people.com.cn/rss/politics.xml", "http://www.people.com.cn/rss/world.xml",
           "http://www.people.com.cn/rss/society.xml"),
)
