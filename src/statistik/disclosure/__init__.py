"""Disclosure control for published counts: what an attacker can infer, and which cells to hide.

Pure and store-free; the briefing and the public dashboard build a `Table` from what they
publish (and what earlier publications published) and ask this package two things:

- `protect(table)`: which candidate cells to hide as complements so every protected cell
  keeps its protection interval (τ-ARGUS terms: primary cells get the whole 1 … N−1,
  complementary cells ±N around their value, clipped at 0);
- `audit(table)`: for every protected cell, the exact interval an attacker can infer from
  all the linear knowledge in the table (min and max of the cell over every non-negative
  integer table that agrees with what is published), solved with HiGHS.

Modules: `table` (cells, native variables and what is known about them), `solve` (the
LP/MILP formulations), `highs` (the solver, models kept for many objectives), `protect`
(the audit and the complement choice).
"""

from statistik.disclosure.protect import Finding, Unprotectable, audit, linked_to, protect
from statistik.disclosure.table import CANDIDATE, FREE, HIDDEN, KNOWN, Cell, Table

__all__ = ["CANDIDATE", "FREE", "HIDDEN", "KNOWN", "Cell", "Finding", "Table", "Unprotectable", "audit", "linked_to",
           "protect"]
