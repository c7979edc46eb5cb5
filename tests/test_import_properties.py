"""Property tests: random valid tables in every layout × dialect × encoding × line ending are
written, imported, exported and compared cell by cell; one row then made invalid must make
the whole file refused, naming that row's line, with nothing written.

Hypothesis draws the tables; the examples per test are kept modest (profile below) so the
suite stays fast on two cores. `HYPOTHESIS_PROFILE=thorough` runs many more.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import shutil
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from statistik.bootstrap import open_store
from statistik.figures import export_csv
from statistik.ingest import Rejected, import_file

settings.register_profile("ci", max_examples=30, deadline=None, derandomize=True,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.register_profile("thorough", max_examples=500, deadline=None,
                          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))

TODAY = dt.date(2026, 11, 25)
AREAS = {"101": ["København", "101", "0101", "Københavns Kommune", "KØBENHAVN"],
         "147": ["Frederiksberg", "147", "Frederiksberg Kommune"],
         "155": ["Dragør", "0155", "dragør", "Dragoer"],
         "185": ["Tårnby", "185", "Taarnby", "Tårnby Kommune"]}
CATEGORIES = {"kontaktbedrageri": ["Kontaktbedrageri", "kontaktbedrageri"],
              "opioider": ["Opioider", "OPIOIDER"],
              "lomme-og-tricktyveri": ["Lomme- og tricktyveri", "Lommetyveri"]}
MONTHS = [dt.date(2024 + (m // 12), m % 12 + 1, 1) for m in range(0, 22)]
DANISH = ["jan", "feb", "mar", "apr", "maj", "jun", "jul", "aug", "sep", "okt", "nov", "dec"]
LAYOUTS = ["lang", "bred", "anmeldelser"]
ENCODINGS = ["utf-8", "utf-8-sig", "cp1252", "utf-16"]
DELIMITERS = [";", ",", "\t"]
NEWLINES = ["\n", "\r\n"]


def month_spellings(day: dt.date) -> list[str]:
    return [f"{day:%Y-%m}", f"{day:%Y}M{day:%m}", f"{DANISH[day.month - 1]} {day.year}", f"{day:%m-%Y}"]


def count_spellings(n: int) -> list[str]:
    out = [str(n)]
    if n >= 1000:
        out += [f"{n:,}".replace(",", "."), f"{n:,}".replace(",", " "), f"{n:,}".replace(",", "\u00a0")]
    return out


@st.composite
def tables(draw):
    """A random valid table: its layout, dialect and cells (month, area, category) → count."""
    layout = draw(st.sampled_from(LAYOUTS))
    months = draw(st.lists(st.sampled_from(MONTHS), min_size=1, max_size=3, unique=True))
    keys = draw(st.lists(st.tuples(st.sampled_from(sorted(AREAS)), st.sampled_from(sorted(CATEGORIES))),
                         min_size=1, max_size=5, unique=True))
    top = 4 if layout == "anmeldelser" else 20_000
    cells = {(m, a, c): draw(st.integers(min_value=1 if layout == "anmeldelser" else 0, max_value=top))
             for m in months for a, c in keys}
    encoding = draw(st.sampled_from(ENCODINGS))
    delimiter = draw(st.sampled_from(DELIMITERS))
    newline = draw(st.sampled_from(NEWLINES))
    spell = draw(st.randoms(use_true_random=False))
    return layout, cells, encoding, delimiter, newline, spell


def render(layout, cells, spell) -> tuple[list[list[str]], list[tuple]]:
    """The table's rows (header first) and, per data row, the cell it carries."""
    def area(code):
        return spell.choice(AREAS[code])

    def category(code):
        return spell.choice(CATEGORIES[code])

    rows, carried = [], []
    if layout == "lang":
        rows.append(["periode", "kommune", "kategori", "antal"])
        for (m, a, c), n in cells.items():
            rows.append([spell.choice(month_spellings(m)), area(a), category(c), spell.choice(count_spellings(n))])
            carried.append((m, a, c))
    elif layout == "bred":
        months = sorted({m for m, _, _ in cells})
        rows.append(["kommune", "kategori"] + [spell.choice(month_spellings(m)[::2]) for m in months])
        for a, c in sorted({(a, c) for _, a, c in cells}):
            rows.append([area(a), category(c)] + [str(cells[(m, a, c)]) for m in months])
            carried.append((None, a, c))
    else:
        rows.append(["anmeldt", "gerningskommune", "overtrædelse", "journalnr"])
        for (m, a, c), n in cells.items():
            for i in range(n):
                day = m.replace(day=spell.randint(1, 28))
                rows.append([spell.choice([f"{day:%d-%m-%Y}", f"{day:%Y-%m-%d}", f"{day:%d.%m.%Y}"]),
                             area(a), category(c), f"0100-{len(rows):05d}-25"])
                carried.append((m, a, c))
    return rows, carried


def write_file(path: Path, rows, encoding, delimiter, newline) -> None:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline, quoting=csv.QUOTE_MINIMAL)
    writer.writerows(rows)
    text = buffer.getvalue()
    if encoding == "cp1252":
        text = text.replace("\u00a0", " ")  # keep to what cp1252 files from Excel hold
    path.write_bytes(text.encode(encoding))


@pytest.fixture
def fresh(seeded_template, tmp_path):
    """A function making a fresh store copy for each Hypothesis example."""
    counter = iter(range(10**6))

    def make():
        path = tmp_path / f"s{next(counter)}.duckdb"
        shutil.copy(seeded_template, path)
        return open_store(path), path

    return make


def exported_police_cells(con) -> dict:
    buffer = io.BytesIO()
    export_csv(con, buffer)
    rows = csv.DictReader(io.StringIO(buffer.getvalue().decode("utf-8")), delimiter=";")
    return {(r["periode"], r["omraade_kode"], r["kategori_kode"]): int(r["antal"])
            for r in rows if r["kilde"] == "Københavns Politi"}


@given(tables())
def test_a_valid_table_round_trips_cell_by_cell(fresh, tmp_path, table):
    layout, cells, encoding, delimiter, newline, spell = table
    rows, _ = render(layout, cells, spell)
    path = tmp_path / "tabel.csv"
    write_file(path, rows, encoding, delimiter, newline)
    con, _ = fresh()
    try:
        plan, upload_id = import_file(con, path, user="hypothesis", today=TODAY)
        assert plan.layout == layout, plan
        assert plan.rows_read == len(rows) - 1 == plan.rows_used
        assert exported_police_cells(con) == {(f"{m:%Y-%m}", a, c): n for (m, a, c), n in cells.items()}
    finally:
        con.close()


MUTATIONS = {
    "ukendt kommune": (1, lambda v: "Frederiksbjerg"),
    "formel som kommune": (1, lambda v: "=" + v),
    "ukendt kategori": (2, lambda v: v + "x"),
    "HTML som kategori": (2, lambda v: f"<i>{v}</i>"),
    "tom periode": (0, lambda v: ""),
    "måned 13": (0, lambda v: "2025-13"),
    "negativt antal": (3, lambda v: "-" + v),
    "mellemrum i tal": (3, lambda v: v + " 12"),
    "decimaltal": (3, lambda v: v + ",5"),
    "kode og navn uenige": (1, lambda v: "147 København"),
    "blank kommune": (1, lambda v: "\u00a0\t "),
    "blank kategori": (2, lambda v: "\t"),
    "Excel-datotal som periode": (0, lambda v: "45901"),
    "procent": (3, lambda v: v + "%"),
}


@given(tables(), st.sampled_from(sorted(MUTATIONS)), st.integers(min_value=0, max_value=10**6))
def test_one_bad_row_refuses_the_whole_file_naming_its_line(fresh, tmp_path, table, mutation, pick):
    layout, cells, encoding, delimiter, newline, spell = table
    column, change = MUTATIONS[mutation]
    assume(layout != "anmeldelser" or column != 3)   # reports have no count column
    if layout == "bred":
        column = {0: None, 1: 0, 2: 1, 3: 2}[column]
        assume(column is not None)
    rows, _ = render(layout, cells, spell)
    row = 1 + pick % (len(rows) - 1)
    bad = list(rows[row])
    bad[column] = change(bad[column])
    rows[row] = bad
    path = tmp_path / "fejl.csv"
    write_file(path, rows, encoding, delimiter, newline)
    con, db = fresh()
    try:
        before = con.execute("SELECT count(*), coalesce(max(id), 0) FROM upload").fetchone()
        with pytest.raises(Rejected) as refused:
            import_file(con, path, user="hypothesis", today=TODAY)
        lines = [p.line for p in refused.value.problems]
        assert row + 1 in lines, (mutation, row + 1, [p.message() for p in refused.value.problems])
        assert con.execute("SELECT count(*), coalesce(max(id), 0) FROM upload").fetchone() == before
    finally:
        con.close()


def with_summaries(layout, rows, carried, cells, spell):
    """The table with an 'I alt' row under each group (every area of a month and category in a long
    table, of a category in each month column of a wide one); returns the rows and those rows' indexes."""
    out, summaries = [rows[0]], []
    months = sorted({m for m, _, _ in cells})
    groups = sorted({(m, c) for m, _, c in cells}) if layout == "lang" else [(None, c) for c in sorted({c for _, _, c in cells})]
    total = lambda m, c: str(sum(n for (m2, _, c2), n in cells.items() if (m2, c2) == (m, c)))  # noqa: E731
    for month, category in groups:
        out += [row for row, (m, _, c) in zip(rows[1:], carried) if c == category and month in (None, m)]
        label = spell.choice(["I alt", "Total", "Kredsen i alt"])
        if layout == "lang":
            out.append([spell.choice(month_spellings(month)), label, spell.choice(CATEGORIES[category]),
                        total(month, category)])
        else:
            out.append([label, spell.choice(CATEGORIES[category])] + [total(m, category) for m in months])
        summaries.append(len(out) - 1)
    return out, summaries


@settings(max_examples=10 if os.environ.get("HYPOTHESIS_PROFILE", "ci") == "ci" else 200)  # two imports each
@given(tables(), st.integers(min_value=0, max_value=10**6), st.integers(min_value=1, max_value=50))
def test_summary_rows_must_add_up(fresh, tmp_path, table, pick, off_by):
    """'I alt' rows that add up are skipped and listed; one that is off refuses the file at its line."""
    layout, cells, encoding, delimiter, newline, spell = table
    assume(layout != "anmeldelser")
    rows, summaries = with_summaries(layout, *render(layout, cells, spell), cells, spell)
    path = tmp_path / "i_alt.csv"
    write_file(path, rows, encoding, delimiter, newline)
    con, _ = fresh()
    try:
        plan, _ = import_file(con, path, user="hypothesis", today=TODAY)
        assert [(s.reason, s.rows) for s in plan.skipped] == [("skip_summary", len(summaries))]
        assert exported_police_cells(con) == {(f"{m:%Y-%m}", a, c): n for (m, a, c), n in cells.items()}
    finally:
        con.close()
    row = summaries[pick % len(summaries)]
    column = 3 if layout == "lang" else 2 + pick % (len(rows[row]) - 2)
    rows[row] = rows[row][:column] + [str(int(rows[row][column]) + off_by)] + rows[row][column + 1:]
    write_file(path, rows, encoding, delimiter, newline)
    con, _ = fresh()
    try:
        with pytest.raises(Rejected) as refused:
            import_file(con, path, user="hypothesis", today=TODAY)
        assert [p.line for p in refused.value.problems] == [row + 1], [p.message() for p in refused.value.problems]
        assert "summerækken" in refused.value.problems[0].message()
    finally:
        con.close()
