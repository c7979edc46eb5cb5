"""Who may do what: OIDC through Streamlit when configured, analysts listed by e-mail."""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from test_pages import DASHBOARD


def test_with_oidc_configured_the_sidebar_offers_streamlits_login_and_no_password_form(db_path):
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.secrets["auth"] = {"client_id": "x", "client_secret": "y", "redirect_uri": "http://localhost/oauth2callback",
                          "cookie_secret": "z", "server_metadata_url": "https://login.example/.well-known/x"}
    at.secrets["statistik"] = {"analytikere": ["analytiker@politi.dk"]}
    at.run()
    assert not at.exception
    assert [b.label for b in at.sidebar.button] == ["Log ind"]
    assert not at.sidebar.text_input  # no local password form


class _OidcUser(dict):
    """What st.user holds after an OIDC login."""


def _oidc_app(monkeypatch, email: str) -> AppTest:
    import streamlit
    monkeypatch.setattr(streamlit, "user", _OidcUser(is_logged_in=True, email=email, name="Anne Analytiker"))
    at = AppTest.from_file(DASHBOARD, default_timeout=60)
    at.secrets["auth"] = {"client_id": "x", "client_secret": "y", "redirect_uri": "http://localhost/cb",
                          "cookie_secret": "z", "server_metadata_url": "https://login.example/.well-known/x"}
    at.secrets["statistik"] = {"analytikere": ["analytiker@politi.dk"]}
    return at.run()


def test_an_oidc_user_on_the_analyst_list_gets_the_upload_page(db_path, monkeypatch):
    at = _oidc_app(monkeypatch, "Analytiker@Politi.dk")
    at.switch_page("app_pages/upload.py").run()
    assert not at.exception
    assert at.title[0].value == "Upload af tal"


def test_an_oidc_user_not_on_the_list_only_reads(db_path, monkeypatch):
    import pytest
    at = _oidc_app(monkeypatch, "borgmester@kk.dk")
    with pytest.raises(ValueError, match="Could not find a navigation page"):
        at.switch_page("app_pages/upload.py").run()
