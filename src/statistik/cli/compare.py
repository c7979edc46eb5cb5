"""`statistik compare`: any two periods for areas and categories, with the verdicts the Sammenlign page shows."""

from __future__ import annotations

import json

from statistik import formatting, periods
from statistik.cli.common import EXIT_OK, EXIT_REJECTED, say, warn


def _request(con, args):
    """(current, previous, areas, categories) of the command; ValueError with a Danish message."""
    from statistik.views import summary

    current = summary.parse(args.period)
    previous = summary.parse(args.against) if args.against else periods.year_earlier(current)
    if previous.kind != current.kind:
        raise ValueError(f"{current.label} og {previous.label} er ikke lige lange; sammenlign to måneder, "
                         "to kvartaler eller to år.")
    wanted = args.area or ["kreds"]
    areas = None if [a.casefold() for a in wanted] == ["all"] else \
        list(dict.fromkeys(summary.resolve_area(con, a)[0] for a in wanted))
    categories = [summary.resolve_category(con, c) for c in args.category] if args.category else None
    return current, previous, areas, categories


def cmd_compare(store, args) -> int:
    """Every area × category × source in one period against another, with the verdicts."""
    from statistik.metrics.verdicts import Verdict, false_alarms_text  # scipy and statsmodels only here
    from statistik.views import comparison

    con = store.read()
    try:
        current, previous, areas, categories = _request(con, args)
    except ValueError as e:
        warn(str(e))
        return EXIT_REJECTED
    frame = comparison.verdicts(con, current, previous, areas, categories, [args.source] if args.source else None)
    rows = comparison.records(con, frame)
    if args.json:
        say(json.dumps(rows, ensure_ascii=False))
        return EXIT_OK
    if not rows:
        warn(f"Ingen tal for {current.label} eller {previous.label}.")
        return EXIT_REJECTED
    shown = None
    for row, (_, line) in zip(rows, frame.iterrows()):
        if (row["area"], row["source"]) != shown:
            shown = (row["area"], row["source"])
            say(f"{row['area_name']} · {current.label} mod {previous.label} ({row['source']})")
        verdict = Verdict.of(line)
        counts = f"{formatting.number(row['previous_count'])} → {formatting.number(row['count'])}"
        say(f"  {row['category_name']}: {counts}, {verdict.change_text}. " + " ".join(verdict.words()))
    tested = sum(r["significant"] is not None for r in rows)
    if tested:
        say(false_alarms_text(tested))
    return EXIT_OK


def register(sub, user: str) -> None:
    """Add the command's parser."""
    p = sub.add_parser("compare", help="sammenlign to perioder for områder og kategorier, med vurderinger")
    p.add_argument("--period", required=True, help="år 2025, kvartal 2025K4 eller måned 2025-09")
    p.add_argument("--against", help="perioden, der sammenlignes med (standard: samme periode året før)")
    p.add_argument("--area", nargs="+", metavar="OMRÅDE",
                   help="kommunekoder eller -navne, 'kreds' for politikredsen, eller 'all' for alle (standard: kreds)")
    p.add_argument("--category", nargs="+", metavar="KATEGORI", help="kategorikoder eller -navne (standard: alle)")
    p.add_argument("--source", help="kun denne kilde (standard: alle kilder, hver for sig)")
    p.add_argument("--json", action="store_true", help="en JSON-liste med ét objekt pr. område × kategori × kilde")
    p.set_defaults(func=cmd_compare)
