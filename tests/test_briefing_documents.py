"""The briefing files read back: PDF text, pages and images (pypdf); Word headings, tables and pictures (python-docx).

These tests start a real headless Chromium through Kaleido (apt-get install chromium); each
document renders its charts in one browser session.
"""

from __future__ import annotations

import datetime as dt
import io
import re

import docx
import kaleido
import pytest
from pypdf import PdfReader

from conftest import TODAY, counting_kaleido
from statistik.briefing import MEDIA_TYPES, briefing_bytes, make_briefing

MEETING = dt.date(2026, 1, 15)
MUNICIPALITIES = ["København", "Frederiksberg", "Dragør", "Tårnby"]
DISTRICT_ROW = "Københavns Politikreds"
A4 = (595.3, 841.9)


CountingKaleido = counting_kaleido()




@pytest.fixture(scope="module")
def pdf(police_store, tmp_path_factory):
    """The PDF for the meeting, with the browser starts counted: (reader, text, starts, renders)."""
    out = tmp_path_factory.mktemp("pdf") / "bilag.pdf"
    CountingKaleido.opened = CountingKaleido.rendered = 0
    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(kaleido, "Kaleido", CountingKaleido)
        assert make_briefing(police_store, MEETING, out, today=TODAY) == out
    reader = PdfReader(str(out))
    text = "\n".join(page.extract_text() for page in reader.pages)
    return reader, text, CountingKaleido.opened, CountingKaleido.rendered


@pytest.fixture(scope="module")
def word(police_store):
    return docx.Document(io.BytesIO(briefing_bytes(police_store, MEETING, "docx", today=TODAY)))


@pytest.fixture(scope="module")
def suppressed_pdf_text(police_store):
    data = briefing_bytes(police_store, MEETING, "pdf", period="2025K3", suppress_below=5, today=TODAY)
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture(scope="module")
def suppressed_word(police_store):
    return docx.Document(io.BytesIO(
        briefing_bytes(police_store, MEETING, "docx", period="2025K3", suppress_below=5, today=TODAY)))


def municipality_tables(document) -> list[list[list[str]]]:
    """Every table with a row per municipality and the district, as rows of cell texts."""
    out = []
    for table in document.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if [r[0] for r in rows[1:]] == [*MUNICIPALITIES, DISTRICT_ROW]:
            out.append(rows)
    return out


# --- PDF ------------------------------------------------------------------------------------------------

def test_pdf_front_page_names_the_meeting_district_period_and_status(pdf):
    reader, text, _, _ = pdf
    first = " ".join(reader.pages[0].extract_text().split())
    assert "Lokal kriminalitetsstatistik" in first
    assert "Bilag til kredsrådsmødet 15. januar 2026" in first
    assert "Københavns Politikreds (København, Frederiksberg, Dragør og Tårnby)" in first
    assert "4. kvt. 2025 (Danmarks Statistik, kvartalstal)" in first
    assert "sep. 2025 (Københavns Politi, månedstal)" in first
    assert "Datastatus" in first
    assert "Udarbejdet: 25. november 2026 af Københavns Politi, Analyse" in first
    assert "Udkast — ikke offentliggjort" in first                   # a draft says so
    assert ".csv" not in first and "root" not in first                # the data in words, no machine user
    assert reader.metadata.author == "Københavns Politi, Analyse"


def test_pdf_has_the_figures_sentences_and_source_lines(pdf):
    _, text, _, _ = pdf
    flat = " ".join(text.split())
    assert "Indbrud i beboelser steg fra 239 i 4. kvt. 2024 til 398 i 4. kvt. 2025 (+66,5 %)." in flat
    assert "Stigningen kan skyldes tilfældig variation." in flat              # +66,5 % within normal variation
    assert "inden for det forventede ud fra samme kvartal de foregående år (120–549)" in flat
    assert "Dragør nåede partnerskabsmålet: 24 indbrud i de seneste 12 måneder (mål: under 30)." in flat
    assert "Kilde: Danmarks Statistik (STRAF11, FOLK1A)" in flat
    assert "egne beregninger" in flat
    assert "Ingen tal er revideret" in flat
    assert re.search(r"Københavns Politikreds 398 239 \+159 \+66,5 % 1\.155", flat)


def test_pdf_is_a4_with_page_numbers_bookmarks_and_danish_letters(pdf):
    reader, text, _, _ = pdf
    pages = len(reader.pages)
    for page in reader.pages:
        assert (round(float(page.mediabox.width), 1), round(float(page.mediabox.height), 1)) == A4
    assert f"Side 1 af {pages}" in text and f"Side {pages} af {pages}" in text
    outline = [item.title for item in reader.outline if not isinstance(item, list)]
    assert outline[:4] == ["Datastatus", "Sammenfatning", "Overblik", "Tendenser"]
    flat = " ".join(text.split())
    assert "Mødedato" in flat and "Tårnby" in flat and "Større end tilfældig variation" in flat


def test_pdf_charts_are_embedded_at_print_resolution_from_one_browser_session(pdf):
    reader, _, opened, rendered = pdf
    images = [image for page in reader.pages for image in page.images]
    assert len(images) == rendered == 3                 # burglary, violence, the Dragør target
    assert opened == 1
    for image in images:
        assert image.image.width >= 1900                # 16 cm wide: 300 dpi


# --- Word ------------------------------------------------------------------------------------------------

def test_word_has_real_headings(word):
    by_style = {}
    for p in word.paragraphs:
        by_style.setdefault(p.style.name, []).append(p.text)
    assert by_style["Title"] == ["Lokal kriminalitetsstatistik"]
    assert by_style["Subtitle"] == ["Bilag til kredsrådsmødet 15. januar 2026"]
    assert by_style["Heading 1"] == ["Sammenfatning", "Overblik", "Tendenser", "Mål", "Noter"]
    for title in ["Kontaktbedrageri", "Opioider", "Lomme- og tricktyveri", "Indbrud i beboelser",
                  "Voldsforbrydelser", "Revisioner siden forrige bilag", "Små tal (diskretionering)"]:
        assert title in by_style["Heading 2"]


def test_word_tables_are_real_tables_with_the_figures(word):
    burglary = next(t for t in municipality_tables(word) if t[0][1:3] == ["4. kvt. 2025", "4. kvt. 2024"]
                    and t[-1][1] == "398")
    assert burglary[-1][:6] == [DISTRICT_ROW, "398", "239", "+159", "+66,5 %", "1.155"]
    assert burglary[3][:3] == ["Dragør", "10", "6"]
    overview = next(t for t in word.tables if t.rows[0].cells[0].text == "Tendens")
    assert [c.text for c in overview.rows[4].cells][:4] == ["Indbrud i beboelser", "4. kvt. 2025", "398", "239"]


def test_word_is_a4_with_charts_as_pictures_and_page_numbers(word):
    section = word.sections[0]
    assert round(section.page_width.cm, 1) == 21.0 and round(section.page_height.cm, 1) == 29.7
    assert round(section.left_margin.cm, 1) == 2.0
    assert len(word.inline_shapes) == 3
    assert max(round(s.width.cm, 1) for s in word.inline_shapes) == 16.0
    footer = section.footer.paragraphs[0]._p.xml
    assert 'w:instr="PAGE"' in footer and 'w:instr="NUMPAGES"' in footer
    assert word.core_properties.language == "da-DK"
    assert word.core_properties.author == "Københavns Politi, Analyse"


def test_media_types_for_downloads():
    assert MEDIA_TYPES["pdf"] == "application/pdf"
    assert MEDIA_TYPES["docx"].endswith("wordprocessingml.document")


# --- suppression ----------------------------------------------------------------------------------------

def test_suppressed_small_counts_show_as_one_mark_everywhere(suppressed_word, suppressed_pdf_text):
    tables = municipality_tables(suppressed_word)
    burglary = next(t for t in tables if t[0][1] == "3. kvt. 2025" and t[-1][1] == "262")
    assert burglary[3][1] == "skjult"                   # Dragør: 3 burglaries
    # Dragør's small counts appear as numbers nowhere: not in a table, not in the PDF's text.
    for table in tables:
        dragoer = table[3]
        assert not any(re.fullmatch(r"[1-4]", cell) for cell in dragoer), dragoer
    for line in suppressed_pdf_text.splitlines():
        if line.startswith("Dragør "):
            assert not set(line.split()[1:]) & {"1", "2", "3", "4"}, line
    assert "<5" not in suppressed_pdf_text and "skjult" in suppressed_pdf_text
    assert "Grafen udelader" in suppressed_pdf_text
    assert "0 vises og skjules ikke" in " ".join(suppressed_pdf_text.split())


def test_a_single_hidden_cell_cannot_be_recovered_from_the_district_total(suppressed_word):
    checked = 0
    for table in municipality_tables(suppressed_word):
        header, *rows = table
        for column in range(1, len(header) - 2):          # counts, change, percent, 12 months
            total = rows[-1][column]
            if total in ("–", "skjult"):
                continue
            hidden = [r[0] for r in rows[:-1] if r[column] == "skjult"]
            assert len(hidden) != 1, (header[column], hidden)
            checked += bool(hidden)
    assert checked >= 3


def test_pdf_says_its_title_and_language_for_screen_readers(pdf):
    reader, _, _, _ = pdf
    catalog = reader.trailer["/Root"]
    assert catalog["/Lang"] == "da-DK"
    assert bool(catalog["/ViewerPreferences"]["/DisplayDocTitle"])           # the title, not the file name
    assert reader.metadata.title.startswith("Lokal kriminalitetsstatistik")
