"""The JSON Schema of the Article item, shipped with the package."""

from __future__ import annotations

import json
from collections.abc import Callable
from functools import lru_cache
from importlib import resources
from typing import Any

import fastjsonschema
from jsonschema import Draft202012Validator


@lru_cache(maxsize=1)
def article_schema() -> dict[str, Any]:
    text = resources.files(__package__).joinpath("article.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(article_schema())


@lru_cache(maxsize=1)
def _fast_check() -> Callable[[Any], Any]:
    return fastjsonschema.compile(article_schema())


def is_valid(item: dict[str, Any]) -> bool:
    """Whether `item` is a valid Article, asked of nearly every item a crawl writes.

    Answered by fastjsonschema: jsonschema's `is_valid` takes 0.83 ms per corpus article
    against 0.11 ms (48 pages' items, CPU time), about a tenth of a profile extraction, spent in
    the crawl's single Scrapy process."""
    try:
        _fast_check()(item)
    except fastjsonschema.JsonSchemaException:
        return False
    return True


def schema_errors(item: dict[str, Any]) -> list[str]:
    """Every way `item` breaks the Article schema, as readable 'field: problem' lines
    (jsonschema's wording)."""
    if is_valid(item):
        return []
    errors = sorted(_validator().iter_errors(item), key=lambda e: list(e.absolute_path))
    return [f"{'/'.join(map(str, e.absolute_path)) or '(item)'}: {e.message}" for e in errors]
