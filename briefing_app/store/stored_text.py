"""Checking the text already in a knowledge base, for `briefing db check`.

Imports and saves refuse bad text, but a file can still hold some: written
by another program or a SQL tool, or before a check existed. Reading never
stops on it (the connection decodes with :data:`codec.TEXT_FROM_DB`: bytes
that are not UTF-8 read as U+FFFD); this module finds it and says where:
the table, the record's slug (or row number) and the field, and how to put
it right.

Every text column of every table is scanned for bytes that are not UTF-8.
The fields of the nine data entities are also held to the rules an import
applies to each value: no control characters, none of the reserved marker
characters (:func:`codec.character_problem`).
"""

from __future__ import annotations

import sqlite_utils

from briefing_app.store import codec
from briefing_app.store.entities import ENTITIES, PACK_SEPARATOR, packed_column, spec

# Tables whose text is derived from the others (the full-text index) or is
# the program's own bookkeeping: rebuilt, never edited by a person.
_DERIVED_PREFIXES = ("search_index", "search_rows", "sqlite_", "_")

_FIX_RECORD = (
    "open the record in the data browser, retype the value and save it, or import the "
    "record again from a good file"
)
_FIX_LIBRARY = "open it in the section editor, retype the text and save it"
_FIX_OTHER = "save it again from Briefing Builder, or restore a backup"
_FIX_KEY = (
    "restore a backup (`briefing db restore`) or correct it in the program that wrote it: "
    "records are found by this value, so Briefing Builder cannot open this one to retype it"
)
_KEYS = ("slug", "iso_code")


def problems(db: sqlite_utils.Database) -> list[str]:
    """One line per stored value that is not valid text, naming where it is."""
    found: list[str] = []
    conn = db.conn
    tables = [
        name
        for (name,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"
        )
        if not name.startswith(_DERIVED_PREFIXES)
    ]
    for table in _entities_first(tables):
        columns = [row[1] for row in conn.execute(f"PRAGMA table_info([{table}])")]
        if not columns:
            continue
        key = "slug" if "slug" in columns else None
        fields = _field_names(table, columns)
        for column in columns:
            found += _column_problems(db, table, column, key, fields.get(column))
    return found


def _entities_first(tables: list[str]) -> list[str]:
    return [t for t in ENTITIES if t in tables] + [t for t in tables if t not in ENTITIES]


def _field_names(table: str, columns: list[str]) -> dict[str, str]:
    """For an entity's table: column -> the field it holds (packed link columns too)."""
    if table not in ENTITIES:
        return {}
    sp = spec(table)
    kinds = codec.FieldKinds(sp).kinds
    names = {c: c for c in sp.columns if kinds[c] == "str"}
    names.update({packed_column(name): name for name in sp.links})
    return {c: f for c, f in names.items() if c in columns}


_LIBRARY = ("sections", "section_versions", "blueprints", "briefings")
_LINK_TABLES = {link.table for e in ENTITIES for link in spec(e).links.values()}


def _advice(table: str, column: str) -> str:
    if column in _KEYS:
        return _FIX_KEY
    if table in ENTITIES or table in _LINK_TABLES:
        return _FIX_RECORD
    return _FIX_LIBRARY if table in _LIBRARY else _FIX_OTHER


def _column_problems(
    db: sqlite_utils.Database, table: str, column: str, key: str | None, field: str | None
) -> list[str]:
    """Problems of one column: every text value as its raw bytes, decoded here."""
    label = f"[{key}]" if key else "NULL"
    rows = db.conn.execute(
        f"SELECT rowid, CAST({label} AS BLOB), CAST([{column}] AS BLOB) FROM [{table}] "
        f"WHERE typeof([{column}]) = 'text'"
    )
    found = []
    for rowid, raw_key, raw in rows:
        problem = _bytes_problem(raw, table, column)
        if problem is None and field is not None:
            text = raw.decode("utf-8")
            values = text.split(PACK_SEPARATOR) if field != column else (text,)
            problem = next(filter(None, map(codec.character_problem, values)), None)
        if problem is not None:
            found.append(f"{_where(table, rowid, raw_key, field or column)}: {problem}")
    return found


def _bytes_problem(raw: bytes, table: str, column: str) -> str | None:
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        shown = raw.decode("utf-8", "replace")
        shown = shown if len(shown) <= 40 else shown[:39] + "…"
        return (
            f"holds bytes that are not UTF-8 text (0x{raw[exc.start]:02X} at byte "
            f"{exc.start + 1}), written by another program; it reads as {shown!r}, with "
            f"U+FFFD in their place. To fix it, {_advice(table, column)}"
        )
    return None


def _where(table: str, rowid: int, raw_key: bytes | None, field: str) -> str:
    if raw_key is None:
        return f"{table} row {rowid}, field {field!r}"
    slug = raw_key.decode("utf-8", "replace")
    return f"{table} {slug!r}, field {field!r}"
