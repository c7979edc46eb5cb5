"""What every page shares in the browser: the page language, Danish texts Streamlit has no setting for,
and the layout rules for phones.

Streamlit's HTML says lang="en" and its file uploader says "Upload" and "1GB per file"; neither can be
set from Python, so a few CSS rules replace the visible texts and one line of script sets the page
language to Danish (WCAG 3.1.1). Nothing here shows text from users or files.
"""

from __future__ import annotations

import streamlit as st

from statistik import config

NARROW_PX = 640          # Streamlit stacks columns below this width; phones get the narrow charts

_CSS = f"""
<style>
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
  [class*="st-key-narrow_"] {{ display: block; }}
}}
</style>
""".replace("1,024", "1.024")

_SCRIPT = """
<script>
document.documentElement.lang = "da";
if (!document.body.dataset.statistikDanish) {
  document.body.dataset.statistikDanish = "1";
  new MutationObserver(() => {
    document.documentElement.lang = "da";
    for (const input of document.querySelectorAll('input[aria-label="file upload"]')) {
      input.setAttribute("aria-label", "Vælg filer");
    }
  }).observe(document.body, {childList: true, subtree: true});
}
</script>
"""


def apply() -> None:
    """Page language, Danish widget texts and phone layout; call once per run, before the page."""
    st.html(_CSS)
    st.html(_SCRIPT, unsafe_allow_javascript=True)
