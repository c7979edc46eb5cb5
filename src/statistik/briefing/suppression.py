"""Suppression of small counts for public papers: primary and secondary (complementary) cells.

Primary: a published count from 1 to N−1 is hidden and shown as '<N'. Zero is shown, as
Danmarks Statistik and most statistics offices do: "no cases" is not a disclosure of a
person, and hiding zeros would make every empty cell look like a small count.

Secondary: a hidden cell must not be recoverable by subtraction. Every published total
(the district = the four municipalities; 12 months or a year = its periods) is a `Group`. A
group with exactly one unknown cell gives that cell away, so another part is hidden too: the
smallest non-zero visible part (a zero complement would give the hidden cell's value away as
the difference), else a zero part, else the total. Hiding one cell can open another group
(a municipality's quarter is in the quarter's district total and in the municipality's
12 months), so this repeats until no group has exactly one unknown cell. Cells that are not
published at all (the quarters behind a year on a chart that does not show them) count as
unknown. This is the usual heuristic, not an optimal solution: it may hide a little more
than strictly necessary, never less than "no total with a single unknown part".
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from dataclasses import dataclass, field

from statistik import formatting

SECONDARY_MARK = "skjult"


@dataclass(frozen=True)
class Group:
    """A published total and the cells that add up to it."""

    total: Hashable
    parts: tuple[Hashable, ...]


def validate_threshold(below: int | None) -> int | None:
    """The threshold as given, or a Danish ValueError when it makes no sense."""
    if below is None:
        return None
    if isinstance(below, bool) or not isinstance(below, int) or below < 2:
        raise ValueError(f"Grænsen for små tal skal være et helt tal på mindst 2, ikke {below!r}.")
    return below


def is_small(count: int | None, below: int | None) -> bool:
    """Whether a count is hidden by the primary rule: 1 ≤ count < below (0 is shown)."""
    return below is not None and count is not None and 1 <= int(count) < below


@dataclass
class Suppression:
    """Which cells are hidden, and how each is shown."""

    below: int | None
    primary: set = field(default_factory=set)
    secondary: set = field(default_factory=set)

    @property
    def active(self) -> bool:
        """Whether small counts are hidden at all."""
        return self.below is not None

    def hides(self, *keys: Hashable) -> bool:
        """Whether any of the cells is hidden (a change hides when either of its counts does)."""
        return any(k in self.primary or k in self.secondary for k in keys)

    def mark(self, key: Hashable) -> str | None:
        """'<5' for a primary cell, 'skjult' for a secondary one, None for a visible one."""
        if key in self.primary:
            return f"<{self.below}"
        if key in self.secondary:
            return SECONDARY_MARK
        return None

    def show(self, key: Hashable, count: int | None) -> str:
        """The cell as printed: its mark when hidden, else the Danish number ('–' when missing)."""
        return self.mark(key) or formatting.number(None if count is None else int(count))

    @property
    def hidden(self) -> set:
        """Every hidden cell."""
        return self.primary | self.secondary


def _complement(group: Group, counts: Mapping, unknown: set) -> Hashable | None:
    """The cell to hide so that `group` has two unknown cells: smallest non-zero part, a zero part, the total."""
    visible = [p for p in group.parts if p not in unknown and counts.get(p) is not None]
    nonzero = [p for p in visible if counts[p] != 0]
    for candidates in (nonzero, visible):
        if candidates:
            return min(candidates, key=lambda p: counts[p])  # min keeps the first on a tie
    if group.total not in unknown and counts.get(group.total) is not None:
        return group.total
    return None


def suppress(
    counts: Mapping[Hashable, int | None], groups: Iterable[Group], below: int | None,
    published: Iterable[Hashable] | None = None,
) -> Suppression:
    """Hide published counts 1..below−1 and, as needed, complementary cells so no total gives one away.

    `counts` holds every cell named in `published` and `groups` (None = no figure).
    `published` defaults to every key of `counts`; unpublished cells are unknown to a reader
    and are never hidden (they are not shown anyway). A group whose total is not published
    (or has no figure) gives nothing away and is ignored.
    """
    below = validate_threshold(below)
    shown = set(counts) if published is None else set(published)
    result = Suppression(below)
    if below is None:
        return result
    result.primary = {k for k in shown if is_small(counts.get(k), below)}
    groups = [g for g in groups if g.total in shown and counts.get(g.total) is not None]
    changed = True
    while changed:
        changed = False
        unknown = result.hidden | {k for k in counts if k not in shown}
        for group in groups:
            cells = (group.total, *group.parts)
            if sum(1 for c in cells if c in unknown or counts.get(c) is None) != 1:
                continue
            extra = _complement(group, counts, unknown)
            if extra is None:
                continue
            result.secondary.add(extra)
            unknown.add(extra)
            changed = True
    return result


def leaky_groups(suppression: Suppression, counts: Mapping, groups: Iterable[Group],
                 published: Iterable[Hashable] | None = None) -> list[Group]:
    """The groups in which exactly one cell is unknown (for tests: should be none)."""
    shown = set(counts) if published is None else set(published)
    unknown = suppression.hidden | {k for k in counts if k not in shown}
    return [g for g in groups if g.total in shown and counts.get(g.total) is not None
            and sum(1 for c in (g.total, *g.parts) if c in unknown or counts.get(c) is None) == 1]
