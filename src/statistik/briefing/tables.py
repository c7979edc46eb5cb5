"""The briefing's tables: a trend by municipality, the overview, data status and revisions."""

from __future__ import annotations

from statistik import config, districts, formatting
from statistik.briefing.content import Revision
from statistik.briefing.datastatus import SourceStatus
from statistik.briefing.document import Table
from statistik.briefing.sections import Figures, Section
from statistik.briefing.suppression import HIDDEN_MARK
from statistik.charts.style import source_line

SMALL_MARK = "*"
SMALL_FOOTNOTE = "* Få tilfælde (under 10) — fortolk varsomt."
DASH_NOTE = ("– betyder intet tal, eller ingen procent, fordi et af de to tal er under 10 (eller "
             "sammenligningsperioden har 0 tilfælde).")


def short_source(source: str) -> str:
    """'DST' for Danmarks Statistik, 'Politiet' for the district's police, any other source as it is."""
    return {config.DST_SOURCE: "DST", districts.current().police: "Politiet"}.get(source, source)


def _change_cells(figures: Figures, row) -> list[str]:
    """Change, percent and verdict of a row: '–' when a count is missing, hidden when a count behind them is."""
    counts = [figures.book.count(row.current), figures.book.count(row.previous)]
    change = figures.change(row)
    if change is None:
        return ["–"] * 3 if None in counts else [HIDDEN_MARK] * 3
    judged = figures.verdict(row)
    verdict = "–" if judged is None else ("ja" if judged.significant else "nej")
    if judged is not None and figures.small(row):
        verdict += f" {SMALL_MARK}"
    pct = formatting.percent(change.pct / 100) if change.pct is not None else "–"
    return [formatting.signed(change.absolute), pct, verdict]


def _rate_cell(figures: Figures, row) -> str:
    if figures.book.suppression.hides(figures.rate_span(row)):
        return HIDDEN_MARK
    rate = figures.rate(row)
    return "–" if rate is None else formatting.number(rate, 1)


def _without_empty_columns(columns: list[tuple[str, float, str]], rows: list[list[str]]):
    """Leave out the columns (after the first two) that have no figure in any row."""
    keep = [i for i in range(len(columns)) if i < 2 or any(r[i] != "–" for r in rows)]
    return [columns[i] for i in keep], [[r[i] for i in keep] for r in rows]


def trend_table(figures: Figures) -> Table:
    """Municipalities and the district: period, a year before, change, percent, 12 months, rate, verdict."""
    book = figures.book
    with_rolling = figures.district.rolling is not None
    columns = [("Område", 4.0, "l"), (figures.period.label, 1.7, "r"), (figures.previous_period.label, 1.7, "r"),
               ("Ændring", 1.7, "r"), ("Ændring i %", 1.7, "r")]
    if with_rolling:
        columns.append((f"12 mdr. til {figures.period.label}", 2.0, "r"))
    columns += [("Pr. 100.000 indb.", 1.9, "r"), ("Større end tilfældig variation?", 2.3, "c")]
    rows = []
    for row in figures.rows:
        change, pct, verdict = _change_cells(figures, row)
        cells = [row.name, book.show(row.current), book.show(row.previous), change, pct]
        if with_rolling:
            cells.append(book.show(row.rolling))
        rows.append([*cells, _rate_cell(figures, row), verdict])
    columns, rows = _without_empty_columns(columns, rows)
    header = [c[0] for c in columns]
    years = sorted({r.population[1] for r in figures.rows if r.population})
    own = book.district
    notes = [f"{own.name} er summen af {own.members_phrase}."
             + (" Ændringen er i forhold til samme periode året før; om den er større end tilfældig variation, "
                "er vurderet mod den normale variation fra år til år (se Metode i Noter)."
                if "Ændring" in header else "")]
    if "Pr. 100.000 indb." in header and years:
        notes.append(f"Rate: anmeldelser {'i de 12 måneder' if with_rolling else 'i perioden'} pr. 100.000 "
                     f"indbyggere med folketallet 1. januar {', '.join(map(str, years))} (FOLK1A).")
    if any(SMALL_MARK in c for r in rows for c in r[1:]):
        notes.append(SMALL_FOOTNOTE)
    if any(c == "–" for r in rows for c in r):
        notes.append(DASH_NOTE)
    if book.suppression.active and any(book.suppression.hides(s) for r in figures.rows
                                       for s in (r.current, r.previous, r.rolling) if s):
        notes.append(suppression_note(book.suppression.below))
    return Table(header, rows, [c[1] for c in columns], [c[2] for c in columns], bold_rows={len(rows) - 1},
                 notes=notes, source=source_line([figures.source], computed=True, rates="Pr. 100.000 indb." in header))


def suppression_note(below: int) -> str:
    """The key to hidden cells under a table."""
    return (f"«{HIDDEN_MARK}»: tallet er skjult, enten fordi det er fra 1 til {below - 1}, eller for at et lille tal "
            "ikke kan regnes ud af summer; begge vises ens. Det gælder også ændringer, procenter og rater af "
            "skjulte tal.")


def overview_table(sections: list[Section]) -> Table:
    """Every focus trend for the district: period, count, a year before, percent, verdict, 12 months, source."""
    header = ["Tendens", "Periode", "Antal", "Året før", "Ændring i %", "Større end tilfældig variation?",
              "12 mdr.", "Kilde"]
    rows, italic, sources = [], set(), []
    for section in sections:
        shown = [(section.trend.title, section.figures)] if section.figures else []
        if section.figures is None:
            rows.append([section.trend.title, "–", "–", "–", "–", "–", "–", "ingen tal"])
            if section.context is not None:
                shown = [(f"{section.context.name} (bredere kategori)", section.context)]
        for title, figures in shown:
            row = figures.district
            _, pct, verdict = _change_cells(figures, row)
            if section.figures is None:
                italic.add(len(rows))
            rows.append([title, figures.period.label, figures.book.show(row.current),
                         figures.book.show(row.previous), pct, verdict,
                         figures.book.show(row.rolling) if row.rolling else "–",
                         short_source(figures.source)])
            sources.append(figures.source)
    own = districts.current()
    notes = [f"Tal for hele {own.name}; ændringen er i forhold til samme periode året før. "
             f"DST = Danmarks Statistik (STRAF11, kvartalstal); Politiet = {own.police}s egne månedstal."]
    if italic:
        notes.append("Kursiv: den bredere kategori hos Danmarks Statistik, vist fordi tendensen selv ikke har tal.")
    if any(SMALL_MARK in r[5] for r in rows):
        notes.append(SMALL_FOOTNOTE)
    notes.append(DASH_NOTE)
    return Table(header, rows, [4.2, 2.0, 1.6, 1.6, 1.8, 2.4, 1.7, 1.7], ["l", "l", "r", "r", "r", "c", "r", "l"],
                 italic_rows=italic, notes=notes, source=source_line(sources or [config.DST_SOURCE], computed=True))


def status_table(statuses: list[SourceStatus], first_briefing: bool) -> Table:
    """Per source: kind of figures, first and latest period for the whole district, last import, imports since."""
    since = "Importer i alt" if first_briefing else "Importer siden forrige bilag"
    rows = [[s.source, s.kind_name, s.first.label, s.latest.label,
             formatting.timestamp(s.last_import) if s.last_import is not None else "–",
             formatting.number(s.imports_since)] for s in statuses]
    return Table(["Kilde", "Tal", "Første periode", "Seneste periode", "Seneste import", since], rows,
                 [3.8, 2.2, 2.6, 2.6, 3.2, 2.6], ["l"] * 5 + ["r"],
                 notes=[f"Seneste periode: den seneste periode, hvor {districts.current().needed_phrase} "
                        f"{'kommuner ' if len(districts.current().municipalities) > 1 else ''}har tal."])


def revisions_table(revisions: list[Revision], limit: int) -> Table:
    """Revised figures: period, municipality, category, before and now, when imported.

    "Før" is printed only when some publication printed it (hidden otherwise): the value the
    figure had then is a figure too.
    """
    rows = [[r.period.label, r.area_name, r.category_name, r.old_text, r.book.show(r.span),
             formatting.timestamp(r.time)] for r in revisions[:limit]]
    notes = [f"Og {formatting.number(len(revisions) - limit)} revisioner mere (se siden Datastatus)."] \
        if len(revisions) > limit else []
    return Table(["Periode", "Kommune", "Kategori", "Før", "Nu", "Importeret"], rows,
                 [2.4, 2.8, 4.6, 1.7, 1.7, 3.8], ["l", "l", "l", "r", "r", "r"], notes=notes)
