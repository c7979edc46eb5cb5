"""`statistik briefing`: drafts write nothing, --final records, --audit prints every hidden cell's interval.

The runs that write a file start a real headless Chromium through Kaleido for the charts.
Commands run in-process (`main(argv)`), with the store in STATISTIK_DB (the db_path fixture).
"""

from __future__ import annotations

import datetime as dt

import docx

from statistik import publications
from statistik.bootstrap import open_store
from statistik.cli import main


def run(capsys, *args: str) -> tuple[int, str, str]:
    code = main(["briefing", *args])
    out = capsys.readouterr()
    return code, out.out, out.err


def log_rows(db_path) -> list[tuple]:
    con = open_store(db_path)
    try:
        return con.execute("SELECT meeting_date::VARCHAR, created_by, periods, suppress_below, file_format, final, "
                           "(SELECT count(*) FROM publication_cell c WHERE c.briefing_id = b.id) > 0 "
                           "FROM briefing b ORDER BY id").fetchall()
    finally:
        con.close()


def test_a_draft_is_written_and_nothing_is_recorded(db_path, tmp_path, capsys):
    out = tmp_path / "bilag.docx"
    code, stdout, stderr = run(capsys, "--meeting", "2026-01-15", "--suppress-below", "5", "--out", str(out))
    assert code == 0, stderr
    assert "Et udkast til bilaget til kredsrådsmødet 15. januar 2026 er gemt i" in stdout
    document = docx.Document(str(out))
    assert document.paragraphs[0].text == "Lokal kriminalitetsstatistik"
    assert any(p.text == "Status:\tUdkast — ikke offentliggjort" for p in document.paragraphs)
    assert log_rows(db_path) == []


def test_final_records_the_briefing_and_what_it_published(db_path, tmp_path, capsys):
    out = tmp_path / "bilag.pdf"
    code, stdout, stderr = run(capsys, "--meeting", "2026-01-15", "--suppress-below", "5", "--final",
                               "--out", str(out), "--user", "sekretariat")
    assert code == 0, stderr
    assert "Det endelige bilag" in stdout and "noteret som offentliggjort" in stdout
    assert log_rows(db_path) == [("2026-01-15", "sekretariat", "4. kvt. 2025 (Danmarks Statistik)", 5, "pdf",
                                  True, True)]
    con = open_store(db_path)
    try:
        [p] = publications.publications(con)
        assert publications.content(con, p.final.id) == out.read_bytes()
        roles = {c.role for c in p.cells}
        assert roles == {publications.SHOWN, publications.PRIMARY, publications.COMPLEMENT}
    finally:
        con.close()


def test_audit_prints_each_hidden_cell_and_exits_0_when_all_are_protected(db_path, capsys):
    code, stdout, stderr = run(capsys, "--meeting", "2026-01-15", "--period", "2025K1", "--suppress-below", "10",
                               "--audit")
    assert code == 0, stderr
    assert "Skjult i dette bilag" in stdout
    line = next(l for l in stdout.splitlines() if l.strip().startswith("Dragør, Indbrud i beboelser, 1. kvt. 2025"))
    assert line.split()[-3:] == ["1–9", "1–9", "ok"]
    assert "beskyttede tal er beskyttet" in stdout
    assert log_rows(db_path) == []


def test_audit_fails_when_publications_together_give_a_hidden_cell_away(db_path, capsys):
    """Two earlier finals: one hid Dragør's 3 burglaries (3. kvt. 2025), the other printed the rest of the column."""
    con = open_store(db_path)
    members = ["101", "147", "155", "185"]
    q3 = dt.date(2025, 7, 1)
    counts = {a: con.execute("SELECT count FROM figure WHERE area_code = ? AND category_code = '1320' "
                             "AND period_start = ?", [a, q3]).fetchone()[0] for a in members}
    figures = [publications.PublishedFigure("Danmarks Statistik", "1320", a, "Q", q3, v) for a, v in counts.items()]

    def cell(area, value, role):
        return publications.PublishedCell("Danmarks Statistik", "1320", area, q3, 3, value, role)
    for meeting, cells in [
        (dt.date(2025, 9, 1), [cell("155", 3, publications.PRIMARY), cell("185", counts["185"], publications.SHOWN)]),
        (dt.date(2025, 10, 1), [cell(a, counts[a], publications.SHOWN) for a in ("101", "147")]
         + [cell("pk11", sum(counts.values()), publications.SHOWN)]),
    ]:
        publications.record(con, meeting=meeting, created_by="t", periods="x", suppress_below=5, file_format="pdf",
                            organisation="x", members=members, cells=cells, figures=figures)
    con.close()
    code, stdout, stderr = run(capsys, "--meeting", "2026-01-15", "--period", "2025K3", "--suppress-below", "5",
                               "--audit")
    assert code == 1
    failing = [line for line in stdout.splitlines() if line.endswith("FOR SMALT")]
    assert len(failing) == 1 and "Dragør, Indbrud i beboelser, 3. kvt. 2025" in failing[0] and "3–3" in failing[0]
    assert "1 af " in stdout and "må ikke offentliggøres" in stdout
    # Writing the briefing is refused in Danish, and nothing is recorded.
    code, _, stderr = run(capsys, "--meeting", "2026-01-15", "--period", "2025K3", "--suppress-below", "5",
                          "--final", "--out", str(db_path.parent / "bilag.pdf"))
    assert code == 1 and "kan ikke skjules sikkert" in stderr
    assert not (db_path.parent / "bilag.pdf").exists()
    assert len(log_rows(db_path)) == 2


def test_a_wrong_extension_is_refused_in_danish_and_nothing_is_written(db_path, tmp_path, capsys):
    out = tmp_path / "bilag.txt"
    code, _, stderr = run(capsys, "--meeting", "2026-01-15", "--out", str(out), "--final")
    assert code == 1
    assert "kan kun gemmes som .pdf eller .docx" in stderr
    assert not out.exists()
    assert log_rows(db_path) == []


def test_a_bad_date_period_or_folder_is_refused_with_exit_1(db_path, tmp_path, capsys):
    cases = [
        (["--meeting", "15-01-2026", "--out", str(tmp_path / "a.pdf")], "Ugyldig mødedato"),
        (["--meeting", "2026-01-15", "--period", "2025X", "--out", str(tmp_path / "a.pdf")], "Ukendt periode"),
        (["--meeting", "2026-01-15", "--suppress-below", "1", "--out", str(tmp_path / "a.pdf")], "mindst 2"),
        (["--meeting", "2026-01-15", "--out", str(tmp_path / "mangler" / "a.pdf")], "findes ikke"),
    ]
    for args, message in cases:
        code, _, stderr = run(capsys, *args)
        assert code == 1, args
        assert message in stderr, stderr
    for args, message in [(["--meeting", "2026-01-15"], "--out"), (["--meeting", "2026-01-15", "--audit"],
                                                                    "--suppress-below")]:
        code, _, stderr = run(capsys, *args)
        assert code == 2 and message in stderr
    assert log_rows(db_path) == []
