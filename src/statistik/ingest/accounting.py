"""Every row accounted for: rows read = rows used + rows skipped (listed) + rows refused.

`account` counts the statuses validation gave the rows and checks, on every file, that they
add up to what the reader read and that every used row reached a cell; `check_written`, inside
every apply, that the store then holds exactly the planned cells. A breach is a bug in the
importer, never the user's fault: it raises AccountingError, loudly, in tests and in use.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from statistik.ingest import layout as lay

if TYPE_CHECKING:
    from statistik.ingest.plan import Plan

SKIP_REASONS = {
    "skip_title": ("titel", "titler"),
    "skip_empty": ("tom række", "tomme rækker"),
    "skip_header": ("gentaget overskrift", "gentagne overskrifter"),
    "skip_footnote": ("fodnote", "fodnoter"),
    "skip_summary": ("summerække", "summerækker"),
    "skip_nofigure": ("række uden tal", "rækker uden tal"),
    "skip_not_january": ("folketal, der ikke er pr. 1. januar", "folketal, der ikke er pr. 1. januar"),
}
STATUSES = {"used", "problem", *SKIP_REASONS}
LISTED_LINES = 10


class AccountingError(AssertionError):
    """The importer lost track of a row: a bug, reported instead of importing anything."""


@dataclass
class Skipped:
    """Rows skipped for one reason, with the first few (physical) lines, as the plan lists them."""

    reason: str
    rows: int
    lines: list[int] = field(default_factory=list)
    example: str | None = None

    def describe(self) -> str:
        """'2 summerækker (linje 5 og 9)' in Danish."""
        one, many = SKIP_REASONS[self.reason]
        shown = [str(n) for n in self.lines]
        where = shown[0] if len(shown) == 1 else ", ".join(shown[:-1]) + " og " + shown[-1] if shown else ""
        if self.rows > len(self.lines) and shown:
            where = ", ".join(shown) + " …"
        text = f"{self.rows} {one if self.rows == 1 else many}"
        if where:
            text += f" (linje {where})"
        if self.example and self.reason in ("skip_title", "skip_footnote"):
            text += f": {self.example[:60]!r}"
        return text


@dataclass
class Accounts:
    """How the rows of one file ended."""

    read: int
    used: int
    problem: int
    skipped: dict[str, tuple[int, list[int], str | None]]   # status → (rows, first row numbers, example)

    @property
    def skipped_rows(self) -> int:
        """Rows skipped for any reason."""
        return sum(n for n, _, _ in self.skipped.values())


def _row_statuses(con, layout: lay.Layout) -> list[tuple]:
    if layout.kind != lay.WIDE:
        counts = con.execute("SELECT status, sum(n) FROM classified GROUP BY status").fetchall()
        if all(status in ("used", "problem") for status, _ in counts):
            return [(status, n, [], None) for status, n in counts]
        # The lines of skipped rows are listed; only those rows are sorted.
        listed = {status: (rows, example) for status, rows, example in con.execute(
            f"""SELECT status, list(row_no ORDER BY row_no) FILTER (WHERE row_no IS NOT NULL)[1:{LISTED_LINES}],
                       any_value(only_text) FILTER (WHERE only_text IS NOT NULL)
                FROM classified WHERE status LIKE 'skip%' GROUP BY status""").fetchall()}
        return [(status, n, *listed.get(status, ([], None))) for status, n in counts]
    # A wide row is used when one of its cells is, refused when one of them is a problem.
    return con.execute(
        f"""WITH rows AS (
                SELECT row, CASE WHEN bool_or(status = 'problem') OR row IN (SELECT row FROM wide_total_problems)
                                 THEN 'problem' WHEN bool_or(status = 'used') THEN 'used'
                                 ELSE min(status) END AS status
                FROM resolved_rows GROUP BY row
                UNION ALL SELECT row, 'skip_empty' FROM wide_rows WHERE filled = 0)
            SELECT r.status, count(*), list(r.row ORDER BY r.row)[1:{LISTED_LINES}], any_value(w.only_text)
            FROM rows r JOIN wide_rows w USING (row) GROUP BY r.status"""
    ).fetchall()


def account(con, layout: lay.Layout, read: int, titles: list[tuple[int, str]], rejected: int,
            statuses: list[tuple] | None = None) -> Accounts:
    """Count how every row ended, and check that the counts add up (AccountingError if not).

    `statuses` (status, rows, first rows, example) are given for a file written straight from
    it (direct.py), whose rows are never classified; otherwise they are counted in `classified`.
    """
    if statuses is None and layout.kind == lay.WIDE:
        con.execute("CREATE OR REPLACE TEMP VIEW resolved_rows AS SELECT row_no AS row, status FROM classified")
    by_status = {status: (int(n), list(rows or []), example)
                 for status, n, rows, example in (statuses if statuses is not None else _row_statuses(con, layout))}
    unknown = set(by_status) - STATUSES
    if unknown:
        raise AccountingError(f"rows with no known status: {sorted(map(str, unknown))}")
    classified = sum(n for n, _, _ in by_status.values())
    if classified != read:
        raise AccountingError(f"{read} rows read, but {classified} classified")
    skipped = {s: v for s, v in by_status.items() if s.startswith("skip_")}
    if titles:
        skipped["skip_title"] = (len(titles), [], titles[0][1])
    used = by_status.get("used", (0, [], None))[0]
    problem = by_status.get("problem", (0, [], None))[0] + rejected
    accounts = Accounts(read + len(titles) + rejected, used, problem, skipped)
    if accounts.used + accounts.problem + accounts.skipped_rows != accounts.read:
        raise AccountingError(f"rows read {accounts.read} != used {used} + skipped "
                              f"{accounts.skipped_rows} + refused {problem}")
    return accounts


def check_cells(con, layout: lay.Layout, accounts: Accounts) -> tuple[int, int]:
    """Every used row (or report) reached exactly one cell, and no cell came from elsewhere.

    Returns the number of cells and of those set to 0 by the BULK rule (for the plan).
    """
    rows, reports, cells, zeros = con.execute(
        """SELECT coalesce(sum(rows), 0), coalesce(sum(value) FILTER (WHERE NOT zero_filled), 0), count(*),
                  count(*) FILTER (WHERE zero_filled) FROM cells"""
    ).fetchone()
    if layout.kind == lay.WIDE:
        expected = con.execute("SELECT count(*) FROM classified WHERE status = 'used'").fetchone()[0]
    else:
        expected = accounts.used
    if rows != expected:
        raise AccountingError(f"{expected} used rows, but {rows} behind the cells")
    if layout.kind == lay.REPORTS and reports != accounts.used:
        raise AccountingError(f"{accounts.used} reports used, but the cells count {reports}")
    return int(cells), int(zeros)


def check_written(con, plan: Plan, upload_id: int) -> None:
    """After apply: the store holds exactly the plan's new and changed cells under the upload, and
    the cells of a file written straight from it add up to the total its rows had when read."""
    m = plan.measure
    stored, total = con.execute(f"SELECT count(*), sum({m.value}) FROM {m.table} WHERE upload_id = ?",
                                [upload_id]).fetchone()
    if stored != plan.new + plan.changed:
        raise AccountingError(f"{plan.new + plan.changed} cells planned, but {stored} stored for upload {upload_id}")
    if plan.direct_total is not None and (total or 0) != plan.direct_total:
        raise AccountingError(f"the file's rows add up to {plan.direct_total}, but its stored cells to {total}")
