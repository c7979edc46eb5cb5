"""The briefing as PDF (reportlab platypus): A4, DejaVu Sans, page numbers, real tables, charts at 300 dpi.

Nothing relies on colour alone: the district row is bold with a rule above it, table headers
are bold on light grey, and the charts tell series apart by dash and marker.
"""

from __future__ import annotations

import io
import struct
from functools import lru_cache
from pathlib import Path
from xml.sax.saxutils import escape

from reportlab.lib import colors
from reportlab.lib.enums import TA_CENTER, TA_RIGHT
from reportlab.lib.pagesizes import A4
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import cm
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont
from reportlab.pdfgen import canvas as pdfcanvas
from reportlab.platypus import (
    BaseDocTemplate, CondPageBreak, Frame, Image, KeepTogether, PageBreak, PageTemplate, Paragraph, Spacer,
    Table, TableStyle,
)

from statistik.briefing import document as d

FONT_DIR = Path("/usr/share/fonts/truetype/dejavu")
MARGIN = 2 * cm
BOTTOM = 2.2 * cm
TEXT_WIDTH = A4[0] - 2 * MARGIN
FIELD_LABEL = 3.2 * cm
GREY_HEADER = colors.HexColor("#e6e6e6")
RULE = colors.HexColor("#9a9a9a")
MUTED = colors.HexColor("#404040")


@lru_cache(maxsize=1)
def table_fonts() -> tuple[str, str, str]:
    """(regular, bold, italic) for table cells: DejaVu Sans Condensed fits long names in narrow columns."""
    names = {"DejaVuSansCondensed": "DejaVuSansCondensed.ttf",
             "DejaVuSansCondensed-Bold": "DejaVuSansCondensed-Bold.ttf",
             "DejaVuSansCondensed-Oblique": "DejaVuSansCondensed-Oblique.ttf"}
    if fonts()[0] != "DejaVuSans" or not all((FONT_DIR / f).is_file() for f in names.values()):
        return fonts()[:3]
    for name, file in names.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    return tuple(names)  # type: ignore[return-value]


@lru_cache(maxsize=1)
def fonts() -> tuple[str, str, str, str]:
    """(regular, bold, italic, bold italic): DejaVu Sans when installed, else Helvetica (WinAnsi has æøå)."""
    names = {"DejaVuSans": "DejaVuSans.ttf", "DejaVuSans-Bold": "DejaVuSans-Bold.ttf",
             "DejaVuSans-Oblique": "DejaVuSans-Oblique.ttf", "DejaVuSans-BoldOblique": "DejaVuSans-BoldOblique.ttf"}
    if not all((FONT_DIR / f).is_file() for f in names.values()):
        return "Helvetica", "Helvetica-Bold", "Helvetica-Oblique", "Helvetica-BoldOblique"
    for name, file in names.items():
        pdfmetrics.registerFont(TTFont(name, str(FONT_DIR / file)))
    pdfmetrics.registerFontFamily("DejaVuSans", normal="DejaVuSans", bold="DejaVuSans-Bold",
                                  italic="DejaVuSans-Oblique", boldItalic="DejaVuSans-BoldOblique")
    return tuple(names)  # type: ignore[return-value]


def styles() -> dict[str, ParagraphStyle]:
    """Paragraph styles by name."""
    regular, bold, italic, _ = fonts()
    cell, cell_bold, cell_italic = table_fonts()
    base = ParagraphStyle("body", fontName=regular, fontSize=10, leading=14, spaceAfter=6)
    return {
        d.TITLE: ParagraphStyle("title", base, fontName=bold, fontSize=26, leading=32, spaceBefore=60, spaceAfter=8),
        d.SUBTITLE: ParagraphStyle("subtitle", base, fontSize=15, leading=20, spaceAfter=30, textColor=MUTED),
        d.BODY: base,
        d.LEAD: ParagraphStyle("lead", base, fontName=italic, textColor=MUTED, spaceAfter=4),
        d.FIELD: ParagraphStyle("field", base, fontSize=10.5, leading=15, spaceAfter=0),
        d.BULLET: ParagraphStyle("bullet", base, leftIndent=14, bulletIndent=2, spaceAfter=5),
        d.NOTE: ParagraphStyle("note", base, fontSize=8, leading=10, textColor=MUTED, spaceAfter=2),
        d.SOURCE: ParagraphStyle("source", base, fontSize=8, leading=10, spaceAfter=2),
        "h1": ParagraphStyle("h1", base, fontName=bold, fontSize=16, leading=20, spaceBefore=14, spaceAfter=8,
                             keepWithNext=1),
        "h2": ParagraphStyle("h2", base, fontName=bold, fontSize=12.5, leading=16, spaceBefore=10, spaceAfter=3,
                             keepWithNext=1),
        "cell": ParagraphStyle("cell", base, fontName=cell, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_bold": ParagraphStyle("cell_bold", base, fontName=cell_bold, fontSize=8.5, leading=10.5, spaceAfter=0),
        "cell_head": ParagraphStyle("cell_head", base, fontName=cell_bold, fontSize=8, leading=9.5, spaceAfter=0),
        "cell_italic": ParagraphStyle("cell_italic", base, fontName=cell_italic, fontSize=8.5, leading=10.5,
                                      spaceAfter=0),
    }


def _numbered_canvas(footer: str):
    """A canvas class that writes the footer and 'Side x af y' once the page count is known."""
    regular = fonts()[0]

    class NumberedCanvas(pdfcanvas.Canvas):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self._pages: list[dict] = []

        def showPage(self):
            self._pages.append(dict(self.__dict__))
            self._startPage()

        def save(self):
            total = len(self._pages)
            for state in self._pages:
                self.__dict__.update(state)
                self.setStrokeColor(RULE)
                self.setLineWidth(0.5)
                self.line(MARGIN, 1.55 * cm, A4[0] - MARGIN, 1.55 * cm)
                self.setFont(regular, 8)
                self.setFillColor(MUTED)
                self.drawString(MARGIN, 1.1 * cm, footer)
                self.drawRightString(A4[0] - MARGIN, 1.1 * cm, f"Side {self._pageNumber} af {total}")
                super().showPage()
            super().save()

    return NumberedCanvas


class _Template(BaseDocTemplate):
    """A4 with one frame; headings become PDF bookmarks."""

    _last_level = -1

    def afterFlowable(self, flowable):
        level = getattr(flowable, "outline_level", None)
        if level is not None:
            level = min(level, self._last_level + 1)     # the front page's level-2 heading has no chapter
            self._last_level = level
            key = f"h{id(flowable)}"
            self.canv.bookmarkPage(key)
            self.canv.addOutlineEntry(flowable.getPlainText(), key, level=level, closed=False)


def _text(text: str) -> str:
    return escape(text)


def _png_size(png: bytes) -> tuple[int, int]:
    return struct.unpack(">II", png[16:24])


def _table(table: d.Table, st: dict, nested: bool = False) -> list:
    scale = min(cm, TEXT_WIDTH / sum(table.widths))      # widths are in cm; a wide table shrinks to fit
    widths = [w * scale for w in table.widths]

    def cell(text: str, column: int, row: int | None) -> Paragraph:
        name = "cell_head" if row is None else "cell_bold" if row in table.bold_rows else \
            "cell_italic" if row in table.italic_rows else "cell"
        style = st[name]
        if table.align[column] != "l":
            style = ParagraphStyle(f"{name}_{table.align[column]}", style,
                                   alignment=TA_RIGHT if table.align[column] == "r" else TA_CENTER)
        return Paragraph(_text(text), style)

    data = [[cell(t, c, None) for c, t in enumerate(table.header)]]
    data += [[cell(t, c, r) for c, t in enumerate(row)] for r, row in enumerate(table.rows)]
    commands = [
        ("BACKGROUND", (0, 0), (-1, 0), GREY_HEADER),
        ("LINEABOVE", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 0), (-1, 0), 0.8, colors.black),
        ("LINEBELOW", (0, 1), (-1, -1), 0.25, RULE),
        ("LINEBELOW", (0, -1), (-1, -1), 0.8, colors.black),
        ("VALIGN", (0, 0), (-1, 0), "BOTTOM"),
        ("VALIGN", (0, 1), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), 3), ("RIGHTPADDING", (0, 0), (-1, -1), 3),
        ("TOPPADDING", (0, 0), (-1, -1), 2.5), ("BOTTOMPADDING", (0, 0), (-1, -1), 2.5),
    ]
    commands += [("LINEABOVE", (0, r + 1), (-1, r + 1), 0.8, colors.black) for r in table.bold_rows]
    flow = Table(data, colWidths=widths, repeatRows=1, hAlign="LEFT")
    flow.setStyle(TableStyle(commands))
    under = [Paragraph(_text(n), st[d.NOTE]) for n in table.notes]
    under += [Paragraph(_text(table.source), st[d.SOURCE])] if table.source else []
    if nested:
        return [Spacer(1, 2), flow, Spacer(1, 3), *under]
    if len(table.rows) <= 12:
        return [Spacer(1, 2), KeepTogether([flow, Spacer(1, 3), *under]), Spacer(1, 6)]
    return [Spacer(1, 2), flow, Spacer(1, 3), *under, Spacer(1, 6)]


def _field(block: d.Paragraph, st: dict) -> Table:
    """'Mødedato:  15. januar 2026' with the values lined up in a column, wrapped lines too."""
    label = Paragraph(f"<b>{_text(block.label or '')}</b>", st[d.FIELD])
    row = Table([[label, Paragraph(_text(block.text), st[d.FIELD])]], colWidths=[FIELD_LABEL, TEXT_WIDTH - FIELD_LABEL],
                hAlign="LEFT")
    row.setStyle(TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("LEFTPADDING", (0, 0), (-1, -1), 0),
                             ("RIGHTPADDING", (0, 0), (-1, -1), 0), ("TOPPADDING", (0, 0), (-1, -1), 0),
                             ("BOTTOMPADDING", (0, 0), (-1, -1), 5)]))
    return row


def _glued(blocks: list) -> list:
    """Headings and lead paragraphs right before a KeepTogether moved into it (reportlab's keepWithNext
    cannot hold on to a KeepTogether, which would leave a heading alone at the foot of a page)."""
    out: list = []
    for block in blocks:
        if isinstance(block, d.KeepTogether):
            lead = []
            while out and (isinstance(out[-1], d.Heading)
                           or (isinstance(out[-1], d.Paragraph) and out[-1].style == d.LEAD)):
                lead.insert(0, out.pop())
            block = d.KeepTogether([*lead, *block.blocks])
        out.append(block)
    return out


def _flowables(blocks: list, st: dict, nested: bool = False) -> list:
    out = []
    for block in _glued(blocks):
        if isinstance(block, d.Heading):
            p = Paragraph(_text(block.text), st["h1" if block.level == 1 else "h2"])
            p.outline_level = block.level - 1
            if not nested:   # inside KeepTogether the group itself moves to the next page
                out.append(CondPageBreak(5 * cm if block.level == 1 else 3 * cm))
            out.append(p)
        elif isinstance(block, d.Paragraph) and block.style == d.FIELD:
            out.append(_field(block, st))
        elif isinstance(block, d.Paragraph):
            text = _text(block.text)
            if block.label:
                text = f"<b>{_text(block.label)}</b>{text}"
            bullet = {"bulletText": "•"} if block.style == d.BULLET else {}
            out.append(Paragraph(text, st[block.style], **bullet))
        elif isinstance(block, d.Table):
            out += _table(block, st, nested)
        elif isinstance(block, d.Image):
            w_px, h_px = _png_size(block.png)
            width = block.width_cm * cm
            image = Image(io.BytesIO(block.png), width=width, height=width * h_px / w_px)
            image.hAlign = "LEFT"
            out += [Spacer(1, 4), image, Spacer(1, 4)]
        elif isinstance(block, d.PageBreak):
            out.append(PageBreak())
        elif isinstance(block, d.KeepTogether):
            out.append(KeepTogether(_flowables(block.blocks, st, nested=True)))
    return out


def render(doc: d.Document) -> bytes:
    """The document as PDF bytes."""
    buffer = io.BytesIO()
    st = styles()
    template = _Template(buffer, pagesize=A4, leftMargin=MARGIN, rightMargin=MARGIN, topMargin=MARGIN,
                         bottomMargin=BOTTOM, title=doc.title, subject=doc.subject, author=doc.author,
                         creator="statistik", lang="da-DK", displayDocTitle=True)
    frame = Frame(MARGIN, BOTTOM, TEXT_WIDTH, A4[1] - MARGIN - BOTTOM, id="text",
                  leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)
    template.addPageTemplates([PageTemplate(id="page", frames=[frame])])
    template.build(_flowables(doc.blocks, st), canvasmaker=_numbered_canvas(doc.footer))
    return buffer.getvalue()
