"""Turning raw values into codes and counts, and giving every file row exactly one status.

Values are resolved once per distinct spelling in Python (few), and joined back in DuckDB
(many). `classified_sql` gives each staged row its status: used, skipped for a listed reason
(`skip_*`), or a problem; the temp table `resolved` keeps it, and `cells` is built from the
used rows only. See accounting.py for the check that nothing falls between these.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

import duckdb

from statistik import periods
from statistik.ingest import layout as lay
from statistik.ingest.problems import quote
from statistik.ingest.staging import PLAIN, TRIM, VIEWED, drop
from statistik.ingest.values import MISSING, OK, PROBLEM, is_footnote, parse_count
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


# Every map says of a spelling whether it is a header text of the file (a repeated header row),
# `blank` (white space only: no text) and a `footnote` ('Kilde: …').
# `part` is each map's part of cell_key, one integer per cell and day: period × areas × categories × 32
# + area × categories × 32 + category × 32 + day of month, cheap to compare and count; `after` is the first
# day after a period.
_PERIOD_MAP = {"raw": "VARCHAR", "kind": "VARCHAR", "start": "DATE", "day": "DATE", "status": "VARCHAR",
               "idx": "BIGINT", "header": "BOOLEAN", "blank": "BOOLEAN", "footnote": "BOOLEAN", "after": "DATE",
               "part": "BIGINT", "id": "INTEGER"}
_LABEL_MAP = {"raw": "VARCHAR", "code": "VARCHAR", "status": "VARCHAR", "detail": "VARCHAR", "idx": "BIGINT",
              "header": "BOOLEAN", "blank": "BOOLEAN", "footnote": "BOOLEAN", "part": "BIGINT", "id": "INTEGER"}
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
              "blank": "BOOLEAN", "footnote": "BOOLEAN"}


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

    def header(rows: list[tuple]) -> list[tuple]:
        """With what every map says of a spelling as text: a header text, blank, a footnote."""
        out = []
        for r in rows:
            text = r[0].replace("\ufeff", "").strip(TRIM)
            out.append((*r, text.lower() in headers, not text, bool(text) and is_footnote(text)))
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
                i) for i, r in enumerate(header(period_rows))])
    _register(con, "area_map", _LABEL_MAP, [(*r, None if r[4] is None else r[4] * step["area"], i)
                                            for i, r in enumerate(header(area_rows))])
    _register(con, "category_map", _LABEL_MAP,
              [(*r, None if r[4] is None else r[4] * step["category"], i) for i, r in enumerate(header(category_rows))])
    values = distinct("value_raw", where=f"NOT {PLAIN.format(v='value_raw')}")
    if layout.kind == lay.WIDE:
        values += [v for v in _wide_totals(con, layout) if v not in values]
    value_rows = []
    for raw in values:
        count = parse_count(raw.strip(TRIM), layout.statbank)
        value_rows.append((raw, count.value, count.status, count.reason))
    _register(con, "value_map", _VALUE_MAP, header(value_rows))
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


def value_sql(v: str, map_alias: str | None) -> tuple[str, str]:
    """SQL for (status, value) of a raw count: plain digits in SQL, the rest from value_map
    (joined as `map_alias`; None when it has no rows, so every other spelling is a problem)."""
    plain = PLAIN.format(v=v)
    other = f"coalesce({map_alias}.status, '{PROBLEM}')" if map_alias else f"'{PROBLEM}'"
    status = f"CASE WHEN {v} IS NULL THEN '{MISSING}' WHEN {plain} THEN '{OK}' ELSE {other} END"
    value = f"CASE WHEN {plain} THEN TRY_CAST({v} AS BIGINT) ELSE {map_alias + '.value' if map_alias else 'NULL'} END"
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


ALL_JOINS = frozenset({"time2", "area2", "category2", "value", "footnotes"})


def joins_for(layout: lay.Layout, maps: Maps) -> frozenset[str]:
    """The joins classifying this file needs: second columns it has, maps that have rows."""
    second = {"time2": lay.DATE in layout.second or lay.PERIOD in layout.second,
              "area2": lay.AREA in layout.second, "category2": lay.CATEGORY in layout.second}
    return frozenset({name for name, present in second.items() if present} | maps.joins)


def _fill_sql(layout: lay.Layout, joins: frozenset[str]) -> str:
    """`filled`, `only_text` and `footnote` of a classified row.

    Staging counts a complete row's fields as its roles; a role whose text is blank (its map says
    so) is taken off here, so a row of tabs is empty and a row with one text is a footnote or a
    problem. A row with an empty role was counted field by field, its one text kept in staging.
    """
    roles = {"period_raw": "p", "area_raw": "a", "category_raw": "c", "value_raw": "v"}
    present = {
        "period_raw": layout.kind != lay.WIDE,
        "area_raw": True,
        "category_raw": lay.CATEGORY in layout.roles,
        "value_raw": layout.kind in (lay.LONG, lay.POPULATION) and "value" in joins,
    }
    blank = {raw: f"coalesce({roles[raw]}.blank, false)" for raw in roles if present[raw]}
    filled = f"(CASE WHEN s.complete THEN s.filled - ({' + '.join(f'({b})::INTEGER' for b in blank.values())}) ELSE s.filled END)"
    texts = ", ".join(f"CASE WHEN NOT {b} THEN s.{raw} END" for raw, b in blank.items())
    if layout.kind in (lay.LONG, lay.POPULATION) and "value" not in joins:
        texts += ", s.value_raw"  # plain digits: never blank
    notes = " OR ".join(f"coalesce({roles[raw]}.footnote AND NOT {b}, false)" for raw, b in blank.items())
    staged_note = "f.raw IS NOT NULL" if "footnotes" in joins else "false"
    return (f", {filled} AS filled, CASE WHEN NOT s.complete THEN s.only_text WHEN {filled} = 1 THEN coalesce({texts}) END"
            f" AS only_text, CASE WHEN s.complete THEN {notes} ELSE {staged_note} END AS footnote")


def classified_sql(layout: lay.Layout, grouped: bool, summaries: bool = False,
                   joins: frozenset[str] = ALL_JOINS, source: str = "staged") -> str:
    """Every staged row with its codes, value and status (see classify for `import_today`).

    With `summaries` (the file has summary labels), summary rows also get `summary_mask`, what
    they add up (see summaries.py), and their label and count as written (`summary_raw`).
    `joins` leaves out the maps a file has no use for (their columns are NULL), which matters
    on a file of millions of rows; the findings of a refused file use them all.
    """
    row = "NULL::BIGINT" if grouped and layout.kind == lay.REPORTS else "s.row"
    status, value = value_sql("s.value_raw", "v" if "value" in joins else None)
    extras = ", 1::BIGINT AS n, NULL::VARCHAR AS column_name" if layout.kind in (lay.LONG, lay.POPULATION) else ""
    second = {
        "time2": ("t.start AS time2_start, t.day AS time2_day, t.after AS time2_end",
                  "LEFT JOIN period_map t ON t.raw = s.time2_raw"),
        "area2": ("a2.code AS area2_code, a2.status AS area2_status", "LEFT JOIN area_map a2 ON a2.raw = s.area2_raw"),
        "category2": ("c2.code AS category2_code, c2.status AS category2_status",
                      "LEFT JOIN category_map c2 ON c2.raw = s.category2_raw"),
        "value": ("", "LEFT JOIN value_map v ON v.raw = s.value_raw"),
        "footnotes": ("", "LEFT JOIN footnotes f ON f.raw = s.only_text"),
    }
    absent = {"time2": "NULL::DATE AS time2_start, NULL::DATE AS time2_day, NULL::DATE AS time2_end",
              "area2": "NULL::VARCHAR AS area2_code, NULL::VARCHAR AS area2_status",
              "category2": "NULL::VARCHAR AS category2_code, NULL::VARCHAR AS category2_status",
              "value": "", "footnotes": ""}
    columns = "".join(f", {second[n][0] if n in joins else absent[n]}" for n in second if second[n][0] or absent[n])
    columns += _fill_sql(layout, joins)
    if layout.kind in VIEWED:  # a repeated header: every role's text is a header text (from the maps)
        flags = ["p.header", "a.header"] + (["c.header"] if lay.CATEGORY in layout.roles else [])
        flags += ["v.header" if "value" in joins else "false"]
        flags += [f"{alias}.header IS NOT DISTINCT FROM true" for name, alias in
                  (("time2", "t"), ("area2", "a2"), ("category2", "c2")) if name in joins]
        columns += f", coalesce({' AND '.join(flags)}, false) AS header_repeat"
    joined = "\n        ".join(second[n][1] for n in second if n in joins)
    base = f"""
        SELECT s.* EXCLUDE (filled, only_text), {row} AS row_no{extras},
               p.kind AS period_kind, p.start AS period_start, p.day AS period_day, p.status AS period_status,
               p.after AS period_end,
               a.code AS area_code, a.status AS area_status, c.code AS category_code, c.status AS category_status,
               {status} AS value_status, {value} AS value{columns},
               p.part + a.part + coalesce(c.part, 0) AS cell_key, p.id AS period_id, a.id AS area_id, c.id AS category_id
        FROM {source} s
        LEFT JOIN period_map p ON p.raw = s.period_raw
        LEFT JOIN area_map a ON a.raw = s.area_raw
        LEFT JOIN category_map c ON c.raw = s.category_raw
        {joined}"""
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


# The columns of `resolved`, and how classify computes each from the classified rows.
def classify(con, layout: lay.Layout, grouped: bool, today: dt.date, maps: Maps, located: bool = True) -> None:
    """The temp table `classified` and its view `resolved`: what the later steps need of every row.

    Texts are not copied two million times: `classified` keeps each row's spellings by number
    (`period_id`, …) and `resolved` joins the maps back for the steps that need the codes. What is
    the same on every row of a long table (no column name, no days, no summary labels) is a
    constant of the view. A staged view is read without row numbers unless `located` (see
    staging._stage_view).
    """
    con.execute("SET VARIABLE import_today = $today::DATE", {"today": today})
    source = "staged" if located or layout.kind not in VIEWED else "staged_fast"
    summaries = _has_summaries(con)
    sql = classified_sql(layout, grouped, summaries, joins_for(layout, maps), source)
    stored = ["row_no", "n", "status", "period_id", "area_id", "category_id", "value", "only_text", "cell_key"]
    if layout.kind not in VIEWED:
        stored.append("column_name")
    if summaries:
        stored += ["summary_mask", "summary_raw"]
    drop(con, "resolved")
    materialize(con, layout, "classified", f"SELECT {', '.join(stored)} FROM ({sql})")
    absent = {"column_name": "NULL::VARCHAR", "summary_mask": "NULL::INTEGER", "summary_raw": "NULL::VARCHAR[]"}
    kept = ", ".join(f"{absent[c]} AS {c}" if c not in stored else f"r.{c}" for c in absent)
    con.execute(f"""CREATE TEMP VIEW resolved AS
                    SELECT r.row_no, r.n, r.status, p.kind AS period_kind, p.start AS period_start, p.day AS period_day,
                           a.code AS area_code, c.code AS category_code, r.value, p.status = 'ongoing' AS ongoing,
                           p.raw AS period_raw, r.only_text, r.cell_key, {kept}
                    FROM classified r
                    LEFT JOIN period_map p ON p.id = r.period_id
                    LEFT JOIN area_map a ON a.id = r.area_id
                    LEFT JOIN category_map c ON c.id = r.category_id""")


def materialize(con, layout: lay.Layout, name: str, sql: str) -> None:
    """The temp table `name` from a query on the staged rows (and the maps)."""
    if layout.kind not in VIEWED:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
        return
    # DuckDB cannot tell how many rows a CSV file has, so it would hash the file to probe it with
    # the maps: with the order as written, the file is read once, probing the small maps.
    con.execute("SET disabled_optimizers = 'join_order,build_side_probe_side'")
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")
    finally:
        con.execute("RESET disabled_optimizers")


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


def has_days(con) -> bool:
    """Whether any period in the file is written as a day (2025-09-15)."""
    return con.execute("SELECT count(*) > 0 FROM period_map WHERE day IS NOT NULL").fetchone()[0]


def covered(con, kind: str) -> tuple[list, list, list]:
    """The periods, areas and categories of the used rows, as plan.build lists them, from the
    spellings the rows keep (a few distinct numbers, not two million texts)."""
    def used(column: str, table: str, value: str, present: str) -> list:
        return con.execute(
            f"""SELECT list(DISTINCT {value} ORDER BY {value}) FROM {table}
                WHERE {present} IS NOT NULL AND id IN (SELECT DISTINCT {column} FROM classified WHERE status = 'used')"""
        ).fetchone()[0] or []
    shown = "'Y'" if kind == lay.POPULATION else "kind"
    found = used("period_id", "period_map", f"{{'kind': {shown}, 'start': start}}", "kind")
    categories = [] if kind == lay.POPULATION else used("category_id", "category_map", "code", "code")
    return found, used("area_id", "area_map", "code", "code"), categories
