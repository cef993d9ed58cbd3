"""Author names as readers would write them: no "By", no dates, no e-mail prompts, no job titles,
no byline labels, no "all posts by" links and no CMS account names, in any language."""

from __future__ import annotations

import re
from collections.abc import Iterable

from newscrawl.extraction.boilerplate import AUTHOR_BIO_HEADINGS
from newscrawl.extraction.text import decode_entities, normalize_space, unique

# Verbs and nouns a byline starts with, before "by": "Posted by", "Veröffentlicht von".
_LABEL_VERBS = (
    r"written|reported|posted|published|text|photos?|words|story|interview|blog\s*beitrag|"
    r"beitrag|artikel|geschrieben|veröffentlicht|publiziert|eingestellt|erstellt|verfasst|"
    r"gepostet|publié|écrit|rédigé|publicado|escrito|redactado|pubblicato|scritto|"
    r"gepubliceerd|geschreven|opublikowano|napisał|napisane")
_BY = r"by|von|vom|par|por|di|da|door|av|af|от|автор|文|記者"
# "About the author", in the languages of `AUTHOR_BIO_HEADINGS`, longest first.
_BIO_HEADINGS = "|".join(re.escape(h) for h in sorted(AUTHOR_BIO_HEADINGS, key=len, reverse=True))
# Label nouns followed by a colon ("Autor: Jane Doe", "Text: Jane Doe", "Interview: Jane Doe").
_LABEL_NOUNS = (
    r"authors?|autor(?:in|en|innen)?|auteurs?|autori?|autora|autores|verfasser(?:in)?|"
    r"text|texte|textos?|interview|entrevista|redaktion|reporter|fotos?|photos?|bilder|"
    r"written|posted|contributor|escrito|geschrieben|" + _BIO_HEADINGS)
_PREFIX = re.compile(
    rf"^(?:(?:(?:{_LABEL_VERBS})\s+)?(?:{_BY})\s*[:：]?\s+"
    rf"|(?:{_LABEL_NOUNS})\s*[:：]\s*"
    rf"|(?:author|autor|autorin|auteur|autore)\s+(?=\S+\s+\S)"
    # Glued to the name by markup that puts no space between them: "AuthorJane Doe".
    r"|(?-i:(?:Author|Autor|Autorin|Auteur|Autore|By|Von|Par|Por)(?=[A-ZÀ-ÖØ-Þ])))",
    re.IGNORECASE,
)
# A label with no name after it ("Posted on", "Veröffentlicht am", "Datum"): a date follows.
_LABEL_ONLY = re.compile(
    rf"^(?:(?:{_LABEL_VERBS})(?:\s+(?:on|am|le|el|il|em|op|in|at|um|the))?"
    rf"|(?:{_LABEL_NOUNS})|date|datum|fecha|data|publié le|posted|by|von|par|por)\s*[:：]?$",
    re.IGNORECASE,
)
# "View all posts by Jane Doe", "Zeige alle Beiträge von Jane Doe": the link names the author.
_ALL_POSTS = re.compile(
    r"^.*?\b(?:posts|beiträge|artikel|articles|stories|entries|einträge|publications|"
    r"artículos|entradas|articoli|notícias|berichte|texte)\s+(?:by|von|of|de|du|des|di|par|"
    r"del|door|van)\s+", re.IGNORECASE)
_ENDS_WITH_BY = re.compile(rf"(?:^|\s)(?:{_BY})\s*[:：]?\s*$", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,|;|\||/|&|•|·|\s[-–—]\s|\band\b|\bund\b|\bet\b|\by\b|\be\b|"
                    r"\bи\b|、|，)\s*", re.IGNORECASE)
_URL = re.compile(r"https?://\S+")
_NOISE = re.compile(
    r"(?:email|e-mail|follow|twitter|updated|published|contact)\b.*$"
    r"|\S+@\S+|(?:^|\s)@\w+",
    re.IGNORECASE,
)
# What a byline shows after the name: a reply verb, a link to the author's page.
_AFTER_NAME = re.compile(
    r"\s+(?:sagt|says|said|schreibt|writes|wrote|dice|dit|escribe|alle artikel|"
    r"all (?:posts|articles|stories)|mehr (?:von|artikel|zum autor)|more (?:from|by|about)|"
    rf"über (?:den|die|mich|uns)?|autorenseite|{_BIO_HEADINGS}|profil)\b.*$"
    r"|\s+(?:foto|fotos|photo|photos|bild|bilder|illustratione?n?|grafik|video)\b.*$"
    r"|\s*[»«›‹]+.*$",
    re.IGNORECASE)
# Names hold no word starting with a digit: a date or a time starts there, and what follows it
# in a byline is no name either ("Jane Doe 11:00 AM PDT • May 16, 2024").
_DATE_ON = re.compile(r"(?:^|\s)\d.*$", re.DOTALL)
# Month and weekday names (English, German, French, Spanish, Italian, Portuguese, Dutch) and
# their common abbreviations: a written date after a name starts with one.
_CALENDAR_WORDS = """
january february march april may june july august september october november december
jan feb mar apr jun jul aug sep sept oct nov dec
januar jänner februar märz mai juni juli oktober dezember okt dez
janvier février mars avril juin juillet août septembre octobre novembre décembre
janv févr avr juil déc
enero febrero marzo abril mayo junio julio agosto septiembre setiembre octubre noviembre
diciembre ene abr ago dic
gennaio febbraio aprile maggio giugno luglio settembre ottobre dicembre gen mag giu lug ott
janeiro fevereiro março maio junho julho setembro outubro novembro dezembro fev set out dez
januari februari maart mei augustus
monday tuesday wednesday thursday friday saturday sunday mon tue tues wed thu thurs fri sat sun
montag dienstag mittwoch donnerstag freitag samstag sonntag sonnabend
lundi mardi mercredi jeudi vendredi samedi dimanche
lunes martes miércoles jueves viernes sábado domingo
lunedì martedì mercoledì giovedì venerdì sabato domenica
segunda terça quarta quinta sexta
maandag dinsdag woensdag donderdag vrijdag zaterdag zondag
today yesterday heute gestern aujourd'hui hier hoy ayer oggi ieri
"""
_CALENDAR = frozenset(_CALENDAR_WORDS.split())
# Two-letter weekdays ("Do 9. Apr 2020"): too like name particles ("Di", "Do") to cut at, only
# taken off the end once the date after them is gone.
_SHORT_WEEKDAYS = frozenset({"mo", "di", "mi", "do", "fr", "sa", "so", "lu", "ma", "me", "je",
                             "ve"})
# Words that join a name to the date after it ("Jane Doe am 3. Mai", "Jane Doe le 3 mai").
_DATE_JOINERS = frozenset({"am", "um", "on", "at", "le", "el", "il", "em", "op", "den", "the",
                           "à", "a", "o", "en", "-", "–", "—", "|", "·", "•", "de", "du"})
# Words no person's name holds: link texts and widget labels that sit where a byline does.
_NOT_NAME_WORDS = frozenset({
    "profile", "profil", "perfil", "profilo", "posts", "beiträge", "artikel", "articles",
    "archive", "archiv", "anzeigen", "complete", "complet", "vollständig", "view", "show",
    "zeige", "afficher", "ver", "voir", "mehr", "more", "read", "lesen", "follow", "folgen",
    "website", "homepage", "kommentare", "comments", "kommentar", "comment", "share", "teilen",
    "login", "anmelden", "subscribe", "abonnieren", "unknown", "anonymous", "anonym",
})
# A web address, or a site's name written as its domain ("example.com"): no person, kept
# only when no person is named, the way a publication name is.
_ADDRESS = re.compile(r"(?:^|\s)(?:www\.\S+|[\w-]+(?:\.[\w-]+)*\.[a-z]{2,})(?=$|\s)")
# Account names a CMS gives its first user: no reader would call the author that.
_ACCOUNT = re.compile(r"^(?:wp|wordpress|site|web|blog|super)?_?admin(?:istrator)?\d*$|"
                      r"^(?:webmaster|root|user\d*|guest|wpadmin|default|demo)$", re.IGNORECASE)
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
# "Translated by Jane Doe": a translator, named beside the author, did not write the story.
_TRANSLATOR = re.compile(
    r"^(?:translated|translation|übersetzt|übersetzung|traduit|traduction|traducido|"
    r"traducción|tradotto|traduzione|traduzido|tradução|vertaald|vertaling|przetłumaczył\w*|"
    r"перевод|переве\w*)\b", re.IGNORECASE)
_MAX_NAME_WORDS = 6
_EDGES = " .,:;-–—|~()[]*"


def clean_author_names(raw: Iterable[str | None], organisations: Iterable[str] = ()) -> list[str]:
    """Split bylines into names and drop what is not a name. When a person is named, the
    publication (`organisations`) is dropped; an empty list beats a wrong name."""
    names: list[str] = []
    for value in raw:
        # an entity left in JSON-LD must not split the name at its "&" or ";"
        text = normalize_space(decode_entities(normalize_space(value)))
        if not text or text.startswith(("http://", "https://")):
            continue
        # before the split, which would cut an address at its slashes
        text = _URL.sub("", text)
        text = _without_date(_AFTER_NAME.sub("", _unlabelled(text)))
        for part in _SPLIT.split(text):
            if _TRANSLATOR.match(part):
                continue
            name = _trim(_NOISE.sub("", part))
            name = _trim(_without_role(_unlabelled(name)))
            if _looks_like_name(name):
                names.append(name.title() if name.isupper() and len(name) > 3 else name)
    names = unique(names)
    names = [n for n in names if not _labelled_copy(n, names)]
    known = {normalize_space(o).casefold() for o in organisations if o}
    people = [n for n in names if n.casefold() not in known and not _ROLE.search(n)
              and not _ADDRESS.search(n)]
    return people if people else names


def _labelled_copy(name: str, names: list[str]) -> bool:
    """Whether `name` is another of `names` behind a rubric and a byline word, as a kicker
    set in the byline gives it ("Disko Von Ernst Lohoff" beside "Ernst Lohoff")."""
    return any(other != name and name.endswith(f" {other}")
               and _ENDS_WITH_BY.search(name[:-len(other)]) for other in names)


def _unlabelled(text: str) -> str:
    """Byline labels taken off the front, also several ("Posted by: Autor: Jane Doe")."""
    for _ in range(3):
        stripped = _PREFIX.sub("", _ALL_POSTS.sub("", text)).lstrip(_EDGES)
        if stripped == text:
            break
        text = stripped
    return text


def _without_date(text: str) -> str:
    """The byline up to the date written after the name, and the words joining them."""
    words = _DATE_ON.sub("", text).split()
    # A month or weekday after two words at least: "April Smith" and "Jane April" stay.
    cut = next((i for i, w in enumerate(words)
                if i >= 2 and w.casefold().strip(".,") in _CALENDAR), len(words))
    if cut == len(words) and len(words) == len(text.split()):
        return text
    words = words[:cut]
    while len(words) > 1 and (words[-1].casefold() in _DATE_JOINERS
                              or words[-1].casefold().strip(".,") in _SHORT_WEEKDAYS
                              or words[-1].casefold().strip(".,") in _CALENDAR):
        words.pop()
    return " ".join(words)


def _trim(name: str) -> str:
    """Edge punctuation off, but the full stop of a final initial stays ("Joe S.")."""
    trimmed = name.strip(_EDGES)
    if name.rstrip().endswith(".") and re.search(r"(?:^|\s)\w$", trimmed):
        return trimmed + "."
    return trimmed


def _without_role(name: str) -> str:
    """Cut a job title glued after a name; a byline that is only a title stays as it is."""
    rest = _TRAILING_ROLE.sub("", name)
    return rest if len(rest.split()) >= 2 else name


def _looks_like_name(name: str) -> bool:
    if not name or len(name) > 80 or not any(c.isalpha() for c in name):
        return False
    words = name.casefold().split()
    if len(words) > _MAX_NAME_WORDS or _LABEL_ONLY.match(name) or _ACCOUNT.match(name):
        return False
    if "©" in name:
        return False  # a picture's credit
    if all(w.strip(".,") in _CALENDAR or w.strip(".,") in _SHORT_WEEKDAYS
           or w in _DATE_JOINERS for w in words):
        return False
    return not any(w in _NOT_NAME_WORDS for w in words)
