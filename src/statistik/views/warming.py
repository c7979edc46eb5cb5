"""The views pages asked for lately, made again in the background as soon as the store changes.

After an import every view kept under the figures' fingerprint (`views.memo`: verdicts, the
overview's cards, trends, the funnel, the comparison table) must be computed again, seconds on a
national store. A `Warmer` remembers the calls of such views that page runs made lately and, when a
write publishes a new version (in this process, another dashboard process or the command line),
makes the same calls on that version in a thread of its own, the most recently asked first. A page
run that asks meanwhile waits for the same computation (`memo.kept` computes each result once);
one that comes later finds it kept. Nothing is computed that no page asked for, and a pass stops
when a newer version appears (it starts again on that one).

A process that starts also makes, once, what a first visit to Oversigt, Udvikling, Kommuner and
Sammenlign asks for (`first_visit`: the district's cards and targets, contact fraud over time and
across the municipalities, its newest complete year against the year before — fitting the models of normal variation for every category, 7–9 s on a national store);
after a change, only what pages asked for is made again.

The calls are also kept in a small file beside the store (`<store>.varm.json`), so a dashboard
process that starts (a restart, a second replica) makes them at once instead of leaving the
first users to wait for a cold start (Sammenlign: about 9 s on a national store). The file holds
only view names and plain values (text, numbers, dates, periods); a name that is not a kept view
of `statistik.views` is ignored, so the file cannot make the dashboard run anything else.

    warmer = Warmer(store)
    warmer.start()                          # one per store and process: the dashboard's
    warmer.asked(Call.of(cards, (area,)))   # what ui.store.load records for a kept view
"""

from __future__ import annotations

import contextlib
import datetime as dt
import importlib
import json
import logging
import os
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

from statistik import districts
from statistik.periods import Period
from statistik.store import Snapshot, Store
from statistik.views import comparison, memo, municipalities, overview, published, trends

LOG = logging.getLogger("statistik.warming")
RECENT = 24          # calls remembered; each pass makes at most these
INTERVAL_S = 1.0     # how often the store is looked at (a stat of its file)
SAVE_S = 10.0        # the remembered calls are written to their file at most this often
VIEWS = "statistik.views."


@dataclass(frozen=True, eq=False)
class Call:
    """A view called with arguments, for one district, on the full or the public dashboard."""

    function: Callable
    args: tuple
    kwargs: dict
    public: bool
    district: str

    @classmethod
    def of(cls, function: Callable, args: tuple = (), kwargs: dict | None = None, public: bool = False) -> Call:
        return cls(function, tuple(args), dict(kwargs or {}), public, districts.current().code)

    @property
    def key(self) -> tuple:
        """What makes two calls the same (lists as tuples, as `memo` keys them)."""
        return (self.function, memo.frozen(self.args), memo.frozen(self.kwargs), self.public, self.district)

    def __eq__(self, other) -> bool:
        return isinstance(other, Call) and self.key == other.key

    def __hash__(self) -> int:
        return hash(self.key)

    def plain(self) -> dict:
        """The call as JSON values (TypeError for an argument that is not text, a number, a date or a period)."""
        return {"view": f"{self.function.__module__}.{self.function.__qualname__}", "args": _plain(list(self.args)),
                "kwargs": {k: _plain(v) for k, v in self.kwargs.items()}, "public": self.public,
                "district": self.district}

    @classmethod
    def from_plain(cls, value: dict) -> Call | None:
        """The call written by `plain`; None unless it names a kept view of `statistik.views`."""
        module, _, name = str(value["view"]).rpartition(".")
        if not module.startswith(VIEWS) or not module[len(VIEWS):].isidentifier():
            return None
        function = getattr(importlib.import_module(module), name, None)
        if function is None or not warmable(function):
            return None
        return cls(function, tuple(_value(list(value["args"]))), {str(k): _value(v) for k, v in value["kwargs"].items()},
                   bool(value["public"]), str(value["district"]))

    def make(self, snapshot: Snapshot) -> None:
        """Call the view on `snapshot` (its result is kept by `views.memo`)."""
        con = snapshot.cursor()
        with published.only_published(con) if self.public else contextlib.nullcontext():
            self.function(con, *self.args, **self.kwargs)


def _plain(value):
    if isinstance(value, Period):   # before tuple: a Period is one
        return {"periode": [value.kind, value.start.isoformat()]}
    if isinstance(value, dt.date):
        return {"dato": value.isoformat()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    raise TypeError(f"{type(value).__name__} is not kept in the file")


def _value(plain):
    if isinstance(plain, dict):
        if "periode" in plain:
            kind, start = plain["periode"]
            return Period(str(kind), dt.date.fromisoformat(start))
        return dt.date.fromisoformat(plain["dato"])
    if isinstance(plain, list):
        return [_value(v) for v in plain]
    return plain


def first_visit(con) -> list[Call]:
    """The calls of a first visit to Oversigt, Udvikling, Kommuner and Sammenlign with nothing chosen (the
    pages' defaults: the district, contact fraud, by quarter or year)."""
    own = districts.current().code
    calls = [Call.of(overview.cards, (own,)), Call.of(overview.target_cards, (own,)),
             Call.of(trends.trend, ([own], ["1320"], "Q", "antal", None)),
             Call.of(municipalities.compare, ("1320", "Y"))]
    years = comparison.periods_available(con, "Y")
    if len(years) >= 2:
        calls.append(Call.of(comparison.compare, (years[0], comparison.year_before(years, years[0]), own)))
    return calls


def warmable(function: Callable) -> bool:
    """Whether warming `function` ahead helps: it keeps its results across writes (`memo.keeps`)."""
    return getattr(function, "kept", False)


class Warmer:
    """Makes the recently asked calls again whenever the store's version changes."""

    def __init__(self, store: Store, *, recent: int = RECENT, interval: float | None = None):
        self.store, self.limit, self.interval = store, recent, interval or INTERVAL_S
        self._recent: OrderedDict[Call, None] = OrderedDict()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._changed = False   # calls asked since they were last written to the file
        self.file = store.path.with_name(f"{store.path.name}.varm.json")
        self.passes = 0   # finished passes, for tests and benches

    def asked(self, call: Call) -> None:
        """Remember that a page asked for `call` (hashable arguments only; others are not warmed)."""
        with self._lock:
            front = next(iter(self._recent), None)
            try:
                self._recent[call] = None
            except TypeError:   # an argument that cannot be a key (a frame): not warmed
                return
            self._changed |= front != call
            self._recent.move_to_end(call, last=False)
            while len(self._recent) > self.limit:
                self._recent.popitem()

    def remember(self, calls: list[Call]) -> None:
        """Remember `calls` after those asked already (while there is room)."""
        with self._lock:
            for call in calls:
                if call not in self._recent and len(self._recent) < self.limit:
                    self._recent[call] = None

    def save(self) -> None:
        """Write the remembered calls to the file beside the store (atomically; other processes read it)."""
        with self._lock:
            calls, self._changed = list(self._recent), False
        plain = []
        for call in calls:
            try:
                plain.append(call.plain())
            except TypeError:
                continue
        private = self.file.with_name(f".{self.file.name}-{os.getpid()}-{threading.get_ident()}")
        private.write_text(json.dumps(plain, ensure_ascii=False), encoding="utf-8")
        os.replace(private, self.file)

    def load(self) -> None:
        """Remember the calls in the file beside the store (written by this or another process), after those
        asked already; a file that cannot be read is left alone."""
        try:
            plain = json.loads(self.file.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError):
            LOG.warning("%s could not be read; no views were warmed from it", self.file)
            return
        calls = []
        for value in plain if isinstance(plain, list) else []:
            try:
                call = Call.from_plain(value)
            except Exception:   # anything odd in the file: that call is not made
                continue
            if call is not None:
                calls.append(call)
        self.remember(calls)

    def calls(self) -> list[Call]:
        """The calls remembered, the most recently asked first."""
        with self._lock:
            return list(self._recent)

    def warm(self, snapshot: Snapshot, also: list[Call] = ()) -> bool:
        """Make every remembered call (then `also`) of the district served on `snapshot`; False if a newer version
        came first."""
        own = districts.current().code
        recent = self.calls()
        for call in recent + [c for c in also if c not in recent]:
            if self._stop.is_set() or self.store.snapshot().key != snapshot.key:
                return False
            if call.district != own:
                continue
            try:
                call.make(snapshot)
            except Exception:  # a page that asks will show the error, with its log id
                LOG.exception("warming %s failed", getattr(call.function, "__qualname__", call.function))
        self.passes += 1
        return True

    def _run(self) -> None:
        warmed, saved = None, time.monotonic()
        self.load()
        try:  # made once, at start; after a change only what pages asked for is made again
            first = first_visit(self.store.snapshot().cursor())
        except Exception:
            LOG.exception("the views of a first visit could not be listed; they are not warmed")
            first = []
        while not self._stop.wait(self.interval):
            try:
                snapshot = self.store.snapshot()
                if snapshot.key != warmed and self.warm(snapshot, also=first):
                    warmed, first = snapshot.key, []
                if self._changed and time.monotonic() - saved > SAVE_S:
                    self.save()
                    saved = time.monotonic()
            except FileNotFoundError:
                return  # the store is gone (a test's temporary one)
            except Exception:
                LOG.exception("warming stopped for a while")

    def start(self) -> Warmer:
        """Watch the store in a daemon thread."""
        if self._thread is None:
            self._thread = threading.Thread(target=self._run, name=f"warming {self.store.path.name}", daemon=True)
            self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
