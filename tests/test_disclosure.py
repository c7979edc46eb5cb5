"""The disclosure solver: exact intervals (checked against brute force), complements, and that protect's result holds."""

from __future__ import annotations

import itertools
import math
import random

import pytest

from statistik.disclosure import CANDIDATE, FREE, HIDDEN, KNOWN, Table, Unprotectable, audit, protect
from statistik.disclosure.table import complement_need, primary_need


def add(t: Table, label, parts, below: int) -> None:
    """A published cell: hidden when small (the attacker granted 1 … N−1), else a candidate."""
    value = t.value_of(parts)
    if 1 <= value < below:
        t.add(label, parts, HIDDEN, low=1, high=below - 1, need=primary_need(below))
    else:
        t.add(label, parts, CANDIDATE, cost=1.0 + math.log1p(value) + (3 if len(parts) > 1 else 0))


def brute_interval(t: Table, target, printed, bounded, cap: int) -> tuple[int, int]:
    """Min and max of `target` over every integer table (0 … cap) agreeing with printed sums and bounds."""
    names = sorted(t.values)
    low, high = math.inf, -math.inf
    for combo in itertools.product(range(cap + 1), repeat=len(names)):
        x = dict(zip(names, combo))
        if all(sum(x[p] for p in parts) == t.value_of(parts) for parts in printed) and \
                all(lo <= sum(x[p] for p in parts) <= hi for parts, lo, hi in bounded):
            v = sum(x[p] for p in target)
            low, high = min(low, v), max(high, v)
    return low, high


# --- the audit ---------------------------------------------------------------------------------------------

def test_the_manuals_example_interval():
    """τ-ARGUS manual, section 2.15: X11 + X12 = 7, X21 + X22 = 3, columns 6 and 4: X11 lies in 3 … 6."""
    t = Table()
    for k, v in {"x11": 4, "x12": 3, "x21": 2, "x22": 1}.items():
        t.native(k, v)
    for label, parts in {"r1": ["x11", "x12"], "r2": ["x21", "x22"], "c1": ["x11", "x21"], "c2": ["x12", "x22"]}.items():
        t.add(label, parts, KNOWN)
    t.add("x11", ["x11"], HIDDEN, need=(0, 10))
    [finding] = audit(t)
    assert (finding.low, finding.high) == (3, 6)
    assert not finding.ok


def test_a_cell_in_nothing_printed_is_unbounded_above():
    t = Table()
    t.native("a", 2)
    t.add("a", ["a"], FREE, need=primary_need(5))
    [finding] = audit(t)
    assert (finding.low, finding.high) == (0, math.inf) and finding.ok


@pytest.mark.parametrize("seed", range(20))
def test_intervals_equal_brute_force_on_small_random_tables(seed):
    """Two areas × two periods, some sums printed, some cells bounded 1 … 3: the MILP equals enumeration."""
    rng = random.Random(seed)
    t = Table()
    keys = [(a, p) for a in "ab" for p in range(2)]
    for k in keys:
        t.native(k, rng.choice([0, 1, 2, 3]))
    sums = [[(a, p) for a in "ab"] for p in range(2)] + [[(a, p) for p in range(2)] for a in "ab"] + [keys]
    printed = [s for s in sums if rng.random() < 0.5] + [[k] for k in keys if rng.random() < 0.25]
    for i, parts in enumerate(printed):
        t.add(("p", i), parts, KNOWN)
    for k in keys:
        if t.find([k]) is None:
            bounded = 1 <= t.values[k] <= 3 and rng.random() < 0.5
            t.add(k, [k], HIDDEN, **({"low": 1, "high": 3} if bounded else {}), need=(0, 0))
    cap = sum(t.values.values()) + 2               # reaching it in the enumeration means: unbounded
    known = [c.parts for c in t.in_state(KNOWN)]
    bounds = [(c.parts, c.low, c.high) for c in t.in_state(HIDDEN) if c.high < math.inf]
    for f in audit(t):
        low, high = brute_interval(t, f.cell.parts, known, bounds, cap)
        assert f.low == low, f.cell.labels
        assert f.high == (math.inf if high == cap else high), f.cell.labels


# --- choosing complements ----------------------------------------------------------------------------------

def column(values: dict[str, int], below: int) -> Table:
    t = Table()
    for k, v in values.items():
        t.native(k, v)
        add(t, k, [k], below)
    add(t, "total", list(values), below)
    return t


def test_one_small_municipality_needs_two_complements_for_plus_minus_n():
    """With the small cell granted 1 … 4, one complement would be pinned to ±3: ±5 takes a second one."""
    t = column({"101": 314, "147": 33, "155": 2, "185": 41}, 5)
    chosen = protect(t, 5)
    hidden = {c.labels[0] for c in t.in_state(HIDDEN)}
    assert "155" in hidden and len(hidden) == 3 and "total" not in hidden
    assert {c.labels[0] for c in chosen} == hidden - {"155"}
    assert all(f.ok for f in audit(t))


def test_nothing_small_nothing_hidden():
    t = column({"a": 5, "b": 6, "c": 70}, 5)
    assert protect(t, 5) == [] and not t.in_state(HIDDEN)


def test_a_cell_already_printed_cannot_be_protected():
    t = Table()
    for k, v in {"a": 3, "b": 40}.items():
        t.native(k, v)
    t.add("earlier", ["a"], KNOWN)
    t.add("now", ["a"], HIDDEN, low=1, high=4, need=primary_need(5))     # merged into the known cell
    with pytest.raises(Unprotectable):
        protect(t, 5)


def test_complement_need_is_clipped_at_zero():
    assert complement_need(3, 5) == (0, 8) and complement_need(40, 5) == (35, 45)


@pytest.mark.parametrize("seed", range(8))
def test_protected_tables_pass_an_independent_audit(seed):
    """Four areas × eight quarters, district per quarter, 12 months per area at two ends: every hidden cell keeps its margin."""
    rng = random.Random(seed)
    below = rng.choice([3, 5, 10])
    t = Table()
    areas = ["a", "b", "c", "d"]
    scale = {a: rng.choice([1, 2, 5, 30]) for a in areas}
    for a in areas:
        for q in range(8):
            t.native((a, q), max(0, int(rng.gauss(scale[a], scale[a] / 2 + 1))))
    for q in range(8):
        for a in areas:
            add(t, (a, q), [(a, q)], below)
        add(t, ("D", q), [(a, q) for a in areas], below)
    for a in [*areas, "D"]:
        members = areas if a == "D" else [a]
        for end in (7, 6):
            add(t, (a, "12m", end), [(m, q) for m in members for q in range(end - 3, end + 1)], below)
    protect(t, below)
    findings = audit(t)
    assert findings and all(f.ok for f in findings)
    small = [c for c in t.cells.values() if 1 <= c.value < below]
    assert all(c.state == HIDDEN for c in small)
    # And the plain rule, read off the intervals directly: 1 … N−1 for a small cell, ±N for another,
    # for the granted attacker as far as the grant allows, for the reader in full.
    for f in findings:
        small = 1 <= f.cell.value < below
        low, high = (1, below - 1) if small else (max(0, f.cell.value - below), f.cell.value + below)
        if f.granted:
            low, high = max(low, f.prior[0]), min(high, f.prior[1])
        assert f.low <= low and f.high >= high, f
