"""`statistik user`: local dashboard accounts; touches only the users file, never the store."""

from __future__ import annotations

import getpass
import os

from statistik import accounts, config
from statistik.cli.common import EXIT_OK, EXIT_REJECTED, say, warn

NEW_PASSWORD_ENV = "STATISTIK_NEW_PASSWORD"  # `user add` reads the password from here if set


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
            say(f"Brugeren {account.username} ({account.role}) er gemt i {path}.")
        elif args.action == "remove":
            say(f"Brugeren {accounts.remove_account(args.username, path).username} er fjernet.")
        else:
            listed = accounts.load_accounts(path).values()
            say("\n".join(f"{a.username:<20} {a.role:<11} {a.name}" for a in listed)
                 or f"Ingen lokale brugere i {path}.")
    except (ValueError, OSError) as e:  # OSError: the users file cannot be written
        warn(str(e))
        return EXIT_REJECTED
    return EXIT_OK


def register(sub, user: str) -> None:
    """Add the command's parser."""
    p = sub.add_parser("user", help="lokale brugerkonti til dashboardet (rører ikke databasen)")
    usub = p.add_subparsers(dest="action", metavar="HANDLING", required=True)
    text = (f"tilføj en bruger; adgangskoden (mindst {accounts.MIN_PASSWORD_LENGTH} tegn, ikke en af de mest brugte) "
            "spørges om "
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
