"""Trend lines: Danish ticks, gaps for missing periods, bands, events and law changes."""

import numpy as np
import pandas as pd
import pytest

from statistik.charts import events, style
from statistik.charts.trend import BAND_NAME, trend_figure

SOURCE = "Kilde: Danmarks Statistik (STRAF11), egne beregninger"
TITLE = "Kontaktbedrageri i Københavns Politikreds, 2025"


def frame(values, series="Københavns Politikreds", kind="M", start="2025-01-01", bands=False):
    """A trend frame of consecutive periods; None is a missing figure."""
    step = {"M": 1, "R": 1, "Q": 3, "Y": 12}[kind]
    starts = [pd.Timestamp(start) + pd.DateOffset(months=step * i) for i in range(len(values))]
    out = pd.DataFrame({"series": series, "period_start": starts, "period_kind": kind,
                        "value": [np.nan if v is None else float(v) for v in values]})
    if bands:
        out["low"], out["high"] = out["value"] * 0.8, out["value"] * 1.2
    return out


def draw(data, **kwargs):
    return trend_figure(data, title=kwargs.pop("title", TITLE), y_title="Anmeldelser", source=SOURCE, **kwargs)


def lines(fig):
    return [t for t in fig.data if t.mode == "lines+markers"]


def test_title_source_line_and_y_title():
    fig = draw(frame([10, 12, 14]))
    assert fig.layout.title.text == TITLE
    assert SOURCE in [a.text for a in fig.layout.annotations]
    assert fig.layout.yaxis.title.text == "Anmeldelser"


def test_month_ticks_are_danish():
    fig = draw(frame(range(1, 13)))
    assert fig.layout.xaxis.ticktext == ("jan. 2025", "mar. 2025", "maj 2025", "jul. 2025", "sep. 2025", "nov. 2025")
    assert draw(frame(range(1, 7))).layout.xaxis.ticktext[:3] == ("jan. 2025", "feb. 2025", "mar. 2025")
    assert fig.layout.xaxis.ticktext == tuple(lines(fig)[0].customdata[::2])   # ticks sit on the points


def test_quarter_ticks_and_a_long_series_gets_few_round_ticks():
    fig = draw(frame(range(16), kind="Q", start="2022-01-01"))
    ticks = fig.layout.xaxis.ticktext
    assert "3. kvt. 2025" in ticks or "1. kvt. 2025" in ticks
    assert len(ticks) <= 8
    long = draw(frame(range(120), start="2016-01-01"))
    assert long.layout.xaxis.ticktext == ("jan. 2016", "jan. 2018", "jan. 2020", "jan. 2022", "jan. 2024")


def test_rolling_windows_are_labelled_by_their_last_month():
    fig = draw(frame([100, 110, 120], kind="R", start="2025-03-01"))
    assert "mar. 2025" in fig.layout.xaxis.ticktext
    assert lines(fig)[0].customdata[0] == "12 mdr. til og med mar. 2025"


def test_rolling_windows_of_quarterly_figures_are_not_broken_into_gaps():
    data = frame([100, 110, 120], kind="R", start="2025-03-01")
    data["period_start"] = [pd.Timestamp("2025-03-01"), pd.Timestamp("2025-06-01"), pd.Timestamp("2025-09-01")]
    assert list(lines(draw(data))[0].y) == [100, 110, 120]


def test_a_missing_value_is_a_gap_not_zero():
    fig = draw(frame([10, None, 14]))
    line = lines(fig)[0]
    assert list(line.y) == [10, None, 14]
    assert line.connectgaps is False


def test_a_period_absent_from_the_data_is_a_gap_too():
    data = frame([10, 11, 12, 13]).drop(index=2)
    line = lines(draw(data))[0]
    assert list(line.y) == [10, 11, None, 13]
    assert line.customdata[2] == "mar. 2025"


def test_one_trace_per_series_with_distinct_dash_and_marker():
    data = pd.concat([frame([10, 12], series=name) for name in ("København", "Frederiksberg", "Dragør", "Tårnby")])
    traces = lines(draw(data))
    assert [t.name for t in traces] == ["København", "Frederiksberg", "Dragør", "Tårnby"]
    assert len({t.line.dash for t in traces}) == 4
    assert len({t.marker.symbol for t in traces}) == 4
    assert traces[0].line.width >= 3                                       # thick enough for a projector


def test_bands_are_drawn_around_the_line_and_broken_at_gaps():
    fig = draw(frame([10, 12, None, 14, 16], bands=True))
    bands = [t for t in fig.data if t.fill == "toself"]
    assert len(bands) == 1
    assert list(bands[0].x).count(None) == 2                  # two closed shapes: before and after the gap
    assert BAND_NAME in [t.name for t in fig.data if t.showlegend is not False]
    assert max(v for v in bands[0].y if v is not None) == pytest.approx(16 * 1.2)


def test_bands_can_be_switched_off():
    fig = draw(frame([10, 12], bands=True), show_bands=False)
    assert not [t for t in fig.data if t.fill == "toself"]
    assert BAND_NAME not in [t.name for t in fig.data]


def annotations_frame(rows):
    return pd.DataFrame(rows, columns=["start_date", "end_date", "text", "kind"])


def event_shapes(fig):
    return [s for s in fig.layout.shapes if (s.name or "").startswith("event")]


def test_only_annotations_inside_the_range_are_drawn():
    notes = annotations_frame([
        ("2024-06-04", "2024-06-08", "Distortion 2024", "begivenhed"),
        ("2025-07-01", "2025-07-01", "Skærpede regler om opioider", "lovændring"),
        ("2025-06-04", "2025-06-08", "Distortion", "begivenhed"),
        ("2026-05-01", "2026-05-01", "1. maj 2026", "begivenhed"),
    ])
    fig = draw(frame(range(12)), annotations=notes)
    shapes = event_shapes(fig)
    assert len(shapes) == 2
    assert {s.type for s in shapes} == {"line", "rect"}          # a day is a line, a span a rectangle
    labels = [a.text for a in fig.layout.annotations if (a.name or "").startswith("event")]
    assert "Distortion" in labels and "Distortion 2024" not in labels


def test_law_changes_are_drawn_stronger_than_events():
    notes = annotations_frame([("2025-03-10", "2025-03-10", "Kulturnatten", "begivenhed"),
                               ("2025-07-01", "2025-07-01", "Ny lov", "lovændring")])
    fig = draw(frame(range(12)), annotations=notes)
    event, law = sorted(event_shapes(fig), key=lambda s: s.name == "event-lovændring")
    assert law.line.width > event.line.width
    assert law.line.dash == "solid" and event.line.dash != "solid"
    assert "<b>Ny lov</b>" in [a.text for a in fig.layout.annotations]


def test_event_labels_on_one_height_do_not_overlap():
    notes = annotations_frame([(f"2025-0{m}-0{d}", f"2025-0{m}-0{d}", f"Begivenhed {m}{d}", "begivenhed")
                               for m, d in ((5, 1), (5, 3), (6, 1), (6, 9))])
    fig = draw(frame(range(12)), annotations=notes)
    labels = [a for a in fig.layout.annotations if (a.name or "").startswith("event")]
    assert len({a.y for a in labels}) > 1                       # staggered
    plot_px = style.ASSUMED_WIDTH - fig.layout.margin.l - fig.layout.margin.r
    x0, x1 = pd.Timestamp("2025-01-01"), pd.Timestamp("2026-01-01")
    by_height = {}
    for a in labels:
        left = (pd.Timestamp(a.x) - x0) / (x1 - x0) * plot_px
        by_height.setdefault(a.y, []).append((left, left + style.text_width(a.text, events.LABEL_SIZE)))
    for spans in by_height.values():
        spans.sort()
        assert all(b[0] > a[1] for a, b in zip(spans, spans[1:]))


def test_a_crowded_summer_gets_numbers_and_a_key_under_the_plot():
    days = pd.date_range("2025-05-01", "2025-09-14", periods=13)
    notes = annotations_frame([(d, d, f"Begivenhed med et langt navn {i}", "begivenhed") for i, d in enumerate(days)])
    fig = draw(frame(range(36), start="2023-01-01"), annotations=notes)
    labels = [a.text for a in fig.layout.annotations if (a.name or "").startswith("event")]
    assert all(text.strip("<b>/").isdigit() for text in labels)
    assert len(labels) <= 5                                      # grouped per month
    key = [a.text for a in fig.layout.annotations if a.name == "note"]
    assert key and key[0].startswith("Markeringer: 1:")
    assert "Begivenhed med et langt navn 0" in " ".join(key)


def test_an_empty_frame_still_gives_a_titled_figure():
    data = frame([]).astype({"value": "float64"})
    fig = draw(data)
    assert fig.layout.title.text == TITLE
    assert not lines(fig)


def test_counts_with_pandas_na_are_gaps():
    data = frame([10, 11, 12])
    data["value"] = pd.array([10, None, 12], dtype="Int64")
    assert list(lines(draw(data))[0].y) == [10, None, 12]


def test_an_unknown_period_kind_is_refused():
    with pytest.raises(ValueError, match="periodetype"):
        draw(frame([1, 2]).assign(period_kind="W"))
