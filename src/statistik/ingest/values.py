"""Reading a count as written in a file, and the labels of rows that carry no figures.

Plain digits are read in SQL (the fast path); every other spelling goes through
`parse_count` once per distinct value. Nothing here guesses: a spelling that is not a
count we can read exactly is a problem with its real cause.
"""

from __future__ import annotations

import re
from typing import NamedTuple

from statistik.ingest.problems import quote
from statistik.vocabulary import normalize

OK, MISSING, PROBLEM = "ok", "missing", "problem"
MAX_DIGITS = 15

# Thousands grouping: one separator, used the same way all through, with groups of three.
_GROUPED = re.compile(r"\d{1,3}(?P<sep>[. \u00a0\u2009\u202f])\d{3}(?:(?P=sep)\d{3})*")
_ZERO_DECIMALS = re.compile(r"(?P<int>.+?),0+")
_NUMBERISH = re.compile(r"[\d., \u00a0\u2009\u202f]+")
_SCIENTIFIC = re.compile(r"[+-]?\d+(?:[.,]\d+)?[eE][+-]?\d+")
_EXCEL_ERRORS = {"#value!", "#værdi!", "#n/a", "#i/t", "#div/0!", "#ref!", "#name?", "#navn?",
                 "#num!", "#null!", "#nul!", "#spill!", "#calc!"}
_MINUS = "-−–"
_NO_VALUE_WORDS = {"null", "na", "n/a", "nan", "none", "mangler", "ukendt", "ingen", "?"}


class Count(NamedTuple):
    """A value read from a file: its status, the count, and (for problems) why."""

    status: str
    value: int | None = None
    reason: str | None = None


def parse_count(raw: str, statbank: bool = False) -> Count:
    """A count as written ('1.234', '1 234', '12,0', '..'), or why it is not one."""
    v = raw.strip()
    if v in ("", "..", "...", ".", ":"):
        return Count(MISSING)
    if v in _MINUS:
        if statbank:
            return Count(OK, 0)  # Danmarks Statistik's sign for 'nul'
        return Count(PROBLEM, reason=f"{quote(raw)} er ikke et antal — skriv 0, hvis der ingen var, "
                                     "eller lad feltet stå tomt, hvis tallet mangler")
    if set(v) == {"#"}:
        return Count(PROBLEM, reason=f"{quote(raw)} er ikke et antal — Excel skriver #####, når kolonnen er "
                                     "for smal; gør kolonnen bredere og gem filen igen")
    if v.lower() in _NO_VALUE_WORDS:
        return Count(PROBLEM, reason=f"{quote(raw)} er ikke et antal — lad feltet stå tomt (eller skriv ..), "
                                     "hvis tallet mangler, og 0, hvis der ingen var")
    if v.lower() in _EXCEL_ERRORS:
        return Count(PROBLEM, reason=f"{quote(raw)} er en fejl fra en Excel-formel, ikke et antal")
    if v[:1] == "=":
        return Count(PROBLEM, reason=f"{quote(raw)} er en formel, ikke et antal — gem tallene som værdier")
    if _SCIENTIFIC.fullmatch(v):
        return Count(PROBLEM, reason=f"{quote(raw)} er skrevet som videnskabelig notation — formatér kolonnen "
                                     "som tal uden decimaler i Excel og gem igen")
    if v[0] in _MINUS and _NUMBERISH.fullmatch(v[1:].strip()) or v[-1] in _MINUS and _NUMBERISH.fullmatch(v[:-1]):
        return Count(PROBLEM, reason=f"negativt antal {quote(raw)}")
    if not _NUMBERISH.fullmatch(v) or not v[0].isdigit():
        return Count(PROBLEM, reason=f"{quote(raw)} er ikke et antal")
    whole = v
    m = _ZERO_DECIMALS.fullmatch(v)
    if m:
        whole = m["int"]  # Excel's '12,0' or '1.234,00'
    if whole.isdigit():
        digits = whole
    elif _GROUPED.fullmatch(whole):
        digits = re.sub(r"\D", "", whole)
    elif re.fullmatch(r"\d{1,3}(?:,\d{3}){2,}", whole):
        return Count(PROBLEM, reason=f"{quote(raw)} er ikke et antal — komma er decimaltegn i danske tal; "
                                     "skriv tusinder med punktum (1.234.567) eller uden tegn")
    elif re.fullmatch(r"\d+[.,]\d+|[\d. \u00a0\u2009\u202f]+,\d+", whole):
        return Count(PROBLEM, reason=f"decimaltal {quote(raw)}")
    elif re.search(r"[ \u00a0\u2009\u202f]", whole):
        return Count(PROBLEM, reason=f"{quote(raw)} er ikke et antal — et mellemrum i et tal skal stå mellem "
                                     "grupper på tre cifre (1 234)")
    else:
        return Count(PROBLEM, reason=f"{quote(raw)} er ikke et antal — punktum og komma skal stå mellem grupper "
                                     "på tre cifre (1.234)")
    if len(digits.lstrip("0")) > MAX_DIGITS:
        return Count(PROBLEM, reason=f"{quote(raw)} er for stort til at være et antal")
    return Count(OK, int(digits))


# Labels of rows and columns that carry no figures and may be skipped (they are listed).
NOTE_HEADERS = {
    "note", "noter", "notat", "bemærkning", "bemærkninger", "kommentar", "kommentarer", "anm",
    "anmærkning", "anmærkninger", "fodnote", "fodnoter", "forklaring", "beskrivelse", "tekst",
}
ID_HEADERS = {
    "journalnr", "journal nr", "journalnummer", "j nr", "jnr", "sagsnr", "sags nr", "sagsnummer",
    "sag", "sagsid", "sags id", "id", "løbenr", "løbenummer", "nr", "anmeldelsesnr", "anmeldelsesnummer",
    "kilde", "enhed",
}
_FOOTNOTE = re.compile(
    r"^(kilde|kilder|note|noter|anm|anmærkning|fodnote|bemærk|bemærkning|forklaring|opdateret|"
    r"senest opdateret|udtræk|udtrukket|dannet|oprettet|udskrevet|hentet|statistikbanken|"
    r"danmarks statistik|copyright|enhed|tegnforklaring)\b",
)


def is_note_column(header: str) -> bool:
    """Whether a column header names notes or ids, which never hold figures."""
    return normalize(header) in NOTE_HEADERS | ID_HEADERS


def is_footnote(text: str) -> bool:
    """Whether a row's only text is a footnote ('Kilde: Danmarks Statistik', '* foreløbige tal')."""
    s = text.strip()
    return s.startswith(("*", "©", "(*)")) or bool(_FOOTNOTE.match(normalize(s)))
