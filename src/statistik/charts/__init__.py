"""Chart builders: pure functions from frames to Plotly figures, and their export as images.

Modules, one chart type each, plus what they share:

- `style`: fonts, series styles (colour, dash and marker), title, source line and notes
- `axes`: Danish period ticks ('jan. 2025', '3. kvt. 2025') and number axes
- `events`: event and law-change annotations on a time axis, with labels that do not collide
- `trend`: lines over time with gaps and 95 % bands
- `municipalities`: rates per 100.000 against the regional and national level and all 98 municipalities
- `comparison`: two periods per category (dumbbell), significance and small counts
- `sparkline`: the tiny line on an overview card
- `targets`: counts per year against a limit such as 'under 30'
- `export`: PNG/SVG/PDF bytes with filters and date drawn in, many figures in one browser session

No module here imports Streamlit; every builder returns a `plotly.graph_objects.Figure`.
"""
