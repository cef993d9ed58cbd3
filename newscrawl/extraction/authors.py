"""Author names as readers would write them: no "By", no dates, no e-mail prompts, no job titles."""

from __future__ import annotations

import re
from collections.abc import Iterable

from newscrawl.extraction.text import normalize_space, unique

_PREFIX = re.compile(
    r"^(?:(?:written|reported|posted|text|photos?|words|story)\s+)?"
    r"(?:by|von|par|por|di|door|av|от|автор|文|記者)\s*[:：]?\s+",
    re.IGNORECASE,
)
_SPLIT = re.compile(r"\s*(?:,|;|\||/|&|•|·|\band\b|\bund\b|\bet\b|\by\b|\be\b|\bи\b|、|，)\s*",
                    re.IGNORECASE)
_NOISE = re.compile(
    r"(?:email|e-mail|follow|twitter|updated|published|contact)\b.*$"
    r"|\S+@\S+|https?://\S+",
    re.IGNORECASE,
)
# Names hold no word starting with a digit: a date or a time starts there, and what follows it
# in a byline is no name either ("Jane Doe 11:00 AM PDT • May 16, 2024").
_DATE_ON = re.compile(r"(?:^|\s)\d.*$", re.DOTALL)
_ENGLISH_ROLES = ("reporter|correspondent|editor|writer|journalist|contributor|columnist|producer|"
                  "photographer")
# Job titles written after a name ("Jane Doe, Senior Reporter"): kept only when no person is
# named, the way a publication name is.
_ROLE = re.compile(
    rf"\b(?:{_ENGLISH_ROLES}|staff|desk|redakteur(?:in)?|korrespondent(?:in)?|autor(?:in)?|"
    r"journaliste|rédacteur|rédactrice|envoyée?|corresponsal|redactora?|periodista|"
    r"корреспондент|обозреватель|редактор)\b",
    re.IGNORECASE,
)
# "Jane Doe Senior Reporter": a job title glued on without a comma.
_TRAILING_ROLE = re.compile(
    r"\s+(?:(?:senior|chief|deputy|political|foreign|business|staff|special|digital|news|"
    r"sports?|health|science|economics?|investigative|national|world|tech(?:nology)?)\s+)*"
    rf"(?:{_ENGLISH_ROLES})$", re.IGNORECASE)
_MAX_NAME_WORDS = 6


def clean_author_names(raw: Iterable[str | None], organisations: Iterable[str] = ()) -> list[str]:
    """Split bylines into names and drop what is not a name. When a person is named, the
    publication (`organisations`) is dropped; an empty list beats a wrong name."""
    names: list[str] = []
    for value in raw:
        text = normalize_space(value)
        if not text or text.startswith(("http://", "https://")):
            continue
        text = _DATE_ON.sub("", _PREFIX.sub("", text))
        for part in _SPLIT.split(text):
            name = _NOISE.sub("", part).strip(" .,:;-–—|")
            name = _without_role(_PREFIX.sub("", name))
            if _looks_like_name(name):
                names.append(name.title() if name.isupper() and len(name) > 3 else name)
    names = unique(names)
    known = {normalize_space(o).casefold() for o in organisations if o}
    people = [n for n in names if n.casefold() not in known and not _ROLE.search(n)]
    return people if people else names


def _without_role(name: str) -> str:
    """Cut a job title glued after a name; a byline that is only a title stays as it is."""
    rest = _TRAILING_ROLE.sub("", name)
    return rest if len(rest.split()) >= 2 else name


def _looks_like_name(name: str) -> bool:
    if not name or len(name) > 80 or not any(c.isalpha() for c in name):
        return False
    return len(name.split()) <= _MAX_NAME_WORDS
