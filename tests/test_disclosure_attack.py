"""The promise, attacked: briefings published in a row cannot be combined to narrow any hidden cell.

A store with small counts (Danmarks Statistik's quarters and the police's months, random per
seed), a sequence of final public briefings (quarterly and monthly, thresholds 3, 5 and 10
mixed), then `attacker.Attack` — which knows nothing of the suppression code — reads the
DOCX files and solves one MILP over all of them. Every cell it sees hidden must keep its
margin: a small one (1 … N−1) the whole range, any other ±N around its value, as far as the
documents before it had already narrowed it. The charts are not rendered: each is a 1×1
image with its real description, the text alternative listing every point it draws.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
import shutil
import struct
import zlib

import pytest

from attacker import DISTRICT, MUNICIPALITIES, Attack, add_months
from conftest import TODAY
from statistik import config, publications
from statistik.bootstrap import open_store
from statistik.briefing import assemble, disclose
from statistik.briefing.content import collect
from statistik.briefing.render_docx import render
from statistik.ingest import import_file

CODES = dict(zip(MUNICIPALITIES, ("101", "147", "155", "185")))
DST = {"Indbrud i beboelser": "1320"}           # violence keeps the shipped (larger) figures
POLICE = ("Kontaktbedrageri", "Opioider")       # pickpocketing has none: its section shows Andre tyverier
CATEGORY_CODES = {"Indbrud i beboelser": "1320", "Voldsforbrydelser": "12", "Kontaktbedrageri": "kontaktbedrageri",
                  "Opioider": "opioider", "Lomme- og tricktyveri": "lomme-og-tricktyveri",
                  "Lov om euforiserende stoffer": "3210", "Andre tyverier": "1336"}


def small_counts(tmp_path, seed: int):
    """The seeded store with small counts: DST burglary per quarter, two police categories per month."""
    rng = random.Random(seed)
    scale = {area: rng.choice([0.5, 1, 2, 4, 12, 40]) for area in MUNICIPALITIES}
    path = tmp_path / "dst.csv"
    with open(path, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(["periode", "kommune", "kategori", "antal"])
        for year in range(2016, 2026):
            for quarter in range(1, 5):
                for name in DST:
                    for area in MUNICIPALITIES:
                        out.writerow([f"{year}K{quarter}", area, name, _poisson(rng, scale[area] * 3)])
    police = tmp_path / "politi.csv"
    with open(police, "w", encoding="utf-8", newline="") as f:
        out = csv.writer(f, delimiter=";")
        out.writerow(["periode", "kommune", "kategori", "antal"])
        month = dt.date(2023, 1, 1)
        while month <= dt.date(2025, 9, 1):
            for name in POLICE:
                for area in MUNICIPALITIES:
                    out.writerow([f"{month:%Y-%m}", area, name, _poisson(rng, scale[area])])
            month = add_months(month, 1)
    return path, police


def _poisson(rng: random.Random, mean: float) -> int:
    limit, k, p = math.exp(-mean), 0, rng.random()
    while p > limit:
        k += 1
        p *= rng.random()
    return k


def truth(con, span) -> int:
    """The true count of a span a document printed or hid."""
    name, source = span.series
    areas = [CODES[a] for a in (MUNICIPALITIES if span.area == DISTRICT else (span.area,))]
    last = add_months(span.start, span.months - 1)
    return con.execute("SELECT coalesce(sum(count), 0) FROM figure WHERE source = ? AND category_code = ? "
                       "AND area_code IN (SELECT unnest(?)) AND period_start BETWEEN ? AND ?",
                       [source, CATEGORY_CODES[name], areas, span.start, last]).fetchone()[0]


def population() -> dict[tuple[str, int], int]:
    """FOLK1A as anyone can download it (the shipped file)."""
    names = {code: name for name, code in CODES.items()}
    out = {}
    with open(config.DATA_DIR / "folk1a_2016-2025_koder.csv", encoding="utf-8-sig") as f:
        for row in csv.DictReader(f, delimiter=";"):
            if row["OMRÅDE"] in names:
                out[(names[row["OMRÅDE"]], int(row["TID"][:4]))] = int(row["INDHOLD"])
    return out


def _chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


# A 1×1 grey PNG in place of each chart: its description is what the attacker reads.
PIXEL = (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0))
         + _chunk(b"IDAT", zlib.compress(b"\x00\x80")) + _chunk(b"IEND", b""))

SEQUENCES = {
    "kvartaler": ["2025K1", "2025K2", "2025K3"],
    "måneder": ["2025-07", "2025-08", "2025-09"],
}


@pytest.mark.parametrize("seed", [1, 2])
def test_no_hidden_cell_can_be_narrowed_from_all_published_briefings_together(seeded_template, tmp_path, seed):
    db = tmp_path / "statistik.duckdb"
    shutil.copy(seeded_template, db)
    con = open_store(db)
    dst, police = small_counts(tmp_path, seed)
    import_file(con, dst, user="test", source=config.DST_SOURCE, today=TODAY)
    import_file(con, police, user="test", today=TODAY)
    order = random.Random(seed).sample([3, 5, 10] * 2, 6)      # every threshold, twice, in a random order
    attack, thresholds = Attack(population()), []
    meeting = dt.date(2025, 1, 10)
    for kind in SEQUENCES:
        for period in SEQUENCES[kind]:
            below = order[len(thresholds)]
            b = collect(con, meeting, period=period, suppress_below=below, final=True, today=TODAY)
            data = render(assemble.build(b, {key: PIXEL for key in assemble.chart_figures(b)}))
            cells, figures = disclose.published_cells(b.books)
            publications.record(con, meeting=meeting, created_by="test", periods=b.periods_text(),
                                suppress_below=below, file_format="docx", organisation="x",
                                members=b.books.members, cells=cells, figures=figures, content=data)
            attack.read(data)
            thresholds.append(below)
            meeting += dt.timedelta(days=40)
    first: dict = {}                                   # each hidden cell, with the document that first hid it
    for doc, span in attack.hidden:
        first.setdefault(span, doc)
    assert len(first) >= 40, "too few hidden cells to mean anything"
    everything = attack.intervals(list(first))
    priors = {}
    for doc in sorted(set(first.values())):            # what the documents before it already told
        spans = [s for s, d in first.items() if d == doc]
        priors.update(attack.intervals(spans, documents=doc) if doc else {s: (0, math.inf) for s in spans})
    for span, doc in first.items():
        value, below = truth(con, span), thresholds[doc]
        need = (1, below - 1) if 1 <= value < below else (max(0, value - below), value + below)
        need = (max(need[0], priors[span][0]), min(need[1], priors[span][1]))
        low, high = everything[span]
        assert low <= need[0] and high >= need[1], (span, value, below, (low, high), need)
    con.close()
