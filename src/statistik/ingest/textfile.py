"""Opening an import file: size, encoding, delimiter, and a sample of its first lines.

DuckDB reads the whole file later; this module only looks at the head, and makes a UTF-8
copy when the file is in another encoding (DuckDB reads UTF-8 only without extensions).
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import re
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from statistik import config
from statistik.formatting import number
from statistik.ingest.problems import Problem, Rejected
from statistik.vocabulary import visible

HEAD_BYTES = 1 << 20
csv.field_size_limit(4 * HEAD_BYTES)  # a long line in the sampled head is read, not a crash
SAMPLE_RECORDS = 400
DELIMITERS = (";", "\t", ",", "|")
DELIMITER_NAMES = {";": "semikolon", "\t": "tabulator", ",": "komma", "|": "lodret streg"}

_MAGIC = {
    b"PK\x03\x04": "et Excel-regneark (.xlsx) eller en zip-fil",
    b"\xd0\xcf\x11\xe0": "et gammelt Excel-regneark (.xls)",
    b"%PDF": "en PDF-fil",
}

# Files that are text but no table: a web page saved by a browser (or an error page instead of a
# download), Excel's XML spreadsheet, JSON from an API.
_MARKUP_FILES = [
    (re.compile(r"\ufeff?\s*(<!doctype html|<html|<head|<body|<table)", re.IGNORECASE), "en HTML-side"),
    (re.compile(r"\ufeff?\s*<\?xml", re.IGNORECASE), "en XML-fil (fx et Excel XML-regneark)"),
    (re.compile(r"\ufeff?\s*(\{\s*\"|\[\s*[{\[\"])"), "JSON"),
]


@dataclass
class TextFile:
    """An import file made ready for DuckDB: a UTF-8 path, its dialect and a parsed sample."""

    name: str
    encoding: str                 # as shown to the user: 'UTF-8', 'Windows-1252', 'UTF-16'
    utf8_path: Path               # the file itself, or a UTF-8 copy
    delimiter: str
    records: list[tuple[int, list[str]]]   # sample: (physical line, fields), blank lines left out
    multiline: bool = False       # quoted fields span lines (Excel Alt+Enter): read serially
    warnings: list[Problem] = field(default_factory=list)   # said in the plan (a stray byte, a sep= line)
    newlines_normalized: bool = False
    _tmpdir: tempfile.TemporaryDirectory | None = field(default=None, repr=False)

    def close(self) -> None:
        """Remove the UTF-8 copy, if one was made."""
        if self._tmpdir is not None:
            self._tmpdir.cleanup()
            self._tmpdir = None

    def __enter__(self) -> TextFile:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def physical_lines(self, after_line: int, rows: set[int], skip: set[int] = frozenset()) -> dict[int, int]:
        """Physical line where each `row`-th (1-based) record after line `after_line` starts.

        DuckDB skips blank lines and the rows it rejects (`skip`, physical lines), and a quoted
        field may span lines, so its row numbers are mapped back to lines by reading the file
        once more, up to the last row asked for (nothing but the answers is kept).
        """
        found: dict[int, int] = {}
        wanted = {r for r in rows if r}
        if not wanted:
            return found
        last = max(wanted)
        starts = (line for line in _record_starts(self.utf8_path, after_line, self.delimiter, self.multiline)
                  if line not in skip)
        for row, line in enumerate(starts, start=1):
            if row in wanted:
                found[row] = line
            if row >= last:
                break
        return found


def sha256_of(path: Path, nul: list[int] | None = None) -> str:
    """SHA-256 of a file, streamed; appends the offset of its first NUL byte to `nul`, if any."""
    digest = hashlib.sha256()
    offset = 0
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 24), b""):
            digest.update(block)
            if nul is not None and not nul and b"\x00" in block:
                nul.append(offset + block.index(b"\x00"))
            offset += len(block)
    return digest.hexdigest()


def nul_problem(tf: TextFile, path: Path, offset: int) -> Problem | None:
    """The problem of a NUL byte at `offset` of a file in a single-byte or UTF-8 encoding.

    The head is checked when the file is opened; this finds one further down (UTF-16 text has
    NUL bytes in every other byte, and its copy in UTF-8 is checked when it is made).
    """
    if tf.encoding.startswith("UTF-16"):
        return None
    with open(path, "rb") as f:
        line = sum(block.count(b"\n") for block in _blocks(f, offset)) + 1
    return Problem("linjen indeholder NUL-tegn (byte 0), som ikke hører hjemme i en CSV-fil", line=line,
                   fix="gem filen igen fra Excel eller systemet, den kommer fra")


def _blocks(f, size: int) -> Iterator[bytes]:
    while size > 0:
        block = f.read(min(size, 1 << 24))
        if not block:
            return
        size -= len(block)
        yield block


def _record_starts(path: Path, after_line: int, delimiter: str, multiline: bool) -> Iterator[int]:
    """The physical line on which each record after `after_line` starts, as DuckDB counts records."""
    with open(path, encoding="utf-8-sig", newline="") as f:
        lines = iter(f)  # universal newlines: \n, \r\n and a lone \r all end a line
        for _ in range(after_line):
            next(lines, None)
        if not multiline:
            for number, line in enumerate(lines, start=after_line + 1):
                if line.strip("\r\n"):
                    yield number
            return
        reader = csv.reader(lines, delimiter=delimiter)
        line = after_line + 1
        for fields in reader:
            if fields:
                yield line
            line = after_line + reader.line_num + 1


def _detect_encoding(head: bytes, complete: bool) -> str:
    """Python codec name for the file, judged from its head."""
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    sample = head[:4000]
    if sample and sample.count(b"\x00") > len(sample) // 4:
        # UTF-16 without a byte order mark: every other byte of ASCII text is NUL.
        return "utf-16-le" if sample[1:2] == b"\x00" else "utf-16-be"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=complete)
        return "utf-8"
    except UnicodeDecodeError:
        pass
    return _legacy_codec(head)


def _legacy_codec(raw: bytes) -> str:
    """Windows-1252, or Latin-1 when the bytes use one of the five Windows-1252 leaves undefined."""
    return "latin-1" if re.search(rb"[\x81\x8d\x8f\x90\x9d]", raw) else "cp1252"


ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8 med BOM",
    "utf-16": "UTF-16",
    "utf-16-le": "UTF-16",
    "utf-16-be": "UTF-16",
    "cp1252": "Windows-1252",
    "latin-1": "Latin-1",
}


def _counting_codec(encoding: str, path: Path) -> str:
    """A stateless codec for counting lines in a part of the file (UTF-16 with its byte order)."""
    if encoding == "utf-16":
        with open(path, "rb") as f:
            return "utf-16-be" if f.read(2) == codecs.BOM_UTF16_BE else "utf-16-le"
    return encoding


def _transcode(path: Path, encoding: str, target: Path, normalize: bool = False) -> list[Problem]:
    """Write `path` as UTF-8 to `target`; Rejected naming the line of bytes that are no text.

    Returns warnings for the plan: a UTF-16 file whose last line is complete but that ends in
    one stray byte (an odd length, e.g. a newline added by another program) is read without it.
    With `normalize`, every line end (LF, CRLF, CR) is written as LF.
    """
    decoder = codecs.getincrementaldecoder(encoding)()
    newlines, last, carry = 0, "", ""
    with open(path, "rb") as src, open(target, "w", encoding="utf-8", newline="") as dst:
        while True:
            block = src.read(1 << 22)
            try:
                text = decoder.decode(block, final=not block)
            except UnicodeDecodeError as e:
                done = e.object[:e.start].decode(_counting_codec(encoding, path), errors="replace")
                line = newlines + done.count("\n") + 1
                if encoding.startswith("utf-16") and not block and "truncated" in str(e.reason):
                    if (last + done).rstrip(" \x00").endswith(("\n", "\r")) or not (last + done).strip():
                        dst.write(done)
                        return [Problem("filen slutter med en enkelt byte, der ikke er et tegn (UTF-16 med et "
                                        "ulige antal bytes); den er sprunget over")]
                    raise Rejected([Problem(
                        "filen slutter midt i et tegn (UTF-16 med et ulige antal bytes); den sidste linje "
                        "kan være afskåret", line=newlines + done.count("\n") + 1,
                        fix="gem filen igen fra Excel som 'Unicode-tekst'")]) from None
                raise Rejected([Problem(
                    f"linjen indeholder bytes, der ikke er {ENCODING_NAMES.get(encoding, encoding)}",
                    line=line, fix="gem filen igen med ét tegnsæt, fx 'CSV UTF-8' i Excel")]) from None
            if normalize:
                text = carry + text
                carry = "\r" if text.endswith("\r") and block else ""
                text = (text[:-1] if carry else text).replace("\r\n", "\n").replace("\r", "\n")
            newlines += text.count("\n")
            if text:
                last = text[-1:]
            dst.write(text)
            if not block:
                return []


def normalize_newlines(tf: TextFile) -> None:
    """Rewrite the UTF-8 text with LF line ends only (DuckDB refuses LF and CRLF mixed)."""
    tmpdir = tempfile.TemporaryDirectory(prefix="statistik-")
    target = Path(tmpdir.name) / "utf8-lf.csv"
    _transcode(tf.utf8_path, "utf-8-sig", target, normalize=True)
    tf.close()
    tf.utf8_path, tf._tmpdir, tf.newlines_normalized = target, tmpdir, True


def _choose_delimiter(lines: list[str]) -> str:
    """The delimiter that splits the most lines into the same number (≥ 2) of fields."""
    best, best_score = ";", -1
    for delim in DELIMITERS:
        counts: dict[int, int] = {}
        for fields in csv.reader(lines, delimiter=delim):
            width = len(_trim(fields))
            if width >= 2:
                counts[width] = counts.get(width, 0) + 1
        score = max(counts.values(), default=0)
        if score > best_score:
            best, best_score = delim, score
    return best


def _trim(fields: list[str]) -> list[str]:
    """Fields without the empty ones at the end (Excel pads rows with ';;;')."""
    end = len(fields)
    while end and not fields[end - 1].strip():
        end -= 1
    return fields[:end]


def _records(lines: list[str], delimiter: str, offset: int) -> list[tuple[int, list[str]]]:
    reader = csv.reader(lines, delimiter=delimiter)
    out = []
    start = offset + 1
    for fields in reader:
        if any(f.strip() for f in fields):
            out.append((start, [f.strip() for f in fields]))
        start = offset + reader.line_num + 1
        if len(out) >= SAMPLE_RECORDS:
            break
    return out


def open_text_file(path: Path, name: str | None = None) -> TextFile:
    """Check the file and work out how to read it; raise Rejected if it is no CSV at all."""
    path = Path(path)
    name = visible(name or path.name).strip() or "fil"  # a name is shown and printed: no control characters
    size = path.stat().st_size
    if size == 0:
        raise Rejected([Problem("filen er tom")])
    if size > config.max_file_bytes():
        raise Rejected([Problem(
            f"filen fylder {number(size / 2**20)} MB; grænsen er {number(config.max_file_bytes() / 2**20)} MB",
            fix="del filen op, eller hæv grænsen med STATISTIK_MAX_FILE_MB",
        )])
    with open(path, "rb") as f:
        head = f.read(HEAD_BYTES)
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise Rejected([Problem(
                f"filen er {what}, ikke en CSV-fil",
                fix="gem den som 'CSV (semikolonsepareret)' i Excel og prøv igen",
            )])
    encoding = _detect_encoding(head, complete=size <= HEAD_BYTES)
    if encoding in ("cp1252", "latin-1"):
        _refuse_mixed_encodings(head.splitlines(keepends=True)[:-1] if size > HEAD_BYTES else head.splitlines())
    text = head.decode(encoding, errors="replace")
    for pattern, what in _MARKUP_FILES:
        if pattern.match(text):
            raise Rejected([Problem(f"filen er {what}, ikke en CSV-fil",
                                    fix="gem tabellen som 'CSV (semikolonsepareret)' i Excel, eller hent filen som CSV")])
    if _looks_binary(text) or encoding.startswith("utf-8") and text[:4000].count("\x00") > 2:
        raise Rejected([Problem("filen ligner ikke en tekstfil (CSV)",
                                fix="vælg den CSV-fil, der er gemt fra Excel eller politiets system")])
    if "\x00" in text:
        line = text[: text.index("\x00")].count("\n") + 1
        raise Rejected([Problem("linjen indeholder NUL-tegn (byte 0), som ikke hører hjemme i en CSV-fil",
                                line=line, fix="gem filen igen fra Excel eller systemet, den kommer fra")])
    text = text.lstrip("\ufeff")
    lines = re.split(r"\r\n|\n|\r", text)
    if size > HEAD_BYTES:
        lines = lines[:-1]  # the last one may be cut off
    offset = 0
    delimiter = None
    warnings: list[Problem] = []
    sep = re.match(r"^\s*sep=(.)\s*$", lines[0], re.IGNORECASE) if lines else None
    if sep:
        delimiter, offset, lines = sep.group(1), 1, lines[1:]
    if not any(line.strip() for line in lines):
        raise Rejected([Problem("filen er tom")])
    sniffed = _choose_delimiter(lines[:SAMPLE_RECORDS])
    if delimiter and delimiter != sniffed and _width(lines, delimiter) < 2 <= _width(lines, sniffed):
        warnings.append(Problem(
            f"linjen siger 'sep={delimiter}', men filen er adskilt med {DELIMITER_NAMES.get(sniffed, sniffed)}; "
            f"{DELIMITER_NAMES.get(sniffed, sniffed)} er brugt", line=1))
        delimiter = sniffed
    delimiter = delimiter or sniffed
    tmpdir = None
    utf8_path = path
    if encoding not in ("utf-8", "utf-8-sig"):
        tmpdir = tempfile.TemporaryDirectory(prefix="statistik-")
        utf8_path = Path(tmpdir.name) / "utf8.csv"
        try:
            warnings += _transcode(path, encoding, utf8_path)
        except BaseException:
            tmpdir.cleanup()
            raise
    return TextFile(
        name=name,
        encoding=ENCODING_NAMES[encoding],
        utf8_path=utf8_path,
        delimiter=delimiter,
        records=_records(lines, delimiter, offset),
        warnings=warnings,
        _tmpdir=tmpdir,
    )


def _width(lines: list[str], delimiter: str) -> int:
    """The most common number of fields (≥ 1) of the sampled lines with this delimiter."""
    counts: dict[int, int] = {}
    for fields in csv.reader([line for line in lines[:SAMPLE_RECORDS] if line.strip()], delimiter=delimiter):
        width = len(_trim(fields))
        counts[width] = counts.get(width, 0) + 1
    return max(counts, key=counts.get, default=0)


def _looks_binary(text: str) -> bool:
    sample = text[:4000]
    controls = sum(1 for ch in sample if ord(ch) < 32 and ch not in "\r\n\t")
    return controls > max(2, len(sample) // 100)


def reopen_as_legacy(tf: TextFile, original: Path) -> None:
    """The same file read as Windows-1252 (used when UTF-8 fails after the sampled head).

    A file that has UTF-8 letters on some lines and other bytes on others mixes encodings
    (rows pasted from another program): refused, naming the lines that are not UTF-8.
    """
    with open(original, "rb") as f:
        _refuse_mixed_encodings(f)
    tf.close()
    tmpdir = tempfile.TemporaryDirectory(prefix="statistik-")
    utf8_path = Path(tmpdir.name) / "utf8.csv"
    with open(original, "rb") as f:
        raw = f.read(1 << 16)
    encoding = _legacy_codec(raw)
    try:
        _transcode(original, encoding, utf8_path)
    except Rejected:
        encoding = "latin-1"
        _transcode(original, encoding, utf8_path)
    tf.encoding = ENCODING_NAMES[encoding]
    tf.utf8_path = utf8_path
    tf._tmpdir = tmpdir
    if tf.newlines_normalized:
        normalize_newlines(tf)


def _refuse_mixed_encodings(lines) -> None:
    """Rejected naming the lines that are not UTF-8, if other lines have UTF-8 letters beyond ASCII
    (rows pasted from another program into a UTF-8 file); nothing if the file is in one encoding."""
    bad: list[int] = []
    utf8 = False
    for number, line in enumerate(lines, start=1):
        if line.isascii():
            continue
        try:
            line.decode("utf-8")
            utf8 = True
        except UnicodeDecodeError:
            bad.append(number)
    if utf8 and bad:
        raise Rejected([Problem(
            "linjen er ikke gemt som UTF-8 som resten af filen (tegnene ligner Windows-1252, fx æ, ø, å)",
            line=bad[0], more_lines=len(bad) - 1,
            fix="gem hele filen igen med ét tegnsæt, fx 'CSV UTF-8' i Excel")])
