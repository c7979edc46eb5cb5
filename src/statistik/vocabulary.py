"""Recognising areas and categories however an analyst spells them, and suggesting fixes."""

from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass, field

# Spellings that no rule derives from the official names.
AREA_ALIASES = {
    "kbh": "101",
    "kbh k": "101",
    "kk": "101",
    "cph": "101",
    "copenhagen": "101",
    "frb": "147",
    "frederiksberg c": "147",
    "hele danmark": "000",
    "danmark": "000",
    "landet": "000",
    "landet i alt": "000",
    "uoplyst": "998",
    "ukendt kommune": "998",
}
CATEGORY_ALIASES = {
    "lommetyveri": "lomme-og-tricktyveri",
    "tricktyveri": "lomme-og-tricktyveri",
    "lomme tricktyveri": "lomme-og-tricktyveri",
    "kontaktbedragerier": "kontaktbedrageri",
    "opioid": "opioider",
    "indbrud i beboelse": "1320",
    "boligindbrud": "1320",
    "vold": "12",
    "voldsforbrydelser": "12",
}

# Row or column labels that mark a summary rather than data.
SUMMARY_LABELS = {
    "i alt", "ialt", "total", "totalt", "total i alt", "sum", "summa", "samlet", "samlet antal",
    "alle", "alle kommuner", "alle kategorier", "hovedtotal", "grand total", "subtotal",
    "kredsen", "kredsen i alt", "hele kredsen", "politikredsen", "i alt kredsen",
    "københavns politikreds", "københavns politi", "kreds i alt",
}

_CODE_AND_TEXT = re.compile(r"^(?P<code>\d{1,4}|tot)\s+(?P<text>\D.*)$")
_TEXT_AND_CODE = re.compile(r"^(?P<text>\D.*?)\s*\((?P<code>\d{1,4})\)$")  # 'Københavns Kommune (101)'


def normalize(text: str) -> str:
    """Lower case, punctuation to spaces, white space folded: 'Lomme- og tricktyveri' → 'lomme og tricktyveri'."""
    s = unicodedata.normalize("NFC", str(text)).lower().replace("\u00a0", " ")
    s = re.sub(r"[^\wæøå]+", " ", s)
    return re.sub(r"\s+", " ", s).strip()


def fold(text: str) -> str:
    """ASCII fold of a normalized name: 'tårnby' → 'taarnby'."""
    return text.replace("æ", "ae").replace("ø", "oe").replace("å", "aa")


def slug(name: str) -> str:
    """A code for a category that has no official one: 'Lomme- og tricktyveri' → 'lomme-og-tricktyveri'."""
    return fold(normalize(name)).replace(" ", "-")


def is_summary(text: str) -> bool:
    """Whether a label is one of the known summary labels ('I alt', 'Total', 'Hele kredsen').

    Only the known labels themselves: '@SUM(1+1)' or 'Total 2025 (foreløbig)' is not a total.
    """
    return unsafe_text(text) is None and normalize(text) in SUMMARY_LABELS


# Names that a spreadsheet would run as a formula, or that Markdown/HTML would render.
# Also the full-width forms and, after spaces, the same: spreadsheets have read all of these as formulas.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\n", "\0", "\uff1d", "\uff0b", "\uff0d", "\uff20")
_MARKUP = re.compile(
    r"<\s*[a-zA-Z/!?]|&(?:[a-zA-Z]+|#\d+|#x[0-9a-fA-F]+);|\[[^\]]*\]\([^)]*\)|\*\*|__|`|^\s*#|^\s*>|javascript:",
    re.IGNORECASE,
)


def unsafe_text(text: str) -> str | None:
    """Why a name may not be stored or shown as a name (formula-like or markup), or None."""
    s = str(text)
    if why := formula_like(s):
        return why
    if _MARKUP.search(s):
        return f"{s[:40]!r} indeholder HTML eller Markdown"
    return hidden_characters(s)


def formula_like(text: str) -> str | None:
    """Why a text would be run as a formula by a spreadsheet (it starts like one), or None."""
    s = str(text)
    if s.lstrip(" ").startswith(FORMULA_STARTS):
        return f"{s[:40]!r} begynder med {s.lstrip(' ')[:1]!r} og ville blive læst som en formel i Excel"
    return None


_HIDDEN = ("Cc", "Cf", "Co", "Cs")


def visible(text: str) -> str:
    """The text without the characters `hidden_characters` refuses (for a file's name, which is kept)."""
    return "".join(ch for ch in str(text) if unicodedata.category(ch) not in _HIDDEN)


def hidden_characters(text: str) -> str | None:
    """Why a text may not be stored because of characters nobody sees (control characters, direction
    marks, zero-width characters), or None. For every name and text from files and users."""
    s = str(text)
    if any(ord(ch) < 32 for ch in s):
        return f"{s[:40]!r} indeholder kontroltegn"
    if any(unicodedata.category(ch) in _HIDDEN for ch in s):
        # Right-to-left overrides, zero-width and other invisible characters change how a name
        # reads on screen without being seen; control characters break Word files and image export.
        return f"{s[:40]!r} indeholder usynlige styretegn (fx retningstegn eller tegn uden bredde)"
    return None


@dataclass
class Lexicon:
    """Known codes and names of one kind (areas or categories), with every accepted spelling."""

    names: dict[str, str]                   # code → display name
    aliases: dict[str, str] = field(default_factory=dict)
    strip_words: tuple[str, ...] = ()       # words that may follow or precede a name ('kommune')
    _index: dict[str, str] = field(init=False, default_factory=dict)
    _folded_names: dict[str, str] = field(init=False, default_factory=dict)  # for suggestions

    def __post_init__(self) -> None:
        self._folded_names = {fold(normalize(name)): name for name in self.names.values()}
        for code, name in self.names.items():
            for key in (code, code.lstrip("0") or "0", code.zfill(4), name):
                self._add(normalize(key), code)
        for alias, code in self.aliases.items():
            if code in self.names:
                self._add(normalize(alias), code)

    def _add(self, key: str, code: str) -> None:
        self._index.setdefault(key, code)
        self._index.setdefault(fold(key), code)

    def _lookup(self, key: str) -> str | None:
        return self._index.get(key) or self._index.get(fold(key))

    def resolve(self, text: str) -> str | None:
        """The code for a spelling, or None when it is not known (or code and name disagree)."""
        code, conflict = self.resolve_checked(text)
        return None if conflict else code

    def resolve_checked(self, text: str) -> tuple[str | None, str | None]:
        """(code, None) for a known spelling; (None, why) when a 'code name' pair disagrees.

        '147 Frederiksberg' and 'Frederiksberg (147)' are 147; '147 København' names two areas and
        is refused, as is '101 Københaven' (a code with a name we do not know).
        """
        key = normalize(text)
        suffix = _TEXT_AND_CODE.match(str(text).strip())
        m = _CODE_AND_TEXT.match(key) or suffix
        if m and self._lookup(normalize(m["code"])) and key not in self._index:
            code = self._lookup(normalize(m["code"]))
            named = self._resolve_key(normalize(m["text"]))
            if named != code:
                written = m["text"].strip() if suffix and m is suffix else str(text).strip().split(None, 1)[-1]
                what = f"navnet er {self.names[named]}" if named else f"{written!r} er ikke et navn, vi kender"
                return None, f"koden {m['code'].upper()} er {self.names[code]}, men {what}"
            return code, None
        return self._resolve_key(key), None

    def _resolve_key(self, key: str) -> str | None:
        candidates = [key]
        for word in self.strip_words:
            stripped = re.sub(rf"(^{word}s? | {word}s?$)", "", key).strip()
            if stripped != key:
                candidates.append(stripped)
        for c in list(candidates):
            if c.endswith("s"):
                candidates.append(c[:-1])  # genitive: 'Københavns Kommune'
        for c in candidates:
            code = self._lookup(c)
            if code:
                return code
        return None

    def suggest(self, text: str) -> str | None:
        """The display name closest to an unknown spelling, if any is close."""
        close = difflib.get_close_matches(fold(normalize(text)), list(self._folded_names), n=1, cutoff=0.75)
        return self._folded_names[close[0]] if close else None


def area_lexicon(areas: dict[str, str]) -> Lexicon:
    """Lexicon of areas (code → name)."""
    return Lexicon(areas, AREA_ALIASES, strip_words=("kommune",))


def category_lexicon(categories: dict[str, str]) -> Lexicon:
    """Lexicon of categories (code → name)."""
    return Lexicon(categories, CATEGORY_ALIASES)
