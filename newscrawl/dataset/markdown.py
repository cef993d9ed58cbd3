"""Articles as Markdown: the body converted from `body_html` by markdownify, and one document
per article with the metadata as YAML front matter (PyYAML). Needs the `markdown` extra."""

from __future__ import annotations

import hashlib
import re
from typing import Any

from newscrawl.dataset import require
from newscrawl.dataset.paths import safe_component

_SLUG_WORD = re.compile(r"[a-z0-9]+")

# The metadata written into the front matter, in this order (the body is the document).
FRONT_MATTER_FIELDS = ("headline", "url", "canonical_url", "site", "publisher", "authors",
                       "published", "modified", "section", "language", "language_source",
                       "tags", "lead", "free_access", "word_count", "extractor",
                       "schema_version", "fetched_at", "content_hash")


def body_markdown(body_html: str | None) -> str | None:
    """The body as Markdown: ATX headings, "-" bullets, links and images inline."""
    if not body_html:
        return None
    markdownify = require("markdownify", "markdown", "Markdown output")
    text = markdownify.markdownify(body_html, heading_style="ATX", bullets="-",
                                   escape_underscores=False)
    return text.strip() + "\n"


def article_markdown(item: dict[str, Any]) -> str:
    """One article as a Markdown document: front matter, the headline as a title, the body."""
    yaml = require("yaml", "markdown", "Markdown output")
    meta = {name: item.get(name) for name in FRONT_MATTER_FIELDS if name in item}
    front = yaml.safe_dump(meta, allow_unicode=True, sort_keys=False, width=100)
    title = f"# {item['headline']}\n\n" if item.get("headline") else ""
    return f"---\n{front}---\n\n{title}{body_markdown(item.get('body_html')) or ''}"


def file_name(item: dict[str, Any]) -> str:
    """`<site>/<day>-<headline words>-<url hash>.md`: readable, and one file per URL."""
    day = (item.get("published") or item.get("fetched_at") or "undated")[:10]
    words = "-".join(_SLUG_WORD.findall((item.get("headline") or "").lower())[:8]) or "article"
    digest = hashlib.sha256(str(item.get("url")).encode("utf-8")).hexdigest()[:10]
    site = safe_component(item.get("site") or "unknown")
    return f"{site}/{safe_component(f'{day}-{words}'[:80])}-{digest}.md"
