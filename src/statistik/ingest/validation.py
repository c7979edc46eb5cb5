"""Turning raw values into codes and counts, and collecting every problem with its line.

Values are resolved once per distinct spelling in Python (few), and joined back in DuckDB
(many). The result is the temp table `cells`, keyed like the store.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import duckdb

from statistik import periods
from statistik.ingest import layout as lay
from statistik.ingest.findings import findings, locate, rows_sql
from statistik.ingest.problems import Problem
from statistik.ingest.textfile import TextFile
from statistik.vocabulary import Lexicon, is_summary, normalize, slug

# Counts as written: '1234', '1.234', '1 234', '12,0'. Anything else is reported.
_VALUE_STATUS = r"""
    CASE
      WHEN v IS NULL OR v IN ('..', '.', ':') THEN 'missing'
      WHEN regexp_full_match(v, '[0-9]{1,15}') THEN 'ok'
      WHEN regexp_full_match(v, '\d{1,15}(,0+)?') OR regexp_full_match(v, '\d{1,3}(\.\d{3}){1,4}(,0+)?') THEN 'ok'
      WHEN regexp_full_match(v, '[-−–]\s*\d[\d.,]*') THEN 'negative'
      WHEN regexp_full_match(v, '\d[\d.]*[.,]\d+') THEN 'decimal'
      ELSE 'invalid'
    END"""
_VALUE = r"""CASE WHEN regexp_full_match(v, '[0-9]{1,15}') THEN TRY_CAST(v AS BIGINT)
             ELSE TRY_CAST(replace(regexp_replace(v, ',0+$', ''), '.', '') AS BIGINT) END"""
_MONTH_KEY = re.compile(r"^\d{4}-\d{2}$")
_CLEAN_VALUE = "regexp_replace(value_raw, '[\\s\u00a0]', '', 'g')"


@dataclass
class Resolution:
    """What validation found: problems, warnings, and what the file holds."""

    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    rows_skipped: int = 0
    new_categories: dict[str, str] = field(default_factory=dict)  # code → name


def _register(con: duckdb.DuckDBPyConnection, name: str, columns: dict[str, str], rows: list[tuple]) -> None:
    """A temp table from Python rows (column name → SQL type), in one statement."""
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} ({', '.join(f'{c} {t}' for c, t in columns.items())})")
    if rows:
        lists = {f"c{i}": [row[i] for row in rows] for i in range(len(columns))}
        unnests = ", ".join(f"unnest($c{i})::{t}" for i, t in enumerate(columns.values()))
        con.execute(f"INSERT INTO {name} SELECT {unnests}", lists)


def _distinct(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    return [r[0] for r in con.execute(
        f"SELECT DISTINCT {column} FROM staged WHERE {column} IS NOT NULL"
    ).fetchall()]


_PERIOD_MAP = {"period_raw": "VARCHAR", "period_kind": "VARCHAR", "period_start": "DATE", "period_status": "VARCHAR"}
_LABEL_MAP = {"raw": "VARCHAR", "code": "VARCHAR", "status": "VARCHAR", "suggestion": "VARCHAR"}


def _period_map(con, layout: lay.Layout, today: dt.date) -> list[tuple]:
    rows = []
    for raw in _distinct(con, "period_raw"):
        if layout.kind == lay.REPORTS and _MONTH_KEY.match(raw):
            period = periods.parse_period(raw)  # counted per month by staging; days checked there
            future = False
        elif layout.kind == lay.REPORTS:
            day = periods.parse_date(raw)
            period = periods.Period(periods.MONTH, day.replace(day=1)) if day else None
            future = bool(day and day > today)
        else:
            period = periods.parse_period(raw)
            future = bool(period and period.start > today)
        if layout.kind == lay.POPULATION and period and not (
            period.kind == periods.YEAR
            or (period.kind == periods.QUARTER and period.start.month == 1)
        ):
            rows.append((raw, None, None, "not_january"))
            continue
        if layout.kind == lay.POPULATION and period:
            period = periods.Period(periods.YEAR, period.start)
        if period is None:
            status = "summary" if is_summary(raw) else "unknown"
        else:
            status = "future" if future else ("ongoing" if period.end > today else "ok")
        rows.append((raw, period.kind if period else None, period.start if period else None, status))
    return rows


def _label_map(con, column: str, lexicon: Lexicon, register_new: bool) -> tuple[list[tuple], dict[str, str]]:
    rows, new = [], {}
    for raw in _distinct(con, column):
        code = lexicon.resolve(raw)
        if code:
            rows.append((raw, code, "ok", None))
        elif is_summary(raw):
            rows.append((raw, None, "summary", None))
        elif register_new:
            code = normalize(raw).split(" ")[0].upper() if raw[:1].isdigit() else slug(raw)
            name = raw.split(" ", 1)[1] if raw[:1].isdigit() and " " in raw else raw
            new[code] = name
            rows.append((raw, code, "ok", None))
        else:
            rows.append((raw, None, "unknown", lexicon.suggest(raw)))
    return rows, new


def resolve(
    con: duckdb.DuckDBPyConnection,
    tf: TextFile,
    layout: lay.Layout,
    areas: Lexicon,
    categories: Lexicon,
    today: dt.date,
) -> Resolution:
    """Build the temp tables `resolved` and `cells`; return every problem, with lines."""
    result = Resolution()
    _register(con, "period_map", _PERIOD_MAP, _period_map(con, layout, today))
    area_map, _ = _label_map(con, "area_raw", areas, register_new=False)
    category_map, result.new_categories = _label_map(
        con, "category_raw", categories, register_new=layout.statbank and layout.kind != lay.POPULATION
    )
    _register(con, "area_map", _LABEL_MAP, area_map)
    _register(con, "category_map", _LABEL_MAP, category_map)
    needs_category = layout.kind != lay.POPULATION
    category_status = "coalesce(c.status, 'empty')" if needs_category else "'ok'"
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE resolved AS
            SELECT *, 'summary' IN (period_status, area_status, category_status) AS summary
            FROM (
              SELECT s.*, p.period_kind, p.period_start::DATE AS period_start,
                     CASE WHEN s.last_day > $today THEN 'future_day'
                          WHEN p.period_status = 'ongoing' THEN 'ok' ELSE p.period_status END AS period_status,
                     coalesce(p.period_status = 'ongoing', false) AS ongoing,
                     a.code AS area_code, coalesce(a.status, 'empty') AS area_status,
                     c.code AS category_code, {category_status} AS category_status,
                     {_VALUE_STATUS} AS value_status, {_VALUE} AS value
              FROM (SELECT *, {_CLEAN_VALUE} AS v FROM staged) s
              LEFT JOIN period_map p USING (period_raw)
              LEFT JOIN area_map a ON a.raw = s.area_raw
              LEFT JOIN category_map c ON c.raw = s.category_raw
              WHERE NOT (s.period_raw IS NULL AND s.area_raw IS NULL AND s.category_raw IS NULL
                         AND s.value_raw IS NULL))""",
        {"today": today},
    )
    suggestions = {"area_raw": {r[0]: r[3] for r in area_map}, "category_raw": {r[0]: r[3] for r in category_map}}
    found = findings(con, layout, suggestions)
    result.rows_skipped = con.execute(
        f"SELECT coalesce({rows_sql(layout)}, 0) FROM resolved WHERE summary"
    ).fetchone()[0]
    locate(con, tf, layout, found)
    lines = tf.physical_lines(layout.header_line, {r for f in found for r in (f.first_row, *f.other_rows)})
    for f in found:
        line = lines.get(f.first_row)
        others = tuple(lines[r] for r in f.other_rows if r in lines)
        p = Problem(f.text, line=line, column=f.column, more_lines=max(f.rows - 1, 0), fix=f.fix,
                    other_lines=others)
        (result.warnings if f.warning else result.problems).append(p)
    result.problems.sort(key=Problem.sort_key)
    result.warnings.sort(key=Problem.sort_key)
    _build_cells(con, layout, repeated=any("combo" in f.where for f in found))
    return result


def _build_cells(con, layout: lay.Layout, repeated: bool) -> None:
    """One row per store key: reports counted, identical duplicates (`repeated`) taken once."""
    ok = """period_status = 'ok' AND area_status = 'ok' AND category_status = 'ok'"""
    if layout.kind == lay.POPULATION:
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE cells AS
                SELECT area_code, year(period_start)::INTEGER AS year, max(value) AS value
                FROM resolved WHERE {ok} AND value_status = 'ok' GROUP BY ALL"""
        )
        return
    reports = layout.kind == lay.REPORTS
    value = "sum(n)" if reports else ("max(value)" if repeated else "value")
    where = "" if reports else "AND value_status = 'ok'"
    group = "GROUP BY ALL" if reports or repeated else ""
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE cells AS
            SELECT period_kind, period_start, area_code, category_code, {value} AS value
            FROM resolved WHERE {ok} {where} {group}"""
    )
    if layout.statbank and layout.kind == lay.LONG:
        # Statistikbanken's BULK format leaves out combinations whose value is 0: a selection
        # is the full grid of its periods × areas × categories, so every missing cell is 0
        # (a small area can have no row at all for a rare offence).
        con.execute(
            f"""INSERT INTO cells
                SELECT p.period_kind, p.period_start, a.area_code, c.category_code, 0
                FROM (SELECT DISTINCT period_kind, period_start FROM resolved WHERE {ok}) p,
                     (SELECT DISTINCT area_code FROM resolved WHERE {ok}) a,
                     (SELECT DISTINCT category_code FROM resolved WHERE {ok}) c
                ANTI JOIN resolved r
                  ON r.period_kind = p.period_kind AND r.period_start = p.period_start
                 AND r.area_code = a.area_code AND r.category_code = c.category_code"""
        )
