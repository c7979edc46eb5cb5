"""The `statistik` command line: a thin layer over the Python API.

Exit codes: 0 done (or nothing to change), 1 rejected or refused, 2 wrong usage,
3 the store is busy. Account commands (`user`) touch only the users file, never the store.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import sys
from pathlib import Path

from statistik import accounts, bootstrap, config, formatting, periods, reference, store, uploads
from statistik.figures import export_csv
from statistik.ingest import Rejected, import_file
from statistik.ingest.plan import describe

EXIT_OK, EXIT_REJECTED, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3
NEW_PASSWORD_ENV = "STATISTIK_NEW_PASSWORD"  # `user add` reads the password from here if set


def _say(text: str = "") -> None:
    print(text, flush=True)


def _warn(text: str) -> None:
    print(text, file=sys.stderr, flush=True)


def cmd_import(con, args) -> int:
    """Import files one by one; each is imported whole or not at all."""
    status = EXIT_OK
    areas, categories = reference.area_names(con), reference.category_names(con)
    for path in args.files:
        path = Path(path)
        if not path.is_file():
            _warn(f"{path}: filen findes ikke.")
            status = EXIT_REJECTED
            continue
        try:
            plan, upload_id = import_file(
                con, path, user=args.user, source=args.source, dry_run=args.dry_run
            )
        except Rejected as e:
            _warn(f"{path.name}: afvist — {len(e.problems)} "
                  f"{'fejl' if len(e.problems) == 1 else 'fejl'}; intet er gemt.")
            for problem in e.problems:
                _warn(f"  {problem.message()}")
            status = EXIT_REJECTED
            continue
        _say(f"{path.name}:")
        for line in describe(plan, areas, categories):
            _say(f"  {line}")
        if args.dry_run:
            _say("  Prøvekørsel: intet er gemt.")
        elif upload_id is None:
            earlier = uploads.find_by_sha(con, plan.sha256)
            note = f" (samme fil som upload {earlier['id']})" if earlier else ""
            _say(f"  Ingen ændringer{note}; intet er gemt.")
        else:
            _say(f"  Importeret som upload {upload_id}.")
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
        _say(json.dumps(rows, ensure_ascii=False, indent=2))
        return EXIT_OK
    for r in rows:
        status = uploads.STATUS_NAMES.get(r["status"], r["status"])
        _say(
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
        _warn(str(e))
        return EXIT_REJECTED
    _say(
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
            _warn(str(e))
            return EXIT_REJECTED
        _say(f"Kategorien {args.name!r} er tilføjet med koden {code}.")
        return EXIT_OK
    for code, name, parent, origin in con.execute(
        "SELECT code, name, parent_code, origin FROM category ORDER BY origin, code"
    ).fetchall():
        _say(f"{code:<45} {name}" + (f"  (under {parent})" if parent else "") + f"  [{origin}]")
    return EXIT_OK


def cmd_summary(con, args) -> int:
    """Count, change on last year, rate and exact test for one area, category and period."""
    from statistik.metrics import summary as metrics_summary  # scipy: only this command pays for it

    try:
        result = metrics_summary.summary(con, args.area, args.category, args.period)
    except (ValueError, metrics_summary.NoFigures) as e:
        _warn(str(e))
        return EXIT_REJECTED
    if args.json:
        _say(json.dumps(result, ensure_ascii=False))
        return EXIT_OK
    _, area_name, _ = metrics_summary.resolve_area(con, args.area)
    category = reference.category_names(con)[metrics_summary.resolve_category(con, args.category)]
    period = periods.parse_period(args.period)
    previous = periods.Period(period.kind, period.start.replace(year=period.start.year - 1))
    n = formatting.number
    pct = result["change_pct"]
    _say(f"{area_name} · {category} · {period.label}")
    _say(f"  Antal: {n(result['count'])} ({previous.label}: {n(result['previous_count'])})")
    _say(f"  Ændring: {formatting.signed(result['change'])}"
         + (f" ({formatting.percent(pct / 100)})" if pct is not None else " (ingen procent: grundlaget er 0 eller mangler)"))
    if result["rate_per_100k"] is not None:
        _say(f"  Pr. 100.000 indbyggere: {n(result['rate_per_100k'], 1)} "
             f"(folketal 1. januar {result['population_year']})")
    if result["p_value"] is not None:
        verdict = "større end tilfældig variation" if result["significant"] else "kan skyldes tilfældig variation"
        _say(f"  Ændringen {verdict} (p = {n(result['p_value'], 3)}, eksakt Poisson-test)")
    if result["small_count"]:
        _say("  Få tilfælde — fortolk varsomt.")
    return EXIT_OK


def cmd_briefing(con, args) -> int:
    """The council briefing ("Lokal kriminalitetsstatistik") as PDF or Word, logged in the store."""
    import datetime as dt

    from statistik import briefing  # reportlab, python-docx and the browser only for this command
    from statistik.charts.export import ExportError
    try:
        meeting = dt.date.fromisoformat(args.meeting)
    except ValueError:
        _warn(f"Ugyldig mødedato {args.meeting!r}; skriv den som ÅÅÅÅ-MM-DD, fx 2026-01-15.")
        return EXIT_REJECTED
    try:
        out = briefing.make_briefing(con, meeting, Path(args.out), period=args.period,
                                     suppress_below=args.suppress_below, user=args.user)
    except (briefing.BriefingError, ExportError) as e:
        _warn(str(e))
        return EXIT_REJECTED
    except OSError as e:
        _warn(f"Bilaget kunne ikke gemmes i {args.out}: {e.strerror or e}.")
        return EXIT_REJECTED
    _say(f"Bilaget til kredsrådsmødet {formatting.date(meeting)} er gemt i {out}.")
    return EXIT_OK


def _new_password() -> str:
    if NEW_PASSWORD_ENV in os.environ:
        return os.environ[NEW_PASSWORD_ENV]
    try:
        password = getpass.getpass("Adgangskode: ")
        again = getpass.getpass("Gentag adgangskoden: ")
    except EOFError:
        raise ValueError("Ingen adgangskode angivet.") from None
    if password != again:
        raise ValueError("De to adgangskoder er ikke ens; intet er gemt.")
    return password


def cmd_user(args) -> int:
    """Add, list or remove local accounts; only the users file is touched, never the store."""
    path = config.users_path()
    try:
        if args.action == "add":
            account = accounts.add_account(args.username, _new_password(), args.name, args.role,
                                           path, replace=args.replace)
            _say(f"Brugeren {account.username} ({account.role}) er gemt i {path}.")
        elif args.action == "remove":
            _say(f"Brugeren {accounts.remove_account(args.username, path).username} er fjernet.")
        else:
            listed = accounts.load_accounts(path).values()
            _say("\n".join(f"{a.username:<20} {a.role:<11} {a.name}" for a in listed)
                 or f"Ingen lokale brugere i {path}.")
    except (ValueError, OSError) as e:  # OSError: the users file cannot be written
        _warn(str(e))
        return EXIT_REJECTED
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = argparse.ArgumentParser(prog="statistik", description="Kriminalitetsstatistik for Københavns Politikreds.")
    sub = parser.add_subparsers(dest="command", required=True)
    user = getpass.getuser()

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

    p = sub.add_parser("summary", help="nøgletal for ét område, én kategori og én periode")
    p.add_argument("--area", required=True, help="kommunekode eller -navn, eller 'kreds'")
    p.add_argument("--category", required=True, help="kategorikode eller -navn")
    p.add_argument("--period", required=True, help="år 2024, kvartal 2024K3 eller måned 2024-09")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("category", help="vis eller tilføj kategorier")
    csub = p.add_subparsers(dest="action", required=True)
    csub.add_parser("list")
    add = csub.add_parser("add")
    add.add_argument("name", metavar="NAVN")
    add.add_argument("--code")
    add.add_argument("--parent", metavar="KODE")
    p.set_defaults(func=cmd_category)

    p = sub.add_parser("briefing", help="bilag til kredsrådsmødet som PDF eller Word")
    p.add_argument("--meeting", required=True, metavar="ÅÅÅÅ-MM-DD", help="mødedatoen")
    p.add_argument("--period", help="periode for tendenserne: år 2025, kvartal 2025K4 eller måned 2025-09 "
                                    "(standard: den seneste for hver kilde)")
    p.add_argument("--suppress-below", type=int, metavar="N",
                   help="skjul antal fra 1 til N-1, fx 5 til offentlige mødepapirer (0 vises)")
    p.add_argument("--out", required=True, metavar="FIL", help="filen, der skrives: .pdf eller .docx")
    p.add_argument("--user", default=user, help="hvem laver bilaget (standard: login-navnet)")
    p.set_defaults(func=cmd_briefing)

    p = sub.add_parser("user", help="lokale brugerkonti til dashboardet (rører ikke databasen)")
    usub = p.add_subparsers(dest="action", required=True)
    text = (f"tilføj en bruger; adgangskoden (mindst {accounts.MIN_PASSWORD_LENGTH} tegn) spørges om "
            f"to gange eller læses fra miljøvariablen {NEW_PASSWORD_ENV} (til scripts)")
    add = usub.add_parser("add", help=text, description=text)
    add.add_argument("username", metavar="BRUGERNAVN")
    add.add_argument("--name", metavar="NAVN", help="fulde navn (standard: brugernavnet)")
    add.add_argument("--role", choices=list(accounts.ROLES), default=accounts.ANALYST,
                     help="analytiker må uploade og fortryde; læser kan kun læse (standard: analytiker)")
    add.add_argument("--replace", action="store_true", help="erstat en eksisterende bruger (ny adgangskode)")
    usub.add_parser("list", help="vis brugerne")
    usub.add_parser("remove", help="fjern en bruger").add_argument("username", metavar="BRUGERNAVN")
    p.set_defaults(func=cmd_user, opens_store=False)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `statistik` command."""
    args = build_parser().parse_args(argv)
    if not getattr(args, "opens_store", True):
        return args.func(args)
    try:
        with store.writer_lock(on_wait=lambda: _warn("Venter på, at en anden import bliver færdig …")):
            con = bootstrap.open_store()
            try:
                return args.func(con, args)
            finally:
                con.close()
    except store.StoreBusy as e:
        _warn(str(e))
        return EXIT_BUSY
    except BrokenPipeError:
        # The reader stopped early (`statistik export | head`); that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
