"""Denmark's 12 police districts: which one this installation serves, and which areas make each.

This module is the one answer to "which district, which municipalities". The mapping is the
shipped `data/politikredse_kommuner.csv` (derived from DAGI); `STATISTIK_POLITIKREDS` chooses the
district. The store holds no districts: the same store opened with another setting serves that
district. A district is a derived area with a code of its own ('pk2', 'pk11'), never stored: its
figures are the sum of its members'.

Christiansø (411) lies in Bornholms Politi but is no municipality: STRAF11 counts its offences,
FOLK1A has no population for it (Region Hovedstaden's does include it), and police files seldom
name it. A district's figure therefore needs every member municipality and adds Christiansø when
it is there.
"""

from __future__ import annotations

import csv
import functools
from dataclasses import dataclass
from pathlib import Path

from statistik import config, formatting

MAPPING_FILE = "politikredse_kommuner.csv"
AREAS_FILE = "omraader.csv"
CODE_PREFIX = "pk"
# Codes from before the district was a setting (links, `summary --area kbh`): always district 11.
LEGACY_CODES = {"kbh": "pk11"}
# Words that mean "the district this installation serves" wherever an area is asked for.
OWN_DISTRICT_WORDS = ("kreds", "politikreds")


@dataclass(frozen=True)
class District:
    """One police district: its number, its police and the areas it covers."""

    number: int
    police: str                      # 'Østjyllands Politi': the police, and the source of its own figures
    members: tuple[str, ...]         # every area code in the district, by code
    municipalities: tuple[str, ...]  # the members every district figure needs (all but Christiansø)
    regions: tuple[str, ...]         # the regions its municipalities lie in (two for districts 3 and 4)
    member_names: tuple[str, ...]    # the members' names, in the order of `members`

    @property
    def code(self) -> str:
        """The derived area's code: 'pk2'."""
        return f"{CODE_PREFIX}{self.number}"

    @property
    def name(self) -> str:
        """The district as an area: 'Østjyllands Politikreds'."""
        return self.police.removesuffix("Politi") + "Politikreds"

    @property
    def members_phrase(self) -> str:
        """The members together in a sentence: 'de fire kommuner', or 'Bornholm og Christiansø'."""
        if self.extras or len(self.members) == 1:
            return formatting.and_list(list(self.member_names))
        return f"de {formatting.count_word(len(self.members))} kommuner"

    @property
    def with_members(self) -> str:
        """The district and its members: 'Københavns Politikreds og de fire kommuner', or
        'Bornholms Politikreds, Bornholm og Christiansø'."""
        if self.extras or len(self.members) == 1:
            return formatting.and_list([self.name, *self.member_names])
        return f"{self.name} og {self.members_phrase}"

    @property
    def extras(self) -> tuple[str, ...]:
        """Members that are not municipalities (Christiansø): added when they have a figure, never required."""
        return tuple(m for m in self.members if m not in self.municipalities)

    @property
    def extra_names(self) -> list[str]:
        """The names of `extras`."""
        return [n for m, n in zip(self.members, self.member_names) if m in self.extras]

    @property
    def needed_phrase(self) -> str:
        """Who must have a figure for the district to have one: 'alle fire', or 'Bornholm'."""
        if len(self.municipalities) == 1:
            return next(n for m, n in zip(self.members, self.member_names) if m in self.municipalities)
        return f"alle {formatting.count_word(len(self.municipalities))}"


def _read(path: Path) -> list[dict[str, str]]:
    with open(path, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


@functools.lru_cache(maxsize=4)
def _load(data_dir: Path) -> tuple[District, ...]:
    areas = {r["OMRÅDE"]: r for r in _read(data_dir / AREAS_FILE)}
    rows = _read(data_dir / MAPPING_FILE)
    by_number: dict[int, list[dict[str, str]]] = {}
    for row in rows:
        by_number.setdefault(int(row["politikreds_nr"]), []).append(row)
    codes = [r["kommune_kode"] for r in rows]
    municipalities = {c for c, a in areas.items() if a["type"] == "kommune"}
    # The shipped file is program data: a broken copy is a bug, not a user's mistake.
    if sorted(by_number) != list(config.DISTRICT_NUMBERS) or len(codes) != len(set(codes)) \
            or not municipalities <= set(codes) or not set(codes) <= set(areas):
        raise RuntimeError(f"{data_dir / MAPPING_FILE} skal fordele alle 98 kommuner på de 12 politikredse.")
    out = []
    for number, members in sorted(by_number.items()):
        names = {m["politikreds"] for m in members}
        if len(names) != 1 or not next(iter(names)).endswith(" Politi"):
            raise RuntimeError(f"Politikreds {number} har navnene {sorted(names)} i {MAPPING_FILE}.")
        member_codes = tuple(sorted(m["kommune_kode"] for m in members))
        in_district = tuple(c for c in member_codes if c in municipalities)
        out.append(District(number, names.pop(), member_codes, in_district,
                            tuple(sorted({areas[c]["region"] for c in in_district})),
                            tuple(areas[c]["navn"] for c in member_codes)))
    return tuple(out)


def all_districts(data_dir: Path = config.DATA_DIR) -> tuple[District, ...]:
    """The 12 districts, by number."""
    return _load(Path(data_dir))


def current() -> District:
    """The district this installation serves (STATISTIK_POLITIKREDS); config.SettingError if it is invalid."""
    return all_districts()[config.politikreds() - 1]


def by_code(code: str) -> District | None:
    """The district of a derived area code ('pk2', or the old 'kbh'), or None for any other code."""
    code = LEGACY_CODES.get(code, code)
    if not code.startswith(CODE_PREFIX) or not code[len(CODE_PREFIX):].isdigit():
        return None
    number = int(code[len(CODE_PREFIX):])
    return all_districts()[number - 1] if number in config.DISTRICT_NUMBERS else None


def codes() -> list[str]:
    """The 12 derived area codes, by number."""
    return [d.code for d in all_districts()]


def resolve(text: str) -> District | None:
    """A district named by code, name or police ('pk2', 'Østjyllands Politikreds', 'Østjyllands Politi'),
    or the installation's own ('kreds', 'politikreds'); None when the text names no district."""
    wanted = str(text).strip().casefold()
    if wanted in OWN_DISTRICT_WORDS:
        return current()
    found = by_code(wanted)
    if found is not None:
        return found
    return next((d for d in all_districts() if wanted in (d.name.casefold(), d.police.casefold())), None)


def area_names() -> dict[str, str]:
    """Derived area code → name, for the 12 districts."""
    return {d.code: d.name for d in all_districts()}
