"""Table downloads: CSV that Danish Excel opens correctly, and XLSX, both safe from formulas."""

from __future__ import annotations

import csv
import datetime as dt
import io

import numpy as np
import openpyxl
import pandas as pd
import pytest

from statistik.tables import to_csv_bytes, to_xlsx_bytes

SOURCE = "Kilde: Danmarks Statistik (STRAF11), egne beregninger"
HOSTILE = ["=SUM(A1)", "+1+1", "-2+3", "@cmd", "\tx", "\rx", "=cmd|'/c calc'!A0", "  =1+1", "\uff1d1+1"]


def table() -> pd.DataFrame:
    """Four municipalities with a count, a change, a rate, a date and a missing value."""
    return pd.DataFrame({
        "Kommune": ["København", "Frederiksberg", "Dragør", "Tårnby"],
        "Antal": [1234, 56, 27, 0],
        "Ændring": [-3, 12, -8, 0],
        "Pr. 100.000": [185.3, 50.25, np.nan, 0.0],
        "Opgjort": pd.to_datetime(["2025-09-30", "2025-09-30", None, "2025-10-01"]),
        "Antal (nullable)": pd.array([1, None, 3, 4], dtype="Int64"),
    })


def read_csv(data: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""), delimiter=";"))


def read_xlsx(data: bytes):
    return openpyxl.load_workbook(io.BytesIO(data)).active


def test_csv_has_bom_semicolons_and_crlf():
    data = to_csv_bytes(table())
    assert data.startswith(b"\xef\xbb\xbf")
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == "Kommune;Antal;Ændring;Pr. 100.000;Opgjort;Antal (nullable)"
    assert text.count("\r\n") == 5 and "\n" not in text.replace("\r\n", "")


def test_csv_numbers_and_dates_read_as_danish_excel_expects():
    rows = read_csv(to_csv_bytes(table()))
    assert rows[1] == ["København", "1234", "-3", "185,3", "30-09-2025", "1"]
    assert rows[2] == ["Frederiksberg", "56", "12", "50,25", "30-09-2025", ""]
    assert rows[3] == ["Dragør", "27", "-8", "", "", "3"]  # missing is empty, not 0
    assert rows[4] == ["Tårnby", "0", "0", "0", "01-10-2025", "4"]


def test_csv_neutralises_formulas_in_text_but_not_negative_numbers():
    frame = pd.DataFrame({"tekst": HOSTILE, "tal": [-3, -1.5, 0, 1, 2, 3, 4, 5, 6]})
    rows = read_csv(to_csv_bytes(frame))[1:]
    assert [r[0] for r in rows] == ["'" + text for text in HOSTILE]
    assert [r[1] for r in rows] == ["-3", "-1,5", "0", "1", "2", "3", "4", "5", "6"]


def test_csv_text_that_looks_like_a_number_is_still_text():
    rows = read_csv(to_csv_bytes(pd.DataFrame({"kode": ["-3", "0101"]})))
    assert [r[0] for r in rows[1:]] == ["'-3", "0101"]


def test_csv_header_and_source_are_neutralised_too():
    rows = read_csv(to_csv_bytes(pd.DataFrame({"=A1": [1]}), source="@kilde"))
    assert rows[0] == ["'=A1"] and rows[-1] == ["'@kilde"]


def test_csv_source_line_follows_a_blank_line():
    rows = read_csv(to_csv_bytes(table(), source=SOURCE))
    assert rows[-2:] == [[], [SOURCE]]
    assert rows[0][0] == "Kommune"  # the header stays on the first line


def test_csv_quotes_cells_with_semicolons_and_newlines():
    frame = pd.DataFrame({"note": ["a;b", 'sagt "nej"', "to\nlinjer"]})
    assert [r[0] for r in read_csv(to_csv_bytes(frame))[1:]] == ["a;b", 'sagt "nej"', "to\nlinjer"]


def test_csv_small_and_large_floats_have_no_exponent():
    rows = read_csv(to_csv_bytes(pd.DataFrame({"x": [1e-05, 1.5e16, float("inf"), True]})))
    assert [r[0] for r in rows[1:]] == ["0,00001", "15000000000000000", "", "ja"]


def test_csv_times_in_local_time():
    stamp = pd.Timestamp("2025-06-30 22:30", tz="UTC")
    assert read_csv(to_csv_bytes(pd.DataFrame({"tid": [stamp]})))[1] == ["01-07-2025 00:30"]


def test_xlsx_values_types_and_number_formats():
    ws = read_xlsx(to_xlsx_bytes(table()))
    assert [c.value for c in ws[1]] == list(table().columns)
    assert all(c.font.bold for c in ws[1])
    kbh = ws[2]
    assert [c.value for c in kbh[:4]] == ["København", 1234, -3, 185.3]
    assert isinstance(kbh[1].value, int) and kbh[1].data_type == "n" and kbh[1].number_format == "#,##0"
    assert kbh[3].number_format == "#,##0.0"
    assert kbh[4].value == dt.datetime(2025, 9, 30) and kbh[4].number_format == "dd-mm-yyyy"
    assert ws["D4"].value is None and ws["F3"].value is None  # missing stays empty
    assert ws.max_row == 5


def test_xlsx_stores_formula_text_as_text():
    frame = pd.DataFrame({"tekst": [*HOSTILE, "=1+1", "#N/A"]})
    ws = read_xlsx(to_xlsx_bytes(frame))
    cells = [ws.cell(row=i, column=1) for i in range(2, ws.max_row + 1)]
    assert [c.value for c in cells] == [*HOSTILE, "=1+1", "#N/A"]
    assert all(c.data_type == "s" for c in cells)
    assert all(c.quotePrefix for c in cells[:-1])  # Excel keeps it text even when the cell is edited


def test_xlsx_title_and_source_rows():
    ws = read_xlsx(to_xlsx_bytes(table(), sheet="Indbrud: 2025/K3", title="Indbrud i beboelser",
                                 source=SOURCE))
    assert ws.title == "Indbrud- 2025-K3"
    assert ws["A1"].value == "Indbrud i beboelser" and ws["A1"].font.bold
    assert ws["A2"].value is None
    assert ws["A3"].value == "Kommune" and ws["A4"].value == "København"
    assert ws.freeze_panes == "A4"
    assert ws["A8"].value is None and ws["A9"].value == SOURCE and ws.max_row == 9


def test_xlsx_freezes_below_the_header_and_fits_columns():
    ws = read_xlsx(to_xlsx_bytes(table()))
    assert ws.freeze_panes == "A2"
    assert ws.column_dimensions["A"].width == len("Frederiksberg") + 2
    assert ws.column_dimensions["F"].width == len("Antal (nullable)") + 2


@pytest.mark.parametrize("export", [to_csv_bytes, to_xlsx_bytes])
def test_an_empty_table_is_just_the_header(export):
    data = export(pd.DataFrame({"Kommune": [], "Antal": []}))
    if export is to_csv_bytes:
        assert read_csv(data) == [["Kommune", "Antal"]]
    else:
        assert [c.value for c in read_xlsx(data)[1]] == ["Kommune", "Antal"]
