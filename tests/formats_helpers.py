"""Helpers for the import format tests (test_import_samples.py, test_import_formats.py).

A seeded store is built once per test module and copied for each test; `snapshot` reads
every stored row so a test can check that a rejected file wrote nothing.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from statistik import periods
from statistik.ingest import Rejected, import_file

TODAY = dt.date(2026, 11, 25)
TESTS = Path(__file__).resolve().parent
LOCAL_SAMPLES = TESTS / "samples"
DST_CODES_FILE = TESTS.parent / "data" / "straf11_2016K1-2025K4_koder.csv"

KBH, FRB, DRAGOER, TAARNBY, LANDET, REGION_H = "101", "147", "155", "185", "000", "084"
KONTAKT, LOMME, OPIOIDER = "kontaktbedrageri", "lomme-og-tricktyveri", "opioider"
INDBRUD, VOLD, TOT = "1320", "12", "TOT"
POLICE, DST = "Københavns Politi", "Danmarks Statistik"


@pytest.fixture
def store(con):
    """An open connection to a fresh copy of the seeded store (conftest's `con`)."""
    return con


@pytest.fixture
def store_without_dst_2025(store):
    """The seeded store with the shipped DST figures from 2025 on removed.

    Statistikbanken files then add new cells instead of matching the shipped ones, so the
    tests see exactly what the importer stored.
    """
    store.execute("DELETE FROM figure WHERE source = ? AND period_start >= DATE '2025-01-01'", [DST])
    return store


def snapshot(con) -> dict[str, list[tuple]]:
    """Every row of every stored table, plus the upload id sequence."""
    tables = [r[0] for r in con.execute(
        """SELECT table_name FROM information_schema.tables
           WHERE table_type = 'BASE TABLE' AND table_schema = 'main'
             AND table_catalog = current_database() ORDER BY 1"""
    ).fetchall()]
    out = {t: sorted(con.execute(f'SELECT * FROM "{t}"').fetchall(), key=repr) for t in tables}
    out["<sequences>"] = con.execute(
        "SELECT sequence_name, last_value FROM duckdb_sequences() "
        "WHERE database_name = current_database() ORDER BY 1"
    ).fetchall()
    return out


def do_import(con, path: Path, **kwargs):
    """Import a file the way the tests do (user 'test', today 2026-11-25)."""
    kwargs.setdefault("today", TODAY)
    return import_file(con, Path(path), user="test", **kwargs)


def stored_cells(con, upload_id: int) -> dict[tuple[str, str, str], int]:
    """Cells written by one upload: (period code, area, category) → count."""
    rows = con.execute(
        "SELECT period_kind, period_start, area_code, category_code, count FROM figure WHERE upload_id = ?",
        [upload_id],
    ).fetchall()
    return {(periods.period_code(k, s), a, c): n for k, s, a, c, n in rows}


def figure(con, period: str, area: str, category: str, source: str = POLICE) -> int | None:
    """The stored count of one cell, or None when there is none. `period` as '2025-09', '2025K3', '2025'."""
    p = periods.parse_period(period)
    row = con.execute(
        """SELECT count FROM figure WHERE period_kind = ? AND period_start = ? AND area_code = ?
           AND category_code = ? AND source = ?""",
        [p.kind, p.start, area, category, source],
    ).fetchone()
    return row[0] if row else None


def upload_row(con, upload_id: int) -> dict:
    """The upload record as a dict."""
    cur = con.execute("SELECT * FROM upload WHERE id = ?", [upload_id])
    names = [d[0] for d in cur.description]
    return dict(zip(names, cur.fetchone()))


def rejected(con, path: Path, **kwargs) -> list:
    """Import a file that must be rejected; check that nothing was written; return its problems."""
    before = snapshot(con)
    with pytest.raises(Rejected) as info:
        do_import(con, path, **kwargs)
    assert snapshot(con) == before, "a rejected file must leave the store unchanged"
    problems = info.value.problems
    assert problems, "Rejected must carry at least one problem"
    for p in problems:
        assert p.message().strip()
    return problems


def messages(problems) -> str:
    """All problem messages, one a line (for assertion output)."""
    return "\n".join(p.message() for p in problems)


def dst_codes(period_prefix: str = "2025") -> dict[tuple[str, str, str], int]:
    """The shipped STRAF11 BULK file with codes: (period code, area, category) → count."""
    out = {}
    with open(DST_CODES_FILE, encoding="utf-8") as f:
        next(f)
        for line in f:
            area, category, period, value = line.rstrip("\r\n").split(";")
            if period.startswith(period_prefix):
                out[(period, area, category)] = int(value)
    return out
