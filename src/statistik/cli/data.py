"""Commands that read and change the figures: import, export, uploads, undo, category."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from statistik import config, formatting, reference, uploads
from statistik.cli.common import EXIT_OK, EXIT_REJECTED, say, warn
from statistik.figures import export_csv
from statistik.ingest import Rejected, import_file
from statistik.ingest.plan import describe


def cmd_import(con, args) -> int:
    """Import files one by one; each is imported whole or not at all."""
    status = EXIT_OK
    areas, categories = reference.area_names(con), reference.category_names(con)
    for path in args.files:
        path = Path(path)
        if not path.is_file():
            warn(f"{path}: filen findes ikke.")
            status = EXIT_REJECTED
            continue
        try:
            plan, upload_id = import_file(
                con, path, user=args.user, source=args.source, dry_run=args.dry_run
            )
        except Rejected as e:
            warn(f"{path.name}: afvist — {len(e.problems)} fejl; intet er gemt.")
            for problem in e.problems:
                warn(f"  {problem.message()}")
            status = EXIT_REJECTED
            continue
        say(f"{path.name}:")
        for line in describe(plan, areas, categories):
            say(f"  {line}")
        if args.dry_run:
            say("  Prøvekørsel: intet er gemt.")
        elif upload_id is None:
            earlier = uploads.find_by_sha(con, plan.sha256)
            note = f" (samme fil som upload {earlier['id']})" if earlier else ""
            say(f"  Ingen ændringer{note}; intet er gemt.")
        else:
            say(f"  Importeret som upload {upload_id}.")
    return status


def cmd_export(con, args) -> int:
    """Every stored figure as CSV."""
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


def cmd_uploads(con, args) -> int:
    """The upload log, newest first."""
    frame = uploads.list_uploads(con)
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


def cmd_undo(con, args) -> int:
    """Undo one upload."""
    try:
        upload = uploads.undo(con, args.id, args.user)
    except uploads.UndoRefused as e:
        warn(str(e))
        return EXIT_REJECTED
    say(
        f"Upload {upload['id']} ({upload['file_name']}) er fortrudt: "
        f"{formatting.number(upload['cells_new'])} tal fjernet, "
        f"{formatting.number(upload['cells_changed'])} tal sat tilbage."
    )
    return EXIT_OK


def cmd_category(con, args) -> int:
    """List or add categories."""
    if args.action == "add":
        try:
            code = reference.add_category(con, args.name, args.code, args.parent)
        except ValueError as e:
            warn(str(e))
            return EXIT_REJECTED
        say(f"Kategorien {args.name!r} er tilføjet med koden {code}.")
        return EXIT_OK
    for code, name, parent, origin in con.execute(
        "SELECT code, name, parent_code, origin FROM category ORDER BY origin, code"
    ).fetchall():
        say(f"{code:<45} {name}" + (f"  (under {parent})" if parent else "") + f"  [{origin}]")
    return EXIT_OK


def register(sub, user: str) -> None:
    """Add the commands' parsers."""
    p = sub.add_parser("import", help="importér CSV-filer")
    p.add_argument("files", nargs="+", metavar="FILE")
    p.add_argument("--source", help=f"hvem har talt (standard: '{config.DEFAULT_SOURCE}', "
                                    f"for filer fra Statistikbanken '{config.DST_SOURCE}')")
    p.add_argument("--user", default=user, help="hvem importerer (standard: login-navnet)")
    p.add_argument("--dry-run", action="store_true", help="vis planen uden at gemme")
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
    p.set_defaults(func=cmd_undo)

    p = sub.add_parser("category", help="vis eller tilføj kategorier")
    csub = p.add_subparsers(dest="action", required=True)
    csub.add_parser("list")
    add = csub.add_parser("add")
    add.add_argument("name", metavar="NAVN")
    add.add_argument("--code")
    add.add_argument("--parent", metavar="KODE")
    p.set_defaults(func=cmd_category)
