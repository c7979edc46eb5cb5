"""statistik: the Streamlit frame. Page config, the page list, run."""

import streamlit as st

st.set_page_config(page_title="Lokal kriminalitetsstatistik", page_icon=":material/bar_chart:", layout="wide")
pages = {
    "Kriminalitetsstatistik": [
        st.Page("app_pages/oversigt.py", title="Oversigt", icon=":material/home:", default=True),
        st.Page("app_pages/udvikling.py", title="Udvikling", icon=":material/show_chart:"),
        st.Page("app_pages/kommuner.py", title="Kommuner", icon=":material/location_city:"),
        st.Page("app_pages/sammenligning.py", title="Sammenlign perioder", icon=":material/compare_arrows:"),
    ],
    "Om tallene": [
        st.Page("app_pages/datastatus.py", title="Datastatus", icon=":material/fact_check:"),
        st.Page("app_pages/om_data.py", title="Om data", icon=":material/info:"),
    ],
}
st.navigation(pages).run()
