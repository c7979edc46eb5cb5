"""`statistik fetch-dst`: the newest official figures from Statistikbanken, imported as ordinary uploads."""

from __future__ import annotations

import tempfile
from pathlib import Path

from statistik import reference
from statistik.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_REMOTE, say, waiting, warn
from statistik.dst import refresh
from statistik.dst.api import DstError
from statistik.ingest import Rejected
from statistik.ingest.apply import apply
from statistik.ingest.plan import describe
from statistik.store import NothingToWrite


def _say(con, fetched: refresh.Fetched, plan) -> None:
    newer = f"nye perioder: {', '.join(fetched.newer)}" if fetched.newer else "ingen nye perioder"
    say(f"{fetched.table} ({fetched.name}; spurgt om {', '.join(fetched.asked)}; {newer}):")
    for line in describe(plan, reference.area_names(con), reference.category_names(con)):
        say(f"  {line}")


def cmd_fetch_dst(store, args) -> int:
    """Fetch every table asked for, check all answers, then import them in one write, or nothing at all."""
    tables = list(dict.fromkeys(t.upper() for t in args.table)) or list(refresh.TABLES)
    try:
        with tempfile.TemporaryDirectory(prefix="statistik-dst-") as tmp:
            fetched = refresh.fetch(store.read(), tables, Path(tmp), all_categories=args.all_categories)
            if args.dry_run:
                con = store.read()
                prepared = refresh.prepare_all(con, fetched)
                for f, p in zip(fetched, prepared):
                    _say(con, f, p.plan)
                    p.close()
                say("Prøvekørsel: intet er gemt.")
                return EXIT_OK
            with store.write(purpose="hent nye tal fra Danmarks Statistik", on_wait=waiting) as con:
                prepared = refresh.prepare_all(con, fetched)   # against the version being written
                written = []
                for f, p in zip(fetched, prepared):
                    _say(con, f, p.plan)
                    if p.plan.has_changes:
                        written.append(apply(p.cursor, p.plan, args.user))
                        say(f"  Importeret som upload {written[-1]}.")
                    else:
                        say("  Ingen ændringer: tallene er de samme som i databasen.")
                    p.close()
                if not written:
                    raise NothingToWrite
    except DstError as e:
        warn(str(e))
        return EXIT_REMOTE
    except Rejected as e:
        warn(f"Svaret fra Danmarks Statistik kunne ikke importeres — {len(e.problems)} fejl; intet er gemt.")
        for problem in e.problems:
            warn(f"  {problem.message()}")
        return EXIT_REJECTED
    return EXIT_OK


def register(sub, user: str) -> None:
    """Add the command's parser."""
    p = sub.add_parser(
        "fetch-dst", help="hent nye tal fra Danmarks Statistiks Statistikbank (STRAF11 og FOLK1A)",
        description="Spørger Statistikbanken (STATISTIK_DST_API) om de kvartaler, der er nyere end databasens, og "
                    f"om de seneste {refresh.REVISION_QUARTERS} kvartaler igen, så rettelser vises som revisioner. "
                    "Svaret importeres som én upload pr. tabel med kilden 'Danmarks Statistik' og kan fortrydes.")
    p.add_argument("--table", action="append", default=[], choices=[*refresh.TABLES, *(t.lower() for t in refresh.TABLES)],
                   metavar="TABEL", help="STRAF11 eller FOLK1A; kan gentages (standard: begge)")
    p.add_argument("--all-categories", action="store_true",
                   help="alle STRAF11's overtrædelser med navne og hierarki, ikke kun dem databasen kender")
    p.add_argument("--dry-run", action="store_true", help="vis planen uden at gemme")
    p.add_argument("--user", default=user, help="hvem henter (standard: login-navnet)")
    p.set_defaults(func=cmd_fetch_dst)
