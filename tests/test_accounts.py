"""Local accounts: argon2 hashes only, atomic private file, and the `statistik user` commands."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib

import pytest

from statistik import accounts, cli
from statistik.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE

PASSWORD = "korrekt-hest-batteri"
STATISTIK = [sys.executable, "-m", "statistik.cli"]


@pytest.fixture
def users(tmp_path, monkeypatch):
    """An empty users file location, also set as STATISTIK_USERS for CLI calls."""
    path = tmp_path / "brugere.toml"
    monkeypatch.setenv("STATISTIK_USERS", str(path))
    return path


def test_missing_file_means_no_accounts(users):
    assert accounts.load_accounts(users) == {}
    assert accounts.verify("kim", PASSWORD, users) is None


def test_round_trip(users):
    added = accounts.add_account("kim", PASSWORD, "Kim Hansen", path=users)
    accounts.add_account("ole", PASSWORD + "2", "Ole Ø. \"Bager\" \\ Ærø", accounts.READER, users)
    loaded = accounts.load_accounts(users)
    assert loaded["kim"] == added
    assert (added.name, added.role, added.can_edit) == ("Kim Hansen", "analytiker", True)
    assert loaded["ole"].name == "Ole Ø. \"Bager\" \\ Ærø"
    assert (loaded["ole"].role, loaded["ole"].can_edit) == ("læser", False)


def test_the_file_holds_argon2id_hashes_never_the_password(users):
    accounts.add_account("kim", PASSWORD, "Kim Hansen", path=users)
    text = users.read_text(encoding="utf-8")
    assert PASSWORD not in text
    entry = tomllib.loads(text)["brugere"]["kim"]
    assert entry["adgangskode"].startswith("$argon2id$")
    assert (entry["navn"], entry["rolle"]) == ("Kim Hansen", "analytiker")


def test_the_file_is_private_and_no_temp_file_is_left(users):
    accounts.add_account("kim", PASSWORD, "Kim Hansen", path=users)
    accounts.add_account("ole", PASSWORD, "Ole", path=users)
    assert stat.S_IMODE(users.stat().st_mode) == 0o600
    assert [p.name for p in users.parent.iterdir()] == ["brugere.toml"]


def test_verify_right_wrong_and_unknown(users):
    accounts.add_account("kim", PASSWORD, "Kim Hansen", path=users)
    assert accounts.verify("kim", PASSWORD, users).name == "Kim Hansen"
    assert accounts.verify("Kim ", PASSWORD, users).username == "kim"  # as typed in a login form
    assert accounts.verify("kim", PASSWORD.upper(), users) is None
    assert accounts.verify("kim", "", users) is None
    assert accounts.verify("ukendt", PASSWORD, users) is None


def test_short_passwords_are_refused_in_danish(users):
    for password in ("", "kort", "123456789"):
        with pytest.raises(ValueError, match="mindst 10 tegn"):
            accounts.add_account("kim", password, "Kim", path=users)
    assert not users.exists()


def test_duplicates_are_refused_unless_replaced(users):
    accounts.add_account("kim", PASSWORD, "Kim Hansen", path=users)
    with pytest.raises(ValueError, match="findes allerede"):
        accounts.add_account("KIM", "en-anden-kode", "Kim", path=users)
    accounts.add_account("kim", "en-anden-kode", "Kim H.", path=users, replace=True)
    assert accounts.verify("kim", PASSWORD, users) is None
    assert accounts.verify("kim", "en-anden-kode", users).name == "Kim H."


def test_unknown_role_and_bad_username_are_refused(users):
    with pytest.raises(ValueError, match="Ukendt rolle"):
        accounts.add_account("kim", PASSWORD, "Kim", "admin", users)
    with pytest.raises(ValueError, match="Ugyldigt brugernavn"):
        accounts.add_account("kim hansen", PASSWORD, "Kim", path=users)


def test_unusual_usernames_survive_the_toml(users):
    accounts.add_account("søren.ø@kbh", PASSWORD, "Søren", path=users)
    assert accounts.verify("Søren.Ø@kbh", PASSWORD, users).name == "Søren"


def test_remove(users):
    accounts.add_account("kim", PASSWORD, "Kim", path=users)
    accounts.add_account("ole", PASSWORD, "Ole", path=users)
    accounts.remove_account("kim", users)
    assert list(accounts.load_accounts(users)) == ["ole"]
    with pytest.raises(ValueError, match="ingen bruger"):
        accounts.remove_account("kim", users)


def test_a_broken_file_is_an_error_not_an_empty_list(users):
    users.write_text("[brugere.kim]\nnavn = \"Kim\"\n", encoding="utf-8")
    with pytest.raises(ValueError, match="skal have navn, rolle"):
        accounts.load_accounts(users)
    users.write_text("[brugere\n", encoding="utf-8")
    with pytest.raises(ValueError, match="kan ikke læses"):
        accounts.verify("kim", PASSWORD, users)


def test_a_plain_text_password_in_the_file_never_logs_in(users):
    users.write_text(f'[brugere.kim]\nnavn = "Kim"\nrolle = "analytiker"\nadgangskode = "{PASSWORD}"\n',
                     encoding="utf-8")
    assert accounts.verify("kim", PASSWORD, users) is None


def user_cli(*args: str, password: str | None = PASSWORD, check_exit: int = 0, env_extra=None):
    """Run `statistik user ARGS` with the password in STATISTIK_NEW_PASSWORD."""
    env = dict(os.environ, **(env_extra or {}))
    if password is not None:
        env["STATISTIK_NEW_PASSWORD"] = password
    result = subprocess.run([*STATISTIK, "user", *args], capture_output=True, text=True,
                            timeout=120, env=env)
    assert result.returncode == check_exit, result.stderr + result.stdout
    return result


def test_cli_add_list_remove_without_touching_the_store(users, tmp_path):
    store = tmp_path / "ingen" / "statistik.duckdb"
    env = {"STATISTIK_DB": str(store)}
    out = user_cli("add", "kim", "--name", "Kim Hansen", env_extra=env).stdout
    assert "Brugeren kim (analytiker) er gemt" in out
    user_cli("add", "ole", "--role", "læser", env_extra=env)
    listed = user_cli("list", env_extra=env).stdout.splitlines()
    assert listed[0].split() == ["kim", "analytiker", "Kim", "Hansen"]
    assert listed[1].split() == ["ole", "læser", "ole"]
    assert "er fjernet" in user_cli("remove", "ole", env_extra=env).stdout
    assert accounts.verify("kim", PASSWORD, users).name == "Kim Hansen"
    assert list(accounts.load_accounts(users)) == ["kim"]
    assert not store.parent.exists()  # neither the store nor its lock file was made


def run_main(capsys, monkeypatch, *args: str, password: str = PASSWORD) -> tuple[int, str, str]:
    """Run `statistik user ARGS` in this process; faster than a subprocess for the refusals."""
    monkeypatch.setenv("STATISTIK_NEW_PASSWORD", password)
    status = cli.main(["user", *args])
    out, err = capsys.readouterr()
    return status, out, err


def test_cli_refusals_exit_1_with_a_danish_message(users, capsys, monkeypatch):
    status, _, err = run_main(capsys, monkeypatch, "add", "kim", password="kort")
    assert status == EXIT_REJECTED and "mindst 10 tegn" in err
    assert run_main(capsys, monkeypatch, "add", "kim")[0] == EXIT_OK
    status, _, err = run_main(capsys, monkeypatch, "add", "kim")
    assert status == EXIT_REJECTED and "findes allerede" in err
    run_main(capsys, monkeypatch, "add", "kim", "--replace", password="en-ny-adgangskode")
    assert accounts.verify("kim", "en-ny-adgangskode", users)
    status, _, err = run_main(capsys, monkeypatch, "remove", "ole")
    assert status == EXIT_REJECTED and "ingen bruger" in err
    with pytest.raises(SystemExit) as usage:
        cli.main(["user", "add", "ole", "--role", "admin"])
    assert usage.value.code == EXIT_USAGE


def test_cli_list_says_when_there_are_no_users(users, capsys, monkeypatch):
    assert "Ingen lokale brugere" in run_main(capsys, monkeypatch, "list")[1]


def test_cli_asks_for_the_password_twice(users, monkeypatch, capsys):
    monkeypatch.delenv("STATISTIK_NEW_PASSWORD", raising=False)
    answers = iter([PASSWORD, PASSWORD + "x"])
    monkeypatch.setattr("getpass.getpass", lambda prompt="": next(answers))
    assert cli.main(["user", "add", "kim"]) == EXIT_REJECTED
    assert "ikke ens" in capsys.readouterr().err and not users.exists()
    answers = iter([PASSWORD, PASSWORD])
    assert cli.main(["user", "add", "kim"]) == EXIT_OK
    assert accounts.verify("kim", PASSWORD, users)
