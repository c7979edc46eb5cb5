"""Logging in: guesses throttled per account and per session, bounded password checks, sessions that last."""

from __future__ import annotations

import threading
import time

import pytest

from statistik import accounts, logins

PASSWORD = "korrekt-hest-batteri"


@pytest.fixture
def users(tmp_path, monkeypatch):
    path = tmp_path / "brugere.toml"
    accounts.add_account("kim", PASSWORD, "Kim Analytiker", path=path)
    monkeypatch.setenv("STATISTIK_USERS", str(path))
    return path


def test_twenty_five_wrong_passwords_lock_the_account_even_for_the_right_one(users):
    now = 1_000_000.0
    for i in range(25):
        now += logins.wait_after(i) + 0.1          # a patient guesser waits out every delay
        assert logins.log_in("kim", f"gæt-nummer-{i}", session=f"s{i}", users=users, now=now).account is None
    refused = logins.log_in("kim", PASSWORD, session="ny", users=users, now=now + 1)
    assert refused.account is None
    assert refused.message == "For mange forkerte forsøg. Vent 15 minutter, før du prøver igen."
    # Once the wait is over, the right password works and the count starts again.
    later = now + logins.LONGEST_WAIT_S + 1
    assert logins.log_in("kim", PASSWORD, session="ny", users=users, now=later).account.username == "kim"
    assert logins.log_in("kim", "forkert", session="ny", users=users, now=later + 1).message == \
        "Forkert brugernavn eller adgangskode."


def test_the_wait_grows_with_every_wrong_password():
    waits = [logins.wait_after(n) for n in range(0, 16)]
    assert waits[:3] == [0, 0, 0]
    assert waits[3:8] == [1, 2, 4, 8, 16]
    assert all(a <= b for a, b in zip(waits, waits[1:])) and waits[-1] == logins.LONGEST_WAIT_S


def test_a_wrong_try_during_the_wait_is_refused_without_checking_the_password(users, monkeypatch):
    now = 2_000_000.0
    for i in range(4):
        now += logins.wait_after(i)
        logins.log_in("kim", "forkert", session="s", users=users, now=now)
    checked = []
    monkeypatch.setattr(accounts, "verify", lambda *a, **k: checked.append(a))
    outcome = logins.log_in("kim", PASSWORD, session="s", users=users, now=now + 0.5)
    assert outcome.message.startswith("For mange forkerte forsøg. Vent 2 sekunder")
    assert not checked


def test_one_session_guessing_many_accounts_is_throttled_too(users):
    now = 3_000_000.0
    for i in range(3):
        logins.log_in(f"bruger{i}", "forkert", session="angriber", users=users, now=now)
    assert logins.log_in("kim", PASSWORD, session="angriber", users=users, now=now).message.startswith(
        "For mange forkerte forsøg")
    assert logins.log_in("kim", PASSWORD, session="en-anden", users=users, now=now).account is not None


def test_guesses_sent_at_once_are_throttled_like_guesses_in_a_row(users, monkeypatch):
    # 25 wrong passwords at the same moment (many sessions, or replicas) get no more checks than three in a row.
    now = 4_000_000.0
    checked, answered, release, real = [], [], threading.Event(), accounts.verify

    def held(username, password, path=None):        # every check stays in flight until the others have answered
        checked.append(password)
        release.wait(timeout=30)
        return None

    monkeypatch.setattr(accounts, "verify", held)
    monkeypatch.setattr(logins, "CHECK_QUEUE_S", 30.0)
    threads = [threading.Thread(target=lambda i=i: answered.append(
        logins.log_in("kim", f"gæt-{i}", session=f"s{i}", users=users, now=now))) for i in range(25)]
    for t in threads:
        t.start()
    deadline = time.monotonic() + 10
    while len(answered) < 25 - logins.FREE_ATTEMPTS and time.monotonic() < deadline:
        time.sleep(0.01)
    release.set()
    for t in threads:
        t.join()
    assert len(checked) <= logins.FREE_ATTEMPTS
    monkeypatch.setattr(accounts, "verify", real)
    refused = logins.log_in("kim", PASSWORD, session="ny", users=users, now=now + 0.5)
    assert refused.account is None and refused.message.startswith("For mange forkerte forsøg. Vent")


def test_the_shared_login_state_stays_small_whatever_is_typed(users, monkeypatch):
    # A guesser typing megabyte-long user names, or thousands of them, must not grow the file every
    # login and every page run of a logged-in analyst reads.
    monkeypatch.setattr(accounts, "verify", lambda *a, **k: None)
    monkeypatch.setattr(logins, "REMEMBERED", 50)
    now = 5_000_000.0
    for i in range(60):
        logins.log_in(f"{i}-" + "x" * 100_000, "forkert", session=f"s{i}", users=users, now=now + i)
    state = users.with_name(users.name + ".logins.json")
    assert state.stat().st_size < 50 * 200
    for i in range(3):
        logins.log_in("kim", "forkert", session=f"k{i}", users=users, now=now + 100)
    assert logins.log_in("kim", PASSWORD, session="k4", users=users, now=now + 100).message.startswith(
        "For mange forkerte forsøg")                  # the newest counts are kept


def test_processes_starting_together_make_one_signing_key(tmp_path):
    # The first logins of replicas started together: every one must sign with the same, whole key.
    for round_ in range(10):
        users = tmp_path / str(round_) / "brugere.toml"
        barrier, keys = threading.Barrier(8), []

        def first_login():
            barrier.wait()
            try:
                keys.append(logins._secret(users))
            except OSError as e:
                keys.append(e)

        threads = [threading.Thread(target=first_login) for _ in range(8)]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        assert len(set(keys)) == 1 and len(keys[0]) == 32, keys


def test_at_most_two_password_checks_run_at_once(users, monkeypatch):
    running, most = 0, 0
    lock = threading.Lock()
    real = accounts.verify

    def counting(*args, **kwargs):
        nonlocal running, most
        with lock:
            running += 1
            most = max(most, running)
        try:
            return real(*args, **kwargs)
        finally:
            with lock:
                running -= 1

    monkeypatch.setattr(accounts, "verify", counting)
    threads = [threading.Thread(target=logins.log_in, args=(f"u{i}", "forkert", f"s{i}", users)) for i in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert most <= 2


def test_a_session_token_names_the_account_and_expires(users, monkeypatch):
    account = accounts.load_accounts(users)["kim"]
    token = logins.issue(account, users, now=time.time())
    assert logins.check(token, users).username == "kim"
    monkeypatch.setenv("STATISTIK_SESSION_HOURS", "1")
    short = logins.issue(account, users, now=time.time() - 3601)
    assert logins.check(short, users) is None


def test_a_forged_revoked_or_outdated_token_is_refused(users):
    account = accounts.load_accounts(users)["kim"]
    token = logins.issue(account, users)
    body, signature = token.split(".")
    forged = logins._b64(logins._unb64(body).replace(b'"kim"', b'"eva"')) + "." + signature
    assert logins.check(forged, users) is None
    assert logins.check("ikke-et-token", users) is None
    logins.revoke(token, users)
    assert logins.check(token, users) is None
    # A new password ends every earlier session.
    other = logins.issue(account, users)
    accounts.add_account("kim", "et-helt-andet-kodeord", "Kim Analytiker", path=users, replace=True)
    assert logins.check(other, users) is None


@pytest.mark.parametrize("password", ["password123", "Sommer2025!", "qwertyuiop", "1234567890", "aaaaaaaaaaaa",
                                      "Kodeord1234", "iloveyou12", "passwordpassword", "abcabcabcabc",
                                      "trustno1trustno1", "kim12345678", "Kim2025!!!!", "KimAnalytiker1",
                                      "kim-analytiker", "2025-kim-2025"])
def test_the_most_common_passwords_are_refused_not_only_short_ones(tmp_path, password):
    with pytest.raises(ValueError, match="blandt de mest brugte"):
        accounts.add_account("kim", password, "Kim Analytiker", path=tmp_path / "brugere.toml")


def test_a_long_uncommon_passphrase_is_accepted(tmp_path):
    assert accounts.add_account("kim", "blå-cykel-under-regnbuen", "Kim", path=tmp_path / "b.toml").username == "kim"
