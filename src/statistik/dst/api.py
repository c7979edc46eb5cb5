"""Statistikbanken's API (api.statbank.dk/v1): `tableinfo` and `data` in the BULK format, with a timeout.

Two calls are used, both POSTed as JSON as the API's documentation recommends: `tableinfo` (a
table's variables and their values: areas, offence codes and names, periods) and `data` with
`format: "BULK"` and `valuePresentation: "Code"` (`;`-separated, a header, one row per combination;
a combination whose value is 0 has no row). No network, a timeout, an error answer such as
`{"errorTypeCode": "EXTRACT-NOTALLOWED", "message": "…"}` or an answer of another shape raise
DstError with a Danish message; nothing has been written then.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

from statistik import config

if TYPE_CHECKING:
    import httpx

BULK_HEADERS = {"STRAF11": "OMRÅDE;OVERTRÆD;TID;INDHOLD", "FOLK1A": "OMRÅDE;TID;INDHOLD"}
NOTHING_WRITTEN = "Intet er gemt."


class DstError(Exception):
    """Statistikbanken could not be reached or gave an answer that cannot be used; the message is Danish."""


@dataclass(frozen=True)
class Variable:
    """One variable of a table: its code, whether it is the time, and its values as (code, text)."""

    id: str
    text: str
    time: bool
    values: tuple[tuple[str, str], ...]

    def codes(self) -> list[str]:
        """The value codes, in the table's order."""
        return [code for code, _ in self.values]

    def names(self) -> dict[str, str]:
        """Value code → text."""
        return dict(self.values)


@dataclass(frozen=True)
class TableInfo:
    """What `tableinfo` says about a table."""

    table: str
    text: str
    updated: str | None
    variables: tuple[Variable, ...]

    def variable(self, code: str) -> Variable:
        """The variable with this code (DST writes 'Tid' where the data say 'TID'); DstError if there is none."""
        for v in self.variables:
            if v.id.casefold() == code.casefold():
                return v
        raise DstError(f"Danmarks Statistiks tabel {self.table} har ikke variablen {code}; "
                       f"den har {', '.join(v.id for v in self.variables)}. {NOTHING_WRITTEN}")

    @property
    def time(self) -> Variable:
        """The time variable."""
        return next((v for v in self.variables if v.time), None) or self.variable("Tid")


def _shape_error(table: str, call: str, what: str) -> DstError:
    return DstError(f"Svaret fra Danmarks Statistik ({call} for {table}) har ikke den form, API'et beskriver: "
                    f"{what}. {NOTHING_WRITTEN}")


def parse_tableinfo(table: str, answer: object) -> TableInfo:
    """A `tableinfo` answer (decoded JSON) as TableInfo; DstError if it lacks what is used."""
    if not isinstance(answer, dict) or not isinstance(answer.get("variables"), list) or not answer["variables"]:
        raise _shape_error(table, "tableinfo", "der er ingen liste af variable")
    variables = []
    for v in answer["variables"]:
        if not isinstance(v, dict) or not isinstance(v.get("id"), str) or not isinstance(v.get("values"), list):
            raise _shape_error(table, "tableinfo", "en variabel mangler id eller værdier")
        values = []
        for value in v["values"]:
            if not isinstance(value, dict) or not isinstance(value.get("id"), str):
                raise _shape_error(table, "tableinfo", f"en værdi af {v['id']} mangler sit id")
            values.append((value["id"], str(value.get("text", value["id"]))))
        variables.append(Variable(v["id"], str(v.get("text", v["id"])), bool(v.get("time", False)), tuple(values)))
    return TableInfo(str(answer.get("id", table)), str(answer.get("text", table)), answer.get("updated"),
                     tuple(variables))


def _error_message(response: httpx.Response) -> str | None:
    """The API's own error ('errorTypeCode' and 'message'), if the answer is one."""
    if not response.content.lstrip()[:1] == b"{":
        return None
    try:
        body = response.json()
    except (json.JSONDecodeError, UnicodeDecodeError):
        return None
    if isinstance(body, dict) and ("errorTypeCode" in body or ("message" in body and response.is_error)):
        code = body.get("errorTypeCode") or f"HTTP {response.status_code}"
        return f"{code}: {body.get('message') or 'ingen forklaring'}"
    return None


class Client:
    """Calls Statistikbanken's API at `base_url` (default STATISTIK_DST_API) with a timeout in seconds."""

    def __init__(self, base_url: str | None = None, timeout: float | None = None):
        self.base_url = (base_url or config.dst_api()).rstrip("/")
        self.timeout = config.dst_timeout() if timeout is None else timeout

    def _post(self, function: str, body: dict, table: str) -> httpx.Response:
        import httpx  # here, not at the top: every `statistik` command loads this module, few ask DST (~30 ms)

        url = f"{self.base_url}/{function}"
        try:
            with httpx.Client(timeout=self.timeout, follow_redirects=True) as http:
                response = http.post(url, json=body, headers={"Accept": "*/*"})
        except httpx.TimeoutException:
            seconds = f"{self.timeout:g}".replace(".", ",")
            raise DstError(f"Danmarks Statistiks API ({self.base_url}) svarede ikke inden for "
                           f"{seconds} sekunder (STATISTIK_DST_TIMEOUT_S). Prøv igen senere. {NOTHING_WRITTEN}") from None
        except httpx.HTTPError as e:   # no network, refused, DNS, TLS
            raise DstError(f"Kunne ikke få forbindelse til Danmarks Statistiks API ({self.base_url}): "
                           f"{e.__class__.__name__}: {e}. Tjek netværksforbindelsen og STATISTIK_DST_API, "
                           f"eller prøv igen senere. {NOTHING_WRITTEN}") from None
        if (error := _error_message(response)) is not None:
            raise DstError(f"Danmarks Statistik afviste forespørgslen på {table} ({error}). {NOTHING_WRITTEN}")
        if response.status_code != 200:
            raise DstError(f"Danmarks Statistiks API svarede med HTTP-status {response.status_code} på {function} "
                           f"for {table}. {NOTHING_WRITTEN}")
        return response

    def tableinfo(self, table: str) -> TableInfo:
        """What the table has: variables, values, periods."""
        response = self._post("tableinfo", {"table": table, "format": "JSON", "lang": "da"}, table)
        try:
            answer = response.json()
        except (json.JSONDecodeError, UnicodeDecodeError):
            raise _shape_error(table, "tableinfo", "svaret er ikke JSON") from None
        return parse_tableinfo(table, answer)

    def bulk(self, table: str, variables: dict[str, list[str]]) -> bytes:
        """The table's figures for the chosen values, as BULK with codes; the header is checked."""
        body = {"table": table, "format": "BULK", "valuePresentation": "Code", "lang": "da",
                "variables": [{"code": code, "values": values} for code, values in variables.items()]}
        content = self._post("data", body, table).content
        try:
            first = content.decode("utf-8-sig").split("\n", 1)[0].strip()
        except UnicodeDecodeError:
            raise _shape_error(table, "data", "svaret er ikke UTF-8-tekst") from None
        expected = BULK_HEADERS.get(table)
        if expected and first.upper() != expected:
            raise _shape_error(table, "data", f"første linje er {first[:80]!r}, ikke {expected!r}")
        return content
