"""Which cells a briefing hides: its small counts, and complements chosen with every earlier publication in mind.

The attacker's knowledge is one `disclosure.Table` over the stored figures (one native
variable per municipality, stored period and value, so a revised figure is a new variable):

- every cell each recorded public briefing printed (known) or hid (the attacker is granted
  1 … N−1 for its small ones), with the figures as they were then;
- every cell this briefing publishes: printed already by a publication (it is public, so it
  is printed again), hidden by one (it stays hidden, whatever its value now), small (hidden),
  or a candidate the solver may hide as a complement;
- every stored figure from 1 to N−1 under this briefing's cells that it does not print itself.

The solver hides candidates until every hidden cell of this briefing and of every earlier
one keeps its margin; the exact audit at the end is what `statistik briefing --audit` prints.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

from statistik import disclosure, districts, publications as pub
from statistik.briefing.cells import Books, CellBook, Span, span_label
from statistik.briefing.suppression import Suppression, is_small
from statistik.disclosure.table import complement_need, primary_need
from statistik.periods import month_offset, months_in

NOW = "now"


@dataclass(frozen=True)
class Label:
    """Where a protected cell comes from: this briefing (`origin` NOW) or a publication's id."""

    origin: int | str
    source: str
    category: str
    span: Span


@dataclass
class Decision:
    """The hidden cells of a briefing and the model they were decided in."""

    below: int | None
    table: disclosure.Table | None = None
    publications: tuple[pub.Publication, ...] = ()

    def audit(self, everything: bool = True) -> list[disclosure.Finding]:
        """Every protected cell with the interval an attacker can infer from all publications and this one
        (or only those this briefing can have changed: in a part of the table it adds to)."""
        if self.table is None:
            return []
        cells = None if everything else disclosure.linked_to(self.table, len(self.publications))
        return disclosure.audit(self.table, cells)


def _var(source: str, category: str, area: str, day: dt.date, value: int) -> tuple:
    return source, category, area, day, int(value)


def _days(start: dt.date, months: int, size: int) -> list[dt.date]:
    return [month_offset(start, i) for i in range(0, months, size)]


def _add_publication(table: disclosure.Table, p: pub.Publication, forced: set, epoch: int) -> None:
    """An earlier publication's cells as the attacker reads them, over the figures as they were then."""
    below = p.final.suppress_below
    values = {(f.source, f.category, f.area, f.start): f.count for f in p.figures}
    kinds = {(f.source, f.category): f.kind for f in p.figures}
    for c in p.cells:
        district = districts.by_code(c.area) is not None      # also 'kbh' of briefings from before the setting
        areas = p.members if district else (c.area,)
        keys = [(c.source, c.category, a, d) for a in areas
                for d in _days(c.start, c.months, months_in(kinds[(c.source, c.category)]))]
        if district:   # a member without a figure then (Christiansø in police figures) was not part of the sum
            keys = [k for k in keys if k in values]
        parts = [table.native(_var(*k, values[k]), values[k]) for k in keys]
        label = Label(p.final.id, c.source, c.category, (c.area, c.start, c.months))
        key = (c.source, c.category, label.span)
        if c.role == pub.SHOWN:
            table.add(label, parts, disclosure.KNOWN, epoch=epoch)
        elif key in forced and _still_hidden(table, parts):    # kept hidden, as it was: its role then stays
            table.add(label, parts, disclosure.HIDDEN, epoch=epoch)
        else:
            table.add(label, parts, disclosure.HIDDEN, epoch=epoch, **_hidden(c.value, below))
        if c.role != pub.SHOWN:
            forced.add(key)


def _add_book(table: disclosure.Table, book: CellBook, below: int, forced: set, epoch: int) -> None:
    """This briefing's cells of one book: known, forced hidden, small, or candidates; and its unprinted small figures."""
    printed_natives = set()
    under: dict[tuple, int] = {}
    for span in book.published:
        value = book.count(span)
        if value is None:
            continue
        natives = book.parts(span)
        counts = [book.native(a, d) for a, d in natives]
        if sum(counts) != value:
            raise RuntimeError(f"Tallene for {span!r} ({book.category}, {book.source}) hænger ikke sammen: "
                               f"{value} ≠ summen af delene {sum(counts)}.")
        parts = [table.native(_var(book.source, book.category, a, d, n), n) for (a, d), n in zip(natives, counts)]
        under.update(zip(natives, counts))
        if len(natives) == 1:
            printed_natives.add(natives[0])
        label = Label(NOW, book.source, book.category, span)
        if (book.source, book.category, span) in forced:       # hidden once, hidden for good
            if _still_hidden(table, parts):                    # unchanged: its role then stays
                table.add(label, parts, disclosure.HIDDEN, epoch=epoch)
            else:
                table.add(label, parts, disclosure.HIDDEN, epoch=epoch, **_hidden(value, below))
        elif _public(table, parts):                            # printed before: printing it again tells nothing
            table.add(label, parts, disclosure.KNOWN, epoch=epoch)
        elif is_small(value, below):
            table.add(label, parts, disclosure.HIDDEN, epoch=epoch, **_hidden(value, below))
        else:
            table.add(label, parts, disclosure.CANDIDATE, cost=book.cost(span), epoch=epoch)
    for (area, day), count in under.items():
        var = _var(book.source, book.category, area, day, count)
        if (area, day) not in printed_natives and is_small(count, below) and table.find([var]) is None:
            label = Label(NOW, book.source, book.category, (area, day, book.size))
            table.add(label, [var], disclosure.FREE, need=primary_need(below), epoch=epoch)


def _still_hidden(table: disclosure.Table, parts: list) -> bool:
    """Whether an earlier publication hid exactly this cell with these values (then it keeps its role and margin)."""
    cell = table.find(parts)
    return cell is not None and cell.state == disclosure.HIDDEN


def _public(table: disclosure.Table, parts: list) -> bool:
    cell = table.find(parts)
    return cell is not None and cell.state == disclosure.KNOWN


def _hidden(value: int, below: int) -> dict:
    """What the attacker is granted about a hidden cell, and the margin it needs."""
    if is_small(value, below):
        return {"low": 1, "high": below - 1, "need": primary_need(below)}
    return {"need": complement_need(value, below)}


def decide(books: Books, below: int | None, recorded: list[pub.Publication],
           describe: Callable[[Label], str], strict: bool = True) -> Decision:
    """Hide this briefing's small counts and the complements they need; sets each book's suppression.

    Raises `Unprotected` (a Danish message) when some cell cannot be kept safe; with
    strict=False the decision is returned anyway, so the audit can show which cells fail.
    """
    for book in books.all():
        book.suppression = Suppression(below)
    if below is None:
        return Decision(None)
    table = disclosure.Table()
    forced: set = set()
    for epoch, p in enumerate(recorded):
        _add_publication(table, p, forced, epoch)
    for book in books.all():
        _add_book(table, book, below, forced, len(recorded))
    try:
        disclosure.protect(table, below, len(recorded))
    except disclosure.Unprotectable as e:
        if strict:
            raise Unprotected([f.cell for f in e.findings], describe) from None
    for book in books.all():
        for span in book.published:
            if book.count(span) is None:
                continue
            cell = table.cell(Label(NOW, book.source, book.category, span))
            if cell.state == disclosure.HIDDEN:
                book.suppression.hidden.add(span)
    return Decision(below, table, tuple(recorded))


class Unprotected(Exception):
    """Cells no briefing can keep safe any more; the message names them in Danish."""

    def __init__(self, cells: list[disclosure.Cell], describe: Callable[[Label], str]):
        names = "; ".join(describe(c.labels[0]) for c in cells[:5])
        more = f" og {len(cells) - 5} flere" if len(cells) > 5 else ""
        super().__init__(f"Små tal kan ikke skjules sikkert i dette bilag: {names}{more} kan regnes ud af det, "
                         "der allerede er offentliggjort. Vælg en anden periode eller grænse, eller lav bilaget "
                         "uden at offentliggøre det.")
        self.cells = cells


def published_cells(books: Books) -> tuple[list[pub.PublishedCell], list[pub.PublishedFigure]]:
    """What this briefing publishes, for the record of a final briefing: every cell and the figures under them."""
    cells, figures, seen = [], [], set()
    for book in books.all():
        below = book.suppression.below
        for span in book.published:
            value = book.count(span)
            if value is None:
                continue
            role = (pub.PRIMARY if is_small(value, below) else pub.COMPLEMENT) if book.suppression.hides(span) \
                else pub.SHOWN
            cells.append(pub.PublishedCell(book.source, book.category, *span, value, role))
            for area, day in book.parts(span):
                key = (book.source, book.category, area, day)
                if key not in seen:
                    seen.add(key)
                    figures.append(pub.PublishedFigure(*key[:3], book.kind, day, book.native(area, day)))
    return cells, figures


def describe_with(books: Books, meetings: dict[int, dt.date]) -> Callable[[Label], str]:
    """A function naming a protected cell in Danish: 'Dragør, Indbrud i beboelser, 3. kvt. 2025 (Danmarks Statistik)'."""
    from statistik import formatting

    def describe(label: Label) -> str:
        area = books.area_names.get(label.span[0], label.span[0])
        category = books.category_names.get(label.category, label.category)
        where = "" if label.origin == NOW else f" · bilag {formatting.date(meetings[label.origin])}"
        return f"{area}, {category}, {span_label(label.span)} ({label.source}){where}"
    return describe


def is_public(decision: Decision, book: CellBook, span: Span, value: int) -> bool:
    """Whether a stored figure with this value was printed by a publication (so printing it again tells nothing)."""
    if decision.table is None:
        return True
    area, day, _ = span
    var = _var(book.source, book.category, area, day, value)
    return var in decision.table.values and _public(decision.table, [var])


THIS, EARLIER, UNPRINTED = "skjult i dette bilag", "skjult i tidligere offentliggjorte bilag", \
    "ikke trykt, men del af trykte summer"


@dataclass(frozen=True)
class AuditRow:
    """One protected cell in the audit: what it is, its value, what can be inferred and what must be."""

    group: str
    cell: str
    value: int
    low: float
    high: float
    need: tuple[float, float]
    ok: bool


def audit_rows(decision: Decision, describe: Callable[[Label], str]) -> list[AuditRow]:
    """The audit as rows, this briefing's hidden cells first, then earlier ones, then unprinted figures;
    within each by category, period and area. A cell checked against the reader too gets a second row."""
    rows = []
    for f in decision.audit():
        now = [lab for lab in f.cell.labels if lab.origin == NOW]
        label = (now or f.cell.labels)[0]
        group = UNPRINTED if f.cell.state == disclosure.FREE else THIS if now else EARLIER
        name = describe(label) + ("" if f.granted else " – for en læser, der ikke ved, hvilke tal der er små")
        order = (label.category, label.source, label.span[1], label.span[2], label.span[0], not f.granted)
        rows.append((order, AuditRow(group, name, f.cell.value, f.low, f.high, f.need, f.ok)))
    groups = (THIS, EARLIER, UNPRINTED)
    return [row for _, row in sorted(rows, key=lambda r: (groups.index(r[1].group), r[0]))]
