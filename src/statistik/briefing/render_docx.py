"""The briefing as Word (python-docx), for the secretariat to edit: real headings, real tables, A4, page numbers.

Built on python-docx's default template, so Word and LibreOffice both know every style used
(Title, Subtitle, Heading 1/2, List Bullet, Table Grid); two small styles are added for
notes and source lines. Page numbers are PAGE/NUMPAGES fields in the footer.
"""

from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.style import WD_STYLE_TYPE
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_TAB_ALIGNMENT
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Pt, RGBColor

from statistik.briefing import document as d

FONT = "Arial"
PAGE_W, PAGE_H, MARGIN = Cm(21.0), Cm(29.7), Cm(2.0)
TEXT_CM = 17.0
FIELD_LABEL_CM = 3.2
TEXT = RGBColor(0x1A, 0x1A, 0x1A)
MUTED = RGBColor(0x40, 0x40, 0x40)
NOTE_STYLE, SOURCE_STYLE, LEAD_STYLE, FIELD_STYLE = "Note", "Kildeangivelse", "Indledning", "Felt"
_STYLE = {d.TITLE: "Title", d.SUBTITLE: "Subtitle", d.BODY: "Normal", d.BULLET: "List Bullet",
          d.NOTE: NOTE_STYLE, d.SOURCE: SOURCE_STYLE, d.LEAD: LEAD_STYLE, d.FIELD: FIELD_STYLE}


def _set_font(style, size: float | None = None, bold: bool | None = None, italic: bool | None = None,
              color: RGBColor | None = TEXT) -> None:
    style.font.name = FONT
    rfonts = style.element.get_or_add_rPr().get_or_add_rFonts()
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        rfonts.set(qn(attr), FONT)
    for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        rfonts.attrib.pop(qn(theme), None)     # a theme font would win over Arial
    if size is not None:
        style.font.size = Pt(size)
    if bold is not None:
        style.font.bold = bold
    if italic is not None:
        style.font.italic = italic
    if color is not None:
        style.font.color.rgb = color


def _styles(doc) -> None:
    styles = doc.styles
    normal = styles["Normal"]
    _set_font(normal, 10)
    lang = OxmlElement("w:lang")
    lang.set(qn("w:val"), "da-DK")
    normal.element.get_or_add_rPr().append(lang)     # Danish spelling and hyphenation
    normal.paragraph_format.space_after = Pt(6)
    for name, size in (("Title", 26), ("Subtitle", 15), ("Heading 1", 16), ("Heading 2", 12.5)):
        _set_font(styles[name], size, bold=name.startswith("Heading") or name == "Title",
                  color=MUTED if name == "Subtitle" else TEXT)
    styles["Heading 1"].paragraph_format.space_before = Pt(16)
    styles["Heading 2"].paragraph_format.space_before = Pt(12)
    styles["List Bullet"].paragraph_format.space_after = Pt(4)
    for name, size, italic, color in ((NOTE_STYLE, 8, False, MUTED), (SOURCE_STYLE, 8, False, TEXT),
                                      (LEAD_STYLE, 10, True, MUTED), (FIELD_STYLE, 10.5, False, TEXT)):
        style = styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        style.base_style = normal
        _set_font(style, size, italic=italic, color=color)
        style.paragraph_format.space_after = Pt(2 if size == 8 else 5)
    field = styles[FIELD_STYLE].paragraph_format     # 'Mødedato:<tab>15. januar 2026', wrapped lines aligned
    field.left_indent, field.first_line_indent = Cm(FIELD_LABEL_CM), Cm(-FIELD_LABEL_CM)
    field.tab_stops.add_tab_stop(Cm(FIELD_LABEL_CM))


def _page(doc, footer_text: str) -> None:
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_W, PAGE_H
    section.left_margin = section.right_margin = section.top_margin = MARGIN
    section.bottom_margin = Cm(2.2)
    section.footer_distance = Cm(1.0)
    p = section.footer.paragraphs[0]
    p.style = doc.styles[NOTE_STYLE]
    p.paragraph_format.tab_stops.add_tab_stop(Cm(TEXT_CM), WD_TAB_ALIGNMENT.RIGHT)
    p.add_run(f"{footer_text}\tSide ")
    _field(p, "PAGE")
    p.add_run(" af ")
    _field(p, "NUMPAGES")


def _field(paragraph, instruction: str) -> None:
    """A simple field (PAGE, NUMPAGES) that Word and LibreOffice update when they lay out the pages."""
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), instruction)
    run, text = OxmlElement("w:r"), OxmlElement("w:t")
    text.text = "1"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)


def _shade(cell, fill: str) -> None:
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    cell._tc.get_or_add_tcPr().append(shading)


def _row_flag(row, tag: str) -> None:
    flag = OxmlElement(tag)
    flag.set(qn("w:val"), "true")
    row._tr.get_or_add_trPr().append(flag)


def _table(doc, table: d.Table, keep: bool) -> None:
    scale = min(1.0, TEXT_CM / sum(table.widths))        # widths are in cm; a wide table shrinks to fit
    out = doc.add_table(rows=1 + len(table.rows), cols=len(table.header))
    out.style = doc.styles["Table Grid"]
    out.alignment = WD_TABLE_ALIGNMENT.LEFT
    out.autofit = False
    for i, width in enumerate(table.widths):
        out.columns[i].width = Cm(width * scale)
    for r, values in enumerate([table.header, *table.rows]):
        row = out.rows[r]
        _row_flag(row, "w:cantSplit")
        if r == 0:
            _row_flag(row, "w:tblHeader")          # repeated on every page the table spans
        for c, value in enumerate(values):
            cell = row.cells[c]
            cell.width = Cm(table.widths[c] * scale)
            p = cell.paragraphs[0]
            p.paragraph_format.space_after = Pt(0)
            p.paragraph_format.keep_with_next = keep or r < len(table.rows)
            if table.align[c] != "l":
                p.alignment = WD_ALIGN_PARAGRAPH.RIGHT if table.align[c] == "r" else WD_ALIGN_PARAGRAPH.CENTER
            run = p.add_run(value)
            run.font.size = Pt(8 if r == 0 else 8.5)
            run.bold = r == 0 or (r - 1) in table.bold_rows
            run.italic = (r - 1) in table.italic_rows
            if r == 0:
                _shade(cell, "E6E6E6")
    for note in table.notes:
        doc.add_paragraph(note, style=NOTE_STYLE).paragraph_format.keep_with_next = keep or bool(table.source)
    if table.source:
        doc.add_paragraph(table.source, style=SOURCE_STYLE).paragraph_format.keep_with_next = keep


def _add(doc, block, keep: bool = False) -> None:
    if isinstance(block, d.Heading):
        doc.add_heading(block.text, level=block.level)
    elif isinstance(block, d.Paragraph):
        p = doc.add_paragraph(style=_STYLE[block.style])
        if block.label:
            p.add_run(block.label.rstrip() + ("\t" if block.style == d.FIELD else " ")).bold = True
        p.add_run(block.text)
        p.paragraph_format.keep_with_next = keep or None
    elif isinstance(block, d.Table):
        _table(doc, block, keep)
    elif isinstance(block, d.Image):
        p = doc.add_paragraph()
        p.paragraph_format.keep_with_next = keep or None
        shape = p.add_run().add_picture(io.BytesIO(block.png), width=Cm(block.width_cm))
        shape._inline.docPr.set("descr", block.description)
    elif isinstance(block, d.PageBreak):
        doc.add_page_break()
    elif isinstance(block, d.KeepTogether):
        for i, inner in enumerate(block.blocks):
            _add(doc, inner, keep=keep or i < len(block.blocks) - 1)


def render(document: d.Document) -> bytes:
    """The document as DOCX bytes."""
    doc = new_document()
    _styles(doc)
    _page(doc, document.footer)
    props = doc.core_properties
    props.title, props.subject, props.author = document.title, document.subject, document.author
    props.language = "da-DK"
    for block in document.blocks:
        _add(doc, block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()
