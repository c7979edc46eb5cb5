"""Sparkline: a tiny line without axes or title, gaps kept."""

import pandas as pd

from statistik.charts.sparkline import sparkline_figure


def values(numbers, start="2025-01-01", months=1):
    index = [pd.Timestamp(start) + pd.DateOffset(months=months * i) for i in range(len(numbers))]
    return pd.Series(pd.array(numbers, dtype="Int64"), index=index)


def test_tiny_with_no_axes_title_or_legend():
    fig = sparkline_figure(values([3, 5, 4, 6]))
    assert fig.layout.height <= 80
    assert fig.layout.xaxis.visible is False and fig.layout.yaxis.visible is False
    assert not fig.layout.title.text
    assert fig.layout.showlegend is False


def test_missing_periods_break_the_line():
    fig = sparkline_figure(values([3, None, 4, 6]))
    line = fig.data[0]
    assert list(line.y) == [3, None, 4, 6]
    assert line.connectgaps is False


def test_the_latest_value_and_lonely_points_are_visible():
    fig = sparkline_figure(values([3, 4, None, 5, None, 6, 7]))
    sizes = list(fig.data[0].marker.size)
    assert sizes[-1] > 0                                    # the latest value
    assert sizes[3] > 0                                     # a point alone between two gaps
    assert sizes[0] == sizes[1] == sizes[5] == 0            # ordinary points are just the line


def test_hover_labels_are_danish_periods():
    assert fig_labels(values([1, 2], months=1)) == ["jan. 2025", "feb. 2025"]
    assert fig_labels(values([1, 2], start="2025-07-01", months=3)) == ["3. kvt. 2025", "4. kvt. 2025"]


def fig_labels(series):
    return list(sparkline_figure(series).data[0].customdata)


def test_an_empty_series_gives_an_empty_sparkline():
    fig = sparkline_figure(pd.Series([], dtype="float64", index=pd.DatetimeIndex([])))
    assert list(fig.data[0].y) == []
