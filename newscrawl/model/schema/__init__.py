"""The JSON Schema of the Article item, shipped with the package."""

from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from jsonschema import Draft202012Validator

from newscrawl.model.schema.quick import Check, Unsupported, compile_check


@lru_cache(maxsize=1)
def article_schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("article.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(article_schema())


@lru_cache(maxsize=1)
def _quick_check() -> Check | None:
    try:
        return compile_check(article_schema())
    except Unsupported:
        return None


def schema_errors(item: dict[str, Any]) -> list[str]:
    """Every way `item` breaks the Article schema, as readable 'field: problem' lines."""
    # Most items are valid: a compiled yes/no check answers that, jsonschema says why not.
    check = _quick_check()
    if check is not None and check(item):
        return []
    errors = sorted(_validator().iter_errors(item), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(item)'}: {e.message}" for e in errors]
