"""Who is using the dashboard: OIDC through Streamlit when configured, else local accounts.

Without a login the dashboard is read-only; the pages that change anything are left out of the
navigation. A link to one of them opens a Danish "log ind" page instead (`login_page`), never the
page itself. A local login lasts across reloads and links: its signed token (`statistik.logins`)
is kept in a cookie, which a new browser session reads through `st.context.cookies`; logging out
revokes the token and clears the cookie. Every page run checks the token again, so a session open in
another tab ends too when it is logged out, expires, or its account changes or goes. OIDC logins
persist through Streamlit's own cookie.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

import streamlit as st

from statistik import accounts, config, logins
from statistik.markup import md

_SESSION_KEY = "statistik_user"
_TOKEN_KEY = "statistik_token"        # the token this session's cookie should hold
_LOGGED_OUT = "statistik_logged_out"  # this session logged out: its old cookie no longer counts
COOKIE = "statistik_session"


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


def _user_of(account: accounts.Account) -> User:
    return User(account.username, account.name, account.role)


def current_user() -> User | None:
    """The logged-in user, or None."""
    if _oidc_settings() is not None:
        if not st.user.get("is_logged_in", False):
            return None
        email = str(st.user.get("email", "")).lower()
        role = accounts.ANALYST if email in _oidc_analysts() else accounts.READER
        return User(email, str(st.user.get("name", email)), role)
    user = st.session_state.get(_SESSION_KEY)
    if user is None and not st.session_state.get(_LOGGED_OUT):
        token = st.context.cookies.get(COOKIE)
        account = logins.check(token) if token else None
        if account is not None:                    # a reload or a link: still logged in
            user = st.session_state[_SESSION_KEY] = _user_of(account)
            st.session_state[_TOKEN_KEY] = token
    return user


def _end_if_ended() -> bool:
    """End this session's local login when its token has ended: logged out in another tab or process, expired,
    a new password or a removed account. Checked at the start of every page run; True if it ended now."""
    token = st.session_state.get(_TOKEN_KEY)
    if not token or _oidc_settings() is not None or logins.check(token) is not None:
        return False
    st.session_state.pop(_TOKEN_KEY, None)
    st.session_state.pop(_SESSION_KEY, None)
    st.session_state[_LOGGED_OUT] = True
    return True


def _cookie_script() -> None:
    """Keep the browser's cookie in step with this session: the token while logged in, cleared after logout."""
    token = st.session_state.get(_TOKEN_KEY)
    if token:
        value, age = token, int(config.session_hours() * 3600)
    elif st.session_state.get(_LOGGED_OUT):
        value, age = "", 0
    else:
        return
    st.html(f"""<script>
document.cookie = {json.dumps(COOKIE)} + "=" + {json.dumps(value)} + "; Path=/; Max-Age={age}; SameSite=Strict"
  + (location.protocol === "https:" ? "; Secure" : "");
</script>""", unsafe_allow_javascript=True)


def _session_id() -> str:
    from streamlit.runtime.scriptrunner import get_script_run_ctx
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "ingen"


def login_form(key: str = "login") -> None:
    """The local login form; a throttled, Danish answer to every wrong try."""
    with st.form(key, border=False):
        username = st.text_input("Brugernavn")
        password = st.text_input("Adgangskode", type="password")
        submitted = st.form_submit_button("Log ind")
    if submitted:
        try:
            outcome = logins.log_in(username, password, _session_id())
        except ValueError as e:             # the users file cannot be read: say so, in Danish
            st.error(md(e))
            return
        if outcome.account is None:
            st.error(outcome.message)
            return
        st.session_state[_SESSION_KEY] = _user_of(outcome.account)
        st.session_state[_TOKEN_KEY] = logins.issue(outcome.account)
        st.session_state.pop(_LOGGED_OUT, None)
        st.rerun()


def login_box() -> None:
    """The sidebar's login form, or who is logged in and a logout button."""
    ended = _end_if_ended()
    user = current_user()
    with st.sidebar:
        _cookie_script()
        if ended:
            st.info("Du er logget ud: logget ud et andet sted, udløbet eller ændret adgangskode. Log ind igen.")
        if user is not None:
            st.caption(f"Logget ind som **{md(user.name)}** ({user.role}).")
            if st.button("Log ud", key="logout"):
                if _oidc_settings() is not None:
                    st.logout()
                logins.revoke(st.session_state.pop(_TOKEN_KEY, None))
                st.session_state.pop(_SESSION_KEY, None)
                st.session_state[_LOGGED_OUT] = True
                st.rerun()
            return
        if _oidc_settings() is not None:
            if st.button("Log ind", key="login"):
                st.login()
            return
        with st.expander("Log ind (analytikere)"):
            login_form()


def login_page(title: str):
    """A page for a link to an analyst page without an analyst's login: says so in Danish, offers to log in."""
    def page() -> None:
        st.title(title)
        user = current_user()
        if user is not None:
            st.warning(f"Siden er kun for analytikere. Du er logget ind som {md(user.name)} ({user.role}).")
            return
        st.info("Siden er kun for analytikere. Log ind for at se den.", icon=":material/lock:")
        if _oidc_settings() is not None:
            if st.button("Log ind", key="login_page"):
                st.login()
        else:
            login_form("login_page")
    return page
