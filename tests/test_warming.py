"""Views made again in the background after a write, and kept views computed once however many ask."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time

import pytest

from conftest import SAMPLES
from statistik.ingest import import_file
from statistik.store import Store
from statistik.periods import Period
from statistik.views import comparison, memo, overview, trends
from statistik.views.warming import Call, Warmer, warmable
from test_pages import open_page

made: list[str] = []


@memo.keeps()
def burglaries(con, areas: list[str]) -> int:
    """A kept view that says when it is computed."""
    made.append("burglaries")
    return con.execute("SELECT sum(count) FROM figure WHERE category_code = '1320' AND area_code IN "
                       "(SELECT unnest(?))", [list(areas)]).fetchone()[0]


def _add_month(store: Store) -> None:
    with store.write(purpose="test: a new month") as con:
        import_file(con, SAMPLES / "eksempel_lang_2025-09.csv", user="test")


def _wait_for(condition, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "the warmer did not finish in time"
        time.sleep(0.02)


def test_a_kept_view_is_computed_once_however_many_threads_ask_at_the_same_time(db_path):
    store, started = Store(db_path), threading.Event()
    computed = []

    def slow():
        computed.append(1)
        started.set()
        time.sleep(0.3)
        return [1, 2, 3]

    results = []
    threads = [threading.Thread(target=lambda: results.append(memo.kept(store.read(), ("slow", id(computed)), slow)))
               for _ in range(5)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert computed == [1] and results == [[1, 2, 3]] * 5


def test_a_failed_computation_is_tried_again_by_the_next_who_asks(db_path):
    store, tries = Store(db_path), []

    def flaky():
        tries.append(1)
        if len(tries) == 1:
            raise RuntimeError("first try fails")
        return "ok"

    with pytest.raises(RuntimeError):
        memo.kept(store.read(), ("flaky", id(tries)), flaky)
    assert memo.kept(store.read(), ("flaky", id(tries)), flaky) == "ok" and len(tries) == 2


def test_after_a_write_the_asked_views_are_made_on_the_new_version_before_a_page_asks(db_path):
    store = Store(db_path)
    assert warmable(burglaries) and not warmable(overview.area_caption)
    warmer = Warmer(store, interval=0.02)
    warmer.asked(Call.of(burglaries, (["101", "147"],)))
    warmer.asked(Call.of(burglaries, (("101", "147"),)))          # the same call: remembered once
    assert len(warmer.calls()) == 1
    before = burglaries(store.read(), ["101", "147"])
    made.clear()
    warmer.start()
    try:
        _wait_for(lambda: warmer.passes >= 1)
        assert made == []                                        # nothing changed: the kept result stands
        with store.write(purpose="test: a revised figure") as con:
            con.execute("UPDATE figure SET count = count + 5 WHERE category_code = '1320' AND area_code = '101' "
                        "AND period_start = (SELECT max(period_start) FROM figure WHERE category_code = '1320')")
        _wait_for(lambda: warmer.passes >= 2)
        assert made == ["burglaries"]                            # made by the warmer
        assert burglaries(store.read(), ["101", "147"]) == before + 5
        assert made == ["burglaries"]                            # the page's call found it ready
    finally:
        warmer.stop()


def test_a_pass_stops_when_a_newer_version_appears(db_path):
    store = Store(db_path)
    warmer = Warmer(store)
    old = store.snapshot()
    _add_month(store)
    warmer.asked(Call.of(burglaries, (["101"],)))
    made.clear()
    assert warmer.warm(old) is False and made == []
    assert warmer.warm(store.snapshot()) is True and made == ["burglaries"]


def test_the_dashboard_shows_an_import_from_outside_without_computing_the_overview_again(db_path, monkeypatch):
    """Oversigt asked for its cards; an import publishes a new version; the dashboard's warmer makes the
    cards on it, and the next page run only reads them (and shows the new month)."""
    monkeypatch.setenv("STATISTIK_VARM", "1")
    monkeypatch.setattr("statistik.views.warming.INTERVAL_S", 0.05)
    figures_made = []
    real = overview._figures
    monkeypatch.setattr(overview, "_figures", lambda *a: figures_made.append(a[2]) or real(*a))
    at = open_page("oversigt")
    assert not any("sep. 2025" in m.label for m in at.metric)
    from statistik.ui import store as ui_store
    warmer = ui_store._warmer(str(db_path))
    assert any(c.function is overview.cards for c in warmer.calls())
    _wait_for(lambda: warmer.passes >= 1)                        # its first look at the store is over
    passes = warmer.passes
    _add_month(Store(db_path))                                   # as `statistik import` in another process
    _wait_for(lambda: warmer.passes > passes)
    figures_made.clear()
    at.run()
    assert figures_made == []
    assert not at.exception and any("sep. 2025" in m.label for m in at.metric)
    warmer.stop()


def test_a_new_process_warms_what_the_pages_asked_for_before_from_the_file_beside_the_store(db_path):
    first = Warmer(Store(db_path))
    y2025, y2024 = Period("Y", dt.date(2025, 1, 1)), Period("Y", dt.date(2024, 1, 1))
    asked = [Call.of(comparison.compare, (y2025, y2024, "pk11")),
             Call.of(trends.trend, (["pk11", "155"], ["1320"], "Q", "antal", None)),
             Call.of(overview.cards, ("155",), public=True),
             Call.of(burglaries, (["101"],))]               # a view outside statistik.views: not in the file
    for call in reversed(asked):
        first.asked(call)
    first.save()
    second = Warmer(Store(db_path))
    second.load()
    assert second.calls() == asked[:3]
    assert second.calls()[0].args == (y2025, y2024, "pk11") and isinstance(second.calls()[0].args[0], Period)
    assert second.calls()[2].public and second.calls()[2].district == "pk11"
    made.clear()
    assert second.warm(Store(db_path).snapshot())


@pytest.mark.parametrize("content", [
    "ikke json", "{}", '[{"view": "os.system", "args": ["touch /tmp/x"], "kwargs": {}, "public": false, "district": "pk11"}]',
    '[{"view": "statistik.store.Store", "args": [], "kwargs": {}, "public": false, "district": "pk11"}]',
    '[{"view": "statistik.views.overview.area_caption", "args": ["pk11"], "kwargs": {}, "public": false, "district": "pk11"}]',
    '[{"view": "statistik.views..x.y", "args": [], "kwargs": {}, "public": false, "district": "pk11"}]',
    '[{"view": "statistik.views.overview.cards", "args": [{"periode": ["Y", "ikke en dato"]}], "kwargs": {}}]',
    '[{"view": "statistik.views.overview.cards"}, 7, null, "x"]',
])
def test_a_broken_or_hostile_file_makes_no_call(db_path, content):
    warmer = Warmer(Store(db_path))
    warmer.file.write_text(content, encoding="utf-8")
    warmer.load()
    assert warmer.calls() == []


def test_a_new_process_warms_what_a_first_visit_asks_for_exactly_as_the_pages_ask(db_path, monkeypatch):
    """`first_visit` repeats the defaults of Oversigt, Udvikling, Kommuner and Sammenlign: if a page's defaults
    change, this fails (and the warming would only make calls nobody uses)."""
    from statistik.views import warming
    real = warming.first_visit
    monkeypatch.setenv("STATISTIK_VARM", "1")
    monkeypatch.setattr(warming, "first_visit", lambda con: [])        # record only what the pages ask
    at = open_page("oversigt")
    for page in ("udvikling", "kommuner", "sammenligning"):
        at.switch_page(f"app_pages/{page}.py").run()
        assert not at.exception
    from statistik.ui import store as ui_store
    warmer = ui_store._warmer(str(db_path))
    expected = real(Store(db_path).read())
    assert len(expected) == 5 and set(expected) <= set(warmer.calls())
    warmer.stop()


def test_the_first_visit_is_made_once_after_what_pages_asked_for(db_path):
    warmer = Warmer(Store(db_path))
    once = Call.of(burglaries, (["155"],))
    made.clear()
    assert warmer.warm(Store(db_path).snapshot(), also=[once]) and made == ["burglaries"]
    assert warmer.calls() == []                                  # not remembered: a later change does not remake it
