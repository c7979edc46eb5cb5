"""Commands that report: summary and the council briefing."""

from __future__ import annotations

import datetime as dt
import json
import math
from pathlib import Path

from statistik import formatting, periods, reference
from statistik.cli.common import EXIT_OK, EXIT_REJECTED, EXIT_USAGE, say, waiting, warn
from statistik.store import disk_problem


def cmd_summary(store, args) -> int:
    """Count, change on last year, rate and the verdicts for one area, category and period."""
    from statistik.views import summary as metrics_summary  # scipy: only this command pays for it

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
    previous = periods.year_earlier(period)
    n = formatting.number
    pct = result["change_pct"]
    say(f"{area_name} · {category} · {period.label}")
    say(f"  Antal: {n(result['count'])} ({previous.label}: {n(result['previous_count'])})")
    say(f"  Ændring: {formatting.signed(result['change'])}"
        + (f" ({formatting.percent(pct / 100)})" if pct is not None else " (ingen procent: under 10 tilfælde "
           "eller et grundlag på 0)"))
    if result["rate_per_100k"] is not None:
        say(f"  Pr. 100.000 indbyggere: {n(result['rate_per_100k'], 1)} "
             f"(folketal 1. januar {result['population_year']})")
    if result["p_value"] is not None:
        say(f"  Ændringen {result['verdict']} ({formatting.p_value(result['p_value'])}, test der tager højde "
            "for den normale variation)")
    if result["expected_low"] is not None:
        say(f"  {result['expected_position'].capitalize()} det forventede niveau "
            f"({n(result['expected_low'])}–{n(result['expected_high'])}, ud fra de foregående år)")
    if result["small_count"]:
        say("  Få tilfælde — fortolk varsomt.")
    return EXIT_OK


def _interval(low: float, high: float) -> str:
    return f"{formatting.number(low)}–{'∞' if math.isinf(high) else formatting.number(high)}"


def _print_audit(b, rows) -> bool:
    """The audit as a table per group; whether every cell is protected."""
    from statistik.briefing import disclose

    earlier = [p.final for p in b.decision.publications]
    when = formatting.and_list(formatting.date(f.meeting_date) for f in earlier)
    say(f"Kontrol af skjulte tal: bilaget til kredsrådsmødet {formatting.date(b.meeting)}, antal under {b.below} "
        f"skjult, " + (f"sammen med {len(earlier)} tidligere offentliggjorte bilag "
                        f"({'mødet' if len(earlier) == 1 else 'møderne'} {when})."
                        if earlier else "ingen tidligere offentliggjorte bilag."))
    say("For hvert beskyttet tal: det interval, en angriber kan udlede af alt offentliggjort (heltalsprogrammering), "
        "og det interval, det mindst skal dække.")
    width = max((len(r.cell) for r in rows), default=10)
    for group in (disclose.THIS, disclose.EARLIER, disclose.UNPRINTED):
        mine = [r for r in rows if r.group == group]
        if not mine:
            continue
        say()
        say(f"{group[0].upper() + group[1:]} ({formatting.number(len(mine))}):")
        say(f"  {'Tal':<{width}}  {'Værdi':>6}  {'Kan udledes':>12}  {'Krav':>10}")
        for r in mine:
            say(f"  {r.cell:<{width}}  {formatting.number(r.value):>6}  {_interval(r.low, r.high):>12}  "
                f"{_interval(*r.need):>10}  {'ok' if r.ok else 'FOR SMALT'}")
    failing = [r for r in rows if not r.ok]
    say()
    if failing:
        say(f"{formatting.number(len(failing))} af {formatting.number(len(rows))} beskyttede tal kan indsnævres for "
            "meget; bilaget må ikke offentliggøres.")
    else:
        say(f"Alle {formatting.number(len(rows))} beskyttede tal er beskyttet.")
    return not failing


def _recorded(store, finish) -> None:
    """Record a final briefing in a write of its own."""
    with store.write(purpose="endeligt bilag til kredsrådet", on_wait=waiting) as con:
        finish(con)


def cmd_briefing(store, args) -> int:
    """The council briefing ("Lokal kriminalitetsstatistik") as PDF or Word: a draft, or recorded as final."""
    from statistik import briefing  # reportlab, python-docx, the solver and the browser only for this command
    from statistik.briefing import disclose
    from statistik.charts.export import ExportError
    try:
        meeting = dt.date.fromisoformat(args.meeting)
    except ValueError:
        warn(f"Ugyldig mødedato {args.meeting!r}; skriv den som ÅÅÅÅ-MM-DD, fx 2026-01-15.")
        return EXIT_REJECTED
    if args.out is None and not args.audit:
        warn("Angiv --out FIL (bilaget) eller --audit (kontrol af de skjulte tal).")
        return EXIT_USAGE
    if args.audit and args.suppress_below is None:
        warn("--audit kontrollerer skjulte tal; angiv også --suppress-below N.")
        return EXIT_USAGE
    if args.final and args.out is None:
        warn("--final kræver --out FIL: det endelige bilag skal gemmes.")
        return EXIT_USAGE
    options = {"period": args.period, "suppress_below": args.suppress_below, "organisation": args.organisation}
    try:
        con = store.read()
        if args.audit:
            b, _ = briefing.audit(con, meeting, period=args.period, suppress_below=args.suppress_below)
            meetings = {p.final.id: p.final.meeting_date for p in b.decision.publications}
            if not _print_audit(b, disclose.audit_rows(b.decision, disclose.describe_with(b.books, meetings))):
                return EXIT_REJECTED
            if args.out is None:
                return EXIT_OK
        # Made on a read-only version; only recording a final one writes (briefly, after the file is saved).
        out = briefing.make_briefing(con, meeting, Path(args.out), final=args.final, created_by=args.user,
                                     record=lambda finish: _recorded(store, finish), **options)
    except (briefing.BriefingError, ExportError) as e:
        warn(str(e))
        return EXIT_REJECTED
    except BrokenPipeError:
        raise
    except OSError as e:
        warn(f"Bilaget kunne ikke gemmes i {args.out}: {disk_problem(e) or e.strerror or e}.")
        return EXIT_REJECTED
    what = "Det endelige bilag" if args.final else "Et udkast til bilaget"
    say(f"{what} til kredsrådsmødet {formatting.date(meeting)} er gemt i {out}."
        + (" Det er noteret som offentliggjort." if args.final and args.suppress_below else
           " Det er noteret som endeligt (internt: små tal er ikke skjult)." if args.final else
           " Intet er noteret; brug --final for det endelige bilag."))
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
    p.add_argument("--out", metavar="FIL", help="filen, der skrives: .pdf eller .docx")
    p.add_argument("--final", action="store_true",
                   help="det endelige bilag: noteres (med de tal, det offentliggør), så kommende bilag bygger på det")
    p.add_argument("--audit", action="store_true",
                   help="kontrollér de skjulte tal mod alle offentliggjorte bilag; afslut med fejl, hvis et kan "
                        "indsnævres for meget")
    p.add_argument("--organisation", help="afsender på forsiden og i filens metadata "
                                          "(standard: STATISTIK_ORGANISATION)")
    p.add_argument("--user", default=user, help="hvem gør bilaget endeligt, til loggen (standard: login-navnet)")
    p.set_defaults(func=cmd_briefing)
