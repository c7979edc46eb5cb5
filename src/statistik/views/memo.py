"""Results kept while what they are made from is the same: the figures, the population, names and members.

The dashboard caches a page's results per store version (`ui.store.load`), and every write makes
a new version, so an annotation or a briefing would recompute every verdict of every page. The
views that depend on nothing but the figures, the population, the names of areas and categories
and the district's members (and, on the public dashboard, what is published) keep their results
here instead, under a fingerprint of exactly that: a hash DuckDB computes over the figures in
milliseconds per million, kept per read-only store snapshot (which cannot change).
"""

from __future__ import annotations

import copy
import functools
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TypeVar

import duckdb

from statistik import districts
from statistik.views import published

MAX_FINGERPRINTS = 256
MAX_RESULTS = 128
T = TypeVar("T")

_lock = threading.Lock()
_fingerprints: OrderedDict[tuple, tuple] = OrderedDict()
_results: OrderedDict[tuple, object] = OrderedDict()
_computing: dict[tuple, threading.Event] = {}  # results being computed now


def _put(cache: OrderedDict, key, value, limit: int) -> None:
    with _lock:
        cache[key] = value
        cache.move_to_end(key)
        while len(cache) > limit:
            cache.popitem(last=False)


def _snapshot(con: duckdb.DuckDBPyConnection) -> tuple | None:
    """(file, data version) of a read-only store snapshot, whose content cannot change; None for other connections."""
    row = con.execute("SELECT path, readonly FROM duckdb_databases() WHERE database_name = current_database()").fetchone()
    if not row or not row[1] or row[0] is None:
        return None
    version = con.execute("SELECT max(value) FROM meta WHERE key = 'data_version'").fetchone()
    return (row[0], version[0]) if version and version[0] is not None else None


def fingerprint(con: duckdb.DuckDBPyConnection, source: str | None = None, window: tuple | None = None) -> tuple:
    """The figures (of `source`, starting in `window` = (first, before)), the population, the names of areas
    and categories, the district served (its members) and, on the public dashboard, the published figures."""
    snapshot = _snapshot(con)
    key = (snapshot, source, window)
    with _lock:
        found = _fingerprints.get(key) if snapshot is not None else None
    if found is None:
        where, params = [], []
        if source is not None:
            where.append("source = ?")
            params.append(source)
        if window is not None:
            where.append("period_start >= ? AND period_start < ?")
            params += [w.date() for w in window]
        figures = con.execute(
            "SELECT count(*), coalesce(sum(hash(source, area_code, category_code, period_kind, period_start, count)), 0)"
            f" FROM figure {'WHERE ' + ' AND '.join(where) if where else ''}", params).fetchone()
        others = con.execute("""SELECT (SELECT coalesce(sum(hash(area_code, year, population)), 0) FROM population),
                                       (SELECT coalesce(sum(hash(code, name, parent_code)), 0) FROM category),
                                       (SELECT coalesce(sum(hash(code, name, kind)), 0) FROM area)""").fetchone()
        found = (figures, others, districts.current().code)
        if snapshot is not None:
            _put(_fingerprints, key, found, MAX_FINGERPRINTS)
    return (*found, published.fingerprint())


def kept(con: duckdb.DuckDBPyConnection, key: tuple, compute: Callable[[], T]) -> T:
    """`compute()`, or a copy of its earlier result for `key` while the `fingerprint` is the same.

    Computed once: a second thread asking for the same result meanwhile (another session, the
    background warming of `views.warming`) waits for the first one's.
    """
    full = (key, fingerprint(con))
    while True:
        with _lock:
            if full in _results:
                _results.move_to_end(full)
                return copy.deepcopy(_results[full])
            running = _computing.get(full)
            if running is None:
                running = _computing[full] = threading.Event()
                break
        running.wait()  # then take its result (or, if it failed, compute it here)
    try:
        result = compute()
        _put(_results, full, copy.deepcopy(result), MAX_RESULTS)
        return result
    finally:
        with _lock:
            del _computing[full]
        running.set()


def frozen(value):
    """A hashable stand-in for an argument (lists and sets become tuples)."""
    if isinstance(value, (list, tuple)):
        return tuple(frozen(v) for v in value)
    if isinstance(value, (set, frozenset)):
        return tuple(sorted(frozen(v) for v in value))
    if isinstance(value, dict):
        return tuple(sorted((k, frozen(v)) for k, v in value.items()))
    return value


def keeps(also: Callable[[duckdb.DuckDBPyConnection], object] | None = None):
    """Decorate a view `f(con, *args)` that reads only what `fingerprint` covers (and `also(con)`, e.g. the targets)."""
    def decorate(function):
        @functools.wraps(function)
        def wrapper(con, *args, **kwargs):
            key = (function.__module__, function.__qualname__, frozen(args), frozen(kwargs),
                   frozen(also(con)) if also else None)
            return kept(con, key, lambda: function(con, *args, **kwargs))
        wrapper.kept = True  # `views.warming` makes such calls again after a write
        return wrapper
    return decorate


def clear() -> None:
    """Forget every kept result and fingerprint."""
    with _lock:
        _fingerprints.clear()
        _results.clear()
