"""What an attacker knows, as linear relations over native cells.

Native cells are the unknowns: non-negative integers (a municipality's count in one stored
period, in one version of the store). A `Cell` is a published number, or a native cell worth
protecting, written as the sum of its native parts. Its state says what a reader knows:

- KNOWN: printed; the sum of its parts equals its value.
- HIDDEN: not printed (one mark for all); the reader may know bounds (`low` … `high`): the
  model gives the attacker the range 1 … N−1 of every primary cell, which is more than a
  reader who sees one mark for every hidden cell can know.
- CANDIDATE: printed unless `protect` chooses it as a complement (then HIDDEN, 0 … ∞).
- FREE: never printed (a stored period behind a printed total); the reader knows only ≥ 0.

A cell may carry a protection `need` (L, U): the interval an attacker can infer must reach
down to L and up to U. Primary cells need (1, N−1); complementary cells (v−N, v+N), clipped
at 0. The same parts added twice (one cell in two publications) are one cell: bounds are
intersected, needs joined, and a cell known anywhere is known.
"""

from __future__ import annotations

import math
from collections.abc import Hashable, Iterable
from dataclasses import dataclass, field

KNOWN, HIDDEN, CANDIDATE, FREE = "known", "hidden", "candidate", "free"
INF = math.inf


def primary_need(below: int) -> tuple[int, int]:
    """A small count must look like any of 1 … N−1."""
    return 1, below - 1


def complement_need(value: int, below: int) -> tuple[int, int]:
    """A complementary cell must be uncertain by at least ±N (not below 0: counts are never negative)."""
    return max(0, value - below), value + below


def _join(a: tuple | None, b: tuple | None) -> tuple | None:
    if a is None or b is None:
        return a or b
    return min(a[0], b[0]), max(a[1], b[1])


@dataclass
class Cell:
    """A sum of native cells, with what the attacker knows of it and how well it must be protected."""

    parts: frozenset
    value: int
    state: str
    low: float = 0
    high: float = INF
    need: tuple[float, float] | None = None
    cost: float = 1.0
    labels: list = field(default_factory=list)
    known_since: int | None = None      # the first publication that printed it
    hidden_since: int | None = None     # the first publication that hid it (its margin counts from before it)
    latest: int = 0                     # the last publication that has it

    @property
    def target(self) -> tuple[float, float] | None:
        """The need as far as the attacker's own bounds allow (a primary's need is exactly its bounds)."""
        if self.need is None:
            return None
        return max(self.need[0], self.low), min(self.need[1], self.high)


class Table:
    """Native cells with their true values, and the cells published over them."""

    def __init__(self) -> None:
        self.values: dict[Hashable, int] = {}
        self.cells: dict[frozenset, Cell] = {}
        self._labels: dict[Hashable, frozenset] = {}

    def native(self, var: Hashable, value: int) -> Hashable:
        """Register a native cell (a non-negative integer); the same variable always has the same value."""
        value = int(value)
        if value < 0:
            raise ValueError(f"Et antal kan ikke være negativt: {var!r} = {value}.")
        if self.values.setdefault(var, value) != value:
            raise ValueError(f"Den indre celle {var!r} har to værdier: {self.values[var]} og {value}.")
        return var

    def value_of(self, parts: Iterable[Hashable]) -> int:
        """The true sum of native cells."""
        return sum(self.values[p] for p in parts)

    def add(self, label: Hashable, parts: Iterable[Hashable], state: str, *, low: float = 0, high: float = INF,
            need: tuple[float, float] | None = None, cost: float = 1.0, epoch: int = 0) -> Cell:
        """Add (or merge into) the cell over `parts`; `label` names it for lookups and reports.

        `epoch` numbers the publication it comes from (0 the first; this one the last), so a
        hidden cell's margin can count from what was printed before it was first hidden.
        """
        parts = frozenset(parts)
        missing = [p for p in parts if p not in self.values]
        if not parts or missing:
            raise ValueError(f"Cellen {label!r} har ingen eller ukendte dele: {missing!r}.")
        cell = self.cells.get(parts)
        if cell is None:
            cell = self.cells[parts] = Cell(parts, self.value_of(parts), state, low, high, need, cost)
        else:
            cell.low, cell.high = max(cell.low, low), min(cell.high, high)
            cell.need = _join(cell.need, need)
            cell.cost = max(cell.cost, cost)
            order = (FREE, CANDIDATE, HIDDEN, KNOWN)     # what the attacker learns only grows
            cell.state = max(cell.state, state, key=order.index)
        cell.latest = max(cell.latest, epoch)
        since = "known_since" if state == KNOWN else "hidden_since" if state in (HIDDEN, FREE) else None
        if since and (getattr(cell, since) is None or epoch < getattr(cell, since)):
            setattr(cell, since, epoch)
        if label not in cell.labels:
            cell.labels.append(label)
        self._labels[label] = parts
        return cell

    def cell(self, label: Hashable) -> Cell:
        """The cell a label was added as."""
        return self.cells[self._labels[label]]

    def find(self, parts: Iterable[Hashable]) -> Cell | None:
        """The cell over exactly these parts, if any."""
        return self.cells.get(frozenset(parts))

    def in_state(self, *states: str) -> list[Cell]:
        """Cells in any of the states, in the order they were added."""
        return [c for c in self.cells.values() if c.state in states]

    def protected(self) -> list[Cell]:
        """Every cell with a protection need, in the order added."""
        return [c for c in self.cells.values() if c.need is not None]
