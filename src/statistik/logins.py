"""Logging in with a local account: throttled guesses, bounded password checks, signed session tokens.

* Throttling: after three wrong passwords for an account (or in one browser session) each further
  attempt must wait twice as long as the one before (1 s, 2 s, 4 s … up to 15 minutes), and while
  it waits even the right password is refused, without checking it. An attempt counts as wrong
  from the moment it is let through until its password proves right, so guesses sent at once (from
  many sessions or replicas) are throttled as if sent one after another. The counts live in a small
  file beside the users file, so every dashboard process (replica) shares them: user names hashed,
  the newest REMEMBERED counts kept, however long or many the names a guesser types.
* Memory: a password check costs argon2's 64 MiB; at most two run at once in a process, the others
  wait briefly or are told to try again, so parallel guessing cannot use up the server's memory.
* Sessions: a successful login gets a token, signed (HMAC-SHA256) with a secret kept beside the
  users file, that names the account, a fingerprint of its password hash and when it expires. The
  dashboard keeps it in a cookie, so a reload or a deep link finds the analyst still logged in. A
  changed password or a removed account ends its sessions; logging out revokes the token.
"""

from __future__ import annotations

import base64
import contextlib
import dataclasses
import fcntl
import hashlib
import hmac
import json
import os
import secrets
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from statistik import accounts, config

FREE_ATTEMPTS = 3            # wrong passwords before the first wait
LONGEST_WAIT_S = 15 * 60
CHECK_QUEUE_S = 5.0          # how long a password check waits for a free slot
REMEMBERED = 10_000          # wrong-password counts kept (the newest), so the shared file stays small
_checks = threading.BoundedSemaphore(2)


@dataclasses.dataclass(frozen=True)
class Outcome:
    """The result of a login attempt: the account, or a Danish message saying why not."""

    account: accounts.Account | None
    message: str | None = None


def _beside_users(suffix: str, users: Path | None) -> Path:
    path = Path(users) if users is not None else config.users_path()
    return path.with_name(path.name + suffix)


_FILES = {"failures": ".logins.json", "revoked": ".revoked.json"}


@contextlib.contextmanager
def _state(users: Path | None, now: float, part: str = "failures") -> Iterator[dict]:
    """Shared login state, locked while the block runs: {"failures": wrong tries per key} or {"revoked": tokens},
    each in a file of its own (every page run of a logged-in analyst reads the revoked tokens: a small file)."""
    path = _beside_users(_FILES[part], users)
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "a+", encoding="utf-8") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        handle.seek(0)
        try:
            found = json.loads(handle.read() or "{}")
        except json.JSONDecodeError:
            found = {}
        state = {part: found.get(part, {}) if isinstance(found, dict) else {}}
        before = json.dumps(state)
        yield state
        if part == "failures":
            state[part] = {k: v for k, v in state[part].items() if now - v[1] < 24 * 3600}
            if len(state[part]) > REMEMBERED:
                state[part] = dict(sorted(state[part].items(), key=lambda kv: kv[1][1], reverse=True)[:REMEMBERED])
        else:
            state[part] = {k: v for k, v in state[part].items() if v > now}
        if json.dumps(state) != before:     # a check of a token (every page run) writes nothing
            handle.seek(0)
            handle.truncate()
            handle.write(json.dumps(state))


def wait_after(failures: int) -> float:
    """Seconds the next attempt must wait after `failures` wrong passwords in a row."""
    if failures < FREE_ATTEMPTS:
        return 0.0
    return float(min(LONGEST_WAIT_S, 2 ** (failures - FREE_ATTEMPTS)))


def _waiting(state: dict, keys: list[str], now: float) -> float:
    left = 0.0
    for key in keys:
        failures, last = state["failures"].get(key, (0, 0.0))
        left = max(left, last + wait_after(failures) - now)
    return left


def _count(state: dict, keys: list[str], now: float, step: int) -> None:
    for key in keys:
        failures, last = state["failures"].get(key, (0, 0.0))
        state["failures"][key] = (max(0, failures + step), now if step > 0 else last)


def _in_words(seconds: float) -> str:
    seconds = max(1, round(seconds))
    if seconds < 90:
        return f"{seconds} sekund{'er' if seconds != 1 else ''}"
    minutes = round(seconds / 60)
    return f"{minutes} minut{'ter' if minutes != 1 else ''}"


def log_in(username: str, password: str, session: str, users: Path | None = None,
           now: float | None = None) -> Outcome:
    """Check a login, throttled per account and per browser session (`session`)."""
    now = time.time() if now is None else now
    # Hashed: what a guesser types as user name (any length) is not written into the shared file.
    name = hashlib.sha256((username or "").strip().lower().encode()).hexdigest()[:32]
    keys = [f"bruger:{name}", f"session:{session[:64]}"]
    with _state(users, now) as state:
        left = _waiting(state, keys, now)
        if left <= 0:
            # Counted as wrong until it proves right: guesses sent at once (many sessions, replicas)
            # then wait their turn like guesses in a row, instead of all being checked.
            _count(state, keys, now, +1)
    if left > 0:
        return Outcome(None, f"For mange forkerte forsøg. Vent {_in_words(left)}, før du prøver igen.")
    if not _checks.acquire(timeout=CHECK_QUEUE_S):
        with _state(users, now) as state:
            _count(state, keys, now, -1)                # not checked: it does not count
        return Outcome(None, "Der er mange, der logger ind lige nu. Prøv igen om lidt.")
    try:
        account = accounts.verify(username, password, users)
    except BaseException:                              # an unreadable users file: nothing was checked
        with _state(users, now) as state:
            _count(state, keys, now, -1)
        raise
    finally:
        _checks.release()
    with _state(users, now) as state:
        if account is not None:
            for key in keys:
                state["failures"].pop(key, None)
            return Outcome(account)
        failures = max(state["failures"].get(key, (0, 0.0))[0] for key in keys)
    message = "Forkert brugernavn eller adgangskode."
    if wait_after(failures) > 0:
        message += f" Vent {_in_words(wait_after(failures))}, før du prøver igen."
    return Outcome(None, message)


# ---------------------------------------------------------------------- session tokens


def _secret(users: Path | None) -> bytes:
    """The signing key beside the users file, made on first use (readable only by its owner)."""
    path = _beside_users(".secret", users)
    try:
        return _read_secret(path)
    except FileNotFoundError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    # Written in full under a name of its own, then linked into place: processes starting together
    # (replicas) never read half a key, and only the first one's key is used.
    fresh = path.with_name(f".{path.name}.{os.getpid()}-{secrets.token_hex(4)}")
    fd = os.open(fresh, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(secrets.token_hex(32))
    try:
        os.link(fresh, path)
    except FileExistsError:
        pass
    finally:
        fresh.unlink()
    return _read_secret(path)


def _read_secret(path: Path) -> bytes:
    try:
        key = bytes.fromhex(path.read_text(encoding="ascii").strip())
    except ValueError:                     # not hex, or not text at all
        key = b""
    if len(key) != 32:
        raise ValueError(f"Nøglefilen {path} er ødelagt. Slet den, så laves en ny (alle skal logge ind igen).")
    return key


def _b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).decode().rstrip("=")


def _unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _fingerprint(account: accounts.Account) -> str:
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]


def issue(account: accounts.Account, users: Path | None = None, now: float | None = None) -> str:
    """A signed token for `account`, valid for STATISTIK_SESSION_HOURS."""
    now = time.time() if now is None else now
    payload = json.dumps({"u": account.username, "h": _fingerprint(account), "id": secrets.token_urlsafe(9),
                          "e": int(now + config.session_hours() * 3600)}, separators=(",", ":")).encode()
    signature = hmac.new(_secret(users), payload, hashlib.sha256).digest()
    return f"{_b64(payload)}.{_b64(signature)}"


def _payload(token: str, users: Path | None) -> dict | None:
    try:
        body, signature = token.split(".")
        payload = _unb64(body)
        if not hmac.compare_digest(_unb64(signature), hmac.new(_secret(users), payload, hashlib.sha256).digest()):
            return None
        data = json.loads(payload)
        return data if isinstance(data, dict) else None
    except (ValueError, TypeError, json.JSONDecodeError):
        return None


def check(token: str | None, users: Path | None = None, now: float | None = None) -> accounts.Account | None:
    """The account a token belongs to, if it is genuine, unexpired, not revoked and its password unchanged."""
    now = time.time() if now is None else now
    data = _payload(token or "", users)
    if data is None or not isinstance(data.get("e"), int) or data["e"] <= now:
        return None
    with _state(users, now, "revoked") as state:
        if str(data.get("id")) in state["revoked"]:
            return None
    try:
        account = accounts.load_accounts(users).get(str(data.get("u")))
    except ValueError:                      # a users file that cannot be read logs no one in
        return None
    if account is None or not hmac.compare_digest(_fingerprint(account), str(data.get("h"))):
        return None
    return account


def revoke(token: str | None, users: Path | None = None) -> None:
    """End a session for good (logging out), also in other processes."""
    data = _payload(token or "", users)
    if data is not None and isinstance(data.get("e"), int):
        with _state(users, time.time(), "revoked") as state:
            state["revoked"][str(data.get("id"))] = data["e"]
