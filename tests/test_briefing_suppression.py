"""Suppression of small counts: primary cells, complementary cells, and that no total gives a hidden cell away."""

from __future__ import annotations

import datetime as dt
import itertools
import random

import pandas as pd
import pytest

from statistik.briefing.cells import CellBook, span_label, window_ending
from statistik.briefing.suppression import (
    SECONDARY_MARK, Group, Suppression, is_small, leaky_groups, suppress, validate_threshold,
)
from statistik.periods import Period

AREAS = ("101", "147", "155", "185")


def column(counts: dict[str, int | None], total: int | None = None) -> tuple[dict, list[Group]]:
    """Four municipalities and their district total as one group."""
    cells = dict(counts)
    cells["kbh"] = sum(counts.values()) if total is None else total
    return cells, [Group("kbh", tuple(counts))]


def recoverable(sup: Suppression, counts: dict, groups: list[Group], published=None) -> set:
    """Hidden cells a reader can compute by subtracting visible cells from a visible total (repeatedly)."""
    shown = set(counts) if published is None else set(published)
    known = {k for k in shown if k not in sup.hidden and counts[k] is not None}
    found = True
    while found:
        found = False
        for g in groups:
            if g.total not in shown:
                continue
            cells = (g.total, *g.parts)
            unknown = [c for c in cells if c not in known]
            if len(unknown) == 1:
                known.add(unknown[0])
                found = True
    return sup.hidden & known


# --- the threshold ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("value", [2, 5, 10, None])
def test_sensible_thresholds_are_accepted(value):
    assert validate_threshold(value) == value


@pytest.mark.parametrize("value", [1, 0, -5, 2.5, "5", True])
def test_nonsense_thresholds_are_refused_in_danish(value):
    with pytest.raises(ValueError, match="mindst 2"):
        validate_threshold(value)


def test_primary_rule_hides_one_to_n_minus_one_and_never_zero():
    assert [c for c in range(0, 8) if is_small(c, 5)] == [1, 2, 3, 4]
    assert not is_small(None, 5)
    assert not is_small(3, None)


# --- primary suppression ----------------------------------------------------------------------------------

def test_without_a_threshold_nothing_is_hidden():
    counts, groups = column({"101": 300, "147": 30, "155": 2, "185": 40})
    sup = suppress(counts, groups, None)
    assert not sup.active and sup.hidden == set()
    assert sup.show("155", 2) == "2"


def test_small_counts_show_as_less_than_n_and_zero_is_shown():
    counts, groups = column({"101": 300, "147": 0, "155": 2, "185": 3})
    sup = suppress(counts, groups, 5)
    assert sup.primary == {"155", "185"}
    assert sup.show("155", 2) == "<5" and sup.show("185", 3) == "<5"
    assert sup.show("147", 0) == "0"
    assert sup.show("101", 300) == "300"
    assert sup.show("x", None) == "–"


def test_a_count_equal_to_the_threshold_is_shown():
    counts, groups = column({"101": 5, "147": 6, "155": 7, "185": 8})
    assert suppress(counts, groups, 5).hidden == set()


# --- secondary suppression --------------------------------------------------------------------------------

def test_one_hidden_municipality_takes_the_next_smallest_with_it():
    counts, groups = column({"101": 314, "147": 33, "155": 2, "185": 41})
    sup = suppress(counts, groups, 5)
    assert sup.primary == {"155"}
    assert sup.secondary == {"147"}                 # 33 is the smallest other municipality
    assert sup.show("147", 33) == SECONDARY_MARK
    assert sup.show("kbh", 390) == "390"           # the total stays
    assert recoverable(sup, counts, groups) == set()


def test_two_hidden_municipalities_need_no_complement():
    counts, groups = column({"101": 314, "147": 33, "155": 2, "185": 3})
    sup = suppress(counts, groups, 5)
    assert sup.primary == {"155", "185"} and sup.secondary == set()


def test_a_zero_is_not_used_as_complement_when_a_nonzero_cell_exists():
    # Hiding the 0 would leave 2 = total − visible cells: the hidden pair's sum gives the small count away.
    counts, groups = column({"101": 300, "147": 0, "155": 2, "185": 40})
    sup = suppress(counts, groups, 5)
    assert sup.secondary == {"185"}
    assert "147" not in sup.hidden


def test_only_zeros_left_then_a_zero_is_the_complement():
    counts, groups = column({"101": 0, "147": 0, "155": 2, "185": 0}, total=2)
    sup = suppress(counts, groups, 5)
    assert "kbh" in sup.primary                    # the total itself is small
    assert leaky_groups(sup, counts, groups) == []


def test_with_no_visible_part_left_the_total_is_hidden():
    counts = {"a": 3, "b": None, "t": 10}
    groups = [Group("t", ("a", "b"))]
    sup = suppress(counts, groups, 5)
    # b has no figure, so it is unknown already: a is not recoverable from t.
    assert sup.hidden == {"a"}
    counts = {"a": 3, "t": 3}
    sup = suppress(counts, [Group("t", ("a",))], 5)
    assert sup.hidden == {"a", "t"}


def test_a_total_that_is_not_published_gives_nothing_away():
    counts, groups = column({"101": 314, "147": 33, "155": 2, "185": 41})
    published = {"101", "147", "155", "185"}           # no district total in the document
    sup = suppress(counts, groups, 5, published)
    assert sup.hidden == {"155"}


def test_unpublished_parts_count_as_unknown():
    # A year whose quarters are not shown: one small quarter does not make the year leak.
    counts = {"year": 24, "q1": 9, "q2": 2, "q3": 3, "q4": 10}
    groups = [Group("year", ("q1", "q2", "q3", "q4"))]
    sup = suppress(counts, groups, 5, published={"year"})
    assert sup.hidden == set()


def test_ties_take_the_first_cell_in_order():
    counts, groups = column({"101": 20, "147": 20, "155": 2, "185": 20})
    assert suppress(counts, groups, 5).secondary == {"101"}


def test_a_complement_that_opens_another_total_is_protected_there_too():
    """Dragør's quarter and 12 months: one hidden quarter hides another; that one hides a municipality."""
    q = ["Q1", "Q2", "Q3", "Q4"]
    values = {("155", "Q1"): 9, ("155", "Q2"): 12, ("155", "Q3"): 4, ("155", "Q4"): 11,
              ("185", "Q1"): 54, ("185", "Q2"): 51, ("185", "Q3"): 57, ("185", "Q4"): 76,
              ("101", "Q1"): 951, ("101", "Q2"): 1108, ("101", "Q3"): 1089, ("101", "Q4"): 971,
              ("147", "Q1"): 71, ("147", "Q2"): 84, ("147", "Q3"): 87, ("147", "Q4"): 75}
    counts = dict(values)
    groups = []
    for quarter in q:
        counts[("kbh", quarter)] = sum(values[(a, quarter)] for a in AREAS)
        groups.append(Group(("kbh", quarter), tuple((a, quarter) for a in AREAS)))
    for area in AREAS:
        counts[(area, "12m")] = sum(values[(area, quarter)] for quarter in q)
        groups.append(Group((area, "12m"), tuple((area, quarter) for quarter in q)))
    sup = suppress(counts, groups, 5)
    assert sup.primary == {("155", "Q3")}
    assert ("155", "Q1") in sup.secondary          # Dragør's 12 months would give Q3 away
    assert leaky_groups(sup, counts, groups) == []
    assert recoverable(sup, counts, groups) == set()


@pytest.mark.parametrize("seed", range(40))
def test_random_tables_never_leak_a_hidden_cell(seed):
    """Municipalities × quarters with district totals and yearly totals: nothing hidden is recoverable."""
    rng = random.Random(seed)
    quarters = range(8)
    counts, groups = {}, []
    for area in AREAS:
        scale = rng.choice([0, 2, 4, 8, 30, 300])
        for quarter in quarters:
            counts[(area, quarter)] = max(0, int(rng.gauss(scale, scale / 2 + 1)))
    for quarter in quarters:
        counts[("kbh", quarter)] = sum(counts[(a, quarter)] for a in AREAS)
        groups.append(Group(("kbh", quarter), tuple((a, quarter) for a in AREAS)))
    for area in (*AREAS, "kbh"):
        for year in (0, 1):
            parts = tuple((area, q) for q in range(4 * year, 4 * year + 4))
            counts[(area, f"y{year}")] = sum(counts[p] for p in parts)
            groups.append(Group((area, f"y{year}"), parts))
    sup = suppress(counts, groups, 5)
    assert sup.primary == {k for k, v in counts.items() if 1 <= v < 5}
    assert not any(counts[k] == 0 for k in sup.primary)
    assert leaky_groups(sup, counts, groups) == []
    assert recoverable(sup, counts, groups) == set()


# --- cells of the document -------------------------------------------------------------------------------

def book(values: dict[tuple[str, str], int]) -> CellBook:
    """A quarterly book from {(area, 'YYYY-MM-DD'): count}."""
    frame = pd.DataFrame([
        {"period_kind": "Q", "period_start": pd.Timestamp(day), "area_code": area, "category_code": "1320",
         "source": "Danmarks Statistik", "count": count}
        for (area, day), count in values.items()
    ])
    return CellBook("1320", "Danmarks Statistik", frame, list(AREAS))


def quarters(year: int) -> list[str]:
    return [f"{year}-{m:02d}-01" for m in (1, 4, 7, 10)]


def dragoer_like() -> CellBook:
    values = {}
    for area, counts in {"101": [201, 168, 213, 314], "147": [47, 45, 26, 33], "155": [9, 2, 3, 10],
                         "185": [12, 11, 20, 41]}.items():
        for day, count in zip(quarters(2025), counts):
            values[(area, day)] = count
    return book(values)


def test_a_year_and_twelve_months_to_q4_are_the_same_cell():
    q4 = Period("Q", dt.date(2025, 10, 1))
    assert window_ending("155", q4) == ("155", dt.date(2025, 1, 1), 12)
    assert span_label(("155", dt.date(2025, 1, 1), 12)) == "2025"
    assert span_label(("155", dt.date(2024, 10, 1), 12)) == "okt. 2024 – sep. 2025"
    b = dragoer_like()
    assert b.count(("155", dt.date(2025, 1, 1), 12)) == 24
    assert b.count(("kbh", dt.date(2025, 10, 1), 3)) == 398
    assert b.count(("155", dt.date(2025, 2, 1), 3)) is None        # cuts quarters
    assert b.count(("155", dt.date(2024, 1, 1), 12)) is None       # no figures for 2024


def test_book_hides_consistently_across_chart_table_and_year():
    b = dragoer_like()
    starts = [dt.date.fromisoformat(d) for d in quarters(2025)]
    b.publish_all((a, d, 3) for a in (*AREAS, "kbh") for d in starts)      # the chart
    b.publish_all((a, dt.date(2025, 1, 1), 12) for a in (*AREAS, "kbh"))  # the 12 months
    sup = b.protect(5)
    assert sup.primary == {("155", dt.date(2025, 4, 1), 3), ("155", dt.date(2025, 7, 1), 3)}
    assert b.show(("155", dt.date(2025, 4, 1), 3)) == "<5"
    assert b.show(("155", dt.date(2025, 1, 1), 12)) == "24"        # two hidden quarters: 24 is safe
    # Each hidden Dragør quarter takes the smallest other municipality of its quarter with it.
    assert ("185", dt.date(2025, 4, 1), 3) in sup.secondary
    counts = {k: b.count(k) for k in b.published | {p for g in b.groups() for p in g.parts}}
    assert leaky_groups(sup, counts, b.groups(), b.published) == []
    assert recoverable(sup, counts, b.groups(), b.published) == set()


def test_every_combination_of_one_small_municipality_is_protected():
    for small_area, small in itertools.product(AREAS, (1, 2, 3, 4)):
        values = {(a, "2025-10-01"): (small if a == small_area else 40 + i) for i, a in enumerate(AREAS)}
        b = book(values)
        b.publish_all((a, dt.date(2025, 10, 1), 3) for a in (*AREAS, "kbh"))
        sup = b.protect(5)
        hidden = [a for a in AREAS if sup.hides((a, dt.date(2025, 10, 1), 3))]
        assert len(hidden) == 2 and small_area in hidden
