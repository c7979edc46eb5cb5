"""Newer official figures from Statistikbanken, imported by the ordinary importer as one upload per table.

What is asked for:
- STRAF11: the quarters newer than the store's newest DST quarter, and the REVISION_QUARTERS
  quarters up to it once more. DST corrects recent quarters when late reports are registered,
  and its yearly publication revises the quarters of the year before; two years catch both for
  about 7.000 rows, where the whole series would be five times as many. A correction found there
  shows in the plan as a revision (old → new) and is undone with the upload. Older corrections
  come in with `--all-categories`, which asks for the whole span the store holds.
- FOLK1A: the population on 1 January (the quarters K1) from the newest year held (asked once
  more, as a check; FOLK1A is final when published).
- With `all_categories`, every offence code of STRAF11 (not only the ones the store knows) over
  the whole span the store holds, so a new category comes with its history. Its name comes from
  `tableinfo` and its parent from the code (statistik.hierarchy).

A BULK answer leaves out combinations whose value is 0; the importer fills the grid of the answer's
periods × areas × categories with 0, so one request is one grid (never two grids in one file).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from statistik import config, hierarchy
from statistik.dst.api import Client, DstError, TableInfo
from statistik.ingest import Prepared, prepare
from statistik.periods import Period, parse_period, shift

STRAF11, FOLK1A = "STRAF11", "FOLK1A"
TABLES = (STRAF11, FOLK1A)
REVISION_QUARTERS = 8
HOST_NOTE = "api.statbank.dk"


@dataclass
class Fetched:
    """One table's answer, saved as a file for the importer, and what was asked."""

    table: str
    name: str                            # the file name the upload log shows
    path: Path
    asked: list[str]                     # period codes asked for
    newer: list[str]                     # of those, the ones newer than the store had
    categories: dict[str, tuple[str, str | None]] = field(default_factory=dict)  # new code → (name, parent)


def _quarters(codes: list[str]) -> list[Period]:
    return [p for p in (parse_period(c) for c in codes) if p is not None and p.kind == "Q"]


def _newest_quarter(con: duckdb.DuckDBPyConnection) -> tuple[Period | None, Period | None]:
    first, last = con.execute(
        "SELECT min(period_start), max(period_start) FROM figure WHERE source = ? AND period_kind = 'Q'",
        [config.DST_SOURCE],
    ).fetchone()
    return (Period("Q", first) if first else None), (Period("Q", last) if last else None)


def _straf11_request(con: duckdb.DuckDBPyConnection, info: TableInfo, all_categories: bool
                     ) -> tuple[dict[str, list[str]], list[str], list[str], dict[str, tuple[str, str | None]]]:
    offered = _quarters(info.time.codes())
    first, newest = _newest_quarter(con)
    if newest is None:
        asked = offered
    elif all_categories:
        asked = [p for p in offered if p.start >= first.start]
    else:
        asked = [p for p in offered if p.start >= shift(newest, 1 - REVISION_QUARTERS).start]
    newer = [p.code for p in asked if newest is None or p.start > newest.start]
    offences = info.variable("OVERTRÆD")
    known = {r[0] for r in con.execute("SELECT code FROM category WHERE origin = 'dst'").fetchall()}
    new: dict[str, tuple[str, str | None]] = {}
    if all_categories:
        codes = ["*"]
        parents = hierarchy.dst_parents(offences.codes())
        new = {c: (name, parents[c]) for c, name in offences.values if c not in known}
    else:
        codes = [c for c in offences.codes() if c in known]
        if not codes:
            raise DstError("Databasen kender ingen af STRAF11's overtrædelser; brug --all-categories. Intet er gemt.")
    variables = {"OMRÅDE": ["*"], offences.id: codes, info.time.id: [p.code for p in asked]}
    return variables, [p.code for p in asked], newer, new


def _folk1a_request(con: duckdb.DuckDBPyConnection, info: TableInfo) -> tuple[dict[str, list[str]], list[str], list[str]]:
    newest = con.execute("SELECT max(year) FROM population").fetchone()[0]
    january = [p for p in _quarters(info.time.codes()) if p.start.month == 1]
    asked = [p for p in january if newest is None or p.start.year >= newest]
    newer = [p.code for p in asked if newest is None or p.start.year > newest]
    return {"OMRÅDE": ["*"], info.time.id: [p.code for p in asked]}, [p.code for p in asked], newer


def fetch(
    con: duckdb.DuckDBPyConnection, tables: list[str], folder: Path, *, all_categories: bool = False,
    client: Client | None = None, today: dt.date | None = None,
) -> list[Fetched]:
    """Ask Statistikbanken for each table's newer figures (and the recent ones again) and save the answers in
    `folder`; DstError if any request fails. Reads the store behind `con`, writes nothing to it."""
    client = client or Client()
    today = today or dt.date.today()
    out = []
    for table in tables:
        info = client.tableinfo(table)
        new: dict[str, tuple[str, str | None]] = {}
        if table == STRAF11:
            variables, asked, newer, new = _straf11_request(con, info, all_categories)
        elif table == FOLK1A:
            variables, asked, newer = _folk1a_request(con, info)
        else:
            raise DstError(f"Ukendt tabel {table!r}; vælg {' eller '.join(TABLES)}.")
        if not asked:
            raise DstError(f"Danmarks Statistiks tabel {table} har ingen perioder at hente. Intet er gemt.")
        content = client.bulk(table, variables)
        span = asked[0] if len(asked) == 1 else f"{asked[0]}-{asked[-1]}"
        name = f"{table} {span} fra {HOST_NOTE} {today:%Y-%m-%d}.csv"
        path = folder / f"{table}.csv"
        path.write_bytes(content)
        out.append(Fetched(table, name, path, asked, newer, new))
    return out


def prepare_all(con: duckdb.DuckDBPyConnection, fetched: list[Fetched], today: dt.date | None = None) -> list[Prepared]:
    """Check and plan every answer with the importer (Rejected lists every problem); new DST categories get
    their names and parents from `tableinfo`. The caller closes what it gets."""
    out: list[Prepared] = []
    try:
        for f in fetched:
            prepared = prepare(con, f.path, source=config.DST_SOURCE, name=f.name, today=today)
            out.append(prepared)
            plan = prepared.plan
            plan.new_categories = {code: f.categories.get(code, (name, None))[0]
                                   for code, name in plan.new_categories.items()}
            known = {r[0] for r in con.execute("SELECT code FROM category").fetchall()} | set(plan.new_categories)
            plan.category_parents = {code: parent if parent in known else hierarchy.TOTAL
                                     for code, (_, parent) in f.categories.items()
                                     if code in plan.new_categories and parent}
    except BaseException:
        for p in out:
            p.close()
        raise
    return out
