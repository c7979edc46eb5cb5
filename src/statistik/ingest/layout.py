"""Which layout a file has and what each column holds, judged from its header and first rows."""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field

from statistik import periods
from statistik.ingest.problems import Problem, Rejected
from statistik.ingest.values import is_note_column
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
    "kommunekode", "kommune kode", "kommune navn", "kommunenr", "kommune nr", "kommunenummer", "geografi",
    "municipality", "area", "gerningssted", "gerningsstedets kommune", "gerningsstedskommune",
}
CATEGORY_HEADERS = {
    "kategori", "overtrædelse", "overtraedelse", "overtræd", "overtrædelsens art",
    "overtrædelsesart", "art", "type", "kriminalitetstype", "forbrydelse", "category",
    "offence", "sagstype", "gerningstype", "overtrædelsestype", "lovovertrædelse", "forbrydelsestype",
    "kriminalitetsform", "sagskategori", "anmeldelsestype",
}
COUNT_HEADERS = {
    "antal", "anmeldelser", "antal anmeldelser", "indhold", "værdi", "vaerdi", "value", "count",
    "antal sager", "sager", "antal forhold", "forhold", "n",
}
POPULATION_HEADERS = {"folketal", "befolkning", "indbyggere", "antal indbyggere", "population"}
# A period written in two columns (Excel pivot tables): the year in one, the month or quarter in the other.
YEAR_HEADERS = {"år", "aar", "year", "årstal"}
PART_HEADERS = {"måned": "M", "maaned": "M", "md": "M", "mdr": "M", "mnd": "M", "month": "M",
                "kvartal": "Q", "kvt": "Q", "quarter": "Q"}

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
    # A second column with the same role (kommunekode beside kommune): it must agree row by row.
    second: dict[str, int] = field(default_factory=dict)
    dated: bool = False                   # a long table whose periods are days (summed into months)
    total_columns: list[int] = field(default_factory=list)   # wide 'I alt' columns, checked
    # Columns that must be empty for the file to be read: a header that is no period in a
    # wide table, or a period header in a long one (its numbers would otherwise be lost).
    checked_columns: list[int] = field(default_factory=list)
    headerless: bool = False              # a BULK file without its header row (`header` is DST's)
    # The period in two columns: (year column, month or quarter column, 'M' or 'Q'); roles[PERIOD] is the year.
    period_parts: tuple[int, int, str] | None = None

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


def _period_parts(header: list[str], roles: dict[str, int], second: dict[str, int]) -> tuple[int, int, str] | None:
    """A year column and a month (or quarter) column that together are the period, made one role."""
    if PERIOD not in roles or PERIOD not in second:
        return None
    a, b = roles[PERIOD], second[PERIOD]
    names = {a: normalize(header[a]), b: normalize(header[b])}
    for year, part in ((a, b), (b, a)):
        if names[year] in YEAR_HEADERS and names[part] in PART_HEADERS:
            roles[PERIOD] = year
            del second[PERIOD]
            return year, part, PART_HEADERS[names[part]]
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


_BULK_VALUE = re.compile(r"\d+|\.\.|-")


def _headerless_bulk(records: list[tuple[int, list[str]]], areas: Lexicon) -> Layout | None:
    """A Statistikbanken BULK file saved without its header row (`101;1320;2025K1;201`), judged by
    its values in DST's column order: area, offence (not in FOLK1A), period, value."""
    first = [f for f in records[0][1] if f]
    if len(first) not in (3, 4) or any(_role_of(f) for f in first):
        return None
    width = len(first)
    rows = [fields for _, fields in records[:200] if any(fields)]
    column = lambda i: [fields[i] if i < len(fields) else "" for fields in rows]  # noqa: E731
    period, value = width - 2, width - 1
    if (_share(column(0), areas.resolve) < 0.9 or _share(column(period), periods.parse_period) < 0.9
            or _share(column(value), _BULK_VALUE.fullmatch) < 0.9):
        return None
    header = STATBANK_BULK_HEADER if width == 4 else STATBANK_POPULATION_HEADER
    roles = {AREA: 0, PERIOD: period, COUNT if width == 4 else POP: value}
    if width == 4:
        roles[CATEGORY] = 1
    return Layout(LONG if width == 4 else POPULATION, records[0][0] - 1, list(header), roles, statbank=True,
                  headerless=True)


def detect_layout(records: list[tuple[int, list[str]]], areas: Lexicon) -> Layout:
    """Work out the layout from the sampled records, or raise Rejected saying what is missing."""
    if not records:
        raise Rejected([Problem("filen indeholder ingen rækker")])
    bulk = _headerless_bulk(records, areas)
    if bulk:
        return bulk
    h = _find_header(records)
    header_line, header = records[h][0], list(records[h][1])
    while header and not header[-1]:
        header.pop()
    roles: dict[str, int] = {}
    second: dict[str, int] = {}
    period_columns: dict[int, periods.Period] = {}
    skipped: list[int] = []
    unnamed: list[int] = []
    problems: list[Problem] = []
    for i, cell in enumerate(header):
        role = _role_of(cell)
        period = periods.parse_period(cell) if cell and not role else None
        if role and role not in roles:
            roles[role] = i
        elif role and role not in second and role in (AREA, CATEGORY, PERIOD, DATE):
            second[role] = i
        elif role:
            problems.append(Problem(
                f"{'tre' if role in second else 'to'} kolonner med {role}: "
                + ", ".join(repr(header[j]) for j in (roles[role], second.get(role), i) if j is not None),
                line=header_line, column=cell,
                fix="behold én af dem, så det er klart, hvilken der gælder"))
        elif period:
            period_columns[i] = period
        elif not cell:
            unnamed.append(i)
        else:
            skipped.append(i)
    if problems:
        raise Rejected(problems)
    parts = _period_parts(header, roles, second)
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
        # Only columns known to hold no figures are skipped; any other header that is not a
        # period must be empty, or its numbers would be lost without a word.
        totals = [i for i in skipped if is_summary(header[i])]
        checked = [i for i in skipped if i not in totals and not is_note_column(header[i])]
        return Layout(WIDE, header_line, header, roles, period_columns,
                      [header[i] for i in skipped if i not in checked], statbank=h > 0 and bool(unnamed),
                      second=second, total_columns=totals, checked_columns=checked)

    checked = list(period_columns)  # a period across the top of a long table: must be empty
    unused = [header[i] for i in skipped + checked]
    if DATE in roles and PERIOD in roles:
        time_role = PERIOD if COUNT in roles or POP in roles else DATE
        other = DATE if time_role == PERIOD else PERIOD
        if other in second or time_role in second:
            raise Rejected([Problem("filen har for mange kolonner med periode og dato", line=header_line,
                                    fix="behold én kolonne med periode eller dato")])
        second[other] = roles.pop(other)
    if DATE in roles and (COUNT in roles or POP in roles):
        # Counts by day ('dato;kommune;kategori;antal'): a long table; days add up to months.
        roles[PERIOD] = roles.pop(DATE)
        if DATE in second:
            second[PERIOD] = second.pop(DATE)
        dated = True
    else:
        dated = False
    if DATE in roles or (PERIOD in roles and COUNT not in roles and POP not in roles
                         and _share(_values(records, h, roles[PERIOD]), periods.parse_date) > 0.8):
        if DATE not in roles:
            roles[DATE] = roles.pop(PERIOD)
            if PERIOD in second:
                second[DATE] = second.pop(PERIOD)
        _require(roles, [AREA, CATEGORY], header_line, "anmeldelser")
        return Layout(REPORTS, header_line, header, roles, skipped_columns=unused, second=second,
                      checked_columns=checked)

    if POP in roles or (statbank and CATEGORY not in roles):
        roles.setdefault(POP, roles.pop(COUNT, -1))
        _require(roles, [PERIOD, AREA, POP], header_line, "folketal")
        return Layout(POPULATION, header_line, header, roles, skipped_columns=unused,
                      statbank=statbank, second=second, checked_columns=checked, dated=dated)

    _require(roles, [PERIOD, AREA, CATEGORY, COUNT], header_line, "lang tabel")
    if parts:
        return Layout(LONG, header_line, header, roles, skipped_columns=unused, statbank=statbank,
                      second=second, checked_columns=checked, period_parts=parts)
    if not dated and roles.get(PERIOD, -1) >= 0:
        values = _values(records, h, roles[PERIOD])
        dated = bool(values) and _share(values, periods.parse_date) > 0.5
    return Layout(LONG, header_line, header, roles, skipped_columns=unused, statbank=statbank,
                  second=second, dated=dated, checked_columns=checked)


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
