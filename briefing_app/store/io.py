"""CSV and JSON import and export, with the columns of the seed files.

Import reads the file once, into memory (at most
:data:`import_text.MAX_IMPORT_BYTES`), then goes over that text twice: once
to check every row (nothing written), once to write the rows inside one
transaction. Both passes parse the same text, so what is written is exactly
what was checked, even if the file on disk is replaced meanwhile. Rows are
parsed one at a time, so beyond the text itself memory holds slugs and
problems, not the file's records. How files are read (encodings, CSV
separators, JSON) is in :mod:`import_text`.
"""

from __future__ import annotations

import csv
import json
import os
import tempfile
from pathlib import Path
from typing import TextIO

import sqlite_utils

from briefing_app.errors import ImportProblem, ImportValidationError, StoreError
from briefing_app.store import codec, queries
from briefing_app.store.connection import write_transaction
from briefing_app.store.entities import spec
from briefing_app.store.import_text import FileProblem, iter_csv, iter_json, read_import
from briefing_app.store.validation import FileValidator, parse_row
from briefing_app.store.writer import RowWriter

FORMATS = ("csv", "json")


def detect_format(path: Path) -> str:
    return "json" if path.suffix.lower() == ".json" else "csv"


def _rows(text: str, fmt: str, sp):
    if fmt == "json":
        return iter_json(text, codec.FieldKinds(sp).kinds)
    return iter_csv(text, sp.fields)


def validate_text(
    db: sqlite_utils.Database,
    entity: str,
    text: str,
    fmt: str,
    source: str,
    validator: FileValidator | None = None,
) -> int:
    """Check every row of an import's text; ImportValidationError listing all
    problems (``source`` names the file); else the row count.

    ``validator`` (a FileValidator of ``entity``) may come from the caller, who
    told it of keys other files of the same import write (country packs).
    """
    validator = validator or FileValidator(db, entity)
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
    fmt, text, expected = _read_checked(db, entity, Path(path))
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


def write_text_rows(db: sqlite_utils.Database, entity: str, text: str, fmt: str) -> int:
    """Write the rows of a text :func:`validate_text` found clean, inside the
    caller's write transaction (a country pack writes many files in one)."""
    sp = spec(entity)
    kinds = codec.FieldKinds(sp)
    writer = RowWriter(db, entity)
    rows = _rows(text, fmt, sp)
    next(rows)
    count = 0
    for _line, cells in rows:
        values, _ = parse_row(sp, kinds, cells)  # type: ignore[arg-type]
        writer.write(values)
        count += 1
    writer.finish()
    return count


def _read_checked(db: sqlite_utils.Database, entity: str, path: Path) -> tuple[str, str, int]:
    """(format, text, row count) of an import file read once and checked whole."""
    if not path.is_file():
        raise StoreError(f"{path} does not exist or is not a file")
    fmt = detect_format(path)
    try:
        text = read_import(path)
    except FileProblem as exc:
        raise ImportValidationError([exc.problem], str(path)) from None
    return fmt, text, validate_text(db, entity, text, fmt, str(path))


def read_records(db: sqlite_utils.Database, entity: str, path: Path) -> list:
    """The records of ``path``, checked as an import checks them, without
    writing anything (``briefing match --profile FILE``)."""
    sp = spec(entity)
    fmt, text, _count = _read_checked(db, entity, Path(path))
    kinds = codec.FieldKinds(sp)
    rows = _rows(text, fmt, sp)
    next(rows)
    found = []
    for _line, cells in rows:
        values, _ = parse_row(sp, kinds, cells)  # type: ignore[arg-type]
        found.append(sp.record(**{name: values[name] for name in sp.fields}))
    return found


def record_cells(entity: str, record) -> dict[str, str]:
    """A record as the cells an export would write, to check it like an import row.

    Each value must have its field's type, as in a JSON import (the same
    :func:`codec.json_cell`): a record built with "2001" for a year or a
    number for a name is refused (ImportValidationError), not converted.
    """
    sp = spec(entity)
    kinds = codec.FieldKinds(sp)
    cells = {}
    problems = []
    for name in sp.fields:
        value = getattr(record, name)
        cell, problem = codec.json_cell(
            kinds.kinds[name], list(value) if isinstance(value, tuple) else value
        )
        if problem:
            problems.append(ImportProblem(0, problem, name))
        cells[name] = cell
    if problems:
        raise ImportValidationError(problems, f"{entity} {record.slug!r}", nothing="saved")
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
    """Export to ``path`` whole or not at all (temporary file, then rename).

    The file gets the permissions of an ordinary new file (the umask's, such
    as 0644), or keeps those of the file it replaces: the temporary file is
    private to its owner only until it is complete.
    """
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
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, _final_mode(path))
        os.replace(tmp, path)
    except OSError as exc:
        raise StoreError(f"cannot write {path}: {exc.strerror or exc}") from exc
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    return count


def _final_mode(target: Path) -> int:
    """The mode of the file being replaced, or of an ordinary new file."""
    try:
        if target.is_file():
            return target.stat().st_mode & 0o777
    except OSError:
        pass
    return 0o666 & ~_umask()


def _umask() -> int:
    """The process umask, read without changing it where the system allows."""
    try:
        with open("/proc/self/status", encoding="ascii") as status:
            for line in status:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
