"""The command line: the exact shapes that scripts and checks depend on."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys

import pytest

from conftest import SAMPLES, statistik

run = statistik


def test_import_prints_the_plan_and_exits_0(db_path):
    out = run("import", str(SAMPLES / "eksempel_lang_2025-09.csv"), "--user", "ana").stdout
    assert "16 nye, 0 ændrede, 0 uændrede" in out
    assert "Importeret som upload 3" in out


def test_rejected_import_names_the_line_and_exits_nonzero(db_path):
    result = run("import", str(SAMPLES / "fejl_ukendt_kommune.csv"), check_exit=1)
    assert "linje 4" in result.stderr
    assert "mente du Frederiksberg?" in result.stderr
    assert "intet er gemt" in result.stderr


def test_several_files_are_imported_each_on_its_own(db_path):
    result = run("import", str(SAMPLES / "eksempel_lang_2025-09.csv"),
                 str(SAMPLES / "fejl_negativt_antal.csv"), check_exit=1)
    assert "Importeret som upload" in result.stdout
    assert "linje 4" in result.stderr
    uploads = json.loads(run("uploads", "--json").stdout)
    assert [u["file"] for u in uploads][0] == "eksempel_lang_2025-09.csv"


def test_dry_run_writes_nothing(db_path):
    out = run("import", "--dry-run", str(SAMPLES / "eksempel_bred_2025.csv")).stdout
    assert "Prøvekørsel" in out
    assert len(json.loads(run("uploads", "--json").stdout)) == 2


def test_source_and_user_are_recorded(db_path):
    run("import", str(SAMPLES / "eksempel_lang_2025-09.csv"), "--source", "Tårnby Kommune", "--user", "kim")
    latest = json.loads(run("uploads", "--json").stdout)[0]
    assert (latest["source"], latest["user"]) == ("Tårnby Kommune", "kim")


def test_uploads_json_lists_newest_first_with_the_agreed_keys(db_path):
    run("import", str(SAMPLES / "eksempel_lang_2025-09.csv"))
    rows = json.loads(run("uploads", "--json").stdout)
    assert [r["id"] for r in rows] == [3, 2, 1]
    for key in ("id", "file", "sha256", "source", "user", "time", "rows", "status"):
        assert key in rows[0]
    assert rows[0]["rows"] == 16 and rows[0]["status"] == "imported"
    assert rows[-1]["file"] == "straf11_2016K1-2025K4_koder.csv"


def test_export_has_the_exact_header_and_codes(db_path):
    run("import", str(SAMPLES / "eksempel_lang_2025-09.csv"))
    text = run("export").stdout
    assert text.splitlines()[0] == "periode;omraade_kode;omraade;kategori_kode;kategori;antal;kilde"
    rows = list(csv.DictReader(io.StringIO(text), delimiter=";"))
    assert len(rows) == 33920 + 16
    national = next(r for r in rows if r["omraade_kode"] == "000" and r["periode"] == "2025K3"
                    and r["kategori_kode"] == "TOT")
    assert national["omraade"] == "Hele landet" and national["kilde"] == "Danmarks Statistik"
    month = next(r for r in rows if r["periode"] == "2025-09" and r["omraade_kode"] == "101"
                 and r["kategori"] == "Kontaktbedrageri")
    assert (month["antal"], month["kilde"]) == ("122", "Københavns Politi")


def test_export_to_a_file(db_path, tmp_path):
    out = tmp_path / "alle.csv"
    run("export", "--out", str(out))
    with open(out, encoding="utf-8") as f:
        dragoer_2024 = sum(
            int(r["antal"]) for r in csv.DictReader(f, delimiter=";")
            if r["omraade_kode"] == "155" and r["kategori_kode"] == "1320" and r["periode"].startswith("2024K")
        )
    assert dragoer_2024 == 27


def test_undo_by_id(db_path):
    run("import", str(SAMPLES / "eksempel_lang_2025-09.csv"))
    assert "er fortrudt" in run("undo", "3").stdout
    assert json.loads(run("uploads", "--json").stdout)[0]["status"] == "undone"
    assert "allerede fortrudt" in run("undo", "3", check_exit=1).stderr
    assert "ingen upload" in run("undo", "99", check_exit=1).stderr


def test_category_add_makes_a_new_category_importable(db_path, tmp_path):
    path = tmp_path / "ny.csv"
    path.write_text("periode;kommune;kategori;antal\n2025-09;Dragør;Digitale sexkrænkelser;3\n", encoding="utf-8")
    assert "ukendt kategori" in run("import", str(path), check_exit=1).stderr
    run("category", "add", "Digitale sexkrænkelser", "--parent", "TOT")
    run("import", str(path))
    assert "digitale-sexkraenkelser" in run("category", "list").stdout


def test_missing_file_is_reported(db_path):
    assert "findes ikke" in run("import", "/nonexistent.csv", check_exit=1).stderr


def test_summary_json_has_the_agreed_keys_and_real_numbers(db_path):
    result = json.loads(run("summary", "--area", "155", "--category", "1320", "--period", "2024", "--json").stdout)
    assert set(result) == {"count", "previous_count", "change", "change_pct", "rate_per_100k",
                           "population_year", "p_value", "significant", "verdict", "small_count",
                           "expected_low", "expected_high", "expected_position"}
    assert (result["count"], result["previous_count"], result["change"]) == (27, 35, -8)
    assert round(result["change_pct"], 1) == -22.9
    assert round(result["rate_per_100k"], 1) == 185.3 and result["population_year"] == 2024
    assert result["significant"] is False and result["small_count"] is False


def test_summary_for_the_district_by_name_in_danish(db_path):
    out = run("summary", "--area", "Københavns Politikreds", "--category", "1320", "--period", "2025K3").stdout
    assert "Antal: 262 (3. kvt. 2024: 184)" in out
    assert "Ændringen kan skyldes tilfældig variation (p = " in out
    assert "Inden for det forventede niveau" in out


def test_summary_for_a_month_of_quarterly_figures_says_why_not(db_path):
    err = run("summary", "--area", "155", "--category", "1320", "--period", "2024-09", check_exit=1).stderr
    assert "kun tal pr. kvartal" in err


def test_import_says_which_columns_it_does_not_use(db_path):
    out = run("import", str(SAMPLES / "eksempel_anmeldelser_2025-11.csv")).stdout
    assert "Format: én række pr. anmeldelse (tælles ved import)" in out
    assert "Kolonner, der ikke bruges: journalnr." in out


def test_statbank_texts_we_do_not_know_need_the_flag(db_path, tmp_path):
    path = tmp_path / "statbank.csv"
    path.write_text("OMRÅDE;OVERTRÆD;TID;INDHOLD\nKøbenhavn;Indbrud i beboelser;2026K1;201\n"
                    "København;Indbrud i beboelsr;2026K2;168\n", encoding="utf-8")
    refused = run("import", str(path), check_exit=1).stderr
    assert "linje 3: kategorien 'Indbrud i beboelsr' findes ikke" in refused and "--new-categories" in refused
    assert len(json.loads(run("uploads", "--json").stdout)) == 2
    out = run("import", str(path), "--new-categories").stdout
    assert "Nye kategorinavne, som vi ikke kender: 'Indbrud i beboelsr' (linje 3)" in out
    assert "Kombinationer, som filen ikke nævner, sat til 0" in out and "2 celler" in out


def test_category_add_refuses_formula_and_markup_names(db_path):
    for name in ("=HYPERLINK(1)", "+Vold", "-Vold", "@Vold", "<b>Vold</b>", "[Vold](http://x)", "**Vold**"):
        err = run("category", "add", "--", name, check_exit=1).stderr
        assert "kan ikke oprettes" in err, name
    assert "Vold" not in run("category", "list").stdout.replace("Voldsforbrydelser", "")


def test_import_survives_a_bug_in_one_file_with_a_danish_message(db_path, tmp_path):
    """A file that makes the importer fail gets an error id, not a traceback; the next file imports."""
    script = tmp_path / "krak.py"
    script.write_text(
        "import sys\n"
        "import statistik.cli.data as data\n"
        "real = data.import_file\n"
        "def broken(con, path, **kw):\n"
        "    if path.name == 'krak.csv':\n"
        "        raise KeyError('/srv/secret')\n"
        "    return real(con, path, **kw)\n"
        "data.import_file = broken\n"
        "from statistik.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n")
    crash = tmp_path / "krak.csv"
    crash.write_text("periode;kommune;kategori;antal\n2025-09;København;Opioider;3\n", encoding="utf-8")
    result = subprocess.run([sys.executable, str(script), "import", str(crash),
                             str(SAMPLES / "eksempel_lang_2025-09.csv")], capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "krak.csv: kunne ikke læses på grund af en fejl i programmet (fejl-id" in result.stderr
    assert "Traceback" not in result.stderr and "/srv/secret" not in result.stderr
    assert "/srv/secret" in (db_path.parent / f"{db_path.name}.fejl.log").read_text(encoding="utf-8")
    assert "Importeret som upload 3" in result.stdout


def test_undo_of_the_shipped_figures_needs_the_flag_and_says_how_to_get_them_back(db_path):
    err = run("undo", "1", check_exit=1).stderr
    assert "--shipped" in err and "statistik import" in err
    assert "statistik import" in run("undo", "--help").stdout
    assert json.loads(run("uploads", "--json").stdout)[-1]["status"] == "imported"
    assert "er fortrudt" in run("undo", "1", "--shipped").stdout


def test_names_with_terminal_escapes_are_printed_as_visible_text(db_path, tmp_path):
    """A file name (or any name) with ESC sequences cannot clear the terminal, recolour it or hide text."""
    hostile = tmp_path / "fil\x1b[2J\x1b]8;;evil.example\x07klik\u202e.csv"
    hostile.write_text("periode;kommune;kategori;antal\n2025-09;Dragør;Opioider;3\n", encoding="utf-8")
    ran = statistik("import", str(hostile))
    missing = statistik("import", str(tmp_path / "væk\x1b[31m.csv"), check_exit=1)
    listed = statistik("uploads")
    for out in (ran.stdout, ran.stderr, missing.stdout, missing.stderr, listed.stdout):
        assert "\x1b" not in out and "\x07" not in out and "\u202e" not in out, out
    assert "fil\\x1b[2J" in ran.stdout and "væk\\x1b[31m.csv: filen findes ikke." in missing.stderr
    assert "fil[2J]8;;evil.exampleklik.csv" in listed.stdout  # stored without the control characters


def _broken_uploads_command(tmp_path) -> list[str]:
    """`statistik uploads` with a bug in it."""
    script = tmp_path / "krak.py"
    script.write_text(
        "import sys\n"
        "import statistik.uploads as uploads\n"
        "def broken(con):\n"
        "    raise KeyError('/srv/secret')\n"
        "uploads.list_uploads = broken\n"
        "from statistik.cli import main\n"
        "sys.exit(main(sys.argv[1:]))\n")
    return [sys.executable, str(script), "uploads"]


def test_a_bug_in_any_command_gives_an_error_id_not_a_traceback(db_path, tmp_path):
    result = subprocess.run(_broken_uploads_command(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "fejl i programmet (fejl-id" in result.stderr
    assert "Traceback" not in result.stderr and "/srv/secret" not in result.stderr
    assert "/srv/secret" in (db_path.parent / f"{db_path.name}.fejl.log").read_text(encoding="utf-8")


def test_a_bug_when_the_error_log_cannot_be_written_still_gives_a_danish_message(db_path, tmp_path):
    (db_path.parent / f"{db_path.name}.fejl.log").mkdir()   # the log's name taken: it cannot be appended to
    result = subprocess.run(_broken_uploads_command(tmp_path), capture_output=True, text=True, timeout=120)
    assert result.returncode == 1
    assert "fejl i programmet (fejl-id" in result.stderr and "kunne ikke skrives" in result.stderr
    assert "Traceback" not in result.stderr and "/srv/secret" not in result.stderr


def test_briefing_refuses_an_organisation_with_control_characters(db_path, tmp_path):
    ran = statistik("briefing", "--meeting", "2026-01-15", "--out", str(tmp_path / "b.docx"),
                    "--organisation", "Politi\x1b[2J", check_exit=1)
    assert "kontroltegn" in ran.stderr and "Traceback" not in ran.stderr
    assert not (tmp_path / "b.docx").exists()


@pytest.mark.parametrize("interruption", [KeyboardInterrupt(), RuntimeError("Query interrupted")])
def test_ctrl_c_stops_a_command_with_a_danish_word_and_writes_nothing(db_path, monkeypatch, interruption):
    # Ctrl-C reaches Python as KeyboardInterrupt, or inside a DuckDB query as its 'Query interrupted'.
    def interrupted(*args, **kwargs):
        raise interruption

    before = statistik("export").stdout
    monkeypatch.setattr("statistik.cli.data.import_file", interrupted)
    monkeypatch.setattr("statistik.cli.data.export_csv", interrupted)
    for args in (["import", str(SAMPLES / "eksempel_lang_2025-09.csv"), str(SAMPLES / "eksempel_bred_2025.csv")],
                 ["export"]):
        ran = statistik(*args, check_exit=130)
        assert "Afbrudt" in ran.stderr and "fejl i programmet" not in ran.stderr, ran.stderr
        assert ran.stderr.count("Afbrudt") == 1        # the second file is not tried
    monkeypatch.undo()
    assert statistik("export").stdout == before


@pytest.mark.parametrize("args, said", [
    (["import"], "statistik import: fejl: mangler FILE."),
    (["imprt", "x.csv"], "statistik: fejl: KOMMANDO: 'imprt' findes ikke (vælg mellem 'import', "),
    (["summary", "--area"], "statistik summary: fejl: --area skal have en værdi."),
    (["undo", "tre"], "statistik undo: fejl: ID: 'tre' er ikke en gyldig værdi."),
    (["export", "--bogus"], "statistik: fejl: ukendt: --bogus."),
    (["category"], "statistik category: fejl: mangler HANDLING."),
])
def test_wrong_usage_is_told_in_danish(db_path, args, said):
    ran = statistik(*args, check_exit=2)
    assert said in ran.stderr and "Se 'statistik" in ran.stderr
    assert ran.stderr.startswith("brug: statistik")
    assert "error:" not in ran.stderr and "usage:" not in ran.stderr and "the following" not in ran.stderr


def test_help_is_in_danish(db_path):
    shown = statistik("import", "--help").stdout
    assert shown.startswith("brug: statistik import") and "\ntilvalg:\n" in shown and "vis denne hjælp" in shown
    assert "usage:" not in shown and "options:" not in shown
