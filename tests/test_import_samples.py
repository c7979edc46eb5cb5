"""The analysts' sample files in ../shared/data/samples: every `eksempel_*` imports with the
numbers it holds, every `fejl_*` is rejected whole with a message naming the line the samples
README names, and leaves the store exactly as it was.

The expected numbers are worked out here from the files themselves with the csv module,
independently of the importer.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from pathlib import Path

import pytest

from formats_helpers import (  # noqa: F401  (fixtures)
    FRB, INDBRUD, KBH, KONTAKT, LOMME, OPIOIDER, POLICE, TAARNBY, DRAGOER,
    do_import, figure, messages, rejected, snapshot, store, stored_cells, upload_row,
)

# A copy of ../shared/data/samples kept with the tests (test_project checks they agree).
SHARED_SAMPLES = Path(__file__).resolve().parent / "samples" / "analyst"

ALL_FILES = sorted(p.name for p in SHARED_SAMPLES.iterdir() if p.is_file() and p.name != "README.md")
GOOD = [n for n in ALL_FILES if n.startswith("eksempel_")]
BAD = [n for n in ALL_FILES if n.startswith("fejl_")]

# Independent of the importer's vocabulary: the spellings the samples use.
AREA = {
    "københavn": KBH, "københavns kommune": KBH,
    "frederiksberg": FRB, "frederiksberg kommune": FRB,
    "dragør": DRAGOER, "dragør kommune": DRAGOER,
    "tårnby": TAARNBY, "tårnby kommune": TAARNBY,
}
CATEGORY = {
    "kontaktbedrageri": KONTAKT, "lomme- og tricktyveri": LOMME, "opioider": OPIOIDER,
    "indbrud i beboelser": INDBRUD,
}
MONTH = {"jan": 1, "feb": 2, "mar": 3, "apr": 4, "maj": 5, "jun": 6, "jul": 7, "aug": 8,
         "sep": 9, "okt": 10, "nov": 11, "dec": 12}


def _month(text: str) -> str:
    """'2025-09' or 'okt 2025' → '2025-10'."""
    text = text.strip().lower()
    m = re.fullmatch(r"(\d{4})-(\d\d)", text)
    if m:
        return f"{m[1]}-{m[2]}"
    name, year = text.split()
    return f"{year}-{MONTH[name[:3]]:02d}"


def _rows(name: str, encoding: str = "utf-8-sig") -> list[list[str]]:
    with open(SHARED_SAMPLES / name, encoding=encoding, newline="") as f:
        return [r for r in csv.reader(f, delimiter=";") if any(c.strip() for c in r)]


def expected_cells(name: str) -> dict[tuple[str, str, str], int]:
    """What each example file says, read with the csv module: (month, area, category) → count."""
    out: dict[tuple[str, str, str], int] = {}
    if name == "eksempel_anmeldelser_2025-11.csv":
        header, *rows = _rows(name)
        assert header[:3] == ["anmeldt", "gerningskommune", "overtrædelse"]
        counts = Counter((r[0][:7], AREA[r[1].lower()], CATEGORY[r[2].lower()]) for r in rows)
        return dict(counts)
    if name == "eksempel_bred_2025.csv":
        header, *rows = _rows(name)
        for r in rows:
            for col in range(2, len(header)):
                out[(_month(header[col]), AREA[r[0].lower()], CATEGORY[r[1].lower()])] = int(r[col])
        return out
    encoding = "cp1252" if "cp1252" in name else "utf-8-sig"
    header, *rows = _rows(name, encoding)
    for r in rows:
        out[(_month(r[0]), AREA[r[1].lower()], CATEGORY[r[2].lower()])] = int(r[3].replace(".", ""))
    return out


EXPECTED_LAYOUT = {
    "eksempel_lang_2025-09.csv": ("lang", "UTF-8"),
    "eksempel_excel_cp1252_2025-10.csv": ("lang", "Windows-1252"),
    "eksempel_bred_2025.csv": ("bred", "UTF-8 med BOM"),
    "eksempel_anmeldelser_2025-11.csv": ("anmeldelser", "UTF-8"),
}

# What each rejection is about (the samples README gives the lines; see readme_lines()).
EXPECTED_PROBLEM = {
    "fejl_ukendt_kommune.csv": ["ukendt kommune 'Frederiksbjerg'", "mente du Frederiksberg?"],
    "fejl_negativt_antal.csv": ["negativt antal '-2'"],
    "fejl_decimaltal.csv": ["decimaltal '2,5'"],
    "fejl_dubleret_celle.csv": ["samme celle", "101", "99"],
    "fejl_fremtidig_periode.csv": ["'2039-01'", "fremtiden"],
    "fejl_mangler_antal.csv": ["mangler en kolonne med antal"],
    "fejl_tom.csv": ["filen er tom"],
}


def readme_lines() -> dict[str, list[int]]:
    """The lines the samples README names for each fejl file: '(line 4)', '(lines 2 and 4)'."""
    text = (SHARED_SAMPLES / "README.md").read_text(encoding="utf-8")
    out = {}
    for name, what in re.findall(r"^\|\s*(fejl_\S+)\s*\|(.*)\|\s*$", text, re.MULTILINE):
        m = re.search(r"\(lines? ([\d ,and]+)\)", what)
        out[name] = [int(n) for n in re.findall(r"\d+", m[1])] if m else []
    return out


def test_every_sample_is_covered():
    assert GOOD and BAD
    assert set(GOOD) == set(EXPECTED_LAYOUT), "a new eksempel file needs an entry in EXPECTED_LAYOUT"
    assert set(BAD) == set(EXPECTED_PROBLEM), "a new fejl file needs an entry in EXPECTED_PROBLEM"
    assert set(readme_lines()) == set(BAD)
    assert set(ALL_FILES) == set(GOOD) | set(BAD)


@pytest.mark.parametrize("name", GOOD)
def test_example_imports_with_its_numbers(store, name):
    path = SHARED_SAMPLES / name
    expected = expected_cells(name)
    plan, upload_id = do_import(store, path)
    assert upload_id is not None
    layout, encoding = EXPECTED_LAYOUT[name]
    assert (plan.layout, plan.encoding, plan.delimiter) == (layout, encoding, ";")
    assert plan.source == POLICE
    assert plan.rows_skipped == 0
    assert plan.new == len(expected) and plan.changed == 0 and plan.unchanged == 0
    assert stored_cells(store, upload_id) == expected
    up = upload_row(store, upload_id)
    assert up["file_name"] == name and up["user_name"] == "test" and up["status"] == "imported"
    assert up["cells_new"] == len(expected) and up["rows_read"] == plan.rows_read
    # Importing the same file again changes nothing.
    before = snapshot(store)
    again, again_id = do_import(store, path)
    assert again_id is None and again.new == 0 and again.changed == 0
    assert again.unchanged == len(expected)
    assert snapshot(store) == before


def test_long_example_numbers(store):
    plan, _ = do_import(store, SHARED_SAMPLES / "eksempel_lang_2025-09.csv")
    assert plan.rows_read == 16
    assert figure(store, "2025-09", KBH, KONTAKT) == 122
    assert figure(store, "2025-09", KBH, LOMME) == 1231
    assert figure(store, "2025-09", DRAGOER, LOMME) == 0  # a written 0 is a figure
    assert figure(store, "2025-09", TAARNBY, INDBRUD) == 7


def test_excel_cp1252_example_numbers(store):
    plan, _ = do_import(store, SHARED_SAMPLES / "eksempel_excel_cp1252_2025-10.csv")
    assert plan.encoding == "Windows-1252"
    assert plan.rows_read == 16
    assert figure(store, "2025-10", KBH, LOMME) == 1274  # written '1.274'
    assert figure(store, "2025-10", KBH, KONTAKT) == 119  # 'Københavns Kommune'
    assert figure(store, "2025-10", TAARNBY, LOMME) == 77  # 'Tårnby Kommune' in cp1252
    assert figure(store, "2025-10", DRAGOER, INDBRUD) == 0


def test_wide_example_numbers(store):
    plan, _ = do_import(store, SHARED_SAMPLES / "eksempel_bred_2025.csv")
    assert plan.rows_read == 16
    assert [p.code for p in plan.periods] == [f"2025-{m:02d}" for m in range(1, 9)]
    assert figure(store, "2025-01", KBH, KONTAKT) == 118
    assert figure(store, "2025-08", KBH, LOMME) == 1300
    assert figure(store, "2025-05", DRAGOER, OPIOIDER) == 0
    assert figure(store, "2025-09", KBH, KONTAKT) is None


def test_reports_example_counts(store):
    name = "eksempel_anmeldelser_2025-11.csv"
    expected = expected_cells(name)
    header, *rows = _rows(name)
    plan, upload_id = do_import(store, SHARED_SAMPLES / name)
    assert plan.rows_read == len(rows) == sum(expected.values())
    assert [p.code for p in plan.periods] == ["2025-11"]
    for (month, area, category), n in expected.items():
        assert figure(store, month, area, category) == n, (month, area, category)
    assert sum(stored_cells(store, upload_id).values()) == len(rows)


@pytest.mark.parametrize("name", BAD)
def test_bad_sample_is_rejected_naming_the_line(store, name):
    problems = rejected(store, SHARED_SAMPLES / name)
    text = messages(problems)
    for fragment in EXPECTED_PROBLEM[name]:
        assert fragment in text, text
    lines = readme_lines()[name]
    if lines:
        shown = lines[0] if len(lines) == 1 else None
        if shown is not None:
            assert any(p.line == shown for p in problems), text
            assert f"linje {shown}" in text
        else:  # 'lines 2 and 4': one problem naming both
            assert any(p.line == lines[0] and set(p.other_lines) == set(lines[1:]) for p in problems), text
            assert "linje " + " og ".join(str(n) for n in lines) in text
    # Every problem that names a line names one that exists in the file.
    physical = (SHARED_SAMPLES / name).read_bytes().count(b"\n") + 1
    for p in problems:
        assert p.line is None or 1 <= p.line <= physical


def test_bad_samples_do_not_stop_a_good_one_afterwards(store):
    """A rejected file leaves no half state behind: the next good file imports normally."""
    for name in BAD:
        rejected(store, SHARED_SAMPLES / name)
    plan, upload_id = do_import(store, SHARED_SAMPLES / "eksempel_lang_2025-09.csv")
    assert upload_id is not None and plan.new == 16
