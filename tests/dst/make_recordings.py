"""Make the recorded `tableinfo` answers in this folder from the shipped files (run from the project root).

The shape is the one Statistikbanken's API documents for `tableinfo` (id, text, unit, updated,
variables with id, text, elimination, time and values of id and text). The values are the shipped
files' areas, offence codes and periods, plus three STRAF11 codes the shipped data lack (see README.md).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "data"
HERE = Path(__file__).parent
EXTRA_OFFENCES = [("1", "Straffelov i alt"), ("13", "Ejendomsforbrydelser i alt"), ("1350", "Bedrageri")]


def rows(name: str) -> list[dict[str, str]]:
    with open(DATA / name, encoding="utf-8", newline="") as f:
        return list(csv.DictReader(f, delimiter=";"))


def values(pairs) -> list[dict[str, str]]:
    return [{"id": code, "text": text} for code, text in pairs]


def main() -> None:
    areas = {r["OMRÅDE"]: r["navn"] for r in rows("omraader.csv")}
    straf11 = rows("straf11_2016K1-2025K4_koder.csv")
    folk1a = rows("folk1a_2016-2025_koder.csv")
    shipped = {r["kode"]: r["navn"] for r in rows("kategorier.csv") if r["oprindelse"] == "dst"}
    offences = sorted({**shipped, **dict(EXTRA_OFFENCES)}.items(), key=lambda kv: (kv[0] != "TOT", kv[0]))
    quarters = sorted({r["TID"] for r in straf11})
    straf11_areas = sorted({r["OMRÅDE"] for r in straf11})
    info = {
        "id": "STRAF11", "text": "Anmeldte forbrydelser", "unit": "Antal", "suppressedDataValue": "0",
        "updated": "2026-02-10T08:00:00", "active": True,
        "variables": [
            {"id": "OMRÅDE", "text": "område", "elimination": True, "time": False,
             "values": values((a, areas[a]) for a in straf11_areas)},
            {"id": "OVERTRÆD", "text": "overtrædelsens art", "elimination": True, "time": False,
             "values": values(offences)},
            {"id": "Tid", "text": "tid", "elimination": False, "time": True, "values": values((q, q) for q in quarters)},
        ],
    }
    (HERE / "straf11_tableinfo.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")
    years = sorted({r["TID"][:4] for r in folk1a})
    info = {
        "id": "FOLK1A", "text": "Befolkningen den 1. i kvartalet", "unit": "Antal", "suppressedDataValue": "0",
        "updated": "2026-02-11T08:00:00", "active": True,
        "variables": [
            {"id": "OMRÅDE", "text": "område", "elimination": True, "time": False,
             "values": values((a, areas[a]) for a in sorted({r["OMRÅDE"] for r in folk1a}))},
            {"id": "KØN", "text": "køn", "elimination": True, "time": False,
             "values": values([("TOT", "I alt"), ("1", "Mænd"), ("2", "Kvinder")])},
            {"id": "ALDER", "text": "alder", "elimination": True, "time": False,
             "values": values([("IALT", "Alder i alt"), ("0", "0 år"), ("1", "1 år")])},
            {"id": "CIVILSTAND", "text": "civilstand", "elimination": True, "time": False,
             "values": values([("TOT", "I alt"), ("U", "Ugift"), ("G", "Gift/separeret")])},
            {"id": "Tid", "text": "tid", "elimination": False, "time": True,
             "values": values((f"{y}K{q}", f"{y}K{q}") for y in years for q in range(1, 5))},
        ],
    }
    (HERE / "folk1a_tableinfo.json").write_text(json.dumps(info, ensure_ascii=False, indent=1), encoding="utf-8")


if __name__ == "__main__":
    main()
