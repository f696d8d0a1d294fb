"""Reading records back from the database, and the scopes filters rely on.

A record is one row of its entity's table: multi-valued fields are read
from their packed columns (see :data:`entities.PACK_SEPARATOR`), so listing
thousands of clusters is a single query. Filters (country, region and
sector scopes) are put in SQL, and only the matching records are built.
"""

from __future__ import annotations

import contextlib
import gc
import json
from collections import defaultdict
from collections.abc import Iterator

import sqlite_utils

from briefing_app.errors import StoreError
from briefing_app.store import codec
from briefing_app.store.entities import PACK_SEPARATOR, EntitySpec, packed_column, spec
from briefing_app.trees import descendants


class _Shape:
    """How the rows of one entity become records, worked out once per entity.

    Columns are selected in the record's field order, a link field read from
    its packed column, so a row is the record's positional arguments once
    the packed values are split. Text and required whole numbers get their
    empty value from SQL (``coalesce``), which is much cheaper than
    converting every value in Python; only true/false and decimal columns
    are still converted here.
    """

    def __init__(self, sp: EntitySpec):
        kinds = codec.FieldKinds(sp)
        self.spec = sp
        self.expressions = {c: _expression(kinds, c) for c in sp.columns}
        for name in sp.links:
            self.expressions[name] = f"[{packed_column(name)}]"
        self.select = ", ".join(self.expressions[f] for f in sp.fields)
        converters = {"bool": bool, "float": _as_float}
        self.converted = tuple(
            (sp.fields.index(c), converters[kinds.kinds[c]])
            for c in sp.columns
            if kinds.kinds[c] in converters
        )
        self.link_slots = tuple(sp.fields.index(name) for name in sp.links)

    def build(self, rows: list) -> list:
        make = self.spec.record
        if self.converted:
            rows = [self._convert(row) for row in rows]
        if not self.link_slots:
            return [make(*row) for row in rows]
        unpack = _Unpacker()
        if len(self.link_slots) == 1:
            (slot,) = self.link_slots
            after = slot + 1
            return [make(*row[:slot], unpack(row[slot]), *row[after:]) for row in rows]
        out = []
        for row in rows:
            values = list(row)
            for slot in self.link_slots:
                values[slot] = unpack(values[slot])
            out.append(make(*values))
        return out

    def expression(self, field_name: str) -> str:
        if field_name not in self.expressions:
            raise StoreError(
                f"{self.spec.name} have no field {field_name!r}; "
                f"fields: {', '.join(self.spec.fields)}"
            )
        return self.expressions[field_name]

    def project(self, rows: list, fields: tuple[str, ...]) -> list[tuple]:
        """Rows of some fields as tuples, converted as :meth:`build` would.

        Works column by column: each converted column is mapped in one pass
        and the tuples are zipped back together in C, instead of a Python
        loop building every row twice.
        """
        if not rows:
            return rows
        kinds = codec.FieldKinds(self.spec).kinds
        convert = {"bool": bool, "float": _as_float}
        columns = list(zip(*rows, strict=True))
        converted = False
        for i, name in enumerate(fields):
            if name in self.spec.links:
                # Split each distinct packed text once, then only look them up.
                split = {t: _split_packed(t) for t in set(columns[i])}
                columns[i] = map(split.__getitem__, columns[i])
                converted = True
            elif kinds.get(name) in convert:
                columns[i] = map(convert[kinds[name]], columns[i])
                converted = True
        return list(zip(*columns, strict=True)) if converted else rows

    def _convert(self, row: tuple) -> list:
        values = list(row)
        for i, convert in self.converted:
            values[i] = convert(values[i])
        return values


class _Unpacker(dict):
    """Packed link text -> tuple of values; one tuple per distinct text.

    Thousands of clusters share a few hundred sector lists: splitting each
    list once and sharing the tuple saves the time and the memory.
    """

    def __call__(self, packed: str) -> tuple[str, ...]:
        found = self.get(packed)
        if found is None:
            found = self[packed] = _split_packed(packed)
        return found


def _split_packed(packed: str) -> tuple[str, ...]:
    return tuple(packed.split(PACK_SEPARATOR)) if packed else ()


@contextlib.contextmanager
def _collection_paused() -> Iterator[None]:
    """Keep the cyclic garbage collector out while rows and records are made.

    Rows and records hold no reference cycles, yet every few hundred new
    objects the collector would walk the young ones again, and now and then
    every object of the program (the store's cached tables among them): a
    quarter to a third of the time of a 17,000-row list. It is switched
    back on only if it was on.
    """
    was_on = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_on:
            gc.enable()


def _as_float(value: object) -> float | None:
    return float(value) if value is not None else None  # type: ignore[arg-type]


def _expression(kinds: codec.FieldKinds, column: str) -> str:
    """The SQL that reads ``column`` as :func:`codec.from_db` would convert it."""
    kind = kinds.kinds[column]
    if kind == "str":
        return f"coalesce([{column}], '')"
    if kind == "int" and column not in kinds.optional_int:
        return f"coalesce([{column}], 0)"
    return f"[{column}]"


_SHAPES: dict[str, _Shape] = {}


def _shape(sp: EntitySpec) -> _Shape:
    if sp.name not in _SHAPES:
        _SHAPES[sp.name] = _Shape(sp)
    return _SHAPES[sp.name]


def load(
    db: sqlite_utils.Database,
    entity: str,
    where: str = "",
    params: tuple = (),
    fields: tuple[str, ...] | None = None,
) -> list:
    """Records of ``entity`` matching an optional SQL condition, sorted by label.

    With ``fields``, tuples of just those fields' values instead of records
    (a list that shows five columns need not read and build all thirteen).
    """
    sp = spec(entity)
    shape = _shape(sp)
    select = shape.select if fields is None else ", ".join(shape.expression(f) for f in fields)
    sql = f"SELECT {select} FROM [{sp.table}]"
    if where:
        sql += f" WHERE {where}"
    sql += f" ORDER BY {sp.order or f'[{sp.label}] COLLATE NOCASE'}, slug"
    with _collection_paused():
        rows = db.conn.execute(sql, params).fetchall()
        made = shape.build(rows) if fields is None else shape.project(rows, fields)
        del rows  # gone before the collector is back, so it never walks them
    return made


def _place_conditions(
    country: str | None, regions: set[str] | None, region_led: bool = False
) -> tuple[list[str], list[object]]:
    """SQL conditions (and their parameters) for a country and a region scope.

    ``region_led``: look the rows up by region only and check the country on
    what is read (``+country`` keeps SQLite from choosing the (country,
    region) index), for a query an index led by region covers.
    """
    conditions: list[str] = []
    params: list[object] = []
    if country is not None:
        conditions.append("+country = ?" if region_led and regions is not None else "country = ?")
        params.append(country)
    if regions is not None:
        conditions.append("region IN (SELECT value FROM json_each(?))")
        params.append(json.dumps(sorted(regions)))
    return conditions, params


def filtered(
    db: sqlite_utils.Database,
    entity: str,
    country: str | None = None,
    regions: set[str] | None = None,
    sectors: set[str] | None = None,
    equal: dict[str, object] | None = None,
    fields: tuple[str, ...] | None = None,
) -> list:
    """Records within a country (ISO code), a region scope and a sector scope.

    A record is in a sector scope when any of its sectors is. ``equal`` holds
    further fields that must have the given value (None means any). The
    conditions are all checked in SQL, so a filter that keeps a few records
    out of many reads only those few.
    """
    sp = spec(entity)
    expressions = _shape(sp).expressions
    conditions, params = _place_conditions(country, regions)
    if sectors is not None:
        scope = json.dumps(sorted(sectors))
        if "sectors" in sp.links:
            link = sp.links["sectors"]
            conditions.append(
                f"EXISTS (SELECT 1 FROM [{link.table}] WHERE [{link.owner}] = [{sp.table}].slug "
                f"AND [{link.value}] IN (SELECT value FROM json_each(?)))"
            )
        else:
            conditions.append("sector IN (SELECT value FROM json_each(?))")
        params.append(scope)
    for column, value in (equal or {}).items():
        if value is not None:
            conditions.append(f"{expressions[column]} = ?")
            params.append(value)
    return load(db, entity, " AND ".join(conditions), tuple(params), fields)


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
    return descendants(children, slug)


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
    return descendants(children, slug)


def sector_scopes(db: sqlite_utils.Database) -> dict[str, set[str]]:
    """Every sector's scope (itself and its descendants), from one read."""
    children: dict[str, set[str]] = defaultdict(set)
    every = []
    for slug, parent in db.conn.execute("SELECT slug, parent FROM sectors"):
        every.append(slug)
        if parent:
            children[parent].add(slug)
    return {slug: descendants(children, slug) for slug in every}


def count_in_sector_scopes(
    db: sqlite_utils.Database,
    entity: str,
    country: str | None,
    regions: set[str] | None,
    scopes: dict[str, set[str]],
) -> dict[str, int]:
    """Records (in a country and region scope) per sector scope; empty ones left out.

    A record counts once for a key even when several of its sectors fall in
    that key's scope. The selection panel asks after every click: SQL groups
    the records by their packed sector list (a few hundred distinct lists
    among 100,000 clusters), and only those lists are looked at here.
    """
    sp = spec(entity)
    # The clusters' listing index (region first) holds the packed sectors and
    # the country: a region's counts are then read from the index alone.
    conditions, params = _place_conditions(country, regions, region_led=entity == "clusters")
    column = packed_column("sectors")
    sql = (
        f"SELECT [{column}], count(*) FROM [{sp.table}] "
        f"WHERE {' AND '.join(conditions) or '1'} GROUP BY [{column}]"
    )
    keys_of: dict[str, list[str]] = defaultdict(list)
    for key, scope in scopes.items():
        for member in scope:
            keys_of[member].append(key)
    counts: dict[str, int] = {}
    for packed, many in db.conn.execute(sql, params):
        hit = {key for sector in packed.split(PACK_SEPARATOR) for key in keys_of.get(sector, ())}
        for key in hit:
            counts[key] = counts.get(key, 0) + many
    return counts


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
