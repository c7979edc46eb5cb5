"""Targets such as Dragør's "under 30 residential burglaries a year": met or missed.

A target is met per calendar period (year, quarter or month) and, as the current status, over
the latest complete rolling window of the same length (12 months = 4 quarters). A period
with a missing part has no verdict: it is neither met nor missed.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from statistik.metrics.frame import (
    AREA, CATEGORY, COUNT, KIND, KINDS, SERIES_KEYS, SOURCE, START, WINDOW_START, newest_source,
)
from statistik.metrics.series import COMPLETE, aggregate, rolling
from statistik.periods import YEAR, Period, months_in

BELOW = "below"
ABOVE = "above"
LIMIT = "limit"
MET = "met"

_PER = {"Y": "om året", "Q": "i kvartalet", "M": "om måneden"}


@dataclass(frozen=True)
class Target:
    """A limit for one area and category per period: 'below' is met when count < limit, 'above' when count > limit."""

    area: str
    category: str
    period_kind: str
    limit: int
    direction: str = BELOW
    name: str = ""

    def __post_init__(self) -> None:
        if self.period_kind not in KINDS:
            raise ValueError(f"Ukendt periodetype {self.period_kind!r} (kendte: M, Q, Y).")
        if self.direction not in (BELOW, ABOVE):
            raise ValueError(f"Retningen skal være {BELOW!r} eller {ABOVE!r}, ikke {self.direction!r}.")

    def is_met(self, count: int) -> bool:
        """Whether a period with `count` cases meets the target."""
        return count < self.limit if self.direction == BELOW else count > self.limit

    @property
    def description(self) -> str:
        """Danish: 'under 30 om året'."""
        word = "under" if self.direction == BELOW else "over"
        return f"{word} {self.limit} {_PER[self.period_kind]}"


DRAGOER_BURGLARY = Target(
    area="155", category="1320", period_kind=YEAR, limit=30, direction=BELOW,
    name="Indbrud i beboelser i Dragør",
)


@dataclass(frozen=True)
class TargetStatus:
    """A target against the latest complete rolling window of one source."""

    target: Target
    source: str
    first_period: Period
    last_period: Period
    count: int

    @property
    def met(self) -> bool:
        """Whether the window meets the target."""
        return self.target.is_met(self.count)

    @property
    def period_from(self) -> dt.date:
        """First day of the window."""
        return self.first_period.start

    @property
    def period_to(self) -> dt.date:
        """Last day of the window."""
        return self.last_period.end

    @property
    def label(self) -> str:
        """Danish label of the window: '1. kvt. 2025 – 4. kvt. 2025'."""
        if self.first_period == self.last_period:
            return self.last_period.label
        return f"{self.first_period.label} – {self.last_period.label}"


def _of_target(target: Target, frame: pd.DataFrame) -> pd.DataFrame:
    return frame[(frame[AREA] == target.area) & (frame[CATEGORY] == target.category)]


def evaluate(target: Target, frame: pd.DataFrame) -> pd.DataFrame:
    """Each calendar period of the target's length with count, limit and met (<NA> if incomplete), per source."""
    f = aggregate(_of_target(target, frame), target.period_kind)
    f[LIMIT] = target.limit
    met = [pd.NA if pd.isna(c) else target.is_met(int(c)) for c in f[COUNT]]
    f[MET] = pd.array(met, dtype="boolean")
    return f[[KIND, START, *SERIES_KEYS, COUNT, COMPLETE, LIMIT, MET]]


def current_status(target: Target, frame: pd.DataFrame, source: str | None = None) -> TargetStatus | None:
    """The target over the latest complete rolling window (12 months for a yearly target); None if there is none.

    Without `source`, the source whose latest complete window is newest is used
    (Danmarks Statistik on a tie). Sources are never added together.
    """
    f = _of_target(target, frame)
    if source is not None:
        f = f[f[SOURCE] == source]
    windows = rolling(f, months=months_in(target.period_kind))
    windows = windows[windows[COUNT].notna()]
    if windows.empty:
        return None
    chosen = newest_source(windows)
    row = windows[windows[SOURCE] == chosen].iloc[-1]
    return TargetStatus(
        target=target,
        source=chosen,
        first_period=Period(row[KIND], row[WINDOW_START].date()),
        last_period=Period(row[KIND], row[START].date()),
        count=int(row[COUNT]),
    )
