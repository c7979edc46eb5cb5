"""Bilag: the council briefing ("Lokal kriminalitetsstatistik"): drafts for everyone, the final one by an analyst."""

import datetime as dt

import streamlit as st

from statistik import briefing, formatting
from statistik.charts.export import ExportError
from statistik.markup import md
from statistik.ui import auth, components
from statistik.ui import briefing as making
from statistik.ui import disclosure
from statistik.ui.store import load
from statistik.views import status

st.title("Bilag til kredsrådsmødet")
user = auth.current_user()

if disclosure.public_visitor():
    st.caption("Lokal kriminalitetsstatistik: de bilag, der er offentliggjort til kredsrådets møder.")
    shown = making.published()
    if not shown:
        st.info("Der er endnu ikke offentliggjort et bilag.")
    for final, data in shown:
        name = f"lokal_kriminalitetsstatistik_{final.meeting_date:%Y-%m-%d}.{final.file_format}"
        st.download_button(f"Bilag til mødet {formatting.date(final.meeting_date)} ({final.file_format.upper()})",
                           data=data, file_name=name, mime=briefing.MEDIA_TYPES[final.file_format],
                           key=f"offentligt_{final.id}", icon=":material/description:", on_click="ignore")
    st.stop()

st.caption("Lokal kriminalitetsstatistik: forside med datastatus, sammenfatning i sætninger, et afsnit pr. "
           "fokusområde med graf og tabel pr. kommune, oversigtstabel og noter. PDF til de offentlige "
           "mødepapirer, Word til sekretariatets redigering.")
latest = load(status.last_briefing)
st.info(status.final_text(latest))

left, right = st.columns(2)
meeting = left.date_input("Mødedato", value=dt.date.today() + dt.timedelta(days=14), format="DD-MM-YYYY")
period = right.text_input("Periode (tom: seneste hele periode for hver kilde)", placeholder="fx 2025K4 eller 2025")
suppress = st.toggle("Skjul små tal (til offentlige mødepapirer)", value=True)
below = st.number_input("Skjul antal under", min_value=2, max_value=20, value=5, disabled=not suppress)
request = making.Request(meeting, period.strip() or None, int(below) if suppress else None)
st.markdown(f"**Bilag til mødet {formatting.date(meeting)}**"
            + (f", tal under {int(below)} skjult" if suppress else ", alle tal vist"))


def offer(files: dict[str, bytes], final: bool) -> None:
    """Download buttons for a made briefing."""
    columns = st.columns([1, 1.3, 3])
    kind = "endeligt" if final else "udkast"
    for column, fmt, label in ((columns[0], "pdf", "Hent PDF"), (columns[1], "docx", "Hent Word (DOCX)")):
        column.download_button(f"{label} ({kind})", data=files[fmt], mime=briefing.MEDIA_TYPES[fmt],
                               file_name=f"lokal_kriminalitetsstatistik_{meeting:%Y-%m-%d}_{kind}.{fmt}",
                               on_click="ignore", icon=":material/description:", key=f"bilag_{kind}_{fmt}",
                               type="primary" if fmt == "pdf" else "secondary")


def attempt(make, final: bool) -> None:
    """Make the files, keep them for this request, and say in Danish what went wrong if anything did."""
    try:
        with st.spinner("Laver bilaget (5–10 sekunder) …"):
            st.session_state["bilag_files"] = (request, final, make(request))
    except (briefing.BriefingError, making.Busy, ExportError) as e:
        st.session_state.pop("bilag_files", None)
        st.error(md(e))  # a message may name a category, an area or a source


if st.button("Lav udkast", icon=":material/draft:"):
    attempt(making.draft, final=False)
if user is not None and user.is_analyst:
    with st.expander("Gør bilaget endeligt (analytikere)"):
        st.caption("Det endelige bilag noteres med de tal, det offentliggør. Kommende bilag viser revisioner siden "
                   "det, holder dets skjulte tal skjult, og et offentligt dashboard viser kun offentliggjorte tal.")
        sure = st.checkbox("Jeg har læst udkastet, og dette er bilaget til mødet")
        if st.button("Gør endeligt", disabled=not sure, type="primary"):
            attempt(making.final, final=True)
            if "bilag_files" in st.session_state:
                st.success(f"Bilaget til mødet {formatting.date(meeting)} er gjort endeligt og noteret.")

made = st.session_state.get("bilag_files")
if made and made[0] == request:
    offer(made[2], made[1])
st.caption("Et udkast skrives ikke nogen steder og står som «Udkast» på forsiden. Samme bilag fås fra "
           f"kommandolinjen: `statistik briefing --meeting {meeting:%Y-%m-%d} --out bilag.pdf` (tilføj `--final` "
           "for det endelige).")

finals = load(status.finals)
if not finals.empty:
    st.subheader("Endelige bilag")
    components.table(finals)
