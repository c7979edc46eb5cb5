"""Commands that read and change the figures: import, export, uploads, undo, category."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from statistik import config, formatting, reference, uploads
from statistik.cli.common import EXIT_OK, EXIT_REJECTED, interrupted, log_failure, say, waiting, warn
from statistik.figures import export_csv
from statistik.ingest import Rejected, import_file
from statistik.store import NothingToWrite, StoreUnwritable
from statistik.ingest.plan import describe


def _say_plan(con, path: Path, plan) -> None:
    say(f"{path.name}:")
    for line in describe(plan, reference.area_names(con), reference.category_names(con)):
        say(f"  {line}")


def cmd_import(store, args) -> int:
    """Import files one by one; each is imported whole or not at all.

    A dry run reads without waiting for anyone. An import is checked, planned and written inside
    one write, so the plan printed is the one against the version written.
    """
    status = EXIT_OK
    for path in args.files:
        path = Path(path)
        if not path.is_file():
            warn(f"{path}: " + ("er en mappe, ikke en fil." if path.is_dir() else
                                "er ikke en almindelig fil." if path.exists() else "filen findes ikke."))
            status = EXIT_REJECTED
            continue
        try:
            if args.dry_run:
                con = store.read()
                plan, _ = import_file(con, path, user=args.user, source=args.source, dry_run=True)
                _say_plan(con, path, plan)
                if plan.new_categories and not args.new_categories:
                    say("  Nye kategorier oprettes kun med --new-categories.")
                say("  Prøvekørsel: intet er gemt.")
                continue
            with store.write(purpose=f"import af {path.name}", on_wait=waiting) as con:
                plan, upload_id = import_file(con, path, user=args.user, source=args.source,
                                              allow_new_categories=args.new_categories)
                _say_plan(con, path, plan)
                if upload_id is None:
                    earlier = uploads.find_by_sha(con, plan.sha256)
                    note = f" (samme fil som upload {earlier['id']})" if earlier else ""
                    say(f"  Ingen ændringer{note}; intet er gemt.")
                    raise NothingToWrite
                say(f"  Importeret som upload {upload_id}.")
        except Rejected as e:
            warn(f"{path.name}: afvist — {len(e.problems)} fejl; intet er gemt.")
            for problem in e.problems:
                warn(f"  {problem.message()}")
            status = EXIT_REJECTED
        except StoreUnwritable:
            raise                # a full disk stops every file alike; the command line says why
        except Exception as e:  # a bug must not stop the other files, nor show a traceback
            if interrupted(e):
                raise                # Ctrl-C stops them all; the command line says so
            error_id = log_failure(f"import of {path}")
            warn(f"{path.name}: kunne ikke læses på grund af en fejl i programmet (fejl-id {error_id}); "
                 "intet er gemt. Send filen og fejl-id'et til den, der driver statistik.")
            status = EXIT_REJECTED
    return status


def cmd_export(store, args) -> int:
    """Every stored figure as CSV."""
    con = store.read()
    if args.out:
        export_csv(con, Path(args.out))
    else:
        sys.stdout.flush()
        export_csv(con, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    return EXIT_OK


def _upload_json(row: dict) -> dict:
    return {
        "id": int(row["id"]),
        "file": row["file_name"],
        "sha256": row["sha256"],
        "source": row["source"],
        "user": row["user_name"],
        "time": row["created_at"].isoformat(),
        "rows": int(row["rows_read"]),
        "rows_skipped": int(row["rows_skipped"]),
        "cells_new": int(row["cells_new"]),
        "cells_changed": int(row["cells_changed"]),
        "cells_unchanged": int(row["cells_unchanged"]),
        "layout": row["layout"],
        "encoding": row["encoding"],
        "measure": row["measure"],
        "status": row["status"],
        "undone_at": row["undone_at"].isoformat() if row["undone_at"] else None,
        "undone_by": row["undone_by"],
    }


def cmd_uploads(store, args) -> int:
    """The upload log, newest first."""
    frame = uploads.list_uploads(store.read())
    rows = [_upload_json({k: (None if _isnull(v) else v) for k, v in r.items()})
            for r in frame.to_dict("records")]
    if args.json:
        say(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in rows:
        status = uploads.STATUS_NAMES.get(r["status"], r["status"])
        say(
            f"{r['id']:>4}  {r['time'][:16].replace('T', ' ')}  {r['user']:<12} {status:<10} "
            f"{r['file']}  ({r['source']}; {formatting.number(r['rows'])} rækker, "
            f"{formatting.number(r['cells_new'])} nye, {formatting.number(r['cells_changed'])} ændrede)"
        )
    return EXIT_OK


def _isnull(value) -> bool:
    try:
        return value != value or value is None  # NaN/NaT compare unequal to themselves
    except (TypeError, ValueError):
        return False


def cmd_undo(store, args) -> int:
    """Undo one upload."""
    try:
        with store.write(purpose=f"fortryd upload {args.id}", on_wait=waiting) as con:
            upload = uploads.undo(con, args.id, args.user, allow_shipped=args.shipped)
    except uploads.UndoRefused as e:
        warn(str(e))
        return EXIT_REJECTED
    say(
        f"Upload {upload['id']} ({upload['file_name']}) er fortrudt: "
        f"{formatting.number(upload['cells_new'])} tal fjernet, "
        f"{formatting.number(upload['cells_changed'])} tal sat tilbage."
    )
    return EXIT_OK


def cmd_category(store, args) -> int:
    """List or add categories."""
    if args.action == "add":
        try:
            with store.write(purpose=f"ny kategori {args.name}", on_wait=waiting) as con:
                code = reference.add_category(con, args.name, args.code, args.parent)
        except ValueError as e:
            warn(str(e))
            return EXIT_REJECTED
        say(f"Kategorien {args.name!r} er tilføjet med koden {code}.")
        return EXIT_OK
    for code, name, parent, origin in store.read().execute(
        "SELECT code, name, parent_code, origin FROM category ORDER BY origin, code"
    ).fetchall():
        say(f"{code:<45} {name}" + (f"  (under {parent})" if parent else "") + f"  [{origin}]")
    return EXIT_OK


def register(sub, user: str) -> None:
    """Add the commands' parsers."""
    p = sub.add_parser("import", help="importér CSV-filer")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--source", help=f"hvem har talt (standard: politikredsens politi, fx 'Københavns Politi'; "
                                    f"for filer fra Statistikbanken '{config.DST_SOURCE}')")
    p.add_argument("--user", default=user, help="hvem importerer (standard: login-navnet)")
    p.add_argument("--dry-run", action="store_true", help="vis planen uden at gemme")
    p.add_argument("--new-categories", action="store_true",
                   help="opret kategorinavne fra Statistikbanken, som vi ikke kender (uden: filen afvises "
                        "og navnene vises, så en stavefejl ikke bliver en ny kategori)")
    p.set_defaults(func=cmd_import)

    p = sub.add_parser("export", help="alle tal som CSV")
    p.add_argument("--out", metavar="FILE")
    p.set_defaults(func=cmd_export)

    p = sub.add_parser("uploads", help="importhistorik, nyeste først")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_uploads)

    p = sub.add_parser("undo", help="fortryd en upload")
    p.add_argument("id", type=int, metavar="ID")
    p.add_argument("--user", default=user)
    p.add_argument("--shipped", action="store_true",
                   help="fortryd også Danmarks Statistiks tal, der følger med programmet (upload 1 og 2); "
                        f"de kan hentes tilbage med 'statistik import {config.DATA_DIR}/{config.SHIPPED_FILES[0]}' "
                        f"og '{config.SHIPPED_FILES[1]}'")
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser("category", help="vis eller tilføj kategorier")
    csub = p.add_subparsers(dest="action", metavar="HANDLING", required=True)
    csub.add_parser("list")
    add = csub.add_parser("add")
    add.add_argument("name", metavar="NAVN")
    add.add_argument("--code")
    add.add_argument("--parent", metavar="KODE")
    p.set_defaults(func=cmd_category)
