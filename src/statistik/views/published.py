"""The public dashboard's rule: a visitor sees only figures that a final public briefing printed.

With `STATISTIK_OFFENTLIG=1` and nobody logged in, the UI runs the views inside
`only_published(con)`. Every figure the dashboard reads passes `mask`, which keeps a stored
figure only if some publication printed exactly it (that municipality, period and value) and
makes the rest <NA>: hidden, never 0, so charts leave a gap and tables show the hidden mark.
Whatever a page computes from the rest (district totals, years, 12 months, rates, changes)
is a function of published numbers, so a page tells an attacker nothing the recorded
publications — audited together — did not.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from contextvars import ContextVar

import duckdb
import pandas as pd

from statistik import formatting, publications
from statistik.metrics import frame as mf

HIDDEN_MARK = "skjult"
_SHOWN: ContextVar[pd.DataFrame | None] = ContextVar("published_figures", default=None)
_KEYS = [mf.SOURCE, mf.CATEGORY, mf.AREA, mf.KIND, mf.START]


def _frame(shown: dict[tuple, set[int]]) -> pd.DataFrame:
    rows = [(*key, value) for key, values in shown.items() for value in values]
    frame = pd.DataFrame(rows, columns=[*_KEYS, "_published"])
    frame[mf.START] = pd.to_datetime(frame[mf.START]).astype(mf.TIMESTAMP_DTYPE)
    return frame


@contextlib.contextmanager
def only_published(con: duckdb.DuckDBPyConnection) -> Iterator[None]:
    """Within the block, every masked frame keeps only published figures, and a missing cell reads 'skjult'."""
    token = _SHOWN.set(_frame(publications.shown_figures(con)))
    with formatting.missing_as(HIDDEN_MARK):
        try:
            yield
        finally:
            _SHOWN.reset(token)


def active() -> bool:
    """Whether views are showing published figures only."""
    return _SHOWN.get() is not None


def fingerprint() -> int | None:
    """A hash of the published figures in force (None outside public mode), for caches keyed on figures."""
    shown = _SHOWN.get()
    return None if shown is None else int(pd.util.hash_pandas_object(shown, index=False).sum())


def is_published(frame: pd.DataFrame, value_column: str = mf.COUNT) -> pd.Series:
    """Per row of a series-like frame: whether a publication printed this figure with this value."""
    shown = _SHOWN.get()
    if shown is None:
        return pd.Series(True, index=frame.index)
    keyed = frame[_KEYS].copy()
    keyed["_value"] = frame[value_column].astype("Int64")
    keyed[mf.START] = pd.to_datetime(keyed[mf.START]).astype(mf.TIMESTAMP_DTYPE)
    merged = keyed.reset_index().merge(shown, how="left", left_on=[*_KEYS, "_value"],
                                       right_on=[*_KEYS, "_published"])
    return pd.Series(merged["_published"].notna().to_numpy(), index=frame.index)


def mask(frame: pd.DataFrame) -> pd.DataFrame:
    """The frame with every count that no publication printed set to <NA> (unchanged outside public mode)."""
    if not active() or frame.empty:
        return frame
    out = frame.copy()
    out[mf.COUNT] = out[mf.COUNT].astype("Int64").where(is_published(out), pd.NA)
    return out
