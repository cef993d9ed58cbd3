"""Language codes as the items carry them (ISO 639-1), and the filters users give."""

from __future__ import annotations

from collections.abc import Iterable


def language_codes(values: str | Iterable[str] | None) -> frozenset[str] | None:
    """The languages a filter keeps, from "en", "en,de" or ["en", "de"]; None keeps all.

    Raises ValueError, naming it, for anything that is no two-letter ISO 639-1 code.
    """
    if values is None:
        return None
    given = [values] if isinstance(values, str) else list(values)
    codes = {code.strip().lower() for value in given for code in value.split(",")}
    codes.discard("")
    wrong = sorted(code for code in codes if len(code) != 2 or not code.isalpha())
    if wrong:
        raise ValueError(f"not a two-letter ISO 639-1 language code: {', '.join(wrong)}")
    return frozenset(codes) or None
