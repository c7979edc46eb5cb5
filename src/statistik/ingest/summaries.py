"""Summary rows ('I alt', 'Total') are not stored, but they must agree with the rows they add up.

A summary row adds up over the labels that are a summary label or empty (`I alt;Kontaktbedrageri`
is every area's Kontaktbedrageri of that period; `2025-10;I alt;;134` every area and category of
October) and matches the rows on the others. It contradicts them when its count differs from their
sum, or, where some of them have no figure ('..'), when it is smaller than the sum of the rest.
A summary row whose count is no count at all is a problem too. Such rows refuse the file.
"""

from __future__ import annotations

from dataclasses import dataclass

from statistik.ingest import layout as lay
from statistik.ingest.validation import (VALUE_MISSING, VALUE_PROBLEM, WILD_AREA, WILD_CATEGORY, WILD_PERIOD)

_KEYS = {  # what a summary row matches on, for each label it does not add up over
    WILD_PERIOD: {"period_kind": "period_kind", "period_start": "period_start",
                  "period_day": "coalesce(period_day, DATE '0001-01-01')"},
    WILD_AREA: {"area_code": "area_code"},
    WILD_CATEGORY: {"category_code": "category_code"},
}


@dataclass
class Contradiction:
    """A summary row whose count is not what the rows it adds up give (`computed` None: no count)."""

    row: int
    column: str | None
    label: str                 # the summary label as written ('I alt')
    written: str
    computed: int | None
    complete: bool = True     # every row it adds up has a figure
    reason: str | None = None  # why `written` is no count


def check(con, layout: lay.Layout) -> list[Contradiction]:
    """The summary rows that contradict the rows they add up; marks them as problems (`classified`)."""
    if layout.kind == lay.REPORTS:
        return []
    masks = [m for (m,) in con.execute(
        "SELECT DISTINCT summary_mask FROM resolved WHERE summary_mask IS NOT NULL").fetchall()]
    if not masks:
        return []
    found = [Contradiction(row, column, label, raw, None, reason=reason) for row, column, label, raw, reason in con.execute(
        f"""SELECT r.row_no, r.column_name, r.summary_raw[1], r.summary_raw[2], v.detail FROM resolved r
            LEFT JOIN value_map v ON v.raw = r.summary_raw[2]
            WHERE r.summary_mask & {VALUE_PROBLEM} > 0"""
    ).fetchall()]
    for mask in {m & (WILD_PERIOD | WILD_AREA | WILD_CATEGORY) for m in masks
                 if not m & (VALUE_MISSING | VALUE_PROBLEM)}:
        keys = {name: sql for bit, names in _KEYS.items() if not mask & bit for name, sql in names.items()}
        select = ", ".join(f"{sql} AS {name}" for name, sql in keys.items()) or "1 AS one"
        on = " AND ".join(f"t.{name} = p.{name}" for name in keys) or "true"
        found += [Contradiction(*row) for row in con.execute(
            f"""WITH totals AS (SELECT row_no, column_name, summary_raw, value, {select}
                                FROM resolved WHERE summary_mask = {mask}),
                     parts AS (SELECT {select}, sum(value) FILTER (WHERE status = 'used') AS s,
                                      count(*) FILTER (WHERE status <> 'used') = 0 AS complete
                               FROM resolved WHERE status IN ('used', 'skip_nofigure', 'problem')
                               GROUP BY ALL)
                SELECT t.row_no, t.column_name, t.summary_raw[1], t.summary_raw[2], p.s, p.complete
                FROM totals t JOIN parts p ON {on}
                WHERE p.s IS NOT NULL AND ((p.complete AND t.value <> p.s) OR t.value < p.s)"""
        ).fetchall()]
    if found:
        con.execute("UPDATE classified SET status = 'problem' WHERE row_no IN (SELECT unnest($rows))",
                    {"rows": sorted({c.row for c in found})})
    return sorted(found, key=lambda c: (c.row, c.column or ""))
