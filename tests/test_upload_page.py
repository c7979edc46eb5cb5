"""The upload flow under AppTest: log in, upload, see the plan, accept or be told what is wrong; undo."""

from __future__ import annotations

import pytest
from streamlit.errors import StreamlitAPIException
from streamlit.testing.v1 import AppTest

from conftest import SAMPLES, shown, table_contents
from statistik import accounts
from statistik.bootstrap import open_store
from test_pages import DASHBOARD, texts

PASSWORD = "korrekt-hest-batteri"


@pytest.fixture
def users(tmp_path, monkeypatch):
    """A users file with one analyst (kim) and one reader (lis)."""
    path = tmp_path / "brugere.toml"
    accounts.add_account("kim", PASSWORD, "Kim Analytiker", path=path)
    accounts.add_account("lis", PASSWORD, "Lis Læser", role=accounts.READER, path=path)
    monkeypatch.setenv("STATISTIK_USERS", str(path))
    return path


def logged_in(username: str) -> AppTest:
    """The dashboard after logging in through the sidebar form."""
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.sidebar.text_input[0].input(username)
    at.sidebar.text_input[1].input(PASSWORD)
    at.sidebar.button[0].click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def upload(at: AppTest, *paths) -> AppTest:
    """Choose files on the upload page and let the page check them."""
    at.switch_page("app_pages/upload.py").run()
    at.file_uploader[0].set_value([(p.name, p.read_bytes(), "text/csv") for p in paths]).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


ANALYST_PAGES = ("app_pages/upload.py", "app_pages/maal_og_markeringer.py")


@pytest.mark.parametrize("page", ANALYST_PAGES)
def test_without_login_the_analyst_pages_cannot_be_reached(db_path, users, page):
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    with pytest.raises((ValueError, StreamlitAPIException), match="Could not find a navigation page"):
        at.switch_page(page).run()


@pytest.mark.parametrize("page", ANALYST_PAGES)
def test_a_reader_cannot_reach_the_analyst_pages_either(db_path, users, page):
    at = logged_in("lis")
    assert "Logget ind som **Lis Læser**" in texts(at)
    with pytest.raises((ValueError, StreamlitAPIException), match="Could not find a navigation page"):
        at.switch_page(page).run()


def test_wrong_password_is_refused(db_path, users):
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    at.sidebar.text_input[0].input("kim")
    at.sidebar.text_input[1].input("forkert")
    at.sidebar.button[0].click().run()
    assert "Forkert brugernavn eller adgangskode." in [e.value for e in at.error]


def test_good_file_plan_accept_figures_visible(db_path, users):
    at = upload(logged_in("kim"), SAMPLES / "eksempel_lang_2025-09.csv")
    page = texts(at)
    assert "Tal: 16 nye, 0 ændrede, 0 uændrede." in page
    assert "Perioder: sep. 2025." in page
    _button(at, "Godkend og gem").click().run()
    assert any("er gemt som upload 3" in s.value for s in at.success)
    con = open_store(db_path)
    assert con.execute("SELECT user_name FROM upload WHERE id = 3").fetchone()[0] == "kim"
    assert con.execute(
        "SELECT count FROM figure WHERE area_code = '101' AND category_code = 'kontaktbedrageri'"
    ).fetchone()[0] == 122
    con.close()
    at.switch_page("app_pages/oversigt.py").run()
    assert "155" in {m.value for m in at.metric}  # the district: 122 + 18 + 5 + 10, Sept 2025


def test_bad_file_lists_problems_and_writes_nothing(db_path, users):
    con = open_store(db_path)
    before = table_contents(con)
    con.close()
    at = upload(logged_in("kim"), SAMPLES / "fejl_ukendt_kommune.csv")
    assert any("Filen er afvist" in e.value for e in at.error)
    assert "linje 4, kolonne kommune: ukendt kommune 'Frederiksbjerg' — mente du Frederiksberg?" in texts(at)
    assert "Godkend og gem" not in [b.label for b in at.button]
    con = open_store(db_path)
    assert table_contents(con) == before
    con.close()


def test_cancel_writes_nothing(db_path, users):
    at = upload(logged_in("kim"), SAMPLES / "eksempel_bred_2025.csv")
    _button(at, "Annullér").click().run()
    con = open_store(db_path)
    assert con.execute("SELECT count(*) FROM upload").fetchone()[0] == 2
    con.close()


def test_revisions_are_shown_old_to_new_before_accepting(db_path, users, tmp_path):
    con = open_store(db_path)
    from statistik.ingest import import_file
    import_file(con, SAMPLES / "eksempel_lang_2025-09.csv", user="a")
    con.close()
    revised = tmp_path / "rettet.csv"
    revised.write_text((SAMPLES / "eksempel_lang_2025-09.csv").read_text(encoding="utf-8").replace(";122", ";130"),
                       encoding="utf-8")
    at = upload(logged_in("kim"), revised)
    changes = at.dataframe[0].value
    assert changes[["Område", "Kategori", "Før", "Ny"]].values.tolist() == [["København", "Kontaktbedrageri", 122, 130]]


def _button(at: AppTest, label: str):
    return next(b for b in at.button if b.label == label)


def test_undo_from_the_history(db_path, users):
    at = upload(logged_in("kim"), SAMPLES / "eksempel_lang_2025-09.csv")
    _button(at, "Godkend og gem").click().run()
    at.selectbox[0].set_value(3)
    at.checkbox[0].check()
    _button(at, "Fortryd upload").click().run()
    assert any("Upload 3 (eksempel_lang_2025-09.csv) er fortrudt" in shown(s.value) for s in at.success)
    con = open_store(db_path)
    assert con.execute("SELECT status FROM upload WHERE id = 3").fetchone()[0] == "undone"
    assert con.execute("SELECT count(*) FROM figure WHERE source = 'Københavns Politi'").fetchone()[0] == 0
    con.close()


def test_analyst_adds_an_annotation_and_a_target(db_path, users):
    at = logged_in("kim")
    at.switch_page("app_pages/maal_og_markeringer.py").run()
    form_text = next(t for t in at.text_input if t.label == "Tekst")
    form_text.input("Nytårsaften")
    _button(at, "Tilføj markering").click().run()
    assert any("Markeringen er tilføjet." in s.value for s in at.success)
    con = open_store(db_path)
    assert con.execute("SELECT created_by FROM annotation WHERE text = 'Nytårsaften'").fetchone()[0] == "kim"
    con.close()


def test_a_crash_in_one_file_leaves_the_others_and_the_history(db_path, users, tmp_path, monkeypatch):
    """One file that crashes the importer gets a Danish message with an error id; the rest is checked."""
    from statistik.ui import uploading

    real = uploading.prepare

    def crashing(con, path, **kwargs):
        if kwargs.get("name") == "krak.csv":
            raise RuntimeError("/srv/statistik/secret/path exploded")
        return real(con, path, **kwargs)

    monkeypatch.setattr(uploading, "prepare", crashing)
    crash = tmp_path / "krak.csv"
    crash.write_text("periode;kommune;kategori;antal\n2025-09;København;Opioider;3\n", encoding="utf-8")
    at = upload(logged_in("kim"), crash, SAMPLES / "eksempel_lang_2025-09.csv")
    page = texts(at)
    assert "fejl i programmet (fejl-id" in page
    assert "exploded" not in page and "Traceback" not in page and "/srv" not in page
    assert "Tal: 16 nye, 0 ændrede, 0 uændrede." in page  # the other file was checked
    assert "Historik" in page


def test_new_statbank_categories_need_the_checkbox(db_path, users, tmp_path):
    path = tmp_path / "statbank.csv"
    path.write_text("OMRÅDE;OVERTRÆD;TID;INDHOLD\nKøbenhavn;Indbrud i beboelser;2026K1;201\n"
                    "København;Indbrud i beboelsr;2026K1;168\n", encoding="utf-8")
    at = upload(logged_in("kim"), path)
    assert "Nye kategorinavne, som vi ikke kender: 'Indbrud i beboelsr' (linje 3)" in texts(at)
    assert _button(at, "Godkend og gem").disabled
    at.checkbox[0].check().run()
    _button(at, "Godkend og gem").click().run()
    assert any("er gemt som upload" in s.value for s in at.success)


def test_names_from_a_file_are_shown_as_text_not_markup(db_path, users, tmp_path):
    path = tmp_path / "**fed**_[link](x).csv"
    path.write_text("periode;kommune;kategori;antal\n2025-09;<img src=x>;Opioider;3\n", encoding="utf-8")
    at = upload(logged_in("kim"), path)
    sources = [m.value for m in at.markdown]
    assert any("&#42;&#42;fed&#42;&#42;" in v for v in sources)   # escaped: shown as the name itself
    assert not any("**fed**" in v or "<img" in v for v in sources)
    assert any("<img src=x>" in shown(v) for v in sources)


def test_undo_offers_no_shipped_upload_and_asks_again_after_each_undo(db_path, users):
    at = upload(logged_in("kim"), SAMPLES / "eksempel_lang_2025-09.csv")
    _button(at, "Godkend og gem").click().run()
    options = at.selectbox[0].options  # the shipped DST uploads 1 and 2 are not offered
    assert len(options) == 1 and options[0].startswith("3: eksempel_lang_2025-09.csv (kim, ")
    _button(at, "Fortryd upload").click().run()   # no confirmation: nothing happens, and it says why
    assert any("Sæt hak" in w.value for w in at.warning)
    con = open_store(db_path)
    assert con.execute("SELECT status FROM upload WHERE id = 3").fetchone()[0] == "imported"
    con.close()
