"""The integer programs: a hidden cell's feasible interval, and the cheapest complements that widen it.

Both work on the native cells that are not printed one by one ("free" natives), in the part
of the table linked to the cell in question (natives that share a printed or bounded cell).

- `interval`: min and max of the cell's sum over every non-negative integer table that agrees
  with what is printed (MILP; τ-ARGUS calls this the audit, Fischetti and Salazar the attacker
  problem). A max of `math.inf` means nothing printed bounds it.
- `cover`: the cheapest set of candidate cells to hide so that two integer tables exist, one
  with the cell at or below L and one at or above U (the deviation formulation of Fischetti and
  Salazar for one sensitive cell; deviations are integer, so the answer is exact for that cell).
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import threading

import numpy as np
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import csr_array, vstack

from statistik.disclosure.table import CANDIDATE, HIDDEN, INF, KNOWN, Cell, Table

MIP_OPTIONS = {"presolve": True, "time_limit": 120.0}
AUDIT, CHOOSE, PRIOR, SETTLED = "audit", "choose", "prior", "settled"


class SolverError(RuntimeError):
    """HiGHS gave no answer (time limit or numerical trouble); nothing may be assumed safe."""


class Links:
    """Which free natives are tied together by cells an attacker can use, and each cell's free parts.

    Modes: AUDIT (the finished pattern: candidates are printed, like known cells), CHOOSE
    (candidates may still be hidden, so none of their natives is fixed), PRIOR (what the
    marks alone tell: only the bounds of hidden cells, nothing printed) and SETTLED (what is
    known whatever the candidates become: the bounds and the cells already printed). Without `granted`, the
    attacker is a reader of the documents, who cannot tell the small hidden cells from the
    others (one mark): hidden cells carry no bounds.
    """

    def __init__(self, table: Table, mode: str = AUDIT, granted: bool = True):
        self.table, self.mode, self.granted = table, mode, granted
        printed = {AUDIT: (KNOWN, CANDIDATE), CHOOSE: (KNOWN,), PRIOR: (), SETTLED: (KNOWN,)}[mode]
        self._printed = printed
        self.fixed = {next(iter(c.parts)) for c in table.cells.values()
                      if c.state in printed and len(c.parts) == 1}
        self._parent: dict = {}
        binding = [c for c in table.cells.values() if self.binding(c)]
        for cell in binding:
            free = self.free_parts(cell)
            for v in free[1:]:
                self._parent[self._root(v)] = self._root(free[0])
        self._cells_of: dict = {}
        self._natives_of: dict = {}
        for cell in binding:
            free = self.free_parts(cell)
            if free:
                self._cells_of.setdefault(self._root(free[0]), []).append(cell)
        for v in table.values:
            if v not in self.fixed:
                self._natives_of.setdefault(self._root(v), []).append(v)

    def _root(self, v):
        parent = self._parent
        while parent.setdefault(v, v) != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    def free_parts(self, cell: Cell) -> list:
        """The cell's natives that are not printed one by one, in a stable order."""
        return sorted((p for p in cell.parts if p not in self.fixed), key=repr)

    def binding(self, cell: Cell) -> bool:
        """Whether the cell tells the attacker anything in this mode (printed, a candidate, or bounded)."""
        if cell.state == HIDDEN:
            return self.granted and (cell.low > 0 or cell.high < INF)
        return cell.state in self._printed or (self.mode == CHOOSE and cell.state == CANDIDATE)

    def printed(self, cell: Cell) -> bool:
        """Whether the attacker reads the cell's value."""
        return cell.state in self._printed

    def around(self, cell: Cell) -> tuple[list, list[Cell]]:
        """The free natives linked to the cell, and the binding cells over them."""
        roots = sorted({self._root(v) for v in self.free_parts(cell)}, key=repr)
        return ([v for r in roots for v in self._natives_of.get(r, [])],
                [c for r in roots for c in self._cells_of.get(r, [])])

    def fixed_part(self, cell: Cell) -> int:
        """The part of the cell's value that lies in natives printed one by one."""
        return sum(self.table.values[p] for p in cell.parts if p in self.fixed)


def _rows(cells: list[Cell], links: Links, index: dict, offset: int, width: int) -> csr_array:
    """One sparse row per cell: 1 for each of its free natives, in the block starting at `offset`."""
    cols = [[offset + index[v] for v in links.free_parts(c)] for c in cells]
    ptr = np.cumsum([0, *map(len, cols)])
    flat = np.array([j for row in cols for j in row], dtype=np.int64)
    return csr_array((np.ones(len(flat)), flat, ptr), shape=(len(cells), width))


def cap(table: Table) -> float:
    """A bound no native reaches in a table limited by what is printed (reaching it means: unbounded)."""
    needs = [c.need[1] for c in table.cells.values() if c.need and math.isfinite(c.need[1])]
    return 2.0 * sum(table.values.values()) + 10.0 * max(needs, default=0) + 10.0


_QUIET = threading.Lock()


@contextlib.contextmanager
def _quiet():
    """HiGHS prints a debug line straight to file descriptor 1 on some MIPs; keep it off our output."""
    with _QUIET:
        sys.stdout.flush()
        try:
            saved = os.dup(1)
        except OSError:
            yield
            return
        null = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(null, 1)
            yield
        finally:
            os.dup2(saved, 1)
            os.close(saved)
            os.close(null)


def _solve(cost, lower, upper, matrix, lows, highs, cell: Cell):
    constraints = [LinearConstraint(matrix, lows, highs)] if matrix.shape[0] else []
    with _quiet():
        res = milp(cost, integrality=np.ones(len(cost)), bounds=Bounds(lower, upper), constraints=constraints,
                   options=MIP_OPTIONS)
    if res.status not in (0, 2) or (res.status == 0 and res.x is None):
        raise SolverError(f"HiGHS fandt ingen løsning for {cell.labels[:1]}: {res.message}")
    return res


def interval(links: Links, cell: Cell) -> tuple[float, float]:
    """The exact feasible interval of the cell's value, given every printed and bounded cell."""
    natives, cells = links.around(cell)
    if not natives:
        return float(cell.value), float(cell.value)
    if not cells:                              # nothing ties its natives: each may be 0 or anything
        return float(links.fixed_part(cell)), INF
    index = {v: i for i, v in enumerate(natives)}
    n, limit = len(natives), cap(links.table)
    lows, highs = [], []
    for c in cells:
        rest = links.fixed_part(c)
        if links.printed(c):
            lows.append(c.value - rest)
            highs.append(c.value - rest)
        else:
            lows.append(c.low - rest)
            highs.append(c.high - rest)
    matrix = _rows(cells, links, index, 0, n)
    objective = _rows([cell], links, index, 0, n).toarray()[0]
    ends = []
    for sign in (1.0, -1.0):
        res = _solve(sign * objective, np.zeros(n), np.full(n, limit), matrix, np.array(lows), np.array(highs), cell)
        if res.status == 2:
            raise SolverError(f"Det offentliggjorte kan ikke være sandt for {cell.labels[:1]} (ingen mulig tabel).")
        ends.append(float(round(objective @ res.x)) + links.fixed_part(cell))
    low, high = ends
    return low, (INF if high - links.fixed_part(cell) >= limit else high)


def cover(links: Links, cell: Cell, need: tuple[float, float], slack: float = 4.0) -> list[Cell] | None:
    """The cheapest candidates to hide so the cell can reach `need` both ways; None if no choice can.

    Deviations f (a second table minus the true one) must keep every printed cell, stay inside
    the bounds of hidden ones, keep counts ≥ 0, and may move a candidate only if it is hidden:
    −value·h ≤ Σf ≤ big·h. `big` starts at a few times the needed move (a tight model solves
    faster) and falls back to the table's cap when that is infeasible.
    """
    assert links.mode == CHOOSE
    if cell.state == KNOWN:
        return None
    up, down = need[1] - cell.value, cell.value - need[0]
    moves = [(sign, amount) for sign, amount in ((+1, up), (-1, down)) if amount > 0]
    if not moves:
        return []
    natives, cells = links.around(cell)
    if not natives:
        return None
    candidates = [c for c in cells if c.state == CANDIDATE]
    rest = [c for c in cells if c.state != CANDIDATE]
    index = {v: i for i, v in enumerate(natives)}
    n, m, k = len(natives), len(candidates), len(moves)
    width = k * n + m
    limit = cap(links.table)
    big = slack * max(up, down, 1.0) if math.isfinite(slack) else limit
    switch = csr_array((np.ones(m), np.arange(k * n, width), np.arange(m + 1)), shape=(m, width))
    free_values = np.array([c.value - links.fixed_part(c) for c in candidates], dtype=float)
    blocks, lows, highs = [], [], []
    for b, (sign, amount) in enumerate(moves):
        offset = b * n
        blocks.append(_rows(rest, links, index, offset, width))
        for c in rest:
            shift = c.value if c.state == HIDDEN else None
            lows.append(0.0 if shift is None else c.low - shift)
            highs.append(0.0 if shift is None else c.high - shift)
        sums = _rows(candidates, links, index, offset, width)
        blocks += [sums - big * switch, sums + switch.multiply(free_values[:, None])]
        lows += [-np.inf] * m + [0.0] * m
        highs += [0.0] * m + [np.inf] * m
        blocks.append(_rows([cell], links, index, offset, width))
        lows.append(amount if sign > 0 else -np.inf)
        highs.append(np.inf if sign > 0 else -amount)
    matrix = vstack(blocks).tocsr()
    lower = np.concatenate([[-links.table.values[v] for v in natives]] * k + [np.zeros(m)])
    upper = np.concatenate([np.full(k * n, limit), np.ones(m)])
    cost = np.concatenate([np.zeros(k * n), [c.cost for c in candidates]])
    res = _solve(cost, lower, upper, matrix, np.array(lows), np.array(highs), cell)
    if res.status == 2:
        return cover(links, cell, need, slack=math.inf) if math.isfinite(slack) else None
    return [c for j, c in enumerate(candidates) if res.x[k * n + j] > 0.5]
