"""The council briefing "Lokal kriminalitetsstatistik" as PDF (published papers) and Word (editable).

    make_briefing(con, meeting, Path("bilag.pdf"), suppress_below=5)              # a draft
    make_briefing(con, meeting, Path("bilag.pdf"), suppress_below=5, final=True)  # recorded
    briefing_bytes(con, meeting, "docx")        # a draft, for a download button

Modules, one job each: `content` gathers what the briefing says (`sections` per focus
trend, `targets` for targets, `datastatus`), `cells` holds the counts it publishes (from
`metrics`), `disclose` decides which are hidden, with every earlier publication in mind
(the solver is `statistik.disclosure`, the record `statistik.publications`),
`suppression` prints them, `sentences` and `tables` turn numbers into Danish text,
`charts` draws and renders every chart in one browser session, `assemble` lays the content
out as neutral blocks (`document`), and `render_pdf` and `render_docx` write them. No
module here imports Streamlit.
"""

from statistik.briefing.api import (
    FORMATS, MEDIA_TYPES, Made, audit, briefing_bytes, finalise, format_of, make, make_briefing,
)
from statistik.briefing.content import BriefingError

__all__ = ["FORMATS", "MEDIA_TYPES", "BriefingError", "Made", "audit", "briefing_bytes", "finalise", "format_of",
           "make", "make_briefing"]
