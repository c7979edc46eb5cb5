"""What every page shares in the browser: the page language, Danish texts Streamlit has no setting for,
and the layout rules for phones.

Streamlit's HTML says lang="en", its file uploader says "Upload" and "1GB per file", its captions are
lighter than WCAG's 4.5:1 and its page list nests <li> in <div>; none of it can be set from Python, so a
few CSS rules replace the visible texts and colours and a small script sets the page language to Danish
(WCAG 3.1.1), the uploader's label and the page list's roles. Nothing here shows text from users or files.
"""

from __future__ import annotations

import streamlit as st

from statistik import config

NARROW_PX = 640          # Streamlit stacks columns below this width; phones get the narrow charts

_CSS = f"""
<style>
/* Contrast of at least 4.5:1 (WCAG 1.4.3): Streamlit's grey captions and green inline code are lighter. */
[data-testid="stCaptionContainer"], [data-testid="stCaptionContainer"] p {{ color: #595959 !important;
  opacity: 1 !important; }}
code {{ color: #1f5f4f !important; }}
/* A table's own CSV button would save unrounded numbers: the CSV and XLSX buttons under it are the downloads. */
[data-testid="stElementToolbar"] button[aria-label="Download as CSV"] {{ display: none; }}
/* The file uploader in Danish: its button and its limit line. */
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p {{ font-size: 0; }}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"] p::after {{
  content: "Vælg filer"; font-size: 1rem; }}
[data-testid="stFileUploaderDropzoneInstructions"] span {{ font-size: 0; }}
[data-testid="stFileUploaderDropzoneInstructions"] span::after {{
  content: "Højst {config.max_file_bytes() // 2**20:,} MB pr. fil · CSV, TXT, TSV"; font-size: 0.875rem; }}
/* Wide charts on wide screens, narrow ones (wrapped title, legend below, fewer ticks) on phones. */
[class*="st-key-narrow_"] {{ display: none; }}
@media (max-width: {NARROW_PX}px) {{
  /* Headings small enough that "kriminalitetsstatistik" fits a phone: words never break. */
  h1 {{ font-size: 1.6rem !important; }}
  h2 {{ font-size: 1.35rem !important; }}
  h3 {{ font-size: 1.15rem !important; }}
  [class*="st-key-wide_"] {{ display: none; }}
  [class*="st-key-narrow_"] {{ display: flex; }}
}}
</style>
""".replace("1,024", "1.024")

# No "<" inside the script: Streamlit's sanitiser (DOMPurify) drops a script whose text looks like markup.
_SCRIPT = """
<script>
document.documentElement.lang = "da";
const TOOLBAR = [["Search", "Søg"], ["Fullscreen", "Fuld skærm"], ["Close fullscreen", "Luk fuld skærm"],
                 ["Clear search", "Ryd søgning"], ["Show/hide columns", "Vis/skjul kolonner"]];
function statistikDanish() {
    document.documentElement.lang = "da";
    for (const input of document.querySelectorAll('input[aria-label="file upload"]')) {
      input.setAttribute("aria-label", "Vælg filer");
    }
    // Streamlit's page list puts section divs between its ul and li elements (invalid lists for
    // screen readers); the navigation landmark with its headings and links is what remains.
    for (const item of document.querySelectorAll('[data-testid="stSidebarNavItems"], [data-testid="stSidebarNavItems"] li')) {
      if (item.getAttribute("role") !== "none") item.setAttribute("role", "none");
    }
    // Streamlit's own buttons on charts and tables, outside Plotly's locale.
    for (const button of document.querySelectorAll('[data-title="Fullscreen"]')) {
      button.setAttribute("data-title", "Fuld skærm");
    }
    for (const [english, danish] of TOOLBAR) {
      for (const button of document.querySelectorAll(`[aria-label="${english}"]`)) {
        button.setAttribute("aria-label", danish);
        if (button.title) button.title = danish;
      }
    }
    const nav = document.querySelector('[data-testid="stSidebarNav"]');
    if (nav && nav.getAttribute("aria-label") !== "Sider") nav.setAttribute("aria-label", "Sider");
}
statistikDanish();
if (!document.body.dataset.statistikDanish) {
  document.body.dataset.statistikDanish = "1";
  new MutationObserver(statistikDanish).observe(document.body, {childList: true, subtree: true});
}
</script>
"""


def apply() -> None:
    """Page language, Danish widget texts and phone layout; call once per run, before the page."""
    st.html(_CSS)
    st.html(_SCRIPT, unsafe_allow_javascript=True)
