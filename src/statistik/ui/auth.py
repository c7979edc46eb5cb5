"""Who is using the dashboard: OIDC through Streamlit when configured, else local accounts.

Without a login the dashboard is read-only; the pages that change anything are left out of
the navigation, so they cannot be reached at all.
"""

from __future__ import annotations

from dataclasses import dataclass

import streamlit as st

from statistik import accounts
from statistik.markup import md

_SESSION_KEY = "statistik_user"


@dataclass(frozen=True)
class User:
    """A logged-in person: an id for the upload log, a display name and a role."""

    id: str
    name: str
    role: str

    @property
    def is_analyst(self) -> bool:
        """Whether the user may upload, undo and edit targets and annotations."""
        return self.role == accounts.ANALYST


def _oidc_settings() -> dict | None:
    """The [auth] section of .streamlit/secrets.toml, if there is one."""
    try:
        return dict(st.secrets["auth"]) if "auth" in st.secrets else None
    except (FileNotFoundError, KeyError):
        return None


def _oidc_analysts() -> set[str]:
    try:
        return {str(a).lower() for a in st.secrets.get("statistik", {}).get("analytikere", [])}
    except (FileNotFoundError, KeyError):
        return set()


def current_user() -> User | None:
    """The logged-in user, or None."""
    if _oidc_settings() is not None:
        if not st.user.get("is_logged_in", False):
            return None
        email = str(st.user.get("email", "")).lower()
        role = accounts.ANALYST if email in _oidc_analysts() else accounts.READER
        return User(email, str(st.user.get("name", email)), role)
    return st.session_state.get(_SESSION_KEY)


def login_box() -> None:
    """The sidebar's login form, or who is logged in and a logout button."""
    user = current_user()
    with st.sidebar:
        if user is not None:
            st.caption(f"Logget ind som **{md(user.name)}** ({user.role}).")
            if st.button("Log ud", key="logout"):
                if _oidc_settings() is not None:
                    st.logout()
                st.session_state.pop(_SESSION_KEY, None)
                st.rerun()
            return
        if _oidc_settings() is not None:
            if st.button("Log ind", key="login"):
                st.login()
            return
        with st.expander("Log ind (analytikere)"):
            with st.form("login", border=False):
                username = st.text_input("Brugernavn")
                password = st.text_input("Adgangskode", type="password")
                submitted = st.form_submit_button("Log ind")
            if submitted:
                account = accounts.verify(username, password)
                if account is None:
                    st.error("Forkert brugernavn eller adgangskode.")
                else:
                    st.session_state[_SESSION_KEY] = User(account.username, account.name, account.role)
                    st.rerun()
