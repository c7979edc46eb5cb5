"""The `statistik` command line: a thin layer over the Python API.

Exit codes: 0 done (or nothing to change), 1 rejected or refused, 2 wrong usage,
3 the store is busy, 4 Statistikbanken unreachable or answering with an error (fetch-dst).
Account commands (`user`) touch only the users file, never the store.

Commands get the `Store`: they read at once (a running dashboard never blocks them) and write
through `store.write()`, which waits for other writers and says so.
"""

from __future__ import annotations

import argparse
import getpass
import os
import sys

from statistik import bootstrap, config, store
from statistik.cli import backups, compare, data, dst, reports, users
from statistik.cli.arguments import Parser
from statistik.cli.common import (EXIT_BUSY, EXIT_INTERRUPTED, EXIT_OK, EXIT_REJECTED, EXIT_USAGE, interrupted,
                                  log_failure, waiting, warn)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser for every sub-command."""
    parser = Parser(
        prog="statistik", description="Kriminalitetsstatistik for en politikreds (valgt med STATISTIK_POLITIKREDS).")
    sub = parser.add_subparsers(dest="command", metavar="KOMMANDO", required=True)
    user = getpass.getuser()
    for module in (data, dst, reports, compare, backups, users):
        module.register(sub, user)
    return parser


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `statistik` command."""
    args = build_parser().parse_args(argv)
    if problems := config.problems():
        for problem in problems:
            warn(problem)
        return EXIT_USAGE
    try:
        if not getattr(args, "opens_store", True):
            return args.func(args)
        return args.func(bootstrap.ready_store(on_wait=waiting), args)
    except store.StoreBusy as e:
        warn(str(e))
        return EXIT_BUSY
    except (store.StoreUnwritable, store.StoreUnusable) as e:   # a full disk, a read-only folder, not a store
        warn(str(e))
        return EXIT_REJECTED
    except BrokenPipeError:
        # The reader stopped early (`statistik export | head`); that is not an error.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except (KeyboardInterrupt, Exception) as e:
        if interrupted(e):
            warn("Afbrudt. En skrivning er enten gemt helt eller slet ikke.")
            return EXIT_INTERRUPTED
        # A bug: the traceback goes to the error log, the user gets its id.
        error_id = log_failure(f"statistik {args.command}")
        warn(f"statistik {args.command} stoppede på grund af en fejl i programmet (fejl-id {error_id}). "
             "En skrivning er enten gemt helt eller slet ikke. Send kommandoen og fejl-id'et til den, "
             "der driver statistik.")
        return EXIT_REJECTED
