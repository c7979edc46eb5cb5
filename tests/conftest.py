"""Shared fixtures: a seeded store built once per session, copied for each test."""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import os
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from statistik import cli
from statistik.bootstrap import open_store

# A page error fails its test (in production the page shows a Danish message with a log id instead).
os.environ["STATISTIK_TEST_RAISE"] = "1"
# No background warming of views (threads outliving a test); tests/test_warming.py turns it on.
os.environ["STATISTIK_VARM"] = "0"

TODAY = dt.date(2026, 11, 25)
SAMPLES = Path(__file__).parent / "samples" / "analyst"  # copies of ../shared/data/samples
LOCAL_SAMPLES = Path(__file__).parent / "samples"


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """A store seeded with the shipped DST figures, built once."""
    path = tmp_path_factory.mktemp("template") / "statistik.duckdb"
    open_store(path).close()
    return path


@pytest.fixture
def db_path(seeded_template, tmp_path, monkeypatch) -> Path:
    """A fresh copy of the seeded store, also set as STATISTIK_DB for CLI calls."""
    path = tmp_path / "statistik.duckdb"
    shutil.copy(seeded_template, path)
    monkeypatch.setenv("STATISTIK_DB", str(path))
    return path


@pytest.fixture
def con(db_path):
    """An open connection to a fresh seeded store."""
    connection = open_store(db_path)
    yield connection
    connection.close()


def table_contents(con) -> dict[str, list[tuple]]:
    """Every row of every table, for checking that nothing was written."""
    tables = [r[0] for r in con.execute(
        "SELECT table_name FROM information_schema.tables WHERE table_type = 'BASE TABLE' "
        "AND table_schema = 'main' ORDER BY 1"
    ).fetchall()]
    return {t: sorted(con.execute(f"SELECT * FROM {t}").fetchall(), key=repr) for t in tables}


def shown(markdown: str) -> str:
    """The text a Markdown source shows, as far as escaping goes: backslash escapes and numeric
    character references (what `markup.md` writes) read as the characters they stand for, word
    joiners left out."""
    text = re.sub(r"\\([!-/:-@\[-`{-~])|&#(\d+);", lambda m: m.group(1) or chr(int(m.group(2))), markdown)
    return text.replace("\u2060", "")  # the word joiner markup.md puts into 'https://' against autolinks


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write a small test file and return its path."""
    path.write_bytes(text.encode(encoding))
    return path


@pytest.fixture(scope="module")
def police_store(seeded_template, tmp_path_factory):
    """A seeded store with the police sample (Sept 2025) imported, shared by a module's read-only tests."""
    from statistik.ingest import import_file
    path = tmp_path_factory.mktemp("police") / "statistik.duckdb"
    shutil.copy(seeded_template, path)
    connection = open_store(path)
    import_file(connection, SAMPLES / "eksempel_lang_2025-09.csv", user="t", today=TODAY)
    yield connection
    connection.close()


def counting_kaleido():
    """The real Kaleido class, subclassed to count browser starts and renders."""
    import kaleido

    class CountingKaleido(kaleido.Kaleido):
        opened = 0
        rendered = 0

        async def open(self):
            type(self).opened += 1
            return await super().open()

        async def calc_fig(self, *args, **kwargs):
            type(self).rendered += 1
            return await super().calc_fig(*args, **kwargs)

    return CountingKaleido


@dataclass
class Ran:
    """What a `statistik` command did: its exit code and what it wrote."""

    returncode: int
    stdout: str
    stderr: str


def statistik(*args: str, check_exit: int | None = 0) -> Ran:
    """Run `statistik ARGS` in this process against the store in STATISTIK_DB, as sqlite-utils tests its CLI:
    much faster than a subprocess per call. Tests of the installed entry point itself use a subprocess."""
    out, err = io.TextIOWrapper(io.BytesIO(), encoding="utf-8"), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = cli.main(list(args))
        except SystemExit as e:          # argparse's usage errors
            code = e.code if isinstance(e.code, int) else 1
    out.flush()
    ran = Ran(code, out.buffer.getvalue().decode("utf-8"), err.getvalue())
    if check_exit is not None:
        assert ran.returncode == check_exit, ran.stderr + ran.stdout
    return ran


@pytest.fixture(scope="module")
def police_history(seeded_template, tmp_path_factory):
    """The shipped store with 33 months of the police's own figures for the district (seeded counts)."""
    import numpy as np
    import pandas as pd

    from statistik.ingest import import_file
    path = tmp_path_factory.mktemp("history") / "statistik.duckdb"
    shutil.copy(seeded_template, path)
    rng = np.random.default_rng(9)
    lines = ["periode;kommune;kategori;antal"]
    for month in pd.period_range("2023-01", "2025-09", freq="M"):
        for town, size in (("København", 60), ("Frederiksberg", 12), ("Dragør", 2), ("Tårnby", 6)):
            for category, scale in (("Kontaktbedrageri", 1.0), ("Opioider", 0.5), ("Lomme- og tricktyveri", 2.0)):
                lines.append(f"{month};{town};{category};{rng.negative_binomial(5, 5 / (5 + size * scale))}")
    data = tmp_path_factory.mktemp("files") / "politi.csv"
    data.write_text("\n".join(lines) + "\n", encoding="utf-8")
    con = open_store(path)
    import_file(con, data, user="t", today=dt.date(2026, 1, 5))
    yield con
    con.close()
