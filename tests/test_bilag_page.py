"""The Bilag page under AppTest: drafts that write nothing, errors in Danish, finals by analysts, the public copy."""

from __future__ import annotations

import datetime as dt
import threading

from streamlit.testing.v1 import AppTest

from conftest import shown, table_contents
from statistik import publications
from statistik.bootstrap import open_store
from test_pages import DASHBOARD, open_page, texts
from test_upload_page import logged_in, users  # noqa: F401  (fixture)

MEETING = dt.date(2026, 1, 15)


def button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def downloads(at: AppTest) -> set[str]:
    return {b.label for b in at.get("download_button")}


def test_an_invalid_period_is_shown_in_danish_on_the_page(db_path):
    at = open_page("bilag")
    at.text_input[0].input("2025X").run()
    button(at, "Lav udkast").click().run()
    assert not at.exception
    assert any("Ukendt periode '2025X'" in shown(e.value) for e in at.error)  # as the reader sees it
    assert not downloads(at)


def test_a_visitors_draft_is_offered_and_writes_nothing(db_path):
    con = open_store(db_path)
    before = table_contents(con)
    con.close()
    at = open_page("bilag")
    at.date_input[0].set_value(MEETING).run()
    button(at, "Lav udkast").click().run(timeout=180)
    assert not at.exception and not at.error
    assert {"Hent PDF (udkast)", "Hent Word (DOCX) (udkast)"} <= downloads(at)
    con = open_store(db_path)
    assert table_contents(con) == before
    con.close()


def test_a_visitor_renders_one_draft_at_a_time(db_path):
    at = open_page("bilag")
    busy = threading.Lock()
    busy.acquire()
    at.session_state["bilag_render_lock"] = busy           # a render of this session still running
    button(at, "Lav udkast").click().run()
    assert any("allerede ved at blive lavet" in e.value for e in at.error)


def test_an_analyst_makes_it_final_and_the_page_and_datastatus_say_so(db_path, users):
    at = logged_in("kim")
    at.switch_page("app_pages/bilag.py").run()
    at.date_input[0].set_value(MEETING).run()
    at.checkbox[0].check().run()
    button(at, "Gør endeligt").click().run(timeout=180)
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert "er gjort endeligt og noteret" in texts(at)
    assert {"Hent PDF (endeligt)", "Hent Word (DOCX) (endeligt)"} <= downloads(at)
    con = open_store(db_path)
    finals = publications.finals(con)
    con.close()
    assert [(f.meeting_date, f.created_by, f.suppress_below, f.file_format) for f in finals] == \
        [(MEETING, "kim", 5, "docx"), (MEETING, "kim", 5, "pdf")]
    at.switch_page("app_pages/datastatus.py").run()
    assert "Seneste endelige bilag: mødet 15. januar 2026" in texts(at)


def test_a_public_dashboard_offers_visitors_only_the_published_files(db_path, monkeypatch):
    monkeypatch.setenv("STATISTIK_OFFENTLIG", "1")
    at = open_page("bilag")
    assert "Der er endnu ikke offentliggjort et bilag." in texts(at)
    assert not at.main.button and not at.main.text_input
    con = open_store(db_path)
    publications.record(con, meeting=MEETING, created_by="kim", periods="x", suppress_below=5, file_format="pdf",
                        organisation="x", members=[], content=b"%PDF-1.4 published")
    publications.record(con, meeting=MEETING, created_by="kim", periods="x", suppress_below=None,
                        file_format="pdf", organisation="x", members=[], content=b"%PDF-1.4 internal")
    con.close()
    at = open_page("bilag")
    [offered] = at.get("download_button")
    assert offered.label == "Bilag til mødet 15. januar 2026 (PDF)"
