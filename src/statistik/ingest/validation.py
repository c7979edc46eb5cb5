"""Giving every file row exactly one status, from the maps of its spellings (spellings.py).

`classified_sql` gives each staged row its codes, value and status: used, skipped for a listed
reason (`skip_*`), or a problem; `classify` keeps them in the temp table `classified` (and the
view `resolved`), from which cells.py builds the cells of the used rows only. See accounting.py
for the check that nothing falls between these.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Iterator

from statistik.ingest import layout as lay
from statistik.ingest.spellings import GOOD_AREA, GOOD_CATEGORY, GOOD_PERIOD, Maps
from statistik.ingest.staging import PLAIN, VIEWED, drop
from statistik.ingest.values import MISSING, OK, PROBLEM


def value_sql(v: str, map_alias: str | None) -> tuple[str, str]:
    """SQL for (status, value) of a raw count: plain digits in SQL, the rest from value_map
    (joined as `map_alias`; None when it has no rows, so every other spelling is a problem)."""
    plain = PLAIN.format(v=v)
    other = f"coalesce({map_alias}.status, '{PROBLEM}')" if map_alias else f"'{PROBLEM}'"
    status = f"CASE WHEN {v} IS NULL THEN '{MISSING}' WHEN {plain} THEN '{OK}' ELSE {other} END"
    value = f"CASE WHEN {plain} THEN TRY_CAST({v} AS BIGINT) ELSE {map_alias + '.value' if map_alias else 'NULL'} END"
    return status, value


def _sql_set(values: set[str]) -> str:
    return "(" + ", ".join(f"'{v}'" for v in sorted(values)) + ")"


# One SQL boolean per kind of problem; a row with any of them is a problem row.
def problem_predicates(layout: lay.Layout) -> dict[str, str]:
    """Name → SQL condition on a classified row, for every kind of problem a row can have."""
    preds = {
        "period": f"coalesce(period_status, 'missing') NOT IN {_sql_set(GOOD_PERIOD | {'not_january'})}",
        "area": f"coalesce(area_status, 'missing') NOT IN {_sql_set(GOOD_AREA)}",
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
        preds["category"] = f"coalesce(category_status, 'missing') NOT IN {_sql_set(GOOD_CATEGORY)}"
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


def classify(con, layout: lay.Layout, grouped: bool, today: dt.date, maps: Maps, located: bool = True) -> None:
    """The temp table `classified` and its view `resolved`: what the later steps need of every row.

    Texts are not copied two million times: `classified` keeps each row's spellings by number
    (`period_id`, …) and `resolved` joins the maps back for the steps that need the codes. What is
    the same on every row of a long table (no column name, no days, no summary labels) is a
    constant of the view. A staged view is read without row numbers unless `located` (see
    staging._stage_view), and then only its plainly good rows get a status (_good_rows_sql).
    """
    con.execute("SET VARIABLE import_today = $today::DATE", {"today": today})
    joins = joins_for(layout, maps)
    if not located and layout.kind in VIEWED and not joins & {"time2", "area2", "category2"}:
        for name in ("resolved", "classified"):
            drop(con, name)
        materialize(con, layout, "good_rows", _good_rows_sql(layout, joins))
        # What every row of this pass has alike is a constant of a view, not a column written 2 million times.
        con.execute("""CREATE TEMP VIEW classified AS
                       SELECT NULL::BIGINT AS row_no, 1::BIGINT AS n, *, NULL::VARCHAR AS only_text FROM good_rows""")
        _resolved_view(con, stored=["row_no", "n", "status", "period_id", "area_id", "category_id", "value",
                                    "only_text", "cell_key"])
        return
    source = "staged" if located or layout.kind not in VIEWED else "staged_fast"
    summaries = _has_summaries(con)
    sql = classified_sql(layout, grouped, summaries, joins, source)
    stored = ["row_no", "n", "status", "period_id", "area_id", "category_id", "value", "only_text", "cell_key"]
    if layout.kind not in VIEWED:
        stored.append("column_name")
    if summaries:
        stored += ["summary_mask", "summary_raw"]
    for name in ("resolved", "classified"):
        drop(con, name)
    materialize(con, layout, "classified", f"SELECT {', '.join(stored)} FROM ({sql})")
    _resolved_view(con, stored)


def _good_rows_sql(layout: lay.Layout, joins: frozenset[str]) -> str:
    """The rows of a staged view, read in parallel, with the status 'used' where every spelling
    of the row is good (spellings.py) and the row complete: such a row is used whatever else the
    full classification checks (classified_sql). Any other row's status is NULL, and the file is
    classified again in full (see classify's callers): a file of good rows is read once."""
    _, value = value_sql("s.value_raw", "v" if "value" in joins else None)
    good = ["s.complete", "NOT s.extra", "NOT s.in_checked", "p.good", "a.good"]
    good += ["c.good"] if lay.CATEGORY in layout.roles else []
    plain = PLAIN.format(v="s.value_raw")
    good += [f"({plain} OR coalesce(v.good, false))" if "value" in joins else plain]
    return f"""
        SELECT CASE WHEN coalesce({' AND '.join(good)}, false) THEN 'used' END AS status,
               p.id AS period_id, a.id AS area_id, c.id AS category_id, {value} AS value,
               p.part + a.part + coalesce(c.part, 0) AS cell_key
        FROM staged_fast s
        LEFT JOIN period_map p ON p.raw = s.period_raw
        LEFT JOIN area_map a ON a.raw = s.area_raw
        LEFT JOIN category_map c ON c.raw = s.category_raw
        {'LEFT JOIN value_map v ON v.raw = s.value_raw' if 'value' in joins else ''}"""


def _resolved_view(con, stored: list[str]) -> None:
    """The view `resolved` over `classified`: the maps joined back, absent columns as NULL."""
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
    with maps_probed(con):
        con.execute(f"CREATE OR REPLACE TEMP TABLE {name} AS {sql}")


@contextlib.contextmanager
def maps_probed(con) -> Iterator[None]:
    """Joins of a staged view with the maps, in the order written (the file probes the maps).

    DuckDB cannot tell how many rows a CSV file has, so it would hash the file to probe it with
    the maps: twice the time on a file of two million rows.
    """
    con.execute("SET disabled_optimizers = 'join_order,build_side_probe_side'")
    try:
        yield
    finally:
        con.execute("RESET disabled_optimizers")
