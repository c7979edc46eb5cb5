"""Bilag: the council briefing ("Lokal kriminalitetsstatistik") as PDF or Word, in one click."""

import datetime as dt

import streamlit as st

from statistik import briefing, formatting
from statistik.ui import auth
from statistik.ui.store import write

st.title("Bilag til kredsrådsmødet")
st.caption("Lokal kriminalitetsstatistik: forside med datastatus, sammenfatning i sætninger, et afsnit pr. "
           "fokusområde med graf og tabel pr. kommune, oversigtstabel og noter. PDF til de offentlige "
           "mødepapirer, Word til sekretariatets redigering.")

left, right = st.columns(2)
meeting = left.date_input("Mødedato", value=dt.date.today() + dt.timedelta(days=14), format="DD-MM-YYYY")
period = right.text_input("Periode (tom: seneste hele periode for hver kilde)", placeholder="fx 2025K4 eller 2025")
suppress = st.toggle("Skjul små tal (til offentlige mødepapirer)", value=True)
below = st.number_input("Skjul antal under", min_value=2, max_value=20, value=5, disabled=not suppress)
user = auth.current_user()
options = {"period": period.strip() or None, "suppress_below": int(below) if suppress else None,
           "user": user.id if user else "dashboard"}


def make(fmt: str):
    """The file, made when the button is clicked (charts need a few seconds)."""
    def build() -> bytes:
        with write("bilag til kredsrådet") as con:  # the briefing log is written with it
            return briefing.briefing_bytes(con, meeting, fmt, **options)
    return build


st.markdown(f"**Bilag til mødet {formatting.date(meeting)}**"
            + (f", tal under {int(below)} skjult" if suppress else ", alle tal vist"))
columns = st.columns([1, 1.3, 3])
for column, fmt, label in ((columns[0], "pdf", "Hent PDF"), (columns[1], "docx", "Hent Word (DOCX)")):
    column.download_button(label, data=make(fmt), file_name=f"lokal_kriminalitetsstatistik_{meeting:%Y-%m-%d}.{fmt}",
                           mime=briefing.MEDIA_TYPES[fmt], on_click="ignore", icon=":material/description:",
                           type="primary" if fmt == "pdf" else "secondary", key=f"bilag_{fmt}")
st.caption("Filen laves, når du klikker (5–10 sekunder). Hvert bilag noteres, så det næste kan vise, hvilke tal "
           "der er revideret siden. Samme bilag fås fra kommandolinjen: "
           f"`statistik briefing --meeting {meeting:%Y-%m-%d} --out bilag.pdf`.")
