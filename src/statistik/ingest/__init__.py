"""Importing a file: parse → validate → plan → apply, each a separate step.

`prepare` runs the first three on a cursor of its own (a read-only one will do) and returns the
plan (or raises Rejected with every problem); `accept` applies it inside `store.write()`, planned
again against the version being written. `import_file` does all four on one connection.
"""

from __future__ import annotations

import concurrent.futures
import datetime as dt
import functools
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from statistik import config, districts, reference
from statistik.ingest import accounting, cells, direct, findings, spellings, summaries, validation
from statistik.ingest import layout as lay
from statistik.ingest import plan as planning
from statistik.ingest.layout import LAYOUT_NAMES
from statistik.ingest.apply import apply
from statistik.ingest.problems import Problem, Rejected, quote
from statistik.ingest.staging import (TRIM, VIEWED, BadNewlines, EncodingMismatch, rejected_lines, stage,
                                      structural_problems)
from statistik.ingest.textfile import (TextFile, normalize_newlines, nul_problem, open_text_file,
                                       reopen_as_legacy, sha256_of)
from statistik.schema import FIGURES, POPULATION
from statistik.vocabulary import formula_like, hidden_characters

__all__ = ["AccountingError", "NewCategoriesNotChosen", "PlanChanged", "Prepared", "Problem", "Rejected",
           "accept", "apply", "import_file", "new_category_problems", "prepare", "replan"]

AccountingError = accounting.AccountingError


@dataclass
class Prepared:
    """A validated file and its plan, with the cursor that holds its temp tables."""

    plan: planning.Plan
    cursor: duckdb.DuckDBPyConnection
    text_file: TextFile | None = None   # kept while a direct plan's cells are read from it (direct.py)

    def close(self) -> None:
        """Drop the temp tables (and a UTF-8 copy of the file)."""
        self.cursor.close()
        if self.text_file is not None:
            self.text_file.close()


def _stage_with_fallback(cur, tf: TextFile, layout: lay.Layout, path: Path, grouped: bool = True):
    for _ in range(3):
        try:
            return stage(cur, tf, layout, grouped)
        except EncodingMismatch:
            if not tf.encoding.startswith("UTF-8"):
                raise
            # Valid UTF-8 at the head but not further down: an Excel file in Windows-1252,
            # unless other lines are UTF-8 (then the file mixes encodings: refused, with the line).
            reopen_as_legacy(tf, path)
        except BadNewlines:
            if tf.newlines_normalized:
                raise
            normalize_newlines(tf)  # rows appended in Notepad: LF and CRLF mixed
    return stage(cur, tf, layout, grouped)


Progress = Callable[[str, float], None]


def _titles(tf: TextFile, layout: lay.Layout) -> tuple[list[tuple[int, str]], list[Problem]]:
    """Rows above the header: titles (listed), or data that should not be there (a problem)."""
    titles, problems = [], []
    for line, fields in tf.records:
        if line >= layout.header_line:
            break
        filled = [f for f in fields if f]
        if len(filled) <= 2:
            titles.append((line, " ".join(filled)))
        else:
            problems.append(Problem(f"rækken står over overskriften i linje {layout.header_line}: "
                                    f"{';'.join(filled)[:60]!r}", line=line,
                                    fix="flyt overskriften op over alle rækker med tal"))
    return titles, problems


def _lines(tf: TextFile, layout: lay.Layout, rows: set, rejected: list[int]) -> dict[int, int]:
    return tf.physical_lines(layout.header_line, {r for r in rows if r}, skip=set(rejected))


def _parse_and_validate(
    cur: duckdb.DuckDBPyConnection, tf: TextFile, path: Path, source: str | None, today: dt.date,
    progress: Progress, writing: bool = False,
) -> planning.Plan:
    """Parse and validate into the cursor's temp tables; the plan without its cell counts.

    `writing`: the plan is applied at once on this cursor (import_file), so a file of plainly
    good rows may be planned to go straight into the store (direct.py).
    """
    areas, categories = reference.lexicons(cur)
    layout = lay.detect_layout(tf.records, areas)
    progress(f"Læser filen ({LAYOUT_NAMES[layout.kind]}, {tf.encoding})", 0.1)
    titles, problems = _titles(tf, layout)
    stats = _stage_with_fallback(cur, tf, layout, path)
    progress("Kontrollerer perioder, områder, kategorier og antal", 0.5)
    maps = spellings.build_maps(cur, layout, areas, categories, today, stats.spellings)
    if layout.kind in (lay.LONG, lay.WIDE) and not layout.dated and cells.has_days(cur):
        layout.dated = True  # any day among the periods: days of one month add up, never one of them
    if writing and not problems and _source_problem(source) is None:
        stored_as = _source(layout, source)
        if direct.eligible(cur, layout, stats, maps, validation.joins_for(layout, maps), stored_as):
            return _direct_plan(cur, tf, layout, stats, titles, stored_as)
    grouped = stats.grouped
    validation.classify(cur, layout, grouped, today, maps, located=False)
    if layout.kind in VIEWED and (layout.dated or _anything_to_name(cur, layout, maps, _source(layout, source))):
        # Not every row is plainly used: classify in full, reading the file once more with row numbers.
        validation.classify(cur, layout, grouped, today, maps)
    totals = cells.check_wide_totals(cur, layout) if layout.kind == lay.WIDE else []
    contradictions = summaries.check(cur, layout)
    rejected = rejected_lines(cur)
    problems += structural_problems(cur)
    accounts = accounting.account(cur, layout, stats.rows_read, titles, len(rejected))
    if grouped and (accounts.problem or accounts.skipped_rows - len(titles)):
        # Reports were counted per month; read them once more row by row to name the lines.
        stats = _stage_with_fallback(cur, tf, layout, path, grouped=False)
        grouped = False
        validation.classify(cur, layout, grouped, today, maps)
        accounts = accounting.account(cur, layout, stats.rows_read, titles, len(rejected))
    found = (findings.findings(cur, layout, grouped, maps.suggestions, today) if accounts.problem else [])
    repeats, repeated = findings.duplicates(cur, layout, maps.cells)
    found += repeats + findings.mixed_period_kinds(cur, layout, _source(layout, source))
    wanted = {r for f in found for r in (f.first_row, *f.other_rows)}
    wanted |= {r for _, rows, _ in accounts.skipped.values() for r in rows}
    wanted |= {r for r, *_ in totals} | {c.row for c in contradictions}
    new_rows = _new_category_rows(cur, layout, maps)
    wanted |= set(new_rows.values())
    lines = _lines(tf, layout, wanted, rejected)
    warnings = []
    for f in found:
        p = Problem(f.text, line=lines.get(f.first_row), column=f.column, more_lines=max(f.rows - 1, 0),
                    fix=f.fix, other_lines=tuple(lines[r] for r in f.other_rows if r in lines))
        (warnings if f.warning else problems).append(p)
    for row, column, written, computed in totals:
        problems.append(Problem(f"{column} er {quote(written)}, men perioderne i rækken giver {computed}",
                                line=lines.get(row), column=column,
                                fix="ret tallene, eller slet kolonnen med i alt"))
    problems += _summary_problems(contradictions, layout, lines)
    if wrong_source := _source_problem(source):
        problems.append(wrong_source)
    if accounts.problem and not problems:
        raise accounting.AccountingError(f"{accounts.problem} rows refused without a message")
    skipped = _skipped(accounts, titles, lines)
    if not problems and accounts.used == 0:
        problems.append(Problem("filen indeholder ingen tal, der kan gemmes: "
                                + ("; ".join(s.describe() for s in skipped) if skipped else "kun en overskrift")))
    if problems:
        raise Rejected(sorted(problems, key=Problem.sort_key))
    cells.build_cells(cur, layout, repeated)
    cell_counts = accounting.check_cells(cur, layout, accounts)
    warnings += _plan_warnings(cur, layout, lines)
    return planning.Plan(
        file_name=tf.name,
        sha256="",
        layout=layout.kind,
        encoding=tf.encoding,
        delimiter=tf.delimiter,
        source=_source(layout, source),
        measure=POPULATION if layout.kind == lay.POPULATION else FIGURES,
        rows_read=accounts.read,
        rows_used=accounts.used,
        skipped=skipped,
        new_categories={code: name for code, (name, _) in maps.new_categories.items()},
        new_category_lines={code: lines.get(new_rows.get(code)) for code in maps.new_categories},
        ignored_columns=layout.skipped_columns,
        warnings=sorted(warnings + tf.warnings, key=Problem.sort_key),
        cell_counts=cell_counts,
    )


def _source_problem(source: str | None) -> Problem | None:
    """What is wrong with the source given for a file, if anything (None: the default one is used)."""
    if source is None:
        return None
    if not source.strip():
        return Problem("kilden må ikke være tom")
    if why := hidden_characters(source):
        return Problem(f"kilden kan ikke bruges: {why}", fix="skriv kilden igen uden de usynlige tegn")
    if why := formula_like(source):   # `statistik export` writes sources as they are
        return Problem(f"kilden kan ikke bruges: {why}", fix="skriv kilden, så den begynder med et bogstav")
    return None


def _source(layout: lay.Layout, source: str | None) -> str:
    """The source the figures are stored under: the one given, else DST's or the district's police."""
    return source or (config.DST_SOURCE if layout.statbank else districts.current().police)


def _skipped(accounts: accounting.Accounts, titles: list[tuple[int, str]], lines: dict[int, int]) -> list:
    """The plan's skipped rows by reason, with their physical lines."""
    return sorted((accounting.Skipped(reason, n, [lines[r] for r in rows if r in lines] if reason != "skip_title"
                                      else [line for line, _ in titles][:accounting.LISTED_LINES], example)
                   for reason, (n, rows, example) in accounts.skipped.items()),
                  key=lambda s: list(accounting.SKIP_REASONS).index(s.reason))


def _direct_plan(cur, tf: TextFile, layout: lay.Layout, stats, titles: list[tuple[int, str]],
                 source: str) -> planning.Plan:
    """The plan of a file whose every row is a new cell, from the maps alone (see direct.py)."""
    accounts = accounting.account(cur, layout, stats.rows_read, titles, 0,
                                  statuses=[("used", stats.rows_read, [], None)])
    direct.plan_cells(cur, source)
    plan = planning.Plan(
        file_name=tf.name, sha256="", layout=layout.kind, encoding=tf.encoding, delimiter=tf.delimiter, source=source,
        measure=FIGURES, rows_read=accounts.read, rows_used=accounts.used, skipped=_skipped(accounts, titles, {}),
        new=accounts.used, ignored_columns=layout.skipped_columns,
        warnings=sorted(_plan_warnings(cur, layout, {}, used_periods="SELECT id FROM period_map") + tf.warnings,
                        key=Problem.sort_key),
        cell_counts=(accounts.used, 0), direct_total=stats.total)
    planning.cover(plan, *cells.covered(cur, layout.kind, every_spelling=True))
    return plan


def _anything_to_name(cur, layout: lay.Layout, maps: spellings.Maps, source: str) -> bool:
    """Whether some row of the file must be named by its line (or classified in full): not plainly used,
    a cell given twice, or a series in two period lengths."""
    return (cur.execute("SELECT bool_or(status IS DISTINCT FROM 'used') FROM classified").fetchone()[0]
            or findings.is_repeated(cur, layout, maps.cells) or findings.mixes_period_kinds(cur, layout, source))


def _summary_problems(found: list[summaries.Contradiction], layout: lay.Layout, lines: dict[int, int]) -> list[Problem]:
    """A Danish problem for each summary row that contradicts the rows it adds up."""
    role = next((r for r in (lay.COUNT, lay.POP) if layout.roles.get(r, -1) >= 0), None)
    count_column = layout.role_name(role) if role else None
    out = []
    for c in found:
        if c.computed is None:
            text = f"summerækken {quote(c.label)} har et antal, der ikke kan læses: {c.reason or quote(c.written)}"
        else:
            text = (f"summerækken {quote(c.label)} giver {quote(c.written)}, men de rækker, den lægger sammen, giver "
                    f"{'' if c.complete else 'mindst '}{c.computed}")
        out.append(Problem(text, line=lines.get(c.row), column=c.column or count_column,
                           fix="ret tallene, eller slet summerækken (den gemmes ikke)"))
    return out


def _new_category_rows(cur, layout: lay.Layout, maps: spellings.Maps) -> dict[str, int]:
    """The first row that names each new category."""
    if not maps.new_categories:
        return {}
    out = {}
    for code, (_, raw) in maps.new_categories.items():
        out[code] = cur.execute("SELECT min(row) FROM staged WHERE category_raw = ?", [raw]).fetchone()[0]
    return out


USED_PERIODS = "SELECT DISTINCT period_id FROM classified WHERE status = 'used'"


def _plan_warnings(cur, layout: lay.Layout, lines: dict[int, int], used_periods: str = USED_PERIODS) -> list[Problem]:
    """What the plan must say although nothing is wrong: unfinished periods, days added up.

    `used_periods` is SQL for the period spellings of the used rows.
    """
    out = []
    if layout.headerless:
        out.append(Problem("filen har ingen overskrift; kolonnerne er læst i Danmarks Statistiks rækkefølge for "
                           f"BULK-filer ({';'.join(layout.header)})", line=layout.header_line + 1))
    raws, n = cur.execute(
        f"""SELECT list(raw ORDER BY raw), count(*) FROM period_map WHERE status = 'ongoing'
            AND id IN ({used_periods})"""
    ).fetchone()
    if n:
        out.append(Problem(
            f"{'perioden' if len(raws) == 1 else 'perioderne'} {', '.join(map(repr, raws[:3]))} "
            "er ikke slut endnu; tallene kan ændre sig", more_lines=0))
    if layout.statbank:
        dashes = [r[0] for r in cur.execute("SELECT raw FROM value_map WHERE value = 0 AND status = 'ok'").fetchall()
                  if r[0].strip(TRIM) in ("-", "−", "–")]
        zeros = cur.execute("SELECT count(*) FROM staged WHERE value_raw IN (SELECT unnest($d))",
                            {"d": dashes}).fetchone()[0] if dashes else 0
        if zeros:
            out.append(Problem(f"'-' er læst som 0 (Danmarks Statistiks tegn for nul) i {zeros} "
                               f"{'celle' if zeros == 1 else 'celler'}"))
    rows, summed, first = findings.summed_days(cur, layout)
    if summed:
        out.append(Problem(f"{rows} {'celler' if layout.kind == lay.WIDE else 'rækker'} med forskellige datoer i samme "
                           f"måned er lagt sammen til {summed} "
                           "månedstal pr. kommune og kategori (tal pr. dag eller uge lægges sammen i den måned, "
                           "datoen ligger i)", line=lines.get(first),
                           fix="er tallene for uger, der går over en månedsskifte, så ret filen"))
    return out


def prepare(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    source: str | None = None,
    name: str | None = None,
    today: dt.date | None = None,
    progress: Progress | None = None,
    fingerprint: bool = True,
    writing: bool = False,
) -> Prepared:
    """Parse, validate and plan one file; raise Rejected listing every problem.

    `progress(step, fraction)` is told what is happening, for a progress bar. `writing`: the plan
    is applied at once on `con` (see _parse_and_validate).
    """
    path = Path(path)
    progress = progress or (lambda step, fraction: None)
    cur = con.cursor()
    tf = None
    try:
        tf = open_text_file(path, name)
        with concurrent.futures.ThreadPoolExecutor(1) as pool:
            nul: list[int] = []
            checksum = pool.submit(sha256_of, path, nul)  # hashes (and looks for NUL bytes) while DuckDB reads
            try:
                plan = _parse_and_validate(cur, tf, path, source, today or dt.date.today(), progress, writing)
            except Rejected as e:
                checksum.result()
                if not nul:
                    raise
                raise Rejected(_with_nul(e.problems, tf, path, nul)) from None
            plan.sha256 = checksum.result()
            found = _with_nul([], tf, path, nul)
            if found:
                raise Rejected(found)
        progress("Sammenligner med tallene i databasen", 0.8)
        if plan.direct_total is None:  # a direct plan is complete: every row is a new cell (direct.eligible)
            planning.build(cur, plan, fingerprint, cells.covered(cur, plan.layout))
        progress("Klar", 1.0)
        if plan.new + plan.changed + plan.unchanged == 0:
            raise Rejected([Problem("filen indeholder ingen tal, der kan gemmes",
                                    fix="tjek at rækkerne har periode, kommune, kategori og antal")])
        if plan.direct_total is None:  # else kept: applying the plan reads the file (or its UTF-8 copy)
            tf.close()
            tf = None
        return Prepared(plan, cur, tf)
    except BaseException:
        cur.close()
        if tf is not None:
            tf.close()
        raise


def _with_nul(problems: list[Problem], tf: TextFile, path: Path, nul: list[int]) -> list[Problem]:
    found = nul_problem(tf, path, nul[0]) if nul else None
    return sorted(problems + [found], key=Problem.sort_key) if found else problems


class PlanChanged(Exception):
    """The store changed between showing a plan and accepting it."""


class NewCategoriesNotChosen(Exception):
    """A plan with category names we do not know, accepted without choosing to create them."""


def new_category_problems(plan: planning.Plan) -> list[Problem]:
    """One problem per category name the plan would create, for when nobody chose to."""
    return sorted((
        Problem(f"kategorien {quote(name)} findes ikke", line=plan.new_category_lines.get(code),
                fix="er det en ny kategori fra Danmarks Statistik, så importér med --new-categories; "
                    "er det en stavefejl, så ret filen")
        for code, name in plan.new_categories.items()), key=Problem.sort_key)


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


def accept(con: duckdb.DuckDBPyConnection, prepared: Prepared, user: str, allow_new_categories: bool = False) -> int:
    """Write a plan the user has seen into `con` (inside `store.write()`), unless the store changed since.

    The plan was made against the version the user saw; it is made again against the version being
    written and refused if any planned cell differs: every key with its old and new value and the
    upload that wrote it is compared (a fingerprint of them), not only the counts, so a colleague's
    value saved meanwhile is never overwritten unseen. Returns the upload id.
    """
    plan = prepared.plan
    if plan.new_categories and not allow_new_categories:
        raise NewCategoriesNotChosen("Vælg, om de nye kategorier skal oprettes, før filen gemmes.")
    shown = (plan.new, plan.changed, plan.unchanged, plan.fingerprint)
    replan(con, prepared)
    if (plan.new, plan.changed, plan.unchanged, plan.fingerprint) != shown:
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
    allow_new_categories: bool = False,
) -> tuple[planning.Plan, int | None]:
    """Import one file whole or not at all; returns the plan and the upload id (None if nothing written).

    Category names we do not know (Statistikbanken texts) are created only with
    `allow_new_categories`; otherwise the file is refused, naming each one. A long table of
    plainly good rows new to the store is written straight from the file (direct.py).
    """
    once = functools.partial(_import_once, con, Path(path), user=user, source=source, name=name, dry_run=dry_run,
                             today=today, allow_new_categories=allow_new_categories)
    try:
        return once(writing=not dry_run)
    except direct.RepeatedCell:
        # Written straight from the file, a cell came twice (and was undone): the full
        # classification counts it once or refuses the file, naming the lines.
        return once(writing=False)


def _import_once(con: duckdb.DuckDBPyConnection, path: Path, *, user: str, source: str | None, name: str | None,
                 dry_run: bool, today: dt.date | None, allow_new_categories: bool,
                 writing: bool) -> tuple[planning.Plan, int | None]:
    prepared = prepare(con, path, source=source, name=name, today=today, fingerprint=False, writing=writing)
    try:
        plan = prepared.plan
        if dry_run or not plan.has_changes:
            return plan, None
        if plan.new_categories and not allow_new_categories:
            raise Rejected(new_category_problems(plan))
        if plan.direct_total is None:
            return plan, apply(prepared.cursor, plan, user)
        with validation.maps_probed(prepared.cursor):  # the cells are read from the file joined with the maps
            return plan, apply(prepared.cursor, plan, user)
    finally:
        prepared.close()
