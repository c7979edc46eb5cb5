"""The briefing's blocks in order: front page, summary, overview, a section per trend, targets, notes."""

from __future__ import annotations

import plotly.graph_objects as go

from statistik import config, districts, formatting
from statistik.briefing import charts
from statistik.briefing.content import Briefing
from statistik.briefing.document import (
    BULLET, FIELD, LEAD, NOTE, SUBTITLE, TITLE, Document, Heading, Image, KeepTogether, PageBreak, Paragraph,
)
from statistik.briefing.notes import notes
from statistik.briefing.sections import MIN_CHART_POINTS, Section
from statistik.briefing.suppression import HIDDEN_MARK
from statistik.briefing.sentences import change_sentences, target_sentences, section_sentences, summary
from statistik.briefing.tables import overview_table, status_table, trend_table
from statistik.periods import Period

TITLE_TEXT = "Lokal kriminalitetsstatistik"
CHART_CM = 16.0
TARGET_CHART_CM = 14.0
DRAFT_TEXT = "Udkast — ikke offentliggjort"


def subtitle(b: Briefing) -> str:
    """'Bilag til kredsrådsmødet 15. januar 2026'."""
    return f"Bilag til kredsrådsmødet {formatting.date(b.meeting)}"


def chart_figures(b: Briefing) -> dict[tuple, go.Figure]:
    """Every chart of the briefing by key: ('trend', category) and ('target', index)."""
    out: dict[tuple, go.Figure] = {}
    for s in b.sections:
        if s.figures is not None and s.figures.chart_starts:
            out[("trend", s.trend.category)] = charts.trend_chart(s.figures, b.annotations)
    for i, cells in enumerate(b.targets):
        if cells.book is not None and cells.years:
            out[("target", i)] = charts.target_chart(cells)
    return out


def _period_text(b: Briefing) -> str:
    if b.period is not None:
        previous = Period(b.period.kind, b.period.start.replace(year=b.period.start.year - 1))
        return (f"{b.period.label} (valgt), sammenlignet med {previous.label}. "
                "Datastatus nedenfor viser den seneste periode for hver kilde.")
    joined = formatting.and_list(f"{s.latest.label} ({s.source}, {s.kind_name})" for s in b.sources)
    return f"{joined or 'ingen tal'}, sammenlignet med samme periode året før."


def _times(n: int) -> str:
    return f"{formatting.number(n)} {'gang' if n == 1 else 'gange'}"


def _imports_text(b: Briefing) -> str:
    """The imports behind the figures, in words (which sources, how often), never as file names."""
    n = len(b.imports)
    by_source = b.imports.groupby("source", sort=False).size() if n else {}
    sources = formatting.and_list(f"{_times(int(k))} fra {source}" for source, k in
                                  sorted(dict(by_source).items(), key=lambda i: i[0] != config.DST_SOURCE))
    if b.previous is None:
        return ("Der er ikke lavet et endeligt bilag til et tidligere møde med denne database. "
                f"Tallene er indlæst {sources}." if n else "Der er ikke indlæst tal endnu.")
    head = (f"Siden forrige bilag (kredsrådsmødet {formatting.date(b.previous.meeting_date)}, gjort endeligt "
            f"{formatting.timestamp(b.previous.created_at)})")
    if n == 0:
        return f"{head} er der ikke indlæst nye tal."
    new, changed = int(b.imports["cells_new"].sum()), int(b.imports["cells_changed"].sum())
    return (f"{head} er der indlæst tal {sources}: {formatting.number(new)} nye og "
            f"{formatting.number(changed)} ændrede tal.")


def front_page(b: Briefing) -> list:
    """Title, district, meeting date, period covered, who made it, data status; a draft says so."""
    small = (f"antal fra 1 til {b.below - 1} er skjult (vist som «{HIDDEN_MARK}», ligesom de tal, der er skjult "
             "for at beskytte dem); se Noter." if b.below else "ikke skjult.")
    since = " siden forrige bilag" if b.previous else ""
    revised = f"{formatting.number(len(b.revisions))} tal er revideret{since}; se Noter." \
        if b.revisions else f"Ingen tal er revideret{since}."
    return [
        Paragraph(TITLE_TEXT, TITLE),
        Paragraph(subtitle(b), SUBTITLE),
        Paragraph("Endeligt bilag" if b.final else DRAFT_TEXT, FIELD, label="Status: "),
        Paragraph(f"{b.district_name} ({formatting.and_list(b.member_names)})", FIELD, label="Politikreds: "),
        Paragraph(formatting.date(b.meeting), FIELD, label="Mødedato: "),
        Paragraph(_period_text(b), FIELD, label="Periode: "),
        Paragraph(f"{formatting.date(b.today)} af {b.organisation}", FIELD, label="Udarbejdet: "),
        Paragraph(small[0].upper() + small[1:], FIELD, label="Små tal: "),
        Heading("Datastatus", 2),
        status_table(b.sources, b.previous is None),
        Paragraph(_imports_text(b)),
        Paragraph(revised),
        PageBreak(),
    ]


def _chart(images: dict, key: tuple, width: float, describe) -> list:
    """The rendered chart with its text alternative (every point, hidden ones as hidden), if it was drawn."""
    return [Image(images[key], width, describe())] if key in images else []


def trend_section(b: Briefing, s: Section, images: dict) -> list:
    """A focus trend: heading, why, what happened, chart, table; or the empty state with its broader category."""
    head = [Heading(s.trend.title, 2), Paragraph(s.trend.why, LEAD)]
    f = s.figures
    if f is None:
        text = (f"Ingen tal for {b.period.label}." if b.period else
                "Ingen tal endnu. Tallene kommer fra politiets egne opgørelser; en analytiker uploader dem som CSV.")
        blocks = [*head, Paragraph(text)]
        if s.context is not None:
            ctx = s.context
            blocks += [Paragraph(f"Til sammenligning vises den bredere kategori hos Danmarks Statistik, {ctx.name}, "
                                 f"som {s.trend.title.lower()} er en del af. "
                                 + " ".join(change_sentences(ctx, ctx.name))),
                       trend_table(ctx)]
        return [KeepTogether(blocks)]
    body = [Paragraph(" ".join(section_sentences(s)))]
    key = ("trend", s.trend.category)
    chart = _chart(images, key, CHART_CM, lambda: charts.trend_text(f))
    notes = []
    if not f.chart_starts:
        notes.append(Paragraph(f"Ingen graf: der er tal for færre end {MIN_CHART_POINTS} perioder.", NOTE))
    elif b.below and (hidden := charts.hidden_points(f)):
        notes.append(Paragraph(f"Grafen udelader {formatting.number(hidden)} punkter, fordi tallene er skjulte "
                               "(små tal, eller skjult så et lille tal ikke kan regnes ud).", NOTE))
    return [KeepTogether([*head, *body, *chart, *notes, trend_table(f)])]


def targets_chapter(b: Briefing, images: dict) -> list:
    """Each target: the sentence, and its years against the limit."""
    if not b.targets:
        return []
    out = [Heading("Mål", 1)]
    for i, cells in enumerate(b.targets):
        block = [Heading(cells.label, 2), Paragraph(" ".join(target_sentences(cells, latest=b.period is None)))]
        block += _chart(images, ("target", i), TARGET_CHART_CM, lambda: charts.target_text(cells))
        if cells.book is not None and (years := charts.hidden_years(cells)):
            block.append(Paragraph(f"Årene {', '.join(map(str, years))} er udeladt, fordi tallet er skjult.", NOTE))
        out.append(KeepTogether(block))
    return out


def build(b: Briefing, images: dict[tuple, bytes]) -> Document:
    """The whole briefing as blocks, with the rendered charts."""
    doc = Document(title=TITLE_TEXT, subject=subtitle(b), author=b.organisation,
                   footer=f"{TITLE_TEXT} · {subtitle(b)}" + ("" if b.final else f" · {DRAFT_TEXT}"))
    doc.add(*front_page(b))
    period_label = b.period.label if b.period else None
    lead = ("Tal for hele kredsen, " + (f"{period_label}" if period_label else "seneste periode for hver tendens")
            + ", mod samme periode året før.")
    doc.add(Heading("Sammenfatning", 1), Paragraph(lead, LEAD),
            *(Paragraph(text, BULLET) for text in summary(b.sections, b.targets, period_label)))
    doc.add(Heading("Overblik", 1), overview_table(b.sections))
    doc.add(PageBreak(), Heading("Tendenser", 1),
            Paragraph(f"Kredsen og {districts.current().members_phrase}: udviklingen over omkring tre år og den "
                      "seneste periode mod samme periode året før.", LEAD))
    for s in b.sections:
        doc.add(*trend_section(b, s, images))
    doc.add(*targets_chapter(b, images))
    doc.add(*notes(b))
    return doc
