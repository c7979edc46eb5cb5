"""Datastatus: latest period per source, gaps, revisions and imports."""

import streamlit as st

import datetime as dt

from statistik import formatting, periods
from statistik.ui import components
from statistik.ui.store import load
from statistik.views import freshness, status

st.title("Datastatus")

st.subheader("Kilder")
sources = load(status.sources)
components.table(
    sources.rename(columns={"source": "Kilde", "period_kind": "Periodetype", "first": "Første periode",
                            "latest": "Seneste periode", "figures": "Tal", "areas": "Områder",
                            "categories": "Kategorier", "last_import": "Seneste import"})
    .assign(Periodetype=lambda f: f["Periodetype"].map(periods.KIND_NAMES)),
    {"Tal": "int"},
)
if (age := load(freshness.dst_age, dt.date.today())) is not None:
    (st.warning if age.stale else st.info)(age.text)

st.subheader("Huller")
gaps, missing = load(status.gaps)
if not missing:
    st.success("Ingen huller: hver serie har tal for alle perioder mellem sin første og seneste.")
else:
    shown = f" (de første {len(gaps)} vises)" if missing > len(gaps) else ""
    st.warning(f"{formatting.number(missing)} perioder mangler inde i serierne{shown}. "
               "En manglende periode er ukendt, ikke 0.")
    components.table(gaps.rename(columns={"source": "Kilde", "area": "Område", "category": "Kategori",
                                          "period": "Periode"}))

st.subheader("Bilag")
last = load(status.last_briefing)
st.info(status.final_text(last))

st.subheader("Revisioner")
since = last.created_at if last else None
if last:
    st.caption(f"Tal ændret af importer siden seneste endelige bilag (til mødet {formatting.date(last.meeting_date)}, "
               f"gjort endeligt {formatting.timestamp(last.created_at)}).")
revisions = load(status.revisions, since)
if revisions.empty:
    st.info("Ingen tal er revideret" + (" siden seneste endelige bilag." if last else " af senere importer."))
else:
    components.table(
        revisions[["time", "upload_id", "file_name", "source", "period", "area", "category", "old_value",
                   "new_value", "change"]]
        .rename(columns={"time": "Tidspunkt", "upload_id": "Upload", "file_name": "Fil", "source": "Kilde",
                         "period": "Periode", "area": "Område", "category": "Kategori", "old_value": "Før",
                         "new_value": "Nu", "change": "Ændring"}),
        {"Før": "int", "Nu": "int", "Ændring": "signed"},
    )

st.subheader("Importer")
uploads = load(status.uploads)
components.table(uploads, {"Rækker": "int", "Nye": "int", "Ændrede": "int", "Uændrede": "int"})
