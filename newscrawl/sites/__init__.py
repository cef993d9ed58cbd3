"""Site profiles, one module per publisher. A module that defines `PROFILE` is registered
automatically: adding a site means adding its module (and its fixtures), nothing else."""

from __future__ import annotations

import importlib
import pkgutil
from functools import lru_cache

from newscrawl.extraction.profile import SiteProfile
from newscrawl.model.urls import url_host


@lru_cache(maxsize=1)
def all_profiles() -> tuple[SiteProfile, ...]:
    profiles = []
    for module_info in sorted(pkgutil.iter_modules(__path__), key=lambda m: m.name):
        if module_info.name.startswith("_"):
            continue
        module = importlib.import_module(f"{__name__}.{module_info.name}")
        profile = getattr(module, "PROFILE", None)
        if isinstance(profile, SiteProfile):
            profiles.append(profile)
    names = [p.name for p in profiles]
    duplicates = {n for n in names if names.count(n) > 1}
    if duplicates:
        raise RuntimeError(f"two site profiles share a name: {sorted(duplicates)}")
    return tuple(profiles)


def profile_for_url(url: str) -> SiteProfile | None:
    """The profile that serves this URL's host (the most specific host wins)."""
    return _profile_for_host(url_host(url))


@lru_cache(maxsize=4096)
def _profile_for_host(host: str) -> SiteProfile | None:
    # Asked for every page: a crawl meets few hosts, and the profiles never change.
    matching = [p for p in all_profiles() if p.serves_host(host)]
    return max(matching, key=lambda p: max(len(h) for h in p.hosts), default=None)


def profile_named(name: str) -> SiteProfile:
    for profile in all_profiles():
        if profile.name == name:
            return profile
    known = ", ".join(p.name for p in all_profiles())
    raise KeyError(f"no site profile named {name!r} (known: {known})")
