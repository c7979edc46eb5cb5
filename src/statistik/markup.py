"""Text from files and users shown as text: escaped for Markdown, and for HTML and Plotly labels.

Names of categories, sources, areas and targets, file names, user names, and values quoted in
rejection messages come from files and people. Streamlit renders Markdown (images fetch their
URL in every viewer's browser, `$…$` is LaTeX, `:red[…]` colours); Plotly renders a subset of HTML
in every label (`<a href>` becomes a live link, also in a downloaded SVG) and fills `%{…}` in
templates. So wherever such text is put into Markdown or a chart, it goes through one of these:

    st.markdown(f"**{md(target.label)}**")          # Markdown: pages, captions, messages, labels
    go.Scatter(name=html(series_name), ...)         # Plotly: names, categories, titles, hover, notes

Text the code writes itself (`**`, `<b>`, `<br>`) is added around the escaped parts, never
escaped. Plain-text outputs (st.text, st.dataframe cells, CSV, XLSX, Word, the CLI) need neither.
"""

from __future__ import annotations

import html as _html
import re

# Every ASCII punctuation character becomes a numeric character reference: CommonMark never reads
# one as structure (emphasis, links, images, HTML), and Streamlit's `$…$` LaTeX and `:red[…]`
# colours do not see it. GitHub-style autolinks are found in the text after that, so their
# triggers (`://`, `www.`, `@`) get an invisible word joiner that breaks the match.
_MARKDOWN_SPECIAL = re.compile(r"[!-/:-@\[-`{-~]")
_AUTOLINK = re.compile(r"(?<=:)(?=//)|(?<=www)(?=\.)|(?<=@)", re.IGNORECASE)
JOINER = "\u2060"
_LINE_BREAKS = re.compile(r"[\t\r\n\u2028\u2029\x0b\x0c]+")
# Other control characters (ESC, NUL, BEL, DEL, C1) show as nothing on screen, but Plotly's image
# export fails on them (Kaleido: "plotly.js error"); direction marks reorder the text after them (a
# name could make the rest of a message read backwards). Both are left out.
_CONTROLS = re.compile(r"[\x00-\x08\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]")


def _one_line(value: object) -> str:
    return _CONTROLS.sub("", _LINE_BREAKS.sub(" ", str(value)))


def md(value: object) -> str:
    """`value` as Markdown that shows exactly its text (on one line; links not made live)."""
    text = _AUTOLINK.sub(JOINER, _one_line(value))
    return _MARKDOWN_SPECIAL.sub(lambda m: f"&#{ord(m.group())};", text)


# Plotly decodes only a few named entities (&amp; &lt; &gt; …, not &quot;) but every numeric one.
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&#34;", "'": "&#39;", "{": "&#123;", "}": "&#125;"}
_HTML_SPECIAL_RE = re.compile("[&<>\"'{}]")


def html(value: object) -> str:
    """`value` as HTML (and Plotly label) text: `<`, `>`, `&`, quotes and the braces of `%{…}` escaped."""
    return _HTML_SPECIAL_RE.sub(lambda m: _HTML_SPECIAL[m.group()], _one_line(value))


def plain(label: object) -> str:
    """The text an escaped HTML or Plotly label shows (for a screen reader's text alternative, say)."""
    return _html.unescape(str(label))
