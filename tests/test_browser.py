"""A real browser (Debian's Chromium) clicks through every page of `streamlit run`.

Screenshots go to $STATISTIK_SCREENSHOTS (or the test's temp folder). One of them is in the
README; look at them after a change to what users see. Every request the pages make must stay on
the machine (loopback).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES
from dashboard_server import dashboard, guarded_chromium, settle
from statistik import accounts

PASSWORD = "korrekt-hest-batteri"


@pytest.fixture
def app(db_path, tmp_path):
    """`streamlit run dashboard.py` on a free port, with a fresh store and one analyst account."""
    users = tmp_path / "brugere.toml"
    accounts.add_account("kim", PASSWORD, "Kim Analytiker", path=users)
    with dashboard(db_path, users) as url:
        yield url


@pytest.fixture
def browser():
    """Headless Chromium from Debian, driven by Playwright; no page may send a request off the machine."""
    with guarded_chromium() as b:
        yield b


def _settle(page) -> None:
    settle(page, pause=0.5)


def _shot(page, folder: Path, name: str) -> Path:
    path = folder / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def _login_and_open_upload(page) -> None:
    page.get_by_text("Log ind (analytikere)").click()
    page.get_by_label("Brugernavn").fill("kim")
    page.get_by_label("Adgangskode").fill(PASSWORD)
    page.get_by_role("button", name="Log ind").click()
    _settle(page)
    page.get_by_role("link", name="Upload").click()
    _settle(page)


def test_click_through_every_page_then_upload_as_analyst(app, browser, tmp_path):
    shots = Path(os.environ.get("STATISTIK_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    page = browser.new_page(viewport={"width": 1440, "height": 1800})
    page.goto(app)
    _settle(page)
    assert page.get_by_text("Lokal kriminalitetsstatistik").first.is_visible()
    assert page.get_by_text("398", exact=True).first.is_visible()  # burglary, district, 4. kvt. 2025
    _shot(page, shots, "oversigt")

    for link, expected, name in [
        ("Udvikling", "Udvikling over tid", "udvikling"),
        ("Kommuner", "Kommunerne i forhold til landet", "kommuner"),
        ("Sammenlign perioder", "Sammenlign to perioder", "sammenligning"),
        ("Datastatus", "Datastatus", "datastatus"),
        ("Om data", "Kilde: Danmarks Statistik (STRAF11, FOLK1A)", "om_data"),
    ]:
        page.get_by_role("link", name=link).click()
        _settle(page)
        assert page.get_by_text(expected).first.is_visible(), link
        assert not page.locator("[data-testid='stException']").count(), link
        _shot(page, shots, name)
    assert not page.get_by_role("link", name="Upload").count()  # read-only without login

    page.get_by_role("link", name="Bilag til kredsrådet").click()
    _settle(page)
    _shot(page, shots, "bilag")
    page.get_by_role("button", name="Lav udkast").click()
    page.get_by_role("button", name="Hent PDF (udkast)").wait_for(timeout=120_000)
    with page.expect_download(timeout=120_000) as download:
        page.get_by_role("button", name="Hent PDF (udkast)").click()
    pdf = Path(download.value.path())
    from pypdf import PdfReader
    assert "Lokal kriminalitetsstatistik" in PdfReader(pdf).pages[0].extract_text()
    shutil.copy(pdf, shots / "bilag.pdf")

    _login_and_open_upload(page)
    page.locator("input[type='file']").set_input_files(str(SAMPLES / "eksempel_lang_2025-09.csv"))
    page.get_by_text("Tal: 16 nye, 0 ændrede, 0 uændrede.").wait_for(timeout=60_000)
    _shot(page, shots, "upload_plan")
    page.get_by_role("button", name="Godkend og gem").click()
    page.get_by_text("er gemt som upload 3").wait_for(timeout=60_000)
    page.get_by_role("link", name="Oversigt").click()
    _settle(page)
    assert page.get_by_text("155", exact=True).first.is_visible()  # contact fraud, district, sep. 2025
    _shot(page, shots, "oversigt_efter_upload")


def test_a_file_over_100_mb_uploads_with_progress_and_imports(app, browser, tmp_path):
    import duckdb
    big = tmp_path / "anmeldelser_stor.csv"
    duckdb.connect().execute(f"""COPY (
        SELECT '2025-' || lpad(((i % 9) + 1)::VARCHAR, 2, '0') || '-' || lpad(((i % 28) + 1)::VARCHAR, 2, '0')
                   AS anmeldt,
               ['København', 'Frederiksberg', 'Dragør', 'Tårnby'][(i % 4) + 1] AS gerningskommune,
               ['Kontaktbedrageri', 'Opioider', 'Lomme- og tricktyveri'][(i % 3) + 1] AS overtrædelse,
               '0100-' || lpad(i::VARCHAR, 12, '0') || '-25-med-fritekst-fra-politiets-system' AS journalnr
        FROM range(1, 2000001) t(i)) TO '{big}' (HEADER, DELIMITER ';')""")
    assert big.stat().st_size > 100 * 2**20
    page = browser.new_page(viewport={"width": 1440, "height": 1600})
    page.goto(app)
    _settle(page)
    _login_and_open_upload(page)
    page.locator("input[type='file']").set_input_files(str(big))
    page.get_by_text("Rækker læst: 2.000.000, brugt: 2.000.000.").wait_for(timeout=180_000)
    assert page.get_by_text("Tal: 36 nye, 0 ændrede, 0 uændrede.").is_visible()
    page.get_by_role("button", name="Godkend og gem").click()
    page.get_by_text("er gemt som upload 3").wait_for(timeout=180_000)
