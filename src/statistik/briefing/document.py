"""The briefing as a list of neutral blocks (headings, paragraphs, tables, images) that each writer lays out."""

from __future__ import annotations

from dataclasses import dataclass, field

# Paragraph styles every writer knows.
TITLE, SUBTITLE, BODY, LEAD, BULLET, NOTE, SOURCE, FIELD = (
    "title", "subtitle", "body", "lead", "bullet", "note", "source", "field")


@dataclass
class Heading:
    """A heading: level 1 (chapter) or 2 (section)."""

    text: str
    level: int = 1


@dataclass
class Paragraph:
    """Text in one of the styles above; `label` is a bold lead-in ('Mødedato: ')."""

    text: str
    style: str = BODY
    label: str | None = None


@dataclass
class Table:
    """A real table: header row, body rows of text, column widths in cm (shrunk to fit), alignment ('l', 'r', 'c')."""

    header: list[str]
    rows: list[list[str]]
    widths: list[float]
    align: list[str]
    bold_rows: set[int] = field(default_factory=set)     # indexes into rows (e.g. the district total)
    italic_rows: set[int] = field(default_factory=set)   # e.g. a broader category shown for context
    notes: list[str] = field(default_factory=list)       # under the table, small
    source: str | None = None                            # "Kilde: …" under the notes

    def __post_init__(self) -> None:
        if not (len(self.header) == len(self.widths) == len(self.align)):
            raise ValueError("Tabellens overskrift, bredder og taltyper skal have samme længde.")
        if any(len(r) != len(self.header) for r in self.rows):
            raise ValueError("Alle rækker i en tabel skal have lige mange celler.")


@dataclass
class Image:
    """A chart as PNG (print resolution), placed `width_cm` wide."""

    png: bytes
    width_cm: float
    description: str


@dataclass
class PageBreak:
    """Start a new page."""


@dataclass
class KeepTogether:
    """Blocks that should not be split over two pages (a heading and its chart)."""

    blocks: list


@dataclass
class Document:
    """Metadata, the running footer text and the blocks."""

    title: str
    subject: str
    author: str
    footer: str
    blocks: list = field(default_factory=list)

    def add(self, *blocks) -> None:
        """Append blocks."""
        self.blocks.extend(blocks)

    def texts(self) -> list[str]:
        """Every text in reading order (headings, paragraphs, table cells), for checks and tests."""
        out: list[str] = []

        def walk(blocks):
            for b in blocks:
                if isinstance(b, Heading):
                    out.append(b.text)
                elif isinstance(b, Paragraph):
                    out.append((b.label or "") + b.text)
                elif isinstance(b, Table):
                    out.extend([*b.header, *(c for r in b.rows for c in r), *b.notes, b.source or ""])
                elif isinstance(b, KeepTogether):
                    walk(b.blocks)
        walk(self.blocks)
        return out
