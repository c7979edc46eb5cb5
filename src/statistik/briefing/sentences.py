"""The summary in Danish sentences, generated from the numbers: direction, size, chance, targets.

Sentences speak of the district. They never give a percent on a base of 0, say "få tilfælde"
when a count is below 10, and show a hidden count as the document does everywhere ('<5').
"""

from __future__ import annotations

from statistik import config, formatting
from statistik.briefing.targets import TargetCells
from statistik.briefing.sections import Figures, Section
from statistik.metrics import expected as me

# How a count of a category reads in a sentence: "24 indbrud".
COUNT_NOUNS = {"1320": "indbrud", "12": "voldsforbrydelser"}
SMALL_NOTE = "Der er få tilfælde, så tallene skal fortolkes varsomt."
NO_FIGURES = "ingen tal endnu (politiets egne tal er ikke uploadet)"
EARLIER = {"M": "samme måned de foregående år", "Q": "samme kvartal de foregående år", "Y": "de foregående år"}


def _source_note(figures: Figures) -> str:
    return "" if figures.source == config.DST_SOURCE else f" ({figures.source})"


def _amount(figures: Figures, span, label: str) -> str:
    """'398 i 4. kvt. 2025' or 'et skjult antal i …'."""
    if figures.book.suppression.hides(span):
        return f"et skjult antal i {label}"
    return f"{figures.book.show(span)} i {label}"


def change_sentences(figures: Figures, title: str) -> list[str]:
    """'Indbrud i beboelser steg fra 239 i 4. kvt. 2024 til 398 i 4. kvt. 2025 (+66,5 %).' and the verdict."""
    row, book = figures.district, figures.book
    now, before = figures.period.label, figures.previous_period.label
    if book.suppression.hides(row.current, row.previous):
        return [f"{title}: {_amount(figures, row.current, now)}{_source_note(figures)} mod "
                f"{_amount(figures, row.previous, before)}. Ændringen vises ikke, fordi et tal er skjult."]
    current, previous = book.count(row.current), book.count(row.previous)
    if previous is None:
        return [f"{title}: {formatting.number(current)} i {now}{_source_note(figures)}. "
                f"Der er ingen tal for {before} at sammenligne med."]
    change = figures.change(row)
    small = [SMALL_NOTE] if figures.small(row) else []
    if change.absolute == 0:
        return [f"{title} er uændret: {formatting.number(current)} i både {before} og {now}"
                f"{_source_note(figures)}.", *verdict_sentences(figures, row), *small]
    verb, noun = ("steg", "Stigningen") if change.absolute > 0 else ("faldt", "Faldet")
    pct = f" ({formatting.percent(change.pct / 100)})" if change.pct is not None else ""
    first = (f"{title} {verb} fra {formatting.number(previous)} i {before} til "
             f"{formatting.number(current)} i {now}{_source_note(figures)}{pct}.")
    return [first, *verdict_sentences(figures, row), *small]


def verdict_sentences(figures: Figures, row) -> list[str]:
    """'Stigningen kan skyldes tilfældig variation.' and where the count lies against the expected range."""
    verdict = figures.verdict(row)
    if verdict is None:
        return []
    out = [f"{verdict.chance_words}."] if verdict.change else []
    if verdict.position is not None:
        low, high = formatting.number(verdict.expected_low), formatting.number(verdict.expected_high)
        out.append(f"Antallet ligger {me.WORDS[verdict.position]} ud fra {EARLIER[figures.period.kind]} "
                   f"({low}–{high}).")
    return out


def section_sentences(section: Section, period_label: str | None = None) -> list[str]:
    """The sentences of one focus trend (its figures, or that it has none and its broader category)."""
    title = section.trend.title
    if section.figures is not None:
        return change_sentences(section.figures, title)
    missing = f"ingen tal for {period_label}" if period_label else NO_FIGURES
    out = [f"{title}: {missing}."]
    if section.context is not None:
        out += change_sentences(section.context, f"Den bredere kategori {section.context.name}")
    return out


def _target_noun(label: str) -> str:
    """'Partnerskabsmål: under 30 …' → 'partnerskabsmålet'; otherwise 'målet'."""
    head = label.split(":", 1)[0].strip()
    return head[0].lower() + head[1:] + "et" if ":" in label and head.lower().endswith("mål") else "målet"


def target_sentences(cells: TargetCells, latest: bool = True) -> list[str]:
    """'Dragør nåede partnerskabsmålet: 24 indbrud i de seneste 12 måneder (mål: under 30).'"""
    noun = _target_noun(cells.label)
    if cells.count is None:
        return [f"{cells.area_name}: {noun} kan ikke opgøres, fordi der mangler tal."]
    months = 12 if cells.target.period_kind == "Y" else None
    when = (f"i de seneste {months} måneder" if latest else f"i de {months} måneder til og med {cells.end.label}") \
        if months else f"til og med {cells.end.label}"
    if cells.hidden:
        first = (f"{cells.area_name}: om {noun} er nået {when} (mål: {cells.limit_text}), oplyses ikke, "
                 "fordi antallet er skjult.")
    else:
        things = COUNT_NOUNS.get(cells.target.category, "anmeldelser")
        verb = "nåede" if cells.met else "nåede ikke"
        first = f"{cells.area_name} {verb} {noun}: {cells.book.show(cells.window)} {things} {when} (mål: {cells.limit_text})."
    return [first, f"Opgjort for {cells.window_label}."]


def summary(sections: list[Section], targets: list[TargetCells], period_label: str | None = None) -> list[str]:
    """One bullet per focus trend and per target."""
    bullets = [" ".join(section_sentences(s, period_label)) for s in sections]
    bullets += [" ".join(target_sentences(t, latest=period_label is None)) for t in targets]
    return bullets
