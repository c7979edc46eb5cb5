"""Every class of issue 7, as a folder of real-looking files (tests/samples/klasser/README.md):
each `eksempel_*` stores exactly the cells of its `.forventet` file, each `fejl_*` is refused
whole naming the line and the cause, and the store is left as it was.
"""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path

import pytest

from formats_helpers import (  # noqa: F401  (fixtures)
    do_import, messages, rejected, snapshot, store, store_without_dst_2025, stored_cells,
)
from statistik.ingest import accounting

FOLDER = Path(__file__).resolve().parent / "samples" / "klasser"
FILES = sorted(p.name for p in FOLDER.iterdir() if p.name.startswith(("eksempel_", "fejl_"))
               and not p.name.endswith(".forventet"))
GOOD = [n for n in FILES if n.startswith("eksempel_")]
BAD = [n for n in FILES if n.startswith("fejl_")]


def expected_refusals() -> dict[str, tuple[int | None, str]]:
    """file → (line, cause) from the folder's README table ('–': the file as a whole, no line)."""
    text = (FOLDER / "README.md").read_text(encoding="utf-8")
    rows = re.findall(r"^\| (fejl_\S+) \| (\d+|–) \| (.+) \|$", text, re.MULTILINE)
    return {name: (None if line == "–" else int(line), cause) for name, line, cause in rows}


def expected_cells(name: str) -> dict[tuple[str, str, str], int]:
    with open(FOLDER / f"{name}.forventet", encoding="utf-8") as f:
        return {(r["periode"], r["omraade_kode"], r["kategori_kode"]): int(r["antal"])
                for r in csv.DictReader(f, delimiter=";")}


def test_every_file_is_described():
    assert set(BAD) == set(expected_refusals())
    assert all((FOLDER / f"{n}.forventet").exists() for n in GOOD)


@pytest.mark.parametrize("name", GOOD)
def test_good_file_imports_its_cells(store_without_dst_2025, name):
    plan, upload_id = do_import(store_without_dst_2025, FOLDER / name)
    assert stored_cells(store_without_dst_2025, upload_id) == expected_cells(name)
    assert plan.rows_read == plan.rows_used + plan.rows_skipped


@pytest.mark.parametrize("name", BAD)
def test_bad_file_is_refused_at_its_line(store, name):
    line, cause = expected_refusals()[name]
    problems = rejected(store, FOLDER / name)
    text = messages(problems)
    assert any(p.line == line and cause in p.message() for p in problems), text


def test_title_empty_row_and_footnote_are_listed_with_their_lines(store):
    plan, _ = do_import(store, FOLDER / "eksempel_titel_og_kilde.csv")
    assert plan.encoding == "Windows-1252"
    assert [(s.reason, s.lines) for s in plan.skipped] == [
        ("skip_title", [1]), ("skip_empty", [6]), ("skip_footnote", [8])]
    assert (plan.rows_read, plan.rows_used) == (5, 2)


def test_repeated_header_after_a_bom_is_listed(store):
    plan, _ = do_import(store, FOLDER / "eksempel_gentaget_overskrift.csv")
    assert [(s.reason, s.lines) for s in plan.skipped] == [("skip_header", [3])]


def test_days_added_up_are_said_in_the_plan(store):
    plan, _ = do_import(store, FOLDER / "eksempel_dagstal_laegges_sammen.csv")
    assert any("3 rækker med forskellige datoer i samme måned er lagt sammen" in w.message() for w in plan.warnings)


def test_wide_total_and_note_columns_are_listed_not_stored(store):
    plan, _ = do_import(store, FOLDER / "eksempel_bred_med_i_alt_og_note.csv")
    assert plan.ignored_columns == ["I alt", "Note"]


def test_statbank_dots_are_no_figure_and_a_dash_is_zero_said_in_the_plan(store_without_dst_2025):
    plan, _ = do_import(store_without_dst_2025, FOLDER / "eksempel_statbank_prikker_og_streg.csv")
    assert [(s.reason, s.lines) for s in plan.skipped] == [("skip_nofigure", [3, 5])]
    assert any("'-' er læst som 0" in w.message() for w in plan.warnings)


def test_statbank_typo_is_a_new_category_only_when_chosen(store_without_dst_2025):
    path = FOLDER / "fejl_statbank_tekst_stavefejl.csv"
    plan, upload_id = do_import(store_without_dst_2025, path, dry_run=True)
    assert plan.new_categories == {"indbrud-i-beboelsr": "Indbrud i beboelsr"}
    assert plan.new_category_lines == {"indbrud-i-beboelsr": 3}
    assert plan.zero_filled == 2  # the typo's grid is filled with zeros: all the more reason to ask
    plan, upload_id = do_import(store_without_dst_2025, path, allow_new_categories=True)
    assert upload_id is not None


def test_an_accounting_breach_is_loud():
    """The check itself: rows that are lost, or get no known status, stop the import."""
    from statistik.ingest.layout import Layout

    class Fake:  # a connection whose rows were classified as `statuses`
        def __init__(self, statuses):
            self.statuses, self.sql = statuses, ""

        def execute(self, sql):
            self.sql = sql
            return self

        def fetchall(self):
            return [] if "LIKE 'skip%'" in self.sql else self.statuses

    layout = Layout("lang", 1, ["periode", "kommune", "kategori", "antal"], {})
    with pytest.raises(accounting.AccountingError, match="4 rows read, but 3 classified"):
        accounting.account(Fake([("used", 3)]), layout, 4, [], 0)
    with pytest.raises(accounting.AccountingError, match="no known status"):
        accounting.account(Fake([("lost", 4)]), layout, 4, [], 0)


def test_one_windows_1252_line_far_beyond_the_sampled_head_is_named(store, tmp_path):
    """A UTF-8 file with one line saved by another program as Windows-1252, at line 40 002."""
    path = tmp_path / "blandet.csv"
    rows = ["periode;kommune;kategori;antal"] + ["2025-09;København;Opioider;1"] * 40_000
    with open(path, "wb") as f:
        f.write(("\n".join(rows) + "\n").encode("utf-8"))
        f.write("2025-09;Tårnby;Opioider;2\n".encode("cp1252"))
        f.write("2025-09;Dragør;Opioider;3\n".encode("utf-8"))
    assert path.stat().st_size > (1 << 20)
    problems = rejected(store, path)
    assert [p.line for p in problems] == [40_002]
    assert "ikke gemt som UTF-8" in problems[0].message()


def test_a_zero_that_replaces_a_stored_figure_is_a_revision_shown_old_to_zero(store, tmp_path):
    """BULK leaves out zeros; a combination left out where the store has a figure becomes 0, said so."""
    from statistik.ingest import plan as planning
    from statistik.ingest import prepare
    text = (FOLDER.parent / "statbank_bulk_koder.csv").read_text(encoding="utf-8").splitlines()
    dropped = next(line for line in text if line.startswith("101;1320;2025K1;"))
    short = tmp_path / "bulk.csv"
    short.write_text("\n".join(line for line in text if line != dropped) + "\n", encoding="utf-8")
    prepared = prepare(store, short, today=dt.date(2026, 11, 25))
    try:
        plan = prepared.plan
        assert plan.zero_filled >= 1 and plan.zero_replacing == 1 and plan.changed == 1
        changes = planning.changes(prepared.cursor, plan)
        assert changes[["Område", "Før", "Ny"]].values.tolist() == [["København", int(dropped.split(";")[3]), 0]]
        assert any("heraf 1, der erstatter et gemt tal (se gammel → 0" in line
                   for line in planning.describe(plan, {}, {}))
    finally:
        prepared.close()


def test_a_nul_byte_far_beyond_the_sampled_head_is_named(store, tmp_path):
    """The head is sniffed; a NUL byte further down (in a note, which is never read) is still found."""
    path = tmp_path / "nul.csv"
    rows = ["periode;kommune;kategori;antal;note"] + ["2025-09;København;Opioider;1;" + "n" * 120] * 9_000
    path.write_bytes(("\n".join(rows) + "\n").encode() + b"2025-09;Drag\xc3\xb8r;Opioider;3;note med \x00\n")
    assert path.stat().st_size > (1 << 20)
    problems = rejected(store, path)
    assert [(p.line, "NUL-tegn" in p.message()) for p in problems if "NUL" in p.message()] == [(9_002, True)]


def test_a_line_over_two_megabytes_is_refused_naming_it(store, tmp_path):
    path = tmp_path / "lang_linje.csv"
    path.write_text("periode;kommune;kategori;antal;note\n2025-09;København;Opioider;1;ok\n"
                    "2025-09;Tårnby;Opioider;2;" + "x" * (3 << 20) + "\n", encoding="utf-8")
    problems = rejected(store, path)
    assert [p.line for p in problems] == [3] and "for lang" in problems[0].message()


def test_a_bulk_file_without_header_says_how_it_was_read(store_without_dst_2025):
    plan, _ = do_import(store_without_dst_2025, FOLDER / "eksempel_bulk_uden_overskrift.csv")
    assert plan.source == "Danmarks Statistik"
    assert any("ingen overskrift" in w.message() and "OMRÅDE;OVERTRÆD;TID;INDHOLD" in w.message()
               for w in plan.warnings)


def test_thousands_of_problems_are_cut_to_the_first_hundred(store, tmp_path):
    path = tmp_path / "skrald.csv"
    path.write_text("periode;kommune;kategori;antal\n"
                    + "".join(f"2025-09;Sted{i};Opioider;1\n" for i in range(500)), encoding="utf-8")
    problems = rejected(store, path)
    assert len(problems) == 101 and problems[-1].message().startswith("og 400 andre problemer fra linje 102")


def test_a_long_value_is_cut_in_the_message(store, tmp_path):
    path = tmp_path / "langt_navn.csv"
    path.write_text("periode;kommune;kategori;antal\n2025-09;" + "Frederiksbjerg" * 500 + ";Opioider;1\n",
                    encoding="utf-8")
    message = rejected(store, path)[0].message()
    assert len(message) < 300 and "…'" in message


# Rows the shortcut must leave to the full rules: blanks, titles, footnotes, repeated headers and
# rows, summaries, no figures, two spellings of a cell, formulas, quotes, odd counts and periods.
SHORTCUT_FILES = [
    "eksempel_blanke_raekker_med_tabulator.csv", "eksempel_titel_og_kilde.csv", "eksempel_gentaget_overskrift.csv",
    "eksempel_i_alt_raekke_passer.csv", "eksempel_blankt_antal.csv", "eksempel_dubletraekke_taelles_en_gang.csv",
    "eksempel_citerede_tal.csv", "eksempel_flettet_titel_og_fodnoter.csv", "fejl_i_alt_raekke_passer_ikke.csv",
    "fejl_samme_celle_to_stavemaader.csv", "fejl_formel_som_antal.csv", "fejl_mellemrum_som_kommune.csv",
    "fejl_procent.csv", "fejl_tom_periode.csv", "fejl_kun_prikker.csv", "fejl_enkelt_felt_midt_i.csv",
]


def test_the_shortcut_for_plainly_good_rows_never_uses_a_row_the_full_rules_refuse(store):
    """A long table is first classified by a shortcut that marks only rows of good spellings as used
    (validation._good_rows_sql); for every file of the folder, whatever it marks the full
    classification uses too, and when it marks every row the full one does as well."""
    from statistik import reference
    from statistik.ingest import layout as lay, spellings, staging, validation
    from statistik.ingest.problems import Rejected as Refused
    from statistik.ingest.textfile import open_text_file

    today = dt.date(2026, 11, 25)
    cur = store.cursor()
    areas, categories = reference.lexicons(cur)
    checked = 0
    for name in SHORTCUT_FILES:
        try:
            with open_text_file(FOLDER / name) as tf:
                layout = lay.detect_layout(tf.records, areas)
                if layout.kind not in staging.VIEWED:
                    continue
                stats = staging.stage(cur, tf, layout)
                maps = spellings.build_maps(cur, layout, areas, categories, today, stats.spellings)
                counts = []
                for located in (False, True):
                    validation.classify(cur, layout, False, today, maps, located=located)
                    counts.append(cur.execute("SELECT count(*) FILTER (WHERE status = 'used'), count(*) "
                                              "FROM classified").fetchone())
        except (Refused, staging.EncodingMismatch, staging.BadNewlines):
            continue  # refused or read again before it is classified
        (fast, rows), (full, _) = counts
        assert fast <= full and (fast < rows or full == rows), name
        checked += 1
    cur.close()
    assert checked == len(SHORTCUT_FILES)


def test_a_series_is_never_stored_in_two_period_lengths_of_one_source(store, tmp_path):
    """Months and then a quarter of one category of a source (or a quarter beside months in one file, also of
    another municipality: the district adds its municipalities up) would leave the pages unable to add the
    series up, and the two could disagree: refused at the line, in the full and the direct path alike.
    Another category's quarter is fine."""
    from conftest import SAMPLES
    do_import(store, SAMPLES / "eksempel_lang_2025-09.csv")          # police months for 4 categories
    quarter = tmp_path / "kvartal.csv"
    quarter.write_text("periode;kommune;kategori;antal\n2025K3;Tårnby;Indbrud i beboelser;9\n"
                       "2025K3;København;Kontaktbedrageri;400\n", encoding="utf-8")
    problems = rejected(store, quarter)
    assert [p.line for p in problems] == [2, 3], messages(problems)
    assert "Kontaktbedrageri står pr. kvartal (København, '2025K3'), men kilden har allerede tal pr. måned" \
        in messages(problems)
    other = tmp_path / "andet.csv"
    from statistik.reference import add_category
    add_category(store, "Cykeltyverier")
    other.write_text("periode;kommune;kategori;antal\n2025K3;Tårnby;Cykeltyverier;9\n", encoding="utf-8")
    plan, _ = do_import(store, other)
    assert plan.rows_used == 1
