"""The council briefing "Lokal kriminalitetsstatistik" as PDF (published papers) and Word (editable).

    make_briefing(con, meeting, Path("bilag.pdf"), suppress_below=5)
    briefing_bytes(con, meeting, "docx")        # for a download button

Modules, one job each: `content` gathers what the briefing says (`sections` per focus
trend, `goals` for targets, `datastatus`, `log` of briefings made), `cells` and
`suppression` decide which small counts are hidden, `sentences` and `tables` turn numbers
into Danish text, `charts` draws and renders every chart in one browser session,
`assemble` lays the content out as neutral blocks (`document`), and `render_pdf` and
`render_docx` write them. No module here imports Streamlit.
"""

from statistik.briefing.api import FORMATS, MEDIA_TYPES, briefing_bytes, format_of, make_briefing
from statistik.briefing.content import BriefingError

__all__ = ["FORMATS", "MEDIA_TYPES", "BriefingError", "briefing_bytes", "format_of", "make_briefing"]
