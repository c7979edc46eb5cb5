"""`statistik backup` and `statistik restore`: a consistent copy of the store, taken and put back while everything runs."""

from __future__ import annotations

from pathlib import Path

from statistik import formatting
from statistik.store import disk_problem
from statistik.cli.common import EXIT_OK, EXIT_REJECTED, say, waiting, warn


def cmd_backup(store, args) -> int:
    """Copy the newest version of the store to FILE."""
    target = Path(args.file)
    if target.is_dir():
        warn(f"{target} er en mappe; angiv et filnavn, fx {target / 'statistik-backup.duckdb'}.")
        return EXIT_REJECTED
    try:
        version = store.backup(target)
    except (ValueError, OSError) as e:
        warn(f"Sikkerhedskopien kunne ikke skrives: {disk_problem(e) or getattr(e, 'strerror', None) or e}.")
        return EXIT_REJECTED
    size = target.stat().st_size / 1e6
    say(f"Sikkerhedskopi af databasen (dataversion {version}) gemt i {target} "
        f"({formatting.number(size, 1)} MB).")
    return EXIT_OK


def cmd_restore(store, args) -> int:
    """Make a backup the store's newest version; running dashboards switch to it on their next page."""
    source = Path(args.file)
    if not source.is_file():
        warn(f"{source}: filen findes ikke.")
        return EXIT_REJECTED
    try:
        version = store.restore(source, on_wait=waiting)
    except ValueError as e:
        warn(f"{e} Intet er ændret.")
        return EXIT_REJECTED
    say(f"Databasen er gendannet fra {source} (ny dataversion {version}).")
    return EXIT_OK


def register(sub, user: str) -> None:
    """Add the commands' parsers."""
    p = sub.add_parser("backup", help="sikkerhedskopi af databasen, også mens dashboardet kører")
    p.add_argument("file", metavar="FIL")
    p.set_defaults(func=cmd_backup)
    p = sub.add_parser("restore", help="gendan databasen fra en sikkerhedskopi")
    p.add_argument("file", metavar="FIL")
    p.set_defaults(func=cmd_restore)
