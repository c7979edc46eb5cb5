"""`statistik briefing`: the file, the log row, and clear Danish refusals.

The successful run starts a real headless Chromium through Kaleido for the charts.
"""

from __future__ import annotations

import subprocess
import sys

import docx

from statistik.bootstrap import open_store

STATISTIK = [sys.executable, "-m", "statistik.cli", "briefing"]


def run(*args: str) -> subprocess.CompletedProcess:
    """Run `statistik briefing ARGS` against the store in STATISTIK_DB (set by the db_path fixture)."""
    return subprocess.run([*STATISTIK, *args], capture_output=True, text=True, timeout=180)


def log_rows(db_path) -> list[tuple]:
    con = open_store(db_path)
    try:
        return con.execute("SELECT meeting_date::VARCHAR, created_by, periods, suppress_below, file_format "
                           "FROM briefing ORDER BY id").fetchall()
    finally:
        con.close()


def test_briefing_writes_an_editable_word_file_and_logs_it(db_path, tmp_path):
    out = tmp_path / "bilag.docx"
    result = run("--meeting", "2026-01-15", "--suppress-below", "5", "--out", str(out), "--user", "sekretariat")
    assert result.returncode == 0, result.stderr
    assert "Bilaget til kredsrådsmødet 15. januar 2026 er gemt i" in result.stdout
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == "Lokal kriminalitetsstatistik"
    assert log_rows(db_path) == [("2026-01-15", "sekretariat", "4. kvt. 2025 (Danmarks Statistik)", 5, "docx")]


def test_a_wrong_extension_is_refused_in_danish_and_nothing_is_written(db_path, tmp_path):
    out = tmp_path / "bilag.txt"
    result = run("--meeting", "2026-01-15", "--out", str(out))
    assert result.returncode == 1
    assert "kan kun gemmes som .pdf eller .docx" in result.stderr
    assert not out.exists()
    assert log_rows(db_path) == []


def test_a_bad_date_period_or_folder_is_refused_with_exit_1(db_path, tmp_path):
    cases = [
        (["--meeting", "15-01-2026", "--out", str(tmp_path / "a.pdf")], "Ugyldig mødedato"),
        (["--meeting", "2026-01-15", "--period", "2025X", "--out", str(tmp_path / "a.pdf")], "Ukendt periode"),
        (["--meeting", "2026-01-15", "--suppress-below", "1", "--out", str(tmp_path / "a.pdf")], "mindst 2"),
        (["--meeting", "2026-01-15", "--out", str(tmp_path / "mangler" / "a.pdf")], "findes ikke"),
    ]
    for args, message in cases:
        result = run(*args)
        assert result.returncode == 1, args
        assert message in result.stderr, result.stderr
    assert log_rows(db_path) == []
