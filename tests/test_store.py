"""The store: created on first use with the shipped DST figures, migrated, and found via STATISTIK_DB."""

from __future__ import annotations

import csv

import duckdb
import pytest

from conftest import statistik
from statistik import config, schema
from statistik.bootstrap import open_store
from statistik.store import Store


def test_fresh_store_holds_the_shipped_dst_figures(con):
    assert con.execute("SELECT count(*) FROM area").fetchone()[0] == 106
    assert con.execute("SELECT count(DISTINCT area_code) FROM figure").fetchone()[0] == 106
    assert con.execute("SELECT count(DISTINCT category_code) FROM figure").fetchone()[0] == 8
    periods = con.execute(
        "SELECT min(period_start), max(period_start), count(DISTINCT period_start) FROM figure "
        "WHERE period_kind = 'Q'"
    ).fetchone()
    assert (str(periods[0]), str(periods[1]), periods[2]) == ("2016-01-01", "2025-10-01", 40)
    assert con.execute("SELECT DISTINCT source FROM figure").fetchall() == [(config.DST_SOURCE,)]
    assert con.execute("SELECT count(*), min(year), max(year) FROM population").fetchone() == (1040, 2016, 2025)


def test_dragoer_residential_burglaries_are_the_real_figures(con):
    rows = dict(con.execute(
        """SELECT year(period_start), sum(count) FROM figure
           WHERE area_code = '155' AND category_code = '1320' AND year(period_start) IN (2023, 2024)
           GROUP BY 1"""
    ).fetchall())
    assert rows == {2023: 35, 2024: 27}
    assert con.execute(
        "SELECT population FROM population WHERE area_code = '155' AND year = 2024"
    ).fetchone()[0] == 14569


def test_national_figure_is_the_sum_of_municipalities_plus_christiansoe_and_unknown(con):
    national, parts = con.execute(
        """SELECT sum(count) FILTER (WHERE a.kind = 'land'),
                  sum(count) FILTER (WHERE a.kind IN ('kommune', 'uoplyst', 'andet'))
           FROM figure f JOIN area a ON a.code = f.area_code
           WHERE category_code = 'TOT' AND period_start = DATE '2025-04-01'"""
    ).fetchone()
    assert national == parts > 0


def test_every_row_of_the_shipped_file_is_stored(con):
    with open(config.DATA_DIR / "straf11_2016K1-2025K4_koder.csv", encoding="utf-8") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    stored = {
        (a, c, f"{d.year}K{(d.month - 1) // 3 + 1}"): n
        for a, c, d, n in con.execute(
            "SELECT area_code, category_code, period_start, count FROM figure"
        ).fetchall()
    }
    assert len(stored) == len(rows)
    for row in rows:
        assert stored[(row["OMRÅDE"], row["OVERTRÆD"], row["TID"])] == int(row["INDHOLD"])


def test_internal_categories_are_known_and_districts_are_not_stored(con):
    tables = {r[0] for r in con.execute("SELECT table_name FROM information_schema.tables").fetchall()}
    assert not tables & {"district", "district_member"}   # the setting and the shipped mapping decide
    names = dict(con.execute("SELECT name, parent_code FROM category WHERE origin = 'intern'").fetchall())
    assert names == {"Kontaktbedrageri": "TOT", "Lomme- og tricktyveri": "1336", "Opioider": "3210"}


def test_store_location_comes_from_statistik_db(tmp_path, monkeypatch):
    path = tmp_path / "elsewhere" / "mine.duckdb"
    monkeypatch.setenv("STATISTIK_DB", str(path))
    assert config.db_path() == path
    open_store().close()
    assert path.exists()


def test_reopening_does_not_seed_again(db_path):
    open_store(db_path).close()
    con = open_store(db_path)
    assert con.execute("SELECT count(*) FROM upload").fetchone()[0] == 2
    con.close()


def test_migrations_record_the_schema_version(tmp_path):
    con = duckdb.connect(str(tmp_path / "new.duckdb"))
    assert schema.migrate(con) == 0
    assert schema.current_version(con) == schema.SCHEMA_VERSION
    assert schema.migrate(con) == schema.SCHEMA_VERSION  # nothing left to do
    con.close()


def _store_of_a_newer_program(path):
    """A store whose schema version (999) is newer than this program knows."""
    with Store(path).write():
        pass
    con = duckdb.connect(str(path))
    con.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    con.close()
    return path


def test_a_store_from_a_newer_program_is_refused(tmp_path):
    path = _store_of_a_newer_program(tmp_path / "future.duckdb")
    with pytest.raises(RuntimeError, match="skemaversion 999"):
        Store(path).read()


def test_an_old_store_is_migrated_when_first_read(tmp_path):
    path = tmp_path / "v3.duckdb"
    con = duckdb.connect(str(path))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '0')")
    for step in schema.MIGRATIONS[:3]:
        step(con) if callable(step) else con.execute(step)
    con.execute("UPDATE meta SET value = '3' WHERE key = 'schema_version'")
    con.close()
    assert schema.current_version(Store(path).read()) == schema.SCHEMA_VERSION


def test_an_old_store_is_migrated_and_gets_the_shipped_annotations_and_target(tmp_path):
    con = duckdb.connect(str(tmp_path / "v1.duckdb"))
    con.execute("CREATE TABLE meta (key VARCHAR PRIMARY KEY, value VARCHAR NOT NULL)")
    con.execute("INSERT INTO meta VALUES ('schema_version', '1')")
    con.execute(schema.MIGRATIONS[0])
    assert schema.migrate(con) == 1
    assert schema.current_version(con) == schema.SCHEMA_VERSION
    assert con.execute("SELECT count(*) FROM annotation").fetchone()[0] == 15
    assert con.execute(
        "SELECT area_code, category_code, limit_value, direction FROM target"
    ).fetchall() == [("155", "1320", 30, "below")]
    con.close()


# --- the Store: versions, the write path, snapshots -------------------------------------------


def test_every_write_raises_the_data_version_also_the_briefing_log(db_path):
    import datetime as dt

    from statistik import publications
    store = Store(db_path)
    start = store.version()
    with store.write() as con:
        publications.record(con, meeting=dt.date(2026, 1, 15), created_by="kim", periods="4. kvt. 2025",
                            suppress_below=5, file_format="pdf", organisation="x", members=["101"])
    assert store.version() == start + 1
    assert store.read().execute("SELECT count(*) FROM briefing").fetchone()[0] == 1


def test_a_write_that_fails_or_has_nothing_to_write_publishes_nothing(db_path):
    from statistik.store import NothingToWrite
    store = Store(db_path)
    start = store.version()
    with pytest.raises(ValueError), store.write() as con:
        con.execute("DELETE FROM figure")
        raise ValueError("stop")
    with store.write() as con:
        con.execute("DELETE FROM annotation")
        raise NothingToWrite
    assert store.version() == start
    con = store.read()
    assert con.execute("SELECT count(*) FROM figure").fetchone()[0] == 33920
    assert con.execute("SELECT count(*) FROM annotation").fetchone()[0] == 15
    assert not [p.name for p in db_path.parent.iterdir() if p.name.startswith(".")]  # no copies left


def test_a_reader_keeps_its_version_while_a_write_is_published(db_path):
    store = Store(db_path)
    before = store.read()
    with store.write() as con:
        con.execute("DELETE FROM annotation")
    assert before.execute("SELECT count(*) FROM annotation").fetchone()[0] == 15
    assert store.read().execute("SELECT count(*) FROM annotation").fetchone()[0] == 0


def test_the_data_status_page_shows_a_briefing_made_elsewhere_on_its_next_run(db_path):
    import datetime as dt

    from streamlit.testing.v1 import AppTest

    from statistik import publications
    from test_pages import DASHBOARD
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.switch_page("app_pages/datastatus.py").run()
    assert not any("endelige bilag" in c.value for c in at.caption)
    with Store(db_path).write() as con:
        publications.record(con, meeting=dt.date(2026, 1, 15), created_by="kim", periods="4. kvt. 2025",
                            suppress_below=5, file_format="pdf", organisation="x", members=["101"])
    at.run()
    assert any("endelige bilag (til mødet 15. januar 2026" in c.value for c in at.caption), \
        [c.value for c in at.caption]


def test_a_file_that_is_no_store_or_from_a_newer_program_is_named_in_danish(tmp_path, monkeypatch):
    future = _store_of_a_newer_program(tmp_path / "future.duckdb")
    (tmp_path / "tal.csv").write_text("periode;kommune;kategori;antal\n", encoding="utf-8")
    for path, says in [(future, "har skemaversion 999"), (tmp_path / "tal.csv", "er ikke en database fra statistik")]:
        monkeypatch.setenv("STATISTIK_DB", str(path))
        ran = statistik("uploads", check_exit=1)
        assert says in ran.stderr and "fejl i programmet" not in ran.stderr, ran.stderr
