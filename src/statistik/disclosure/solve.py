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

import math

import numpy as np
from scipy.sparse import csr_array, vstack

from statistik.disclosure.highs import Model, SolverError
from statistik.disclosure.table import CANDIDATE, HIDDEN, INF, KNOWN, Cell, Table

AUDIT, CHOOSE, SETTLED = "audit", "choose", "settled"
__all__ = ["AUDIT", "CHOOSE", "SETTLED", "Links", "SolverError", "cover", "interval"]


class Links:
    """Which free natives are tied together by cells an attacker can use, and each cell's free parts.

    Modes: AUDIT (the finished pattern: candidates are printed, like known cells), CHOOSE
    (candidates may still be hidden, so none of their natives is fixed) and SETTLED (what was
    known before publication `before`: the bounds and the cells printed by earlier ones). Without `granted`, the
    attacker is a reader of the documents, who cannot tell the small hidden cells from the
    others (one mark): hidden cells carry no bounds. `grants_until`: only the small cells of the
    publications up to this one are granted (a later publication's small cells are its own).
    """

    def __init__(self, table: Table, mode: str = AUDIT, granted: bool = True, before: int | None = None,
                 grants_until: int | None = None):
        self.table, self.mode, self.granted, self.before = table, mode, granted, before
        self.grants_until = grants_until
        self._free: dict[int, list] = {}
        self._systems: dict[tuple, tuple] = {}
        self.cap = cap(table)
        self._printed = {AUDIT: (KNOWN, CANDIDATE), CHOOSE: (KNOWN,), SETTLED: (KNOWN,)}[mode]
        self.fixed = {next(iter(c.parts)) for c in table.cells.values() if self.printed(c) and len(c.parts) == 1}
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
        key = id(cell)
        if key not in self._free:
            self._free[key] = sorted((p for p in cell.parts if p not in self.fixed), key=repr)
        return self._free[key]

    def binding(self, cell: Cell) -> bool:
        """Whether the cell tells the attacker anything in this mode (printed, a candidate, or bounded)."""
        if cell.state == HIDDEN or (self.mode == SETTLED and not self.printed(cell)):
            return self.granted and (cell.low > 0 or cell.high < INF) and (
                self.grants_until is None or cell.hidden_since is None or cell.hidden_since <= self.grants_until)
        return self.printed(cell) or (self.mode == CHOOSE and cell.state == CANDIDATE)

    def printed(self, cell: Cell) -> bool:
        """Whether the attacker reads the cell's value (in SETTLED mode: printed before `before`)."""
        if cell.state not in self._printed:
            return False
        return self.before is None or (cell.known_since is not None and cell.known_since < self.before)

    def around(self, cell: Cell) -> tuple[list, list[Cell]]:
        """The free natives linked to the cell, and the binding cells over them."""
        roots = self._roots(cell)
        return ([v for r in roots for v in self._natives_of.get(r, [])],
                [c for r in roots for c in self._cells_of.get(r, [])])

    def _roots(self, cell: Cell) -> tuple:
        return tuple(sorted({self._root(v) for v in self.free_parts(cell)}, key=repr))

    def system(self, cell: Cell) -> tuple:
        """The linear system an attacker solves around the cell, as a HiGHS model kept per linked part of
        the table (printed cells exact, hidden ones within their bounds, natives 0 … cap): natives, index, model."""
        roots = self._roots(cell)
        if roots not in self._systems:
            natives, cells = self.around(cell)
            index = {v: i for i, v in enumerate(natives)}
            lows, highs = [], []
            for c in cells:
                rest = self.fixed_part(c)
                low, high = (c.value, c.value) if self.printed(c) else (c.low, c.high)
                lows.append(low - rest)
                highs.append(high - rest)
            n = len(natives)
            model = Model(np.zeros(n), np.full(n, self.cap), _rows(cells, self, index, 0, n), lows, highs) \
                if cells else None
            self._systems[roots] = (natives, index, model)
        return self._systems[roots]

    def touching(self, epoch: int) -> set:
        """The linked parts of the table that hold a cell of publication `epoch` (nothing else can have changed)."""
        return {self._root(v) for c in self.table.cells.values() if c.latest >= epoch for v in self.free_parts(c)}

    def touches(self, cell: Cell, parts: set) -> bool:
        """Whether the cell lies in one of the linked parts."""
        return bool(set(self._roots(cell)) & parts)

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


def interval(links: Links, cell: Cell) -> tuple[float, float]:
    """The exact feasible interval of the cell's value, given every printed and bounded cell."""
    if not links.free_parts(cell):
        return float(cell.value), float(cell.value)
    natives, index, model = links.system(cell)
    fixed = links.fixed_part(cell)
    if model is None:                          # nothing ties its natives: each may be 0 or anything
        return float(fixed), INF
    objective = np.zeros(len(natives))
    objective[[index[v] for v in links.free_parts(cell)]] = 1.0
    ends = []
    for sign in (1.0, -1.0):
        x = model.minimize(sign * objective)
        if x is None:
            raise SolverError(f"Det offentliggjorte kan ikke være sandt for {cell.labels[:1]} (ingen mulig tabel).")
        ends.append(float(objective @ x))
    low, high = ends
    return low + fixed, (INF if high >= links.cap else high + fixed)


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
    limit = links.cap
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
    x = Model(lower, upper, matrix, lows, highs).minimize(cost, lp_first=False)
    if x is None:
        return cover(links, cell, need, slack=math.inf) if math.isfinite(slack) else None
    return [c for j, c in enumerate(candidates) if x[k * n + j] > 0.5]
