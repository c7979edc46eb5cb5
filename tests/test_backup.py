"""`statistik backup` and `restore`: a consistent copy while everything runs, put back while dashboards run."""

from __future__ import annotations

import errno
import hashlib
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import SAMPLES, Ran, statistik
from statistik.store import Store


def cli(*args: str, db=None, check_exit: int = 0) -> Ran:
    """`statistik ARGS` in this process, on `db` or the store in STATISTIK_DB."""
    with pytest.MonkeyPatch.context() as mp:
        if db:
            mp.setenv("STATISTIK_DB", str(db))
        return statistik(*args, check_exit=check_exit)


def export_hash(db) -> str:
    return hashlib.sha256(cli("export", db=db).stdout.encode("utf-8")).hexdigest()


WRITER = textwrap.dedent("""
    # Imports a file and undoes it again, over and over, until told to stop.
    import sys
    from statistik.ingest import import_file
    from statistik.store import Store
    from statistik.uploads import undo

    store = Store(sys.argv[1])
    print("ready", flush=True)
    while not sys.stdin.readline().startswith("stop"):
        with store.write(purpose="test") as con:
            _, upload_id = import_file(con, sys.argv[2], user="t")
        with store.write(purpose="test") as con:
            con.execute("DELETE FROM figure WHERE upload_id = ?", [upload_id])
            con.execute("DELETE FROM upload WHERE id = ?", [upload_id])
        print("cycle", flush=True)
""")


def test_backups_taken_while_writing_are_each_a_whole_version(db_path, tmp_path):
    sample = SAMPLES / "eksempel_lang_2025-09.csv"
    without = export_hash(db_path)
    other = tmp_path / "med.duckdb"
    shutil.copy(db_path, other)
    cli("import", str(sample), db=other)
    with_file = export_hash(other)
    script = tmp_path / "writer.py"
    script.write_text(WRITER)
    writer = subprocess.Popen([sys.executable, str(script), str(db_path), str(sample)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    assert writer.stdout.readline().strip() == "ready"
    seen = []
    for i in range(4):
        writer.stdin.write("go\n")  # a cycle of writes starts, and the backup is taken while it runs
        writer.stdin.flush()
        copy = tmp_path / f"kopi{i}.duckdb"
        assert "Sikkerhedskopi af databasen" in cli("backup", str(copy)).stdout
        seen.append(export_hash(copy))
        assert writer.stdout.readline().strip() == "cycle"
    writer.communicate("stop\n", timeout=60)
    # Every copy is the store without the file or with all of it, never with part of it.
    assert set(seen) <= {without, with_file}, seen
    final = tmp_path / "final.duckdb"
    cli("backup", str(final))
    assert export_hash(final) == export_hash(db_path) == without


def test_restore_brings_a_backup_back_as_the_newest_version(db_path, tmp_path):
    store = Store(db_path)
    copy = tmp_path / "kopi.duckdb"
    cli("backup", str(copy))
    before = export_hash(db_path)
    cli("import", str(SAMPLES / "eksempel_lang_2025-09.csv"))
    changed_version = store.version()
    assert export_hash(db_path) != before
    assert "Databasen er gendannet" in cli("restore", str(copy)).stdout
    assert export_hash(db_path) == before
    assert store.version() > changed_version  # caches keyed on the version never serve the undone state


def test_restore_refuses_a_file_that_is_not_a_store(db_path, tmp_path):
    junk = tmp_path / "junk.duckdb"
    junk.write_bytes(b"not a database")
    before = export_hash(db_path)
    refused = cli("restore", str(junk), check_exit=1).stderr
    assert "ikke en statistik-database" in refused
    assert "Error" not in refused and ".read-" not in refused  # no English DuckDB text, no temporary file
    assert export_hash(db_path) == before


def test_backup_to_a_folder_says_to_name_a_file(db_path, tmp_path):
    assert "er en mappe" in cli("backup", str(tmp_path), check_exit=1).stderr


def _leftovers(db) -> list[str]:
    return sorted(p.name for p in db.parent.iterdir() if p.name.startswith(f".{db.name}."))


def test_a_full_disk_stops_every_write_with_a_danish_message_and_changes_nothing(db_path, tmp_path, monkeypatch):
    before = export_hash(db_path)
    cli("backup", str(tmp_path / "før.duckdb"))
    real = shutil.copyfileobj

    def full(source, target, *args):     # the disk fills up half way through a copy
        target.write(source.read(1 << 16))
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(shutil, "copyfileobj", full)
    monkeypatch.setattr(shutil, "_fastcopy_sendfile", lambda *a: full(*a), raising=False)
    for args in (["import", str(SAMPLES / "eksempel_lang_2025-09.csv")], ["category", "add", "Ny kategori"],
                 ["undo", "2", "--shipped"], ["restore", str(tmp_path / "før.duckdb")]):
        ran = cli(*args, check_exit=None)
        assert ran.returncode == 1 and "disken er fuld" in ran.stderr, (args, ran.stderr)
        assert "Traceback" not in ran.stderr and "fejl i programmet" not in ran.stderr
    ran = cli("backup", str(tmp_path / "kopi.duckdb"), check_exit=1)
    assert "disken er fuld" in ran.stderr and "No space" not in ran.stderr
    assert not (tmp_path / "kopi.duckdb").exists()
    monkeypatch.setattr(shutil, "copyfileobj", real)
    assert _leftovers(db_path) == []                 # no half-written copy is left to fill the disk further
    assert export_hash(db_path) == before


def test_a_backup_on_read_only_media_can_be_read_and_restored_from(db_path, tmp_path, monkeypatch):
    media = tmp_path / "usb"
    media.mkdir()
    cli("backup", str(media / "kopi.duckdb"))
    real = os.link

    def read_only(source, target, *args, **kwargs):  # nothing can be created on the media
        if Path(target).parent == media:
            raise OSError(errno.EROFS, os.strerror(errno.EROFS), str(target))
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "link", read_only)
    assert export_hash(media / "kopi.duckdb") == export_hash(db_path)
    cli("import", str(SAMPLES / "eksempel_lang_2025-09.csv"))
    assert "Databasen er gendannet" in cli("restore", str(media / "kopi.duckdb")).stdout
    assert export_hash(db_path) == export_hash(media / "kopi.duckdb")


def test_a_backup_onto_a_file_system_without_hard_links_is_checked_and_kept(db_path, tmp_path, monkeypatch):
    stick = tmp_path / "usb"                       # FAT or a network share: no hard links there
    stick.mkdir()
    real = os.link

    def no_links(source, target, *args, **kwargs):
        if Path(target).parent == stick:
            raise OSError(errno.EPERM, os.strerror(errno.EPERM), str(target))
        return real(source, target, *args, **kwargs)

    monkeypatch.setattr(os, "link", no_links)
    assert "Sikkerhedskopi af databasen" in cli("backup", str(stick / "kopi.duckdb")).stdout
    cli("import", str(SAMPLES / "eksempel_lang_2025-09.csv"))
    assert "Databasen er gendannet" in cli("restore", str(stick / "kopi.duckdb")).stdout
