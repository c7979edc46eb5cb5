"""statistik: the Streamlit frame. Page config, the page list (the role decides it), run."""

from pathlib import Path

import streamlit as st

from statistik import config
from statistik.ui import auth, disclosure, errors, state, store, theme

# The icon is our own file: a ':material/…:' icon would make every browser fetch it from a font CDN.
st.set_page_config(page_title="Lokal kriminalitetsstatistik", page_icon=str(Path(__file__).parent / "assets" / "favicon.png"),
                   layout="wide")
theme.apply()
if problems := config.problems():  # e.g. STATISTIK_POLITIKREDS=13: say so instead of failing on every page
    for problem in problems:
        st.error(problem)
    st.stop()
auth.login_box()
user = auth.current_user()
pages = {
    "Kriminalitetsstatistik": [
        st.Page("app_pages/oversigt.py", title="Oversigt", icon=":material/home:", default=True),
        st.Page("app_pages/udvikling.py", title="Udvikling", icon=":material/show_chart:"),
        st.Page("app_pages/kommuner.py", title="Kommuner", icon=":material/location_city:"),
        st.Page("app_pages/kort.py", title="Kort", icon=":material/map:"),
        st.Page("app_pages/sammenligning.py", title="Sammenlign perioder", icon=":material/compare_arrows:"),
        st.Page("app_pages/bilag.py", title="Bilag til kredsrådet", icon=":material/description:"),
    ],
    "Om tallene": [
        st.Page("app_pages/datastatus.py", title="Datastatus", icon=":material/fact_check:"),
        st.Page("app_pages/om_data.py", title="Om data", icon=":material/info:"),
    ],
}
if user is not None and user.is_analyst:
    # Pages that change the store exist only for analysts: not hidden, absent.
    pages["Analytiker"] = [
        st.Page("app_pages/upload.py", title="Upload", icon=":material/upload_file:"),
        st.Page("app_pages/maal_og_markeringer.py", title="Mål og markeringer", icon=":material/flag:"),
    ]
else:
    # A link to an analyst page opens a Danish "log ind" page at the same address instead.
    pages["Om tallene"] += [
        st.Page(auth.login_page("Upload af tal"), title="Upload", url_path="upload", visibility="hidden"),
        st.Page(auth.login_page("Mål og markeringer"), title="Mål og markeringer", url_path="maal_og_markeringer",
                visibility="hidden"),
    ]
pages["Om tallene"] += state.forwarding_pages(pages)  # old links to renamed pages keep working
# Every table on the page comes from one version of the store; an error is a Danish message with a log id.
# A public dashboard shows visitors only the figures its final briefings published (STATISTIK_OFFENTLIG).
public = disclosure.public_visitor()
if public:
    st.sidebar.caption("Offentlig udgave: kun tal, der er offentliggjort i et bilag til kredsrådet, vises. "
                       "Små tal og tal, der kunne afsløre dem, står som «skjult».")
with store.page_run(public=public), errors.reported():
    st.navigation(pages).run()
