"""The command line's argument parser in Danish: argparse's own messages and headings are English.

`Parser` is argparse's parser with its usage errors and help headings said in Danish (the sub-command
parsers are made of the same class). A message it does not know keeps its English words, with the
Danish frame around it.
"""

from __future__ import annotations

import argparse
import re
import sys
from typing import NoReturn

_ERRORS = [
    (r"the following arguments are required: (.*)", "mangler {0}"),
    (r"unrecognized arguments: (.*)", "ukendt: {0}"),
    (r"argument (.*?): invalid choice: (.*?) \(choose from (.*)\)", "{0}: {1} findes ikke (vælg mellem {2})"),
    (r"argument (.*?): expected one argument", "{0} skal have en værdi"),
    (r"argument (.*?): expected at least one argument", "{0} skal have mindst én værdi"),
    (r"argument (.*?): expected at most one argument", "{0} må højst have én værdi"),
    (r"argument (.*?): ignored explicit argument (.*)", "{0} tager ingen værdi ({1})"),
    (r"argument (.*?): invalid \w+ value: (.*)", "{0}: {1} er ikke en gyldig værdi"),
    (r"argument (.*?): not allowed with argument (.*)", "{0} kan ikke bruges sammen med {1}"),
    (r"one of the arguments (.*) is required", "et af {0} skal gives"),
    (r"ambiguous option: (.*?) could match (.*)", "{0} kan betyde flere: {1}"),
    (r"argument (.*?): (.*)", "{0}: {1}"),    # a message of our own (ArgumentTypeError), already Danish
]
_HEADINGS = [("usage: ", "brug: "), ("\noptions:\n", "\ntilvalg:\n"), ("\npositional arguments:\n", "\nargumenter:\n"),
             ("show this help message and exit", "vis denne hjælp og stop")]


def danish(message: str) -> str:
    """argparse's error `message` in Danish."""
    for pattern, text in _ERRORS:
        if found := re.fullmatch(pattern, message, flags=re.DOTALL):
            return text.format(*found.groups())
    return message


class Parser(argparse.ArgumentParser):
    """An ArgumentParser that speaks Danish to the user."""

    def format_usage(self) -> str:
        return _headings(super().format_usage())

    def format_help(self) -> str:
        return _headings(super().format_help())

    def error(self, message: str) -> NoReturn:
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: fejl: {danish(message)}. Se '{self.prog} --help'.\n")


def _headings(text: str) -> str:
    for english, dansk in _HEADINGS:
        text = text.replace(english, dansk)
    return text
