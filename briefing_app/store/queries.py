"""Reading records back from the database, and the scopes filters rely on.

Rows of an entity's table are joined in Python with the rows of its link
tables (one query per link table) rather than per record, so listing a few
thousand clusters stays a handful of queries.
"""

from __future__ import annotations

from collections import defaultdict

import sqlite_utils

from briefing_app.store import codec
from briefing_app.store.entities import EntitySpec, spec


def _links(db: sqlite_utils.Database, sp: EntitySpec, slugs: list[str] | None) -> dict:
    """{field: {owner slug: tuple of values}} for every link field of ``sp``."""
    found: dict[str, dict[str, tuple[str, ...]]] = {}
    for name, link in sp.links.items():
        sql = f"SELECT [{link.owner}], [{link.value}] FROM [{link.table}]"
        params: list[str] = []
        if slugs is not None:
            sql += f" WHERE [{link.owner}] IN ({','.join('?' * len(slugs))})"
            params = slugs
        sql += f" ORDER BY [{link.owner}], position"
        grouped: dict[str, list[str]] = defaultdict(list)
        for owner, value in db.conn.execute(sql, params):
            grouped[owner].append(value)
        found[name] = {owner: tuple(values) for owner, values in grouped.items()}
    return found


def load(db: sqlite_utils.Database, entity: str, where: str = "", params: tuple = ()) -> list:
    """Records of ``entity`` matching an optional SQL condition, sorted by label."""
    sp = spec(entity)
    kinds = codec.FieldKinds(sp)
    cols = ", ".join(f"[{c}]" for c in sp.columns)
    sql = f"SELECT {cols} FROM [{sp.table}]"
    if where:
        sql += f" WHERE {where}"
    sql += f" ORDER BY [{sp.label}] COLLATE NOCASE, slug"
    rows = db.conn.execute(sql, params).fetchall()
    few = [row[0] for row in rows] if where and len(rows) < 500 else None
    links = _links(db, sp, few)
    out = []
    for row in rows:
        values = {
            col: codec.from_db(kinds.kinds[col], value, col in kinds.optional_int)
            for col, value in zip(sp.columns, row, strict=True)
        }
        for name in sp.links:
            values[name] = links[name].get(values["slug"], ())
        out.append(sp.record(**values))
    return out


def get(db: sqlite_utils.Database, entity: str, slug: str):
    """One record by slug, or None."""
    found = load(db, entity, "slug = ?", (slug,))
    return found[0] if found else None


def slugs(db: sqlite_utils.Database, entity: str, column: str = "slug") -> set[str]:
    return {row[0] for row in db.conn.execute(f"SELECT [{column}] FROM [{spec(entity).table}]")}


def region_scope(db: sqlite_utils.Database, slug: str) -> set[str]:
    """The region, its members and their sub-regions, recursively.

    Members are regions whose parent is the region or that list it among
    their groups; the walk keeps a visited set so a cycle cannot hang it.
    """
    children: dict[str, set[str]] = defaultdict(set)
    for child, parent in db.conn.execute(
        "SELECT slug, parent FROM regions WHERE parent IS NOT NULL"
    ):
        children[parent].add(child)
    for member, group in db.conn.execute("SELECT region, group_region FROM region_groups"):
        children[group].add(member)
    seen = {slug}
    todo = [slug]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def region_members(db: sqlite_utils.Database, slug: str) -> list:
    where = "parent = ? OR slug IN (SELECT region FROM region_groups WHERE group_region = ?)"
    return load(db, "regions", where, (slug, slug))


def sector_scope(db: sqlite_utils.Database, slug: str) -> set[str]:
    """The sector and all its descendants."""
    children: dict[str, set[str]] = defaultdict(set)
    for child, parent in db.conn.execute(
        "SELECT slug, parent FROM sectors WHERE parent IS NOT NULL"
    ):
        children[parent].add(child)
    seen = {slug}
    todo = [slug]
    while todo:
        for child in children.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def find_sector(db: sqlite_utils.Database, text: str) -> str | None:
    """The slug of the sector whose slug, name or alias is ``text`` (any case)."""
    wanted = text.strip().casefold()
    for slug, name in db.conn.execute("SELECT slug, name FROM sectors"):
        if wanted in (slug.casefold(), name.casefold()):
            return slug
    for sector, alias in db.conn.execute("SELECT sector, alias FROM sector_aliases"):
        if alias.casefold() == wanted:
            return sector
    return None


def find_region(db: sqlite_utils.Database, text: str) -> str | None:
    """The slug of the region whose slug, name or local name is ``text``."""
    wanted = text.strip().casefold()
    for slug, name, local in db.conn.execute("SELECT slug, name, local_name FROM regions"):
        if wanted in (slug.casefold(), (name or "").casefold(), (local or "").casefold()):
            return slug
    return None


def find_country(db: sqlite_utils.Database, text: str) -> str | None:
    """The slug of the country given its ISO code, slug or name."""
    wanted = text.strip().casefold()
    for slug, iso, name in db.conn.execute("SELECT slug, iso_code, name FROM countries"):
        if wanted in (slug.casefold(), iso.casefold(), name.casefold()):
            return slug
    return None
