"""Default Scrapy components that their setting keeps off are left out of the crawl."""

from __future__ import annotations

import subprocess
import sys

from scrapy.utils.test import get_crawler

from newscrawl.crawl import settings as project

REMOTE = "scrapy.extensions.remote_control.RemoteControl"
TELNET = "scrapy.extensions.telnet.TelnetConsole"
COOKIES = "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"


def _components(name: str, **changed: object) -> dict:
    """The components (path: order) a crawl with the project's settings and `changed` has."""
    settings = {key: getattr(project, key) for key in dir(project) if key.isupper()}
    settings["NEWSCRAWL_STATE_ENABLED"] = False  # no crawl state file is opened
    crawler = get_crawler(settings_dict={**settings, **changed})  # applies the add-ons
    return dict(crawler.settings.getwithbase(name))


def test_components_kept_off_by_their_setting_are_not_among_the_components() -> None:
    extensions = _components("EXTENSIONS")
    assert REMOTE not in extensions and TELNET not in extensions
    assert "scrapy.extensions.corestats.CoreStats" in extensions
    middlewares = _components("DOWNLOADER_MIDDLEWARES")
    assert COOKIES not in middlewares
    assert "scrapy.downloadermiddlewares.redirect.RedirectMiddleware" in middlewares


def test_a_component_switched_on_is_loaded_as_before() -> None:
    assert REMOTE in _components("EXTENSIONS", REMOTE_CONTROL_ENABLED=True)
    assert TELNET in _components("EXTENSIONS", TELNETCONSOLE_ENABLED=True)
    assert COOKIES in _components("DOWNLOADER_MIDDLEWARES", COOKIES_ENABLED=True)


def test_a_component_the_project_names_itself_is_left_alone() -> None:
    assert _components("EXTENSIONS", EXTENSIONS={**project.EXTENSIONS, REMOTE: 7})[REMOTE] == 7


_CRAWLER_MODULES = """
import sys
from scrapy.core.downloader.middleware import DownloaderMiddlewareManager
from scrapy.utils.test import get_crawler
from newscrawl.crawl import settings as project
settings = {key: getattr(project, key) for key in dir(project) if key.isupper()}
crawler = get_crawler(settings_dict={**settings, "NEWSCRAWL_STATE_ENABLED": False})
DownloaderMiddlewareManager.from_crawler(crawler)
print(*sorted(name for name in ("aiohttp", "tldextract", "twisted.conch")
              if name in sys.modules))
"""


def test_a_crawler_with_the_project_settings_does_not_import_them() -> None:
    result = subprocess.run([sys.executable, "-c", _CRAWLER_MODULES], capture_output=True,
                            text=True, timeout=120, check=True)
    assert result.stdout.strip() == ""
