"""CSV and JSON import and export, with the columns of the seed files.

Import reads the file twice: once to check every row (nothing written), once
to write the rows inside one transaction. Rows are streamed both times, so
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

import codecs
import csv
import json
import os
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


def check_utf8(path: Path) -> None:
    """FileProblem with the line of the first byte that is not UTF-8."""
    decoder = codecs.getincrementaldecoder("utf-8")()
    line = 1
    with open(path, "rb") as handle:
        while chunk := handle.read(1 << 16):
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                # exc.object is this chunk plus any bytes held over from the
                # last one (an unfinished character, never a line break)
                line += exc.object.count(b"\n", 0, exc.start)
                raise FileProblem(
                    line,
                    f"the file is not UTF-8 text (byte 0x{exc.object[exc.start]:02X}); "
                    "save it as UTF-8 (in Excel: 'CSV UTF-8') and import again",
                ) from None
            line += chunk.count(b"\n")
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise FileProblem(line, "the file ends in the middle of a UTF-8 character") from None


def _open_text(path: Path) -> TextIO:
    return open(path, encoding="utf-8-sig", newline="")


# How far to look for the header row below blank or title lines.
HEADER_SEARCH_LINES = 50


def _blank(cells: list[str]) -> bool:
    """True for a row of only empty or blank cells (spreadsheets write ',,,')."""
    return not any(c.strip() for c in cells)


def _sniff_delimiter(handle: TextIO, fields: Sequence[str] = ()) -> str:
    """';' or ',': the one that splits a line into known column names.

    Blank lines and title lines above the header are looked past. Without a
    line naming a known column, the first line that is not blank decides by
    counting separators.
    """
    first = ""
    for _ in range(HEADER_SEARCH_LINES):
        line = handle.readline()
        if not line:
            break
        if not line.strip(" \t\r\n,;"):
            continue
        first = first or line
        for delimiter in (",", ";"):
            if any(cell.strip().strip('"') in fields for cell in line.split(delimiter)):
                handle.seek(0)
                return delimiter
    handle.seek(0)
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
    path: Path, fields: Sequence[str] = ()
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
    with _open_text(path) as handle:
        reader = csv.reader(handle, delimiter=_sniff_delimiter(handle, fields), strict=True)
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
                raise FileProblem(
                    start, _header_problem(header, fields, _find_header(reader, fields))
                )
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


def iter_json(path: Path) -> Iterator[tuple[int, list[str] | dict[str, str] | ImportProblem]]:
    """Yield (1, []) (JSON has no header row) then (line of each object, cells)."""
    with _open_text(path) as handle:
        text = handle.read()
    lines = _LineCounter(text)
    decoder = json.JSONDecoder()
    pos = _skip_space(text, 0)
    if pos >= len(text) or text[pos] != "[":
        raise FileProblem(lines.at(pos), "a JSON file must hold a list of objects [...]")
    yield 1, []
    pos = _skip_space(text, pos + 1)
    while pos < len(text) and text[pos] != "]":
        line = lines.at(pos)
        try:
            item, pos = decoder.raw_decode(text, pos)
        except json.JSONDecodeError as exc:
            raise FileProblem(lines.at(exc.pos), f"not valid JSON: {exc.msg}") from None
        except RecursionError:
            raise FileProblem(line, "JSON nested too deeply (records are flat objects)") from None
        if isinstance(item, dict):
            yield line, {str(k): codec.json_value_to_cell(v) for k, v in item.items()}
        else:
            yield line, ImportProblem(line, "each entry must be an object {...}")
        pos = _skip_space(text, pos)
        if pos < len(text) and text[pos] == ",":
            pos = _skip_space(text, pos + 1)
        elif pos < len(text) and text[pos] != "]":
            raise FileProblem(lines.at(pos), "not valid JSON: expected ',' or ']'")


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


def _rows(path: Path, fmt: str, fields: Sequence[str] = ()):
    return iter_json(path) if fmt == "json" else iter_csv(path, fields)


def validate_file(
    db: sqlite_utils.Database,
    entity: str,
    path: Path,
    fmt: str,
    validator: FileValidator | None = None,
) -> int:
    """Check every row; ImportValidationError listing all problems; else the row count.

    ``validator`` (a FileValidator of ``entity``) may come from the caller, who
    told it of keys other files of the same import write (country packs).
    """
    validator = validator or FileValidator(db, entity)
    try:
        check_utf8(path)
        rows = _rows(path, fmt, validator.spec.fields)
        header_line, header = next(rows)
        if fmt == "csv" and not validator.check_header(header, header_line):  # type: ignore[arg-type]
            raise ImportValidationError(validator.problems, str(path))
        for line, cells in rows:
            if isinstance(cells, ImportProblem):
                validator.problems.append(cells)
                continue
            if fmt == "json" and not _json_keys_ok(validator, line, cells):  # type: ignore[arg-type]
                continue
            validator.check_row(line, cells)  # type: ignore[arg-type]
    except FileProblem as exc:
        validator.problems.append(exc.problem)
    problems = validator.finish()
    if problems:
        raise ImportValidationError(problems, str(path))
    return validator.rows


def _json_keys_ok(validator: FileValidator, line: int, cells: dict[str, str]) -> bool:
    """JSON objects each carry their own keys: check them like a header."""
    before = len(validator.problems)
    validator.check_header(list(cells), line)
    return len(validator.problems) == before


def import_file(
    db: sqlite_utils.Database, db_path: Path, entity: str, path: Path, before_write=None
) -> int:
    """Validate all of ``path``, then write it in one transaction; the row count.

    ``before_write`` (a callable) runs between the two, for the backup.
    An existing slug is updated: its row takes the file's values.
    """
    sp = spec(entity)
    path = Path(path)
    if not path.is_file():
        raise StoreError(f"{path} does not exist or is not a file")
    fmt = detect_format(path)
    validate_file(db, entity, path, fmt)
    if before_write:
        before_write()
    kinds = codec.FieldKinds(sp)
    count = 0
    with write_transaction(db, db_path, f"importing {path.name}"):
        writer = RowWriter(db, entity)
        rows = _rows(path, fmt, sp.fields)
        next(rows)
        for _line, cells in rows:
            values, _ = parse_row(sp, kinds, cells)  # type: ignore[arg-type]
            writer.write(values)
            count += 1
        writer.finish()
    return count


def write_rows(db: sqlite_utils.Database, entity: str, path: Path) -> int:
    """Write the rows of a file already checked by :func:`validate_file`, inside
    the caller's write transaction (a country pack writes many files in one)."""
    sp = spec(entity)
    kinds = codec.FieldKinds(sp)
    writer = RowWriter(db, entity)
    rows = _rows(path, detect_format(path), sp.fields)
    next(rows)
    count = 0
    for _line, cells in rows:
        values, _ = parse_row(sp, kinds, cells)  # type: ignore[arg-type]
        writer.write(values)
        count += 1
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


def write_export(
    db: sqlite_utils.Database, entity: str, handle: TextIO, fmt: str, records=None
) -> int:
    """Write every record of ``entity`` (or just ``records``) to an open text
    handle; the count."""
    sp = spec(entity)
    kinds = codec.FieldKinds(sp)
    records = queries.load(db, entity) if records is None else records
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
