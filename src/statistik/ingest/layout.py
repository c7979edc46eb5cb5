"""Which layout a file has and what each column holds, judged from its header and first rows."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from statistik import periods
from statistik.ingest.problems import Problem, Rejected
from statistik.vocabulary import Lexicon, is_summary, normalize

LONG, WIDE, REPORTS, POPULATION = "lang", "bred", "anmeldelser", "folketal"
LAYOUT_NAMES = {
    LONG: "lang tabel (en række pr. periode, område og kategori)",
    WIDE: "bred tabel (perioder som kolonner)",
    REPORTS: "én række pr. anmeldelse (tælles ved import)",
    POPULATION: "folketal",
}

# Header synonyms, normalized (see vocabulary.normalize).
PERIOD_HEADERS = {
    "periode", "måned", "maaned", "md", "mdr", "mnd", "måned år", "tid", "kvartal", "år", "aar",
    "month", "period", "quarter", "year", "opgørelsesperiode",
}
DATE_HEADERS = {
    "dato", "anmeldt", "anmeldelsesdato", "anmeldt dato", "anmeldt den", "gerningsdato",
    "gerningstidspunkt", "gerningsdag", "registreringsdato", "registreret", "oprettet",
    "tidspunkt", "date", "anmeldelsestidspunkt",
}
AREA_HEADERS = {
    "kommune", "gerningskommune", "område", "omraade", "områdekode", "kommunenavn",
    "kommunekode", "kommune kode", "kommune navn", "geografi", "municipality", "area",
}
CATEGORY_HEADERS = {
    "kategori", "overtrædelse", "overtraedelse", "overtræd", "overtrædelsens art",
    "overtrædelsesart", "art", "type", "kriminalitetstype", "forbrydelse", "category",
    "offence", "sagstype", "gerningstype",
}
COUNT_HEADERS = {
    "antal", "anmeldelser", "antal anmeldelser", "indhold", "værdi", "vaerdi", "value", "count",
    "antal sager", "sager", "antal forhold", "forhold", "n",
}
POPULATION_HEADERS = {"folketal", "befolkning", "indbyggere", "antal indbyggere", "population"}

PERIOD, DATE, AREA, CATEGORY, COUNT, POP = "periode", "dato", "kommune", "kategori", "antal", "folketal"
_ROLE_HEADERS = [
    (PERIOD, PERIOD_HEADERS), (DATE, DATE_HEADERS), (AREA, AREA_HEADERS),
    (CATEGORY, CATEGORY_HEADERS), (COUNT, COUNT_HEADERS), (POP, POPULATION_HEADERS),
]
STATBANK_BULK_HEADER = ["OMRÅDE", "OVERTRÆD", "TID", "INDHOLD"]
STATBANK_POPULATION_HEADER = ["OMRÅDE", "TID", "INDHOLD"]


@dataclass
class Layout:
    """How to read a file: where the header is and which column holds what."""

    kind: str
    header_line: int                      # physical line of the header
    header: list[str]
    roles: dict[str, int]                 # role → column index
    period_columns: dict[int, periods.Period] = field(default_factory=dict)  # wide layouts
    skipped_columns: list[str] = field(default_factory=list)
    statbank: bool = False                # a Statistikbanken download (BULK or matrix)

    @property
    def width(self) -> int:
        """Number of columns in the header."""
        return len(self.header)

    def column_name(self, index: int) -> str:
        """Header text of a column, as the user sees it."""
        name = self.header[index] if index < len(self.header) else ""
        return name or f"{index + 1}. kolonne"

    def role_name(self, role: str) -> str:
        """Header text of the column holding `role`."""
        return self.column_name(self.roles[role])


def _role_of(header_cell: str) -> str | None:
    key = normalize(header_cell)
    if not key:
        return None
    for role, synonyms in _ROLE_HEADERS:
        if key in synonyms:
            return role
    first = key.split(" ")[0]
    for role, synonyms in _ROLE_HEADERS:
        if first in synonyms and first not in {"n", "art", "type", "tid"}:
            return role
    return None


def _find_header(records: list[tuple[int, list[str]]]) -> int:
    """Index in `records` of the header: the first row that names roles or periods."""
    for i, (_, fields) in enumerate(records[:50]):
        named = sum(1 for f in fields if _role_of(f))
        dated = sum(1 for f in fields if f and periods.looks_like_period(f))
        if named >= 2 or dated >= 2 or (named >= 1 and dated >= 1):
            return i
    widths = Counter(len(f) for _, f in records if sum(1 for x in f if x) >= 2)
    if not widths:
        return 0
    modal = widths.most_common(1)[0][0]
    return next(i for i, (_, f) in enumerate(records) if len(f) == modal)


def _values(records, header_index: int, column: int, limit: int = 200) -> list[str]:
    out = []
    for _, fields in records[header_index + 1: header_index + 1 + limit]:
        if column < len(fields) and fields[column]:
            out.append(fields[column])
    return out


def _share(values: list[str], test) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def detect_layout(records: list[tuple[int, list[str]]], areas: Lexicon) -> Layout:
    """Work out the layout from the sampled records, or raise Rejected saying what is missing."""
    if not records:
        raise Rejected([Problem("filen indeholder ingen rækker")])
    h = _find_header(records)
    header_line, header = records[h][0], list(records[h][1])
    while header and not header[-1]:
        header.pop()
    roles: dict[str, int] = {}
    period_columns: dict[int, periods.Period] = {}
    skipped: list[str] = []
    unnamed: list[int] = []
    for i, cell in enumerate(header):
        role = _role_of(cell)
        period = periods.parse_period(cell) if cell and not role else None
        if role and role not in roles:
            roles[role] = i
        elif period:
            period_columns[i] = period
        elif not cell:
            unnamed.append(i)
        else:
            skipped.append(cell)
    statbank = [c.upper() for c in header] in (STATBANK_BULK_HEADER, STATBANK_POPULATION_HEADER)

    if len(period_columns) >= 1 and (not roles.keys() & {PERIOD, DATE, COUNT}):
        # Periods across the top. Unnamed leading columns (the Statistikbanken matrix) are
        # recognised by their values: the one that holds areas, then the one left.
        leading = [i for i in unnamed if i < min(period_columns)]

        if AREA not in roles and leading:
            shares = {i: _share(_values(records, h, i), lambda v: areas.resolve(v) or is_summary(v))
                      for i in leading}
            best = max(leading, key=shares.get)
            if shares[best] >= 0.5:
                roles[AREA] = best
        rest = [i for i in leading if i not in roles.values()]
        if CATEGORY not in roles and rest:
            roles[CATEGORY] = rest[0]
        _require(roles, [AREA, CATEGORY], header_line, "bred tabel")
        return Layout(WIDE, header_line, header, roles, period_columns, skipped,
                      statbank=h > 0 and bool(unnamed))

    skipped += [header[i] for i in period_columns]
    if DATE in roles or (PERIOD in roles and COUNT not in roles and POP not in roles
                         and _share(_values(records, h, roles[PERIOD]), periods.parse_date) > 0.8):
        if DATE not in roles:
            roles[DATE] = roles.pop(PERIOD)
        _require(roles, [AREA, CATEGORY], header_line, "anmeldelser")
        return Layout(REPORTS, header_line, header, roles, skipped_columns=skipped)

    if POP in roles or (statbank and CATEGORY not in roles):
        roles.setdefault(POP, roles.pop(COUNT, -1))
        _require(roles, [PERIOD, AREA, POP], header_line, "folketal")
        return Layout(POPULATION, header_line, header, roles, skipped_columns=skipped,
                      statbank=statbank)

    _require(roles, [PERIOD, AREA, CATEGORY, COUNT], header_line, "lang tabel")
    return Layout(LONG, header_line, header, roles, skipped_columns=skipped, statbank=statbank)


_ROLE_HELP = {
    PERIOD: "en kolonne med periode (fx 'periode' eller 'måned')",
    AREA: "en kolonne med kommune (fx 'kommune' eller 'gerningskommune')",
    CATEGORY: "en kolonne med kategori (fx 'kategori' eller 'overtrædelse')",
    COUNT: "en kolonne med antal (fx 'antal' eller 'anmeldelser')",
    POP: "en kolonne med folketal",
}


def _require(roles: dict[str, int], needed: list[str], header_line: int, what: str) -> None:
    missing = [r for r in needed if roles.get(r, -1) < 0]
    if missing:
        raise Rejected([
            Problem(f"filen ligner en {what}, men mangler {_ROLE_HELP[r]}", line=header_line)
            for r in missing
        ])
