"""A stand-in for Statistikbanken's API on 127.0.0.1, for offline tests of fetch-dst.

`tableinfo` answers with the recordings in tests/dst/; `data` answers in the BULK format (codes,
`;`, a header, no row for a value of 0) with the rows of the shipped files that the request
selects, so every number is DST's own. What a test changes: `revise` (a corrected cell), `error`
(the API's JSON error), `delay` (seconds before answering), `malformed` (a body instead of BULK).
Every request is kept in `requests` as (function, JSON body).
"""

from __future__ import annotations

import csv
import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RECORDINGS = Path(__file__).parent / "dst"
HEADERS = {"STRAF11": ["OMRÅDE", "OVERTRÆD", "TID", "INDHOLD"], "FOLK1A": ["OMRÅDE", "TID", "INDHOLD"]}
SHIPPED = {"STRAF11": "straf11_2016K1-2025K4_koder.csv", "FOLK1A": "folk1a_2016-2025_koder.csv"}


def _rows(table: str) -> list[dict[str, str]]:
    with open(ROOT / "data" / SHIPPED[table], encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f, delimiter=";"))
    if table == "STRAF11":
        # The three codes of the recording the shipped file lacks, made from its own figures (README.md).
        extra = []
        by_key = {(r["OMRÅDE"], r["TID"], r["OVERTRÆD"]): int(r["INDHOLD"]) for r in rows}
        for (area, tid, code), n in by_key.items():
            if code != "TOT":
                continue
            parts = {c: by_key.get((area, tid, c), 0) for c in ("1316", "1320", "1332", "1336", "3210", "3410")}
            extra += [
                {"OMRÅDE": area, "OVERTRÆD": "1", "TID": tid, "INDHOLD": str(n - parts["3210"] - parts["3410"])},
                {"OMRÅDE": area, "OVERTRÆD": "13", "TID": tid,
                 "INDHOLD": str(parts["1316"] + parts["1320"] + parts["1332"] + parts["1336"])},
                {"OMRÅDE": area, "OVERTRÆD": "1350", "TID": tid, "INDHOLD": str(n // 20)},
            ]
        rows += extra
    return rows


class StandIn:
    """The server; use as a context manager. `url` is the base URL to put in STATISTIK_DST_API."""

    def __init__(self) -> None:
        self.data = {table: _rows(table) for table in SHIPPED}
        self.info = {t: json.loads((RECORDINGS / f"{t.lower()}_tableinfo.json").read_text(encoding="utf-8"))
                     for t in SHIPPED}
        self.requests: list[tuple[str, dict]] = []
        self.revise: dict[tuple[str, ...], int] = {}   # (table, *key values) → value answered instead
        self.error: dict | None = None                   # answered with status 400 to every call
        self.delay = 0.0
        self.malformed: bytes | None = None              # answered to `data` instead of BULK
        standin = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args) -> None:        # quiet
                pass

            def do_POST(self) -> None:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))) or b"{}")
                function = self.path.rstrip("/").rsplit("/", 1)[-1]
                standin.requests.append((function, body))
                time.sleep(standin.delay)
                status, content_type, payload = standin.answer(function, body)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        """Base URL, like https://api.statbank.dk/v1."""
        return f"http://127.0.0.1:{self.server.server_address[1]}/v1"

    def __enter__(self) -> StandIn:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()

    def _json(self, status: int, value) -> tuple[int, str, bytes]:
        return status, "application/json; charset=utf-8", json.dumps(value, ensure_ascii=False).encode("utf-8")

    def answer(self, function: str, body: dict) -> tuple[int, str, bytes]:
        """What the API would answer."""
        if self.error is not None:
            return self._json(400, self.error)
        table = str(body.get("table", "")).upper()
        if table not in SHIPPED:
            return self._json(400, {"errorTypeCode": "TABLE-NOTFOUND", "message": f"Tabellen {table} findes ikke"})
        if function == "tableinfo":
            return self._json(200, self.info[table])
        if function != "data":
            return self._json(404, {"errorTypeCode": "UNKNOWN-FUNCTION", "message": function})
        if body.get("format") != "BULK" or body.get("valuePresentation") != "Code":
            return self._json(400, {"errorTypeCode": "FORMAT", "message": "kun BULK med koder her"})
        if self.malformed is not None:
            return 200, "text/html; charset=utf-8", self.malformed
        return 200, "text/csv; charset=utf-8", self._bulk(table, body.get("variables", []))

    def _bulk(self, table: str, variables: list[dict]) -> bytes:
        header = HEADERS[table]
        chosen = {}
        for v in variables:
            column = next(c for c in header if c.casefold() == str(v["code"]).casefold())
            if v["values"] != ["*"]:
                chosen[column] = set(v["values"])
        lines = [";".join(header)]
        for row in self.data[table]:
            if all(row[c] in values for c, values in chosen.items()):
                key = (table, *(row[c] for c in header[:-1]))
                value = self.revise.get(key, int(row["INDHOLD"]))
                if value != 0:                      # BULK has no row for a value of 0
                    lines.append(";".join([*(row[c] for c in header[:-1]), str(value)]))
        return ("\n".join(lines) + "\n").encode("utf-8")
