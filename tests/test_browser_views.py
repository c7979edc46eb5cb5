"""Every page in a real Chromium at 1400 px and at 390 px (a phone): axe-core finds no serious or critical
WCAG 2.1 AA violation, nothing scrolls sideways, titles do not break inside a word, the keyboard gets
around, event labels do not overlap, a click on the map opens the municipality's trend, and downloads are
rounded and named after their title. One server and one browser for all of it.

Screenshots go to $STATISTIK_SCREENSHOTS (or the test's temp folder).
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe

from dashboard_server import guarded_chromium, log_in, settle
from test_browser import PASSWORD, app  # noqa: F401  (the server fixture)

PUBLIC = [("", "oversigt"), ("udvikling?omraade=kbh&kategori=3210&periode=Q", "udvikling"),
          ("kommuner?kat=1320", "kommuner"), ("kort?kat=1320", "kort"), ("sammenligning", "sammenligning"),
          ("bilag", "bilag"), ("datastatus", "datastatus"), ("om_data", "om_data")]
ANALYST = ["Upload", "Mål og markeringer"]
WCAG = {"runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}}

OVERFLOW = "[document.documentElement.scrollWidth, window.innerWidth]"
# Words of the page's h1 that the browser broke over two lines.
BROKEN_WORDS = """() => {
  const h = document.querySelector('h1'); if (!h) return [];
  const out = [];
  const walker = document.createTreeWalker(h, NodeFilter.SHOW_TEXT);
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    for (const m of node.textContent.matchAll(/\\S+/g)) {
      const r = document.createRange(); r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
      const tops = new Set(Array.from(r.getClientRects()).map(b => Math.round(b.top)));
      if (tops.size > 1) out.push(m[0]);
    }
  }
  return out;
}"""
# Bounding boxes of the event labels drawn in the visible chart.
EVENT_LABELS = """() => {
  const gd = document.querySelector('[class*="st-key-wide_"] .js-plotly-plot');
  return (gd.layout.annotations || []).map((a, i) => [a, i]).filter(([a]) => (a.name || '').startsWith('event'))
    .map(([a, i]) => {
      const g = gd.querySelector(`g.annotation[data-index="${i}"]`);
      const b = g.getBoundingClientRect();
      return [b.left, b.top, b.right, b.bottom, g.textContent];
    });
}"""


def _chart(page, key: str) -> None:
    """Wait until the wide chart `key` has been drawn by Plotly."""
    page.wait_for_selector(f".st-key-wide_{key} .js-plotly-plot .nsewdrag", state="attached", timeout=60_000)
    page.wait_for_timeout(500)


def _serious(axe: Axe, page) -> list:
    violations = axe.run(page, options=WCAG).response["violations"]
    return [(v["id"], v["impact"], [n["target"] for n in v["nodes"][:3]]) for v in violations
            if v["impact"] in ("serious", "critical")]


def _check(axe, page, name: str, width: int, shots: Path) -> None:
    settle(page, pause=0.6)
    assert not page.locator("[data-testid='stException']").count(), name
    assert page.evaluate("document.documentElement.lang") == "da", name
    scroll, inner = page.evaluate(OVERFLOW)
    assert scroll <= inner, f"{name} at {width} px scrolls sideways: {scroll} > {inner}"
    assert page.evaluate(BROKEN_WORDS) == [], name
    assert _serious(axe, page) == [], name
    text = page.inner_text("[data-testid='stMain']")
    assert "None" not in text and "00:00:00" not in text and "NaN" not in text, name
    page.screenshot(path=str(shots / f"{name}_{width}.png"), full_page=True)


def _open_sidebar(page, width: int) -> None:
    if width < 700 and page.locator("[data-testid='stExpandSidebarButton']").count():
        page.locator("[data-testid='stExpandSidebarButton']").first.click()
        page.wait_for_timeout(400)


def _login(page, width: int) -> None:
    _open_sidebar(page, width)
    log_in(page, PASSWORD)


def test_every_page_at_1400_and_390_px_is_accessible_and_fits(app, tmp_path):
    shots = Path(os.environ.get("STATISTIK_SCREENSHOTS", tmp_path))
    shots.mkdir(parents=True, exist_ok=True)
    axe = Axe()
    with guarded_chromium() as browser:
        for width in (1400, 390):
            page = browser.new_page(viewport={"width": width, "height": 1200})
            for path, name in PUBLIC:
                page.goto(f"{app}/{path}")
                _check(axe, page, name, width, shots)
                if name == "udvikling":
                    page.wait_for_selector(".st-key-wide_udvikling", state="attached", timeout=60_000)
                    # The narrow chart on a phone, the wide one on a screen; never both.
                    shown = page.evaluate("""() => ['wide', 'narrow'].map(s =>
                        getComputedStyle(document.querySelector('.st-key-' + s + '_udvikling')).display)""")
                    visible = [d != "none" for d in shown]
                    assert visible == ([True, False] if width > 640 else [False, True]), shown
            _login(page, width)
            for link in ANALYST:
                _open_sidebar(page, width)
                page.get_by_role("link", name=link).click()
                _check(axe, page, link.lower().replace(" ", "_"), width, shots)
            page.close()


def test_labels_map_click_downloads_toolbar_and_keyboard(app, tmp_path):
    with guarded_chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1200}, accept_downloads=True)

        # The opioid law on the narcotics chart: written out in full, and no two labels overlap.
        page.goto(f"{app}/udvikling?omraade=kbh&kategori=3210,opioider&periode=Q")
        settle(page, pause=0.6)
        _chart(page, "udvikling")
        labels = page.evaluate(EVENT_LABELS)
        assert any("Skærpede regler om opioider og elektronisk fodlænke træder i kraft" in t for *_, t in labels)
        assert not any("…" in t for *_, t in labels)
        for i, a in enumerate(labels):
            for b in labels[i + 1:]:
                assert a[2] <= b[0] or b[2] <= a[0] or a[3] <= b[1] or b[3] <= a[1], (a, b)
        # Plotly's toolbar speaks Danish (the locale travels with the chart, no CDN).
        page.locator(".st-key-wide_udvikling .js-plotly-plot").hover()
        assert page.locator("[data-title='Gem grafen som PNG']").count() >= 1

        # A burglary chart of the district has no concerts, festivals or opioid law on it.
        page.goto(f"{app}/udvikling?omraade=kbh&kategori=1320&periode=Q")
        settle(page, pause=0.6)
        _chart(page, "udvikling")
        assert page.evaluate(EVENT_LABELS) == []

        # Downloads: rounded as on screen, named after the title.
        page.goto(f"{app}/kommuner?kat=1320&type=Y")
        settle(page, pause=0.6)
        with page.expect_download() as download:
            page.get_by_role("button", name="CSV", exact=True).first.click()   # the municipalities; the districts follow
        assert download.value.suggested_filename == "indbrud-i-beboelser-pr-100-000-indbyggere-2025.csv"
        rows = Path(download.value.path()).read_text(encoding="utf-8-sig").splitlines()
        assert "Dragør;24;14450;166,1;" in ";".join(rows[3:4]) + ";" or any(r.startswith("Dragør;24;14450;166,1;")
                                                                           for r in rows)

        # A click on Tårnby on the map opens Tårnby's trend.
        page = browser.new_page(viewport={"width": 1400, "height": 1200})
        page.goto(f"{app}/kort?kat=1320")
        settle(page, pause=1.0)
        _chart(page, "kort")
        where = """(code) => {
          const gd = document.querySelector('.st-key-wide_kort .js-plotly-plot');
          const trace = gd._fullData.find(t => t.name === 'kommuner');
          const i = trace.customdata.findIndex(c => c[0] === code);
          const box = gd.querySelector('.nsewdrag').getBoundingClientRect();
          const xa = gd._fullLayout.xaxis, ya = gd._fullLayout.yaxis;
          return [box.left + xa.d2p(trace.x[i]), box.top + ya.d2p(trace.y[i])];
        }"""
        # København's point, a few pixels from Frederiksberg's and Rødovre's at this size, is København's.
        page.mouse.move(*page.evaluate(where, "101"))
        page.get_by_text("København").and_(page.locator(".hoverlayer *")).first.wait_for(timeout=10_000)
        x, y = page.evaluate(where, "185")
        page.mouse.move(x, y)
        page.get_by_text("Tårnby").and_(page.locator(".hoverlayer *")).first.wait_for(timeout=10_000)
        page.wait_for_timeout(500)
        page.mouse.click(x, y)
        page.get_by_role("heading", name="Udvikling over tid").wait_for(timeout=60_000)
        settle(page, pause=1.0)
        chosen = page.locator("[data-testid='stMultiSelect']").first.inner_text()
        assert "Tårnby" in chosen and "København" not in chosen
        page.get_by_role("link", name="Kort").click()          # coming back does not jump away again
        settle(page, pause=1.0)
        assert page.get_by_role("heading", name="Kort over kommunerne").is_visible()

        # The keyboard alone: Tab to the page list, Enter opens Kommuner.
        page.goto(app)
        settle(page)
        for _ in range(40):
            page.keyboard.press("Tab")
            if page.evaluate("document.activeElement.tagName === 'A' && "
                             "document.activeElement.textContent.trim().endsWith('Kommuner')"):
                break
        else:
            pytest.fail("Tab never reached the link to Kommuner")
        page.keyboard.press("Enter")
        settle(page)
        assert page.get_by_role("heading", name="Kommunerne i forhold til landet").is_visible()
