"""Turning raw values into codes and counts, and giving every file row exactly one status.

Values are resolved once per distinct spelling in Python (few), and joined back in DuckDB
(many). `classified_sql` gives each staged row its status: used, skipped for a listed reason
(`skip_*`), or a problem; the temp table `resolved` keeps it, and `cells` is built from the
used rows only. See accounting.py for the check that nothing falls between these.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

import duckdb

from statistik import periods
from statistik.ingest import layout as lay
from statistik.ingest.problems import quote
from statistik.ingest.staging import TRIM
from statistik.ingest.values import MISSING, OK, PROBLEM, is_footnote, parse_count
from statistik.vocabulary import Lexicon, is_summary, normalize, slug, unsafe_text

EARLIEST_YEAR = 1990  # a period before this is a date Excel made up (1900-01-00), not data
_MONTH_KEY = re.compile(r"^\d{4}-\d{2}$")
PLAIN = "regexp_full_match({v}, '[0-9]{{1,15}}')"


@dataclass
class Maps:
    """What each distinct spelling means; registered as temp tables for the joins."""

    suggestions: dict[str, dict[str, str | None]]
    new_categories: dict[str, tuple[str, str]]      # code → (name, raw spelling)


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


_PERIOD_MAP = {"raw": "VARCHAR", "kind": "VARCHAR", "start": "DATE", "day": "DATE", "status": "VARCHAR",
               "idx": "BIGINT"}
_LABEL_MAP = {"raw": "VARCHAR", "code": "VARCHAR", "status": "VARCHAR", "detail": "VARCHAR", "idx": "BIGINT"}
_KIND_INDEX = {periods.MONTH: 0, periods.QUARTER: 1, periods.YEAR: 2}


def _with_period_index(row: tuple) -> tuple:
    """A period map row with a number that is the same for every spelling of one period."""
    _, kind, start, _, _ = row
    return (*row, _KIND_INDEX[kind] * 100_000 + start.year * 12 + start.month if kind else None)


def _with_code_index(rows: list[tuple]) -> list[tuple]:
    """Label map rows with a number per code (for one integer key per cell, cheap to compare)."""
    index = {code: i for i, code in enumerate(sorted({r[1] for r in rows if r[1]}))}
    return [(*r, index.get(r[1])) for r in rows]
_VALUE_MAP = {"raw": "VARCHAR", "value": "BIGINT", "status": "VARCHAR", "detail": "VARCHAR"}


def build_maps(con, layout: lay.Layout, areas: Lexicon, categories: Lexicon, today: dt.date) -> Maps:
    """period_map, area_map, category_map, value_map and footnotes from the staged spellings."""
    _register(con, "period_map", _PERIOD_MAP,
              [_with_period_index((raw, *_period(layout, raw, today)))
               for raw in _distinct(con, "period_raw", "time2_raw")])
    area_rows = [(raw, *_label(areas, raw, False, {})) for raw in _distinct(con, "area_raw", "area2_raw")]
    new: dict[str, tuple[str, str]] = {}
    register_new = layout.statbank and layout.kind != lay.POPULATION
    category_rows = [(raw, *_label(categories, raw, register_new, new))
                     for raw in _distinct(con, "category_raw", "category2_raw")]
    _register(con, "area_map", _LABEL_MAP, _with_code_index(area_rows))
    _register(con, "category_map", _LABEL_MAP, _with_code_index(category_rows))
    values = _distinct(con, "value_raw", where=f"NOT {PLAIN.format(v='value_raw')}")
    if layout.kind == lay.WIDE:
        values += [v for v in _wide_totals(con, layout) if v not in values]
    value_rows = []
    for raw in values:
        count = parse_count(raw.strip(TRIM), layout.statbank)
        value_rows.append((raw, count.value, count.status, count.reason))
    _register(con, "value_map", _VALUE_MAP, value_rows)
    footnotes = [(t, ) for t in _distinct(con, "only_text") if is_footnote(t.strip(TRIM))]
    _register(con, "footnotes", {"raw": "VARCHAR"}, footnotes)
    return Maps(
        suggestions={"area_raw": {r[0]: r[3] for r in area_rows}, "category_raw": {r[0]: r[3] for r in category_rows}},
        new_categories=new,
    )


def _wide_totals(con, layout: lay.Layout) -> list[str]:
    out: list[str] = []
    for i in layout.total_columns:
        out += [r[0] for r in con.execute(
            f"SELECT DISTINCT v{i} FROM wide_rows WHERE v{i} IS NOT NULL AND NOT {PLAIN.format(v=f'v{i}')}"
        ).fetchall()]
    return out


def value_sql(v: str, map_alias: str) -> tuple[str, str]:
    """SQL for (status, value) of a raw count: plain digits in SQL, the rest from value_map."""
    plain = PLAIN.format(v=v)
    status = f"CASE WHEN {v} IS NULL THEN '{MISSING}' WHEN {plain} THEN '{OK}' ELSE coalesce({map_alias}.status, '{PROBLEM}') END"
    value = f"CASE WHEN {plain} THEN TRY_CAST({v} AS BIGINT) ELSE {map_alias}.value END"
    return status, value


# One SQL boolean per kind of problem; a row with any of them is a problem row.
def problem_predicates(layout: lay.Layout) -> dict[str, str]:
    """Name → SQL condition on a classified row, for every kind of problem a row can have."""
    preds = {
        "period": "coalesce(period_status, 'missing') NOT IN ('ok', 'ongoing', 'not_january')",
        "area": "coalesce(area_status, 'missing') <> 'ok'",
        "extra": "extra",
        "checked": "in_checked",
        "area2": "area2_raw IS NOT NULL AND (area2_status IS DISTINCT FROM 'ok' OR area2_code <> area_code)",
        "category2": ("category2_raw IS NOT NULL AND (category2_status NOT IN ('ok', 'new') "
                      "OR category2_code <> category_code)"),
        "time2": ("time2_raw IS NOT NULL AND NOT coalesce("
                  "(coalesce(period_day, period_start) >= time2_start AND coalesce(period_day, period_start) < time2_end)"
                  " OR (coalesce(time2_day, time2_start) >= period_start AND coalesce(time2_day, time2_start) < period_end)"
                  ", false)"),
    }
    if layout.kind != lay.POPULATION:
        preds["category"] = "coalesce(category_status, 'missing') NOT IN ('ok', 'new')"
    if layout.kind != lay.REPORTS:
        preds["value"] = f"value_status = '{PROBLEM}'"
    if layout.kind == lay.REPORTS:
        preds["future_day"] = "last_day > getvariable('import_today') AND period_status IS DISTINCT FROM 'future'"
    if layout.kind != lay.WIDE:
        preds["single"] = "filled = 1"
    return preds


def classified_sql(layout: lay.Layout, grouped: bool, summaries: bool = False) -> str:
    """Every staged row with its codes, value and status (see classify for `import_today`).

    With `summaries` (the file has summary labels), summary rows also get `summary_mask`, what
    they add up (see summaries.py), and their label and count as written (`summary_raw`).
    """
    row = "s.row" if layout.kind == lay.WIDE else ("NULL::BIGINT" if grouped else "s.rowid + 1")
    status, value = value_sql("s.value_raw", "v")
    ends = lambda alias: (f"CASE {alias}.kind WHEN 'M' THEN {alias}.start + INTERVAL 1 MONTH "  # noqa: E731
                          f"WHEN 'Q' THEN {alias}.start + INTERVAL 3 MONTH ELSE {alias}.start + INTERVAL 1 YEAR END")
    extras = ", 1::BIGINT AS n, NULL::VARCHAR AS column_name" if layout.kind in (lay.LONG, lay.POPULATION) else ""
    base = f"""
        SELECT s.*, {row} AS row_no{extras},
               p.kind AS period_kind, p.start AS period_start, p.day AS period_day, p.status AS period_status,
               ({ends('p')})::DATE AS period_end,
               t.start AS time2_start, t.day AS time2_day, ({ends('t')})::DATE AS time2_end,
               a.code AS area_code, a.status AS area_status, a2.code AS area2_code, a2.status AS area2_status,
               c.code AS category_code, c.status AS category_status,
               c2.code AS category2_code, c2.status AS category2_status,
               {status} AS value_status, {value} AS value,
               f.raw IS NOT NULL AS footnote,
               (p.idx * 4294967296 + a.idx * 65536 + coalesce(c.idx, 0)) * 32
                 + coalesce(day(p.day), 0) AS cell_key  -- one integer per cell (and day), to find repeats
        FROM staged s
        LEFT JOIN period_map p ON p.raw = s.period_raw
        LEFT JOIN period_map t ON t.raw = s.time2_raw
        LEFT JOIN area_map a ON a.raw = s.area_raw
        LEFT JOIN area_map a2 ON a2.raw = s.area2_raw
        LEFT JOIN category_map c ON c.raw = s.category_raw
        LEFT JOIN category_map c2 ON c2.raw = s.category2_raw
        LEFT JOIN value_map v ON v.raw = s.value_raw
        LEFT JOIN footnotes f ON f.raw = s.only_text"""
    summary = ("'summary' IN (coalesce(period_status, ''), coalesce(area_status, ''), "
               "coalesce(category_status, ''))")
    problem = " OR ".join(f"coalesce({p}, false)" for p in problem_predicates(layout).values())
    needs_value = layout.kind != lay.REPORTS
    if summaries and needs_value:
        mask = summary_mask_sql()
        label = ("CASE WHEN area_status = 'summary' THEN area_raw WHEN category_status = 'summary' "
                 "THEN category_raw ELSE period_raw END")
        extra = (f", CASE WHEN {summary} THEN {mask} END AS summary_mask, "
                 f"CASE WHEN {summary} THEN [{label}, value_raw] END AS summary_raw")
    else:
        extra = ", NULL::INTEGER AS summary_mask, NULL::VARCHAR[] AS summary_raw"
    return f"""
        SELECT *{extra}, CASE
            WHEN filled = 0 THEN 'skip_empty'
            WHEN header_repeat THEN 'skip_header'
            WHEN filled = 1 AND footnote THEN 'skip_footnote'
            WHEN {summary} THEN 'skip_summary'
            WHEN {problem} THEN 'problem'
            WHEN period_status = 'not_january' THEN 'skip_not_january'
            WHEN {'value_status' if needs_value else "'ok'"} = '{MISSING}' THEN 'skip_nofigure'
            ELSE 'used' END AS status
        FROM ({base})"""


# Bits of summary_mask: which of a summary row's labels it adds up over ('I alt' or empty), and
# whether its own count is missing or no count. NULL when another label is unknown (nothing to check).
WILD_PERIOD, WILD_AREA, WILD_CATEGORY, VALUE_MISSING, VALUE_PROBLEM = 4, 2, 1, 8, 16


def summary_mask_sql() -> str:
    """SQL for summary_mask of a classified summary row."""
    def wild(status: str) -> str:
        return f"coalesce({status}, 'missing') IN ('summary', 'missing')"
    ok = {"period_status": "('ok', 'ongoing')", "area_status": "('ok')", "category_status": "('ok', 'new')"}
    known = " AND ".join(f"({wild(s)} OR {s} IN {values})" for s, values in ok.items())
    bits = " + ".join(f"({wild(s)})::INTEGER * {b}" for s, b in
                      (("period_status", WILD_PERIOD), ("area_status", WILD_AREA), ("category_status", WILD_CATEGORY)))
    return (f"CASE WHEN {known} THEN {bits} + (value_status = '{MISSING}')::INTEGER * {VALUE_MISSING} "
            f"+ (value_status = '{PROBLEM}')::INTEGER * {VALUE_PROBLEM} END")


def _has_summaries(con) -> bool:
    """Whether any label of the file is a summary label ('I alt'), from the maps."""
    return con.execute(
        """SELECT EXISTS (SELECT 1 FROM period_map WHERE status = 'summary'
                          UNION ALL SELECT 1 FROM area_map WHERE status = 'summary'
                          UNION ALL SELECT 1 FROM category_map WHERE status = 'summary')"""
    ).fetchone()[0]


def classify(con, layout: lay.Layout, grouped: bool, today: dt.date) -> None:
    """The temp table `resolved`: what the later steps need of every classified row."""
    con.execute("SET VARIABLE import_today = $today::DATE", {"today": today})
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE resolved AS
            SELECT row_no, n, status, period_kind, period_start, period_day, area_code, category_code,
                   value, column_name, period_status = 'ongoing' AS ongoing, period_raw, only_text, cell_key,
                   summary_mask, summary_raw
            FROM ({classified_sql(layout, grouped, _has_summaries(con))})"""
    )


def build_cells(con, layout: lay.Layout, repeated: bool = True) -> None:
    """The temp table `cells`, one row per store key, from the used rows (`rows`: file rows behind it).

    Without `repeated` keys (and days to add up) the used rows are the cells: no grouping.
    """
    used = "status = 'used'"
    if layout.kind == lay.POPULATION:
        drop(con, "cells")
        con.execute(
            f"""CREATE TEMP TABLE cells AS
                SELECT area_code, year(period_start)::INTEGER AS year, max(value) AS value, sum(n) AS rows,
                       false AS zero_filled
                FROM resolved WHERE {used} GROUP BY ALL"""
        )
        return
    keys = "period_kind, period_start, area_code, category_code"
    if layout.kind == lay.REPORTS:
        value = "sum(n)"
    elif layout.dated:
        value = "sum(value)"   # counts by day add up to the month (rows of one day twice: a problem)
    else:
        value = "max(value)"   # identical repeats are counted once (different ones are a problem)
    drop(con, "cells")
    if repeated or layout.dated or layout.kind == lay.REPORTS:
        select = f"SELECT {keys}, {value} AS value, sum(n) AS rows, false AS zero_filled FROM resolved WHERE {used} GROUP BY ALL"
    else:
        select = f"SELECT {keys}, value, n AS rows, false AS zero_filled FROM resolved WHERE {used}"
    # Without repeats or zeros to add, the used rows are the cells: a view, not one more copy.
    kind = "TABLE" if layout.statbank or repeated or layout.dated or layout.kind == lay.REPORTS else "VIEW"
    con.execute(f"CREATE TEMP {kind} cells AS {select}")
    if layout.statbank and layout.kind == lay.LONG:
        # Statistikbanken's BULK format leaves out combinations whose value is 0: a selection
        # is the full grid of its periods × areas × categories, so every missing cell is 0
        # (a small area can have no row at all for a rare offence). The plan says how many.
        con.execute(
            f"""INSERT INTO cells
                SELECT p.period_kind, p.period_start, a.area_code, c.category_code, 0, 0, true
                FROM (SELECT DISTINCT period_kind, period_start FROM resolved WHERE {used}) p,
                     (SELECT DISTINCT area_code FROM resolved WHERE {used}) a,
                     (SELECT DISTINCT category_code FROM resolved WHERE {used}) c
                ANTI JOIN resolved r
                  ON r.period_kind = p.period_kind AND r.period_start = p.period_start
                 AND r.area_code = a.area_code AND r.category_code = c.category_code"""
        )


def check_wide_totals(con, layout: lay.Layout) -> list[tuple]:
    """Rows whose 'I alt' column disagrees with the sum of their periods: (row, column, written, sum).

    Checked only where every period cell of the row holds a count; the temp table
    `wide_total_problems` keeps the rows for the accounting.
    """
    parts = []
    for i in layout.total_columns:
        status, value = value_sql(f"w.v{i}", "v")
        parts.append(f"""
            SELECT w.row, {_sql(layout.header[i])} AS column_name, w.v{i} AS written, {value} AS total, {status} AS st
            FROM wide_rows w LEFT JOIN value_map v ON v.raw = w.v{i}""")
    con.execute("CREATE OR REPLACE TEMP TABLE wide_total_problems (row BIGINT, column_name VARCHAR, "
                "written VARCHAR, computed BIGINT)")
    if not parts:
        return []
    con.execute(
        f"""INSERT INTO wide_total_problems
            SELECT t.row, t.column_name, t.written, r.s
            FROM ({' UNION ALL '.join(parts)}) t
            JOIN (SELECT row_no AS row, sum(value) AS s, bool_and(status = 'used') AS complete
                  FROM resolved GROUP BY row_no) r USING (row)
            WHERE r.complete AND (t.st = 'problem' OR (t.st = 'ok' AND t.total <> r.s))"""
    )
    return con.execute("SELECT * FROM wide_total_problems ORDER BY row").fetchall()


def _sql(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def drop(con, name: str) -> None:
    """Drop the temp table or view `name`, whichever it is."""
    for kind in ("VIEW", "TABLE"):
        try:
            con.execute(f"DROP {kind} IF EXISTS {name}")
        except duckdb.CatalogException:
            pass  # it is the other kind


def has_days(con) -> bool:
    """Whether any period in the file is written as a day (2025-09-15)."""
    return con.execute("SELECT count(*) > 0 FROM period_map WHERE day IS NOT NULL").fetchone()[0]
