"""CSV and JSON import and export, with the columns of the seed files.

Import reads the file once, into memory (at most MAX_IMPORT_BYTES), then goes
over that text twice: once to check every row (nothing written), once to
write the rows inside one transaction. Both passes parse the same text, so
what is written is exactly what was checked, even if the file on disk is
replaced meanwhile. Rows are parsed one at a time, so beyond the text itself
memory holds slugs and problems, not the file's records.

Encoding: UTF-8, with or without a byte-order mark. Any other encoding is
refused with the line of the first bad byte, rather than guessed: a wrong
guess would silently garble Chinese or Vietnamese names.

JSON files (a list of objects) are read whole before their objects are
checked one by one; for very large imports CSV keeps memory lowest.

CSV files may be comma- or semicolon-separated (spreadsheets in many
European locales save with semicolons); the header line decides. Blank rows
are skipped wherever they stand, above the header too, and line numbers
still count every line of the file.
"""

from __future__ import annotations

import collections
import csv
import json
import os
import re
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import TextIO

import sqlite_utils

from briefing_app.errors import ImportProblem, ImportValidationError, StoreError
from briefing_app.store import codec, queries
from briefing_app.store.connection import write_transaction
from briefing_app.store.entities import spec
from briefing_app.store.validation import FileValidator, parse_row
from briefing_app.store.writer import RowWriter

FORMATS = ("csv", "json")


class FileProblem(Exception):
    """A problem that stops reading the file (wrong encoding, not JSON, ...)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.problem = ImportProblem(line, message)


def detect_format(path: Path) -> str:
    return "json" if path.suffix.lower() == ".json" else "csv"


# The largest file one import takes: the text is held in memory while it is
# checked and written (a 100,000-row CSV is about 6 MB).
MAX_IMPORT_BYTES = 100 * 1024 * 1024


def read_import(path: Path) -> str:
    """The file's text, read once: bounded in size, UTF-8 checked, BOM removed."""
    chunks, size = [], 0
    try:
        with open(path, "rb") as handle:
            # in pieces: read(limit) would set aside the whole limit at once
            while size <= MAX_IMPORT_BYTES and (chunk := handle.read(1 << 20)):
                chunks.append(chunk)
                size += len(chunk)
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}") from exc
    if size > MAX_IMPORT_BYTES:
        limit = MAX_IMPORT_BYTES / (1024 * 1024)
        raise FileProblem(
            0,
            f"the file is larger than {limit:g} MB, the most one import takes; split it "
            "into several files (whole rows each) and import them one after the other",
        )
    data = b"".join(chunks)
    del chunks
    return decode_utf8(data)


def decode_utf8(data: bytes) -> str:
    """The text of ``data``; FileProblem with the line of the first byte that is not UTF-8."""
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        if exc.end == len(data) and "unexpected end" in exc.reason:
            raise FileProblem(line, "the file ends in the middle of a UTF-8 character") from None
        raise FileProblem(
            line,
            f"the file is not UTF-8 text (byte 0x{data[exc.start]:02X}); "
            "save it as UTF-8 (in Excel: 'CSV UTF-8') and import again",
        ) from None
    return text.removeprefix("\ufeff")


# How far to look for the header row below blank or title lines.
HEADER_SEARCH_LINES = 50


def _blank(cells: list[str]) -> bool:
    """True for a row of only empty or blank cells (spreadsheets write ',,,')."""
    return not any(c.strip() for c in cells)


_LINE_RE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+\Z")


def _lines(text: str) -> Iterator[str]:
    """The lines of ``text`` with their endings (CR LF, CR or LF), as a file
    opened with newline="" gives them, one at a time (no copy of the text)."""
    for match in _LINE_RE.finditer(text):
        yield match.group()


def _sniff_delimiter(text: str, fields: Sequence[str] = ()) -> str:
    """';' or ',': the one that splits a line into known column names.

    Blank lines and title lines above the header are looked past. Without a
    line naming a known column, the first line that is not blank decides by
    counting separators.
    """
    first = ""
    for line, _ in zip(_lines(text), range(HEADER_SEARCH_LINES), strict=False):
        if not line.strip(" \t\r\n,;"):
            continue
        first = first or line
        for delimiter in (",", ";"):
            if any(cell.strip().strip('"') in fields for cell in line.split(delimiter)):
                return delimiter
    return ";" if first.count(";") > first.count(",") else ","


def _header_problem(found: list[str], fields: Sequence[str], below: int | None) -> str:
    """Why the first row is not taken as the header, and what to do."""
    cells = [c for c in found if c]
    shown = ", ".join(repr(c if len(c) <= 40 else c[:39] + "…") for c in cells[:5])
    if len(cells) > 5:
        shown += f" and {len(cells) - 5} more cells"
    message = (
        f"does not look like the header row: expected the columns {', '.join(fields)}; "
        f"found {shown}."
    )
    if below:
        return message + (
            f" The header row seems to be line {below}: delete the lines above it and import again."
        )
    return message + (
        " The first line that is not blank must name the columns (export a file "
        "from Briefing Builder to see them)."
    )


def iter_csv(
    text: str, fields: Sequence[str] = ()
) -> Iterator[tuple[int, list[str] | dict[str, str] | ImportProblem]]:
    """Yield (line of the header, header) and then (first line of the row, {column: cell}).

    Line numbers count physical lines, so a cell with quoted line breaks
    still points the user at the line where its row starts. Blank rows (empty,
    spaces, or only separators) are skipped wherever they are, above the
    header too. Empty header cells at the end of the header (spreadsheets
    add them) are dropped, with the empty cells below them. Given the
    entity's ``fields``, a first row that names none of them (a title line,
    or no header at all) stops the file with a problem saying so.
    """
    reader = csv.reader(_lines(text), delimiter=_sniff_delimiter(text, fields), strict=True)
    try:
        last = 0
        for cells in reader:
            start, last = last + 1, reader.line_num
            if not _blank(cells):
                break
        else:
            if last:
                raise FileProblem(0, "the file holds only blank lines; a header row is needed")
            raise FileProblem(0, "the file is empty; a header row is needed")
        header = [h.strip() for h in cells]
        while not header[-1]:
            header.pop()
        if fields and not any(h in fields for h in header):
            raise FileProblem(start, _header_problem(header, fields, _find_header(reader, fields)))
        yield start, header
        width = len(header)
        for cells in reader:
            start, last = last + 1, reader.line_num
            if _blank(cells):
                continue
            if len(cells) > width and _blank(cells[width:]):
                cells = cells[:width]
            if len(cells) != width:
                yield start, ImportProblem(start, _width_problem(cells, width))
                continue
            yield start, dict(zip(header, cells, strict=True))
    except csv.Error as exc:
        raise FileProblem(reader.line_num, f"not valid CSV: {exc}") from None


def _find_header(reader, fields: Sequence[str]) -> int | None:
    """The first line of a row below that names a known column, if one comes soon."""
    last = reader.line_num
    try:
        for cells in reader:
            start, last = last + 1, reader.line_num
            if any(c.strip() in fields for c in cells):
                return start
            if start > HEADER_SEARCH_LINES:
                break
    except csv.Error:
        pass
    return None


def _width_problem(cells: list[str], width: int) -> str:
    if len(cells) < width:
        return f"has {len(cells)} cells but the header names {width} columns"
    beyond = next(i for i in range(width, len(cells)) if cells[i].strip())
    return (
        f"has {len(cells)} cells but the header names {width} columns; "
        f"cell {beyond + 1} ({cells[beyond].strip()[:40]!r}) has no column"
    )


class JsonRow(dict):
    """The cells of one JSON object, with the problems found reading its values.

    ``problems`` are (column, message) pairs: a value of the wrong type, a
    key given twice. Their cells hold "" so that checking the row adds no
    follow-on complaint about them.
    """

    def __init__(self, cells: dict[str, str], problems: list[tuple[str, str]]):
        super().__init__(cells)
        self.problems = problems


class _JsonObject(dict):
    """A decoded JSON object that remembers the keys it was given more than once."""

    def __init__(self, pairs: list[tuple[str, object]]):
        super().__init__(pairs)
        self.twice = set()
        if len(self) < len(pairs):
            counts = collections.Counter(k for k, _ in pairs)
            self.twice = {k for k, n in counts.items() if n > 1}


_DECODER = json.JSONDecoder(object_pairs_hook=_JsonObject)


def iter_json(
    text: str, kinds: dict[str, str] | None = None
) -> Iterator[tuple[int, list[str] | dict[str, str] | ImportProblem]]:
    """Yield (1, []) (JSON has no header row) then (line of each object, cells).

    The text must be exactly one list of objects: anything after its closing
    bracket (a second list, a stray character) or a list that is never
    closed is a problem with its line and column, never dropped silently.
    With the entity's field ``kinds``, each value is checked against its
    field's type (:func:`codec.json_cell`); the cells are a :class:`JsonRow`.
    """
    lines = _LineCounter(text)
    pos = _skip_space(text, 0)
    if pos >= len(text) or text[pos] != "[":
        raise FileProblem(lines.at(pos), "a JSON file must hold a list of objects [...]")
    yield 1, []
    pos = _skip_space(text, pos + 1)
    while pos < len(text) and text[pos] != "]":
        line = lines.at(pos)
        item, pos = _decode_value(text, pos, lines)
        if isinstance(item, dict):
            yield line, _cells(item, kinds)
        else:
            yield line, ImportProblem(line, "each entry must be an object {...}")
        pos = _skip_space(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_space(text, pos + 1)
        elif pos < len(text) and text[pos] != "]":
            raise _syntax(text, pos, lines, "expected ',' or ']' after an object")
    if pos >= len(text):
        raise _syntax(
            text, pos, lines, "the file ends before the list is closed with ']' (is it cut short?)"
        )
    after = _skip_space(text, pos + 1)
    if after < len(text):
        raise _syntax(
            text,
            after,
            lines,
            f"more text after the list closed (from {text[after : after + 20]!r}); a file "
            "holds one list [...] of objects: join the lists into one, or remove the extra text",
        )


def _decode_value(text: str, pos: int, lines: _LineCounter) -> tuple[object, int]:
    try:
        return _DECODER.raw_decode(text, pos)
    except json.JSONDecodeError as exc:
        raise _syntax(text, exc.pos, lines, exc.msg) from None
    except RecursionError:
        raise FileProblem(
            lines.at(pos), "JSON nested too deeply (records are flat objects)"
        ) from None
    except ValueError as exc:  # a number of more than 4,300 digits
        raise _syntax(text, pos, lines, str(exc).split(";")[0]) from None


def _syntax(text: str, pos: int, lines: _LineCounter, message: str) -> FileProblem:
    column = pos - text.rfind("\n", 0, pos)
    return FileProblem(lines.at(pos), f"not valid JSON at column {column}: {message}")


def _cells(item: dict, kinds: dict[str, str] | None) -> dict[str, str]:
    """The object's values as cell texts; with ``kinds``, type-checked (a JsonRow)."""
    if kinds is None:
        return {str(k): codec.json_cell("str", v)[0] for k, v in item.items()}
    cells: dict[str, str] = {}
    problems: list[tuple[str, str]] = []
    twice = getattr(item, "twice", ())
    for key, value in item.items():
        if key in twice:
            cells[key] = ""
            problems.append(
                (key, "is given more than once in this object; keep one (which is meant?)")
            )
            continue
        cell, problem = codec.json_cell(kinds.get(key, "str"), value)
        if problem and key in kinds:
            problems.append((key, problem))
        cells[key] = cell
    return JsonRow(cells, problems)


class _LineCounter:
    """Line numbers of increasing positions in a text, counted incrementally."""

    def __init__(self, text: str):
        self.text, self.pos, self.line = text, 0, 1

    def at(self, pos: int) -> int:
        if pos < self.pos:
            return self.text.count("\n", 0, pos) + 1
        self.line += self.text.count("\n", self.pos, pos)
        self.pos = pos
        return self.line


def _skip_space(text: str, pos: int) -> int:
    while pos < len(text) and text[pos] in " \t\r\n":
        pos += 1
    return pos


def _rows(text: str, fmt: str, sp):
    if fmt == "json":
        return iter_json(text, codec.FieldKinds(sp).kinds)
    return iter_csv(text, sp.fields)


def validate_text(db: sqlite_utils.Database, entity: str, text: str, fmt: str, source: str) -> int:
    """Check every row of an import's text; ImportValidationError listing all
    problems (``source`` names the file); else the row count."""
    validator = FileValidator(db, entity)
    try:
        rows = _rows(text, fmt, validator.spec)
        header_line, header = next(rows)
        if fmt == "csv" and not validator.check_header(header, header_line):  # type: ignore[arg-type]
            raise ImportValidationError(validator.problems, source)
        for line, cells in rows:
            if isinstance(cells, ImportProblem):
                validator.problems.append(cells)
                continue
            if fmt == "json" and not _json_keys_ok(validator, line, cells):  # type: ignore[arg-type]
                continue
            found = getattr(cells, "problems", ())
            for column, message in found:
                validator.problems.append(ImportProblem(line, message, column))
            validator.check_row(line, cells, reported={c for c, _ in found})  # type: ignore[arg-type]
    except FileProblem as exc:
        validator.problems.append(exc.problem)
    problems = validator.finish()
    if problems:
        raise ImportValidationError(problems, source)
    return validator.rows


def validate_file(db: sqlite_utils.Database, entity: str, path: Path, fmt: str) -> int:
    """Read ``path`` and check every row (nothing written); the row count."""
    try:
        text = read_import(path)
    except FileProblem as exc:
        raise ImportValidationError([exc.problem], str(path)) from None
    return validate_text(db, entity, text, fmt, str(path))


def _json_keys_ok(validator: FileValidator, line: int, cells: dict[str, str]) -> bool:
    """JSON objects each carry their own keys: check them like a header."""
    before = len(validator.problems)
    validator.check_header(list(cells), line)
    return len(validator.problems) == before


def import_file(
    db: sqlite_utils.Database, db_path: Path, entity: str, path: Path, before_write=None
) -> int:
    """Validate all of ``path``, then write it in one transaction; the row count.

    The file is read once: the rows written are parsed from the very text
    that was checked. ``before_write`` (a callable) runs between the check
    and the write, for the backup. An existing slug is updated: its row
    takes the file's values.
    """
    sp = spec(entity)
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path} does not exist or is not a file")
    fmt = detect_format(path)
    try:
        text = read_import(path)
    except FileProblem as exc:
        raise ImportValidationError([exc.problem], str(path)) from None
    expected = validate_text(db, entity, text, fmt, str(path))
    if before_write:
        before_write()
    kinds = codec.FieldKinds(sp)
    count = 0
    with write_transaction(db, db_path, f"importing {path.name}"):
        writer = RowWriter(db, entity)
        rows = _rows(text, fmt, sp)
        next(rows)
        for _line, cells in rows:
            values, _ = parse_row(sp, kinds, cells)  # type: ignore[arg-type]
            writer.write(values)
            count += 1
        if count != expected:  # the same text parsed twice: cannot differ
            raise StoreError(f"importing {path}: {count} rows read to write, {expected} checked")
        writer.finish()
    return count


def record_cells(entity: str, record) -> dict[str, str]:
    """A record as the cells an export would write, to check it like an import row."""
    sp = spec(entity)
    kinds = codec.FieldKinds(sp)
    cells = {}
    for name in sp.fields:
        cell = codec.format_cell(kinds.kinds[name], getattr(record, name))
        text = kinds.kinds[name] in ("str", "list")
        cells[name] = codec.escape_formula(cell) if text else cell
    return cells


def write_export(db: sqlite_utils.Database, entity: str, handle: TextIO, fmt: str) -> int:
    """Write every record of ``entity`` to an open text handle; the count."""
    sp = spec(entity)
    kinds = codec.FieldKinds(sp)
    records = queries.load(db, entity)
    if fmt == "json":
        items = [
            {f: codec.to_json_value(kinds.kinds[f], getattr(rec, f)) for f in sp.fields}
            for rec in records
        ]
        json.dump(items, handle, ensure_ascii=False, indent=2)
        handle.write("\n")
        return len(items)
    if fmt != "csv":
        raise StoreError(f"unknown export format {fmt!r}; use csv or json")
    writer = csv.writer(handle, lineterminator="\r\n")  # RFC 4180; quotes cells holding CR
    writer.writerow(sp.fields)
    for rec in records:
        row = []
        for f in sp.fields:
            cell = codec.format_cell(kinds.kinds[f], getattr(rec, f))
            # Numbers are data, not formulas: only text cells need the escape.
            row.append(codec.escape_formula(cell) if kinds.kinds[f] in ("str", "list") else cell)
        writer.writerow(row)
    return len(records)


def export_file(db: sqlite_utils.Database, entity: str, path: Path, fmt: str = "csv") -> int:
    """Export to ``path`` whole or not at all (temporary file, then rename)."""
    path = Path(path)
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise StoreError(f"folder {folder} does not exist")
    try:
        fd, tmp = tempfile.mkstemp(prefix=f".{path.stem}-", suffix=".part", dir=folder)
    except OSError as exc:
        raise StoreError(f"cannot write in {folder}: {exc.strerror or exc}") from exc
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
            count = write_export(db, entity, handle, fmt)
        os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return count
