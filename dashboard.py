"""statistik: the Streamlit frame. Page config, the page list, run."""

import streamlit as st

st.set_page_config(page_title="Lokal kriminalitetsstatistik", page_icon="📊", layout="wide")
page = st.navigation([st.Page("app_pages/oversigt.py", title="Oversigt", default=True)])
page.run()
