"""The dashboard as it runs for real: `streamlit run` processes and the command line on one store at once.

Every command works while a dashboard runs; what the command line imports shows on the dashboard's
next page run, without a restart; two dashboard processes (replicas behind a load balancer) on one
store each see what the other wrote. No page asks anything of a non-loopback address.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import urllib.request

import pytest

from conftest import SAMPLES
from dashboard_server import dashboard, guarded_chromium, log_in, settle
from statistik import accounts

STATISTIK = [sys.executable, "-m", "statistik.cli"]
PASSWORD = "korrekt-hest-batteri"


def run_cli(*args: str) -> subprocess.CompletedProcess:
    result = subprocess.run([*STATISTIK, *args], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, (args, result.stderr + result.stdout)
    return result


@pytest.fixture
def users(tmp_path):
    path = tmp_path / "brugere.toml"
    accounts.add_account("kim", PASSWORD, "Kim Analytiker", path=path)
    return path


@pytest.fixture
def browser():
    with guarded_chromium() as b:
        yield b


def _cards_without_figures(page) -> int:
    """Oversigt's police cards that say they have no figures yet (three on the shipped store)."""
    return page.get_by_text("Ingen tal endnu.").count()


def test_every_command_works_while_a_dashboard_runs_and_the_next_page_run_shows_an_import(
        db_path, users, tmp_path, browser):
    with dashboard(db_path, users) as url:
        page = browser.new_page(viewport={"width": 1400, "height": 1400})
        page.goto(url)
        settle(page)
        assert _cards_without_figures(page) == 3

        # Reads answer at once, writes go through, all while the dashboard has the store open.
        assert len(json.loads(run_cli("uploads", "--json").stdout)) == 2
        assert "Antal: 27" in run_cli("summary", "--area", "155", "--category", "1320", "--period", "2024").stdout
        run_cli("export", "--out", str(tmp_path / "alle.csv"))
        assert "Importeret som upload 3" in run_cli("import", str(SAMPLES / "eksempel_lang_2025-09.csv")).stdout
        run_cli("category", "add", "Digitale sexkrænkelser", "--parent", "TOT")
        run_cli("backup", str(tmp_path / "kopi.duckdb"))
        run_cli("briefing", "--meeting", "2026-01-15", "--out", str(tmp_path / "bilag.pdf"))
        assert (tmp_path / "bilag.pdf").stat().st_size > 10_000

        # The same session's next page run shows the import: no restart, no reload.
        page.get_by_role("link", name="Datastatus").click()
        settle(page)
        page.get_by_role("link", name="Oversigt").click()
        settle(page)
        assert _cards_without_figures(page) == 0
        assert page.get_by_text("155", exact=True).first.is_visible()  # contact fraud, district, sep. 2025


def test_the_readiness_check_runs_the_first_page_and_starts_the_warming(db_path, users):
    with dashboard(db_path, users, env={"STATISTIK_VARM": "1"}) as url:
        answer = urllib.request.urlopen(f"{url}/_stcore/script-health-check", timeout=120)
        assert (answer.status, answer.read()) == (200, b"ok")
        warming = db_path.with_name(f"{db_path.name}.varm.json")
        deadline = time.monotonic() + 60
        while not warming.exists() and time.monotonic() < deadline:
            time.sleep(0.2)
        # The check's page run asked for Oversigt's cards, and the warmer kept the call for later processes.
        assert "statistik.views.overview.cards" in warming.read_text(encoding="utf-8")


def _log_in(page, url: str) -> None:
    page.goto(url)
    settle(page)
    log_in(page, PASSWORD)


def test_two_dashboard_processes_on_one_store_see_each_others_uploads(db_path, users, browser):
    with dashboard(db_path, users) as first, dashboard(db_path, users) as second:
        reader = browser.new_page(viewport={"width": 1400, "height": 1400})
        reader.goto(second)
        settle(reader)
        assert _cards_without_figures(reader) == 3

        analyst = browser.new_page(viewport={"width": 1400, "height": 1400})
        _log_in(analyst, first)
        analyst.get_by_role("link", name="Upload").click()
        settle(analyst)
        analyst.locator("input[type='file']").set_input_files(str(SAMPLES / "eksempel_lang_2025-09.csv"))
        analyst.get_by_text("Tal: 16 nye, 0 ændrede, 0 uændrede.").wait_for(timeout=60_000)
        analyst.get_by_role("button", name="Godkend og gem").click()
        analyst.get_by_text("er gemt som upload 3").wait_for(timeout=60_000)

        reader.get_by_role("link", name="Datastatus").click()
        settle(reader)
        reader.get_by_role("link", name="Oversigt").click()
        settle(reader)
        assert _cards_without_figures(reader) == 0
        assert reader.get_by_text("155", exact=True).first.is_visible()

        # And the other way round: an upload in the second process, seen in the first.
        second_analyst = browser.new_page(viewport={"width": 1400, "height": 1400})
        _log_in(second_analyst, second)
        second_analyst.get_by_role("link", name="Upload").click()
        settle(second_analyst)
        second_analyst.locator("input[type='file']").set_input_files(
            str(SAMPLES / "eksempel_anmeldelser_2025-11.csv"))
        second_analyst.get_by_role("button", name="Godkend og gem").click()
        second_analyst.get_by_text("er gemt som upload 4").wait_for(timeout=60_000)
        analyst.get_by_role("link", name="Oversigt").click()
        settle(analyst)
        assert analyst.get_by_text("nov. 2025").first.is_visible()  # pickpocketing, the reports of November
