"""A long table of plainly good rows, written from the file straight into the store.

Most long tables (a month of figures from the police's system) have nothing to skip, list or
refuse. Staging's pass over the file tells whether every row has all its roles and nothing
beyond them (`StageStats.plain`), and the maps whether every spelling is good (spellings.py):
then every row is used whatever else the full classification checks, so the plan is read from
the maps alone and `apply` inserts the cells from the file joined with the maps (the view
`plan_cells`): no classified rows and no cells table, one read of the file fewer.

Only `import_file` writes this way (a plan shown before it is accepted is made in full). A store
that already holds figures of the source in the file's periods is left to the full plan (new,
changed and unchanged cells); a cell given twice is found among the cells written (check_once),
they are undone, and the file goes through the full classification, which counts it once or
refuses it. The accounting still runs on the rows (read = used + titles), and after the insert
`accounting.check_written` finds exactly those rows stored under the upload, adding up to the
total staging read.
"""

from __future__ import annotations

import duckdb

from statistik.ingest import findings
from statistik.ingest import layout as lay
from statistik.ingest.spellings import Maps
from statistik.ingest.staging import REJECTS, StageStats, drop


def eligible(con: duckdb.DuckDBPyConnection, layout: lay.Layout, stats: StageStats, maps: Maps,
             joins: frozenset[str], source: str) -> bool:
    """Whether every row of a staged long table is plainly used and the store has none of its cells yet."""
    if (layout.kind != lay.LONG or lay.CATEGORY not in layout.roles or layout.statbank or layout.dated
            or not stats.plain or stats.total is None or joins or maps.new_categories):
        return False
    return con.execute(
        f"""SELECT NOT EXISTS (SELECT 1 FROM period_map WHERE NOT good UNION ALL SELECT 1 FROM area_map WHERE NOT good
                               UNION ALL SELECT 1 FROM category_map WHERE NOT good UNION ALL SELECT 1 FROM {REJECTS})
               AND NOT EXISTS (SELECT 1 FROM figure WHERE source = $source
                               AND period_start IN (SELECT start FROM period_map))
               -- one period length, as the source's figures in the store (findings.mixed_period_kinds)
               AND (SELECT count(DISTINCT kind) FROM period_map) = 1
               AND NOT EXISTS (SELECT 1 FROM figure WHERE source = $source
                               AND period_kind NOT IN (SELECT kind FROM period_map))""",
        {"source": source},
    ).fetchone()[0]


def plan_cells(con: duckdb.DuckDBPyConnection, source: str) -> None:
    """The view `plan_cells` as plan.build makes it, every row of the file a new cell (see eligible).

    Insert from it inside `validation.maps_probed`: the file probes the small maps.
    """
    drop(con, "plan_cells")
    literal = "'" + source.replace("'", "''") + "'"
    con.execute(
        f"""CREATE TEMP VIEW plan_cells AS
            SELECT {literal} AS source, p.kind AS period_kind, p.start AS period_start, a.code AS area_code,
                   c.code AS category_code, s.value_raw::BIGINT AS value, 1::BIGINT AS rows, false AS zero_filled,
                   NULL::BIGINT AS old_value, NULL::INTEGER AS old_upload_id, 'new' AS status
            FROM staged_fast s
            LEFT JOIN period_map p ON p.raw = s.period_raw
            LEFT JOIN area_map a ON a.raw = s.area_raw
            LEFT JOIN category_map c ON c.raw = s.category_raw"""
    )


class RepeatedCell(Exception):
    """The file gives a cell twice: classify it in full (the cells written are undone)."""


def check_once(con: duckdb.DuckDBPyConnection, upload_id: int) -> None:
    """Raise RepeatedCell if two of the cells just written under `upload_id` have one key.

    The store keeps no key index (schema version 4): the written cells are joined with the maps'
    parts of the cell key (spellings.py) and their distinct keys counted by setting bits.
    """
    keyed = f"""SELECT p.part + a.part + c.part AS cell_key FROM figure f
                JOIN (SELECT DISTINCT kind, start, part FROM period_map WHERE kind IS NOT NULL) p
                  ON p.kind = f.period_kind AND p.start = f.period_start
                JOIN (SELECT DISTINCT code, part FROM area_map WHERE code IS NOT NULL) a ON a.code = f.area_code
                JOIN (SELECT DISTINCT code, part FROM category_map WHERE code IS NOT NULL) c
                  ON c.code = f.category_code
                WHERE f.upload_id = {int(upload_id)}"""
    highest = con.execute("""SELECT (SELECT max(part) FROM period_map) + (SELECT max(part) FROM area_map)
                                    + (SELECT max(part) FROM category_map)""").fetchone()[0]
    if findings.repeats(con, keyed, highest // 32 + 1):
        raise RepeatedCell("a cell is given more than once")
