"""Two imports at once, an import while another process holds the store, and a killed import."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import textwrap

from conftest import SAMPLES, table_contents
from statistik.bootstrap import open_store

STATISTIK = [sys.executable, "-m", "statistik.cli"]


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
def store_held_elsewhere(db_path):
    """Another process (as the dashboard would) holding the store open until the block ends."""
    holder = subprocess.Popen(
        [sys.executable, "-c", textwrap.dedent(f"""
            import sys
            from statistik.bootstrap import open_store
            con = open_store({str(db_path)!r})
            print("ready", flush=True)
            sys.stdin.readline()
        """)],
        stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        yield holder.pid
    finally:
        holder.communicate("done\n", timeout=30)


def test_import_while_another_process_holds_the_store_says_what_to_do(db_path):
    with store_held_elsewhere(db_path) as pid:
        result = subprocess.run([*STATISTIK, "import", str(SAMPLES / "eksempel_lang_2025-09.csv")],
                                capture_output=True, text=True, timeout=60)
        assert result.returncode == 3
        assert f"proces {pid}" in result.stderr
        assert "Upload" in result.stderr and "stop dashboardet" in result.stderr
    # Once the holder is gone, the same import works.
    ok = subprocess.run([*STATISTIK, "import", str(SAMPLES / "eksempel_lang_2025-09.csv")],
                        capture_output=True, text=True, timeout=60)
    assert ok.returncode == 0, ok.stderr


KILL_BEFORE_COMMIT = textwrap.dedent("""
    # Runs a real import, but SIGKILLs the process after every write and before COMMIT.
    import contextlib, importlib, os, signal, sys
    from statistik import cli

    apply_module = importlib.import_module("statistik.ingest.apply")

    real = apply_module.transaction

    @contextlib.contextmanager
    def killed_before_commit(con):
        with real(con):
            yield con
            os.kill(os.getpid(), signal.SIGKILL)

    apply_module.transaction = killed_before_commit
    sys.exit(cli.main(["import", sys.argv[1]]))
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
    script.write_text(KILL_BEFORE_COMMIT)
    result = subprocess.run([sys.executable, str(script), str(path)], capture_output=True, text=True,
                            timeout=120)
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


def test_two_sessions_accepting_the_same_cells_never_write_them_twice(con):
    from statistik.ingest import PlanChanged, accept, prepare
    first = prepare(con, SAMPLES / "eksempel_lang_2025-09.csv")
    second = prepare(con, SAMPLES / "eksempel_lang_2025-09.csv")
    assert (first.plan.new, second.plan.new) == (16, 16)
    accept(first, "a")
    try:
        accept(second, "b")
        raise AssertionError("the second plan was written although the store had changed")
    except PlanChanged:
        pass
    finally:
        first.close()
        second.close()
    duplicates = con.execute(
        """SELECT count(*) FROM (SELECT period_kind, period_start, area_code, category_code, source
                                 FROM figure GROUP BY ALL HAVING count(*) > 1)"""
    ).fetchone()[0]
    assert duplicates == 0


def test_dashboard_says_plainly_when_an_import_holds_the_store(db_path):
    from streamlit.testing.v1 import AppTest

    from test_pages import DASHBOARD
    with store_held_elsewhere(db_path):
        at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
        assert not at.exception
        assert any("Databasen er optaget af proces" in e.value for e in at.error)
