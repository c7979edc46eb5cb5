"""Page and briefing models: what each page and the briefing show, computed without Streamlit."""
