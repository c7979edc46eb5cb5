"""An analyst stays logged in across reloads and links, logs out for good, and a link to an analyst page
without a login asks in Danish to log in (a real `streamlit run` and Chromium: cookies need a browser)."""

from __future__ import annotations

import pytest

from dashboard_server import dashboard, guarded_chromium, settle
from statistik import accounts

PASSWORD = "korrekt-hest-batteri"


@pytest.fixture
def users(tmp_path):
    path = tmp_path / "brugere.toml"
    accounts.add_account("kim", PASSWORD, "Kim Analytiker", path=path)
    accounts.add_account("lis", PASSWORD, "Lis Læser", role=accounts.READER, path=path)
    return path


def _log_in_on_the_page(page, username: str) -> None:
    main = page.locator("[data-testid='stMain']")
    main.get_by_label("Brugernavn").fill(username)
    main.get_by_label("Adgangskode").fill(PASSWORD)
    main.get_by_role("button", name="Log ind").click()
    settle(page)


def test_session_survives_reload_and_links_and_logging_out_ends_it(db_path, users):
    with dashboard(db_path, users) as url, guarded_chromium() as browser:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        page = context.new_page()
        page.goto(f"{url}/upload")                      # a bookmarked analyst page, not logged in
        settle(page)
        assert page.get_by_text("Siden er kun for analytikere. Log ind for at se den.").is_visible()
        assert not page.get_by_text("Page not found").count()
        _log_in_on_the_page(page, "kim")
        assert page.get_by_role("heading", name="Upload af tal").is_visible()
        assert page.get_by_text("Logget ind som Kim Analytiker").is_visible()

        page.reload()                                   # a new browser session: the cookie logs it in
        settle(page)
        assert page.get_by_role("heading", name="Upload af tal").is_visible()
        assert page.get_by_text("Logget ind som Kim Analytiker").is_visible()
        other = context.new_page()                      # a link opened in another tab
        other.goto(f"{url}/maal_og_markeringer")
        settle(other)
        assert other.get_by_role("heading", name="Mål og markeringer").is_visible()
        cookie = next(c for c in context.cookies() if c["name"] == "statistik_session")
        assert cookie["sameSite"] == "Strict" and cookie["expires"] > 0

        page.get_by_role("button", name="Log ud").click()
        settle(page)
        # The other tab, still open, is logged out on its next page run: no analyst pages, no analyst.
        other.get_by_role("link", name="Datastatus").click()
        settle(other)
        assert other.get_by_text("Log ind (analytikere)").is_visible()
        assert not other.get_by_role("link", name="Upload").count()
        page.reload()
        settle(page)
        assert page.get_by_text("Log ind (analytikere)").is_visible()
        # The token is revoked: put back by hand, it logs no one in.
        context.add_cookies([{"name": cookie["name"], "value": cookie["value"], "url": url}])
        page.goto(f"{url}/upload")
        settle(page)
        assert page.get_by_text("Siden er kun for analytikere. Log ind for at se den.").is_visible()


def test_a_reader_following_a_link_to_an_analyst_page_is_told_it_is_for_analysts(db_path, users):
    with dashboard(db_path, users) as url, guarded_chromium() as browser:
        page = browser.new_page(viewport={"width": 1400, "height": 1000})
        # A page's address written differently, or the front page by its name, opens that page with the
        # link's filters; an address that names no page says so in Danish (not Streamlit's English dialog).
        page.goto(f"{url}/Maal_og_markeringer")
        settle(page)
        assert page.get_by_text("Siden er kun for analytikere. Log ind for at se den.").is_visible()
        page.goto(f"{url}/Oversigt?omr=155")
        settle(page)
        assert page.url == f"{url}/?omr=155" and page.get_by_text("Dragør, en af kommunerne").is_visible()
        page.goto(f"{url}/sammenlign")
        settle(page)
        assert page.get_by_role("heading", name="Siden findes ikke").is_visible()
        assert not page.get_by_text("Page not found").count()
        page.goto(f"{url}/maal_og_markeringer")
        settle(page)
        _log_in_on_the_page(page, "lis")
        assert page.get_by_text("Siden er kun for analytikere. Du er logget ind som Lis Læser (læser).").is_visible()
        assert not page.get_by_role("button", name="Tilføj markering").count()
