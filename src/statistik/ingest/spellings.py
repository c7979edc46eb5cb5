"""What each distinct spelling of a file means: the maps validation joins back onto the rows.

A file of millions of rows has few distinct spellings of its periods, areas, categories and counts.
Each is resolved once in Python (periods.parse_period, the lexicons, values.parse_count) into a
small temp table (`period_map`, `area_map`, `category_map`, `value_map`, `footnotes`) that DuckDB
joins onto the rows; every map numbers its spellings (`id`), which is what the classified rows keep.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import duckdb

from statistik import periods
from statistik.ingest import layout as lay
from statistik.ingest.problems import quote
from statistik.ingest.staging import PLAIN, TRIM
from statistik.ingest.values import OK, is_footnote, parse_count
from statistik.vocabulary import Lexicon, is_summary, normalize, slug, unsafe_text

EARLIEST_YEAR = 1990  # a period before this is a date Excel made up (1900-01-00), not data
_MONTH_KEY = re.compile(r"^\d{4}-\d{2}$")


@dataclass
class Maps:
    """What each distinct spelling means; registered as temp tables for the joins."""

    suggestions: dict[str, dict[str, str | None]]
    new_categories: dict[str, tuple[str, str]]      # code → (name, raw spelling)
    cells: int = 0                                  # periods × areas × categories: the range of cell_key // 32
    joins: set[str] = field(default_factory=set)    # maps that have rows: 'value', 'footnotes'


def _register(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], rows: list[tuple]) -> None:
    """A temp table from Python rows (column name → SQL type), in one statement."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns.items())})")
    if rows:
        lists = {f"c{i}": [row[i] for row in rows] for i in range(len(columns))}
        unnests = ", ".join(f"unnest($c{i})::{t}" for i, t in enumerate(columns.values()))
        con.execute(f"INSERT INTO {name} SELECT {unnests}", lists)


def _distinct(con: duckdb.DuckDBPyConnection, *columns: str, where: str = "true") -> list[str]:
    parts = " UNION ".join(f"SELECT {c} AS v FROM staged WHERE {c} IS NOT NULL AND {where}" for c in columns)
    return [r[0] for r in con.execute(parts).fetchall()]


def _period(layout: lay.Layout, raw: str, today: dt.date) -> tuple:
    """(kind, start, day, status) of one spelling of a period or date."""
    day = None
    raw = raw.strip(TRIM)
    if not raw:
        return None, None, None, "missing"
    if layout.kind == lay.REPORTS and _MONTH_KEY.match(raw):
        period = periods.parse_period(raw)  # counted per month by staging; days checked there
    elif layout.kind == lay.REPORTS:
        day = periods.parse_date(raw)
        period = periods.Period(periods.MONTH, day.replace(day=1)) if day else None
    else:
        period = periods.parse_period(raw)
        day = periods.parse_date(raw) if period and period.kind == periods.MONTH else None
    if period is None:
        return None, None, None, "summary" if is_summary(raw) else "unknown"
    if period.start.year < EARLIEST_YEAR:
        return period.kind, period.start, day, "early"
    if layout.kind == lay.POPULATION:
        if not (period.kind == periods.YEAR or (period.kind == periods.QUARTER and period.start.month == 1)):
            return None, None, None, "not_january"
        period = periods.Period(periods.YEAR, period.start)
    if (day or period.start) > today:
        return period.kind, period.start, day, "future"
    return period.kind, period.start, day, "ongoing" if period.end > today else "ok"


def _label(lexicon: Lexicon, raw: str, new_allowed: bool, new: dict) -> tuple:
    """(code, status, detail) of one spelling of an area or category."""
    raw = raw.strip(TRIM)
    if not raw:
        return None, "missing", None
    unsafe = unsafe_text(raw)
    if unsafe:
        return None, "unsafe", unsafe
    code, conflict = lexicon.resolve_checked(raw)
    if conflict:
        return None, "conflict", conflict
    if code:
        return code, "ok", None
    if is_summary(raw):
        return None, "summary", None
    if new_allowed:
        code = normalize(raw).split(" ")[0].upper() if raw[:1].isdigit() else slug(raw)
        name = raw.split(" ", 1)[1] if raw[:1].isdigit() and " " in raw else raw
        new.setdefault(code, (name, raw))
        return code, "new", None
    suggestion = lexicon.suggest(raw)
    mojibake = _mojibake(raw)
    if mojibake and lexicon.resolve(mojibake):
        return None, "unknown", (f"{quote(raw)} ligner {quote(mojibake)} gemt som UTF-8 i en fil, der ellers er "
                                 "Windows-1252; gem filen igen med ét tegnsæt")
    return None, "unknown", f"mente du {suggestion}?" if suggestion else None


def _mojibake(raw: str) -> str | None:
    try:
        fixed = raw.encode("cp1252").decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return None
    return fixed if fixed != raw else None


# The statuses of a spelling that a used row can have (see validation.problem_predicates).
GOOD_PERIOD, GOOD_AREA, GOOD_CATEGORY = {"ok", "ongoing"}, {"ok"}, {"ok", "new"}
# Every map says of a spelling whether it is a header text of the file (a repeated header row),
# `blank` (white space only: no text) and a `footnote` ('Kilde: …').
# `part` is each map's part of cell_key, one integer per cell and day: period × areas × categories × 32
# + area × categories × 32 + category × 32 + day of month, cheap to compare and count; `after` is the first
# day after a period.
_PERIOD_MAP = {"raw": "VARCHAR", "kind": "VARCHAR", "start": "DATE", "day": "DATE", "status": "VARCHAR",
               "idx": "BIGINT", "header": "BOOLEAN", "blank": "BOOLEAN", "footnote": "BOOLEAN", "good": "BOOLEAN",
               "after": "DATE",
               "part": "BIGINT", "id": "INTEGER"}
_LABEL_MAP = {"raw": "VARCHAR", "code": "VARCHAR", "status": "VARCHAR", "detail": "VARCHAR", "idx": "BIGINT",
              "header": "BOOLEAN", "blank": "BOOLEAN", "footnote": "BOOLEAN", "good": "BOOLEAN", "part": "BIGINT",
              "id": "INTEGER"}
def _period_end(kind: str | None, start: dt.date | None) -> dt.date | None:
    """The first day after a period."""
    return periods.shift(periods.Period(kind, start), 1).start if kind else None


def _with_period_index(rows: list[tuple]) -> list[tuple]:
    """Period map rows with a number per period, the same for every spelling of it (0, 1, …)."""
    index = {key: i for i, key in enumerate(sorted({(r[1], r[2]) for r in rows if r[1]}))}
    return [(*r, index.get((r[1], r[2]))) for r in rows]


def _with_code_index(rows: list[tuple]) -> list[tuple]:
    """Label map rows with a number per code (for one integer key per cell, cheap to compare)."""
    index = {code: i for i, code in enumerate(sorted({r[1] for r in rows if r[1]}))}
    return [(*r, index.get(r[1])) for r in rows]


_VALUE_MAP = {"raw": "VARCHAR", "value": "BIGINT", "status": "VARCHAR", "detail": "VARCHAR", "header": "BOOLEAN",
              "blank": "BOOLEAN", "footnote": "BOOLEAN", "good": "BOOLEAN"}


def build_maps(con, layout: lay.Layout, areas: Lexicon, categories: Lexicon, today: dt.date,
               spellings: dict[str, list[str]] | None = None) -> Maps:
    """period_map, area_map, category_map, value_map and footnotes from the staged spellings.

    `spellings` are the distinct texts of the staged columns when staging has read them already
    (a staged view); otherwise they are read from `staged`.
    """
    def distinct(*columns: str, where: str = "true") -> list[str]:
        if spellings is None:
            return _distinct(con, *columns, where=where)
        return list(dict.fromkeys(v for c in columns for v in spellings[c]))

    headers = {h.replace("\ufeff", "").strip(TRIM).lower() for h in layout.header if h}
    if layout.period_parts:  # a repeated header reads as the two header texts joined, like a period
        year, part, _ = layout.period_parts
        headers.add(f"{layout.header[part]} {layout.header[year]}".lower())

    def header(rows: list[tuple], status_at: int, usable: set[str]) -> list[tuple]:
        """With what every map says of a spelling as text: a header text, blank, a footnote, and
        `good`: usable as it is, so a row of good spellings is used without further checks."""
        out = []
        for r in rows:
            text = r[0].replace("\ufeff", "").strip(TRIM)
            heading = text.lower() in headers
            out.append((*r, heading, not text, bool(text) and is_footnote(text),
                        r[status_at] in usable and bool(text) and not heading))
        return out

    period_rows = _with_period_index([(raw, *_period(layout, raw, today)) for raw in distinct("period_raw", "time2_raw")])
    area_rows = _with_code_index([(raw, *_label(areas, raw, False, {})) for raw in distinct("area_raw", "area2_raw")])
    new: dict[str, tuple[str, str]] = {}
    register_new = layout.statbank and layout.kind != lay.POPULATION
    category_rows = _with_code_index([(raw, *_label(categories, raw, register_new, new))
                                      for raw in distinct("category_raw", "category2_raw")])
    sizes = [1 + max((r[at] for r in rows if r[at] is not None), default=0)
             for rows, at in ((period_rows, 5), (area_rows, 4), (category_rows, 4))]
    step = {"period": sizes[1] * sizes[2] * 32, "area": sizes[2] * 32, "category": 32}
    # `id` numbers the spellings: the classified rows keep it, not the texts (see classify).
    _register(con, "period_map", _PERIOD_MAP,
              [(*r, _period_end(r[1], r[2]), None if r[5] is None else r[5] * step["period"] + (r[3].day if r[3] else 0),
                i) for i, r in enumerate(header(period_rows, 4, GOOD_PERIOD))])
    _register(con, "area_map", _LABEL_MAP, [(*r, None if r[4] is None else r[4] * step["area"], i)
                                            for i, r in enumerate(header(area_rows, 2, GOOD_AREA))])
    _register(con, "category_map", _LABEL_MAP,
              [(*r, None if r[4] is None else r[4] * step["category"], i) for i, r in enumerate(header(category_rows, 2, GOOD_CATEGORY))])
    values = distinct("value_raw", where=f"NOT {PLAIN.format(v='value_raw')}")
    if layout.kind == lay.WIDE:
        values += [v for v in _wide_totals(con, layout) if v not in values]
    value_rows = []
    for raw in values:
        count = parse_count(raw.strip(TRIM), layout.statbank)
        value_rows.append((raw, count.value, count.status, count.reason))
    _register(con, "value_map", _VALUE_MAP, header(value_rows, 2, {OK}))
    footnotes = [(t, ) for t in distinct("only_text") if is_footnote(t.strip(TRIM))]
    _register(con, "footnotes", {"raw": "VARCHAR"}, footnotes)
    return Maps(
        suggestions={"area_raw": {r[0]: r[3] for r in area_rows}, "category_raw": {r[0]: r[3] for r in category_rows}},
        new_categories=new,
        cells=sizes[0] * sizes[1] * sizes[2],
        joins={name for name, rows in (("value", value_rows), ("footnotes", footnotes)) if rows},
    )


def _wide_totals(con, layout: lay.Layout) -> list[str]:
    out: list[str] = []
    for i in layout.total_columns:
        out += [r[0] for r in con.execute(
            f"SELECT DISTINCT v{i} FROM wide_rows WHERE v{i} IS NOT NULL AND NOT {PLAIN.format(v=f'v{i}')}"
        ).fetchall()]
    return out
