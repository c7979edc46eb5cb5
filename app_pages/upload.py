"""Upload (analysts only): validate files, preview the changes, accept; history and undo."""

import streamlit as st

from statistik import districts, uploads
from statistik.markup import md
from statistik.ui import auth, components, fetching, uploading
from statistik.ui.store import load, write
from statistik.views import status

user = auth.current_user()
st.title("Upload af tal")
st.caption("Vælg en eller flere CSV-filer. Hver fil kontrolleres og vises, før noget gemmes; "
           "en fil gemmes helt eller slet ikke, og enhver upload kan fortrydes.")

for name, upload_id in st.session_state.pop("upload_done", []):
    st.success(f"{md(name)} er gemt som upload {upload_id}. Tallene ses nu på siderne Oversigt og Udvikling.")

source = st.text_input("Kilde (tom: automatisk)", help="Filer fra Statistikbanken får 'Danmarks Statistik', "
                       f"andre '{districts.current().police}'. Skriv en anden kilde, hvis en anden har talt.")
files = st.file_uploader("CSV-filer", accept_multiple_files=True, type=["csv", "txt", "tsv"])
for file in files or []:
    uploading.check(file, source)
for file in files or []:
    uploading.show(file, user.id)

st.subheader("Nye tal fra Danmarks Statistik")
st.caption("Henter de nyeste kvartaler af STRAF11 og folketallet (FOLK1A) fra Statistikbanken og viser, hvad der "
           "ville blive ændret, ligesom for en fil. Gemmes som en upload pr. tabel, der kan fortrydes.")
fetching.show(user.id)

st.subheader("Historik")
history = load(status.uploads)
components.table(history, {"Rækker": "int", "Nye": "int", "Ændrede": "int", "Uændrede": "int"})
offered = load(status.undoable)
if offered:
    with st.form("undo", clear_on_submit=True):  # the confirmation is asked again for every undo
        choice = st.selectbox("Fortryd en upload", list(offered), format_func=offered.get)
        confirmed = st.checkbox("Ja, sæt tallene tilbage til før denne upload")
        if st.form_submit_button("Fortryd upload"):
            if not confirmed:
                st.warning("Sæt hak i 'Ja, sæt tallene tilbage …' for at fortryde.")
            else:
                try:
                    with write(f"fortryd upload {choice}") as con:
                        undone = uploads.undo(con, int(choice), user.id)
                    st.success(f"Upload {undone['id']} ({md(undone['file_name'])}) er fortrudt.")
                except uploads.UndoRefused as e:
                    st.error(md(e))
