"""Export: PNG at print resolution, SVG and PDF with title, source, filters and date drawn in.

These tests start a real headless Chromium through Kaleido (apt-get install chromium).
"""

import datetime as dt
import struct

import kaleido
import pandas as pd
import pytest

from conftest import counting_kaleido
from kaleido.errors import ChromeNotFoundError

from statistik.charts import export
from statistik.charts.targets import target_figure

CREATED = dt.date(2026, 11, 25)
FILTERS = "Område: Dragør · Kategori: Indbrud i beboelser"
TITLE = "Indbrud i beboelser i Dragør pr. år"
SOURCE = "Kilde: Danmarks Statistik (STRAF11)"


def figure():
    data = pd.DataFrame({"year": [2022, 2023, 2024], "count": [25, 35, 27], "met": [True, False, True]})
    return target_figure(data, title=TITLE, source=SOURCE, limit=30)


CountingKaleido = counting_kaleido()


@pytest.fixture(scope="module")
def rendered():
    """PNG, SVG and PDF of one chart from render_many, with the browser starts counted."""
    CountingKaleido.opened = CountingKaleido.rendered = 0
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kaleido, "Kaleido", CountingKaleido)
        images = export.render_many([(figure(), "png"), (figure(), "svg"), (figure(), "pdf")],
                                    filters=FILTERS, created=CREATED)
    return images, CountingKaleido.opened, CountingKaleido.rendered


def png_size(data: bytes) -> tuple[int, int]:
    assert data[12:16] == b"IHDR"
    return struct.unpack(">II", data[16:24])


def test_render_many_renders_all_figures_in_one_browser_session(rendered):
    images, opened, count = rendered
    assert len(images) == 3
    assert opened == 1
    assert count == 3


def test_png_is_print_resolution(rendered):
    png = rendered[0][0]
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    width, height = png_size(png)
    assert width >= 1900                             # 300 dpi at 16 cm
    assert height > 0
    # pHYs says how wide it prints: about 16 cm.
    at = png.index(b"pHYs")
    per_metre = struct.unpack(">I", png[at + 4:at + 8])[0]
    assert width / per_metre * 100 == pytest.approx(16, abs=0.1)


def test_svg_has_title_source_filters_and_date_drawn_in(rendered):
    svg = rendered[0][1].decode("utf-8")
    assert svg.lstrip().startswith("<svg")
    assert TITLE in svg
    assert SOURCE in svg
    assert FILTERS in svg
    assert "Udskrevet 25. november 2026" in svg


def test_pdf_is_a_pdf(rendered):
    assert rendered[0][2].startswith(b"%PDF")


def test_figure_bytes_gives_one_chart_and_leaves_the_figure_alone():
    fig = figure()
    before = fig.to_json()
    png = export.figure_bytes(fig, "png", filters=FILTERS, created=CREATED, width=800)
    assert png_size(png)[0] >= 1900
    assert fig.to_json() == before                  # the footer went on a copy


def test_the_footer_goes_under_the_source_line_and_the_plot_keeps_its_size():
    fig = figure()
    out = export.with_footer(fig, filters=FILTERS, created=CREATED, width=1000)
    by_text = {a.text: a for a in out.layout.annotations}
    assert by_text[FILTERS].yshift < by_text[SOURCE].yshift
    assert by_text["Udskrevet 25. november 2026"].yshift < by_text[FILTERS].yshift
    plot = lambda f: f.layout.height - f.layout.margin.t - f.layout.margin.b  # noqa: E731
    assert plot(out) == plot(export.with_footer(fig, filters=None, created=None, width=1000))


def test_unknown_format_is_refused_in_danish():
    with pytest.raises(ValueError, match="Ukendt format 'gif'"):
        export.figure_bytes(figure(), "gif", filters=FILTERS, created=CREATED)


def test_without_a_browser_the_error_says_how_to_install_one(monkeypatch):
    def no_browser(*args, **kwargs):
        raise ChromeNotFoundError("not found")

    monkeypatch.setattr(kaleido, "Kaleido", no_browser)
    with pytest.raises(export.ExportError, match="apt-get install chromium"):
        export.figure_bytes(figure(), "png", filters=FILTERS, created=CREATED)


def test_render_many_with_nothing_to_render_starts_no_browser(monkeypatch):
    monkeypatch.setattr(kaleido, "Kaleido", None)
    assert export.render_many([]) == []
