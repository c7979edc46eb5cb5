"""Text is text: names from files and users are shown as written, never as Markdown, HTML or templates.

A store is filled with hostile names through the ordinary paths (a category, a source, a target,
an annotation, a user's name, an uploaded file's name and the values a rejection quotes); every
page shows them as text, the charts carry them escaped in their JSON, and the SVG export has
them as plain text with no link and no script.
"""

from __future__ import annotations

import html
import json
import random
import re
import shutil
import xml.etree.ElementTree as ET

import pytest
from streamlit.testing.v1 import AppTest

from conftest import shown
from statistik import accounts, publications, reference
from statistik.bootstrap import open_store
from statistik.ingest import Rejected, import_file
from statistik.markup import html as html_text, md
from statistik.views import annotations, targets_admin
from test_pages import DASHBOARD

IMAGE = "![x](https://evil.example/x.png)"
LINK = '<a href="https://evil.example">klik</a>'
SCRIPT = "<script>alert(1)</script>"
TEMPLATE = "%{fullData.name}"  # Plotly would fill it in a hover template
HOSTILE = [IMAGE, LINK, SCRIPT, "**fed**", "$x^2$", ":red[rød]", TEMPLATE]
CATEGORY = f"Kat {IMAGE} {LINK} **fed** $x$ {TEMPLATE}"
SOURCE = f"Kilde {SCRIPT} ![y](https://evil.example/y.png)"
TARGET = f"Mål {LINK} $x^2$ :red[rød]"
NOTE = f"Begivenhed {IMAGE} {SCRIPT}"
USER = f"Kim {IMAGE} **fed**"
PASSWORD = "korrekt-hest-batteri"


# --- the helpers themselves, on every kind of character ----------------------------------------

def _strings(seed: int, n: int = 150) -> list[str]:
    rng = random.Random(seed)
    alphabet = [chr(c) for c in range(32, 127)] + list("æøåÆØÅ é–…\u00a0")
    return HOSTILE + [
        "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 40))) for _ in range(n)
    ]


@pytest.mark.parametrize("text", _strings(1))
def test_markdown_escaping_keeps_the_text_and_leaves_no_markup_character_bare(text):
    escaped = md(text)
    assert shown(escaped) == text
    # Every ASCII punctuation character is written as a numeric character reference.
    assert not re.search(r"[!-/:-@\[-`{-~]", re.sub(r"&#\d+;", "", escaped)), escaped


@pytest.mark.parametrize("text", _strings(2))
def test_html_escaping_keeps_the_text_and_leaves_no_tag_entity_or_template(text):
    escaped = html_text(text)
    assert html.unescape(escaped) == text
    assert not set("<>\"'{}") & set(escaped)


def test_line_breaks_in_a_name_become_spaces():
    assert md("a\n# b\r\n- c") == "a &#35; b &#45; c"
    assert html_text("a\nb") == "a b"


# Control characters (ESC, NUL, BEL, DEL, C1) are invisible on screen, but Plotly's image export fails on
# them and Word refuses them; a name shows without them, as on screen.
CONTROLS = "".join(map(chr, [*range(0, 9), *range(14, 32), 127, *range(128, 160)]))
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"  # reorder what follows


def test_control_characters_are_left_out_of_markdown_and_labels():
    text = f"Kilde{CONTROLS}{BIDI} [31mrød\tx"
    assert shown(md(text)) == "Kilde [31mrød x"
    assert html_text(text) == "Kilde [31mrød x"
    for c in CONTROLS + BIDI:
        assert c not in md(c) and c not in html_text(c)


@pytest.mark.parametrize("bad", ["Mål \x1b[2J", "a\x00b", "Kilde \u202eevil", "zero\u200bwidth"])
def test_texts_with_hidden_characters_are_refused_where_they_are_written(con, tmp_path, bad):
    from conftest import table_contents
    before = table_contents(con)
    with pytest.raises(ValueError, match="kontroltegn|styretegn"):
        targets_admin.add_target(con, "155", "1320", 40, "below", bad, "kim")
    with pytest.raises(ValueError, match="kontroltegn|styretegn"):
        annotations.add_annotation(con, __import__("datetime").date(2025, 6, 1), bad, "kim")
    data = tmp_path / "data.csv"
    data.write_text("periode;kommune;kategori;antal\n2025-09;Dragør;Opioider;3\n", encoding="utf-8")
    with pytest.raises(Rejected) as refused:
        import_file(con, data, user="kim", source=bad)
    assert "kilden" in refused.value.problems[0].message()
    assert table_contents(con) == before
    with pytest.raises(ValueError, match="kontroltegn|styretegn"):
        accounts.add_account("kim", PASSWORD, bad, path=tmp_path / "brugere.toml")


@pytest.mark.parametrize("bad", ['=HYPERLINK("https://evil.example";"klik")', "+1", " -2+3", "@SUM(1)", "＝1"])
def test_a_source_that_a_spreadsheet_would_run_as_a_formula_is_refused(con, tmp_path, bad):
    """`statistik export` writes sources as they are (it is data, read back by tools), so none may be a formula."""
    data = tmp_path / "data.csv"
    data.write_text("periode;kommune;kategori;antal\n2025-09;Dragør;Opioider;3\n", encoding="utf-8")
    with pytest.raises(Rejected) as refused:
        import_file(con, data, user="kim", source=bad)
    assert "formel" in refused.value.problems[0].message()


def test_a_file_name_keeps_its_visible_characters_only(con, tmp_path):
    data = tmp_path / "data.csv"
    data.write_text("periode;kommune;kategori;antal\n2025-09;Dragør;Opioider;3\n", encoding="utf-8")
    _, upload_id = import_file(con, data, user="kim", name="fil\x1b[2J\u202e.csv")
    assert con.execute("SELECT file_name FROM upload WHERE id = ?", [upload_id]).fetchone()[0] == "fil[2J.csv"


# --- a store full of hostile names ----------------------------------------------------------------

@pytest.fixture(scope="module")
def hostile_store(seeded_template, tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile")
    path = folder / "statistik.duckdb"
    shutil.copy(seeded_template, path)
    con = open_store(path)
    # Registering refuses names like this one (reference.add_category); a store written before that
    # rule, or a name that slips past it, must still be shown as text, so it is put in directly and
    # the file names the category by its code.
    code = "kat-hostile"
    con.execute("INSERT INTO category VALUES (?, ?, NULL, 'intern', NULL)", [code, CATEGORY])
    rows = ["periode;kommune;kategori;antal"] + [
        f"{y}-{m:02d};{a};{code};{(y + m + i) % 17 + 3}"
        for y in (2024, 2025) for m in range(1, 13) for i, a in enumerate(("101", "147", "155", "185"))]
    data = folder / "data.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    import_file(con, data, user=USER, source=SOURCE, name=f"data {IMAGE}.csv")
    targets_admin.add_target(con, "155", code, 40, "below", TARGET, USER)
    annotations.add_annotation(con, __import__("datetime").date(2025, 6, 1), NOTE, USER)
    # `statistik briefing --final --user NAME` records any name as the one who made it final.
    publications.record(con, meeting=__import__("datetime").date(2025, 1, 15), created_by=USER, periods="2024",
                        suppress_below=None, file_format="pdf", organisation=SOURCE, members=["155"])
    con.close()
    users = folder / "brugere.toml"
    accounts.add_account("kim", PASSWORD, USER, path=users)
    return path, users, code


@pytest.fixture
def app(hostile_store, monkeypatch):
    path, users, code = hostile_store
    monkeypatch.setenv("STATISTIK_DB", str(path))
    monkeypatch.setenv("STATISTIK_USERS", str(users))
    return code


def _markdown_sources(at: AppTest) -> list[str]:
    kinds = ("markdown", "caption", "info", "warning", "success", "error", "title", "subheader")
    return [str(e.value) for kind in kinds for e in getattr(at, kind)]


def _assert_shown_as_text(at: AppTest, *names: str) -> None:
    sources = _markdown_sources(at)
    everything = "\n".join(shown(s) for s in sources)
    for name in names:
        assert name in everything, name                   # the reader sees the name as written
    for source in sources:
        bare = re.sub(r"&#\d+;", "", source)               # what a renderer would take as markup
        for bad in (*HOSTILE, "](", "<a", "<script", "$x"):
            assert bad not in bare, (bad, source)


def _charts(at: AppTest) -> list[dict]:
    return [json.loads(c.proto.spec) for c in at.get("plotly_chart")]


NEVER_SHOWN = {"legendgroup", "meta", "uid"}  # keys Plotly does not draw (meta: our own record of the title)


def _chart_strings(spec) -> list[str]:
    """Every string of a chart's JSON that Plotly may draw (names, axis labels, hover, titles, annotations)."""
    if isinstance(spec, str):
        return [spec]
    if isinstance(spec, dict):
        return [s for k, v in spec.items() if k not in NEVER_SHOWN for s in _chart_strings(v)]
    if isinstance(spec, list):
        return [s for v in spec for s in _chart_strings(v)]
    return []


def _assert_chart_escaped(spec: dict, *names: str) -> None:
    strings = _chart_strings({"data": spec["data"], "layout": spec["layout"]})
    for s in strings:
        assert "<a " not in s and "<script" not in s and "%{fullData" not in s, s
    text = "\n".join(html.unescape(s) for s in strings)
    for name in names:
        assert name in text, name


def _open(page: str, query: dict | None = None, login: bool = False) -> AppTest:
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    if query:
        at.query_params.update(query)
    at.run()
    if login:
        at.sidebar.text_input[0].input("kim")
        at.sidebar.text_input[1].input(PASSWORD)
        at.sidebar.button[0].click().run()
    if page != "oversigt":
        at.switch_page(f"app_pages/{page}.py").run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_oversigt_shows_the_target_and_its_source_as_text(app):
    at = _open("oversigt", {"omr": "155"})
    _assert_shown_as_text(at, TARGET)


def test_trend_chart_carries_the_names_escaped(app):
    at = _open("udvikling", {"omraade": "155", "kategori": app, "periode": "M"})
    _assert_shown_as_text(at)
    spec = _charts(at)[0]
    _assert_chart_escaped(spec, CATEGORY, SOURCE, NOTE)
    names = [t.get("name") for t in spec["data"] if t.get("name")]
    assert any(html.unescape(n).endswith(CATEGORY) for n in names), names


def test_comparison_chart_has_the_category_as_an_escaped_axis_label(app):
    at = _open("sammenligning", {"omr": "kbh", "type": "M", "p": "2025-12", "foer": "2024-12"})
    _assert_shown_as_text(at)
    specs = _charts(at)
    assert specs
    for spec in specs:
        _assert_chart_escaped(spec)
    assert any(CATEGORY in html.unescape(s) for spec in specs for s in _chart_strings(spec["layout"]))


def test_map_page_says_a_category_has_no_map_with_its_name_as_text(app):
    at = _open("kort", {"kat": app})
    _assert_shown_as_text(at, CATEGORY.lower())


@pytest.mark.parametrize("page", ["datastatus", "bilag"])
def test_who_made_the_last_briefing_final_is_shown_as_text(app, page):
    _assert_shown_as_text(_open(page), USER)


def test_login_caption_and_upload_page_show_user_file_names_and_refused_values_as_text(app, tmp_path):
    at = _open("upload", login=True)
    bad, good = f"fil {LINK}.csv", f"god {IMAGE}.csv"
    at.file_uploader[0].set_value([
        (bad, f"periode;kommune;kategori;antal\n2025-09;{SCRIPT};Opioider;3\n".encode(), "text/csv"),
        (good, f"periode;kommune;kategori;antal\n2025-09;Dragør;{app};3\n".encode(), "text/csv"),
    ]).run()
    assert not at.exception, [e.value for e in at.exception]
    assert any("Filen er afvist" in e.value for e in at.error)
    _assert_shown_as_text(at, USER, bad, good, SCRIPT, CATEGORY)


def test_svg_export_has_the_names_as_text_without_links_or_scripts():
    import pandas as pd

    from statistik.charts.comparison import change_figure
    from statistik.charts.export import render_many
    from statistik.charts.trend import trend_figure

    trend = trend_figure(
        pd.DataFrame({"series": [CATEGORY] * 3, "period_start": pd.to_datetime(["2025-01-01", "2025-02-01",
                                                                                 "2025-03-01"]),
                      "period_kind": "M", "value": [3, 5, 4]}),
        title=f"Udvikling: {CATEGORY}", y_title="Antal", source=SOURCE,
        annotations=pd.DataFrame({"start_date": [pd.Timestamp("2025-02-01")], "end_date": [pd.Timestamp("2025-02-01")],
                                  "text": [NOTE], "kind": ["begivenhed"], "category_codes": [None],
                                  "area_codes": [None]}))
    comparison = change_figure(
        pd.DataFrame({"category": [CATEGORY, "Opioider"], "change": [4, -1], "normal_low": [-3, -5],
                      "normal_high": [3, 5], "significant": [True, False], "small": [False, False],
                      "change_text": ["+4", "−1"], "total": [False, False]}),
        title="Sammenligning", source=SOURCE, x_title="Ændring i antal")
    for svg in render_many([(trend, "svg"), (comparison, "svg")], filters=f"Kategori: {CATEGORY}"):
        root = ET.fromstring(svg)
        tags = {el.tag.rsplit("}", 1)[-1] for el in root.iter()}
        assert "a" not in tags and "script" not in tags
        assert not [el for el in root.iter() if any("evil.example" in v for v in el.attrib.values())]
        # Lines of a wrapped title are separate text elements, so spaces are left out of the comparison.
        text = "".join("".join(el.itertext()) for el in root.iter() if el.tag.endswith("}text"))
        for name in (CATEGORY, SOURCE, f"Kategori: {CATEGORY}"):
            assert "".join(name.split()) in "".join(text.split()), name


def test_charts_with_control_characters_in_their_names_still_render():
    import pandas as pd

    from statistik.charts.export import render_many
    from statistik.charts.trend import trend_figure

    name = f"Kat\x1b[31m{CONTROLS}"
    trend = trend_figure(
        pd.DataFrame({"series": [name] * 2, "period_start": pd.to_datetime(["2025-01-01", "2025-02-01"]),
                      "period_kind": "M", "value": [3, 5]}),
        title=f"Udvikling: {name}", y_title="Antal", source=f"Kilde\x00\x07",
        annotations=pd.DataFrame({"start_date": [pd.Timestamp("2025-02-01")], "end_date": [pd.Timestamp("2025-02-01")],
                                  "text": ["Note\x1b\x7f"], "kind": ["begivenhed"], "category_codes": [None],
                                  "area_codes": [None]}))
    svg, png = render_many([(trend, "svg"), (trend, "png")], filters=f"Kategori: {name}")
    text = "".join("".join(el.itertext()) for el in ET.fromstring(svg).iter() if el.tag.endswith("}text"))
    assert "Kat[31m" in text and "Kilde" in text
    assert png.startswith(b"\x89PNG")


def test_a_real_browser_shows_the_names_as_text_and_fetches_nothing_outside(hostile_store):
    from dashboard_server import dashboard, guarded_chromium, log_in, settle
    path, users, code = hostile_store
    with dashboard(path, users) as url, guarded_chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1600})
        page.goto(f"{url}/?omr=155")
        settle(page)
        log_in(page, PASSWORD)
        body = page.inner_text("body").replace("\u2060", "")  # word joiners keep URLs from turning into links
        for name in (TARGET, USER, SOURCE):
            assert name in body, name
        assert not page.locator("img[src*='evil'], a[href*='evil'], script:text('alert')").count()
        assert not page.locator("[data-testid='stMarkdownContainer'] .katex").count()  # no LaTeX from $…$
        page.goto(f"{url}/udvikling?omraade=155&kategori={code}&periode=M")
        settle(page)
        assert not page.locator("svg a, a[href*='evil']").count()  # Plotly made no link of the name
        assert "klik</a>" in page.locator(".legend").first.text_content()  # the tag shown, as text
        # Every other page that names the category, its source, the target or the user; any image made
        # of a name would be fetched, which guarded_chromium fails on.
        for address in (f"kort?kat={code}", f"kommuner?kat={code}", "datastatus", "bilag", "om_data", "upload",
                        "maal_og_markeringer"):
            page.goto(f"{url}/{address}")
            settle(page)
            page.wait_for_selector("[data-testid='stApp'][data-test-script-state='notRunning']", timeout=60_000)
            assert not page.locator("img[src*='evil'], a[href*='evil'], .katex").count(), address
