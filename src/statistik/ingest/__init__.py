"""Importing a file: parse → validate → plan → apply, each a separate step.

`prepare` runs the first three on a cursor of its own (a read-only one will do) and returns the
plan (or raises Rejected with every problem); `accept` applies it inside `store.write()`, planned
again against the version being written. `import_file` does all four on one connection.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from statistik import config, reference
from statistik.ingest import layout as lay
from statistik.ingest import plan as planning
from statistik.ingest.layout import LAYOUT_NAMES
from statistik.ingest.apply import apply
from statistik.ingest.problems import Problem, Rejected
from statistik.ingest.staging import EncodingMismatch, stage, structural_problems
from statistik.ingest.textfile import TextFile, open_text_file, reopen_as_legacy, sha256_of
from statistik.ingest.validation import resolve
from statistik.schema import FIGURES, POPULATION

__all__ = ["PlanChanged", "Prepared", "Problem", "Rejected", "accept", "apply", "import_file", "prepare", "replan"]


@dataclass
class Prepared:
    """A validated file and its plan, with the cursor that holds its temp tables."""

    plan: planning.Plan
    cursor: duckdb.DuckDBPyConnection

    def close(self) -> None:
        """Drop the temp tables."""
        self.cursor.close()


def _stage_with_fallback(cur, tf: TextFile, layout: lay.Layout, path: Path):
    try:
        return stage(cur, tf, layout)
    except EncodingMismatch:
        if not tf.encoding.startswith("UTF-8"):
            raise
    # Valid UTF-8 at the head but not further down: an Excel file in Windows-1252.
    reopen_as_legacy(tf, path)
    return stage(cur, tf, layout)


Progress = Callable[[str, float], None]


def _parse_and_validate(
    cur: duckdb.DuckDBPyConnection, tf: TextFile, path: Path, source: str | None, today: dt.date,
    progress: Progress,
) -> planning.Plan:
    """Parse and validate into the cursor's temp tables; the plan without its cell counts."""
    areas, categories = reference.lexicons(cur)
    layout = lay.detect_layout(tf.records, areas)
    progress(f"Læser filen ({LAYOUT_NAMES[layout.kind]}, {tf.encoding})", 0.1)
    stats = _stage_with_fallback(cur, tf, layout, path)
    progress("Kontrollerer perioder, områder, kategorier og antal", 0.5)
    result = resolve(cur, tf, layout, areas, categories, today)
    problems = structural_problems(cur) + result.problems
    if not problems and stats.rows_read == 0:
        problems.append(Problem("filen indeholder ingen tal (kun overskrift eller tomme rækker)"))
    if source is not None and not source.strip():
        problems.append(Problem("kilden må ikke være tom"))
    if problems:
        raise Rejected(problems)
    return planning.Plan(
        file_name=tf.name,
        sha256="",
        layout=layout.kind,
        encoding=tf.encoding,
        delimiter=tf.delimiter,
        source=source or (config.DST_SOURCE if layout.statbank else config.DEFAULT_SOURCE),
        measure=POPULATION if layout.kind == lay.POPULATION else FIGURES,
        rows_read=stats.rows_read,
        rows_skipped=result.rows_skipped,
        new_categories=result.new_categories,
        ignored_columns=layout.skipped_columns,
        warnings=result.warnings,
    )


def prepare(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    source: str | None = None,
    name: str | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
) -> Prepared:
    """Parse, validate and plan one file; raise Rejected listing every problem.

    `progress(step, fraction)` is told what is happening, for a progress bar.
    """
    path = Path(path)
    progress = progress or (lambda step, fraction: None)
    cur = con.cursor()
    try:
        with open_text_file(path, name) as tf, concurrent.futures.ThreadPoolExecutor(1) as pool:
            checksum = pool.submit(sha256_of, path)  # hashes while DuckDB reads
            plan = _parse_and_validate(cur, tf, path, source, today or dt.date.today(), progress)
            plan.sha256 = checksum.result()
        progress("Sammenligner med tallene i databasen", 0.8)
        planning.build(cur, plan)
        progress("Klar", 1.0)
        if plan.new + plan.changed + plan.unchanged == 0:
            raise Rejected([Problem("filen indeholder ingen tal, der kan gemmes",
                                    fix="tjek at rækkerne har periode, kommune, kategori og antal")])
        return Prepared(plan, cur)
    except BaseException:
        cur.close()
        raise


class PlanChanged(Exception):
    """The store changed between showing a plan and accepting it."""


def replan(con: duckdb.DuckDBPyConnection, prepared: Prepared) -> planning.Plan:
    """The prepared file's plan made again against the store behind `con` (the write copy, in `store.write()`).

    The cells are copied over as Arrow when `con` is another DuckDB instance than the one that
    prepared them.
    """
    if prepared.cursor is not con:
        prepared.cursor.complete()  # a result left unread would block the Arrow read
        staged = prepared.cursor.sql("SELECT * FROM cells").to_arrow_reader()  # noqa: F841 (read by name below)
        con.execute("CREATE OR REPLACE TEMP TABLE cells AS SELECT * FROM staged")
    return planning.build(con, prepared.plan)


def accept(con: duckdb.DuckDBPyConnection, prepared: Prepared, user: str) -> int:
    """Write a plan the user has seen into `con` (inside `store.write()`), unless the store changed since.

    The plan was made against the version the user saw; it is made again against the version being
    written and refused if it differs. Returns the upload id.
    """
    plan = prepared.plan
    shown = (plan.new, plan.changed, plan.unchanged)
    replan(con, prepared)
    if (plan.new, plan.changed, plan.unchanged) != shown:
        raise PlanChanged(
            "Tallene i databasen er ændret, siden planen blev vist (en anden import?). "
            "Se den nye plan og godkend igen."
        )
    return apply(con, plan, user)


def import_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    user: str,
    source: str | None = None,
    name: str | None = None,
    dry_run: bool = False,
    today: dt.date | None = None,
) -> tuple[planning.Plan, int | None]:
    """Import one file whole or not at all; returns the plan and the upload id (None if nothing written)."""
    prepared = prepare(con, path, source=source, name=name, today=today)
    try:
        plan = prepared.plan
        if dry_run or not plan.has_changes:
            return plan, None
        return plan, apply(prepared.cursor, plan, user)
    finally:
        prepared.close()
