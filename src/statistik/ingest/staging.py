"""Reading the whole file with DuckDB into one small table of raw values.

`staged` has one row per distinct (period, area, category, value) as written in the file,
with `n` the number of file rows behind it. Reports are counted and wide tables unpivoted
here, so everything after this works on the same shape, whatever the layout.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from statistik.ingest import layout as lay
from statistik.ingest.problems import Problem
from statistik.ingest.textfile import TextFile

SPARE_COLUMNS = 4  # room for rows with trailing empty fields beyond the header
REJECTS = "import_rejects"


class EncodingMismatch(Exception):
    """The file is not UTF-8 after all (found beyond the sampled head)."""


@dataclass
class StageStats:
    """What reading the file found."""

    rows_read: int        # data rows (blank and all-empty rows left out)


def _read_csv(tf: TextFile, layout: lay.Layout, width: int, rejects: bool) -> str:
    """read_csv with the sniffed dialect; rows it cannot split are skipped (and kept in REJECTS)."""
    columns = ", ".join(f"'c{i}': 'VARCHAR'" for i in range(width))
    delim = tf.delimiter.replace("'", "''")
    extra = f", store_rejects = true, rejects_table = '{REJECTS}'" if rejects else ""
    serial = ", parallel = false" if tf.multiline else ""
    return (
        f"read_csv($path, auto_detect = false, header = false, delim = '{delim}', "
        f"quote = '\"', escape = '\"', skip = {layout.header_line}, null_padding = true, "
        f"ignore_errors = true, columns = {{{columns}}}{extra}{serial})"
    )


def _width(tf: TextFile, layout: lay.Layout) -> int:
    return max([layout.width] + [len(f) for _, f in tf.records]) + SPARE_COLUMNS


# A report's date as a day, for the usual formats (day first); NULL leaves it to Python.
DAY_SQL = """coalesce(try_strptime({v}, '%Y-%m-%d'), try_strptime({v}, '%d-%m-%Y'),
                       try_strptime({v}, '%d.%m.%Y'), try_strptime({v}, '%d/%m/%Y'))::DATE"""


def _col(i: int | None) -> str:
    return "NULL::VARCHAR" if i is None or i < 0 else f"nullif(trim(c{i}), '')"


def source_sql(
    tf: TextFile, layout: lay.Layout, rejects: bool = False, ordinality: bool = False
) -> str:
    """SQL (with $path) selecting the file's rows as period/area/category/value columns.

    With `ordinality`, also the row number (1 = first row after the header).
    """
    width = _width(tf, layout)
    roles = layout.roles
    period = roles.get(lay.DATE, roles.get(lay.PERIOD))
    value = roles.get(lay.COUNT, roles.get(lay.POP))
    extra = " OR ".join(f"c{i} IS NOT NULL" for i in range(layout.width, width)) or "false"
    value_sql = "NULL::VARCHAR" if layout.kind == lay.REPORTS else _col(value)
    return f"""
        SELECT {_col(period)} AS period_raw, {_col(roles.get(lay.AREA))} AS area_raw,
               {_col(roles.get(lay.CATEGORY))} AS category_raw, {value_sql} AS value_raw,
               ({extra}) AS extra{", ordinality" if ordinality else ""}
        FROM {_read_csv(tf, layout, width, rejects)}{" WITH ORDINALITY" if ordinality else ""}"""


def stage(con: duckdb.DuckDBPyConnection, tf: TextFile, layout: lay.Layout) -> StageStats:
    """Read the whole file into the temp table `staged`; raise EncodingMismatch if it is not UTF-8."""
    con.execute(f"DROP TABLE IF EXISTS {REJECTS}")
    try:
        stats = _stage(con, tf, layout)
    except duckdb.Error as e:
        message = str(e).lower()
        if "quoted new lines" in message and not tf.multiline:
            tf.multiline = True  # Excel's Alt+Enter: a quoted field spans lines
            return stage(con, tf, layout)
        if "unicode" in message or "encoding" in message:
            raise EncodingMismatch from e
        raise
    if con.execute(f"SELECT count(*) FROM {REJECTS} WHERE error_type = 'INVALID ENCODING'").fetchone()[0]:
        raise EncodingMismatch
    return stats


def _stage(con: duckdb.DuckDBPyConnection, tf: TextFile, layout: lay.Layout) -> StageStats:
    if layout.kind == lay.WIDE:
        _stage_wide(con, tf, layout)
    elif layout.kind == lay.REPORTS:
        # Reports are counted per month right away: grouping by the day would keep almost
        # every row. Dates SQL cannot read stay as written, for Python to parse or report.
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE staged AS
                SELECT CASE WHEN day IS NULL THEN period_raw ELSE strftime(day, '%Y-%m') END AS period_raw,
                       area_raw, category_raw, value_raw, extra, count(*) AS n, max(day) AS last_day,
                       NULL::BIGINT AS first_row, NULL::VARCHAR AS column_name
                FROM (SELECT *, {DAY_SQL.format(v='period_raw')} AS day
                      FROM ({source_sql(tf, layout, rejects=True)}))
                GROUP BY ALL""",
            {"path": str(tf.utf8_path)},
        )
    else:
        # One row per file row: grouping identical rows costs more than it saves here, and a
        # repeated row is found anyway as a repeated cell.
        con.execute(
            f"""CREATE OR REPLACE TEMP TABLE staged AS
                SELECT period_raw, area_raw, category_raw, value_raw, extra,
                       1::BIGINT AS n, NULL::DATE AS last_day, NULL::BIGINT AS first_row,
                       NULL::VARCHAR AS column_name
                FROM ({source_sql(tf, layout, rejects=True)})""",
            {"path": str(tf.utf8_path)},
        )
    if layout.kind == lay.WIDE:  # staged holds cells there; count the file's rows
        sql = "SELECT count(*) FILTER (WHERE NOT empty) FROM wide_rows"
    else:
        sql = """SELECT coalesce(sum(n) FILTER (WHERE period_raw IS NOT NULL OR area_raw IS NOT NULL
                                               OR category_raw IS NOT NULL OR value_raw IS NOT NULL), 0)
                 FROM staged"""
    return StageStats(rows_read=int(con.execute(sql).fetchone()[0]))


def _stage_wide(con: duckdb.DuckDBPyConnection, tf: TextFile, layout: lay.Layout) -> None:
    """Unpivot periods across the top; labels given only on a group's first row repeat down."""
    width = _width(tf, layout)
    area, category = layout.roles[lay.AREA], layout.roles[lay.CATEGORY]
    labels = ", ".join(
        f"last_value(nullif(trim(c{i}), '') IGNORE NULLS) OVER (ORDER BY ordinality) AS c{i}"
        for i in (area, category)
    )
    values = ", ".join(f"nullif(trim(c{i}), '') AS v{i}" for i in layout.period_columns)
    beyond = " OR ".join(f"c{i} IS NOT NULL" for i in range(layout.width, width))
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE wide_rows AS
            SELECT ordinality AS row, {labels}, {values}, ({beyond}) AS extra,
                   ({' AND '.join(f'c{i} IS NULL' for i in range(width))}) AS empty
            FROM {_read_csv(tf, layout, width, rejects=True)} WITH ORDINALITY""",
        {"path": str(tf.utf8_path)},
    )
    unions = " UNION ALL ".join(
        f"""SELECT row, c{area} AS area_raw, c{category} AS category_raw,
                   $h{i} AS period_raw, v{i} AS value_raw, extra, $h{i} AS column_name
            FROM wide_rows WHERE NOT empty"""
        for i in layout.period_columns
    )
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE staged AS
            SELECT period_raw, area_raw, category_raw, value_raw, extra,
                   1::BIGINT AS n, NULL::DATE AS last_day, row AS first_row, column_name
            FROM ({unions})""",
        {f"h{i}": layout.header[i] for i in layout.period_columns},
    )


def structural_problems(con: duckdb.DuckDBPyConnection) -> list[Problem]:
    """Rows DuckDB could not split into the header's columns (too many fields, bad quotes)."""
    rows = con.execute(
        """SELECT line, any_value(error_type), any_value(csv_line)
           FROM import_rejects GROUP BY line ORDER BY line LIMIT 20"""
    ).fetchall()
    problems = []
    for line, kind, text in rows:
        what = {
            "TOO MANY COLUMNS": "rækken har flere felter end overskriften",
            "UNQUOTED VALUE": "et anførselstegn er ikke lukket rigtigt",
        }.get(kind, "rækken kan ikke læses")
        problems.append(Problem(f"{what}: {text.strip()[:80]!r}", line=int(line)))
    return problems
