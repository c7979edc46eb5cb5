"""The dashboard frame runs and shows real figures (pages are tested one by one as they come)."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

DASHBOARD = str(Path(__file__).resolve().parents[1] / "dashboard.py")


def test_dashboard_shows_the_latest_quarter_for_the_district(db_path):
    at = AppTest.from_file(DASHBOARD, default_timeout=60).run()
    assert not at.exception
    assert at.title[0].value == "Lokal kriminalitetsstatistik"
    table = at.dataframe[0].value
    assert table.loc["Indbrud i beboelser", "Dragør"] == 10  # 2025K4, the latest quarter shipped
