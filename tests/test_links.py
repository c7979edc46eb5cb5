"""Links last: links shared today (pasted into meeting papers) keep opening the same view, also after a
parameter, a value or a page is renamed (`state.Filter.aliases`, `.renamed`, `state.PAGE_ALIASES`)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from test_pages import open_page

# (page, link as shared, what the view must show): add a row whenever a page gets a new filter.
SHARED_LINKS = [
    ("udvikling", {"omraade": "155", "kategori": "1320", "periode": "Y"},
     {"multiselect": [["155"], ["1320"]], "radio": ["Y", "antal"]}),
    ("udvikling", {"omraade": "155,101", "kategori": "1320,1336", "periode": "Y", "maal": "rate", "usikkerhed": "nej"},
     {"multiselect": [["155", "101"], ["1320", "1336"]], "radio": ["Y", "rate", "nej"]}),
    ("udvikling", {"omraade": "pk11", "kategori": "TOT", "periode": "Q", "maal": "indeks", "basisaar": "2019"},
     {"multiselect": [["pk11"], ["TOT"]], "radio": ["Q", "indeks"], "selectbox": ["2019"]}),
    ("kommuner", {"kat": "1320", "type": "Q"}, {"selectbox": ["1320"], "radio": ["Q"]}),
    ("sammenligning", {"omr": "155", "type": "Q", "p": "2025K4", "foer": "2024K4"},
     {"selectbox": ["155", "2025K4", "2024K4"], "radio": ["Q"]}),
    ("oversigt", {"omr": "155"}, {"selectbox": ["155"]}),
]


@pytest.mark.parametrize("page, link, view", SHARED_LINKS, ids=lambda v: str(v) if isinstance(v, str) else None)
def test_a_link_shared_today_opens_the_same_view(db_path, page, link, view):
    at = open_page(page, link)
    for kind, expected in view.items():
        widgets = [w.value for w in getattr(at, kind)]
        for value in expected:
            assert value in widgets, (kind, value, widgets)
    for param, value in link.items():                 # and the link in the address bar still says so
        assert at.query_params[param] in (value, [value])


def _script():
    import streamlit as st

    from statistik.ui import state

    state.FILTERS["granularity"] = state.Filter("periodetype", "Q", aliases=("periode",), renamed={"Y": "aar"})
    st.write(state.get("granularity"))


def test_a_renamed_parameter_and_value_keep_old_links_working_and_the_link_gets_todays_names(db_path, monkeypatch):
    from statistik.ui import state
    # The script replaces a filter of the process; put the real one back afterwards for the tests after this.
    monkeypatch.setitem(state.FILTERS, "granularity", state.FILTERS["granularity"])
    at = AppTest.from_function(_script, default_timeout=30)
    at.query_params["periode"] = "Y"
    at.run()
    assert not at.exception
    assert at.markdown[0].value == "aar"
    assert "periode" not in at.query_params and at.query_params["periodetype"] in ("aar", ["aar"])
