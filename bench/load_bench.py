"""Load benchmark: many browser sessions touring the dashboard while the command line imports and undoes.

    python bench/load_bench.py [--sessions 20] [--tours 3] [--replicas 1] [--pause S] [--think S] [--warm-up]
                               [--ready] [--protocol] [--smoke]

Starts `streamlit run dashboard.py` (--replicas processes on one store, sessions spread over them)
on the harness's national-scale store, then N Chromium sessions (Playwright, Debian's Chromium)
each open Oversigt and click through every page --tours times, reading each page --think seconds
(default 0: the next click at once). By default the processes have just started (and nothing
earlier runs asked for is warmed); with --warm-up one unmeasured session tours every page first,
as on a dashboard already in use; with --ready each process first answers its readiness check
(`/_stcore/script-health-check`, which runs the first page) and the machine is let go quiet, as
behind a load balancer that sends users to a process only once it is ready. Meanwhile
`statistik import` of ten new months for all 98 municipalities x 90 categories and `statistik undo`
of it alternate, so every page view may meet a new version of the store. A page view is timed from the click to the page's heading being shown
and the script done. Reported: page views, p50/p95 page time (also per page), errors (a
traceback, an error message or a time-out), imports done, and each dashboard process's peak memory.

With --protocol the sessions are not browsers: each speaks Streamlit's websocket protocol as its
frontend does (asks for a page run, reads every message of it) and draws nothing, so the time is the
dashboard's share of a page view, measured on a machine whose CPU is not taken by 20 Chromium
instances. A page view is then timed from asking for the page to its heading received and the run
finished.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import datetime as dt
import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
import harness  # noqa: E402
from dashboard_server import CHROMIUM, READY, dashboard_process  # noqa: E402

TOUR = [("Udvikling", "Udvikling over tid"), ("Kommuner", "Kommunerne i forhold til landet"),
        ("Sammenlign perioder", "Sammenlign to perioder"), ("Datastatus", "Datastatus"),
        ("Om data", "Om data"), ("Oversigt", "Lokal kriminalitetsstatistik")]
AIM_P95_S = 2.0
FAILED = "Der skete en fejl"   # the start of the dashboard's Danish error message


async def _visits(first, view, check, tours: int, think: float, times: list[tuple[str, float]],
                  errors: list[str]) -> None:
    """One user's tour: `first()` opens the dashboard, `view(link, heading)` opens a page (timed), `check()`
    says what went wrong on it (a traceback, the Danish error message), if anything."""
    try:
        await first()
    except Exception as e:  # the first page never came: the whole session is one error
        errors.append(f"første side: {type(e).__name__}")
        return
    for _ in range(tours):
        for link, heading in TOUR:
            started = time.perf_counter()
            try:
                await view(link, heading)
            except Exception as e:  # a time-out counts as an error of that page view
                errors.append(f"{link}: {type(e).__name__}")
                continue
            times.append((link, time.perf_counter() - started))
            if problem := await check():
                errors.append(f"{link}: {problem}")
            await asyncio.sleep(think)  # the user reads the page before the next click


async def _session(browser, url: str, tours: int, think: float, times: list[tuple[str, float]],
                   errors: list[str]) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()

    async def first() -> None:
        await page.goto(url, timeout=180_000)
        await page.wait_for_selector(READY, timeout=180_000)

    async def view(link: str, heading: str) -> None:
        await page.get_by_role("link", name=link, exact=True).click(timeout=60_000)
        await page.get_by_role("heading", name=heading).first.wait_for(timeout=60_000)
        await page.wait_for_selector(READY, timeout=60_000)

    async def check() -> str | None:
        if await page.locator("[data-testid='stException']").count():
            return "traceback"
        return "fejlbesked" if await page.get_by_text(FAILED).count() else None

    try:
        await _visits(first, view, check, tours, think, times, errors)
    finally:
        await context.close()


async def _tour(urls: list[str], sessions: int, tours: int, think: float) -> tuple[list[tuple[str, float]], list[str]]:
    from playwright.async_api import async_playwright
    times, errors = [], []
    async with async_playwright() as p:
        browser = await p.chromium.launch(executable_path=CHROMIUM, args=[
            "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"])
        await asyncio.gather(*[_session(browser, urls[i % len(urls)], tours, think, times, errors)
                               for i in range(sessions)])
        await browser.close()
    return times, errors


async def _protocol_session(url: str, tours: int, think: float, times: list[tuple[str, float]],
                            errors: list[str]) -> None:
    """One session over Streamlit's websocket, as the frontend speaks it, drawing nothing."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    pages, problem = {}, None

    async def run(page_hash: str, heading: str | None) -> None:
        """Asks for a page run and reads it to its end, noting the pages by name and what went wrong."""
        nonlocal pages, problem
        ask = BackMsg()
        ask.rerun_script.page_script_hash = page_hash
        ask.rerun_script.context_info.url = url
        await ws.send(ask.SerializeToString())
        problem, seen = None, heading is None
        while True:
            message = ForwardMsg()
            message.ParseFromString(await asyncio.wait_for(ws.recv(), timeout=60))
            kind = message.WhichOneof("type")
            if kind == "navigation":
                pages = {page.page_name: page.page_script_hash for page in message.navigation.app_pages}
            elif kind == "delta" and message.delta.WhichOneof("type") == "new_element":
                element = message.delta.new_element
                if element.WhichOneof("type") == "exception":
                    problem = "traceback"
                elif FAILED.encode() in element.SerializeToString():
                    problem = problem or "fejlbesked"
                elif element.WhichOneof("type") == "heading" and element.heading.body == heading:
                    seen = True
            elif kind == "script_finished":
                problem = problem or (None if seen else "ingen overskrift")
                return

    async def check() -> str | None:
        return problem

    try:
        async with websockets.connect(url.replace("http", "ws", 1) + "/_stcore/stream", subprotocols=["streamlit"],
                                      origin=url, max_size=None, open_timeout=180) as ws:
            await _visits(lambda: asyncio.wait_for(run("", None), timeout=180),
                          lambda link, heading: run(pages[link], heading), check, tours, think, times, errors)
    except OSError as e:
        errors.append(f"forbindelse: {type(e).__name__}")


async def _protocol_tour(urls: list[str], sessions: int, tours: int,
                         think: float) -> tuple[list[tuple[str, float]], list[str]]:
    times, errors = [], []
    await asyncio.gather(*[_protocol_session(urls[i % len(urls)], tours, think, times, errors)
                           for i in range(sessions)])
    return times, errors


class CpuWatch:
    """CPU seconds used meanwhile by the dashboard processes, by the browsers and by the whole machine."""

    def __init__(self, dashboards: list[int]):
        self.dashboards, self.browsers, self._stop = dashboards, {}, threading.Event()
        self._thread = threading.Thread(target=self._watch, daemon=True)
        self.started, self.machine = harness.machine_cpu(), 0.0
        self.dashboard = -sum(_cpu(pid) for pid in dashboards)

    def _watch(self) -> None:
        while not self._stop.wait(0.5):  # a browser's renderers come and go: keep the last seen of each
            for stat in Path("/proc").glob("[0-9]*/stat"):
                with contextlib.suppress(OSError, ValueError, IndexError):
                    if "chrom" in stat.read_text().split(") ")[0]:
                        self.browsers[stat.parent.name] = _cpu(int(stat.parent.name))

    def __enter__(self) -> CpuWatch:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._stop.set()
        self._thread.join()
        self.machine = harness.machine_cpu() - self.started
        self.dashboard += sum(_cpu(pid) for pid in self.dashboards)

    def describe(self) -> str:
        browsers = f"browsers at least {sum(self.browsers.values()):.0f} s" if self.browsers else "no browsers"
        return f"CPU used meanwhile: dashboard {self.dashboard:.0f} s, {browsers}, the whole machine {self.machine:.0f} s"


def _cpu(pid: int) -> float:
    """User + system CPU seconds of a process so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(") ", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _peak_mb(pid: int) -> float:
    """A process's peak resident memory (VmHWM), with its children (the script runs in threads)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--tours", type=int, default=3)
    parser.add_argument("--replicas", type=int, default=1)
    parser.add_argument("--months", type=int, default=228)
    parser.add_argument("--categories", type=int, default=90)
    parser.add_argument("--pause", type=float, default=0.0,
                        help="seconds between one import+undo and the next (0: back to back, the worst case)")
    parser.add_argument("--think", type=float, default=0.0,
                        help="seconds each user reads a page before the next click (0: click on at once, the worst case)")
    parser.add_argument("--warm-up", action="store_true",
                        help="one session tours every page first, unmeasured: a dashboard in use, not just started")
    parser.add_argument("--ready", action="store_true",
                        help="ask each process's readiness check first and wait for a quiet machine")
    parser.add_argument("--protocol", action="store_true",
                        help="sessions speak Streamlit's websocket protocol instead of running a browser: "
                             "the dashboard's share of page time")
    parser.add_argument("--smoke", action="store_true", help="a tiny store, one session, one tour")
    parser.add_argument("--workdir", type=Path, default=harness.OUT_DIR / "work")
    args = parser.parse_args(argv)
    if args.smoke:
        args.sessions, args.tours, args.months, args.categories = 1, 1, 3, 3
    template = harness.national_store(args.workdir, args.months, args.categories)
    db = harness.fresh_copy(template, args.workdir / "load")
    new_months = args.workdir / "load" / "nye_maaneder.csv"
    harness.long_file(new_months, 10, harness.categories(args.categories), first=dt.date(2026, 1, 1))
    users = db.parent / "ingen.toml"
    env = {**os.environ, "STATISTIK_DB": str(db), "STATISTIK_USERS": str(users)}
    load = harness.wait_for_quiet(0 if args.smoke else 60)
    with contextlib.ExitStack() as stack:
        started_servers = [stack.enter_context(dashboard_process(db, users)) for _ in range(args.replicas)]
        servers, pids = [url for url, _ in started_servers], [process.pid for _, process in started_servers]
        stop = False
        imports = 0

        def writer() -> None:
            nonlocal imports
            cli = [sys.executable, "-m", "statistik.cli"]
            while not stop:
                done = subprocess.run([*cli, "import", str(new_months), "--user", "bench"], env=env,
                                      capture_output=True, text=True)
                if done.returncode == 0:
                    imports += 1
                latest = json.loads(subprocess.run([*cli, "uploads", "--json"], env=env, capture_output=True,
                                                   text=True).stdout)[0]
                if latest["status"] == "imported" and latest["file"] == new_months.name:
                    subprocess.run([*cli, "undo", str(latest["id"]), "--user", "bench"], env=env,
                                   capture_output=True)
                waited = time.perf_counter()
                while not stop and time.perf_counter() - waited < args.pause:
                    time.sleep(0.2)

        tour = _protocol_tour if args.protocol else _tour
        if args.ready:
            for url in servers:
                urllib.request.urlopen(f"{url}/_stcore/script-health-check", timeout=300).read()
            harness.wait_for_quiet(120)
        if args.warm_up:
            asyncio.run(tour(servers, len(servers), 1, 0.0))
        thread = threading.Thread(target=writer, daemon=True)
        started = time.perf_counter()
        with CpuWatch(pids) as cpu:
            thread.start()
            views, errors = asyncio.run(tour(servers, args.sessions, args.tours, args.think))
            stop = True
            thread.join(timeout=300)
        elapsed = time.perf_counter() - started
        peaks = [_peak_mb(pid) for pid in pids]
    times = [seconds for _, seconds in views]
    p50, p95 = harness.percentile(times, 0.5), harness.percentile(times, 0.95)
    by_page = [[link, str(len(t)), f"{harness.percentile(t, 0.5):.2f} s", f"{harness.percentile(t, 0.95):.2f} s"]
               for link, _ in TOUR if (t := [s for name, s in views if name == link])]
    text = "\n".join([
        f"{args.sessions} {'protocol' if args.protocol else 'browser'} sessions x {args.tours} tours of {len(TOUR)} pages on {args.replicas} dashboard "
        f"process(es), store of {args.months} months x {args.categories} police categories; imports and undos "
        f"of {10 * 98 * args.categories:,} figures alternating meanwhile"
        f"{f', {args.pause:g} s apart' if args.pause else ', back to back'}; "
        f"{f'each user reads a page for {args.think:g} s' if args.think else 'users click on at once'}"
        f"{'; after one unmeasured tour per process (a dashboard in use)' if args.warm_up else ''}"
        f"{'; a process just started and ready' if args.ready and not args.warm_up else ''}"
        f"{'; a process just started' if not (args.ready or args.warm_up) else ''}. "
        f"Aim: no errors, p95 under {AIM_P95_S:.0f} s.",
        harness.environment(load), cpu.describe() + ".", "",
        *harness.table(["page views", "p50", "p95", "errors", "imports done", "time", "peak memory per process"],
                       [[str(len(times)), f"{p50:.2f} s", f"{p95:.2f} s", str(len(errors)), str(imports),
                         f"{elapsed:.0f} s", ", ".join(f"{m:.0f} MB" for m in peaks)]]), "",
        *harness.table(["page", "views", "p50", "p95"], by_page)])
    if errors:
        text += "\n\nErrors: " + "; ".join(sorted(set(errors)))
    harness.report(text, "load", args.smoke)
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
