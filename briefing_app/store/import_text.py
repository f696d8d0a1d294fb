"""Reading import files into rows of cells: CSV and JSON, read once.

:func:`read_import` reads the file once, into memory (at most
MAX_IMPORT_BYTES), and decodes it; :func:`iter_csv` and :func:`iter_json`
turn that text into rows of cell texts with the line each starts on, as
many times as asked. Checking and writing (``io``) both parse this one
text, so what is written is exactly what was checked, even if the file on
disk is replaced meanwhile.

Encoding: UTF-8, with or without a byte-order mark. Any other encoding is
refused with the line of the first bad byte, rather than guessed: a wrong
guess would silently garble Chinese or Vietnamese names.

CSV files may be comma- or semicolon-separated (spreadsheets in many
European locales save with semicolons); the header line decides. Blank rows
are skipped wherever they stand, above the header too, and line numbers
still count every line of the file.

JSON files hold exactly one list of flat objects. Each value must have its
field's type (:func:`codec.json_cell`); a key given twice, text after the
list, or a list never closed is a problem with its line, never dropped.
"""

from __future__ import annotations

import collections
import csv
import json
import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from briefing_app.errors import ImportProblem, StoreError
from briefing_app.store import codec


class FileProblem(Exception):
    """A problem that stops reading the file (wrong encoding, not JSON, ...)."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.problem = ImportProblem(line, message)


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


class _KeysTwice(dict):
    """A decoded JSON object given some keys more than once (``twice``)."""

    twice: set[str]


def _json_object(pairs: list[tuple[str, object]]) -> dict:
    """A JSON object as a dict, remembering keys given twice (json keeps the last)."""
    found = dict(pairs)
    if len(found) == len(pairs):
        return found
    marked = _KeysTwice(found)
    counts = collections.Counter(k for k, _ in pairs)
    marked.twice = {k for k, n in counts.items() if n > 1}
    return marked


_DECODER = json.JSONDecoder(object_pairs_hook=_json_object)


def iter_json(
    text: str, kinds: dict[str, str]
) -> Iterator[tuple[int, list[str] | dict[str, str] | ImportProblem]]:
    """Yield (1, []) (JSON has no header row) then (line of each object, cells).

    The text must be exactly one list of objects: anything after its closing
    bracket (a second list, a stray character) or a list that is never
    closed is a problem with its line and column, never dropped silently.
    Each value is checked against the type of its field in ``kinds``
    (:func:`codec.json_cell`); the cells of an object are a :class:`JsonRow`.
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


def _cells(item: dict, kinds: dict[str, str]) -> JsonRow:
    """The object's values as cell texts, each checked against its field's type."""
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


_SPACE_RE = re.compile(r"[ \t\r\n]*")


def _skip_space(text: str, pos: int) -> int:
    return _SPACE_RE.match(text, pos).end()  # type: ignore[union-attr]
