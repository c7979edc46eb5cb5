"""House style: source line, title, fonts for a projector, series told apart without colour."""

import colorsys

import plotly.graph_objects as go
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from statistik.charts import style


@pytest.mark.parametrize(("sources", "computed", "expected"), [
    (["Danmarks Statistik"], True, "Kilde: Danmarks Statistik (STRAF11), egne beregninger"),
    (["Danmarks Statistik"], False, "Kilde: Danmarks Statistik (STRAF11)"),
    (["Københavns Politi"], False, "Kilde: Københavns Politi"),
    (["Danmarks Statistik", "Københavns Politi"], True,
     "Kilde: Danmarks Statistik (STRAF11) og Københavns Politi, egne beregninger"),
    (["Københavns Politi", "Københavns Politi"], False, "Kilde: Københavns Politi"),
])
def test_source_line_names_sources_and_own_calculations(sources, computed, expected):
    assert style.source_line(sources, computed) == expected


def styled(**kwargs):
    fig = go.Figure(go.Scatter(x=[1, 2, 3], y=[1, 2, 3], name="a"))
    return style.apply_style(fig, title=kwargs.pop("title", "Vold i Dragør, 2025"),
                             source="Kilde: Danmarks Statistik (STRAF11)", **kwargs)


def annotation_texts(fig):
    return [a.text for a in fig.layout.annotations]


def test_title_and_source_line_are_in_the_figure():
    fig = styled(subtitle="Pr. 100.000 indbyggere")
    assert fig.layout.title.text == "Vold i Dragør, 2025"
    assert fig.layout.title.subtitle.text == "Pr. 100.000 indbyggere"
    source = [a for a in fig.layout.annotations if a.text == "Kilde: Danmarks Statistik (STRAF11)"]
    assert len(source) == 1
    assert source[0].yref == "paper" and source[0].y == 0 and source[0].yshift < 0   # under the plot


def test_long_titles_wrap_instead_of_running_off_the_chart():
    title = "Kontaktbedrageri i Københavns Politikreds, anmeldelser pr. måned, januar 2023 – november 2025"
    fig = styled(title=title)
    lines = fig.layout.title.text.split("<br>")
    assert len(lines) == 2
    assert " ".join(lines) == title


@given(st.text(alphabet="abcæøå.:/", min_size=200, max_size=400), st.text(alphabet="abc ", max_size=60),
       st.integers(min_value=200, max_value=1400))
@settings(max_examples=60, deadline=None)
def test_a_word_longer_than_a_line_is_broken_and_nothing_is_lost(word, words, width_px):
    """A marker's or name's one long word (a pasted address) is broken, not run past the chart's edge."""
    text = f"{words} {word} 3. kvt. 2025".strip()
    lines = style.wrap(text, width_px, 15)
    chars = max(20, int(width_px / (15 * 0.53)))
    assert all(len(line) <= chars for line in lines)
    assert "".join(lines).replace(" ", "") == text.replace(" ", "")
    assert any("3. kvt. 2025" in line for line in lines)       # a period label stays whole


def test_fonts_are_large_enough_for_a_projector_and_numbers_are_danish():
    fig = styled()
    assert fig.layout.font.size >= 16
    assert fig.layout.title.font.size > fig.layout.font.size
    assert fig.layout.xaxis.tickfont.size >= 16 and fig.layout.yaxis.tickfont.size >= 16
    assert all(a.font.size >= 16 for a in fig.layout.annotations)
    assert fig.layout.separators == ",."
    assert fig.layout.paper_bgcolor == "white" and fig.layout.plot_bgcolor == "white"


def test_applying_the_style_twice_keeps_one_source_line():
    fig = styled(subtitle="Gammel undertitel")
    style.apply_style(fig, title="Ny titel", source="Kilde: Københavns Politi")
    assert annotation_texts(fig) == ["Kilde: Københavns Politi"]
    assert fig.layout.title.text == "Ny titel"
    assert not fig.layout.title.subtitle.text


def test_notes_go_between_plot_and_source_line():
    fig = go.Figure(go.Scatter(x=[1], y=[1]))
    style.add_note(fig, "Markeringer: 1: Distortion")
    style.apply_style(fig, title="T", source="Kilde: X")
    note, source = fig.layout.annotations
    assert note.text == "Markeringer: 1: Distortion" and source.text == "Kilde: X"
    assert source.yshift < note.yshift                      # the source line is the lowest
    assert fig.layout.margin.b > -source.yshift             # and inside the figure


def lightness(color):
    r, g, b = (int(color[i:i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.299 * r + 0.587 * g + 0.114 * b


def test_series_styles_differ_in_dash_marker_and_grey_level():
    styles = style.SERIES_STYLES
    assert len({s.dash for s in styles}) == len(styles)
    assert len({s.symbol for s in styles}) == len(styles)
    greys = sorted(lightness(s.color) for s in styles[:4])
    assert min(b - a for a, b in zip(greys, greys[1:])) > 0.08   # four series apart in grey-scale print
    assert colorsys.rgb_to_hls(*(int(styles[0].color[i:i + 2], 16) / 255 for i in (1, 3, 5)))[1] < 0.3
