"""The audit (every protected cell's exact interval) and the choice of complementary cells.

Two attackers are checked. The granted one knows, besides everything printed, that each small
hidden cell lies in 1 … N−1 (more than one mark for all hidden cells tells a reader) — the small
cells of the publication that first hid the cell under attack and of those before it; a later
publication cannot help having small cells of its own, so its grant is no fault of it. Against
the granted attacker a hidden cell must keep its margin as far as was settled when it was first
hidden: what the publications before that one printed, and the grant itself (a small total of
small parts is pinned by the grant alone, two parts ≥ 1 in a total ≤ N−1, which no suppression
can change). Where that narrows a cell, the reader — who knows only what is printed, and that
hidden cells are ≥ 0 — is checked too, against what was printed before.

The intervals themselves always use everything published, this publication included: a cell
keeps its margin however many publications follow, and two later ones cannot together give
an earlier hidden cell away unnoticed.

Complements are chosen one protected cell at a time, each time with the cheapest set the
cover MILP finds given what is already hidden; a chosen complement is itself protected (±N)
and audited in the next round. Rounds repeat until the exact audit passes. This is the
iterative scheme the τ-ARGUS manual describes for its modular method, with an exact MILP per
cell instead of a heuristic: each step is optimal for its cell, the whole is not guaranteed
optimal (the joint problem is a bilevel program), and the audit at the end is exact.
"""

from __future__ import annotations

from dataclasses import dataclass

from statistik.disclosure.solve import AUDIT, CHOOSE, SETTLED, Links, cover, interval
from statistik.disclosure.table import CANDIDATE, HIDDEN, INF, Cell, Table, complement_need

MAX_ROUNDS = 200


@dataclass(frozen=True)
class Finding:
    """A protected cell and the interval an attacker can infer for it."""

    cell: Cell
    low: float
    high: float
    prior: tuple[float, float]
    granted: bool = True

    @property
    def need(self) -> tuple[float, float]:
        """What the inferred interval must cover: the cell's need (for the granted attacker within the
        cell's own bounds), within what is known whatever this publication does (`prior`)."""
        low, high = self.cell.target if self.granted else self.cell.need
        return max(low, self.prior[0]), min(high, self.prior[1])

    @property
    def clipped(self) -> bool:
        """Whether the prior narrows the cell below its need (then the reader is checked too)."""
        low, high = self.cell.target
        return self.prior[0] > low or self.prior[1] < high

    @property
    def ok(self) -> bool:
        """Whether the inferred interval reaches the need both ways."""
        low, high = self.need
        return self.low <= low and self.high >= high


class Unprotectable(Exception):
    """Cells that no choice of complements can protect (e.g. printed in full by an earlier publication)."""

    def __init__(self, findings: list[Finding]):
        super().__init__(f"{len(findings)} celler kan ikke beskyttes.")
        self.findings = findings


def _findings(table: Table, cells: list[Cell], priors: dict) -> list[Finding]:
    """Granted findings for every cell, and reader findings for the cells whose prior narrows them."""
    links: dict = {}

    def linked(mode: str, granted: bool = True, before: int | None = None, until: int | None = None) -> Links:
        key = (mode, granted, before, until)
        if key not in links:
            links[key] = Links(table, mode, granted, before, until)
        return links[key]

    def prior(c: Cell, granted: bool) -> tuple:
        """What was known of the cell before the publication that first hid it (with the grant, if granted)."""
        since = c.hidden_since or 0
        key = (c.parts, granted, since)
        if key not in priors:
            priors[key] = interval(linked(SETTLED, granted, since, since), c)
        return priors[key]

    out = []
    for c in cells:
        low, high = interval(linked(AUDIT, True, None, c.hidden_since), c)
        target = c.target
        if low <= target[0] and high >= target[1]:      # the whole need, so the prior cannot matter
            out.append(Finding(c, low, high, (0, INF)))
            continue
        found = Finding(c, low, high, prior(c, True))
        out.append(found)
        if found.clipped:
            out.append(Finding(c, *interval(linked(AUDIT, False), c), prior(c, False), granted=False))
    return out


def audit(table: Table, cells: list[Cell] | None = None) -> list[Finding]:
    """The exact feasible interval of every protected cell (or of `cells`), candidates counted as printed."""
    return _findings(table, table.protected() if cells is None else cells, {})


def linked_to(table: Table, epoch: int) -> list[Cell]:
    """The protected cells in a part of the table that publication `epoch` adds to.

    Elsewhere nothing printed has changed since the publication before, whose audit they passed.
    """
    links = Links(table, AUDIT)
    parts = links.touching(epoch)
    return [c for c in table.protected() if c.latest >= epoch or links.touches(c, parts)]


def protect(table: Table, below: int, epoch: int = 0) -> list[Cell]:
    """Hide candidates until every protected cell passes the audit; returns the complements, in order chosen.

    Hiding a cell only widens intervals, so a cell that passed stays passed: each round audits
    the cells that failed and the complements just chosen. A cell that no choice of candidates
    can protect is set aside and the others are still protected; then Unprotectable names them.
    """
    priors: dict = {}            # complements add no bounds, candidates are not counted: fixed
    chosen: list[Cell] = []
    stuck: list[Finding] = []
    failing = [f for f in _findings(table, linked_to(table, epoch), priors) if not f.ok]
    for _ in range(MAX_ROUNDS):
        if not failing:
            break
        links: dict = {}
        new: list[Cell] = []
        for finding in failing:
            key = (finding.granted, finding.cell.hidden_since)
            if key not in links:
                links[key] = Links(table, CHOOSE, finding.granted, grants_until=finding.cell.hidden_since)
            extra = cover(links[key], finding.cell, finding.need)
            if extra is None:
                stuck.append(finding)
                continue
            for cell in extra:
                if cell.state == CANDIDATE:
                    cell.state, cell.hidden_since = HIDDEN, epoch
                    cell.need = complement_need(cell.value, below)
                    new.append(cell)
        chosen += new
        done = {f.cell.parts for f in stuck}
        again = [p for p in dict.fromkeys([f.cell.parts for f in failing] + [c.parts for c in new]) if p not in done]
        failing = [f for f in _findings(table, [table.cells[p] for p in again], priors) if not f.ok]
        if not new and failing:          # covers chose nothing, yet cells fail: the solver and audit disagree
            stuck += failing
            break
    else:
        stuck += failing
    if stuck:
        raise Unprotectable(stuck)
    return chosen
