"""Settings: where things live and the few numbers that shape behaviour.

Every setting is (name, default, help); `SETTINGS` is the one table of them and a test
checks that each is documented in the README.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

PROJECT_ROOT = Path(__file__).resolve().parents[2]
DATA_DIR = PROJECT_ROOT / "data"

# The DST files a new store is filled with, imported as this user (not offered for undo).
SHIPPED_FILES = ("straf11_2016K1-2025K4_koder.csv", "folk1a_2016-2025_koder.csv")
SYSTEM_USER = "statistik"

DST_SOURCE = "Danmarks Statistik"
COUNTRY_CODE = "000"  # Hele landet
DISTRICT_NUMBERS = range(1, 13)  # Denmark's 12 police districts; see districts.py


class SettingError(ValueError):
    """A setting with a value the program cannot use; the message says which and why, in Danish."""


@dataclass(frozen=True)
class Setting:
    env: str
    default: str
    help: str

    def value(self) -> str:
        """The setting's value from the environment, or its default."""
        return os.environ.get(self.env) or self.default


SETTINGS = {
    "db": Setting("STATISTIK_DB", str(DATA_DIR / "statistik.duckdb"),
                  "Path of the DuckDB store; created with the shipped figures on first use."),
    "max_file_mb": Setting("STATISTIK_MAX_FILE_MB", "1024",
                           "Largest file the importer accepts, in MB."),
    "lock_wait_s": Setting("STATISTIK_LOCK_WAIT_S", "600",
                           "How long a write (import, undo, upload, briefing) waits for another writer, in seconds."),
    "memory_limit": Setting("STATISTIK_MEMORY_LIMIT", "1GB",
                            "DuckDB memory limit per process; larger work spills to disk."),
    "users": Setting("STATISTIK_USERS", str(DATA_DIR / "brugere.toml"),
                     "Local accounts (TOML, argon2 password hashes); used when no OIDC login is configured."),
    "organisation": Setting("STATISTIK_ORGANISATION", "<politikredsens politi>, Analyse",
                            "Who makes the briefing: named on its cover and as author in the PDF and Word metadata."),
    "public": Setting("STATISTIK_OFFENTLIG", "0",
                      "1: a public dashboard. Visitors who are not logged in see only figures that a final "
                      "public briefing printed (hidden ones as «skjult»), and download only the published briefings."),
    "session_hours": Setting("STATISTIK_SESSION_HOURS", "12",
                             "How long a local login lasts (reloads and links included) before logging in again, in hours."),
    "politikreds": Setting("STATISTIK_POLITIKREDS", "11",
                           "The police district this installation serves, by number (1–12, as in "
                           "data/politikredse_kommuner.csv); 11 is Københavns Politi."),
    "warm": Setting("STATISTIK_VARM", "1",
                    "1: the dashboard computes the views pages asked for lately again in the background as soon as "
                    "the store changes (an import from the command line too), so the next page view finds them ready; 0: off."),
    "dst_api": Setting("STATISTIK_DST_API", "https://api.statbank.dk/v1",
                       "Base URL of Statistikbanken's API, used by fetch-dst and the upload page's fetch button."),
    "dst_timeout_s": Setting("STATISTIK_DST_TIMEOUT_S", "60",
                             "How long one request to Statistikbanken may take, in seconds."),
}


def db_path() -> Path:
    """Path of the store file."""
    return Path(SETTINGS["db"].value())


def max_file_bytes() -> int:
    """Largest accepted import file, in bytes."""
    return int(float(SETTINGS["max_file_mb"].value()) * 1024 * 1024)


def lock_wait_seconds() -> float:
    """How long a write waits for another writer."""
    return float(SETTINGS["lock_wait_s"].value())


def memory_limit() -> str:
    """DuckDB memory limit."""
    return SETTINGS["memory_limit"].value()


def users_path() -> Path:
    """Path of the local accounts file."""
    return Path(SETTINGS["users"].value())


def organisation() -> str:
    """Who makes the briefing: the setting, else the district's police and 'Analyse' ('Østjyllands Politi, Analyse')."""
    from statistik import districts  # districts reads its settings from here
    return os.environ.get(SETTINGS["organisation"].env, "").strip() or f"{districts.current().police}, Analyse"


def public() -> bool:
    """Whether the dashboard is public: visitors see published figures only."""
    return SETTINGS["public"].value().strip().lower() in ("1", "true", "ja", "yes")


def warm() -> bool:
    """Whether the dashboard warms its views after every change of the store."""
    return SETTINGS["warm"].value().strip().lower() in ("1", "true", "ja", "yes")


def session_hours() -> float:
    """How long a local login lasts."""
    return float(SETTINGS["session_hours"].value())


def politikreds() -> int:
    """The number of the police district the installation serves; SettingError for anything but 1–12."""
    setting = SETTINGS["politikreds"]
    raw = setting.value().strip()
    if raw.isdigit() and int(raw) in DISTRICT_NUMBERS:
        return int(raw)
    raise SettingError(
        f"{setting.env} er sat til {raw!r}, men skal være politikredsens nummer fra 1 til 12 "
        f"(fx 2 for Østjyllands Politi eller 11 for Københavns Politi); se data/politikredse_kommuner.csv."
    )


def dst_api() -> str:
    """Base URL of Statistikbanken's API; SettingError unless it is an http(s) address."""
    setting = SETTINGS["dst_api"]
    url = setting.value().strip()
    if not url.startswith(("https://", "http://")) or len(url) < 10:
        raise SettingError(f"{setting.env} er sat til {url!r}, men skal være en adresse, der begynder med "
                           "https:// (fx https://api.statbank.dk/v1).")
    return url


def dst_timeout() -> float:
    """Seconds one request to Statistikbanken may take; SettingError unless it is a positive number."""
    setting = SETTINGS["dst_timeout_s"]
    raw = setting.value().strip()
    try:
        seconds = float(raw.replace(",", "."))
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 3600:
        raise SettingError(f"{setting.env} er sat til {raw!r}, men skal være et antal sekunder over 0 og højst 3600 "
                           "(fx 60).")
    return seconds


def problems() -> list[str]:
    """Danish messages for every setting that cannot be used (empty when all are fine)."""
    out = []
    for check in (politikreds, dst_api, dst_timeout):
        try:
            check()
        except SettingError as e:
            out.append(str(e))
    return out
