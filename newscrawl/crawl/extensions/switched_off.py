"""Scrapy components that their own setting keeps off are not loaded at all.

Scrapy imports every component of its defaults, also those whose setting then switches them
off, and those set to None as well (Scrapy 2.19 loads each key to tell paths from
classes). In the crawl process the remote control's aiohttp server takes 10.2 MiB of
modules, the cookie middleware's tldextract and cookie jar 2.7 MiB, the telnet console
0.3 MiB. So a component kept off is taken out of Scrapy's defaults (the `*_BASE` setting), as
Scrapy itself changes its download handlers' defaults for a crawl without a reactor.
Turning the setting on (in the project, a spider's `custom_settings` or `-s`) loads it as
before; so does naming it in the project's own components setting.
"""

from __future__ import annotations

from scrapy.settings import Settings

# (the setting that switches the component on, the components setting, the component)
OFF_UNLESS = (
    ("REMOTE_CONTROL_ENABLED", "EXTENSIONS", "scrapy.extensions.remote_control.RemoteControl"),
    ("TELNETCONSOLE_ENABLED", "EXTENSIONS", "scrapy.extensions.telnet.TelnetConsole"),
    ("COOKIES_ENABLED", "DOWNLOADER_MIDDLEWARES",
     "scrapy.downloadermiddlewares.cookies.CookiesMiddleware"),
)


class SwitchedOffComponents:
    """Scrapy add-on: a default component whose setting is off leaves Scrapy's defaults."""

    def update_settings(self, settings: Settings) -> None:
        for switch, components, path in OFF_UNLESS:
            defaults = settings[f"{components}_BASE"]
            if not settings.getbool(switch) and path in defaults:
                defaults.delete(path, priority="addon")
