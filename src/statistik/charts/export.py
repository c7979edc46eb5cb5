"""Charts as files: PNG at print resolution, SVG and PDF, with filters and date drawn into the image.

Rendering goes through Kaleido 1.x, which drives a headless Chrome/Chromium. Starting the
browser takes seconds, so `render_many` renders a whole briefing's charts in one session.
A PNG is at least 1900 px wide (300 dpi at 16 cm) and says so in its pHYs chunk, so Word and
LibreOffice place it 16 cm wide.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import math
import os
import struct
import zlib
from concurrent.futures import ThreadPoolExecutor

import kaleido
import plotly.graph_objects as go
from kaleido.errors import BrowserFailedError, ChromeNotFoundError

from statistik import formatting
from statistik.charts import style
from statistik.markup import html

FORMATS = ("png", "svg", "pdf")
DEFAULT_WIDTH = 1000
PRINT_WIDTH_PX = 1900          # ≥ 300 dpi at 16 cm
PRINT_WIDTH_CM = 16
FOOTER_LINE_PX = 24
BROWSER_MISSING = (
    "Diagrammet kan ikke gemmes som billede, fordi browseren Chromium (eller Google Chrome) "
    "ikke er installeret på serveren. Installér den med 'apt-get install chromium' "
    "(Debian/Ubuntu), eller sæt miljøvariablen BROWSER_PATH til stien til Chrome eller Chromium."
)

BROWSER_FAILED = (
    "Diagrammet kan ikke gemmes som billede, fordi browseren Chromium ikke kunne starte ({error}). "
    "Tjek at pakken 'chromium' er installeret helt ('apt-get install chromium')."
)


class ExportError(RuntimeError):
    """A chart could not be rendered to a file; the message says what to do, in Danish."""


def printed(created: dt.date) -> str:
    """'Udskrevet 25. november 2026'."""
    return f"Udskrevet {formatting.date(created)}"


def with_footer(fig: go.Figure, *, filters: str | None, created: dt.date | None,
                width: int = DEFAULT_WIDTH, height: int | None = None) -> go.Figure:
    """A copy of `fig` laid out for `width` px, with the filter description and print date under its source line.

    `height` is the figure's height before the footer; the footer adds to it, so the plot keeps its size.
    """
    out = style.restyle(go.Figure(fig), width, height)
    lines = style.wrap(filters, width - 40, style.NOTE_SIZE) if filters else []
    if created is not None:
        lines.append(printed(created))
    if not lines:
        return out
    meta = style.figure_meta(out)
    left = out.layout.margin.l if out.layout.margin.l is not None else 80
    bottom = meta.get("bottom", out.layout.margin.b if out.layout.margin.b is not None else 80)
    for i, line in enumerate(lines):
        out.add_annotation(
            text=html(line), xref="paper", yref="paper", x=0, y=0, xanchor="left", yanchor="top",
            xshift=-(left - 20), yshift=-(bottom - 14 + FOOTER_LINE_PX * i), showarrow=False,
            align="left", font=dict(size=style.NOTE_SIZE, color=style.MUTED_COLOR), name="footer",
        )
    extra = FOOTER_LINE_PX * len(lines)
    height = out.layout.height or style.DEFAULT_HEIGHT
    out.update_layout(height=height + extra, margin=dict(b=bottom + extra),
                      title_y=style.title_y(height + extra, meta.get("title_lines", 1)))
    return out


def _png_with_dpi(png: bytes, width_cm: float = PRINT_WIDTH_CM) -> bytes:
    """The PNG with a pHYs chunk that makes it `width_cm` wide in print."""
    width_px = struct.unpack(">I", png[16:20])[0]
    per_metre = round(width_px / (width_cm / 100))
    body = b"pHYs" + struct.pack(">IIB", per_metre, per_metre, 1)
    chunk = struct.pack(">I", 9) + body + struct.pack(">I", zlib.crc32(body) & 0xFFFFFFFF)
    ihdr_end = 8 + 8 + 13 + 4
    return png[:ihdr_end] + chunk + png[ihdr_end:]


def _opts(fig: go.Figure, fmt: str, width: int) -> dict:
    if fmt not in FORMATS:
        raise ValueError(f"Ukendt format {fmt!r} (kendte: {', '.join(FORMATS)}).")
    scale = max(2.0, PRINT_WIDTH_PX / width) if fmt == "png" else 1
    return {"format": fmt, "width": width, "height": fig.layout.height or style.DEFAULT_HEIGHT,
            "scale": math.ceil(scale * 100) / 100}


async def _render_session(specs: list[dict]) -> list[bytes]:
    """Render every spec in one browser session, in order."""
    try:
        browser = kaleido.Kaleido(n=1, mathjax=False)
    except ChromeNotFoundError as e:
        configured = os.environ.get("BROWSER_PATH")
        hint = f" BROWSER_PATH er sat til {configured!r}, men der er ingen browser dér." if configured else ""
        raise ExportError(BROWSER_MISSING + hint) from e
    try:
        async with browser:
            return [await browser.calc_fig(spec["fig"], opts=spec["opts"]) for spec in specs]
    except BrowserFailedError as e:
        raise ExportError(BROWSER_FAILED.format(error=e)) from e


def render_many(
    figs_with_opts: list[tuple[go.Figure, str]], *, filters: str | None = None,
    created: dt.date | None = None, width: int = DEFAULT_WIDTH, height: int | None = None,
) -> list[bytes]:
    """Render (figure, format) pairs in ONE Kaleido/browser session; footers added when filters or created are given."""
    specs = []
    for fig, fmt in figs_with_opts:
        prepared = with_footer(fig, filters=filters, created=created, width=width, height=height)
        specs.append({"fig": prepared, "opts": _opts(prepared, fmt, width), "format": fmt})
    if not specs:
        return []
    # A thread of its own, so this works inside a running event loop (Jupyter, some servers) too.
    with ThreadPoolExecutor(max_workers=1) as pool:
        images = pool.submit(asyncio.run, _render_session(specs)).result()
    return [_png_with_dpi(img) if spec["format"] == "png" else img for img, spec in zip(images, specs)]


def figure_bytes(
    fig: go.Figure, fmt: str, *, filters: str, created: dt.date,
    width: int = DEFAULT_WIDTH, height: int | None = None,
) -> bytes:
    """One chart as PNG (≥ 1900 px wide), SVG or PDF, with title, source line, filters and date drawn in."""
    return render_many([(fig, fmt)], filters=filters, created=created, width=width, height=height)[0]
