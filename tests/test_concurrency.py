"""Writers take turns, readers never wait, and a killed writer leaves the store as it was."""

from __future__ import annotations

import contextlib
import json
import os
import signal
import subprocess
import sys
import textwrap

import pytest

from conftest import SAMPLES, table_contents
from statistik.bootstrap import open_store
from statistik.store import Store

STATISTIK = [sys.executable, "-m", "statistik.cli"]


def run_cli(*args: str, check_exit: int = 0) -> subprocess.CompletedProcess:
    """`statistik ARGS` in a process of its own, against STATISTIK_DB."""
    result = subprocess.run([*STATISTIK, *args], capture_output=True, text=True, timeout=60)
    assert result.returncode == check_exit, result.stderr + result.stdout
    return result


def open_store_read(db_path):
    """A read-only cursor on the newest version."""
    return Store(db_path).read()


def test_two_imports_at_the_same_time_both_land(db_path):
    files = [SAMPLES / "eksempel_lang_2025-09.csv", SAMPLES / "eksempel_anmeldelser_2025-11.csv"]
    procs = [subprocess.Popen([*STATISTIK, "import", str(f)], stdout=subprocess.PIPE,
                              stderr=subprocess.PIPE, text=True) for f in files]
    results = [p.communicate(timeout=120) + (p.returncode,) for p in procs]
    assert [r[2] for r in results] == [0, 0], results
    con = open_store(db_path)
    names = {r[0] for r in con.execute("SELECT file_name FROM upload WHERE id > 2").fetchall()}
    assert names == {f.name for f in files}
    sept = con.execute("SELECT count(*) FROM figure WHERE period_start = DATE '2025-09-01'").fetchone()[0]
    nov = con.execute("SELECT count(*) FROM figure WHERE period_start = DATE '2025-11-01'").fetchone()[0]
    assert (sept, nov) == (16, 12)
    con.close()


@contextlib.contextmanager
def writer_elsewhere(db_path, purpose="import af stor.csv"):
    """Another process in the middle of a write (as a long import would be) until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from statistik.store import Store
            with Store({str(db_path)!r}).write(purpose={purpose!r}) as con:
                con.execute("INSERT INTO annotation (start_date, end_date, text, kind, created_by) "
                            "VALUES (DATE '2025-06-01', DATE '2025-06-01', 'Skrevet af en anden', 'andet', 'x')")
                print("ready", flush=True)
                sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield holder
    finally:
        if holder.poll() is None:
            holder.communicate("done\n", timeout=30)


def test_reads_do_not_wait_for_a_writer(db_path):
    with writer_elsewhere(db_path):
        # Each would time out if it waited for the lock (STATISTIK_LOCK_WAIT_S is 600 s).
        assert len(json.loads(run_cli("uploads", "--json").stdout)) == 2
        assert run_cli("export").stdout.count("\n") == 33920 + 1
        assert json.loads(run_cli("summary", "--area", "155", "--category", "1320", "--period", "2024",
                                  "--json").stdout)["count"] == 27
        # The write in progress is not visible, not even in part.
        assert not open_store_read(db_path).execute(
            "SELECT count(*) FROM annotation WHERE text = 'Skrevet af en anden'").fetchone()[0]
    assert open_store_read(db_path).execute(
        "SELECT count(*) FROM annotation WHERE text = 'Skrevet af en anden'").fetchone()[0] == 1


def test_a_write_waits_for_the_other_writer_and_says_who_and_for_how_long(db_path):
    with writer_elsewhere(db_path) as holder:
        importing = subprocess.Popen([*STATISTIK, "import", str(SAMPLES / "eksempel_lang_2025-09.csv")],
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        notice = importing.stderr.readline()
        assert f"Venter på, at proces {holder.pid} (import af stor.csv, i gang i " in notice
        assert "venter højst 600 s" in notice
        assert importing.poll() is None  # still waiting
    out, err = importing.communicate(timeout=60)
    assert importing.returncode == 0, err
    assert "Importeret som upload 3" in out


def test_a_write_gives_up_after_the_wait_setting_with_exit_3(db_path, monkeypatch):
    monkeypatch.setenv("STATISTIK_LOCK_WAIT_S", "1")
    with writer_elsewhere(db_path, purpose="fortryd upload 2") as holder:
        result = run_cli("undo", "2", check_exit=3)
        assert f"Databasen skrives stadig af proces {holder.pid} (fortryd upload 2" in result.stderr
        assert "gav op efter 1 s" in result.stderr


KILL_BEFORE_PUBLISH = textwrap.dedent("""
    # A real import through the store, killed after every write and before the new version is published.
    import os, signal, sys
    from statistik.ingest import accept, prepare
    from statistik.store import Store

    store = Store(sys.argv[1])
    prepared = prepare(store.read(), sys.argv[2])
    with store.write(purpose="import") as con:
        accept(con, prepared, "t")
        assert con.execute("SELECT count(*) FROM upload").fetchone()[0] == 3
        os.kill(os.getpid(), signal.SIGKILL)
""")


def test_a_process_killed_in_the_middle_of_an_import_leaves_the_store_as_it_was(db_path, tmp_path):
    con = open_store(db_path)
    before = table_contents(con)
    con.close()
    # A big enough file that the writes are real work: 4 areas x 3 categories x 120 months.
    rows = ["periode;kommune;kategori;antal"]
    for year in range(2015, 2025):
        for month in range(1, 13):
            for area in ("København", "Frederiksberg", "Dragør", "Tårnby"):
                for category in ("Kontaktbedrageri", "Opioider", "Indbrud i beboelser"):
                    rows.append(f"{year}-{month:02d};{area};{category};{year + month}")
    path = tmp_path / "stor.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    script = tmp_path / "kill.py"
    script.write_text(KILL_BEFORE_PUBLISH)
    result = subprocess.run([sys.executable, str(script), str(db_path), str(path)], capture_output=True,
                            text=True, timeout=120)
    assert result.returncode == -signal.SIGKILL, result.stderr
    con = open_store(db_path)
    assert table_contents(con) == before
    con.close()
    # And the store still works: the same import now goes through.
    ok = subprocess.run([*STATISTIK, "import", str(path)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0, ok.stderr
    con = open_store(db_path)
    assert con.execute("SELECT count(*) FROM figure WHERE source = 'Københavns Politi'").fetchone()[0] == 1440
    con.close()
    # The killed writer's private copy is gone once the next write has run.
    assert not [p.name for p in db_path.parent.iterdir() if ".write-" in p.name]


def test_import_killed_at_any_moment_leaves_old_or_new_state(db_path, tmp_path):
    rows = ["periode;kommune;kategori;antal"] + [
        f"{y}-{m:02d};{a};Kontaktbedrageri;{y + m}"
        for y in range(2010, 2025) for m in range(1, 13) for a in ("101", "147", "155", "185")
    ]
    path = tmp_path / "mellem.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    con = open_store(db_path)
    before = table_contents(con)["figure"]
    con.close()
    outcomes = set()
    for delay in (0.3, 0.6, 0.9, 1.2, 1.5):
        proc = subprocess.Popen([*STATISTIK, "import", str(path)], stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE)
        try:
            proc.wait(timeout=delay)
        except subprocess.TimeoutExpired:
            os.kill(proc.pid, signal.SIGKILL)
            proc.wait()
        con = open_store(db_path)
        count = con.execute("SELECT count(*) FROM figure WHERE source = 'Københavns Politi'").fetchone()[0]
        if count:
            assert count == len(rows) - 1  # all of it
            outcomes.add("new")
            con.execute("DELETE FROM figure WHERE source = 'Københavns Politi'")
            con.execute("DELETE FROM upload WHERE id > 2")
        else:
            assert table_contents(con)["figure"] == before
            outcomes.add("old")
        con.close()
    assert outcomes  # at least one run happened


def test_two_sessions_accepting_the_same_cells_never_write_them_twice(db_path):
    from statistik.ingest import PlanChanged, accept, prepare
    store = Store(db_path)
    first = prepare(store.read(), SAMPLES / "eksempel_lang_2025-09.csv")
    second = prepare(store.read(), SAMPLES / "eksempel_lang_2025-09.csv")
    assert (first.plan.new, second.plan.new) == (16, 16)
    with store.write() as con:
        accept(con, first, "a")
    with pytest.raises(PlanChanged), store.write() as con:
        accept(con, second, "b")
    first.close()
    second.close()
    con = store.read()
    duplicates = con.execute(
        """SELECT count(*) FROM (SELECT period_kind, period_start, area_code, category_code, source
                                 FROM figure GROUP BY ALL HAVING count(*) > 1)"""
    ).fetchone()[0]
    assert duplicates == 0


def test_no_reader_ever_sees_part_of_an_import(db_path, tmp_path):
    rows = ["periode;kommune;kategori;antal"] + [
        f"{y}-{m:02d};{a};{c};{y + m}" for y in range(2010, 2025) for m in range(1, 13)
        for a in ("101", "147", "155", "185") for c in ("Kontaktbedrageri", "Opioider")
    ]
    path = tmp_path / "mange.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    store = Store(db_path)
    importing = subprocess.Popen([*STATISTIK, "import", str(path)], stdout=subprocess.PIPE,
                                 stderr=subprocess.PIPE, text=True)
    counts = """SELECT (SELECT count(*) FROM upload), (SELECT count(*) FROM figure WHERE source = 'Københavns Politi'),
                      (SELECT count(*) FROM figure_revision)"""
    seen = set()
    while importing.poll() is None:
        seen.add(store.read().execute(counts).fetchone())
    assert importing.returncode == 0, importing.stderr.read()
    seen.add(store.read().execute(counts).fetchone())
    assert seen <= {(2, 0, 0), (3, len(rows) - 1, 0)}, seen
    assert (3, len(rows) - 1, 0) in seen


IN_PLACE = textwrap.dedent("""
    # Another program writing the store in place (DuckDB's own, a one-off script), then killed.
    import sys, duckdb
    con = duckdb.connect(sys.argv[1])
    con.execute("INSERT INTO annotation (start_date, end_date, text, kind, created_by) "
                "VALUES (DATE '2025-06-01', DATE '2025-06-01', 'Skrevet i stedet', 'andet', 'x')")
    print("ready", flush=True)
    sys.stdin.readline()
""")


def test_a_write_in_place_left_unfinished_is_taken_over_while_dashboards_read(db_path, tmp_path):
    script = tmp_path / "in_place.py"
    script.write_text(IN_PLACE)
    outside = subprocess.Popen([sys.executable, str(script), str(db_path)], stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, text=True)
    assert outside.stdout.readline().strip() == "ready"
    # While that program has the store open for writing, a write refuses (exit 3) and says why.
    assert "uden om statistik" in run_cli("category", "add", "Ny kategori", check_exit=3).stderr
    outside.kill()
    outside.wait()
    assert db_path.with_name(db_path.name + ".wal").exists()   # its committed work is only in the WAL
    reader = Store(db_path).read()           # a dashboard reading from now on (DuckDB's read lock in this process)
    # The next write takes it over without opening the store for writing, so the readers are not in the way.
    run_cli("category", "add", "Ny kategori")
    assert not db_path.with_name(db_path.name + ".wal").exists()
    after = Store(db_path).read()
    assert after.execute("SELECT count(*) FROM annotation WHERE text = 'Skrevet i stedet'").fetchone()[0] == 1
    assert after.execute("SELECT count(*) FROM category WHERE name = 'Ny kategori'").fetchone()[0] == 1
    assert reader.execute("SELECT count(*) FROM annotation WHERE text = 'Skrevet i stedet'").fetchone()[0] == 0
