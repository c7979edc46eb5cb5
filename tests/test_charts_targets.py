"""Targets: bars per year against a dashed limit line; met and missed apart in grey-scale."""

import pandas as pd
import pytest

from statistik.charts.targets import MET_NAME, MISSED_NAME, OPEN_NAME, limit_label, target_figure

SOURCE = "Kilde: Danmarks Statistik (STRAF11)"
TITLE = "Indbrud i beboelser i Dragør pr. år, mod målet under 30"


@pytest.fixture
def data():
    return pd.DataFrame({"year": [2021, 2022, 2023, 2024, 2025],
                         "count": pd.array([32, 25, 35, 27, 18], dtype="Int64"),
                         "met": pd.array([False, True, False, True, None], dtype="boolean")})


def bars(fig):
    return {t.name: t for t in fig.data if t.type == "bar"}


def test_title_and_source(data):
    fig = target_figure(data, title=TITLE, source=SOURCE, limit=30)
    assert fig.layout.title.text == TITLE
    assert SOURCE in [a.text for a in fig.layout.annotations]


def test_the_limit_is_a_dashed_line_labelled_with_the_target(data):
    fig = target_figure(data, title=TITLE, source=SOURCE, limit=30)
    line = next(s for s in fig.layout.shapes if s.name == "limit")
    assert line.y0 == line.y1 == 30 and line.line.dash == "dash"
    assert "<b>Mål: under 30</b>" in [a.text for a in fig.layout.annotations]


def test_met_missed_and_open_years_differ_in_fill_pattern(data):
    fig = target_figure(data, title=TITLE, source=SOURCE, limit=30)
    b = bars(fig)
    assert list(b[MET_NAME].x) == [2022, 2024]
    assert list(b[MISSED_NAME].x) == [2021, 2023]
    assert list(b[OPEN_NAME].x) == [2025]
    patterns = {name: t.marker.pattern.shape for name, t in b.items()}
    assert len(set(patterns.values())) == 3                  # solid, hatched, dotted
    assert fig.layout.xaxis.ticktext == ("2021", "2022", "2023", "2024", "2025")


def test_every_year_shows_its_count_and_a_missing_one_says_so(data):
    data.loc[4, "count"] = pd.NA
    fig = target_figure(data, title=TITLE, source=SOURCE, limit=30)
    texts = [a.text for a in fig.layout.annotations if a.name in ("value", "missing")]
    assert texts == ["32", "25", "35", "27", "ingen tal"]
    assert OPEN_NAME not in bars(fig)                        # no empty legend entry


def test_a_target_above_a_limit():
    assert limit_label(30, "above") == "Mål: over 30"
    assert limit_label(1500) == "Mål: under 1.500"
    with pytest.raises(ValueError):
        limit_label(30, "sideways")
