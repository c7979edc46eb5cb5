"""Danish all through: table cells, dates, downloads rounded as shown, file names, widget and chart texts."""

from __future__ import annotations

import datetime as dt
import json

import numpy as np
import pandas as pd
from hypothesis import given, settings, strategies as st

from statistik import formatting, tables
from test_pages import open_page

MISSING = [None, float("nan"), pd.NA, pd.NaT, np.datetime64("NaT"), np.nan]
NOT_DANISH = ("None", "nan", "NaN", "NaT", "<NA>", "00:00:00")


def test_missing_values_show_as_a_dash_in_every_kind():
    for kind in (None, *formatting.CELL_DECIMALS):
        assert {formatting.cell(v, kind) for v in MISSING} == {"–"}


def test_dates_and_times_are_danish():
    assert formatting.cell(pd.Timestamp("2025-05-01")) == "1. maj 2025"
    assert formatting.cell(dt.date(2025, 9, 4)) == "4. sep. 2025"
    assert formatting.cell(pd.Timestamp("2025-11-25 14:05:09")) == "25-11-2025 14:05"


cells = st.one_of(st.none(), st.floats(-1e12, 1e12) | st.just(float("nan")), st.integers(-10**6, 10**6),
                  st.dates(), st.datetimes(), st.text(max_size=5), st.just(pd.NA), st.just(pd.NaT))


@settings(max_examples=200, deadline=None)
@given(cells, st.sampled_from([None, *formatting.CELL_DECIMALS]))
def test_no_cell_ever_reads_like_python(value, kind):
    if kind is not None and isinstance(value, (str, dt.date)):
        return                              # number kinds are only given to number columns
    shown = formatting.cell(value, kind)
    if not isinstance(value, str):
        assert not any(word in shown for word in NOT_DANISH), (value, kind, shown)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=8))
def test_downloads_hold_the_numbers_as_shown(values):
    frame = pd.DataFrame({"Pr. 100.000": values, "Antal": values})
    rows = tables.to_csv_bytes(tables.rounded(frame, {"Pr. 100.000": "dec1", "Antal": "int"})) \
        .decode("utf-8-sig").splitlines()[1:]
    for row, value in zip(rows, values):
        rate, count = row.split(";")
        assert rate.replace(",", ".").replace("-", "") .count(".") <= 1 and len(rate.partition(",")[2]) <= 1
        assert abs(float(rate.replace(",", ".")) - value) <= 0.05 + 1e-9
        assert "," not in count and abs(int(count) - value) <= 0.5


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.integers(-10**9, 10**9), st.floats(-1e9, 1e9, allow_nan=False)), st.integers(0, 2))
def test_numbers_are_babel_s_danish_format_however_they_are_reached(value, decimals):
    """`number` keeps Babel's parsed locale and pattern (naming the locale by its string took a global lock
    per number, which made 20 sessions wait for each other): the text is Babel's own."""
    from babel.numbers import format_decimal
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    assert formatting.number(value, decimals) == format_decimal(value, format=pattern, locale="da_DK")


def test_file_names_say_what_is_in_them_without_spaces():
    name = tables.file_name("Indbrud i beboelser pr. 100.000 indbyggere, Dragør, 2025", "csv")
    assert name == "indbrud-i-beboelser-pr-100-000-indbyggere-dragoer-2025.csv"
    assert " " not in tables.file_name("  ", "xlsx") and tables.file_name("  ", "xlsx") == "tabel.xlsx"


def test_widgets_and_charts_speak_danish(db_path):
    at = open_page("udvikling")
    assert at.multiselect[0].proto.placeholder == "Vælg områder …"
    chart = at.get("plotly_chart")[0].proto
    config = json.loads(chart.config)
    assert config["locale"] == "da" and config["locales"]["da"]["dictionary"]["Zoom in"] == "Zoom ind"
    assert config["locales"]["da"]["format"]["decimal"] == ","
    assert chart.alt.startswith("Linjediagram: Indbrud i beboelser, Københavns Politikreds")
    assert "seneste 398 (4. kvt. 2025)" in chart.alt
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels[:3] == ["PNG (tryk)", "SVG", "PDF"]


def test_gaps_name_areas_and_categories(con):
    from statistik.ingest import import_file
    from statistik.views import status
    from conftest import SAMPLES, TODAY
    import_file(con, SAMPLES / "eksempel_lang_2025-09.csv", user="t", today=TODAY)
    import_file(con, SAMPLES / "eksempel_anmeldelser_2025-11.csv", user="t", today=TODAY)
    gaps, missing = status.gaps(con)
    assert missing and set(gaps["area"]) <= {"København", "Frederiksberg", "Dragør", "Tårnby"}
    assert "Kontaktbedrageri" in set(gaps["category"])
