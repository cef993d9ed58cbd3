"""File names made from untrusted text (site names, run names) that cannot leave their folder."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

MAX_COMPONENT = 80
_UNSAFE = re.compile(r"[^a-z0-9._-]+")


def safe_component(text: str, *, fallback: str = "unknown") -> str:
    """One path component: [a-z0-9._-] only, no leading dot, bounded length.

    When cleaning changed the text, a short hash of the original is appended, so two names
    that clean alike ("a/b" and "a-b") still get different folders.
    """
    cleaned = _UNSAFE.sub("-", text.lower()).strip("-.")[:MAX_COMPONENT].strip("-.")
    if cleaned == text and cleaned not in ("", ".", ".."):
        return cleaned
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:10]
    return f"{cleaned or fallback}-{digest}"


def inside(root: Path, *components: str) -> Path:
    """root/components..., refusing anything that would resolve outside root."""
    base = root.resolve()
    path = base.joinpath(*components).resolve()
    if not path.is_relative_to(base) or path == base:
        raise ValueError(f"refusing a path outside {base}: {components!r}")
    return path
