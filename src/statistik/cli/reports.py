"""Commands that report: summary and the council briefing."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from statistik import formatting, periods, reference
from statistik.cli.common import EXIT_OK, EXIT_REJECTED, say, waiting, warn


def cmd_summary(store, args) -> int:
    """Count, change on last year, rate and exact test for one area, category and period."""
    from statistik.metrics import summary as metrics_summary  # scipy: only this command pays for it

    con = store.read()
    try:
        result = metrics_summary.summary(con, args.area, args.category, args.period)
    except (ValueError, metrics_summary.NoFigures) as e:
        warn(str(e))
        return EXIT_REJECTED
    if args.json:
        say(json.dumps(result, ensure_ascii=False))
        return EXIT_OK
    _, area_name, _ = metrics_summary.resolve_area(con, args.area)
    category = reference.category_names(con)[metrics_summary.resolve_category(con, args.category)]
    period = periods.parse_period(args.period)
    previous = periods.Period(period.kind, period.start.replace(year=period.start.year - 1))
    n = formatting.number
    pct = result["change_pct"]
    say(f"{area_name} · {category} · {period.label}")
    say(f"  Antal: {n(result['count'])} ({previous.label}: {n(result['previous_count'])})")
    say(f"  Ændring: {formatting.signed(result['change'])}"
         + (f" ({formatting.percent(pct / 100)})" if pct is not None else " (ingen procent: grundlaget er 0 eller mangler)"))
    if result["rate_per_100k"] is not None:
        say(f"  Pr. 100.000 indbyggere: {n(result['rate_per_100k'], 1)} "
             f"(folketal 1. januar {result['population_year']})")
    if result["p_value"] is not None:
        verdict = "større end tilfældig variation" if result["significant"] else "kan skyldes tilfældig variation"
        say(f"  Ændringen {verdict} ({formatting.p_value(result['p_value'])}, eksakt Poisson-test)")
    if result["small_count"]:
        say("  Få tilfælde — fortolk varsomt.")
    return EXIT_OK


def cmd_briefing(store, args) -> int:
    """The council briefing ("Lokal kriminalitetsstatistik") as PDF or Word, logged in the store."""
    from statistik import briefing  # reportlab, python-docx and the browser only for this command
    from statistik.charts.export import ExportError
    try:
        meeting = dt.date.fromisoformat(args.meeting)
    except ValueError:
        warn(f"Ugyldig mødedato {args.meeting!r}; skriv den som ÅÅÅÅ-MM-DD, fx 2026-01-15.")
        return EXIT_REJECTED
    try:
        # Made inside a write: the briefing log records exactly the version the briefing shows, and
        # two briefings never miss each other's entry.
        with store.write(purpose="bilag til kredsrådet", on_wait=waiting) as con:
            out = briefing.make_briefing(con, meeting, Path(args.out), period=args.period,
                                         suppress_below=args.suppress_below, user=args.user)
    except (briefing.BriefingError, ExportError) as e:
        warn(str(e))
        return EXIT_REJECTED
    except OSError as e:
        warn(f"Bilaget kunne ikke gemmes i {args.out}: {e.strerror or e}.")
        return EXIT_REJECTED
    say(f"Bilaget til kredsrådsmødet {formatting.date(meeting)} er gemt i {out}.")
    return EXIT_OK


def register(sub, user: str) -> None:
    """Add the commands' parsers."""
    p = sub.add_parser("summary", help="nøgletal for ét område, én kategori og én periode")
    p.add_argument("--area", required=True, help="kommunekode eller -navn, eller 'kreds'")
    p.add_argument("--category", required=True, help="kategorikode eller -navn")
    p.add_argument("--period", required=True, help="år 2024, kvartal 2024K3 eller måned 2024-09")
    p.add_argument("--json", action="store_true")
    p.set_defaults(func=cmd_summary)

    p = sub.add_parser("briefing", help="bilag til kredsrådsmødet som PDF eller Word")
    p.add_argument("--meeting", required=True, metavar="ÅÅÅÅ-MM-DD", help="mødedatoen")
    p.add_argument("--period", help="periode for tendenserne: år 2025, kvartal 2025K4 eller måned 2025-09 "
                                    "(standard: den seneste for hver kilde)")
    p.add_argument("--suppress-below", type=int, metavar="N",
                   help="skjul antal fra 1 til N-1, fx 5 til offentlige mødepapirer (0 vises)")
    p.add_argument("--out", required=True, metavar="FIL", help="filen, der skrives: .pdf eller .docx")
    p.add_argument("--user", default=user, help="hvem laver bilaget (standard: login-navnet)")
    p.set_defaults(func=cmd_briefing)
