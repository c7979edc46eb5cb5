"""Every layout and dialect PRODUCT.md promises, with the numbers each file must store, and
every way a file is rejected (naming the physical line, leaving the store unchanged).

The small files are in tests/samples/ (see tests/samples/FORMATER.md); files that only make
sense generated (large, binary, many dialects of one text) are written to tmp_path here.
"""

from __future__ import annotations

import codecs
import csv
import itertools
import zipfile

import pytest

from formats_helpers import (  # noqa: F401  (fixtures)
    DRAGOER, DST, FRB, INDBRUD, KBH, KONTAKT, LANDET, LOCAL_SAMPLES, LOMME, OPIOIDER, POLICE,
    REGION_H, TAARNBY, TOT, VOLD,
    do_import, dst_codes, figure, messages, rejected, snapshot, store,
    store_without_dst_2025, stored_cells, upload_row,
)

S = LOCAL_SAMPLES


def cells(period, *triples):
    """{(period, area, category): n} for several (area, category, n) in one period."""
    return {(period, a, c): n for a, c, n in triples}


# ---------------------------------------------------------------------------------------
# Analyst files: one per dialect and layout
# file, layout, encoding, delimiter, rows read, rows skipped, cells stored
# ---------------------------------------------------------------------------------------
ANALYST_FILES = [
    ("lang_komma.csv", "lang", "UTF-8", ",", 5, 0, cells(
        "2025-07", (KBH, KONTAKT, 131), (FRB, KONTAKT, 21), (DRAGOER, OPIOIDER, 3),
        (KBH, LOMME, 1318), (TAARNBY, LOMME, 64))),
    ("lang_tabulator.tsv", "lang", "UTF-8", "\t", 4, 0, cells(
        "2025-06", (KBH, OPIOIDER, 29), (TAARNBY, KONTAKT, 9), (DRAGOER, INDBRUD, 3),
        (KBH, LOMME, 1242))),
    ("lang_unicode_tekst_utf16le.txt", "lang", "UTF-16", "\t", 4, 0, cells(
        "2025-05", (KBH, LOMME, 1226), (DRAGOER, INDBRUD, 3), (TAARNBY, OPIOIDER, 1),
        (FRB, KONTAKT, 19))),
    ("lang_utf8_bom.csv", "lang", "UTF-8 med BOM", ";", 3, 0, cells(
        "2025-04", (KBH, KONTAKT, 98), (TAARNBY, LOMME, 70), (DRAGOER, OPIOIDER, 1))),
    ("lang_windows1252_crlf.csv", "lang", "Windows-1252", ";", 4, 0, cells(
        "2025-08", (KBH, LOMME, 1300), (TAARNBY, KONTAKT, 12), (DRAGOER, OPIOIDER, 1),
        (FRB, INDBRUD, 12))),
    ("lang_sep_linje.csv", "lang", "UTF-8", ";", 3, 0, cells(
        "2025-03", (KBH, OPIOIDER, 28), (FRB, OPIOIDER, 4), (TAARNBY, OPIOIDER, 2))),
    ("lang_tomme_kolonner_og_linjer.csv", "lang", "UTF-8", ";", 4, 2, cells(
        "2025-02", (KBH, KONTAKT, 117), (DRAGOER, KONTAKT, 4))),
    ("lang_citeret.csv", "lang", "UTF-8", ";", 3, 0, cells(
        "2025-01", (KBH, LOMME, 1220), (FRB, LOMME, 42), (TAARNBY, LOMME, 71))),
    ("lang_overskrift_synonymer.csv", "lang", "UTF-8", ";", 3, 0, cells(
        "2025-05", (KBH, OPIOIDER, 29), (FRB, OPIOIDER, 5), (DRAGOER, KONTAKT, 0))),
    ("lang_kommune_skrivemaader.csv", "lang", "UTF-8", ";", 9, 0, {
        **cells("2025-09",
                (KBH, KONTAKT, 122),     # 0101
                (KBH, OPIOIDER, 23),     # 101
                (KBH, LOMME, 1231),      # Kbh.
                (KBH, INDBRUD, 52),      # Københavns Kommune
                (FRB, KONTAKT, 18),      # FREDERIKSBERG KOMMUNE
                (DRAGOER, KONTAKT, 5),   # 0155
                (TAARNBY, KONTAKT, 10),  # tårnby
                (TAARNBY, OPIOIDER, 2)),  # Taarnby
        ("2025-08", KBH, KONTAKT): 104,  # 101 København
    }),
    ("lang_tusindtal.csv", "lang", "UTF-8", ";", 5, 0, cells(
        "2025", (KBH, LOMME, 14955), (LANDET, KONTAKT, 1234567), (REGION_H, KONTAKT, 12345),
        (FRB, LOMME, 999), (TAARNBY, LOMME, 1234))),
    ("lang_periodeformater.csv", "lang", "UTF-8", ";", 10, 0, {
        ("2025-09", KBH, KONTAKT): 122,       # 2025-09
        ("2025-09", FRB, KONTAKT): 18,        # 2025M09
        ("2025-09", DRAGOER, KONTAKT): 5,     # sep 2025
        ("2025-09", TAARNBY, KONTAKT): 10,    # september 2025
        ("2025-09", KBH, OPIOIDER): 23,       # 09-2025
        ("2025-09", FRB, OPIOIDER): 5,        # 2025-09-01
        ("2025-09", DRAGOER, OPIOIDER): 2,    # Sep. 2025
        ("2025K3", KBH, LOMME): 3769,         # 2025K3
        ("2025K3", FRB, LOMME): 127,          # 2025Q3
        ("2025", TAARNBY, INDBRUD): 24,       # 2025 (a category the police give by year only)
    }),
    ("lang_summeraekker.csv", "lang", "UTF-8", ";", 7, 4, cells(
        "2025-10", (KBH, KONTAKT, 119), (FRB, KONTAKT, 15), (KBH, OPIOIDER, 26))),
    ("bred_maaneder_med_i_alt.csv", "bred", "UTF-8", ";", 4, None, {
        **cells("2025-01", (KBH, KONTAKT, 118), (FRB, KONTAKT, 18), (KBH, LOMME, 1220)),
        **cells("2025-02", (KBH, KONTAKT, 117), (FRB, KONTAKT, 20), (KBH, LOMME, 1283)),
        **cells("2025-03", (KBH, KONTAKT, 100), (FRB, KONTAKT, 18), (KBH, LOMME, 1241)),
    }),
    ("bred_kvartaler.csv", "bred", "UTF-8", ";", 3, 0, {
        **cells("2024K4", (DRAGOER, INDBRUD, 6), (TAARNBY, INDBRUD, 29), (TAARNBY, OPIOIDER, 4)),
        **cells("2025K1", (DRAGOER, INDBRUD, 9), (TAARNBY, INDBRUD, 12), (TAARNBY, OPIOIDER, 5)),
        # Tårnby Indbrud 2025Q2 is empty in the file: no figure, not zero.
        **cells("2025K2", (DRAGOER, INDBRUD, 2), (TAARNBY, OPIOIDER, 7)),
        **cells("2025K3", (DRAGOER, INDBRUD, 3), (TAARNBY, INDBRUD, 20), (TAARNBY, OPIOIDER, 3)),
    }),
    ("anmeldelser_datoformater.csv", "anmeldelser", "UTF-8", ";", 11, 0, {
        # 2025-09-03, 03-09-2025, 03.09.2025, 3.9.2025, 2025-09-30 23:59 (day first!)
        ("2025-09", KBH, KONTAKT): 5,
        ("2025-10", KBH, KONTAKT): 1,        # 01.10.2025
        ("2025-10", FRB, KONTAKT): 1,        # 12.10.2025 is October, not December
        ("2025-03", FRB, OPIOIDER): 1,       # 09.03.2025 is March, not September
        ("2025-08", TAARNBY, LOMME): 2,      # 31-08-2025, 31.08.2025
        ("2025-09", TAARNBY, LOMME): 1,      # 01.09.2025
    }),
]


@pytest.mark.parametrize(
    "name, layout, encoding, delimiter, rows_read, rows_skipped, expected",
    ANALYST_FILES, ids=[f[0] for f in ANALYST_FILES],
)
def test_analyst_file_imports(store, name, layout, encoding, delimiter, rows_read, rows_skipped, expected):
    plan, upload_id = do_import(store, S / name)
    assert upload_id is not None
    assert (plan.layout, plan.encoding, plan.delimiter) == (layout, encoding, delimiter)
    assert plan.source == POLICE
    assert plan.rows_read == rows_read
    if rows_skipped is not None:
        assert plan.rows_skipped == rows_skipped
    assert (plan.new, plan.changed, plan.unchanged) == (len(expected), 0, 0)
    assert plan.new_categories == {}
    # Exactly these cells and nothing else (no summary rows, no empty cells, no new areas).
    assert stored_cells(store, upload_id) == expected
    up = upload_row(store, upload_id)
    assert (up["source"], up["measure"], up["layout"], up["encoding"]) == (POLICE, "figure", layout, encoding)
    assert (up["rows_read"], up["cells_new"]) == (rows_read, len(expected))
    # Importing it again changes nothing.
    before = snapshot(store)
    again, again_id = do_import(store, S / name)
    assert again_id is None and (again.new, again.changed, again.unchanged) == (0, 0, len(expected))
    assert snapshot(store) == before


def test_period_kinds_are_stored_as_written(store):
    plan, upload_id = do_import(store, S / "lang_periodeformater.csv")
    kinds = dict(store.execute(
        "SELECT strftime(period_start, '%Y-%m') || ' ' || area_code, period_kind FROM figure WHERE upload_id = ?",
        [upload_id]).fetchall())
    assert kinds["2025-09 101"] == "M"
    assert kinds["2025-07 101"] == "Q" and kinds["2025-07 147"] == "Q"
    assert kinds["2025-01 185"] == "Y"
    assert {p.code for p in plan.periods} == {"2025-09", "2025K3", "2025"}


def test_summary_rows_are_skipped_and_not_stored(store):
    plan, upload_id = do_import(store, S / "lang_summeraekker.csv")
    assert plan.rows_skipped == 4  # I alt, Total, Kredsen i alt, Total/Total
    assert plan.areas == [KBH, FRB] and plan.categories == [KONTAKT, OPIOIDER]
    assert upload_row(store, upload_id)["rows_skipped"] == 4
    # Nothing for the district total, nor a new category or area for the summary labels.
    assert figure(store, "2025-10", KBH, KONTAKT) == 119
    assert store.execute(
        "SELECT count(*) FROM figure WHERE upload_id = ? AND area_code NOT IN ('101', '147')", [upload_id]
    ).fetchone()[0] == 0
    assert store.execute("SELECT count(*) FROM category WHERE upload_id = ?", [upload_id]).fetchone()[0] == 0


def test_wide_summary_column_and_row_are_not_stored(store):
    plan, upload_id = do_import(store, S / "bred_maaneder_med_i_alt.csv")
    assert "I alt" not in [p.code for p in plan.periods]
    assert [p.code for p in plan.periods] == ["2025-01", "2025-02", "2025-03"]
    assert plan.areas == [KBH, FRB]
    assert sum(stored_cells(store, upload_id).values()) == 118 + 117 + 100 + 18 + 20 + 18 + 1220 + 1283 + 1241


def test_wide_summary_row_counts_as_one_skipped_row(store):
    plan, _ = do_import(store, S / "bred_maaneder_med_i_alt.csv")
    assert plan.rows_skipped == 1  # the one 'I alt' row (it has 3 month cells)


def test_total_row_with_label_in_first_column_is_skipped(store):
    plan, upload_id = do_import(store, S / "lang_summeraekke_i_periodekolonnen.csv")
    assert plan.rows_skipped == 1
    assert stored_cells(store, upload_id) == cells("2025-10", (KBH, KONTAKT, 119), (FRB, KONTAKT, 15))


def test_summary_row_with_empty_category_is_skipped(store):
    plan, upload_id = do_import(store, S / "lang_summeraekke_uden_kategori.csv")
    assert plan.rows_skipped == 1
    assert stored_cells(store, upload_id) == cells("2025-10", (KBH, KONTAKT, 119), (FRB, KONTAKT, 15))


def test_reports_are_counted_per_month_day_first(store):
    _, upload_id = do_import(store, S / "anmeldelser_datoformater.csv")
    got = stored_cells(store, upload_id)
    assert got[("2025-09", KBH, KONTAKT)] == 5
    assert ("2025-12", FRB, KONTAKT) not in got   # 12.10.2025 read month first would be December
    assert ("2025-09", FRB, OPIOIDER) not in got  # 09.03.2025 read month first would be September
    assert sum(got.values()) == 11


def test_header_synonyms_name_the_columns_in_messages(store, tmp_path):
    """The odd-case header is kept as written when a problem names a column."""
    path = tmp_path / "synonymer_fejl.csv"
    path.write_text("MD.;GERNINGSKOMMUNE;overTRÆDELSE;AnMeldelser\n2025-05;Frederiksbjerg;Opioider;5\n",
                    encoding="utf-8")
    problems = rejected(store, path)
    assert [(p.line, p.column) for p in problems] == [(2, "GERNINGSKOMMUNE")]


def test_utf16_without_bom_tab_separated(store, tmp_path):
    path = tmp_path / "utf16le_uden_bom.txt"
    text = "Måned\tKommune\tKategori\tAntal\r\nmaj 2025\tTårnby\tOpioider\t1\r\nmaj 2025\tDragør\tOpioider\t2\r\n"
    path.write_bytes(text.encode("utf-16-le"))
    plan, upload_id = do_import(store, path)
    assert plan.encoding == "UTF-16" and plan.delimiter == "\t"
    assert stored_cells(store, upload_id) == cells("2025-05", (TAARNBY, OPIOIDER, 1), (DRAGOER, OPIOIDER, 2))


def test_latin1_file(store, tmp_path):
    path = tmp_path / "latin1.csv"
    path.write_bytes("periode;kommune;kategori;antal\n2025-09;Tårnby;Opioider;2\n2025-09;Dragør;Opioider;1\n"
                     .encode("latin-1"))
    plan, upload_id = do_import(store, path)
    assert plan.encoding in ("Windows-1252", "Latin-1")
    assert stored_cells(store, upload_id) == cells("2025-09", (TAARNBY, OPIOIDER, 2), (DRAGOER, OPIOIDER, 1))


def test_quoted_field_with_line_break_imports(store):
    plan, upload_id = do_import(store, S / "lang_multilinje_note.csv")
    assert stored_cells(store, upload_id) == cells("2025-09", (KBH, KONTAKT, 122), (FRB, KONTAKT, 18))


def test_cp1252_file_longer_than_the_sampled_head(store, tmp_path):
    """A Windows-1252 reports file with CRLF whose non-ASCII bytes are within the sampled head."""
    rows = ["dato;kommune;kategori"] + ["03.09.2025;Frederiksberg;Kontaktbedrageri"] * 100
    rows += ["04.09.2025;Tårnby;Opioider", "05.09.2025;Dragør;Opioider"]
    path = tmp_path / "anmeldelser_cp1252.csv"
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    plan, upload_id = do_import(store, path)
    assert plan.encoding == "Windows-1252"
    assert stored_cells(store, upload_id) == cells(
        "2025-09", (FRB, KONTAKT, 100), (TAARNBY, OPIOIDER, 1), (DRAGOER, OPIOIDER, 1))


def _big_cp1252_reports(path, tail):
    rows = ["dato;kommune;kategori"] + ["03.09.2025;Frederiksberg;Kontaktbedrageri"] * 30000 + tail
    path.write_bytes(("\r\n".join(rows) + "\r\n").encode("cp1252"))
    assert path.stat().st_size > (1 << 20)  # beyond the head the importer samples
    return path


def test_big_cp1252_file_with_non_ascii_after_the_head_imports(store, tmp_path):
    path = _big_cp1252_reports(tmp_path / "stor_cp1252.csv",
                               ["04.09.2025;Tårnby;Opioider", "05.09.2025;Dragør;Opioider"])
    plan, upload_id = do_import(store, path)
    assert plan.encoding == "Windows-1252"
    assert stored_cells(store, upload_id) == cells(
        "2025-09", (FRB, KONTAKT, 30000), (TAARNBY, OPIOIDER, 1), (DRAGOER, OPIOIDER, 1))


def test_big_cp1252_file_with_a_bad_row_after_the_head_is_rejected_with_its_line(store, tmp_path):
    path = _big_cp1252_reports(tmp_path / "stor_cp1252_fejl.csv",
                               ["", "04.09.2025;Tårnby;Opioider", "05.09.2025;Frederiksbjerg;Opioider"])
    problems = rejected(store, path)
    assert [(p.line, p.text) for p in problems] == [(30004, "ukendt kommune 'Frederiksbjerg'")]


def test_large_reports_file_is_counted_exactly(store, tmp_path):
    """75 000 reports (a few MB): every row counted once."""
    path = tmp_path / "mange_anmeldelser.csv"
    areas = ["København", "Frederiksberg", "Dragør", "Tårnby"]
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write("anmeldt;gerningskommune;overtrædelse;journalnr\n")
        for i in range(75_000):
            f.write(f"2025-{i % 12 + 1:02d}-{i % 28 + 1:02d};{areas[i % 4]};Lomme- og tricktyveri;0100-{i}-25\n")
    plan, upload_id = do_import(store, path)
    got = stored_cells(store, upload_id)
    assert plan.rows_read == 75_000 and sum(got.values()) == 75_000
    # i ≡ m-1 (mod 12) and i ≡ a (mod 4): 75 000 / 12 = 6 250 rows a month, all in one area.
    assert got[("2025-01", KBH, LOMME)] == 6250
    assert got[("2025-02", FRB, LOMME)] == 6250
    assert len(got) == 12


# ---------------------------------------------------------------------------------------
# Statistikbanken
# ---------------------------------------------------------------------------------------
def test_bulk_with_codes(store_without_dst_2025):
    con = store_without_dst_2025
    plan, upload_id = do_import(con, S / "statbank_bulk_koder.csv")
    assert (plan.layout, plan.source) == ("lang", DST)
    assert plan.rows_read == 11
    real = dst_codes()
    expected = {k: real[k] for k in itertools.product(["2025K1", "2025K2"], [KBH, DRAGOER], [INDBRUD, VOLD, "3410"])}
    assert expected[("2025K2", DRAGOER, "3410")] == 0   # missing from the file: zero
    del expected[("2025K2", KBH, VOLD)]                 # '..' in the file: no figure
    assert stored_cells(con, upload_id) == expected
    assert figure(con, "2025K2", DRAGOER, "3410", DST) == 0
    assert figure(con, "2025K2", KBH, VOLD, DST) is None
    assert upload_row(con, upload_id)["source"] == DST


def test_bulk_with_codes_matches_the_shipped_figures(store):
    """On the seeded store nothing changes; '..' leaves the shipped 1108 alone."""
    before = snapshot(store)
    plan, upload_id = do_import(store, S / "statbank_bulk_koder.csv")
    assert upload_id is None and (plan.new, plan.changed, plan.unchanged) == (0, 0, 11)
    assert snapshot(store) == before
    assert figure(store, "2025K2", KBH, VOLD, DST) == 1108


def test_bulk_with_code_and_text_values(store_without_dst_2025):
    con = store_without_dst_2025
    plan, upload_id = do_import(con, S / "statbank_bulk_kode_og_tekst.csv")
    assert (plan.source, plan.encoding) == (DST, "UTF-8 med BOM")
    real = dst_codes()
    expected = {k: real[k] for k in itertools.product(
        ["2025K3"], [LANDET, REGION_H, KBH, FRB, DRAGOER, TAARNBY], [TOT, INDBRUD, VOLD])}
    assert stored_cells(con, upload_id) == expected
    assert plan.new_categories == {}  # '1320 Indbrud i beboelser' is 1320, not a new category


def test_bulk_with_code_and_text_matches_the_shipped_figures(store):
    plan, upload_id = do_import(store, S / "statbank_bulk_kode_og_tekst.csv")
    assert upload_id is None and (plan.new, plan.changed, plan.unchanged) == (0, 0, 18)


def _texts_file():
    with open(S / "straf11_2025_tekster_udtraek.csv", encoding="utf-8") as f:
        return list(csv.reader(f, delimiter=";"))[1:]


TEXT_AREAS = {"Hele landet": LANDET, "Region Hovedstaden": REGION_H, "København": KBH,
              "Frederiksberg": FRB, "Dragør": DRAGOER, "Tårnby": TAARNBY, "Uoplyst kommune": "998"}
TEXT_KNOWN = {"Indbrud i beboelser": INDBRUD, "Voldsforbrydelser i alt": VOLD, "Butikstyverier mv.": "1332"}


def test_bulk_with_texts_real_dst_extract(store_without_dst_2025):
    con = store_without_dst_2025
    rows = _texts_file()
    plan, upload_id = do_import(con, S / "straf11_2025_tekster_udtraek.csv", allow_new_categories=True)
    assert (plan.layout, plan.source, plan.rows_read) == ("lang", DST, len(rows))
    got = stored_cells(con, upload_id)
    real = dst_codes()
    # Dragør 'Indbrud i beboelser' 2025K1 is what the codes file says for 155/1320/2025K1.
    assert got[("2025K1", DRAGOER, INDBRUD)] == real[("2025K1", DRAGOER, INDBRUD)] == 9
    assert figure(con, "2025K1", DRAGOER, INDBRUD, DST) == 9
    # Every cell of a category known by code equals the codes file.
    compared = 0
    for area, text, period, value in rows:
        if text in TEXT_KNOWN:
            key = (period, TEXT_AREAS[area], TEXT_KNOWN[text])
            assert got[key] == real[key] == int(value), key
            compared += 1
    assert compared == 7 * 3 * 4
    # Combinations missing from the BULK file are zero.
    areas = sorted({r[0] for r in rows})
    texts = sorted({r[1] for r in rows})
    tids = sorted({r[2] for r in rows})
    present = {(r[0], r[1], r[2]) for r in rows}
    missing = [k for k in itertools.product(areas, texts, tids) if k not in present]
    assert len(missing) == 38
    codes = {**TEXT_KNOWN, **{name: code for code, name in plan.new_categories.items()}}
    for area, text, period in missing:
        assert got[(period, TEXT_AREAS[area], codes[text])] == 0, (area, text, period)
    assert got[("2025K1", KBH, "uagtsomt-manddrab-legemsbeskadigelse")] == 0
    assert len(got) == len(areas) * len(texts) * len(tids) == len(rows) + 38
    # Texts that are not categories yet become DST categories.
    assert "Røveri" in plan.new_categories.values()
    origin = store_without_dst_2025.execute(
        "SELECT DISTINCT origin FROM category WHERE upload_id = ?", [upload_id]).fetchall()
    assert origin == [("dst",)]


def test_bulk_with_texts_agrees_with_the_shipped_codes_file(store):
    plan, _ = do_import(store, S / "straf11_2025_tekster_udtraek.csv", allow_new_categories=True)
    assert plan.changed == 0  # the texts extract and the shipped codes file agree
    assert plan.unchanged == 7 * 3 * 4


def test_matrix_download(store_without_dst_2025):
    con = store_without_dst_2025
    plan, upload_id = do_import(con, S / "statbank_matrix.csv", allow_new_categories=True)
    assert (plan.layout, plan.source) == ("bred", DST)
    assert plan.rows_read == 6  # the title line is read, and listed as skipped
    assert [(s.reason, s.lines) for s in plan.skipped] == [("skip_title", [1])]
    real = dst_codes()
    expected = {k: real[k] for k in itertools.product(
        ["2025K1", "2025K2", "2025K3", "2025K4"], [KBH, DRAGOER], [INDBRUD, VOLD])}
    # 'Røveri' is new; its 2025K3 is '..': no figure.
    expected.update({("2025K1", KBH, "roeveri"): 78, ("2025K2", KBH, "roeveri"): 108,
                     ("2025K4", KBH, "roeveri"): 77})
    assert stored_cells(con, upload_id) == expected
    assert plan.new_categories == {"roeveri": "Røveri"}
    # The area label given only on the group's first row holds for the rows below it.
    assert figure(con, "2025K2", KBH, VOLD, DST) == 1108
    assert figure(con, "2025K4", DRAGOER, VOLD, DST) == 11
    assert upload_row(con, upload_id)["source"] == DST


def test_matrix_download_windows1252_all_quoted(store_without_dst_2025):
    con = store_without_dst_2025
    plan, upload_id = do_import(con, S / "statbank_matrix_ansi.csv")
    assert (plan.layout, plan.source, plan.encoding) == ("bred", DST, "Windows-1252")
    real = dst_codes()
    expected = {k: real[k] for k in itertools.product(
        ["2025K1", "2025K2", "2025K3", "2025K4"], [TAARNBY, FRB], [INDBRUD, VOLD])}
    assert stored_cells(con, upload_id) == expected


def test_matrix_download_matches_the_shipped_figures(store):
    plan, upload_id = do_import(store, S / "statbank_matrix_ansi.csv")
    assert upload_id is None and (plan.new, plan.changed, plan.unchanged) == (0, 0, 16)


def test_matrix_with_category_first(store_without_dst_2025, tmp_path):
    """Row variables the other way round: the category label fills down, areas vary."""
    path = tmp_path / "matrix_kategori_foerst.csv"
    path.write_text('"Titel"\n\n;;"2025K1";"2025K2"\n'
                    '"Indbrud i beboelser";"København";201;168\n;"Dragør";9;2\n'
                    '"Voldsforbrydelser i alt";"København";951;1108\n;"Dragør";9;12\n', encoding="utf-8")
    plan, upload_id = do_import(store_without_dst_2025, path)
    assert plan.source == DST
    real = dst_codes()
    assert stored_cells(store_without_dst_2025, upload_id) == {
        k: real[k] for k in itertools.product(["2025K1", "2025K2"], [KBH, DRAGOER], [INDBRUD, VOLD])}


def test_population_bulk(store):
    plan, upload_id = do_import(store, S / "folk1a_bulk_2026K1.csv")
    assert (plan.layout, plan.source) == ("folketal", DST)
    assert [p.code for p in plan.periods] == ["2026"]
    assert plan.new == 4
    rows = store.execute(
        "SELECT area_code, year, population FROM population WHERE upload_id = ? ORDER BY 1", [upload_id]
    ).fetchall()
    assert rows == [(KBH, 2026, 667099), (FRB, 2026, 105011), (DRAGOER, 2026, 14702), (TAARNBY, 2026, 43598)]
    assert store.execute("SELECT count(*) FROM figure WHERE upload_id = ?", [upload_id]).fetchone()[0] == 0
    up = upload_row(store, upload_id)
    assert (up["measure"], up["source"]) == ("population", DST)


def test_population_not_on_1_january_is_not_stored(store, tmp_path):
    path = tmp_path / "folk1a.csv"
    path.write_text("OMRÅDE;TID;INDHOLD\n101;2026K1;667099\n101;2026K2;668000\n", encoding="utf-8")
    plan, upload_id = do_import(store, path)
    assert plan.new == 1
    assert [(s.reason, s.rows, s.lines) for s in plan.skipped] == [("skip_not_january", 1, [3])]
    assert store.execute("SELECT year, population FROM population WHERE upload_id = ?",
                         [upload_id]).fetchall() == [(2026, 667099)]


# ---------------------------------------------------------------------------------------
# Rejections: each names its line and leaves the store unchanged
# ---------------------------------------------------------------------------------------
def test_unknown_category_with_suggestion(store):
    problems = rejected(store, S / "fejl_ukendt_kategori.csv")
    assert len(problems) == 1
    p = problems[0]
    assert (p.line, p.column) == (3, "kategori")
    assert p.fix == "mente du Kontaktbedrageri?"
    assert p.message() == ("linje 3, kolonne kategori: ukendt kategori 'Kontaktbedragerie' "
                           "— mente du Kontaktbedrageri?")


def test_all_problems_of_a_file_at_once(store):
    problems = rejected(store, S / "fejl_flere_problemer.csv")
    found = {p.line: p.message() for p in problems}
    assert sorted(found) == [3, 4, 5, 6, 7, 8], messages(problems)
    assert "ukendt kommune 'Frederiksbjerg'" in found[3] and "mente du Frederiksberg?" in found[3]
    assert "ukendt kategori 'Opiodier'" in found[4] and "mente du Opioider?" in found[4]
    assert "ukendt periode '2025-13'" in found[5]
    assert "negativt antal '-1'" in found[6]
    assert "decimaltal '2,5'" in found[7]
    assert "'mange' er ikke et antal" in found[8]
    assert [p.line for p in problems] == sorted(p.line for p in problems)  # in file order


def test_month_13(store):
    problems = rejected(store, S / "fejl_maaned_13.csv")
    assert [(p.line, p.column) for p in problems] == [(3, "periode")]
    assert "ukendt periode '2025-13'" in problems[0].message()


@pytest.mark.parametrize("period", ["2025-13", "2025M13", "2025-00", "13-2025", "2025K5", "2025Q0",
                                    "K5 2025", "2025-02-30", "2025-9-31", "2025-04-31", "trettende 2025"])
def test_impossible_period(store, tmp_path, period):
    path = tmp_path / "umulig_periode.csv"
    path.write_text(f"periode;kommune;kategori;antal\n2025-09;København;Kontaktbedrageri;122\n"
                    f"{period};København;Opioider;23\n", encoding="utf-8")
    problems = rejected(store, path)
    assert [(p.line, p.column) for p in problems] == [(3, "periode")], messages(problems)
    assert f"'{period}'" in problems[0].message()


@pytest.mark.parametrize("period", ["2026-12", "2027", "2027K1", "dec 2026"])
def test_future_period(store, tmp_path, period):
    path = tmp_path / "fremtid.csv"
    path.write_text(f"periode;kommune;kategori;antal\n2025-09;København;Kontaktbedrageri;122\n"
                    f"{period};København;Opioider;23\n", encoding="utf-8")
    problems = rejected(store, path)
    assert [(p.line, p.column) for p in problems] == [(3, "periode")]
    assert "fremtiden" in problems[0].message()


def test_impossible_and_future_dates_in_reports(store, tmp_path):
    path = tmp_path / "anmeldelser_fejl.csv"
    path.write_text("dato;kommune;kategori\n03.09.2025;København;Kontaktbedrageri\n"
                    "31.04.2025;København;Kontaktbedrageri\n26.11.2026;København;Kontaktbedrageri\n",
                    encoding="utf-8")
    problems = rejected(store, path)
    found = {p.line: p.message() for p in problems}
    assert sorted(found) == [3, 4], messages(problems)
    assert "ukendt dato '31.04.2025'" in found[3]
    assert "fremtiden" in found[4]


def test_binary_file(store):
    problems = rejected(store, S / "fejl_binaer.csv")
    assert "ligner ikke en tekstfil" in messages(problems)


@pytest.mark.parametrize("content", [
    b"\x00" * 500,
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)),
    b"\x1f\x8b\x08\x00" + bytes(range(200)),
    b"periode;kommune\x00\x01\x02\x03;kategori\x04\x05\x06;antal\n\x00\x00\x07\x08",
], ids=["nuls", "png", "gzip", "text-with-nuls"])
def test_binary_files(store, tmp_path, content):
    path = tmp_path / "binaer.csv"
    path.write_bytes(content)
    problems = rejected(store, path)
    assert "ligner ikke en tekstfil" in messages(problems)


def test_xlsx_file(store):
    assert (S / "fejl_regneark.xlsx").read_bytes().startswith(b"PK\x03\x04")
    assert zipfile.is_zipfile(S / "fejl_regneark.xlsx")
    problems = rejected(store, S / "fejl_regneark.xlsx")
    text = messages(problems)
    assert "Excel-regneark (.xlsx)" in text and "CSV" in text


@pytest.mark.parametrize("content, what", [
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "gammelt Excel-regneark (.xls)"),
    (b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n", "PDF-fil"),
], ids=["xls", "pdf"])
def test_other_office_files(store, tmp_path, content, what):
    path = tmp_path / "rapport.csv"
    path.write_bytes(content)
    assert what in messages(rejected(store, path))


def test_header_only_file(store):
    problems = rejected(store, S / "fejl_kun_overskrift.csv")
    assert "ingen tal" in messages(problems)


@pytest.mark.parametrize("content", [
    b"periode;kommune;kategori;antal\n\n\n",
    b"periode;kommune;kategori;antal\r\n;;;\r\n;;;\r\n",
    codecs.BOM_UTF8 + b"periode;kommune;kategori;antal\n",
], ids=["blank-lines", "empty-fields", "bom"])
def test_header_only_variants(store, tmp_path, content):
    path = tmp_path / "kun_overskrift.csv"
    path.write_bytes(content)
    assert "ingen tal" in messages(rejected(store, path))


@pytest.mark.parametrize("content", [b"", codecs.BOM_UTF8, codecs.BOM_UTF16_LE, b"  \n\n \r\n"],
                         ids=["empty", "utf8-bom-only", "utf16-bom-only", "whitespace"])
def test_empty_files(store, tmp_path, content):
    path = tmp_path / "tom.csv"
    path.write_bytes(content)
    assert "filen er tom" in messages(rejected(store, path))


def _reports_file(path, n_rows):
    with open(path, "w", encoding="utf-8") as f:
        f.write("dato;kommune;kategori\n")
        for i in range(n_rows):
            f.write(f"{i % 28 + 1:02d}.09.2025;København;Kontaktbedrageri\n")
    return path


def test_too_large_file(store, tmp_path, monkeypatch):
    path = _reports_file(tmp_path / "stor.csv", 80_000)  # about 3 MB
    monkeypatch.setenv("STATISTIK_MAX_FILE_MB", "1")
    problems = rejected(store, path)
    assert len(problems) == 1
    text = problems[0].message()
    assert "grænsen er 1 MB" in text and "STATISTIK_MAX_FILE_MB" in text
    # The same file is fine under a higher limit.
    monkeypatch.setenv("STATISTIK_MAX_FILE_MB", "10")
    plan, _ = do_import(store, path)
    assert plan.rows_read == 80_000
    assert figure(store, "2025-09", KBH, KONTAKT) == 80_000


def test_too_large_message_shows_the_configured_limit(store, tmp_path, monkeypatch):
    path = tmp_path / "kæmpe.csv"
    with open(path, "wb") as f:  # sparse: takes no disk space; rejected before it is read
        f.truncate(1100 * 1024 * 1024)
    monkeypatch.setenv("STATISTIK_MAX_FILE_MB", "1024")
    problems = rejected(store, path)
    assert "grænsen er 1.024 MB" in problems[0].message()


def test_row_with_more_fields_than_the_header(store):
    problems = rejected(store, S / "fejl_for_mange_felter.csv")
    assert [p.line for p in problems] == [3]
    assert "flere udfyldte felter end overskriften" in problems[0].message()


def test_row_with_many_more_fields_beyond_the_sample(store, tmp_path):
    """A too-wide row after the sampled head is caught by DuckDB; its line is still physical."""
    rows = ["dato;kommune;kategori"] + ["03.09.2025;København;Kontaktbedrageri"] * 450
    rows += ["", "04.09.2025;Frederiksberg;Opioider;a;b;c;d;e;f;g;h;i;j", "05.09.2025;Tårnby;Opioider"]
    path = tmp_path / "bred_raekke.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    problems = rejected(store, path)
    assert [p.line for p in problems] == [453]
    assert "flere felter end overskriften" in problems[0].message()


@pytest.mark.parametrize("newline, blank", [("\r\n", []), ("\n", [""])], ids=["crlf", "blank-line-before"])
def test_too_wide_row_is_quoted_without_a_leading_newline(store, tmp_path, newline, blank):
    rows = ["dato;kommune;kategori"] + ["03.09.2025;København;Kontaktbedrageri"] * 450
    rows += blank + ["04.09.2025;Frederiksberg;Opioider;a;b;c;d;e;f;g;h;i;j"]
    path = tmp_path / "bred_raekke.csv"
    path.write_bytes((newline.join(rows) + newline).encode("utf-8"))
    problems = rejected(store, path)
    assert [p.line for p in problems] == [452 + len(blank)]
    assert "'04.09.2025;Frederiksberg" in problems[0].message()


def test_blank_lines_before_the_bad_row(store):
    problems = rejected(store, S / "fejl_tom_linje_foer_fejl.csv")
    assert [(p.line, p.column) for p in problems] == [(7, "kommune")]
    assert problems[0].message().startswith("linje 7, kolonne kommune: ukendt kommune 'Frederiksbjerg'")


# The same file in every dialect: the bad row is always on physical line `line`.
_BASE = ("periode;kommune;kategori;antal\n2025-09;København;Kontaktbedrageri;122\n\n"
         "2025-09;Frederiksberg;Kontaktbedrageri;18\n\n\n2025-09;Frederiksbjerg;Opioider;4\n"
         "2025-09;Dragør;Opioider;2\n")
DIALECTS = {
    "utf8-lf": (_BASE.encode(), 7),
    "utf8-bom": (codecs.BOM_UTF8 + _BASE.encode(), 7),
    "cp1252-crlf": (_BASE.replace("\n", "\r\n").encode("cp1252"), 7),
    "utf16-tab-crlf": (codecs.BOM_UTF16_LE + _BASE.replace(";", "\t").replace("\n", "\r\n").encode("utf-16-le"), 7),
    "komma": (_BASE.replace(";", ",").encode(), 7),
    "sep-line": (("sep=;\n" + _BASE).encode(), 8),
    "bom-sep-line-crlf": (codecs.BOM_UTF8 + ("sep=;\n" + _BASE).replace("\n", "\r\n").encode(), 8),
    "utf16-sep-line": (codecs.BOM_UTF16_LE + ("sep=;\r\n" + _BASE.replace("\n", "\r\n")).encode("utf-16-le"), 8),
    "blank-lines-before-header": (("\n\n" + _BASE).encode(), 9),
    "whitespace-and-empty-field-lines": (_BASE.replace("\n\n\n", "\n   \n;;;;\n").encode(), 7),
    "trailing-empty-columns": (_BASE.replace("\n", ";;;\n").encode(), 7),
}


@pytest.mark.parametrize("dialect", list(DIALECTS))
def test_line_numbers_are_physical_in_every_dialect(store, tmp_path, dialect):
    content, line = DIALECTS[dialect]
    path = tmp_path / "fejl.csv"
    path.write_bytes(content)
    problems = rejected(store, path)
    assert [(p.line, p.column) for p in problems] == [(line, "kommune")], messages(problems)


def test_line_numbers_with_cr_only_line_ends(store, tmp_path):
    path = tmp_path / "fejl_cr.csv"
    path.write_bytes(_BASE.replace("\n", "\r").encode())
    problems = rejected(store, path)
    assert [p.line for p in problems] == [7]


def test_cr_only_line_ends_import(store, tmp_path):
    path = tmp_path / "mac.csv"
    path.write_bytes(b"periode;kommune;kategori;antal\r2025-09;Frederiksberg;Opioider;5\r\r"
                     b"2025-09;Dragoer;Opioider;2\r")
    _, upload_id = do_import(store, path)
    assert stored_cells(store, upload_id) == cells("2025-09", (FRB, OPIOIDER, 5), (DRAGOER, OPIOIDER, 2))


def test_duplicate_cell_lines_count_blank_lines(store, tmp_path):
    path = tmp_path / "dublet.csv"
    path.write_text("periode;kommune;kategori;antal\n2025-08;København;Kontaktbedrageri;101\n\n"
                    "2025-08;Frederiksberg;Kontaktbedrageri;15\n\n2025-08;København;Kontaktbedrageri;99\n",
                    encoding="utf-8")
    problems = rejected(store, path)
    assert [(p.line, p.other_lines) for p in problems] == [(2, (6,))]
    assert problems[0].message().startswith("linje 2 og 6, kolonne antal: samme celle")


def test_line_numbers_in_a_wide_file(store, tmp_path):
    path = tmp_path / "bred_fejl.csv"
    path.write_text("Kommune;Kategori;jan 2025;feb 2025\nKøbenhavn;Kontaktbedrageri;1;2\n\n"
                    "Frederiksberg;Kontaktbedrageri;4;-5\n\nFrederiksbjerg;Opioider;4;5\n", encoding="utf-8")
    problems = rejected(store, path)
    found = {(p.line, p.column) for p in problems}
    assert found == {(4, "feb 2025"), (6, "Kommune")}, messages(problems)


def test_wide_bad_label_on_one_row_is_one_line(store, tmp_path):
    path = tmp_path / "bred_fejl.csv"
    path.write_text("Kommune;Kategori;jan 2025;feb 2025\nKøbenhavn;Kontaktbedrageri;1;2\n"
                    "Frederiksbjerg;Opioider;4;5\n", encoding="utf-8")
    problems = rejected(store, path)
    assert [(p.line, p.more_lines) for p in problems] == [(3, 0)]
    assert "anden linje" not in problems[0].message()


def test_line_numbers_in_a_reports_file(store, tmp_path):
    path = tmp_path / "anmeldelser_fejl.csv"
    path.write_text("dato;kommune;kategori\n03.09.2025;København;Kontaktbedrageri\n\n"
                    "04.09.2025;Frederiksbjerg;Opioider\n\n05.09.2025;København;Kontaktbedragerie\n",
                    encoding="utf-8")
    problems = rejected(store, path)
    assert {(p.line, p.column) for p in problems} == {(4, "kommune"), (6, "kategori")}


def test_line_numbers_in_a_bulk_file(store, tmp_path):
    path = tmp_path / "bulk_fejl.csv"
    path.write_text("OMRÅDE;OVERTRÆD;TID;INDHOLD\n101;1320;2025K1;201\n\n999;1320;2025K1;5\n"
                    "101;1320;2025K7;5\n101;12;2025K1;-4\n", encoding="utf-8")
    problems = rejected(store, path)
    assert {(p.line, p.column) for p in problems} == {(4, "OMRÅDE"), (5, "TID"), (6, "INDHOLD")}


def test_line_numbers_in_a_matrix_file(store, tmp_path):
    path = tmp_path / "matrix_fejl.csv"
    path.write_text('"Titel"\n\n;;"2025K1";"2025K2"\n"København";"Indbrud i beboelser";201;168\n'
                    ';"Voldsforbrydelser i alt";951;-3\n"Dragør";"Indbrud i beboelser";9;2\n\n'
                    '"Frederiksbjerg";"Indbrud i beboelser";1;2\n', encoding="utf-8")
    problems = rejected(store, path)
    assert {p.line for p in problems} == {5, 8}, messages(problems)


def test_line_numbers_after_a_quoted_line_break(store, tmp_path):
    path = tmp_path / "note_fejl.csv"
    path.write_text('periode;kommune;kategori;antal;note\n2025-09;København;Kontaktbedrageri;122;"første\n'
                    'anden"\n2025-09;Frederiksbjerg;Opioider;4;\n', encoding="utf-8")
    problems = rejected(store, path)
    assert [p.line for p in problems] == [4]


def test_missing_columns_name_the_header_line(store, tmp_path):
    path = tmp_path / "mangler.csv"
    path.write_text("Rapport fra POLSAS\n\nperiode;kategori;antal\n2025-09;Opioider;4\n", encoding="utf-8")
    problems = rejected(store, path)
    assert [p.line for p in problems] == [3]
    assert "mangler en kolonne med kommune" in problems[0].message()
