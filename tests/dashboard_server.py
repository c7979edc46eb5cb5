"""`streamlit run dashboard.py` as a real process, and a Chromium that may only talk to loopback addresses.

Shared by the browser tests: `dashboard(db, users)` starts a server on a free port and yields its
URL; `guarded_chromium()` starts Debian's Chromium and fails if any page made a request that left the
machine (there must be none: a police network sees no outside request).
"""

from __future__ import annotations

import contextlib
import ipaddress
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
READY = "[data-testid='stApp'][data-test-script-state='notRunning']"


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextlib.contextmanager
def dashboard(db_path: Path, users: Path, *extra: str, env: dict[str, str] | None = None) -> Iterator[str]:
    """A `streamlit run` process on the store at `db_path`; yields its URL and stops it afterwards."""
    with dashboard_process(db_path, users, *extra, env=env) as (url, _):
        yield url


@contextlib.contextmanager
def dashboard_process(db_path: Path, users: Path, *extra: str,
                      env: dict[str, str] | None = None) -> Iterator[tuple[str, subprocess.Popen]]:
    """As `dashboard`, yielding the URL and the process."""
    port = free_port()
    environment = {**os.environ, "STATISTIK_DB": str(db_path), "STATISTIK_USERS": str(users), **(env or {})}
    # The server's output goes to a file beside the store: a pipe nobody reads fills up and stops the server.
    log = db_path.with_name(f"streamlit-{port}.log")
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "streamlit", "run", str(ROOT / "dashboard.py"), "--server.headless", "true",
             "--server.address", "127.0.0.1", "--server.port", str(port), "--browser.gatherUsageStats", "false",
             *extra],
            cwd=ROOT, env=environment, stdout=output, stderr=subprocess.STDOUT,
        )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"{url}/_stcore/health", timeout=1)
            break
        except OSError:
            if server.poll() is not None:
                break
            time.sleep(0.3)
    else:
        server.kill()
    if server.poll() is not None:
        raise RuntimeError("streamlit did not start: " + log.read_text(errors="replace"))
    try:
        yield url, server
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:
            server.kill()


def launch_chromium(playwright):
    """Headless Debian Chromium with nothing of its own calling home."""
    assert Path(CHROMIUM).exists(), "Chromium mangler: apt-get install chromium"
    return playwright.chromium.launch(executable_path=CHROMIUM, args=[
        "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"])


def is_loopback(url: str) -> bool:
    """Whether a request stays on this machine (or never leaves the page: data:, blob:, about:)."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme in ("data", "blob", "about", "chrome-extension"):
        return True
    host = (parts.hostname or "").strip("[]")
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


@contextlib.contextmanager
def guarded_chromium():
    """Chromium whose pages are all watched: fails at the end if any request went to a non-loopback address."""
    from playwright.sync_api import sync_playwright
    outside: list[str] = []

    def watch(page_or_context):
        page_or_context.on("request", lambda r: None if is_loopback(r.url) else outside.append(r.url))
        return page_or_context

    with sync_playwright() as p:
        browser = launch_chromium(p)
        new_page, new_context = browser.new_page, browser.new_context
        browser.new_page = lambda *args, **kwargs: watch(new_page(*args, **kwargs))
        browser.new_context = lambda *args, **kwargs: watch(new_context(*args, **kwargs))
        yield browser
        browser.close()
    assert not outside, f"requests that left the machine: {outside}"


def log_in(page, password: str, username: str = "kim") -> None:
    """Log in with the sidebar's form on the page shown, and wait for the page to draw again."""
    page.get_by_text("Log ind (analytikere)").click()
    page.get_by_label("Brugernavn").fill(username)
    page.get_by_label("Adgangskode").fill(password)
    page.get_by_role("button", name="Log ind").click()
    settle(page)


def settle(page, pause: float = 0.4) -> None:
    """Wait until the script has run and the page has drawn."""
    time.sleep(pause)
    page.wait_for_selector(READY, timeout=90_000)
    page.wait_for_load_state("networkidle")
    time.sleep(pause)
