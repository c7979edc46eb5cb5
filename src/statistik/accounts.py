"""Local accounts: a TOML file of users with argon2 password hashes.

Used when `.streamlit/secrets.toml` configures no OIDC login. The file is written only by
this module (through `statistik user`); comments and unknown keys are not kept. Usernames
are compared case-insensitively and stored in lower case.

    [brugere.kim]
    navn = "Kim Hansen"
    rolle = "analytiker"
    adgangskode = "$argon2id$v=19$..."
"""

from __future__ import annotations

import functools
import os
import re
import secrets
import tempfile
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from statistik import config
from statistik.vocabulary import hidden_characters

ANALYST, READER = "analytiker", "læser"
# What each role may do; only analysts change anything.
ROLES = {
    ANALYST: "må uploade, fortryde og redigere mål og markeringer",
    READER: "logget ind, kan kun læse",
}
MIN_PASSWORD_LENGTH = 10
COMMON_PASSWORDS_FILE = config.DATA_DIR / "almindelige_adgangskoder.txt"

_USERNAME = re.compile(r"^[\w.@-]{1,64}$")  # \w includes æ, ø, å
_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")
_hasher = PasswordHasher()  # argon2id with the library's RFC 9106 defaults


@dataclass(frozen=True)
class Account:
    username: str
    name: str
    role: str
    password_hash: str = field(repr=False)

    @property
    def can_edit(self) -> bool:
        """Whether the account may upload, undo and edit targets and annotations."""
        return self.role == ANALYST


def _path(path: Path | str | None) -> Path:
    return Path(path) if path is not None else config.users_path()


def _normalise(username: str) -> str:
    return (username or "").strip().lower()


def load_accounts(path: Path | str | None = None) -> dict[str, Account]:
    """Every account in the users file by username; a missing file means no accounts."""
    path = _path(path)
    try:
        with open(path, "rb") as f:
            data = tomllib.load(f)
    except FileNotFoundError:
        return {}
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as e:
        raise ValueError(f"Brugerfilen {path} kan ikke læses: {e}") from e
    users = data.get("brugere", {})
    if not isinstance(users, dict):
        raise ValueError(f"Brugerfilen {path}: 'brugere' skal være en tabel.")
    accounts = {}
    for username, entry in users.items():
        fields = entry if isinstance(entry, dict) else {}
        values = [fields.get(key) for key in ("navn", "rolle", "adgangskode")]
        if not all(isinstance(v, str) and v for v in values) or values[1] not in ROLES:
            raise ValueError(f"Brugerfilen {path}: brugeren '{username}' skal have navn, "
                             f"rolle ({' eller '.join(ROLES)}) og adgangskode.")
        key = _normalise(username)
        accounts[key] = Account(key, *values)
    return accounts


@functools.cache
def _common_passwords() -> frozenset[str]:
    lines = COMMON_PASSWORDS_FILE.read_text(encoding="utf-8").splitlines()
    return frozenset(line.strip().lower() for line in lines if line.strip() and not line.startswith("#"))


def is_common(password: str, *personal: str) -> bool:
    """Whether a password is among the most used ones, also with digits or signs added or a capital first,
    or is one character repeated, a run on the keyboard ('1234567890', 'qwertyuiop'), a short or common
    piece repeated ('passwordpassword'), or made of `personal` words (the user's name) and digits or signs."""
    text = (password or "").strip().lower()
    stem = text.rstrip("0123456789!#%&/()=?+-_.,:;*@$ ")
    runs = ("abcdefghijklmnopqrstuvwxyzæøå", "01234567890", "qwertyuiopåasdfghjklæøzxcvbnm")
    if (text in _common_passwords() or stem in _common_passwords() or len(set(text)) <= 2
            or any(text in run or text in run[::-1] for run in runs)):
        return True
    if repeated := re.fullmatch(r"(.+?)\1+", text):
        piece = repeated.group(1)
        return len(piece) <= 4 or is_common(piece)
    words = {w for p in personal for w in re.split(r"[\W_]+", (p or "").lower()) if w}
    rest = re.sub("|".join(map(re.escape, sorted(words, key=len, reverse=True))), "", text) if words else text
    return bool(words) and not re.sub(r"[\W_\d]", "", rest)    # nothing left but digits and signs


@functools.cache
def _dummy_hash() -> str:
    # Verified against when the user is unknown, so both cases take about as long.
    return _hasher.hash(secrets.token_urlsafe(16))


def verify(username: str, password: str, path: Path | str | None = None) -> Account | None:
    """The account if the password is right, otherwise None (unknown user or wrong password)."""
    account = load_accounts(path).get(_normalise(username))
    try:
        _hasher.verify(account.password_hash if account else _dummy_hash(), password or "")
    except (VerificationError, InvalidHashError):
        return None
    return account


def add_account(
    username: str,
    password: str,
    name: str,
    role: str = ANALYST,
    path: Path | str | None = None,
    *,
    replace: bool = False,
) -> Account:
    """Store a new account (or replace one with replace=True) with an argon2 hash of the password."""
    key = _normalise(username)
    if not _USERNAME.match(key):
        raise ValueError(f"Ugyldigt brugernavn '{username}': brug bogstaver, tal og . _ @ - "
                         f"(højst 64 tegn).")
    if role not in ROLES:
        raise ValueError(f"Ukendt rolle '{role}': brug {' eller '.join(ROLES)}.")
    if len(password or "") < MIN_PASSWORD_LENGTH:
        raise ValueError(f"Adgangskoden skal være mindst {MIN_PASSWORD_LENGTH} tegn.")
    if is_common(password, key, name):
        raise ValueError("Adgangskoden er blandt de mest brugte (eller bygger på dit navn) og kan gættes. "
                         "Vælg fx tre-fire tilfældige ord med bindestreg imellem.")
    if why := hidden_characters(name or ""):
        raise ValueError(f"Navnet kan ikke bruges: {why}.")
    path = _path(path)
    accounts = load_accounts(path)
    if key in accounts and not replace:
        raise ValueError(f"Brugeren '{key}' findes allerede.")
    account = Account(key, (name or "").strip() or key, role, _hasher.hash(password))
    accounts[key] = account
    _write(path, accounts)
    return account


def remove_account(username: str, path: Path | str | None = None) -> Account:
    """Remove an account and return it."""
    path = _path(path)
    accounts = load_accounts(path)
    account = accounts.pop(_normalise(username), None)
    if account is None:
        raise ValueError(f"Der er ingen bruger '{username}'.")
    _write(path, accounts)
    return account


def _toml_string(text: str) -> str:
    """A TOML basic string: backslash, quote and control characters escaped."""
    out = []
    for char in text:
        if char in ('"', "\\"):
            out.append("\\" + char)
        elif char in "\b\t\n\f\r":
            out.append({"\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04X}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _toml_text(accounts: dict[str, Account]) -> str:
    lines = ["# Local accounts for statistik, written by `statistik user`.",
             "# Passwords are argon2 hashes; edits by hand are overwritten on the next change."]
    for key in sorted(accounts):
        account = accounts[key]
        table = key if _BARE_KEY.match(key) else _toml_string(key)
        lines += ["", f"[brugere.{table}]",
                  f"navn = {_toml_string(account.name)}",
                  f"rolle = {_toml_string(account.role)}",
                  f"adgangskode = {_toml_string(account.password_hash)}"]
    return "\n".join(lines) + "\n"


def _write(path: Path, accounts: dict[str, Account]) -> None:
    """Replace the file atomically: a reader sees the old file or the new one, never half."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(_toml_text(accounts))
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
