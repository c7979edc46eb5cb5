"""Problems found in an import file, in Danish, with line and column."""

from __future__ import annotations

from dataclasses import dataclass


SHOWN_CHARS = 80
MAX_PROBLEMS = 100


def quote(value) -> str:
    """A value from the file as a message shows it: quoted, and cut after SHOWN_CHARS characters."""
    text = str(value)
    return repr(text if len(text) <= SHOWN_CHARS else text[:SHOWN_CHARS] + "…")


class Rejected(Exception):
    """A file that cannot be imported; carries every problem found."""

    def __init__(self, problems: list[Problem]):
        if len(problems) > MAX_PROBLEMS:  # a file of garbage: the first ones say enough
            rest = problems[MAX_PROBLEMS:]
            lines = sorted({p.line for p in rest if p.line is not None})
            problems = problems[:MAX_PROBLEMS] + [Problem(
                f"og {len(rest)} andre problemer" + (f" fra linje {lines[0]} og frem" if lines else ""),
                fix="ret de første, og prøv igen")]
        super().__init__("; ".join(p.message() for p in problems))
        self.problems = problems


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a file. `line` is the physical line (1-based) where it first occurs."""

    text: str
    line: int | None = None
    column: str | None = None
    more_lines: int = 0        # further lines with the same problem
    fix: str | None = None     # a suggestion, e.g. "mente du Frederiksberg?"
    other_lines: tuple[int, ...] = ()  # named further lines, e.g. the other half of a duplicate

    def message(self) -> str:
        """The problem as one Danish sentence: 'linje 4, kolonne kommune: ukendt kommune …'."""
        where = []
        if self.line is not None:
            lines = [str(n) for n in (self.line, *self.other_lines)]
            shown = lines[0] if len(lines) == 1 else ", ".join(lines[:-1]) + " og " + lines[-1]
            where.append(f"linje {shown}")
        if self.column:
            where.append(f"kolonne {self.column}")
        text = self.text
        more = self.more_lines - len(self.other_lines)
        if more > 0:
            text += f" (også i {more} {'anden linje' if more == 1 else 'andre linjer'})"
        if self.fix:
            text += f" — {self.fix}"
        return f"{', '.join(where)}: {text}" if where else text

    def sort_key(self) -> tuple:
        """Order problems by line, file-level problems first."""
        return (self.line or 0, self.column or "", self.text)
