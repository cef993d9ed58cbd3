"""A yes/no check of a JSON Schema, compiled once into nested closures.

jsonschema's validator walks the schema for every item and builds error objects on the way;
for the one question the pipelines ask of nearly every item ("is it valid?") that costs more
than the rest of validation. `compile_check` turns a schema into a function answering just
that, for the keywords the Article schema uses, with jsonschema's meaning of each. Anything
else (a keyword it does not know, a remote $ref) raises `Unsupported`, so the caller keeps
jsonschema for that schema; errors are always described by jsonschema.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

Check = Callable[[Any], bool]

# Keywords that only annotate: they never make an instance invalid.
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "title", "description", "$comment"})


class Unsupported(ValueError):
    """The schema uses something `compile_check` does not implement."""


def _is_integer(value: Any) -> bool:
    # As jsonschema: bools are not numbers; 2.0 is an integer.
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and value.is_integer())


_TYPES: dict[str, Check] = {
    "string": lambda v: isinstance(v, str),
    "null": lambda v: v is None,
    "object": lambda v: isinstance(v, dict),
    "array": lambda v: isinstance(v, list),
    "boolean": lambda v: isinstance(v, bool),
    "integer": _is_integer,
    "number": lambda v: isinstance(v, int | float) and not isinstance(v, bool),
}


def compile_check(schema: dict[str, Any] | bool) -> Check:
    """A function telling whether an instance is valid against `schema` (draft 2020-12)."""
    return _Compiler(schema).compile(schema)


class _Compiler:
    def __init__(self, root: Any) -> None:
        self.root = root
        self.refs: dict[str, Check] = {}

    def compile(self, schema: Any) -> Check:
        if schema is True:
            return lambda value: True
        if schema is False:
            return lambda value: False
        if not isinstance(schema, dict):
            raise Unsupported(f"not a schema: {schema!r}")
        checks = [self._keyword(name, argument, schema) for name, argument in schema.items()
                  if name not in _ANNOTATIONS]
        checks = [check for check in checks if check is not None]
        if len(checks) == 1:
            return checks[0]
        return lambda value: all(check(value) for check in checks)

    def _keyword(self, name: str, argument: Any, schema: dict[str, Any]) -> Check | None:
        method = getattr(self, "_" + name.lstrip("$"), None)
        if method is None:
            raise Unsupported(f"keyword {name!r}")
        return method(argument, schema)

    # -- one method per keyword: a check, or None when it never fails -----------------------
    def _type(self, argument: Any, schema: dict[str, Any]) -> Check:
        names = [argument] if isinstance(argument, str) else list(argument)
        unknown = [name for name in names if name not in _TYPES]
        if unknown:
            raise Unsupported(f"type {unknown}")
        tests = tuple(_TYPES[name] for name in names)
        return lambda value: any(test(value) for test in tests)

    def _ref(self, argument: str, schema: dict[str, Any]) -> Check:
        if not argument.startswith("#/"):
            raise Unsupported(f"$ref {argument!r}")
        if argument not in self.refs:
            target: Any = self.root
            for part in argument[2:].split("/"):
                target = target[part.replace("~1", "/").replace("~0", "~")]
            # Registered before compiling, so that a schema referring to itself terminates.
            compiled: list[Check] = []
            self.refs[argument] = lambda value: compiled[0](value)
            compiled.append(self.compile(target))
        return self.refs[argument]

    def _anyOf(self, argument: list[Any], schema: dict[str, Any]) -> Check:  # noqa: N802
        options = [self.compile(option) for option in argument]
        return lambda value: any(option(value) for option in options)

    def _oneOf(self, argument: list[Any], schema: dict[str, Any]) -> Check:  # noqa: N802
        options = [self.compile(option) for option in argument]
        return lambda value: sum(1 for option in options if option(value)) == 1

    def _pattern(self, argument: str, schema: dict[str, Any]) -> Check:
        search = re.compile(argument).search
        return lambda value: not isinstance(value, str) or search(value) is not None

    def _minLength(self, argument: int, schema: dict[str, Any]) -> Check:  # noqa: N802
        return lambda value: not isinstance(value, str) or len(value) >= argument

    def _minimum(self, argument: float, schema: dict[str, Any]) -> Check:
        def check(value: Any) -> bool:
            if isinstance(value, bool) or not isinstance(value, int | float):
                return True
            return value >= argument
        return check

    def _required(self, argument: list[str], schema: dict[str, Any]) -> Check:
        names = tuple(argument)
        return lambda value: not isinstance(value, dict) or all(n in value for n in names)

    def _properties(self, argument: dict[str, Any], schema: dict[str, Any]) -> Check:
        checks = {name: self.compile(sub) for name, sub in argument.items()}

        def check(value: Any) -> bool:
            if not isinstance(value, dict):
                return True
            return all(test(value[name]) for name, test in checks.items() if name in value)
        return check

    def _additionalProperties(self, argument: Any,  # noqa: N802
                              schema: dict[str, Any]) -> Check | None:
        if "patternProperties" in schema:
            raise Unsupported("additionalProperties with patternProperties")
        if argument is True:
            return None
        known = frozenset(schema.get("properties", {}))
        extra = self.compile(argument)
        return lambda value: not isinstance(value, dict) or all(
            extra(item) for name, item in value.items() if name not in known)

    def _items(self, argument: Any, schema: dict[str, Any]) -> Check:
        if "prefixItems" in schema:
            raise Unsupported("items with prefixItems")
        test = self.compile(argument)
        return lambda value: not isinstance(value, list) or all(test(item) for item in value)
