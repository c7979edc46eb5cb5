"""Making a briefing: gather the content, render every chart in one browser session, write PDF or Word, log it."""

from __future__ import annotations

import datetime as dt
import getpass
from pathlib import Path

import duckdb

from statistik.briefing import assemble, charts, log
from statistik.briefing.content import BriefingError, collect
from statistik.briefing.document import Document

FORMATS = ("pdf", "docx")
MEDIA_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}


def format_of(path: Path | str) -> str:
    """'pdf' or 'docx' from a file name; BriefingError (in Danish) for anything else."""
    suffix = Path(path).suffix.lower().lstrip(".")
    if suffix not in FORMATS:
        shown = f"'.{suffix}'" if suffix else "ingen filendelse"
        raise BriefingError(f"Bilaget kan kun gemmes som .pdf eller .docx, ikke {shown} ({Path(path).name}).")
    return suffix


def _check_format(fmt: str) -> str:
    fmt = str(fmt).lower().lstrip(".")
    if fmt not in FORMATS:
        raise BriefingError(f"Ukendt format {fmt!r}; vælg pdf eller docx.")
    return fmt


def document(
    con: duckdb.DuckDBPyConnection, meeting: dt.date, *, period: str | None = None,
    suppress_below: int | None = None, user: str | None = None, today: dt.date | None = None,
) -> tuple[Document, str]:
    """The briefing as blocks (charts rendered) and the periods it covers, without writing or logging anything."""
    content = collect(con, meeting, period=period, suppress_below=suppress_below,
                      user=user if user is not None else getpass.getuser(), today=today)
    figures = assemble.chart_figures(content)
    images = dict(zip(figures, charts.render(list(figures.values()))))
    return assemble.build(content, images), content.periods_text()


def _render(con: duckdb.DuckDBPyConnection, meeting: dt.date, fmt: str, **options) -> tuple[bytes, str]:
    """The file's bytes and the periods covered."""
    doc, periods = document(con, meeting, **options)
    if fmt == "pdf":
        from statistik.briefing.render_pdf import render
    else:
        from statistik.briefing.render_docx import render
    return render(doc), periods


def briefing_bytes(
    con: duckdb.DuckDBPyConnection, meeting: dt.date, fmt: str, *, period: str | None = None,
    suppress_below: int | None = None, user: str | None = None, today: dt.date | None = None,
    record: bool = True,
) -> bytes:
    """The briefing for a council meeting as PDF or DOCX bytes; logged in the `briefing` table unless record=False."""
    fmt = _check_format(fmt)
    user = user if user is not None else getpass.getuser()
    data, periods = _render(con, meeting, fmt, period=period, suppress_below=suppress_below, user=user, today=today)
    if record:
        log.record(con, meeting, user, periods, suppress_below, fmt)
    return data


def make_briefing(
    con: duckdb.DuckDBPyConnection, meeting: dt.date, out: Path, *, period: str | None = None,
    suppress_below: int | None = None, user: str | None = None, today: dt.date | None = None,
) -> Path:
    """Write the briefing to `out` (.pdf or .docx), log it, and return the path."""
    out = Path(out)
    fmt = format_of(out)
    if not out.parent.is_dir():
        raise BriefingError(f"Mappen {out.parent} findes ikke; bilaget kan ikke gemmes dér.")
    user = user if user is not None else getpass.getuser()
    data, periods = _render(con, meeting, fmt, period=period, suppress_below=suppress_below, user=user, today=today)
    out.write_bytes(data)
    log.record(con, meeting, user, periods, suppress_below, fmt)
    return out
