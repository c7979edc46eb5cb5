"""Problems in a resolved file: what is wrong, and on which physical lines (error path).

Works on the temp table `resolved` (see validation.py): one query per kind of problem, then
one more read of the file to find the lines, only when something was found.
"""

from __future__ import annotations

from dataclasses import dataclass

from statistik.ingest import layout as lay
from statistik.ingest.staging import DAY_SQL, source_sql
from statistik.ingest.textfile import TextFile


@dataclass
class Finding:
    """A problem not yet tied to a line: which raw value (or combination) to look for."""

    text: str
    column: str | None
    where: dict[str, str | None]          # raw column → value
    fix: str | None = None
    first_row: int | None = None          # known already (wide layouts)
    other_rows: tuple[int, ...] = ()
    rows: int = 1
    warning: bool = False


def rows_sql(layout: lay.Layout) -> str:
    """SQL counting file rows: in a wide table each row is many cells."""
    return "count(DISTINCT first_row)" if layout.kind == lay.WIDE else "sum(n)"


def findings(con, layout: lay.Layout, suggestions: dict[str, dict[str, str | None]]) -> list[Finding]:
    """Every problem in `resolved`; `suggestions` maps a raw column's unknown values to a fix."""
    findings: list[Finding] = []
    wide = layout.kind == lay.WIDE
    period_col = layout.role_name(lay.DATE if layout.kind == lay.REPORTS else lay.PERIOD) if not wide else None
    value_col = None if wide or layout.kind == lay.REPORTS else layout.role_name(
        lay.POP if layout.kind == lay.POPULATION else lay.COUNT)
    live = "NOT summary"
    rows = rows_sql(layout)

    def add(sql: str, make) -> None:
        for row in con.execute(sql).fetchall():
            findings.append(make(*row))

    first_row = "min(first_row)" if wide else "NULL"
    add(f"""SELECT period_raw, period_status, {first_row}, {rows} FROM resolved
            WHERE period_status NOT IN ('ok', 'future_day') AND period_raw IS NOT NULL AND {live}
            GROUP BY ALL""",
        lambda raw, status, row, n: Finding(
            {"unknown": f"ukendt {'dato' if layout.kind == lay.REPORTS else 'periode'} {raw!r}",
             "future": f"perioden {raw!r} ligger i fremtiden",
             "not_january": f"folketal for {raw!r}: kun folketal pr. 1. januar bruges (fx 2024K1)"}[status],
            period_col or raw, {"period_raw": raw}, first_row=row, rows=n,
            fix={"unknown": "skriv fx 2025-09, sep 2025, 2025K3 eller 2025" if layout.kind != lay.REPORTS
                 else "skriv datoen som 03-09-2025 eller 2025-09-03"}.get(status),
            warning=status == "not_january"))
    add(f"""SELECT max(last_day), sum(n) FROM resolved WHERE period_status = 'future_day' AND {live}
            HAVING sum(n) > 0""",
        lambda last, n: Finding(f"dato i fremtiden (den seneste er {last:%d-%m-%Y})", period_col,
                                 {"future_day": last}, rows=n))
    if not wide:
        add(f"""SELECT sum(n) FROM resolved WHERE period_raw IS NULL AND {live} HAVING sum(n) > 0""",
            lambda n: Finding("mangler periode", period_col, {"period_raw": None}, rows=n))
        add(f"""SELECT list(DISTINCT period_raw ORDER BY period_raw), sum(n) FROM resolved
                WHERE ongoing AND {live} HAVING sum(n) > 0""",
            lambda raws, n: Finding(
                f"{'perioden' if len(raws) == 1 else 'perioderne'} {', '.join(map(repr, raws[:3]))} "
                "er ikke slut endnu; tallene kan ændre sig", period_col, {"ongoing": True},
                rows=n, warning=True))
    if layout.kind == lay.LONG and not layout.statbank:
        add(f"""SELECT sum(n) FROM resolved WHERE value_status = 'missing' AND {live} HAVING sum(n) > 0""",
            lambda n: Finding("intet antal; rækken springes over", value_col, {"value_raw": None},
                               rows=n, warning=True))
    for role, column, what in ((lay.AREA, "area_raw", "kommune"), (lay.CATEGORY, "category_raw", "kategori")):
        if role not in layout.roles:
            continue
        status_col = "area_status" if role == lay.AREA else "category_status"
        add(f"""SELECT {column}, {status_col}, {first_row}, {rows} FROM resolved
                WHERE {status_col} IN ('unknown', 'empty') AND {live} GROUP BY ALL""",
            lambda raw, status, row, n, what=what, role=role, column=column: Finding(
                f"ukendt {what} {raw!r}" if status == "unknown" else f"mangler {what}",
                layout.role_name(role), {column: raw}, first_row=row, rows=n,
                fix=(f"mente du {suggestions[column][raw]}?" if suggestions[column].get(raw) else
                     ("brug kommunens navn eller kode, fx København eller 101" if role == lay.AREA
                      else "ny kategori? tilføj den med: statistik category add \"Navn\""))
                if status == "unknown" else None))
    if layout.kind != lay.REPORTS:
        add(f"""SELECT value_raw, value_status, period_raw, {first_row}, any_value(column_name), {rows}
                FROM resolved WHERE value_status IN ('negative', 'decimal', 'invalid') AND {live}
                GROUP BY value_raw, value_status, period_raw""",
            lambda raw, status, period_raw, row, column, n: Finding(
                {"negative": f"negativt antal {raw!r}",
                 "decimal": f"decimaltal {raw!r}",
                 "invalid": f"{raw!r} er ikke et antal"}[status],
                value_col or column, {"value_raw": raw, **({"period_raw": period_raw} if wide else {})},
                fix="et antal skal være et helt tal, 0 eller derover", first_row=row, rows=n))
    add(f"""SELECT {first_row}, {rows} FROM resolved WHERE extra HAVING sum(n) > 0""",
        lambda row, n: Finding("rækken har flere udfyldte felter end overskriften", None,
                                {"extra": True}, first_row=row, rows=n))
    if layout.kind != lay.REPORTS:
        findings += _duplicates(con, layout, value_col, first_row, live)
    return findings


def _duplicates(con, layout, value_col, first_row, live) -> list[Finding]:
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
        out.append(Finding(
            f"samme celle ({cell}) står {n} gange med forskellige antal ({shown})" if differ
            else f"samme række ({cell}) står {n} gange; tallet tælles én gang",
            value_col, {"combo": combos}, first_row=row, rows=n, warning=not differ,
            fix="ret eller fjern den ene række" if differ else None,
        ))
    return out


def locate(con, tf: TextFile, layout: lay.Layout, findings: list[Finding]) -> None:
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
