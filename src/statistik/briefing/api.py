"""Making a briefing: gather the content, render every chart in one browser session, write PDF or Word.

A briefing is a draft unless it is made `final`: a draft writes nothing to the store (and
says "Udkast" on its cover and in its footer). A final briefing is recorded — with every
cell it published, when small counts are hidden — so later briefings keep its hidden cells
hidden and list the revisions since. Before a briefing with small counts hidden is written,
the exact audit must pass; otherwise it is refused.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path

import duckdb

from statistik import publications
from statistik.briefing import assemble, charts, disclose
from statistik.briefing.content import Briefing, BriefingError, collect
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


def check_format(fmt: str) -> str:
    """The format in lower case; BriefingError for anything but pdf and docx."""
    fmt = str(fmt).lower().lstrip(".")
    if fmt not in FORMATS:
        raise BriefingError(f"Ukendt format {fmt!r}; vælg pdf eller docx.")
    return fmt


@dataclass
class Made:
    """A rendered briefing: the file's bytes per format, and the content they were made from."""

    files: dict[str, bytes]
    briefing: Briefing
    latest: int | None          # the newest final briefing it was decided against


def _audited(b: Briefing) -> None:
    """Refuse a briefing with hidden counts whose exact audit does not pass (a broken invariant, never expected)."""
    failing = [f for f in b.decision.audit(everything=False) if not f.ok]
    if failing:
        describe = disclose.describe_with(b.books, {p.final.id: p.final.meeting_date for p in b.decision.publications})
        raise BriefingError("Bilaget skrives ikke: kontrollen af de skjulte tal fejlede for "
                            + "; ".join(describe(f.cell.labels[0]) for f in failing[:5]) + ".")


def document(b: Briefing) -> Document:
    """The briefing as blocks, its charts rendered in one browser session."""
    figures = assemble.chart_figures(b)
    images = dict(zip(figures, charts.render(list(figures.values()))))
    return assemble.build(b, images)


def make(con: duckdb.DuckDBPyConnection, meeting: dt.date, formats: tuple[str, ...], *, period: str | None = None,
         suppress_below: int | None = None, organisation: str | None = None, final: bool = False,
         today: dt.date | None = None) -> Made:
    """The briefing in each format, checked by the exact audit; nothing is written (see `finalise`)."""
    formats = tuple(check_format(f) for f in formats)
    latest = publications.latest_id(con)
    b = collect(con, meeting, period=period, suppress_below=suppress_below, organisation=organisation,
                final=final, today=today)
    _audited(b)
    doc = document(b)
    files = {}
    for fmt in formats:
        if fmt == "pdf":
            from statistik.briefing.render_pdf import render
        else:
            from statistik.briefing.render_docx import render
        files[fmt] = render(doc)
    return Made(files, b, latest)


def finalise(con: duckdb.DuckDBPyConnection, made: Made, created_by: str) -> list[int]:
    """Record a final briefing (one row per format) with what it published; refused if another was recorded since."""
    b = made.briefing
    if not b.final:
        raise BriefingError("Et udkast kan ikke gøres endeligt; lav bilaget som endeligt.")
    cells, figures = disclose.published_cells(b.books) if b.below is not None else ([], [])
    ids, latest = [], made.latest
    try:
        for fmt, data in made.files.items():
            latest = publications.record(
                con, meeting=b.meeting, created_by=created_by, periods=b.periods_text(), suppress_below=b.below,
                file_format=fmt, organisation=b.organisation, members=b.books.members, cells=cells,
                figures=figures, content=data, expect_latest=latest)
            ids.append(latest)
    except publications.Raced as e:
        raise BriefingError(str(e)) from None
    return ids


def briefing_bytes(con: duckdb.DuckDBPyConnection, meeting: dt.date, fmt: str, **options) -> bytes:
    """A draft of the briefing for a council meeting as PDF or DOCX bytes; writes nothing."""
    fmt = check_format(fmt)
    return make(con, meeting, (fmt,), **options).files[fmt]


def make_briefing(con: duckdb.DuckDBPyConnection, meeting: dt.date, out: Path, *, final: bool = False,
                  created_by: str = "", record=None, **options) -> Path:
    """Write the briefing to `out` (.pdf or .docx) and return the path; a final one is then recorded.

    `record(finish)` runs `finish(write_connection)` inside a write of the store (default: on `con`).
    """
    out = Path(out)
    fmt = format_of(out)
    if not out.parent.is_dir():
        raise BriefingError(f"Mappen {out.parent} findes ikke; bilaget kan ikke gemmes dér.")
    made = make(con, meeting, (fmt,), final=final, **options)
    out.write_bytes(made.files[fmt])
    if final:
        (record or (lambda finish: finish(con)))(lambda write: finalise(write, made, created_by))
    return out


def audit(con: duckdb.DuckDBPyConnection, meeting: dt.date, *, period: str | None = None,
          suppress_below: int | None = None, today: dt.date | None = None) -> tuple[Briefing, list]:
    """The briefing's content (no charts) and the exact audit of every protected cell, this briefing's and earlier."""
    b = collect(con, meeting, period=period, suppress_below=suppress_below, today=today, strict=False)
    return b, b.decision.audit()
