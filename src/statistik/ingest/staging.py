"""Reading the whole file with DuckDB into one table of raw values, one row per file row.

`staged` holds, for every record after the header, the raw texts of the columns that carry a
role (period, area, category, value, and a second column of a role), how many fields are
filled, and the row number (`row`, 1 = the first record after the header). Reports are
counted per month right away (`n` file rows behind a staged row, `row` unknown), wide tables
are unpivoted into cells (`column_name`). Everything after this works on the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from statistik.ingest import layout as lay
from statistik.ingest.problems import Problem
from statistik.ingest.textfile import TextFile

SPARE_COLUMNS = 4  # room for rows with trailing empty fields beyond the header
REJECTS = "import_rejects"
# Trimmed like a person reads a cell: any white space (tabs, no-break and thin spaces), zero-width
# spaces, a stray BOM. A field of nothing else is empty. DuckDB's trim() strips spaces (also
# no-break and thin ones) cheaply; trimming a set of characters costs several times more on big
# files, so it is paid only for fields that can need it (`_blank`); validation strips each distinct
# spelling in Python.
TRIM = "".join(ch for ch in map(chr, range(0x3001)) if ch.isspace()) + "\u200b\u2060\ufeff"
_TRIM_SQL = TRIM.replace("'", "''")


class EncodingMismatch(Exception):
    """The file is not UTF-8 after all (found beyond the sampled head)."""


class BadNewlines(Exception):
    """DuckDB's reader gave up on the file's line ends (LF and CRLF mixed)."""


# A count written as plain digits, read in SQL; every other spelling goes through values.parse_count.
PLAIN = "regexp_full_match({v}, '[0-9]{{1,15}}')"
# The staged columns whose distinct spellings validation resolves (value_raw: those not PLAIN).
SPELLED = ("period_raw", "time2_raw", "area_raw", "area2_raw", "category_raw", "category2_raw", "value_raw",
           "only_text")
# Long tables and population files are staged as a view over the file, read twice (see _stage_view).
VIEWED = (lay.LONG, lay.POPULATION)


@dataclass
class StageStats:
    """What reading the file found."""

    rows_read: int        # records after the header that DuckDB returned (rejected ones not counted)
    grouped: bool         # reports counted per month: row numbers unknown until located
    spellings: dict[str, list[str]] | None = None   # SPELLED column → its distinct texts (a staged view)
    # A staged view: every row has all its roles, nothing beyond the header's columns or in a
    # checked one (`complete`), and what the rows' counts add up to (when they are plain digits).
    plain: bool = False
    total: int | None = None


def _read_csv(tf: TextFile, layout: lay.Layout, width: int, rejects: bool = True) -> str:
    """read_csv with the sniffed dialect; rows it cannot split are skipped (and kept in REJECTS)."""
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    delim = tf.delimiter.replace("'", "''")
    serial = ", parallel = false" if tf.multiline else ""
    kept = f", store_rejects = true, rejects_table = '{REJECTS}'" if rejects else ""
    return (
        f"read_csv({_sql_str(str(tf.utf8_path))}, auto_detect = false, header = false, delim = '{delim}', "
        f"quote = '\"', escape = '\"', skip = {layout.header_line}, null_padding = true, "
        f"ignore_errors = true, columns = {{{columns}}}{kept}{serial})"
    )


def width_of(tf: TextFile, layout: lay.Layout) -> int:
    """Columns read: the header's, the widest sampled row's, and a few spare."""
    return max([layout.width] + [len(f) for _, f in tf.records]) + SPARE_COLUMNS


def col(i: int | None) -> str:
    """SQL for a column's text without spaces around it, NULL when empty or when the role has no column."""
    return "NULL::VARCHAR" if i is None or i < 0 else f"nullif(trim(c{i}), '')"


def blank_trimmed(i: int) -> str:
    """SQL for a column's text trimmed of every blank character (TRIM), NULL when nothing is left."""
    return f"nullif(trim(c{i}, '{_TRIM_SQL}'), '')"


# A report's date as a day, for the usual formats (day first); NULL leaves it to Python.
DAY_SQL = """coalesce(try_strptime({v}, '%Y-%m-%d'), try_strptime({v}, '%d-%m-%Y'),
                       try_strptime({v}, '%d.%m.%Y'), try_strptime({v}, '%d/%m/%Y'))::DATE"""


def _role_columns(layout: lay.Layout) -> dict[str, int | None]:
    """Staged column name → the file's column that holds it (None: the file has no such column)."""
    roles = layout.roles
    return {
        "period_raw": roles.get(lay.DATE, roles.get(lay.PERIOD)),
        "area_raw": roles.get(lay.AREA),
        "category_raw": roles.get(lay.CATEGORY),
        "value_raw": None if layout.kind in (lay.REPORTS, lay.WIDE) else roles.get(lay.COUNT, roles.get(lay.POP)),
        "time2_raw": layout.second.get(lay.DATE, layout.second.get(lay.PERIOD)),
        "area2_raw": layout.second.get(lay.AREA),
        "category2_raw": layout.second.get(lay.CATEGORY),
    }


def _row_columns(tf: TextFile, layout: lay.Layout) -> str:
    """The per-row columns every layout stages: roles, second roles, fill and header checks."""
    width = width_of(tf, layout)
    cols = _role_columns(layout)
    # The roles as written (validation strips each distinct spelling; a blank one is missing).
    roles_sql = {name: "NULL::VARCHAR" if i is None or i < 0 else f"nullif(c{i}, '')" for name, i in cols.items()}
    if layout.period_parts:
        roles_sql["period_raw"] = _period_from_parts(*layout.period_parts)
    trimmed = [blank_trimmed(i) for i in range(width)]
    # Cheap first: a row whose roles all hold text is `complete`, and its fields are counted as its
    # roles (all the later steps ask is 0, 1 or more); validation takes off the roles whose text is
    # blank (a tab, a no-break space: its map says 'missing'). Trimming every field of blanks and
    # counting them is paid only for the other rows (an empty role) and for fields beyond the header.
    main = [n for n, i in cols.items()
            if i is not None and i >= 0 and n in ("period_raw", "area_raw", "category_raw", "value_raw")]
    counted = _balanced("+", [f"({t} IS NOT NULL)::INTEGER" for t in trimmed])
    complete = " AND ".join(f"{roles_sql[n]} IS NOT NULL" for n in main) or "false"
    filled = f"CASE WHEN {complete} THEN {len(main)} ELSE {counted} END"
    spare = range(layout.width, width)
    beyond = (f"CASE WHEN {_balanced('OR', [f'c{i} IS NOT NULL' for i in spare])} "
              f"THEN {_balanced('OR', [f'{trimmed[i]} IS NOT NULL' for i in spare])} ELSE false END") if spare else "false"
    named = [i for i in [*cols.values(), *layout.period_columns] if i is not None and 0 <= i < layout.width
             and layout.header[i]]
    if layout.kind in VIEWED:
        repeat = None  # from the maps (validation.classified_sql): no test of every row's text
    elif len(named) >= 2:
        first = named[0]
        rest = _balanced("AND", [f"lower(trim(replace(c{i}, chr(65279), ''))) = {_sql_str(layout.header[i].lower())}"
                                 for i in named])
        repeat = (f"CASE WHEN c{first} ILIKE {_sql_str('%' + _like(layout.header[first]) + '%')} ESCAPE '\\' "
                  f"THEN {rest} ELSE false END")
    else:
        repeat = "false"
    checked = (f"CASE WHEN {_balanced('OR', [f'c{i} IS NOT NULL' for i in layout.checked_columns])} "
               f"THEN {_balanced('OR', [f'{trimmed[i]} IS NOT NULL' for i in layout.checked_columns])} ELSE false END"
               if layout.checked_columns else "false")
    return ", ".join(
        [f"{sql} AS {name}" for name, sql in roles_sql.items()]
        + [f"({complete}) AS complete", f"({filled}) AS filled",
           f"CASE WHEN NOT ({complete}) AND {counted} = 1 THEN coalesce({', '.join(trimmed)}) END AS only_text",
           f"({beyond}) AS extra", f"({checked}) AS in_checked"]
        + ([f"({repeat}) AS header_repeat"] if repeat else [])
    )


def _period_from_parts(year: int, part: int, kind: str) -> str:
    """SQL for one period text from a year column and a month or quarter column: 'september 2025',
    '9-2025', 'K1 2025' (as periods.parse_period reads them); NULL when either is empty."""
    y, p = f"nullif(trim(c{year}), '')", f"nullif(trim(c{part}), '')"
    number, joined = ("[1-4]", f"'K' || {p} || ' ' || {y}") if kind == "Q" else ("[0-9]{1,2}", f"{p} || '-' || {y}")
    return f"CASE WHEN regexp_full_match({p}, '{number}') THEN {joined} ELSE {p} || ' ' || {y} END"


def _balanced(op: str, terms: list[str]) -> str:
    """`a op b op c …` as a balanced tree: a file of thousands of columns stays within SQL's nesting limit."""
    if len(terms) <= 8:
        return "(" + f" {op} ".join(terms) + ")"
    half = len(terms) // 2
    return f"({_balanced(op, terms[:half])} {op} {_balanced(op, terms[half:])})"


def drop(con, name: str) -> None:
    """Drop the temp table or view `name`, whichever it is."""
    for kind in ("VIEW", "TABLE"):
        try:
            con.execute(f"DROP {kind} IF EXISTS {name}")
        except duckdb.CatalogException:
            pass  # it is the other kind


def _like(text: str) -> str:
    """A header text as an ILIKE pattern matching itself."""
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _sql_str(value) -> str:
    return "NULL" if value is None else "'" + str(value).replace("'", "''") + "'"


def stage(con: duckdb.DuckDBPyConnection, tf: TextFile, layout: lay.Layout, grouped: bool = True) -> StageStats:
    """Read the whole file into the temp table `staged`; raise EncodingMismatch if it is not UTF-8.

    `grouped=False` keeps one staged row per report (with its row number), for naming lines.
    """
    con.execute(f"DROP TABLE IF EXISTS {REJECTS}")
    try:
        stats = _stage(con, tf, layout, grouped and layout.kind == lay.REPORTS)
    except duckdb.Error as e:
        message = str(e).lower()
        if "quoted new lines" in message and not tf.multiline:
            tf.multiline = True  # Excel's Alt+Enter: a quoted field spans lines
            return stage(con, tf, layout, grouped)
        if "unicode" in message or "encoding" in message:
            raise EncodingMismatch from e
        if "invalid state" in message:
            raise BadNewlines from e
        raise
    if con.execute(f"SELECT count(*) FROM {REJECTS} WHERE error_type = 'INVALID ENCODING'").fetchone()[0]:
        raise EncodingMismatch
    return stats


def _stage_view(con: duckdb.DuckDBPyConnection, tf: TextFile, layout: lay.Layout) -> StageStats:
    """`staged` as a view over the file, and one pass over it that counts the rows, keeps the rows
    DuckDB cannot split (REJECTS) and collects the distinct spellings validation resolves.

    Reading a CSV file is cheap next to copying two million rows of text into a table; classify
    reads the file once more, straight into the classified rows.
    """
    width = width_of(tf, layout)
    columns = _row_columns(tf, layout)
    for name in ("staged", "staged_fast"):
        drop(con, name)
    source = _read_csv(tf, layout, width, rejects=False)
    # Row numbers come from a serial read (ORDINALITY); `staged_fast` has none and reads in parallel,
    # for a file whose rows all go into cells (nothing to list or name, see validation.classify).
    con.execute(f"CREATE TEMP VIEW staged AS SELECT {columns}, ordinality AS row FROM {source} WITH ORDINALITY")
    con.execute(f"CREATE TEMP VIEW staged_fast AS SELECT {columns}, NULL::BIGINT AS row FROM {source}")
    present = _role_columns(layout)
    spelled = [c for c in SPELLED if c == "only_text" or (present[c] is not None and present[c] >= 0)]
    lists = ", ".join(
        f"list(DISTINCT {c}) FILTER (WHERE {c} IS NOT NULL"
        + (f" AND NOT {PLAIN.format(v=c)})" if c == "value_raw" else ")") for c in spelled)
    # fetchall: REJECTS is written when the result is read to its end, not at its first row.
    row = con.execute(
        f"""SELECT count(*), coalesce(bool_and(complete AND NOT extra AND NOT in_checked), false),
                   sum(TRY_CAST(value_raw AS BIGINT)), {lists}
            FROM (SELECT {columns} FROM {_read_csv(tf, layout, width)})""").fetchall()[0]
    found = dict(zip(spelled, row[3:]))
    return StageStats(int(row[0]), False, {c: found.get(c) or [] for c in SPELLED}, bool(row[1]),
                      None if row[2] is None else int(row[2]))


def _stage(con: duckdb.DuckDBPyConnection, tf: TextFile, layout: lay.Layout, grouped: bool) -> StageStats:
    if layout.kind in VIEWED:
        return _stage_view(con, tf, layout)
    params: dict = {}
    located = "" if grouped else ", ordinality AS row"
    source = (f"SELECT {_row_columns(tf, layout)}{located} FROM {_read_csv(tf, layout, width_of(tf, layout))}"
              + ("" if grouped else " WITH ORDINALITY"))
    if layout.kind == lay.WIDE:
        _stage_wide(con, tf, layout)
    elif layout.kind == lay.REPORTS:
        # Reports are counted per month right away: grouping by the day would keep almost
        # every row. Dates SQL cannot read stay as written, for Python to parse or report.
        day = DAY_SQL.format(v="period_raw")
        per_row = f"""SELECT *, CASE WHEN day IS NULL THEN period_raw ELSE strftime(day, '%Y-%m') END AS month_raw
                      FROM (SELECT *, {day} AS day FROM ({source}))"""
        if grouped:
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE staged AS
                    SELECT month_raw AS period_raw, area_raw, category_raw, value_raw, time2_raw, area2_raw,
                           category2_raw, complete, filled, only_text, extra, header_repeat, in_checked,
                           count(*) AS n, max(day) AS last_day, arg_max(period_raw, day) AS day_raw,
                           NULL::BIGINT AS row, NULL::VARCHAR AS column_name
                    FROM ({per_row}) GROUP BY ALL""",
                params,
            )
        else:
            con.execute(
                f"""CREATE OR REPLACE TEMP TABLE staged AS
                    SELECT * EXCLUDE (period_raw, month_raw, day), month_raw AS period_raw, 1::BIGINT AS n,
                           day AS last_day, period_raw AS day_raw, NULL::VARCHAR AS column_name
                    FROM ({per_row})""",
                params,
            )
    if layout.kind == lay.WIDE:
        sql = "SELECT count(*) FROM wide_rows"
    else:
        sql = "SELECT coalesce(sum(n), 0) FROM staged"
    return StageStats(rows_read=int(con.execute(sql).fetchone()[0]),
                      grouped=grouped and layout.kind == lay.REPORTS)


def _stage_wide(con: duckdb.DuckDBPyConnection, tf: TextFile, layout: lay.Layout) -> None:
    """Unpivot periods across the top; labels given only on a group's first row repeat down."""
    width = width_of(tf, layout)
    area, category = layout.roles[lay.AREA], layout.roles[lay.CATEGORY]
    labels = ", ".join(
        f"last_value({blank_trimmed(i)} IGNORE NULLS) OVER (ORDER BY ordinality) AS {name}"
        for i, name in ((area, "area_raw"), (category, "category_raw"))
    )
    values = ", ".join(f"{col(i)} AS v{i}" for i in (*layout.period_columns, *layout.total_columns))
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE wide_rows AS
            SELECT ordinality AS row, {labels}, {values}, * EXCLUDE (area_raw, category_raw)
            FROM (SELECT {_row_columns(tf, layout)}, * FROM {_read_csv(tf, layout, width)} WITH ORDINALITY)"""
    )
    unions = " UNION ALL ".join(
        f"""SELECT row, area_raw, category_raw, $h{i} AS period_raw, v{i} AS value_raw, complete, filled, only_text,
                   extra, header_repeat, in_checked, $h{i} AS column_name
            FROM wide_rows WHERE filled > 0"""
        for i in layout.period_columns
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE staged AS
            SELECT row, 1::BIGINT AS n, period_raw, area_raw, category_raw, value_raw, NULL::VARCHAR AS time2_raw,
                   NULL::VARCHAR AS area2_raw, NULL::VARCHAR AS category2_raw, complete, filled, only_text, extra,
                   header_repeat, in_checked, column_name
            FROM ({unions})""",
        {f"h{i}": layout.header[i] for i in layout.period_columns},
    )


_STRUCTURAL = {
    "TOO MANY COLUMNS": "rækken har flere felter end overskriften",
    "UNQUOTED VALUE": "et anførselstegn er ikke lukket rigtigt",
    "LINE SIZE OVER MAXIMUM": "linjen er for lang (over 2 MB) til at være en række i en CSV-fil",
    "INVALID ENCODING": "linjen indeholder tegn, der ikke er UTF-8",
}


def rejected_lines(con: duckdb.DuckDBPyConnection) -> list[int]:
    """Physical lines of the rows DuckDB could not split."""
    return [r[0] for r in con.execute(f"SELECT DISTINCT line FROM {REJECTS} ORDER BY line").fetchall()]


def structural_problems(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    """Rows DuckDB could not split into the header's columns (too many fields, bad quotes)."""
    rows = con.execute(
        f"""SELECT line, any_value(error_type), any_value(csv_line), count(*) OVER ()
            FROM {REJECTS} GROUP BY line ORDER BY line LIMIT 20"""
    ).fetchall()
    problems = []
    for line, kind, text, total in rows:
        what = _STRUCTURAL.get(kind, "rækken kan ikke læses")
        shown = (text or "").strip()
        problems.append(Problem(f"{what}: {shown[:80]!r}" if len(shown) < 10_000 else what, line=int(line)))
    return problems
