"""Turning raw values into codes and counts, and collecting every problem with its line.

Values are resolved once per distinct spelling in Python (few), and joined back in DuckDB
(many). The result is the temp table `cells`, keyed like the store.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from statistik import periods
from statistik.ingest import layout as lay
from statistik.ingest.problems import Problem
from statistik.ingest.staging import DAY_SQL, source_sql
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


@dataclass
class _Finding:
    """A problem not yet tied to a line: which raw value (or combination) to look for."""

    text: str
    column: str | None
    where: dict[str, str | None]          # raw column → value
    fix: str | None = None
    first_row: int | None = None          # known already (wide layouts)
    other_rows: tuple[int, ...] = ()
    rows: int = 1
    warning: bool = False


def _register(con: duckdb.DuckDBPyConnection, name: str, frame: pd.DataFrame) -> None:
    con.register(f"{name}_df", frame)
    con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS SELECT * FROM {name}_df")
    con.unregister(f"{name}_df")


def _distinct(con: duckdb.DuckDBPyConnection, column: str) -> list[str]:
    return [r[0] for r in con.execute(
        f"SELECT DISTINCT {column} FROM staged WHERE {column} IS NOT NULL"
    ).fetchall()]


def _period_map(con, layout: lay.Layout, today: dt.date) -> pd.DataFrame:
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
    return pd.DataFrame(rows, columns=["period_raw", "period_kind", "period_start", "period_status"]).astype(
        {"period_raw": "str", "period_kind": "object", "period_start": "datetime64[s]", "period_status": "str"}
    )


def _label_map(con, column: str, lexicon: Lexicon, register_new: bool) -> tuple[pd.DataFrame, dict[str, str]]:
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
    frame = pd.DataFrame(rows, columns=["raw", "code", "status", "suggestion"]).astype(
        {"raw": "str", "code": "object", "status": "str", "suggestion": "object"}
    )
    return frame, new


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
    _register(con, "period_map", _period_map(con, layout, today))
    area_map, _ = _label_map(con, "area_raw", areas, register_new=False)
    category_map, result.new_categories = _label_map(
        con, "category_raw", categories, register_new=layout.statbank and layout.kind != lay.POPULATION
    )
    _register(con, "area_map", area_map)
    _register(con, "category_map", category_map)
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
    findings = _findings(con, layout, area_map, category_map)
    result.rows_skipped = con.execute(
        f"SELECT coalesce({_rows(layout)}, 0) FROM resolved WHERE summary"
    ).fetchone()[0]
    _locate(con, tf, layout, findings)
    lines = tf.physical_lines(layout.header_line, {r for f in findings for r in (f.first_row, *f.other_rows)})
    for f in findings:
        line = lines.get(f.first_row)
        others = tuple(lines[r] for r in f.other_rows if r in lines)
        p = Problem(f.text, line=line, column=f.column, more_lines=max(f.rows - 1, 0), fix=f.fix,
                    other_lines=others)
        (result.warnings if f.warning else result.problems).append(p)
    result.problems.sort(key=Problem.sort_key)
    result.warnings.sort(key=Problem.sort_key)
    _build_cells(con, layout, repeated=any("combo" in f.where for f in findings))
    return result


def _rows(layout: lay.Layout) -> str:
    """SQL counting file rows: in a wide table each row is many cells."""
    return "count(DISTINCT first_row)" if layout.kind == lay.WIDE else "sum(n)"


def _findings(con, layout: lay.Layout, area_map: pd.DataFrame, category_map: pd.DataFrame) -> list[_Finding]:
    findings: list[_Finding] = []
    wide = layout.kind == lay.WIDE
    period_col = layout.role_name(lay.DATE if layout.kind == lay.REPORTS else lay.PERIOD) if not wide else None
    value_col = None if wide or layout.kind == lay.REPORTS else layout.role_name(
        lay.POP if layout.kind == lay.POPULATION else lay.COUNT)
    live = "NOT summary"
    rows = _rows(layout)

    def add(sql: str, make) -> None:
        for row in con.execute(sql).fetchall():
            findings.append(make(*row))

    first_row = "min(first_row)" if wide else "NULL"
    add(f"""SELECT period_raw, period_status, {first_row}, {rows} FROM resolved
            WHERE period_status NOT IN ('ok', 'future_day') AND period_raw IS NOT NULL AND {live}
            GROUP BY ALL""",
        lambda raw, status, row, n: _Finding(
            {"unknown": f"ukendt {'dato' if layout.kind == lay.REPORTS else 'periode'} {raw!r}",
             "future": f"perioden {raw!r} ligger i fremtiden",
             "not_january": f"folketal for {raw!r}: kun folketal pr. 1. januar bruges (fx 2024K1)"}[status],
            period_col or raw, {"period_raw": raw}, first_row=row, rows=n,
            fix={"unknown": "skriv fx 2025-09, sep 2025, 2025K3 eller 2025" if layout.kind != lay.REPORTS
                 else "skriv datoen som 03-09-2025 eller 2025-09-03"}.get(status),
            warning=status == "not_january"))
    add(f"""SELECT max(last_day), sum(n) FROM resolved WHERE period_status = 'future_day' AND {live}
            HAVING sum(n) > 0""",
        lambda last, n: _Finding(f"dato i fremtiden (den seneste er {last:%d-%m-%Y})", period_col,
                                 {"future_day": last}, rows=n))
    if not wide:
        add(f"""SELECT sum(n) FROM resolved WHERE period_raw IS NULL AND {live} HAVING sum(n) > 0""",
            lambda n: _Finding("mangler periode", period_col, {"period_raw": None}, rows=n))
        add(f"""SELECT list(DISTINCT period_raw ORDER BY period_raw), sum(n) FROM resolved
                WHERE ongoing AND {live} HAVING sum(n) > 0""",
            lambda raws, n: _Finding(
                f"{'perioden' if len(raws) == 1 else 'perioderne'} {', '.join(map(repr, raws[:3]))} "
                "er ikke slut endnu; tallene kan ændre sig", period_col, {"ongoing": True},
                rows=n, warning=True))
    if layout.kind == lay.LONG and not layout.statbank:
        add(f"""SELECT sum(n) FROM resolved WHERE value_status = 'missing' AND {live} HAVING sum(n) > 0""",
            lambda n: _Finding("intet antal; rækken springes over", value_col, {"value_raw": None},
                               rows=n, warning=True))
    for role, column, mapping, what in (
        (lay.AREA, "area_raw", area_map, "kommune"),
        (lay.CATEGORY, "category_raw", category_map, "kategori"),
    ):
        if role not in layout.roles:
            continue
        status_col = "area_status" if role == lay.AREA else "category_status"
        suggestions = dict(zip(mapping["raw"], mapping["suggestion"]))
        add(f"""SELECT {column}, {status_col}, {first_row}, {rows} FROM resolved
                WHERE {status_col} IN ('unknown', 'empty') AND {live} GROUP BY ALL""",
            lambda raw, status, row, n, what=what, role=role, column=column: _Finding(
                f"ukendt {what} {raw!r}" if status == "unknown" else f"mangler {what}",
                layout.role_name(role), {column: raw}, first_row=row, rows=n,
                fix=(f"mente du {suggestions[raw]}?" if suggestions.get(raw) else
                     ("brug kommunens navn eller kode, fx København eller 101" if role == lay.AREA
                      else "ny kategori? tilføj den med: statistik category add \"Navn\""))
                if status == "unknown" else None))
    if layout.kind != lay.REPORTS:
        add(f"""SELECT value_raw, value_status, period_raw, {first_row}, any_value(column_name), {rows}
                FROM resolved WHERE value_status IN ('negative', 'decimal', 'invalid') AND {live}
                GROUP BY value_raw, value_status, period_raw""",
            lambda raw, status, period_raw, row, column, n: _Finding(
                {"negative": f"negativt antal {raw!r}",
                 "decimal": f"decimaltal {raw!r}",
                 "invalid": f"{raw!r} er ikke et antal"}[status],
                value_col or column, {"value_raw": raw, **({"period_raw": period_raw} if wide else {})},
                fix="et antal skal være et helt tal, 0 eller derover", first_row=row, rows=n))
    add(f"""SELECT {first_row}, {rows} FROM resolved WHERE extra HAVING sum(n) > 0""",
        lambda row, n: _Finding("rækken har flere udfyldte felter end overskriften", None,
                                {"extra": True}, first_row=row, rows=n))
    if layout.kind != lay.REPORTS:
        findings += _duplicates(con, layout, value_col, first_row, live)
    return findings


def _duplicates(con, layout, value_col, first_row, live) -> list[_Finding]:
    """The same cell given more than once: an error when the counts differ."""
    ok = f"""value_status = 'ok' AND period_status = 'ok' AND area_status = 'ok'
             AND category_status = 'ok' AND {live}"""
    keys = "period_kind, period_start, area_code, category_code"
    # Find the repeated cells first (cheap); describe only those.
    rows = con.execute(
        f"""WITH repeated AS (SELECT {keys} FROM resolved WHERE {ok} GROUP BY ALL HAVING sum(n) > 1)
            SELECT list(DISTINCT value ORDER BY value), count(DISTINCT value) > 1,
                   list(DISTINCT {{'period_raw': period_raw, 'area_raw': area_raw,
                                    'category_raw': category_raw}}),
                   {first_row}, sum(n)
            FROM resolved SEMI JOIN repeated USING ({keys})
            WHERE {ok}
            GROUP BY {keys}
            ORDER BY 2 DESC LIMIT 50"""
    ).fetchall()
    out = []
    for values, differ, combos, row, n in rows:
        cell = ", ".join(v for v in combos[0].values() if v)
        shown = " og ".join(str(v) for v in values)
        out.append(_Finding(
            f"samme celle ({cell}) står {n} gange med forskellige antal ({shown})" if differ
            else f"samme række ({cell}) står {n} gange; tallet tælles én gang",
            value_col, {"combo": combos}, first_row=row, rows=n, warning=not differ,
            fix="ret eller fjern den ene række" if differ else None,
        ))
    return out


def _locate(con, tf: TextFile, layout: lay.Layout, findings: list[_Finding]) -> None:
    """Find the first line of each finding by reading the file once more (error path only)."""
    todo = [f for f in findings
            if f.first_row is None and layout.kind != lay.WIDE and "ongoing" not in f.where]
    if not todo:
        return
    conditions = []
    for i, f in enumerate(todo):
        if "combo" in f.where:
            parts = [
                " AND ".join(f"{k} IS NOT DISTINCT FROM {_sql_str(v)}" for k, v in combo.items())
                for combo in f.where["combo"]
            ]
            cond = " OR ".join(f"({p})" for p in parts)
        elif "extra" in f.where:
            cond = "extra"
        elif "future_day" in f.where:
            cond = f"{DAY_SQL.format(v='period_raw')} = DATE '{f.where['future_day']}'"
        else:
            cond = " AND ".join(f"{k} IS NOT DISTINCT FROM {_sql_str(v)}" for k, v in f.where.items())
        conditions.append(f"CASE WHEN {cond} THEN {i} END")
    rows = con.execute(
        f"""WITH src AS ({source_sql(tf, layout, ordinality=True)}),
                 hits AS (SELECT unnest(list_filter([{', '.join(conditions)}], lambda x: x IS NOT NULL))
                                 AS finding, ordinality FROM src)
            SELECT finding, list(ordinality ORDER BY ordinality)[1:4] FROM hits GROUP BY finding""",
        {"path": str(tf.utf8_path)},
    ).fetchall()
    for index, first_rows in rows:
        finding = todo[index]
        finding.first_row = first_rows[0]
        if "combo" in finding.where:  # a duplicate: name the other lines too
            finding.other_rows = tuple(first_rows[1:])


def _sql_str(value) -> str:
    if value is None:
        return "NULL"
    return "'" + str(value).replace("'", "''") + "'"


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
