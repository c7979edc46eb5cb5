"""The Streamlit layer: the only part of statistik that imports streamlit."""
