"""The verdicts a briefing prints: the dashboard's engine, and in a public briefing a function of printed cells only."""

from __future__ import annotations

import datetime as dt

import pytest

from statistik.briefing import notes
from statistik.briefing.content import collect
from statistik.views.comparison import verdicts

MEETING = dt.date(2026, 1, 15)


@pytest.fixture(scope="module")
def latest(police_history):
    return collect(police_history, MEETING)


def printed_verdicts(briefing, category: str) -> dict:
    """Area → (significant, p-value, expected range, position) of every verdict a section prints."""
    s = next(s for s in briefing.sections if s.trend.category == category)
    figures = s.figures or s.context
    return {row.area: (v.significant, round(v.p_value, 12), v.expected_low, v.expected_high, v.position)
            for row in figures.rows if (v := figures.verdict(row)) is not None}


def test_every_printed_verdict_is_the_dashboards(police_history, latest):
    """One engine: each row's verdict and expected range in the briefing are those of `statistik compare`."""
    checked = 0
    for s in latest.sections:
        for figures in (s.figures, s.context):
            if figures is None:
                continue
            engine = verdicts(police_history, figures.period, figures.previous_period, [r.area for r in figures.rows],
                              [figures.category], [figures.source]).set_index("area_code")
            for row in figures.rows:
                verdict = figures.verdict(row)
                if verdict is None:
                    continue
                expected = engine.loc[row.area]
                assert (verdict.significant, verdict.p_value) == (bool(expected["significant"]),
                                                                  pytest.approx(expected["p_value"]))
                assert (verdict.expected_low, verdict.expected_high) == (expected["expected_low"],
                                                                         expected["expected_high"])
                checked += 1
    assert checked == notes.verdict_count(latest) >= 20           # 5 rows of 3 police and 2 DST trends


def test_the_notes_state_how_many_false_alarms_to_expect(latest):
    n = notes.verdict_count(latest)
    method = " ".join(b.text for b in notes.method(latest) if hasattr(b, "text"))
    assert f"bilaget har {n} vurderinger" in method
    expected = f"{n * 0.05:.1f}".replace(".", ",").removesuffix(",0")           # 5 % of them, by hand
    assert f"omkring {expected} af dem ved et tilfælde" in method
    assert "eksakt test for to Poisson-tal" not in method


def test_a_public_briefings_verdicts_use_only_the_cells_it_prints(con):
    """Verdicts learnt from unprinted history would say something about hidden cells (issue 8). With small
    counts hidden, changing every figure the briefing does not print leaves its verdicts as they were, while
    the dashboard's verdicts (from all history) move."""
    public, internal = collect(con, MEETING, suppress_below=5), collect(con, MEETING)
    violence = next(s for s in public.sections if s.trend.category == "12").figures
    first_printed = violence.chart_starts[0]
    before = (printed_verdicts(public, "12"), printed_verdicts(internal, "12"))
    hidden = {b.category: set(b.suppression.hidden) for b in public.books.all()}
    assert hidden["12"] and len(before[0]) >= 3                  # Dragør's small counts are hidden, others judged

    # Triple everything the document does not print: the members' older quarters and every other area.
    members = list(public.books.members)
    con.execute("""UPDATE figure SET count = 3 * count + 7 WHERE category_code = '12'
                   AND (area_code NOT IN (SELECT unnest($members)) OR period_start < $first)""",
                {"members": members, "first": first_printed})
    public, internal = collect(con, MEETING, suppress_below=5), collect(con, MEETING)
    assert {b.category: set(b.suppression.hidden) for b in public.books.all()} == hidden
    assert printed_verdicts(public, "12") == before[0]
    assert printed_verdicts(internal, "12") != before[1]


def test_a_hidden_count_gets_no_verdict(con):
    b = collect(con, MEETING, suppress_below=5)
    for s in b.sections:
        for figures in (s.figures, s.context):
            for row in (figures.rows if figures else []):
                if figures.book.suppression.hides(row.current, row.previous):
                    assert figures.verdict(row) is None
