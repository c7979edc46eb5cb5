"""What an import would change: new, changed and unchanged cells against the store."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import duckdb

from statistik import periods
from statistik.formatting import number
from statistik.ingest.accounting import Skipped
from statistik.ingest.layout import LAYOUT_NAMES
from statistik.ingest.staging import drop
from statistik.ingest.problems import Problem
from statistik.ingest.textfile import DELIMITER_NAMES
from statistik.schema import FIGURES, Measure

if TYPE_CHECKING:
    import pandas as pd


@dataclass
class Plan:
    """The outcome of parse → validate → plan, before anything is written."""

    file_name: str
    sha256: str
    layout: str
    encoding: str
    delimiter: str
    source: str
    measure: Measure
    rows_read: int
    rows_used: int
    skipped: list[Skipped] = field(default_factory=list)
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    periods: list[periods.Period] = field(default_factory=list)
    areas: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    new_categories: dict[str, str] = field(default_factory=dict)       # code → name, need a choice
    new_category_lines: dict[str, int | None] = field(default_factory=dict)
    category_parents: dict[str, str] = field(default_factory=dict)   # new code → parent (DST's hierarchy)
    ignored_columns: list[str] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)
    zero_filled: int = 0          # BULK combinations the file leaves out, set to 0
    zero_replacing: int = 0       # of those, how many replace a stored figure (revisions to 0)
    fingerprint: int = 0          # of every planned cell (key, old and new value, old upload)
    cell_counts: tuple[int, int] | None = None   # cells of the file, of them zero-filled (when validated)
    direct_total: int | None = None   # written straight from the file (ingest/direct.py): what its cells add up to

    @property
    def rows_skipped(self) -> int:
        """Rows skipped for any listed reason."""
        return sum(s.rows for s in self.skipped)

    @property
    def has_changes(self) -> bool:
        """Whether applying the plan would write anything."""
        return bool(self.new or self.changed)


def build(con: duckdb.DuckDBPyConnection, plan: Plan, fingerprint: bool = True,
          covered: tuple[list, list, list] | None = None) -> Plan:
    """Compare the temp table `cells` with the store into `plan_cells`.

    When no cell of the file is in the store yet (the usual new month), `plan_cells` is only a
    view of the cells marked new: the big file is not copied once more. The `fingerprint` of
    every planned cell is what accept compares; a plain import has no use for it. `covered`
    (periods, areas, categories of the cells) saves reading them from the cells again.
    """
    m = plan.measure
    source = "$source AS source," if m is FIGURES else ""
    params = {"source": plan.source} if m is FIGURES else {}
    drop(con, "plan_cells")
    overlap = _stored_in(con, plan, covered) and con.execute(
        f"SELECT count(*) FROM (SELECT {source} * FROM cells) c JOIN {m.table} s ON {m.match('c', 's')}", params
    ).fetchone()[0]
    if overlap:
        con.execute(
            f"""CREATE TEMP TABLE plan_cells AS
                SELECT c.*, s.{m.value} AS old_value, s.upload_id AS old_upload_id,
                       CASE WHEN s.{m.value} IS NULL THEN 'new'
                            WHEN s.{m.value} <> c.value THEN 'changed' ELSE 'unchanged' END AS status
                FROM (SELECT {source} * FROM cells) c
                LEFT JOIN {m.table} s ON {m.match('c', 's')}""",
            params,
        )
    else:
        literal = "'" + plan.source.replace("'", "''") + "' AS source," if m is FIGURES else ""
        con.execute(
            f"""CREATE TEMP VIEW plan_cells AS
                SELECT {literal} *, NULL::BIGINT AS old_value, NULL::INTEGER AS old_upload_id, 'new' AS status
                FROM cells"""
        )
    if not overlap and covered and plan.cell_counts and not fingerprint:
        # Every cell is new: nothing to count again.
        plan.new, plan.zero_filled = plan.cell_counts
        plan.changed = plan.unchanged = plan.zero_replacing = plan.fingerprint = 0
        cover(plan, *covered)
        return plan
    # Counts and what the file covers, in one pass over plan_cells.
    period = ("{'kind': period_kind, 'start': period_start}" if m is FIGURES
              else "{'kind': 'Y', 'start': make_date(year, 1, 1)}")
    category = "category_code" if m is FIGURES else "NULL::VARCHAR"
    keys = ", ".join(m.keys)
    lists = ("NULL, NULL, NULL" if covered else
             f"""list(DISTINCT {period}), list(DISTINCT area_code ORDER BY area_code),
                 list(DISTINCT {category} ORDER BY {category}) FILTER (WHERE {category} IS NOT NULL)""")
    (plan.new, plan.changed, plan.unchanged, found_periods, plan.areas, categories, plan.zero_filled,
     plan.zero_replacing, fingerprint) = con.execute(
        f"""SELECT count(*) FILTER (WHERE status = 'new'), count(*) FILTER (WHERE status = 'changed'),
                   count(*) FILTER (WHERE status = 'unchanged'), {lists},
                   count(*) FILTER (WHERE zero_filled), count(*) FILTER (WHERE zero_filled AND status = 'changed'),
                   {f'bit_xor(hash({keys}, value, old_value, old_upload_id))' if fingerprint else '0'}
            FROM plan_cells"""
    ).fetchone()
    if covered:
        found_periods, plan.areas, categories = covered
    plan.fingerprint = int(fingerprint or 0)
    cover(plan, found_periods, plan.areas, categories)
    return plan


def cover(plan: Plan, found_periods: list | None, areas: list | None, categories: list | None) -> None:
    """Set the periods, areas and categories the plan covers (as cells.covered lists them)."""
    plan.periods = sorted((periods.Period(p["kind"], p["start"]) for p in found_periods or []),
                          key=lambda p: (p.start, p.kind))
    plan.areas = areas or []
    plan.categories = categories or []


def _stored_in(con, plan: Plan, covered: tuple[list, list, list] | None) -> bool:
    """Whether the store may hold a cell of the file: any figure of its source in its periods (or,
    without `covered`, of its source at all). A cheap look at the store before joining the cells."""
    m = plan.measure
    if m is FIGURES:
        starts = [p["start"] for p in covered[0]] if covered else None
        return con.execute(
            "SELECT count(*) > 0 FROM figure WHERE source = $source"
            + (" AND period_start IN (SELECT unnest($starts))" if covered else ""),
            {"source": plan.source, **({"starts": starts} if covered else {})}).fetchone()[0]
    years = [p["start"].year for p in covered[0]] if covered else None
    return con.execute("SELECT count(*) > 0 FROM population" + (" WHERE year IN (SELECT unnest($years))" if covered else ""),
                       {"years": years} if covered else {}).fetchone()[0]


def changes(con: duckdb.DuckDBPyConnection, plan: Plan, limit: int = 500) -> pd.DataFrame:
    """The changed cells (old → new) in words, for showing revisions before they are accepted."""
    if plan.measure is FIGURES:
        frame = con.execute(
            f"""SELECT p.period_kind, p.period_start, a.name AS "Område", c.name AS "Kategori",
                       p.old_value AS "Før", p.value AS "Ny"
                FROM plan_cells p JOIN area a ON a.code = p.area_code
                LEFT JOIN category c ON c.code = p.category_code
                WHERE p.status = 'changed'
                ORDER BY p.period_start, a.name, c.name LIMIT {int(limit)}"""
        ).df()
        frame.insert(0, "Periode", [periods.period_label(k, s.date())
                                    for k, s in zip(frame.pop("period_kind"), frame.pop("period_start"))])
        return frame
    return con.execute(
        f"""SELECT a.name AS "Område", p.year AS "År", p.old_value AS "Før", p.value AS "Ny"
            FROM plan_cells p JOIN area a ON a.code = p.area_code
            WHERE p.status = 'changed' ORDER BY a.name, p.year LIMIT {int(limit)}"""
    ).df()


def _span(items: list[str], limit: int = 6) -> str:
    return ", ".join(items[:limit]) + (f" og {len(items) - limit} flere" if len(items) > limit else "")


def describe(plan: Plan, area_names: dict[str, str], category_names: dict[str, str]) -> list[str]:
    """The plan in Danish lines, as shown before an import is accepted."""
    names = {**category_names, **plan.new_categories}
    period_span = (
        plan.periods[0].label if len(plan.periods) == 1
        else f"{plan.periods[0].label} – {plan.periods[-1].label} ({len(plan.periods)} perioder)"
    ) if plan.periods else "–"
    lines = [
        f"Format: {LAYOUT_NAMES[plan.layout]}; {plan.encoding}, adskilt med "
        f"{DELIMITER_NAMES.get(plan.delimiter, repr(plan.delimiter))}.",
        f"Kilde: {plan.source}. Rækker læst: {number(plan.rows_read)}, brugt: {number(plan.rows_used)}"
        + (f", sprunget over: {number(plan.rows_skipped)}" if plan.rows_skipped else "") + ".",
        f"Perioder: {period_span}.",
        f"Områder: {_span([area_names.get(c, c) for c in plan.areas])}.",
    ]
    if plan.categories:
        lines.append(f"Kategorier: {_span([names.get(c, c) for c in plan.categories])}.")
    if plan.skipped:
        lines.append("Sprunget over: " + "; ".join(s.describe() for s in plan.skipped) + ".")
    if plan.ignored_columns:
        lines.append(f"Kolonner, der ikke bruges: {_span(plan.ignored_columns)}.")
    if plan.new_categories:
        named = [f"{name!r}" + (f" (linje {plan.new_category_lines[code]})" if plan.new_category_lines.get(code) else "")
                 for code, name in plan.new_categories.items()]
        lines.append(f"Nye kategorinavne, som vi ikke kender: {_span(named, 10)}. De oprettes kun, "
                     "hvis du vælger det (er det en stavefejl, så ret filen).")
    if plan.zero_filled:
        lines.append(
            f"Kombinationer, som filen ikke nævner, sat til 0 (Danmarks Statistiks regel for BULK-filer): "
            f"{number(plan.zero_filled)} celler"
            + (f", heraf {number(plan.zero_replacing)}, der erstatter et gemt tal (se gammel → 0 nedenfor)"
               if plan.zero_replacing else "") + ".")
    lines.append(
        f"Tal: {number(plan.new)} nye, {number(plan.changed)} ændrede, "
        f"{number(plan.unchanged)} uændrede."
    )
    lines += [f"Bemærk: {w.message()}" for w in plan.warnings]
    return lines
