"""Long tables of plainly good rows written straight from the file (ingest/direct.py).

Every file is imported twice into fresh copies of the seeded store: by `import_file` (which may
write straight from the file) and the way a plan shown on the upload page is made (classified in
full, then applied). Both must store the same cells under the same upload and say the same plan.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from formats_helpers import TODAY, do_import, stored_cells
from statistik import bootstrap, reference
from statistik.ingest import AccountingError, accounting, apply, prepare
from statistik.ingest.plan import describe

SAMPLES = Path(__file__).resolve().parent / "samples"
FILES = sorted([p for p in (SAMPLES / "klasser").glob("eksempel_*") if not p.name.endswith(".forventet")]
               + list(SAMPLES.glob("lang_*")), key=lambda p: p.name)
# The files whose every row is plainly good (the others have something to skip, add up or read
# otherwise: blanks, titles, summaries, thousands separators, days, wide or BULK layouts).
WRITTEN_DIRECTLY = {
    "eksempel_aar_foerst_i_periode.csv", "eksempel_aar_og_kvartal_i_hver_sin_kolonne.csv",
    "eksempel_aar_og_maaned_i_hver_sin_kolonne.csv", "eksempel_blandede_linjeskift.csv",
    "eksempel_cp1252_euro_og_tegn.csv", "eksempel_cr_cr_lf.csv", "eksempel_flere_overskriftsord.csv",
    "eksempel_formel_i_note.csv", "eksempel_kommune_med_kode_i_parentes.csv", "eksempel_kun_cr_linjeskift.csv",
    "eksempel_lang_note.csv", "eksempel_maanedsnavne_2026.csv", "eksempel_nfd_tegn.csv",
    "eksempel_sep_komma_med_semikolon.csv", "eksempel_stort_tal_15_cifre.csv", "eksempel_utf16_ulige_byte.txt",
    "eksempel_utf16be.txt", "eksempel_utf16le_uden_bom.txt", "lang_multilinje_note.csv",
    "lang_overskrift_synonymer.csv", "lang_sep_linje.csv", "lang_unicode_tekst_utf16le.txt", "lang_utf8_bom.csv",
}


def _fresh(template: Path, path: Path):
    shutil.copy(template, path)
    return bootstrap.open_store(path)


def _classified_in_full(con, path: Path):
    prepared = prepare(con, path, today=TODAY, fingerprint=False)
    try:
        return prepared.plan, apply(prepared.cursor, prepared.plan, "test")
    finally:
        prepared.close()


def _upload(con, upload_id: int) -> tuple:
    return con.execute("SELECT * EXCLUDE (created_at) FROM upload WHERE id = ?", [upload_id]).fetchone()


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.name)
def test_written_straight_or_classified_in_full_the_store_gets_the_same(seeded_template, tmp_path, path):
    direct_con, full_con = _fresh(seeded_template, tmp_path / "a.duckdb"), _fresh(seeded_template, tmp_path / "b.duckdb")
    try:
        plan, upload_id = do_import(direct_con, path)
        full_plan, full_id = _classified_in_full(full_con, path)
        assert full_plan.direct_total is None
        assert (plan.direct_total is not None) == (path.name in WRITTEN_DIRECTLY)
        assert upload_id == full_id
        assert stored_cells(direct_con, upload_id) == stored_cells(full_con, full_id)
        assert _upload(direct_con, upload_id) == _upload(full_con, full_id)
        names = reference.area_names(full_con), reference.category_names(full_con)
        assert describe(plan, *names) == describe(full_plan, *names)
    finally:
        direct_con.close()
        full_con.close()


def test_a_cell_given_twice_is_classified_in_full_without_losing_an_upload_id(con):
    """Writing straight from the file finds the repeated row among the cells written and undoes them;
    the full classification counts it once, under the next upload id (no gap)."""
    before = con.execute("SELECT max(id) FROM upload").fetchone()[0]
    plan, upload_id = do_import(con, SAMPLES / "klasser" / "eksempel_dubletraekke_taelles_en_gang.csv")
    assert plan.direct_total is None and upload_id == before + 1
    assert con.execute("SELECT count(*) FROM figure WHERE upload_id = ?", [upload_id]).fetchone()[0] == plan.new
    _, following = do_import(con, SAMPLES / "lang_utf8_bom.csv")
    assert following == upload_id + 1


def test_the_written_cells_are_checked_against_the_plan(con):
    """check_written (run inside every apply) fails when the store holds other cells than planned."""
    plan, upload_id = do_import(con, SAMPLES / "lang_utf8_bom.csv")
    assert plan.direct_total is not None
    accounting.check_written(con, plan, upload_id)
    plan.new += 1
    with pytest.raises(AccountingError, match="cells planned"):
        accounting.check_written(con, plan, upload_id)
    plan.new -= 1
    plan.direct_total += 1
    with pytest.raises(AccountingError, match="add up to"):
        accounting.check_written(con, plan, upload_id)
