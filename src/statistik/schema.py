"""The store's tables, their column names and the migrations that create them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import duckdb

from statistik import config


@dataclass(frozen=True)
class Measure:
    """A table of stored numbers: its key columns, its value column and its revision log."""

    table: str
    revisions: str
    keys: tuple[str, ...]
    value: str
    claims: str   # cells an upload also held, with the same value, while another upload wrote them

    def match(self, left: str, right: str) -> str:
        """SQL joining two aliases on this measure's key columns."""
        return " AND ".join(f"{left}.{k} = {right}.{k}" for k in self.keys)


FIGURES = Measure(
    table="figure",
    revisions="figure_revision",
    keys=("period_kind", "period_start", "area_code", "category_code", "source"),
    value="count",
    claims="figure_claim",
)
POPULATION = Measure(
    table="population",
    revisions="population_revision",
    keys=("area_code", "year"),
    value="population",
    claims="population_claim",
)
MEASURES = (FIGURES, POPULATION)


def _revision_table(m: Measure, key_types: str) -> str:
    return f"""
    CREATE TABLE {m.revisions} (
        upload_id INTEGER NOT NULL,
        {key_types},
        old_value BIGINT,          -- NULL: the upload added the cell
        old_upload_id INTEGER,
        new_value BIGINT NOT NULL
    );"""


# 'M' month, 'Q' quarter, 'Y' year; a period is identified by its kind and first day.
_FIGURE_KEYS = """period_kind VARCHAR NOT NULL,
        period_start DATE NOT NULL,
        area_code VARCHAR NOT NULL,
        category_code VARCHAR NOT NULL,
        source VARCHAR NOT NULL"""
# Population on 1 January of `year`.
_POPULATION_KEYS = """area_code VARCHAR NOT NULL,
        year INTEGER NOT NULL"""

def _annotations_and_targets(con: duckdb.DuckDBPyConnection) -> None:
    """Version 2: dated notes and targets, with the district's shipped ones."""
    con.execute("""
        CREATE SEQUENCE annotation_id_seq START 1;
        CREATE TABLE annotation (
            id INTEGER PRIMARY KEY DEFAULT nextval('annotation_id_seq'),
            start_date DATE NOT NULL,
            end_date DATE NOT NULL,
            text VARCHAR NOT NULL,
            kind VARCHAR NOT NULL,          -- begivenhed, lovændring, andet
            area_code VARCHAR,              -- NULL: the whole district
            created_by VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        );
        CREATE SEQUENCE target_id_seq START 1;
        CREATE TABLE target (
            id INTEGER PRIMARY KEY DEFAULT nextval('target_id_seq'),
            area_code VARCHAR NOT NULL,
            category_code VARCHAR NOT NULL,
            period VARCHAR NOT NULL,        -- 'year': per calendar year
            limit_value BIGINT NOT NULL,
            direction VARCHAR NOT NULL,     -- below: fewer than limit_value; above: more than
            label VARCHAR NOT NULL,
            created_by VARCHAR NOT NULL,
            created_at TIMESTAMP NOT NULL DEFAULT current_timestamp
        );
    """)
    con.execute(
        """INSERT INTO annotation (start_date, end_date, text, kind, created_by)
           SELECT fra::DATE, til::DATE, tekst, type, 'statistik'
           FROM read_csv($path, delim = ';', header = true, all_varchar = true)""",
        {"path": str(config.DATA_DIR / "markeringer.csv")},
    )
    con.execute(
        """INSERT INTO target (area_code, category_code, period, limit_value, direction, label, created_by)
           VALUES ('155', '1320', 'year', 30, 'below',
                   'Partnerskabsmål: under 30 indbrud i beboelser om året i Dragør', 'statistik')"""
    )


def _without_primary_keys(con: duckdb.DuckDBPyConnection) -> None:
    """Version 4: figure and population without primary-key indexes.

    Keeping a five-column index up to date cost more than the rest of a large import; the
    importer already writes each key once, and writers take turns in `Store.write`.
    """
    for m, keys in ((FIGURES, _FIGURE_KEYS), (POPULATION, _POPULATION_KEYS)):
        con.execute(f"""
            CREATE TABLE {m.table}_v4 ({keys}, {m.value} BIGINT NOT NULL, upload_id INTEGER NOT NULL);
            INSERT INTO {m.table}_v4 SELECT {', '.join(m.keys)}, {m.value}, upload_id FROM {m.table};
            DROP TABLE {m.table};
            ALTER TABLE {m.table}_v4 RENAME TO {m.table};
        """)


def _annotation_relevance(con: duckdb.DuckDBPyConnection) -> None:
    """Version 5: an annotation names the categories and areas it concerns, so a chart shows only its own.

    category_codes NULL: every category; an empty list: no chart (listed, never drawn). area_codes NULL:
    every area. The shipped annotations get the relevance `markeringer.csv` gives them ('ingen' = none).
    """
    con.execute("""
        ALTER TABLE annotation ADD COLUMN category_codes VARCHAR[];
        ALTER TABLE annotation ADD COLUMN area_codes VARCHAR[];
        UPDATE annotation SET area_codes = [area_code] WHERE area_code IS NOT NULL;
        ALTER TABLE annotation DROP COLUMN area_code;
    """)
    con.execute(
        """UPDATE annotation SET
               category_codes = CASE WHEN m.kategorier = 'ingen' THEN []::VARCHAR[]
                                     WHEN coalesce(m.kategorier, '') = '' THEN NULL
                                     ELSE string_split(m.kategorier, ',') END,
               area_codes = CASE WHEN coalesce(m.omraader, '') = '' THEN NULL
                                 ELSE string_split(m.omraader, ',') END
           FROM read_csv($path, delim = ';', header = true, all_varchar = true) m
           WHERE annotation.created_by = 'statistik' AND annotation.text = m.tekst
             AND annotation.start_date = m.fra::DATE""",
        {"path": str(config.DATA_DIR / "markeringer.csv")},
    )


def _publications(con: duckdb.DuckDBPyConnection) -> None:
    """Version 6: drafts and finals; what each final public briefing published, cell by cell.

    Until now every download wrote a row, an anonymous visitor's too ('dashboard'): those rows
    become drafts, the others stay final. A final briefing with small counts hidden records every
    cell it printed or hid (`publication_cell`, spans of months) and the stored figures under them
    as they were (`publication_figure`), so a later briefing can keep what it hid hidden.
    """
    con.execute("""
        ALTER TABLE briefing ADD COLUMN final BOOLEAN DEFAULT TRUE;
        UPDATE briefing SET final = (created_by <> 'dashboard');
        ALTER TABLE briefing ADD COLUMN organisation VARCHAR;
        ALTER TABLE briefing ADD COLUMN members VARCHAR[];     -- the district's municipalities then
        ALTER TABLE briefing ADD COLUMN content BLOB;           -- the file as published
        CREATE TABLE publication_cell (
            briefing_id INTEGER NOT NULL,
            source VARCHAR NOT NULL,
            category_code VARCHAR NOT NULL,
            area_code VARCHAR NOT NULL,          -- a municipality or the district
            period_start DATE NOT NULL,
            months INTEGER NOT NULL,             -- 1, 3, 12 … months from period_start
            value BIGINT NOT NULL,               -- the true count (also of hidden cells)
            role VARCHAR NOT NULL                -- shown, primary (1 … N−1) or complement
        );
        CREATE TABLE publication_figure (
            briefing_id INTEGER NOT NULL,
            source VARCHAR NOT NULL,
            category_code VARCHAR NOT NULL,
            area_code VARCHAR NOT NULL,
            period_kind VARCHAR NOT NULL,
            period_start DATE NOT NULL,
            count BIGINT NOT NULL
        );
    """)


def _claims(con: duckdb.DuckDBPyConnection) -> None:
    """Version 7: which uploads also held a cell unchanged, so undoing the writer keeps it for them.

    Before this, undoing upload A deleted the cells a later, still active upload B had given with
    the same values (B found them there and wrote nothing). A claim records that B holds them too.
    """
    for m, keys in ((FIGURES, _FIGURE_KEYS), (POPULATION, _POPULATION_KEYS)):
        con.execute(f"CREATE TABLE {m.claims} (upload_id INTEGER NOT NULL, {keys})")


def _no_districts(con: duckdb.DuckDBPyConnection) -> None:
    """Version 8: police districts are no longer stored.

    Which district an installation serves is the setting STATISTIK_POLITIKREDS, and which areas
    make each district is the shipped mapping (statistik.districts); a copy in the store could
    only disagree with them.
    """
    con.execute("DROP TABLE district_member; DROP TABLE district;")


# Each migration moves the store one schema version up; never edit a shipped one.
MIGRATIONS: tuple[str | Callable[[duckdb.DuckDBPyConnection], None], ...] = (
    f"""
    CREATE TABLE area (
        code VARCHAR PRIMARY KEY,       -- DST code: '000', '084', '101'
        name VARCHAR NOT NULL,
        kind VARCHAR NOT NULL           -- land, region, kommune, uoplyst, andet
    );
    CREATE TABLE district (
        code VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL
    );
    CREATE TABLE district_member (
        district_code VARCHAR NOT NULL,
        area_code VARCHAR NOT NULL,
        PRIMARY KEY (district_code, area_code)
    );
    CREATE TABLE category (
        code VARCHAR PRIMARY KEY,
        name VARCHAR NOT NULL,
        parent_code VARCHAR,
        origin VARCHAR NOT NULL,        -- dst or intern
        upload_id INTEGER               -- the upload that registered it, if any
    );
    CREATE SEQUENCE upload_id_seq START 1;
    CREATE TABLE upload (
        id INTEGER PRIMARY KEY,
        file_name VARCHAR NOT NULL,
        sha256 VARCHAR NOT NULL,
        created_at TIMESTAMP NOT NULL,
        user_name VARCHAR NOT NULL,
        source VARCHAR NOT NULL,
        measure VARCHAR NOT NULL,       -- figure or population
        layout VARCHAR NOT NULL,
        encoding VARCHAR NOT NULL,
        rows_read BIGINT NOT NULL,
        rows_skipped BIGINT NOT NULL,
        cells_new BIGINT NOT NULL,
        cells_changed BIGINT NOT NULL,
        cells_unchanged BIGINT NOT NULL,
        status VARCHAR NOT NULL,        -- imported or undone
        undone_at TIMESTAMP,
        undone_by VARCHAR
    );
    CREATE TABLE figure (
        {_FIGURE_KEYS},
        count BIGINT NOT NULL,
        upload_id INTEGER NOT NULL,
        PRIMARY KEY (period_kind, period_start, area_code, category_code, source)
    );
    {_revision_table(FIGURES, _FIGURE_KEYS)}
    CREATE TABLE population (
        {_POPULATION_KEYS},
        population BIGINT NOT NULL,
        upload_id INTEGER NOT NULL,
        PRIMARY KEY (area_code, year)
    );
    {_revision_table(POPULATION, _POPULATION_KEYS)}
    """,
    _annotations_and_targets,
    # Version 3: every briefing made, so the next one can list what was revised since.
    """
    CREATE SEQUENCE briefing_id_seq START 1;
    CREATE TABLE briefing (
        id INTEGER PRIMARY KEY DEFAULT nextval('briefing_id_seq'),
        meeting_date DATE NOT NULL,
        created_at TIMESTAMP NOT NULL,
        created_by VARCHAR NOT NULL,
        periods VARCHAR NOT NULL,          -- the periods covered, as shown on the front page
        suppress_below INTEGER,
        file_format VARCHAR NOT NULL       -- pdf or docx
    );
    """,
    _without_primary_keys,
    _annotation_relevance,
    _publications,
    _claims,
    _no_districts,
)

SCHEMA_VERSION = len(MIGRATIONS)


def current_version(con: duckdb.DuckDBPyConnection) -> int:
    """Schema version of the store behind `con` (0 for an empty file)."""
    has_meta = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = 'meta'"
    ).fetchone()[0]
    if not has_meta:
        return 0
    row = con.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def migrate(con: duckdb.DuckDBPyConnection) -> int:
    """Bring the store up to SCHEMA_VERSION; returns the version it started at."""
    start = current_version(con)
    if start > SCHEMA_VERSION:
        raise RuntimeError(
            f"Databasen har skemaversion {start}, men programmet kender kun {SCHEMA_VERSION}. "
            "Opdatér statistik."
        )
    if start == SCHEMA_VERSION:
        return start
    con.execute("BEGIN TRANSACTION")
    try:
        if start == 0:
            con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
            con.execute("INSERT INTO meta VALUES ('schema_version', '0')")
        for step in MIGRATIONS[start:]:
            if callable(step):
                step(con)
            else:
                con.execute(step)
        con.execute(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", [str(SCHEMA_VERSION)]
        )
        con.execute("COMMIT")
    except Exception:
        con.execute("ROLLBACK")
        raise
    return start
