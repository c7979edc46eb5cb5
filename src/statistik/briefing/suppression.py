"""Small counts in public papers: the threshold, the primary rule and how a hidden cell is printed.

Primary: a published count from 1 to N−1 is hidden. Zero is shown, as Danmarks Statistik
and most statistics offices do: "no cases" is not a disclosure of a person, and hiding
zeros would make every empty cell look like a small count.

Every hidden cell — small, or hidden so that a small one cannot be worked out — is printed
with one mark, `HIDDEN_MARK`, so the mark itself tells a reader nothing. Which further cells
are hidden is decided by `briefing.disclose` with the solver in `statistik.disclosure`.
"""

from __future__ import annotations

from collections.abc import Hashable
from dataclasses import dataclass, field

from statistik import formatting

HIDDEN_MARK = "skjult"


MAX_THRESHOLD = 1_000_000   # far above any sensible one; from about 10**16 the solver's arithmetic fails


def validate_threshold(below: int | None) -> int | None:
    """The threshold as given, or a Danish ValueError when it makes no sense."""
    if below is None:
        return None
    if isinstance(below, bool) or not isinstance(below, int) or not 2 <= below <= MAX_THRESHOLD:
        raise ValueError(f"Grænsen for små tal skal være et helt tal på mindst 2 og højst "
                         f"{formatting.number(MAX_THRESHOLD)}, ikke {below!r}.")
    return below


def is_small(count: int | None, below: int | None) -> bool:
    """Whether a count is hidden by the primary rule: 1 ≤ count < below (0 is shown)."""
    return below is not None and count is not None and 1 <= int(count) < below


@dataclass
class Suppression:
    """Which cells of a book are hidden; all are printed the same way."""

    below: int | None
    hidden: set = field(default_factory=set)

    @property
    def active(self) -> bool:
        """Whether small counts are hidden at all."""
        return self.below is not None

    def hides(self, *keys: Hashable) -> bool:
        """Whether any of the cells is hidden (a change hides when either of its counts does)."""
        return any(k in self.hidden for k in keys)

    def mark(self, key: Hashable) -> str | None:
        """The hidden mark for a hidden cell, None for a visible one."""
        return HIDDEN_MARK if key in self.hidden else None

    def show(self, key: Hashable, count: int | None) -> str:
        """The cell as printed: the mark when hidden, else the Danish number ('–' when missing)."""
        return self.mark(key) or formatting.number(None if count is None else int(count))
