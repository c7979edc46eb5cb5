"""Markers where they belong: relevance by category and area, labels never cut or overlapping, and the
analysts' page where markers and targets are edited and deleted (markers only after a confirmation)."""

from __future__ import annotations

import datetime as dt
import json

import pandas as pd
from hypothesis import given, settings, strategies as st

from statistik.charts import events, style
from statistik.charts.trend import trend_figure
from statistik.views import annotations, targets_admin
from test_pages import open_page
from test_upload_page import logged_in, users  # noqa: F401  (fixture)

OPIOID_RULE = "Skærpede regler om opioider og elektronisk fodlænke træder i kraft"


def drawn(fig) -> list:
    return [a for a in fig.layout.annotations if (a.name or "").startswith("event")]


def test_a_burglary_chart_gets_no_concerts_festivals_or_law_on_opioids(con):
    assert annotations.for_chart(con, ["1320"], ["pk11", "101", "147", "155", "185"]).empty


def test_the_opioid_rule_is_on_opioid_and_narcotics_charts_everywhere(con):
    for category in ("opioider", "3210"):
        for area in ("pk11", "155", "751"):
            assert list(annotations.for_chart(con, [category], [area])["text"]) == [OPIOID_RULE]


def test_festivals_are_on_pickpocketing_and_violence_charts_of_their_place(con):
    violence_tarnby = set(annotations.for_chart(con, ["12"], ["185"])["text"])
    assert violence_tarnby == {"Ed Sheeran, Kastrup Strandpark"}
    district = set(annotations.for_chart(con, ["lomme-og-tricktyveri"], ["pk11"])["text"])
    assert {"Distortion", "Copenhagen Pride Week", "Ed Sheeran, Kastrup Strandpark"} <= district
    assert annotations.for_chart(con, ["12"], ["155"]).empty                  # nothing happened in Dragør


def test_the_election_is_listed_but_drawn_nowhere(con):
    every = annotations.annotations(con)
    assert "Kommunalvalg" in set(every["text"])
    for category in ("TOT", "12", "1320", "opioider", "lomme-og-tricktyveri"):
        assert "Kommunalvalg" not in set(annotations.for_chart(con, [category], ["pk11"])["text"])
    listed = annotations.listing(con).set_index("Tekst")
    assert listed.loc["Kommunalvalg", "Kategorier"] == "Ingen grafer"
    assert listed.loc["Distortion", "Områder"] == "København"


def test_an_annotation_without_relevance_is_on_every_chart_and_relevance_can_be_set(con):
    new = annotations.add_annotation(con, dt.date(2025, 12, 31), "Nytårsaften", user="a")
    assert "Nytårsaften" in set(annotations.for_chart(con, ["1320"], ["155"])["text"])
    annotations.set_relevance(con, new, ["12"], ["101"])
    assert "Nytårsaften" not in set(annotations.for_chart(con, ["1320"], ["101"])["text"])
    assert "Nytårsaften" in set(annotations.for_chart(con, ["12"], ["pk11"])["text"])
    annotations.set_relevance(con, new, [], None)
    assert "Nytårsaften" not in set(annotations.for_chart(con, ["12"], ["101"])["text"])


def test_unknown_codes_are_refused_in_danish(con):
    import pytest
    with pytest.raises(ValueError, match="Ukendt kategori eller område: 9999"):
        annotations.add_annotation(con, dt.date(2025, 1, 1), "x", user="a", categories=["9999"])


def _chart_texts(at) -> str:
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return " ".join(a.get("text", "") for a in spec["layout"].get("annotations", []))


def test_burglary_chart_on_the_trends_page_has_no_markers_and_opioids_have_the_rule(db_path):
    at = open_page("udvikling", {"omraade": "kbh", "kategori": "1320", "periode": "Q"})
    burglary = _chart_texts(at)
    assert "Markeringer" not in burglary and "Ed Sheeran" not in burglary and "opioider" not in burglary
    at = open_page("udvikling", {"omraade": "kbh", "kategori": "3210", "periode": "Q"})
    assert OPIOID_RULE in _chart_texts(at)


# --- labels on the figure: never cut, never overlapping, always inside the plot -------------------

def _boxes(fig, plot_px: float):
    axis = fig.layout.xaxis.range
    x0, x1 = pd.Timestamp(axis[0]), pd.Timestamp(axis[1])
    out = []
    for a in drawn(fig):
        at = (pd.Timestamp(a.x) - x0) / (x1 - x0) * plot_px
        width = events.label_width(a.text.removeprefix("<b>").removesuffix("</b>")) - 10
        left = at - width - 4 if a.xanchor == "right" else at + 4
        out.append((a.y, left, left + width, a.text))
    return out


def _check_labels(fig, texts: list[str]):
    plot_px = (fig.layout.width or style.ASSUMED_WIDTH) - fig.layout.margin.l - fig.layout.margin.r
    boxes = _boxes(fig, plot_px)
    for y, left, right, _ in boxes:
        assert left >= -plot_px * 0.02 and right <= plot_px * 1.02   # inside (the axis has 1,5 % padding)
    by_level = {}
    for y, left, right, _ in boxes:
        by_level.setdefault(y, []).append((left, right))
    for spans in by_level.values():
        spans.sort()
        assert all(b[0] > a[1] for a, b in zip(spans, spans[1:])), spans
    shown = " ".join(a.text for a in fig.layout.annotations if a.name in ("note",) or
                     (a.name or "").startswith("event"))
    for text in texts:                      # every text in full, on the chart or in the key
        assert text in shown or text.replace(" ", " ") in shown
    assert "…" not in shown


def _frame(months: int):
    starts = pd.date_range("2024-01-01", periods=months, freq="MS")
    return pd.DataFrame({"series": "Kreds", "period_start": starts, "period_kind": "M",
                         "value": range(1, months + 1)})


def test_the_opioid_rule_is_written_out_in_full_on_a_wide_and_on_a_phone_chart(con):
    marks = annotations.for_chart(con, ["opioider"], ["pk11"])
    for width in (style.ASSUMED_WIDTH, 360):
        fig = trend_figure(_frame(24), title="Opioider", y_title="Antal", source="Kilde: x", annotations=marks,
                           width=width)
        _check_labels(fig, [OPIOID_RULE])


words = st.text(alphabet="abcdefghijklmnopqrstuvwxyzæøå ", min_size=1, max_size=70).map(str.strip).filter(bool)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.dates(dt.date(2024, 1, 1), dt.date(2025, 12, 31)), st.integers(0, 10), words,
                          st.sampled_from(["begivenhed", "lovændring"])), min_size=1, max_size=25),
       st.sampled_from([360, 600, style.ASSUMED_WIDTH]))
def test_labels_never_overlap_and_are_never_cut(marks, width):
    frame = pd.DataFrame({"start_date": [pd.Timestamp(d) for d, _, _, _ in marks],
                          "end_date": [pd.Timestamp(d) + pd.Timedelta(days=n) for d, n, _, _ in marks],
                          "text": [t for _, _, t, _ in marks], "kind": [k for _, _, _, k in marks]})
    fig = trend_figure(_frame(24), title="Test", y_title="Antal", source="Kilde: x", annotations=frame, width=width)
    _check_labels(fig, list(frame["text"]))


# --- the analysts' page ------------------------------------------------------------------------------

def _page(users):  # noqa: F811
    at = logged_in("kim")
    at.switch_page("app_pages/maal_og_markeringer.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_analyst_sets_which_charts_a_marker_belongs_on(db_path, users):  # noqa: F811
    at = _page(users)
    choose = next(s for s in at.selectbox if s.label == "Ret eller slet en markering")
    choose.set_value(12).run()                  # Ed Sheeran
    categories = next(m for m in at.multiselect if m.key == "edit_12_categories")
    assert set(categories.value) == {"lomme-og-tricktyveri", "12"}
    categories.set_value(["1320"])
    next(b for b in at.button if b.label == "Gem").click().run()
    assert not at.exception
    assert "Markeringen er rettet." in [s.value for s in at.success]
    listed = at.dataframe[0].value.set_index("Tekst")
    assert listed.loc["Ed Sheeran, Kastrup Strandpark", "Kategorier"] == "Indbrud i beboelser"


def test_a_marker_is_deleted_only_after_the_confirmation(db_path, users):  # noqa: F811
    at = _page(users)
    next(s for s in at.selectbox if s.label == "Ret eller slet en markering").set_value(15).run()
    next(b for b in at.button if b.label == "Slet markeringen").click().run()
    assert "Kommunalvalg" in set(at.dataframe[0].value["Tekst"])          # asked, not deleted
    assert any("Vil du slette markering nr. 15?" in w.value for w in at.warning)
    next(b for b in at.button if b.label == "Annullér").click().run()
    assert "Kommunalvalg" in set(at.dataframe[0].value["Tekst"])
    next(b for b in at.button if b.label == "Slet markeringen").click().run()
    next(b for b in at.button if b.label == "Ja, slet").click().run()
    assert "Kommunalvalg" not in set(at.dataframe[0].value["Tekst"])
    assert "Markering nr. 15 er slettet." in [s.value for s in at.success]


def test_targets_are_edited_and_deleted(db_path, users):  # noqa: F811
    at = _page(users)
    limit = next(n for n in at.number_input if n.label == "Grænse pr. kalenderår" and n.value == 30
                 and "edit_target" in (n.form_id or ""))
    limit.set_value(25)
    next(b for b in at.button if b.label == "Gem ændringer").click().run()
    targets = at.dataframe[1].value
    assert list(targets["Mål"]) == ["under 25 om året"]
    next(b for b in at.button if b.label == "Slet målet").click().run()
    next(b for b in at.button if b.label == "Ja, slet").click().run()
    assert at.dataframe[1].value.empty
    assert at.switch_page("app_pages/oversigt.py").run() and not any(
        "Partnerskabsmål" in m.value for m in at.markdown)


def test_targets_admin_checks_its_input(con):
    import pytest
    with pytest.raises(ValueError, match="negativ"):
        targets_admin.update_target(con, 1, -1, "below", "x")
    with pytest.raises(ValueError, match="findes ikke"):
        targets_admin.update_target(con, 99, 3, "below", "x")
