"""Nothing is lost: importing twice changes nothing, revisions are kept, and undo restores them."""

from __future__ import annotations

import pytest

from conftest import SAMPLES, TODAY, table_contents, write
from statistik import uploads
from statistik.ingest import import_file

LONG = SAMPLES / "eksempel_lang_2025-09.csv"


def _count(con, area: str, category: str, month: str) -> int | None:
    row = con.execute(
        """SELECT count FROM figure WHERE area_code = ? AND category_code = ?
           AND period_kind = 'M' AND period_start = ?::DATE""",
        [area, category, f"{month}-01"],
    ).fetchone()
    return row[0] if row else None


def _revised(tmp_path, kbh_contact_fraud: int, name: str = "revideret.csv"):
    text = LONG.read_text(encoding="utf-8").replace(
        "2025-09;København;Kontaktbedrageri;122", f"2025-09;København;Kontaktbedrageri;{kbh_contact_fraud}"
    )
    return write(tmp_path / name, text)


def test_the_same_file_twice_changes_nothing(con):
    import_file(con, LONG, user="a", today=TODAY)
    before = table_contents(con)
    plan, upload_id = import_file(con, LONG, user="a", today=TODAY)
    assert upload_id is None
    assert (plan.new, plan.changed, plan.unchanged) == (0, 0, 16)
    assert table_contents(con) == before


def test_a_revision_is_shown_before_it_is_written_and_kept_after(con, tmp_path):
    import_file(con, LONG, user="a", today=TODAY)
    plan, _ = import_file(con, _revised(tmp_path, 130), user="b", dry_run=True, today=TODAY)
    assert (plan.new, plan.changed, plan.unchanged) == (0, 1, 15)
    assert _count(con, "101", "kontaktbedrageri", "2025-09") == 122  # dry run wrote nothing
    _, upload_id = import_file(con, _revised(tmp_path, 130), user="b", today=TODAY)
    assert _count(con, "101", "kontaktbedrageri", "2025-09") == 130
    assert con.execute(
        "SELECT old_value, new_value FROM figure_revision WHERE upload_id = ?", [upload_id]
    ).fetchall() == [(122, 130)]


def test_undo_restores_exactly_what_an_upload_replaced(con, tmp_path):
    import_file(con, LONG, user="a", today=TODAY)
    before = table_contents(con)["figure"]
    _, upload_id = import_file(con, _revised(tmp_path, 130), user="b", today=TODAY)
    undone = uploads.undo(con, upload_id, user="c")
    assert undone["status"] == "undone" and undone["undone_by"] == "c"
    assert table_contents(con)["figure"] == before


def test_undo_of_a_first_import_removes_its_figures(con):
    before = table_contents(con)["figure"]
    _, upload_id = import_file(con, LONG, user="a", today=TODAY)
    uploads.undo(con, upload_id, user="a")
    assert table_contents(con)["figure"] == before


def test_undo_waits_for_later_uploads_that_changed_the_same_figures(con, tmp_path):
    _, first = import_file(con, LONG, user="a", today=TODAY)
    _, second = import_file(con, _revised(tmp_path, 130), user="b", today=TODAY)
    with pytest.raises(uploads.UndoRefused, match=f"{second}"):
        uploads.undo(con, first, user="a")
    uploads.undo(con, second, user="a")
    uploads.undo(con, first, user="a")
    assert _count(con, "101", "kontaktbedrageri", "2025-09") is None


def test_undone_upload_cannot_be_undone_twice(con):
    _, upload_id = import_file(con, LONG, user="a", today=TODAY)
    uploads.undo(con, upload_id, user="a")
    with pytest.raises(uploads.UndoRefused, match="allerede fortrudt"):
        uploads.undo(con, upload_id, user="a")


def test_reimport_after_undo_writes_again(con):
    _, first = import_file(con, LONG, user="a", today=TODAY)
    uploads.undo(con, first, user="a")
    _, again = import_file(con, LONG, user="a", today=TODAY)
    assert again is not None and again != first
    assert _count(con, "101", "kontaktbedrageri", "2025-09") == 122


def test_every_import_is_recorded_with_checksum_user_and_counts(con):
    _, upload_id = import_file(con, LONG, user="analytiker", today=TODAY)
    u = uploads.get_upload(con, upload_id)
    import hashlib
    assert u["sha256"] == hashlib.sha256(LONG.read_bytes()).hexdigest()
    assert (u["file_name"], u["user_name"], u["source"]) == (LONG.name, "analytiker", "Københavns Politi")
    assert (u["rows_read"], u["cells_new"], u["cells_changed"], u["cells_unchanged"]) == (16, 16, 0, 0)
    assert u["status"] == "imported"


def test_undo_of_a_dst_text_file_removes_the_categories_it_registered(con):
    from conftest import LOCAL_SAMPLES
    before = table_contents(con)
    _, upload_id = import_file(con, LOCAL_SAMPLES / "straf11_2025_tekster_udtraek.csv", user="a", today=TODAY,
                               allow_new_categories=True)
    assert con.execute("SELECT count(*) FROM category WHERE upload_id = ?", [upload_id]).fetchone()[0] == 7
    uploads.undo(con, upload_id, user="a")
    after = table_contents(con)
    assert after["figure"] == before["figure"] and after["category"] == before["category"]


def _with_extra_cell(tmp_path, name: str, kbh_contact_fraud: int = 122):
    """The long sample (with København's contact fraud set) plus one cell of its own."""
    text = _revised(tmp_path, kbh_contact_fraud, name).read_text(encoding="utf-8")
    return write(tmp_path / name, text + "2025-08;Dragør;Opioider;3\n")


def test_undo_keeps_the_cells_a_later_active_upload_also_gave(con, tmp_path):
    before = table_contents(con)["figure"]
    _, a = import_file(con, LONG, user="a", today=TODAY)
    plan, b = import_file(con, _with_extra_cell(tmp_path, "b.csv"), user="b", today=TODAY)
    assert (plan.new, plan.changed, plan.unchanged) == (1, 0, 16)
    uploads.undo(con, a, user="a")
    # B gave the same 16 cells: they stay, now B's, with B's extra cell.
    assert _count(con, "101", "kontaktbedrageri", "2025-09") == 122
    assert con.execute("SELECT count(*) FROM figure WHERE upload_id = ?", [b]).fetchone()[0] == 17
    assert con.execute("SELECT count(*) FROM figure WHERE upload_id = ?", [a]).fetchone()[0] == 0
    uploads.undo(con, b, user="b")
    assert table_contents(con)["figure"] == before


def test_undo_passes_a_revision_on_to_the_upload_that_keeps_the_cell(con, tmp_path):
    _, first = import_file(con, LONG, user="a", today=TODAY)
    _, a = import_file(con, _revised(tmp_path, 130, "a.csv"), user="a", today=TODAY)   # 122 → 130
    _, b = import_file(con, _with_extra_cell(tmp_path, "b.csv", 130), user="b", today=TODAY)  # holds 130 too
    uploads.undo(con, a, user="a")
    assert _count(con, "101", "kontaktbedrageri", "2025-09") == 130  # B still says 130
    uploads.undo(con, b, user="b")
    assert _count(con, "101", "kontaktbedrageri", "2025-09") == 122  # back to what A replaced
    assert con.execute("SELECT upload_id FROM figure WHERE area_code = '101' AND category_code = "
                       "'kontaktbedrageri' AND period_start = DATE '2025-09-01'").fetchone()[0] == first


def test_the_shipped_dst_figures_are_undone_only_on_purpose(con):
    shipped = con.execute("SELECT id FROM upload WHERE file_name LIKE 'straf11%'").fetchone()[0]
    with pytest.raises(uploads.UndoRefused, match="--shipped") as refused:
        uploads.undo(con, shipped, user="a")
    assert "statistik import" in str(refused.value) and "straf11_2016K1-2025K4_koder.csv" in str(refused.value)
    assert con.execute("SELECT count(*) FROM figure WHERE upload_id = ?", [shipped]).fetchone()[0] == 33920
    uploads.undo(con, shipped, user="a", allow_shipped=True)
    assert con.execute("SELECT count(*) FROM figure WHERE upload_id = ?", [shipped]).fetchone()[0] == 0


def test_the_upload_page_does_not_offer_the_shipped_figures(con):
    from statistik.views import status
    assert status.undoable(con) == {}
    _, upload_id = import_file(con, LONG, user="a", today=TODAY)
    assert list(status.undoable(con)) == [upload_id]


def test_accept_refuses_when_a_colleague_changed_a_planned_cell_even_if_the_counts_agree(con, tmp_path):
    """The plan says 122 → 130; meanwhile 125 was saved: still '1 changed', but not what was shown."""
    from statistik.ingest import PlanChanged, accept, prepare
    import_file(con, LONG, user="a", today=TODAY)
    prepared = prepare(con, _revised(tmp_path, 130, "mine.csv"), today=TODAY)
    try:
        assert (prepared.plan.changed, prepared.plan.new) == (1, 0)
        import_file(con, _revised(tmp_path, 125, "colleague.csv"), user="colleague", today=TODAY)
        with pytest.raises(PlanChanged):
            accept(con, prepared, "me")
        assert _count(con, "101", "kontaktbedrageri", "2025-09") == 125
    finally:
        prepared.close()


def test_imports_and_undos_in_turn_do_not_grow_the_store_or_leave_folders(db_path):
    """The store file stays the same size over import/undo cycles, and no copy or .tmp is left."""
    import os
    from statistik.store import Store
    store = Store(db_path)
    sizes = []
    for _ in range(6):
        with store.write() as con:
            _, upload_id = import_file(con, SAMPLES / "eksempel_anmeldelser_2025-11.csv", user="a", today=TODAY)
        with store.write() as con:
            uploads.undo(con, upload_id, user="a")
        sizes.append(os.path.getsize(db_path))
    assert max(sizes[3:]) <= max(sizes[:3]), sizes
    leftovers = [p.name for p in db_path.parent.iterdir() if p.name.startswith(f".{db_path.name}")
                 or p.name.endswith(".tmp")]
    assert leftovers == []
