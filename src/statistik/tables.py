"""Tables for download: CSV that Danish Excel opens correctly, and XLSX.

Both formats write the frame's columns (not its index), with the source line under the
table, as in Statistikbanken downloads: the header stays on the first row of the CSV, so
filters and tools that read the file back still find it.

Formula injection (OWASP "CSV Injection"): a text cell that starts with `=`, `+`, `-`, `@`,
tab, carriage return, line feed or NUL would be run as a formula by a spreadsheet. In CSV such
a cell gets a leading `'`; in XLSX it is stored as a text cell (never a formula) and marked
"quote prefix" so that editing it in Excel keeps it text. Numbers are not text: a negative
number is written as `-3` (ASCII minus) and Excel reads it as the number −3.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
import re
from decimal import Decimal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Border, Font, Side
from openpyxl.utils import get_column_letter

from statistik.formatting import CELL_DECIMALS
from statistik.vocabulary import formula_like, slug

LOCAL_TIME = ZoneInfo("Europe/Copenhagen")
YES, NO = "ja", "nej"

CSV_DATE, CSV_DATETIME = "%d-%m-%Y", "%d-%m-%Y %H:%M"
XLSX_DATE, XLSX_DATETIME = "dd-mm-yyyy", "dd-mm-yyyy hh:mm"
MIN_WIDTH, MAX_WIDTH = 6, 60
_SHEET_NAME_BAD = re.compile(r"[\[\]:*?/\\]")


def rounded(frame: pd.DataFrame, formats: dict[str, str] | None) -> pd.DataFrame:
    """The frame with each formatted column rounded as the screen shows it (formats: column → kind).

    A download then holds 134,3, not 134,31289808559148; whole-number kinds become integers; text in a
    number column ('skjult') stays text.
    """
    out = frame.copy()
    for column, kind in (formats or {}).items():
        if column not in out.columns:
            continue
        numbers = pd.to_numeric(out[column], errors="coerce").astype("Float64").round(CELL_DECIMALS[kind])
        numbers = numbers.astype("Int64") if CELL_DECIMALS[kind] == 0 else numbers
        text = out[column].map(lambda v: isinstance(v, str))
        out[column] = numbers.astype(object).where(~text, out[column]) if text.any() else numbers
    return out


def file_name(text: str, extension: str, limit: int = 80) -> str:
    """A download's file name from its title, without spaces: 'indbrud-i-beboelser-dragoer-2025.csv'."""
    stem = slug(text)[:limit].rstrip("-") or "tabel"
    return f"{stem}.{extension}"


def _plain(value):
    """A cell as None, bool, int, float, date, datetime (local, naive) or str."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    try:
        if pd.isna(value):  # None, NaN, pd.NA, NaT
            return None
    except (TypeError, ValueError):
        pass
    if isinstance(value, (int, np.integer)):
        return int(value)
    if isinstance(value, (float, np.floating, Decimal)):
        number = float(value)
        return number if math.isfinite(number) else None  # Excel has no infinity
    if isinstance(value, np.datetime64):
        value = pd.Timestamp(value)
    if isinstance(value, pd.Timestamp):
        value = value.to_pydatetime()
    if isinstance(value, dt.datetime):
        if value.tzinfo is not None:
            value = value.astimezone(LOCAL_TIME).replace(tzinfo=None)
        return value.date() if value.time() == dt.time() else value
    if isinstance(value, dt.date):
        return value
    return str(value)


def neutralise(text: str) -> str:
    """Text made safe for a CSV cell: a leading `'` if it would start a formula."""
    return "'" + text if formula_like(text) else text


def _csv_cell(value) -> str:
    value = _plain(value)
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        # Shortest exact digits, never exponent notation; decimal comma, no thousands separator.
        return np.format_float_positional(value, trim="-").replace(".", ",")
    if isinstance(value, dt.datetime):
        return value.strftime(CSV_DATETIME)
    if isinstance(value, dt.date):
        return value.strftime(CSV_DATE)
    return neutralise(value)


def to_csv_bytes(frame: pd.DataFrame, *, source: str | None = None) -> bytes:
    """The frame as `;`-separated UTF-8 CSV with BOM and CRLF, for Danish Excel.

    Numbers use a decimal comma and no thousands separator (integers plain), missing values
    are empty, dates are dd-mm-yyyy, yes/no is "ja"/"nej". Text cells that would start a
    formula get a leading `'`; numeric cells are written as numbers, so a negative number stays
    `-3`. With `source`, a blank line and the source line ("Kilde: …") follow the table. There
    is no `sep=;` line: Excel ignores the BOM when one is present and garbles æ, ø, å.
    """
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(neutralise(str(column)) for column in frame.columns)
    for values in frame.itertuples(index=False, name=None):
        writer.writerow(_csv_cell(value) for value in values)
    if source:
        writer.writerow([])
        writer.writerow([neutralise(source)])
    return out.getvalue().encode("utf-8-sig")


def _number_format(column: pd.Series) -> str:
    """`#,##0` for whole numbers, `#,##0.0` otherwise, `#,##0.000` for values below 1."""
    numbers = [v for v in map(_plain, column) if isinstance(v, (int, float)) and not isinstance(v, bool)]
    if all(float(v).is_integer() for v in numbers):
        return "#,##0"
    return "#,##0.000" if max(abs(v) for v in numbers) < 1 else "#,##0.0"


def _cell_format(value, number_format: str) -> str:
    if isinstance(value, dt.datetime):
        return XLSX_DATETIME
    return XLSX_DATE if isinstance(value, dt.date) else number_format


def _text_cell(ws, row: int, column: int, text: str):
    """A cell that holds text and only text, whatever the text starts with."""
    text = ILLEGAL_CHARACTERS_RE.sub("", text)
    cell = ws.cell(row=row, column=column)
    cell.value = text
    cell.data_type = "s"  # openpyxl would otherwise store '=…' as a formula and '#N/A' as an error
    if formula_like(text):
        cell.quotePrefix = True
    return cell


def _shown_width(value, number_format: str) -> int:
    if isinstance(value, bool):
        return len(YES if value else NO)
    if isinstance(value, (int, float)):
        decimals = len(number_format.partition(".")[2])
        return len(f"{value:,.{decimals}f}")
    if isinstance(value, dt.datetime):
        return len(XLSX_DATETIME)
    if isinstance(value, dt.date):
        return len(XLSX_DATE)
    return max((len(line) for line in str(value).splitlines()), default=0)


def _sheet_name(name: str) -> str:
    return _SHEET_NAME_BAD.sub("-", name).strip("'")[:31] or "Tabel"


def to_xlsx_bytes(
    frame: pd.DataFrame,
    *,
    sheet: str = "Tabel",
    title: str | None = None,
    source: str | None = None,
) -> bytes:
    """The frame as an XLSX workbook: optional title, bold header, real numbers and dates, source line."""
    wb = Workbook()
    ws = wb.active
    ws.title = _sheet_name(sheet)
    header_row = 1
    if title:
        _text_cell(ws, 1, 1, title).font = Font(bold=True, size=14)
        header_row = 3  # a blank row keeps the title out of Excel's table and filter range
    formats = [_number_format(frame.iloc[:, j]) for j in range(frame.shape[1])]
    widths = []
    for j, column in enumerate(frame.columns, start=1):
        cell = _text_cell(ws, header_row, j, str(column))
        cell.font = Font(bold=True)
        cell.border = Border(bottom=Side(style="thin"))
        widths.append(_shown_width(cell.value, ""))
    last_row = header_row
    for last_row, values in enumerate(frame.itertuples(index=False, name=None), start=header_row + 1):
        for j, value in enumerate(values, start=1):
            value = _plain(value)
            if value is None:
                continue
            if isinstance(value, str):
                _text_cell(ws, last_row, j, value)
            elif isinstance(value, bool):
                ws.cell(row=last_row, column=j, value=YES if value else NO)
            else:
                cell = ws.cell(row=last_row, column=j, value=value)
                cell.number_format = _cell_format(value, formats[j - 1])
            widths[j - 1] = max(widths[j - 1], _shown_width(value, formats[j - 1]))
    ws.freeze_panes = ws.cell(row=header_row + 1, column=1)
    if frame.shape[1]:
        ws.auto_filter.ref = f"A{header_row}:{get_column_letter(frame.shape[1])}{last_row}"
    if source:
        _text_cell(ws, last_row + 2, 1, source).font = Font(italic=True)
    for j, width in enumerate(widths, start=1):
        ws.column_dimensions[get_column_letter(j)].width = min(max(width + 2, MIN_WIDTH), MAX_WIDTH)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
