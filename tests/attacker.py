"""An attacker who has nothing but the published briefings (DOCX) and an integer-programming solver.

Written as a reader would work, without the suppression code: every number in the tables and
sentences is parsed from text, every labelled period turned into the stored periods it sums
(quarters for Danmarks Statistik, months for the police), and all documents become one
system of linear constraints over non-negative integer unknowns (one per municipality,
series and stored period):

- a printed count: the sum of its periods equals it; the district row is the sum of the four;
- a printed change: current − previous; a percent (one decimal): the change within ±0,05 % of
  the previous count; a rate per 100.000 (one decimal) with FOLK1A's published population: the
  count within ±0,05 · population / 100.000;
- the target sentence: Dragør's burglaries over the window it names;
- each chart's text alternative (the image description): every point it draws;
- 'skjult' tells only that the cell is hidden (the attacker does not know which are small).

`intervals()` then solves min and max of every hidden cell over all documents together.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
from dataclasses import dataclass, field

import docx
import numpy as np
from docx.table import Table
from docx.text.paragraph import Paragraph
from scipy.optimize import Bounds, LinearConstraint, milp
from scipy.sparse import lil_array

MUNICIPALITIES = ("København", "Frederiksberg", "Dragør", "Tårnby")
DISTRICT = "Københavns Politikreds"
MONTHS = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "jun": 6, "jul": 7, "aug": 8, "sep": 9, "okt": 10,
          "nov": 11, "dec": 12}
LABEL = r"(?:\d\. kvt\. \d{4}|[a-zæøå]{3}\.? \d{4}|\d{4})"
HIDDEN = "skjult"
ALIASES = {"Voldsforbrydelser i alt": "Voldsforbrydelser"}     # a category's name and its trend's title


def period(label: str) -> tuple[dt.date, int] | None:
    """'3. kvt. 2025' → (2025-07-01, 3 months); 'sep. 2025' → (…, 1); '2025' → (…, 12)."""
    label = label.strip()
    if m := re.fullmatch(r"(\d)\. kvt\. (\d{4})", label):
        return dt.date(int(m[2]), 3 * int(m[1]) - 2, 1), 3
    if m := re.fullmatch(r"([a-zæøå]{3})\.? (\d{4})", label):
        return dt.date(int(m[2]), MONTHS[m[1]], 1), 1
    if m := re.fullmatch(r"(\d{4})", label):
        return dt.date(int(m[1]), 1, 1), 12
    return None


def add_months(day: dt.date, months: int) -> dt.date:
    total = day.year * 12 + day.month - 1 + months
    return dt.date(total // 12, total % 12 + 1, 1)


def ending_with(label: str, months: int = 12) -> tuple[dt.date, int]:
    """The `months` months that end with a labelled period."""
    start, length = period(label)
    return add_months(start, length - months), months


def _pin(rows: list) -> tuple[dict[int, float], list]:
    """Substitute every unknown a row pins alone (a printed single period), until none is left to pin."""
    fixed: dict[int, float] = {}
    while True:
        rest, pinned = [], False
        for coefficients, low, high in rows:
            free = {i: c for i, c in coefficients.items() if i not in fixed}
            shift = sum(c * fixed[i] for i, c in coefficients.items() if i in fixed)
            low, high = low - shift, high - shift
            if len(free) == 1 and low == high:
                (i, c), = free.items()
                value = low / c
                if abs(value - round(value)) < 1e-9:
                    fixed[i] = round(value)
                    pinned = True
                    continue
            if free:
                rest.append((free, low, high))
        rows = rest
        if not pinned:
            return fixed, rows


def number(text: str) -> float | None:
    """'1.234' → 1234, '−4' → −4, '+5,1 %' → 5.1, '111,1' → 111.1; None for '–' or 'skjult'."""
    text = text.replace("\u2212", "-").replace("%", "").replace(".", "").replace(",", ".").strip()
    try:
        return float(text)
    except ValueError:
        return None


@dataclass(frozen=True)
class Span:
    """A count a document prints (or hides): a series, an area (or the district), months from a start."""

    series: tuple[str, str]          # (category name as printed, source)
    area: str
    start: dt.date
    months: int


@dataclass
class Attack:
    """Everything read so far, as linear constraints over the unknowns."""

    population: dict[tuple[str, int], int]          # FOLK1A: (municipality, year) → inhabitants
    unknowns: dict[tuple, int] = field(default_factory=dict)
    rows: list[tuple[dict[int, float], float, float]] = field(default_factory=list)
    hidden: list[tuple[int, Span]] = field(default_factory=list)   # (document number, cell)
    documents: int = 0

    # --- unknowns and constraints ---------------------------------------------------------------

    def _natives(self, span: Span) -> list[int]:
        step = 3 if span.series[1] == "Danmarks Statistik" else 1
        if span.months % step or (span.start.month - 1) % step:
            raise ValueError(f"{span} cuts the source's periods")
        areas = MUNICIPALITIES if span.area == DISTRICT else (span.area,)
        out = []
        for area in areas:
            for i in range(0, span.months, step):
                key = (span.series, area, add_months(span.start, i))
                out.append(self.unknowns.setdefault(key, len(self.unknowns)))
        return out

    def _sum(self, span: Span, scale: float = 1.0) -> dict[int, float]:
        return {i: scale for i in self._natives(span)}

    def _add(self, coefficients: dict[int, float], low: float, high: float) -> None:
        self.rows.append((coefficients, low, high))

    def count(self, span: Span, text: str) -> None:
        """A printed count, or a hidden one."""
        if text.strip() == HIDDEN:
            self.hidden.append((self.documents, span))
            self._natives(span)
        elif (value := number(text)) is not None:
            self._add(self._sum(span), value, value)

    def change(self, now: Span, before: Span, change_text: str, percent_text: str) -> None:
        """'+13' and '+5,1 %': the difference, and the difference relative to the previous count."""
        difference = {**self._sum(now)}
        for i, c in self._sum(before, -1.0).items():
            difference[i] = difference.get(i, 0.0) + c
        if (change := number(change_text)) is not None:
            self._add(difference, change, change)
        if (pct := number(percent_text)) is not None:
            for bound, sign in ((pct - 0.05, 1), (pct + 0.05, -1)):
                row = dict(difference)
                for i, c in self._sum(before, -bound / 100).items():
                    row[i] = row.get(i, 0.0) + c
                self._add({i: sign * c for i, c in row.items()}, 0.0, math.inf)

    def rate(self, span: Span, text: str, year: int | None) -> None:
        """A rate per 100.000 with one decimal: the count to within half a unit of the last decimal."""
        value = number(text)
        if value is None or year is None:
            return
        areas = MUNICIPALITIES if span.area == DISTRICT else (span.area,)
        people = sum(self.population[(a, year)] for a in areas)
        self._add(self._sum(span), (value - 0.05) * people / 1e5, (value + 0.05) * people / 1e5)

    # --- reading a document -------------------------------------------------------------------------

    def read(self, data: bytes) -> None:
        """Parse one DOCX: the trend tables, the overview, the revisions, the sentences."""
        document = docx.Document(io.BytesIO(data))
        blocks = [Paragraph(el, document) if el.tag.endswith("}p") else Table(el, document)
                  for el in document.element.body.iterchildren() if el.tag.endswith(("}p", "}tbl"))]
        heading, context, trend_sources = None, None, {}
        for i, block in enumerate(blocks):
            if isinstance(block, Paragraph):
                text = block.text
                for description in block._p.xpath(".//wp:docPr/@descr"):
                    self._chart(description)
                if block.style.name == "Heading 2":
                    heading, context = text, None
                if m := re.search(r"den bredere kategori hos Danmarks Statistik, (.+?), som", text):
                    context = m[1]
                self._sentences(text, trend_sources)
                continue
            rows = [[c.text for c in r.cells] for r in block.rows]
            source = next((b.text for b in blocks[i + 1:] if isinstance(b, Paragraph)
                           and b.style.name == "Kildeangivelse"), "")
            source = "Københavns Politi" if "Københavns Politi" in source else "Danmarks Statistik"
            notes = " ".join(b.text for b in blocks[i + 1:i + 6] if isinstance(b, Paragraph))
            if rows[0][0] == "Område" and [r[0] for r in rows[1:]] == [*MUNICIPALITIES, DISTRICT]:
                name = context or heading
                trend_sources[name] = source
                self._trend_table(rows, (name, source), notes)
            elif rows[0][0] == "Tendens":
                self._overview(rows)
            elif rows[0][:5] == ["Periode", "Kommune", "Kategori", "Før", "Nu"]:
                self._revisions(rows)
        self._goal(blocks, trend_sources)
        self.documents += 1
        self._row_marks.append(len(self.rows))

    def _trend_table(self, rows: list[list[str]], series: tuple[str, str], notes: str) -> None:
        header = rows[0]
        now, before = period(header[1]), period(header[2])
        window = next((h for h in header if h.startswith("12 mdr. til ")), None)
        years = re.search(r"folketallet 1\. januar (\d{4})(?:\s|\()", notes)
        for row in rows[1:]:
            cells = dict(zip(header, row))
            area = row[0]
            current, previous = Span(series, area, *now), Span(series, area, *before)
            self.count(current, cells[header[1]])
            self.count(previous, cells[header[2]])
            self.change(current, previous, cells.get("Ændring", "–"), cells.get("Ændring i %", "–"))
            rate_span = current
            if window:
                rate_span = Span(series, area, *ending_with(window.removeprefix("12 mdr. til ")))
                self.count(rate_span, cells[window])
            if "Pr. 100.000 indb." in cells:
                self.rate(rate_span, cells["Pr. 100.000 indb."], int(years[1]) if years else None)

    def _overview(self, rows: list[list[str]]) -> None:
        for row in rows[1:]:
            title, label, count, before, pct, _, window, source = row
            if period(label) is None:
                continue
            name = title.removesuffix(" (bredere kategori)")
            series = (name, "Danmarks Statistik" if source == "DST" else "Københavns Politi")
            start, months = period(label)
            now, prev = Span(series, DISTRICT, start, months), Span(series, DISTRICT, add_months(start, -12), months)
            self.count(now, count)
            self.count(prev, before)
            self.change(now, prev, "–", pct)
            if window != "–":
                self.count(Span(series, DISTRICT, *ending_with(label)), window)

    def _revisions(self, rows: list[list[str]]) -> None:
        for label, area, category, _, now, *_ in rows[1:]:
            start, months = period(label)
            source = "Danmarks Statistik" if months == 3 else "Københavns Politi"
            self.count(Span((ALIASES.get(category, category), source), area, start, months), now)

    def _sentences(self, text: str, trend_sources: dict) -> None:
        """The summary's and sections' sentences: every count they name, for the district."""
        name = r"(?:Den bredere kategori )?(?P<name>[A-ZÆØÅ][^.:]*?)"
        amount = r"(?:et skjult antal|(?P<{0}>[\d.]+))"
        police = r"(?P<police> \(Københavns Politi\))?"
        patterns = [
            rf"{name} (?:steg|faldt) fra (?P<a>[\d.]+) i (?P<p>{LABEL}) til (?P<b>[\d.]+) i (?P<q>{LABEL}){police}",
            rf"{name} er uændret: (?P<a>[\d.]+) i både (?P<p>{LABEL}) og (?P<q>{LABEL}){police}",
            rf"{name}: {amount.format('b')} i (?P<q>{LABEL}){police} mod {amount.format('a')} i (?P<p>{LABEL})",
            rf"{name}: (?P<b>[\d.]+) i (?P<q>{LABEL}){police}\. Der er ingen tal",
        ]
        for pattern in patterns:
            for m in re.finditer(pattern, text):
                series = (ALIASES.get(m["name"], m["name"]),
                          "Københavns Politi" if m["police"] else "Danmarks Statistik")
                for value, label in (("a", "p"), ("b", "q")):
                    if label in m.groupdict() and m[label] and m.groupdict().get(value):
                        self.count(Span(series, DISTRICT, *period(m[label])), m[value])
                if "uændret" in pattern:
                    self.count(Span(series, DISTRICT, *period(m["q"])), m["a"])

    def _chart(self, description: str) -> None:
        """A chart's text alternative: every point of every series ('2. kvt. 2022 187; …'), or each year."""
        if m := re.fullmatch(r"Graf: (?P<name>.+?) \((?P<source>[^)]+)\), antal pr\. \w+\. (?P<body>.*)\.", description):
            series = (ALIASES.get(m["name"], m["name"]), m["source"])
            for part in m["body"].split(" — "):
                area, points = part.split(": ", 1)
                for point in points.split("; "):
                    label, value = re.fullmatch(rf"({LABEL}) (\S+)", point).groups()
                    self.count(Span(series, area, *period(label)), value)
        elif m := re.fullmatch(r"Graf: (?P<name>.+) i (?P<area>[^ (]+) \((?P<source>[^)]+)\) pr\. år, mål [^.]+\. "
                                r"(?P<body>.*)\.", description):
            series = (ALIASES.get(m["name"], m["name"]), m["source"])
            for point in m["body"].split("; "):
                year, value = point.split(" ")
                self.count(Span(series, m["area"], dt.date(int(year), 1, 1), 12), value)

    def _goal(self, blocks: list, trend_sources: dict) -> None:
        """'Dragør nåede partnerskabsmålet: 20 indbrud … Opgjort for 4. kvt. 2024 – 3. kvt. 2025.'"""
        for block in blocks:
            if not isinstance(block, Paragraph):
                continue
            m = re.search(rf"Dragør (?:nåede|nåede ikke) partnerskabsmålet: (?P<n>[\d.]+) indbrud .*?"
                          rf"Opgjort for (?P<a>{LABEL})(?: – (?P<b>{LABEL}))?\.", block.text)
            if m:
                first, _ = period(m["a"])
                last, size = period(m["b"] or m["a"])
                months = (last.year - first.year) * 12 + last.month - first.month + size
                series = ("Indbrud i beboelser", trend_sources.get("Indbrud i beboelser", "Danmarks Statistik"))
                self.count(Span(series, "Dragør", first, months), m["n"])
                return

    # --- solving ----------------------------------------------------------------------------------

    def intervals(self, spans: list[Span] | None = None, documents: int | None = None) -> dict[Span, tuple]:
        """Min and max of each span (default: every hidden one) given the first `documents` documents (all).

        Unknowns that some printed number pins alone are substituted first; the rest splits into
        independent parts, each solved as an LP and, when its optimum is fractional, as a MILP.
        """
        rows = self.rows[:self._row_marks[documents]] if documents is not None else self.rows
        spans = list(dict.fromkeys(spans if spans is not None else (s for _, s in self.hidden)))
        fixed, rows = _pin(rows)
        parent: dict[int, int] = {}

        def root(i: int) -> int:
            while parent.setdefault(i, i) != i:
                parent[i] = parent[parent[i]]
                i = parent[i]
            return i
        for coefficients, _, _ in rows:
            first, *rest = coefficients
            for i in rest:
                parent[root(i)] = root(first)
        groups: dict[int, list] = {}
        for r, (coefficients, _, _) in enumerate(rows):
            groups.setdefault(root(next(iter(coefficients))), []).append(r)
        cap = 10 * max((abs(h) for _, lo, h in rows if math.isfinite(h)), default=100) + 100
        systems: dict[int, tuple] = {}
        out = {}
        for span in spans:
            natives = self._natives(span)
            constant = sum(fixed.get(i, 0) for i in natives)
            free = [i for i in natives if i not in fixed]
            if not free:
                out[span] = (constant, constant)
                continue
            roots = {root(i) for i in free}
            if any(r not in groups for r in roots):      # an unknown nothing printed ties: unbounded above
                low = constant + sum(self._extreme(systems, groups, rows, r, free, cap, 1)
                                     for r in roots if r in groups)
                out[span] = (low, math.inf)
                continue
            low = constant + sum(self._extreme(systems, groups, rows, r, free, cap, 1) for r in roots)
            high = constant - sum(self._extreme(systems, groups, rows, r, free, cap, -1) for r in roots)
            out[span] = (low, math.inf if high >= cap - 1 else high)
        return out

    @staticmethod
    def _extreme(systems, groups, rows, group, free, cap, sign) -> float:
        """min of sign · (the span's unknowns in this part) over integer solutions of the part's rows."""
        if group not in systems:
            members = sorted({i for r in groups[group] for i in rows[r][0]})
            index = {i: k for k, i in enumerate(members)}
            matrix = lil_array((len(groups[group]), len(members)))
            lows, highs = [], []
            for k, r in enumerate(groups[group]):
                coefficients, low, high = rows[r]
                for i, c in coefficients.items():
                    matrix[k, index[i]] += c
                lows.append(low)
                highs.append(high)
            systems[group] = (index, LinearConstraint(matrix.tocsr(), lows, highs))
        index, constraint = systems[group]
        objective = np.zeros(len(index))
        for i in free:
            if i in index:
                objective[index[i]] += sign
        bounds = Bounds(0, cap)
        res = milp(objective, integrality=np.zeros(len(index)), bounds=bounds, constraints=constraint)
        if res.status != 0 or np.max(np.abs(res.x - np.round(res.x))) > 1e-6:
            res = milp(objective, integrality=np.ones(len(index)), bounds=bounds, constraints=constraint)
        assert res.status == 0, res.message
        return round(objective @ res.x)

    @property
    def _row_marks(self) -> list[int]:
        """How many constraint rows the first k documents gave, for k = 0, 1, …"""
        return self.__dict__.setdefault("_marks", [0])
