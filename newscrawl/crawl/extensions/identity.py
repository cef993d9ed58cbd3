"""One place to say who crawls: NEWSCRAWL_CONTACT makes the User-Agent."""

from __future__ import annotations

from newscrawl.version import __version__


def user_agent(contact: str) -> str:
    return f"newscrawl/{__version__} (+{contact})"


class ContactAddon:
    """Scrapy add-on: build USER_AGENT from NEWSCRAWL_CONTACT, so that `-s NEWSCRAWL_CONTACT=`
    (or a project setting) changes the agent of every request, robots.txt included. A
    USER_AGENT set explicitly at a higher priority than the contact is left alone."""

    def update_settings(self, settings) -> None:  # type: ignore[no-untyped-def]
        contact = settings.get("NEWSCRAWL_CONTACT")
        if not contact:
            return
        priority = settings.getpriority("NEWSCRAWL_CONTACT") or 0
        if (settings.getpriority("USER_AGENT") or 0) <= priority:
            settings.set("USER_AGENT", user_agent(contact), priority=priority)
