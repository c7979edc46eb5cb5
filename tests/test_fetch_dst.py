"""`statistik fetch-dst` against a stand-in for Statistikbanken on 127.0.0.1 (tests/dst_standin.py): offline.

The store starts as an installation that has not been updated since 3. kvt. 2025: the shipped
figures without 4. kvt. 2025 and without the population of 1 January 2025.
"""

from __future__ import annotations

import csv
import html
import socket

import duckdb
import pytest

from conftest import table_contents
from dst_standin import StandIn
from statistik import config, hierarchy
from statistik.bootstrap import open_store
from statistik.cli import main

STRAF11 = config.DATA_DIR / "straf11_2016K1-2025K4_koder.csv"
KNOWN_CODES = ["TOT", "12", "1316", "1320", "1332", "1336", "3210", "3410"]


@pytest.fixture(scope="module")
def standin():
    with StandIn() as server:
        yield server


@pytest.fixture
def api(standin, monkeypatch):
    """The stand-in, fresh for each test, as STATISTIK_DST_API."""
    standin.requests.clear()
    standin.revise.clear()
    standin.error, standin.delay, standin.malformed = None, 0.0, None
    monkeypatch.setenv("STATISTIK_DST_API", standin.url)
    return standin


@pytest.fixture
def older(db_path):
    """The store as it was before 4. kvt. 2025 and FOLK1A 2025 were published."""
    con = open_store(db_path)
    con.execute("DELETE FROM figure WHERE period_start = '2025-10-01' AND source = 'Danmarks Statistik'")
    con.execute("DELETE FROM population WHERE year = 2025")
    con.close()
    return db_path


def read(path):
    return duckdb.connect(str(path), read_only=True)


def contents(path) -> dict:
    con = read(path)
    try:
        return table_contents(con)
    finally:
        con.close()


def fetch(capsys, *args) -> tuple[int, str, str]:
    code = main(["fetch-dst", "--user", "analytiker", *args])
    out, err = capsys.readouterr()
    return code, out, err


def raw_straf11(quarter: str) -> dict[tuple[str, str], int]:
    with open(STRAF11, encoding="utf-8", newline="") as f:
        return {(r["OMRÅDE"], r["OVERTRÆD"]): int(r["INDHOLD"]) for r in csv.DictReader(f, delimiter=";")
                if r["TID"] == quarter}


def test_asks_for_the_newer_quarter_and_the_recent_ones_again(older, api, capsys):
    code, out, err = fetch(capsys)
    assert code == 0, err
    calls = [(f, b["table"]) for f, b in api.requests]
    assert calls == [("tableinfo", "STRAF11"), ("data", "STRAF11"), ("tableinfo", "FOLK1A"), ("data", "FOLK1A")]
    body = api.requests[1][1]
    assert (body["format"], body["valuePresentation"]) == ("BULK", "Code")
    asked = {v["code"]: v["values"] for v in body["variables"]}
    assert asked["OMRÅDE"] == ["*"] and sorted(asked["OVERTRÆD"]) == sorted(KNOWN_CODES)
    assert asked["Tid"] == ["2023K4", "2024K1", "2024K2", "2024K3", "2024K4", "2025K1", "2025K2", "2025K3", "2025K4"]
    population = {v["code"]: v["values"] for v in api.requests[3][1]["variables"]}
    assert population == {"OMRÅDE": ["*"], "Tid": ["2024K1", "2025K1"]}
    assert "nye perioder: 2025K4" in out and "nye perioder: 2025K1" in out
    assert "Importeret som upload 3." in out and "Importeret som upload 4." in out

    con = read(older)
    stored = dict(((a, c), n) for a, c, n in con.execute(
        "SELECT area_code, category_code, count FROM figure WHERE period_start = '2025-10-01'").fetchall())
    raw = raw_straf11("2025K4")
    assert {k: stored[k] for k in raw} == raw                       # DST's own numbers, every one
    assert len(stored) == 106 * 8 and all(stored[k] == 0 for k in stored.keys() - raw.keys())   # BULK: 0
    uploads = con.execute("SELECT id, source, measure, cells_new, cells_changed, user_name, file_name "
                          "FROM upload WHERE id > 2 ORDER BY id").fetchall()
    assert [u[1:6] for u in uploads] == [("Danmarks Statistik", "figure", 848, 0, "analytiker"),
                                         ("Danmarks Statistik", "population", 104, 0, "analytiker")]
    assert uploads[0][6].startswith("STRAF11 2023K4-2025K4 fra api.statbank.dk")
    con.close()


def test_nothing_new_writes_nothing(db_path, api, capsys):
    before = contents(db_path)
    code, out, _ = fetch(capsys)
    assert code == 0
    assert out.count("Ingen ændringer") == 2 and "ingen nye perioder" in out
    assert contents(db_path) == before


def test_a_revision_of_an_earlier_quarter_shows_as_a_revision_and_undo_restores_it(older, api, capsys):
    original = raw_straf11("2025K2")[("101", "1320")]
    api.revise[("STRAF11", "101", "1320", "2025K2")] = original + 3
    code, out, err = fetch(capsys, "--table", "STRAF11")
    assert code == 0, err
    assert "848 nye, 1 ændrede" in out
    con = read(older)
    assert con.execute("""SELECT old_value, new_value FROM figure_revision r JOIN upload u ON u.id = r.upload_id
                          WHERE u.id = 3 AND area_code = '101' AND category_code = '1320'""").fetchall() == \
        [(original, original + 3)]
    con.close()
    assert main(["undo", "3"]) == 0
    con = read(older)
    assert con.execute("""SELECT count FROM figure WHERE area_code = '101' AND category_code = '1320'
                          AND period_start = '2025-04-01'""").fetchone()[0] == original
    assert con.execute("SELECT count(*) FROM figure WHERE period_start = '2025-10-01'").fetchone()[0] == 0
    con.close()


def test_dry_run_shows_the_plan_and_writes_nothing(older, api, capsys):
    before = contents(older)
    code, out, _ = fetch(capsys, "--dry-run", "--table", "folk1a")
    assert code == 0 and "104 nye" in out and "Prøvekørsel: intet er gemt." in out
    assert contents(older) == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_no_connection_exits_4_in_danish_and_writes_nothing(older, monkeypatch, capsys):
    monkeypatch.setenv("STATISTIK_DST_API", f"http://127.0.0.1:{_free_port()}/v1")
    before = contents(older)
    code, _, err = fetch(capsys)
    assert code == 4
    assert "Kunne ikke få forbindelse til Danmarks Statistiks API" in err and "Intet er gemt." in err
    assert "Traceback" not in err and contents(older) == before


def test_an_error_answer_exits_4_with_dsts_message(older, api, capsys):
    api.error = {"errorTypeCode": "EXTRACT-NOTALLOWED", "message": "Udtrækket er for stort (over 1.000.000 celler)"}
    before = contents(older)
    code, _, err = fetch(capsys)
    assert code == 4
    assert "Danmarks Statistik afviste forespørgslen på STRAF11" in err
    assert "EXTRACT-NOTALLOWED: Udtrækket er for stort (over 1.000.000 celler)" in err
    assert contents(older) == before


def test_a_timeout_exits_4(older, api, monkeypatch, capsys):
    api.delay = 3.0
    monkeypatch.setenv("STATISTIK_DST_TIMEOUT_S", "0,2")
    code, _, err = fetch(capsys, "--table", "STRAF11")
    assert code == 4 and "svarede ikke inden for 0,2 sekunder" in err


def test_an_answer_that_is_not_bulk_exits_4(older, api, capsys):
    api.malformed = b"<html><body>Statistikbanken er lukket for vedligeholdelse</body></html>"
    before = contents(older)
    code, _, err = fetch(capsys)
    assert code == 4 and "har ikke den form, API'et beskriver" in err and "<html>" in err
    assert contents(older) == before


def test_a_rejected_second_table_writes_nothing_for_the_first(older, api, capsys):
    api.revise[("FOLK1A", "101", "2025K1")] = -5
    before = contents(older)
    code, _, err = fetch(capsys)
    assert code == 1
    assert "Svaret fra Danmarks Statistik kunne ikke importeres" in err and "-5" in err
    assert contents(older) == before                         # not even STRAF11's new quarter


def test_all_categories_registers_dsts_codes_names_and_hierarchy(db_path, api, capsys):
    code, out, err = fetch(capsys, "--all-categories", "--table", "STRAF11")
    assert code == 0, err
    asked = {v["code"]: v["values"] for v in api.requests[1][1]["variables"]}
    assert asked["OVERTRÆD"] == ["*"] and asked["Tid"][0] == "2016K1" and asked["Tid"][-1] == "2025K4"
    con = read(db_path)
    new = {c: (n, p) for c, n, p in con.execute(
        "SELECT code, name, parent_code FROM category WHERE upload_id = 3 ORDER BY code").fetchall()}
    assert new == {"1": ("Straffelov i alt", "TOT"), "13": ("Ejendomsforbrydelser i alt", "1"),
                   "1350": ("Bedrageri", "13")}
    assert hierarchy.broader(con, "kontaktbedrageri") == "1350"     # the precise broader category
    assert hierarchy.broader(con, "opioider") == "3210"
    assert con.execute("SELECT count(DISTINCT period_start) FROM figure WHERE category_code = '1350'").fetchone()[0] == 40
    assert "0 ændrede" in out                                      # the known categories are unchanged
    con.close()
    assert main(["undo", "3"]) == 0
    con = read(db_path)
    assert con.execute("SELECT count(*) FROM category WHERE code IN ('1', '13', '1350')").fetchone()[0] == 0
    assert hierarchy.broader(con, "kontaktbedrageri") is None
    con.close()


@pytest.mark.parametrize("env, value", [("STATISTIK_DST_API", "api.statbank.dk"), ("STATISTIK_DST_TIMEOUT_S", "nul")])
def test_an_invalid_setting_is_refused(db_path, monkeypatch, capsys, env, value):
    monkeypatch.setenv(env, value)
    code, _, err = fetch(capsys)
    assert code == 2 and env in err


# --- the upload page's button and Datastatus -------------------------------------------------------------

def test_the_upload_button_shows_the_plan_first_and_writes_on_accept(older, api, monkeypatch):
    from test_upload_page import PASSWORD, logged_in  # noqa: F401
    from statistik import accounts
    users = older.parent / "brugere.toml"
    accounts.add_account("kim", PASSWORD, "Kim Analytiker", path=users)
    monkeypatch.setenv("STATISTIK_USERS", str(users))
    at = logged_in("kim")
    at.switch_page("app_pages/upload.py").run()
    before = contents(older)
    next(b for b in at.button if b.label == "Hent nye tal fra Danmarks Statistik").click().run()
    assert not at.exception, [e.value for e in at.exception]
    page = html.unescape("\n".join(m.value for m in at.markdown))      # names and plans are escaped Markdown
    assert "Tal: 848 nye, 0 ændrede, 6.784 uændrede." in page and "Tal: 104 nye" in page
    assert "nye perioder: 2025K4" in page
    assert contents(older) == before                               # nothing written before accept
    for _ in range(2):
        next(b for b in at.button if b.label == "Godkend og gem").click().run()
        assert not at.exception, [e.value for e in at.exception]
    con = read(older)
    assert con.execute("SELECT count(*) FROM upload WHERE source = 'Danmarks Statistik' AND user_name = 'kim'"
                       ).fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM figure WHERE period_start = '2025-10-01'").fetchone()[0] == 848
    con.close()


def test_the_upload_button_says_why_when_statistikbanken_cannot_be_reached(older, monkeypatch):
    from test_upload_page import PASSWORD, logged_in  # noqa: F401
    from statistik import accounts
    users = older.parent / "brugere.toml"
    accounts.add_account("kim", PASSWORD, "Kim Analytiker", path=users)
    monkeypatch.setenv("STATISTIK_USERS", str(users))
    monkeypatch.setenv("STATISTIK_DST_API", f"http://127.0.0.1:{_free_port()}/v1")
    at = logged_in("kim")
    at.switch_page("app_pages/upload.py").run()
    before = contents(older)
    next(b for b in at.button if b.label == "Hent nye tal fra Danmarks Statistik").click().run()
    assert not at.exception
    assert any("Kunne ikke få forbindelse til Danmarks Statistiks API" in e.value for e in at.error)
    assert contents(older) == before


def test_the_age_of_the_newest_quarter(con):
    import datetime as dt
    from statistik.views.freshness import dst_age
    fresh = dst_age(con, dt.date(2026, 3, 15))
    assert (fresh.latest.label, fresh.months, fresh.stale) == ("4. kvt. 2025", 2, False)
    assert fresh.text == ("Det nyeste kvartal fra Danmarks Statistik (STRAF11) er 4. kvt. 2025, "
                          "som sluttede for 2 måneder siden.")
    assert not dst_age(con, dt.date(2026, 5, 31)).stale                   # five months: not yet
    old = dst_age(con, dt.date(2026, 6, 1))
    assert old.months == 5 and not old.stale
    older_still = dst_age(con, dt.date(2026, 7, 1))
    assert older_still.stale and "sandsynligvis offentliggjort nyere tal" in older_still.text


def test_datastatus_says_how_old_the_newest_quarter_is(db_path):
    from test_pages import open_page, texts
    at = open_page("datastatus")
    assert "Det nyeste kvartal fra Danmarks Statistik (STRAF11) er 4. kvt. 2025, som sluttede for" in texts(at)
