"""newscrawl's extraction as web-poet page objects, for Scrapy spiders that use scrapy-poet.
Needs the `poet` extra.

Importing this module registers, in web-poet's default registry, one page object per site
profile for the profile's hosts, and a default page object for any other site, each
returning a `newscrawl.model.items.Article`; `ZyteArticlePage` gives the same extraction as a
zyte-common-items `Article`, for any site. A user's spider then asks for the item in its
callback (docs/extraction.md#web-poet-page-objects):

    import newscrawl.poet  # noqa: F401 - registers the page objects
    from newscrawl.model.items import Article

    class MySpider(scrapy.Spider):
        custom_settings = {"ADDONS": {"scrapy_poet.Addon": 300}}

        def parse(self, response, article: Article):
            yield article

The page objects run the same pure extraction as `newscrawl.extract`: the response's body,
URL, declared charset, and its `Date` header as the fetch time (the time of extraction when
the server sent none).
"""

from __future__ import annotations

from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any, ClassVar

import attrs
from url_matcher import Patterns
from w3lib.encoding import http_content_type_encoding
from web_poet import ApplyRule, HttpResponse, WebPage, default_registry

from newscrawl.api import article_for, extract_page
from newscrawl.extraction import load_page
from newscrawl.extraction.page import Page
from newscrawl.extraction.profile import SiteProfile
from newscrawl.model.items import Article
from newscrawl.sites import all_profiles

# Below a profile's rules: a URL of a profiled host goes to that profile's page object.
DEFAULT_PRIORITY = 400


def fetch_time(response: HttpResponse) -> datetime:
    """When the response was sent, from its `Date` header; now, without a usable one."""
    header = response.headers.get("Date")
    if header:
        try:
            sent = parsedate_to_datetime(header)
        except (TypeError, ValueError):
            sent = None
        if sent is not None and sent.tzinfo is not None:
            return sent
    return datetime.now(UTC).replace(microsecond=0)


def response_page(response: HttpResponse) -> Page:
    encoding = http_content_type_encoding(response.headers.get("Content-Type"))
    return load_page(bytes(response.body), str(response.url), fetch_time(response), encoding)


@attrs.define
class ArticlePage(WebPage[Article]):
    """Any site: its profile where one serves the URL, else the generic extractor."""

    async def to_item(self) -> Article:
        return extract_page(response_page(self.response))


@attrs.define
class ProfileArticlePage(WebPage[Article]):
    """The pages of one site profile (subclassed per profile, see `PROFILE_PAGES`): its page
    designs, else the generic extractor with the profile's timezone and language."""

    profile: ClassVar[SiteProfile]

    async def to_item(self) -> Article:
        return article_for(response_page(self.response), self.profile)


@attrs.define
class ZyteArticlePage(WebPage[Any]):
    """Any site, as a zyte-common-items `Article` (see newscrawl.dataset.zyte)."""

    async def to_item(self) -> Any:
        from newscrawl.dataset.zyte import to_zyte_article

        item = extract_page(response_page(self.response))
        return to_zyte_article(item.to_dict())


def _profile_page(profile: SiteProfile) -> type[ProfileArticlePage]:
    name = "".join(part.capitalize() for part in profile.name.split("_")) + "ArticlePage"
    return type(name, (ProfileArticlePage,), {"profile": profile, "__module__": __name__})


PROFILE_PAGES: dict[str, type[ProfileArticlePage]] = {
    profile.name: _profile_page(profile) for profile in all_profiles()}


def rules() -> list[ApplyRule]:
    """The rules registered on import: one per profile (its hosts), and the defaults."""
    from zyte_common_items import Article as ZyteArticle

    found = [ApplyRule(Patterns(list(page.profile.hosts)), use=page, to_return=Article)
             for page in PROFILE_PAGES.values()]
    anywhere = Patterns([""], priority=DEFAULT_PRIORITY)
    found.append(ApplyRule(anywhere, use=ArticlePage, to_return=Article))
    found.append(ApplyRule(anywhere, use=ZyteArticlePage, to_return=ZyteArticle))
    return found


for _rule in rules():
    default_registry.add_rule(_rule)
