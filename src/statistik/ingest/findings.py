"""Problems in a classified file: what is wrong, and on which rows (error path).

Each kind of problem is one of validation.problem_predicates; every problem row has at least
one, so every refused row gets a message. Cell-level problems (one cell given twice with
different counts, one day twice) come from the used rows.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from statistik.ingest import layout as lay
from statistik.periods import KIND_NAMES
from statistik.ingest.problems import quote
from statistik.ingest.validation import classified_sql, materialize, problem_predicates


@dataclass
class Finding:
    """A problem with the rows (1-based after the header) where it occurs."""

    text: str
    column: str | None
    first_row: int | None
    rows: int = 1
    fix: str | None = None
    other_rows: tuple[int, ...] = ()
    warning: bool = False


_FIX_PERIOD = "skriv fx 2025-09, sep 2025, 2025K3 eller 2025"
_FIX_DATE = "skriv datoen som 03-09-2025 eller 2025-09-03"


_EXCEL_SERIAL = re.compile(r"(?P<days>\d{5})(?:[.,]\d+)?")
_MONTH_FIRST = re.compile(r"(?P<m>\d\d?)[/.-](?P<d>\d\d?)[/.-](?P<y>(?:19|20)\d\d)(?:\s.*)?")


def _unknown_fix(raw: str, reports: bool) -> str:
    """How to write an unknown period or date, with the likely cause where we can see one."""
    text = raw.strip()
    serial = _EXCEL_SERIAL.fullmatch(text)
    if serial and 20_000 <= int(serial["days"]) <= 80_000:
        day = dt.date(1899, 12, 30) + dt.timedelta(days=int(serial["days"]))
        return (f"det ligner et Excel-datotal ({int(serial['days'])} er {day:%d-%m-%Y}); "
                "formatér kolonnen som dato i Excel og gem filen igen")
    us = _MONTH_FIRST.fullmatch(text)
    if us and int(us["d"]) > 12 >= int(us["m"]) >= 1:
        return ("datoer læses med dagen først (dansk); denne dato giver kun mening med måneden først "
                "(amerikansk) — gem filen med dansk datoformat, fx 13-09-2025")
    return _FIX_DATE if reports else _FIX_PERIOD


def findings(con, layout: lay.Layout, grouped: bool, suggestions: dict, today: dt.date) -> list[Finding]:
    """Every problem in the staged file, with its first row and the number of rows."""
    preds = problem_predicates(layout)
    reports = layout.kind == lay.REPORTS
    col_name = {
        "period": None if layout.kind == lay.WIDE else layout.role_name(lay.DATE if reports else lay.PERIOD),
        "area": layout.role_name(lay.AREA),
        "category": layout.role_name(lay.CATEGORY) if lay.CATEGORY in layout.roles else None,
        "value": None if layout.kind in (lay.WIDE, lay.REPORTS) else layout.role_name(
            lay.POP if layout.kind == lay.POPULATION else lay.COUNT),
    }
    second = {role: layout.column_name(i) for role, i in layout.second.items()}
    out: list[Finding] = []

    rows = "count(DISTINCT row_no)" if layout.kind == lay.WIDE else "sum(n)"
    # The refused rows, classified once (the file may be a view: read it once more, not per query).
    materialize(con, layout, "problem_rows", f"SELECT * FROM ({classified_sql(layout, grouped)}) WHERE status = 'problem'")

    def query(kind: str, detail: str) -> list[tuple]:
        # A row with one field is one problem ('rækken har kun ét udfyldt felt'), not four.
        alone = "" if kind == "single" or "single" not in preds else "AND filled <> 1"
        return con.execute(
            f"""SELECT {detail}, min(row_no), {rows} FROM problem_rows
                WHERE coalesce({preds[kind]}, false) {alone}
                GROUP BY ALL HAVING sum(n) > 0
                ORDER BY min(row_no) NULLS LAST"""
        ).fetchall()

    what_period = "dato" if reports else "periode"
    for raw, status, column, src, row, n in query(
            "period", "period_raw, coalesce(period_status, 'missing'), column_name, "
                      + ("any_value(day_raw)" if reports else "NULL")):
        shown = src or raw
        text = {
            "missing": f"mangler {what_period}",
            "unknown": f"ukendt {what_period} {quote(shown)}" if layout.kind != lay.WIDE
                       else f"overskriften {quote(shown)} er ikke en periode",
            "future": f"{'datoen' if reports else 'perioden'} {quote(shown)} ligger i fremtiden",
            "early": f"{'datoen' if reports else 'perioden'} {quote(shown)} ligger før {1990}; er det en rigtig dato?",
        }.get(status, f"{what_period} {quote(shown)} kan ikke bruges")
        fix = _unknown_fix(shown, reports) if status == "unknown" else None
        out.append(Finding(text, col_name["period"] or column, row, n, fix))
    if reports:
        for src, row, n in query("future_day", "arg_max(day_raw, last_day)"):
            out.append(Finding(f"datoen {quote(src)} ligger i fremtiden", col_name["period"], row, n))
    for role, key in ((lay.AREA, "area"), (lay.CATEGORY, "category")):
        if key not in preds:
            continue
        what = "kommune" if role == lay.AREA else "kategori"
        for raw, status, detail, row, n in query(
                key, f"{key}_raw, coalesce({key}_status, 'missing'), "
                     f"(SELECT detail FROM {key}_map m WHERE m.raw = {key}_raw)"):
            if status == "missing":
                text, fix = f"mangler {what}", None
            elif status == "unknown":
                text = f"ukendt {what} {quote(raw)}"
                fix = detail or ("brug kommunens navn eller kode, fx København eller 101" if role == lay.AREA
                                 else "ny kategori? tilføj den med: statistik category add \"Navn\"")
            elif status == "unsafe":
                text, fix = f"ugyldigt navn: {detail}", ("ret navnet i filen: navne må ikke begynde med =, +, - eller @ "
                                                       "og ikke indeholde HTML, kontroltegn eller usynlige tegn")
            else:  # conflict
                text, fix = f"{quote(raw)}: {detail}", "ret koden eller navnet, så de passer sammen"
            out.append(Finding(text, col_name[key], row, n, fix))
    if "value" in preds:
        for raw, column, detail, row, n in query(
                "value", "value_raw, column_name, (SELECT detail FROM value_map m WHERE m.raw = value_raw)"):
            out.append(Finding(detail or f"{quote(raw)} er ikke et antal", col_name["value"] or column, row, n,
                               "et antal skal være et helt tal, 0 eller derover"
                               if detail and detail.startswith(("negativt", "decimaltal")) else None))
    for role, key in ((lay.AREA, "area2"), (lay.CATEGORY, "category2")):
        base = key[:-1]
        for raw, other, row, n in query(key, f"{key}_raw, {base}_raw"):
            out.append(Finding(f"kolonnerne {layout.role_name(role)!r} og {second[role]!r} er uenige: "
                               f"{quote(other)} og {quote(raw)}", second[role], row, n))
    time2 = layout.second.get(lay.DATE, layout.second.get(lay.PERIOD))
    for raw, other, row, n in query("time2", "time2_raw, period_raw"):
        out.append(Finding(f"kolonnerne med periode og dato er uenige: {quote(other)} og {quote(raw)}",
                           layout.column_name(time2), row, n))
    for _, row, n in query("extra", "1 AS x"):
        out.append(Finding("rækken har flere udfyldte felter end overskriften", None, row, n))
    for _, row, n in query("checked", "1 AS x"):
        names = ", ".join(repr(layout.header[i]) for i in layout.checked_columns)
        out.append(Finding(f"tal i en kolonne, der ikke er en periode ({names})", None, row, n,
                           "skriv overskriften som en periode (fx 2025-09 eller sep 2025), eller slet kolonnen"))
    if "single" in preds:
        for text, row, n in query("single", "only_text"):
            out.append(Finding(f"rækken har kun ét udfyldt felt ({quote(text)})", None, row, n,
                               "er det en titel eller en note, så slet rækken eller skriv den som 'Note: …'"))
    return out


BITMAP_CELLS = 1 << 27  # cells (× days) up to this are counted with a bitmap (16 MB), beyond it with a hash


def is_repeated(con, layout: lay.Layout, cells: int) -> bool:
    """Whether any cell (or, counts by day, any day of a cell) is given by more than one used row."""
    return repeats(con, "SELECT cell_key FROM classified WHERE status = 'used'", cells, layout.dated)


def repeats(con, keyed: str, cells: int, dated: bool = False) -> bool:
    """Whether two rows of `keyed` (SQL with the column cell_key) have one cell (or, `dated`, one day).

    cell_key is one integer per cell and day, below `cells` × 32: its distinct values are counted
    by setting bits (much cheaper than hashing) when the range is not too wide.
    """
    key, space = ("cell_key", cells * 32) if dated else ("cell_key // 32", cells)
    distinct = (f"bit_count(bitstring_agg({key}, 0, {space - 1}))" if 0 < space <= BITMAP_CELLS
                else f"count(DISTINCT {key})")
    return con.execute(f"SELECT count(*) > coalesce({distinct}, 0) FROM ({keyed})").fetchone()[0]


def duplicates(con, layout: lay.Layout, cells: int) -> tuple[list[Finding], bool]:
    """The same cell given more than once: an error when the counts differ, or when a day repeats.

    In a table of counts by day, several days of one month are added up (see plan warnings);
    the same day twice, or a month figure beside day figures, is refused: counting it once or
    twice would both be a guess.
    """
    if layout.kind == lay.REPORTS:
        return [], True
    keys = ("period_kind, period_start, area_code, category_code" if layout.kind != lay.POPULATION
            else "year(period_start), area_code")
    day = ", coalesce(period_day::VARCHAR, '')" if layout.dated else ""
    repeated = is_repeated(con, layout, cells)
    if not repeated and not layout.dated:
        return [], False
    # In a wide table the cells of one file row share its line: count lines, not cells.
    lines = "count(DISTINCT row_no)" if layout.kind == lay.WIDE else "sum(n)"
    found = [] if not repeated else con.execute(
        f"""SELECT list(DISTINCT value ORDER BY value), count(DISTINCT value) > 1,
                   list(period_raw ORDER BY row_no), list(DISTINCT row_no ORDER BY row_no)[1:4], sum(n), false,
                   {lines}
            FROM resolved WHERE status = 'used' GROUP BY {keys}{day} HAVING sum(n) > 1
            ORDER BY min(row_no) LIMIT 50"""
    ).fetchall()
    if layout.dated:  # a month figure beside figures by day for the same cell
        found += con.execute(
            f"""SELECT list(DISTINCT value ORDER BY value), true, list(period_raw ORDER BY row_no),
                       list(DISTINCT row_no ORDER BY row_no)[1:4], sum(n), true, {lines}
                FROM resolved WHERE status = 'used' GROUP BY {keys}
                HAVING count(period_day) > 0 AND count(*) > count(period_day)
                ORDER BY min(row_no) LIMIT 50"""
        ).fetchall()
    rows = sorted(found, key=lambda r: r[3][0])
    column = layout.role_name(lay.COUNT) if lay.COUNT in layout.roles else None
    out = []
    wide = layout.kind == lay.WIDE
    for values, differ, raws, first_rows, n, mixed, lines_n in rows:
        shown = " og ".join(str(v) for v in values)
        cell = ", ".join(map(str, list(dict.fromkeys(raws))[:3]))
        where = dict(column=column, first_row=first_rows[0], rows=lines_n, other_rows=tuple(first_rows[1:]))
        if mixed:
            out.append(Finding(f"samme celle står både som måned og som dage ({cell})",
                               fix="skriv enten ét tal pr. måned eller ét tal pr. dag", **where))
        elif layout.dated:
            out.append(Finding(
                f"samme dag ({cell}) står {n} gange for samme kommune og kategori ({shown})",
                fix="tal pr. dag lægges sammen til måneder, så hver dag må kun stå én gang"
                    + ("" if wide else "; er det én række pr. anmeldelse, så fjern kolonnen med antal"), **where))
        elif differ:
            out.append(Finding(f"samme celle ({cell}) står {n} gange med forskellige antal ({shown})",
                               fix="ret eller fjern " + ("den ene kolonne" if wide else "den ene række"), **where))
        else:
            out.append(Finding(f"samme {'celle' if wide else 'række'} ({cell}) står {n} gange; tallet tælles én gang",
                               warning=True, **where))
    return out, bool(repeated)


_MIXED_CATEGORIES = """
    WITH used AS (SELECT DISTINCT category_code, period_kind FROM resolved WHERE status = 'used'),
         stored AS (SELECT DISTINCT category_code, period_kind FROM figure
                    WHERE source = $source AND category_code IN (SELECT category_code FROM used))
    SELECT category_code, list(DISTINCT period_kind ORDER BY period_kind) FILTER (WHERE in_store) AS stored_kinds
    FROM (SELECT *, false AS in_store FROM used UNION ALL SELECT *, true FROM stored)
    GROUP BY category_code HAVING count(DISTINCT period_kind) > 1"""


def mixes_period_kinds(con, layout: lay.Layout, source: str) -> bool:
    """Whether a category of the file would have two period lengths in the source, in the file or together
    with the source's figures in the store."""
    if layout.kind in (lay.POPULATION, lay.REPORTS):
        return False
    return con.execute(f"SELECT count(*) > 0 FROM ({_MIXED_CATEGORIES})", {"source": source}).fetchone()[0]


def mixed_period_kinds(con, layout: lay.Layout, source: str) -> list[Finding]:
    """A category given in two period lengths by one source (months and their quarter, months for one
    municipality and a quarter for another), in the file or beside what the store holds of the source: the
    pages cannot add such a series up (a district adds up its municipalities), and the two may disagree."""
    if layout.kind in (lay.POPULATION, lay.REPORTS):
        return []
    rows = con.execute(
        f"""WITH mixed AS ({_MIXED_CATEGORIES}),
                 first AS (SELECT r.category_code, r.period_kind, min(r.row_no) AS row_no, count(*) AS n,
                                  arg_min(r.period_raw, r.row_no) AS raw, arg_min(r.area_code, r.row_no) AS area
                           FROM resolved r JOIN mixed m USING (category_code)
                           WHERE r.status = 'used' GROUP BY ALL)
            SELECT f.category_code, m.stored_kinds, list(f.period_kind ORDER BY f.row_no),
                   list(f.row_no ORDER BY f.row_no), list(f.n ORDER BY f.row_no), list(f.raw ORDER BY f.row_no),
                   list(f.area ORDER BY f.row_no)
            FROM first f JOIN mixed m USING (category_code)
            GROUP BY ALL ORDER BY min(f.row_no) LIMIT 50""", {"source": source}).fetchall()
    areas = dict(con.execute("SELECT code, name FROM area").fetchall())
    categories = dict(con.execute("SELECT code, name FROM category").fetchall())
    column = layout.role_name(lay.PERIOD) if lay.PERIOD in layout.roles else None
    fix = "giv en kategori i én periodelængde for alle kommuner (kvartaler og år regnes ud af månederne)"
    out = []
    for category, stored, kinds, first_rows, counts, raws, where in rows:
        name = categories.get(category, category)
        shown = [f"pr. {KIND_NAMES[k]} ({areas.get(a, a)}, {quote(r)})" for k, a, r in zip(kinds, where, raws)]
        if len(kinds) > 1:  # both lengths in the file: its first row of each
            out.append(Finding(f"{name} står både {shown[0]} og {shown[1]}", column=column, first_row=first_rows[0],
                               rows=counts[0] + counts[1], other_rows=(first_rows[1],), fix=fix))
        else:
            out.append(Finding(f"{name} står {shown[0]}, men kilden har allerede tal pr. "
                               f"{' og '.join(KIND_NAMES[k] for k in stored)} for kategorien", column=column,
                               first_row=first_rows[0], rows=counts[0],
                               fix=fix + ", eller fortryd den upload, der gav de andre"))
    return out


def summed_days(con, layout: lay.Layout) -> tuple[int, int, int | None]:
    """(rows, cells, first row) where several days of one month were added up."""
    if not layout.dated:
        return 0, 0, None
    rows, cells, first = con.execute(
        """SELECT coalesce(sum(k), 0), count(*), min(r) FROM (
               SELECT count(*) AS k, min(row_no) AS r FROM resolved WHERE status = 'used'
               GROUP BY period_kind, period_start, area_code, category_code HAVING count(DISTINCT period_day) > 1)"""
    ).fetchone()
    return int(rows), int(cells), first
