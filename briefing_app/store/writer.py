"""Writing one record (its row with packed link values, its link rows, its
search entry) and deleting one.

Callers open the transaction (:func:`connection.write_transaction`); these
functions only issue the statements, so an import of many rows is still one
all-or-nothing write.
"""

from __future__ import annotations

import sqlite_utils

from briefing_app.errors import NotFoundError, StoreError
from briefing_app.store import codec, search
from briefing_app.store.entities import (
    PACK_SEPARATOR,
    SPECS,
    EntitySpec,
    packed_column,
    referrers,
    spec,
)


class RowWriter:
    """Prepared statements for one entity, reused for every row of an import."""

    def __init__(self, db: sqlite_utils.Database, entity: str):
        self.db = db
        self.spec: EntitySpec = spec(entity)
        self.kinds = codec.FieldKinds(self.spec)
        self.written = 0
        cols = self.spec.columns + tuple(packed_column(name) for name in self.spec.links)
        names = ", ".join(f"[{c}]" for c in cols)
        marks = ", ".join("?" * len(cols))
        updates = ", ".join(f"[{c}] = excluded.[{c}]" for c in cols if c != "slug")
        # A true upsert: INSERT OR REPLACE would delete the row first and trip
        # the foreign keys of every record pointing at it.
        self.upsert_sql = (
            f"INSERT INTO [{self.spec.table}] ({names}) VALUES ({marks}) "
            f"ON CONFLICT(slug) DO UPDATE SET {updates}"
        )

    def write(self, values: dict) -> None:
        """Insert or update the record given as typed field values."""
        sp = self.spec
        row = [codec.to_db(self.kinds.kinds[c], values.get(c), c in sp.refs) for c in sp.columns]
        row += [_packed(name, values.get(name, ())) for name in sp.links]
        conn = self.db.conn
        conn.execute(self.upsert_sql, row)
        slug = values["slug"]
        for name, link in sp.links.items():
            conn.execute(f"DELETE FROM [{link.table}] WHERE [{link.owner}] = ?", (slug,))
            conn.executemany(
                f"INSERT INTO [{link.table}] ([{link.owner}], [{link.value}], position) "
                "VALUES (?, ?, ?)",
                [(slug, value, i) for i, value in enumerate(values.get(name, ()))],
            )
        search.refresh(self.db, sp.name, slug)
        self.written += 1

    def finish(self) -> None:
        """Call once after the last row: region and sector names feed other entries."""
        if self.written and self.spec.name in ("regions", "sectors"):
            search.reindex_all(self.db)


def _packed(name: str, values) -> str:
    """The packed column's text; a value holding the separator cannot be stored."""
    for value in values:
        if PACK_SEPARATOR in value:
            raise StoreError(f"{name}: {value!r} holds the control character U+001F")
    return PACK_SEPARATOR.join(values)


def _kind_users(db: sqlite_utils.Database, slug: str) -> list[str]:
    """Records that hold the code of the kinds row ``slug`` (no foreign key
    guards it: the code alone is stored)."""
    row = db.conn.execute("SELECT entity, code FROM kinds WHERE slug = ?", (slug,)).fetchone()
    if row is None or row[0] not in SPECS or not SPECS[row[0]].kind_field:
        return []
    column = SPECS[row[0]].kind_field
    (count,) = db.conn.execute(
        f"SELECT count(*) FROM [{row[0]}] WHERE [{column}] = ?", (row[1],)
    ).fetchone()
    return [f"{count} row(s) of {row[0]}"] if count else []


def users(db: sqlite_utils.Database, entity: str, slug: str) -> list[str]:
    """Who still points at a record ("3 row(s) of clusters", ...); empty when
    nobody does. NotFoundError if there is no such record."""
    sp = spec(entity)
    key = "iso_code" if entity == "countries" else "slug"
    found = db.conn.execute(f"SELECT [{key}] FROM [{sp.table}] WHERE slug = ?", (slug,)).fetchone()
    if found is None:
        raise NotFoundError(f"no {entity} record with slug {slug!r}")
    value = found[0]
    found_users = _kind_users(db, slug) if entity == "kinds" else []
    for table, column, _is_link in referrers(entity):
        (count,) = db.conn.execute(
            f"SELECT count(*) FROM [{table}] WHERE [{column}] = ?", (value,)
        ).fetchone()
        if count:
            found_users.append(f"{count} row(s) of {table}")
    return found_users


def delete(db: sqlite_utils.Database, entity: str, slug: str) -> None:
    """Delete a record; StoreError naming who still points at it."""
    sp = spec(entity)
    users_now = users(db, entity, slug)
    if users_now:
        raise StoreError(
            f"cannot delete {slug!r} from {entity}: "
            f"still used by {', '.join(users_now)}. Change or delete those first."
        )
    for link in sp.links.values():
        db.conn.execute(f"DELETE FROM [{link.table}] WHERE [{link.owner}] = ?", (slug,))
    db.conn.execute(f"DELETE FROM [{sp.table}] WHERE slug = ?", (slug,))
    search.forget(db, entity, slug)
