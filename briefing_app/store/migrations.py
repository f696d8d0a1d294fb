"""Numbered schema migrations, applied once each and recorded in the file.

Each function brings the schema from one version to the next. They run in
order through sqlite-utils' migration set, which records every applied
migration in ``_sqlite_migrations`` in the same transaction as its changes.
A function is never edited once released: a later change is a new function.

A file that records a migration this program does not know was written by a
newer Briefing Builder; it is refused rather than guessed at.
"""

from __future__ import annotations

import re
from pathlib import Path

import sqlite_utils
from sqlite_utils import Migrations

from briefing_app.errors import StoreError
from briefing_app.store.migration_kinds import V12_KINDS as _V12_KINDS

MIGRATION_SET = "briefing"
migrations = Migrations(MIGRATION_SET)


def _link(
    db: sqlite_utils.Database,
    table: str,
    owner: str,
    owner_table: str,
    value: str,
    target: tuple[str, str] | None,
) -> None:
    """A link table: one row per (owner, value), ordered by ``position``."""
    fks = [(owner, owner_table, "slug")]
    if target:
        fks.append((value, target[0], target[1]))
    db[table].create(
        {owner: str, value: str, "position": int},
        pk=(owner, value),
        foreign_keys=fks,
        not_null=[owner, value],
    )
    db[table].create_index([value])


@migrations(name="v1_reference_data")
def v1_reference_data(db: sqlite_utils.Database) -> None:
    """Sources, places, sectors and the facts that hang off them."""
    db["sources"].create(
        {
            "slug": str,
            "title": str,
            "author": str,
            "publisher": str,
            "url": str,
            "published": str,
            "accessed": str,
            "note": str,
        },
        pk="slug",
        not_null=["title"],
    )
    db["countries"].create(
        {
            "slug": str,
            "iso_code": str,
            "name": str,
            "local_name": str,
            "description": str,
            "source": str,
        },
        pk="slug",
        not_null=["iso_code", "name"],
        foreign_keys=[("source", "sources", "slug")],
    )
    db["countries"].create_index(["iso_code"], unique=True)
    db["regions"].create(
        {
            "slug": str,
            "name": str,
            "kind": str,
            "country": str,
            "local_name": str,
            "parent": str,
            "description": str,
            "source": str,
        },
        pk="slug",
        not_null=["name", "kind", "country"],
        foreign_keys=[
            ("country", "countries", "iso_code"),
            ("parent", "regions", "slug"),
            ("source", "sources", "slug"),
        ],
    )
    db["regions"].create_index(["parent"])
    _link(db, "region_groups", "region", "regions", "group_region", ("regions", "slug"))
    db["sectors"].create(
        {"slug": str, "name": str, "parent": str, "description": str},
        pk="slug",
        not_null=["name"],
        foreign_keys=[("parent", "sectors", "slug")],
    )
    _link(db, "sector_aliases", "sector", "sectors", "alias", None)
    db["clusters"].create(
        {
            "slug": str,
            "name": str,
            "kind": str,
            "country": str,
            "region": str,
            "local_name": str,
            "city": str,
            "city_local": str,
            "industry": str,
            "established": int,
            "description": str,
            "source": str,
        },
        pk="slug",
        not_null=["name", "kind", "country", "region"],
        foreign_keys=[
            ("country", "countries", "iso_code"),
            ("region", "regions", "slug"),
            ("source", "sources", "slug"),
        ],
    )
    db["clusters"].create_index(["region"])
    _link(db, "cluster_sectors", "cluster", "clusters", "sector", ("sectors", "slug"))
    db["partnerships"].create(
        {
            "slug": str,
            "acronym": str,
            "name": str,
            "kind": str,
            "start_year": int,
            "end_year": int,
            "website": str,
            "objective": str,
            "description": str,
            "source": str,
        },
        pk="slug",
        not_null=["acronym", "name", "kind"],
        foreign_keys=[("source", "sources", "slug")],
    )
    _link(db, "partnership_sectors", "partnership", "partnerships", "sector", ("sectors", "slug"))
    _link(
        db,
        "partnership_countries",
        "partnership",
        "partnerships",
        "country",
        ("countries", "iso_code"),
    )
    db["policies"].create(
        {
            "slug": str,
            "name": str,
            "country": str,
            "level": str,
            "region": str,
            "local_name": str,
            "is_cluster_policy": int,
            "objectives": str,
            "focus": str,
            "authorities": str,
            "beneficiaries": str,
            "financial_instruments": str,
            "technical_instruments": str,
            "start_year": int,
            "end_year": int,
            "continuity": str,
            "budget": str,
            "funding_source": str,
            "evaluation": str,
            "evaluation_note": str,
            "description": str,
        },
        pk="slug",
        not_null=["name", "country", "level"],
        foreign_keys=[("country", "countries", "iso_code"), ("region", "regions", "slug")],
    )
    _link(db, "policy_sectors", "policy", "policies", "sector", ("sectors", "slug"))
    _link(db, "policy_sources", "policy", "policies", "source", ("sources", "slug"))
    db["organisations"].create(
        {
            "slug": str,
            "name": str,
            "kind": str,
            "country": str,
            "region": str,
            "local_name": str,
            "website": str,
            "description": str,
            "source": str,
        },
        pk="slug",
        not_null=["name", "kind", "country"],
        foreign_keys=[
            ("country", "countries", "iso_code"),
            ("region", "regions", "slug"),
            ("source", "sources", "slug"),
        ],
    )
    _link(
        db, "organisation_sectors", "organisation", "organisations", "sector", ("sectors", "slug")
    )
    db["indicators"].create(
        {
            "slug": str,
            "name": str,
            "value": float,
            "unit": str,
            "year": int,
            "country": str,
            "source": str,
            "series": str,
            "region": str,
            "sector": str,
            "note": str,
        },
        pk="slug",
        not_null=["name", "value", "year", "country", "source"],
        foreign_keys=[
            ("country", "countries", "iso_code"),
            ("source", "sources", "slug"),
            ("region", "regions", "slug"),
            ("sector", "sectors", "slug"),
        ],
    )
    db["indicators"].create_index(["series"])


@migrations(name="v2_sections_blueprints_briefings")
def v2_sections_blueprints_briefings(db: sqlite_utils.Database) -> None:
    """The section library with its history, blueprints and saved briefings.

    Applicability lists of a section are ';'-joined slugs rather than foreign
    keys: a shipped section may name a region the user's data does not hold.
    """
    db["sections"].create(
        {
            "slug": str,
            "title": str,
            "body": str,
            "shipped_body": str,
            "sectors": str,
            "regions": str,
            "partnerships": str,
            "version": int,
            "updated": str,
        },
        pk="slug",
        not_null=["title", "body", "version"],
    )
    db["section_versions"].create(
        {"section": str, "version": int, "title": str, "body": str, "saved": str, "note": str},
        pk=("section", "version"),
        foreign_keys=[("section", "sections", "slug")],
    )
    db["blueprints"].create(
        {"slug": str, "name": str, "description": str, "outline_yaml": str, "shipped_yaml": str},
        pk="slug",
        not_null=["name", "outline_yaml"],
    )
    db["briefings"].create(
        {"slug": str, "name": str, "selection_json": str, "updated": str},
        pk="slug",
        not_null=["name", "selection_json"],
    )


@migrations(name="v3_full_text_search")
def v3_full_text_search(db: sqlite_utils.Database) -> None:
    """One trigram index over clusters, policies, organisations and sections.

    Trigrams match any three characters in a row, so Chinese (which has no
    spaces between words) is found as well as Latin text.
    """
    db.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "entity UNINDEXED, slug UNINDEXED, name, body, tokenize='trigram')"
    )


@migrations(name="v4_search_row_keys")
def v4_search_row_keys(db: sqlite_utils.Database) -> None:
    """Find a record's index entry by key: FTS5 cannot index its UNINDEXED columns,
    so replacing one entry by (entity, slug) scanned the whole index."""
    db["search_rows"].create(
        {"entity": str, "slug": str, "row": int}, pk=("entity", "slug"), not_null=["row"]
    )
    from briefing_app.store import search  # late: search needs the tables above

    search.reindex_all(db)


# Link tables: (owner column, value column) each.
_LINK_TABLES = {
    "region_groups": ("region", "group_region"),
    "sector_aliases": ("sector", "alias"),
    "cluster_sectors": ("cluster", "sector"),
    "partnership_sectors": ("partnership", "sector"),
    "partnership_countries": ("partnership", "country"),
    "policy_sectors": ("policy", "sector"),
    "policy_sources": ("policy", "source"),
    "organisation_sectors": ("organisation", "sector"),
}
_SECTOR_LINKS = ("cluster_sectors", "partnership_sectors", "policy_sectors", "organisation_sectors")


@migrations(name="v5_list_filter_indexes")
def v5_list_filter_indexes(db: sqlite_utils.Database) -> None:
    """Indexes behind filtered lists (country, region scope, sector scope).

    Places are filtered by country and region together. A link table's rows
    are read for the listed records only, in order, straight from an
    (owner, position, value) index without touching the table; a sector
    scope can also be looked up from the sector side through (sector, owner).
    """
    for table in ("clusters", "organisations", "policies", "indicators"):
        db[table].create_index(["country", "region"], if_not_exists=True)
    db["indicators"].create_index(["sector"], if_not_exists=True)
    for table, (owner, value) in _LINK_TABLES.items():
        db[table].create_index([owner, "position", value], if_not_exists=True)
    for table in _SECTOR_LINKS:
        owner, value = _LINK_TABLES[table]
        db[table].create_index([value, owner], if_not_exists=True)


# (owner table, field, link table): every multi-valued field when v6 was written.
_PACKED_FIELDS = (
    ("regions", "groups", "region_groups"),
    ("sectors", "aliases", "sector_aliases"),
    ("clusters", "sectors", "cluster_sectors"),
    ("partnerships", "sectors", "partnership_sectors"),
    ("partnerships", "target_countries", "partnership_countries"),
    ("policies", "sectors", "policy_sectors"),
    ("policies", "sources", "policy_sources"),
    ("organisations", "sectors", "organisation_sectors"),
)


@migrations(name="v6_packed_link_columns")
def v6_packed_link_columns(db: sqlite_utils.Database) -> None:
    """Each multi-valued field also packed into a column of its owner's table.

    Reading 17,000 clusters spent as long grouping their link rows as
    reading the clusters themselves; with the values packed beside the
    record, a list is one query. Existing rows are filled from the link
    tables, in position order; a value holding the separator (no check
    refused it before this version) has it replaced by a space.
    """
    from briefing_app.store.entities import PACK_SEPARATOR, packed_column

    for table, field, link_table in _PACKED_FIELDS:
        column = packed_column(field)
        owner, value = _LINK_TABLES[link_table]
        db.execute(f"ALTER TABLE [{table}] ADD COLUMN [{column}] TEXT NOT NULL DEFAULT ''")
        packed: dict[str, list[str]] = {}
        for slug, item in db.execute(
            f"SELECT [{owner}], [{value}] FROM [{link_table}] ORDER BY [{owner}], position"
        ):
            packed.setdefault(slug, []).append(item.replace(PACK_SEPARATOR, " "))
        db.conn.executemany(
            f"UPDATE [{table}] SET [{column}] = ? WHERE slug = ?",
            [(PACK_SEPARATOR.join(items), slug) for slug, items in packed.items()],
        )


@migrations(name="v7_cluster_listing_index")
def v7_cluster_listing_index(db: sqlite_utils.Database) -> None:
    """An index that answers "the clusters of a region, by name" by itself.

    ``briefing list clusters --region`` shows slug, name, city (both
    spellings) and sectors. A province can hold a sixth of a large base's
    clusters, spread over nearly every page of the table; with those fields
    in an index keyed on region and ordered as the list is, SQLite reads
    the index alone: 17,000 clusters of 100,000 in half the time. With the
    country too, it also answers the selection panel's sector counts.
    """
    db.execute(
        "CREATE INDEX IF NOT EXISTS idx_clusters_listing ON clusters "
        "(region, name COLLATE NOCASE, slug, city, city_local, sectors_packed, country)"
    )


# Tables whose records gained an ``editor_note`` in v8_editor_notes_official_acronyms.
_EDITOR_NOTE_TABLES = ("clusters", "partnerships", "policies", "organisations", "indicators")


@migrations(name="v8_editor_notes_official_acronyms")
def v8_editor_notes_official_acronyms(db: sqlite_utils.Database) -> None:
    """Notes for editors in their own field; acronyms marked official or not.

    Reader text must not carry notes meant for editors ("Box 2 prints it
    under 2021 ...") nor acronyms made up for the knowledge base. Each record
    that may carry such a note gains ``editor_note`` (shown in the data
    browser, never printed); partnerships gain ``acronym_official``. Rows that
    exist already keep printing their acronym, as they did before, unless
    their description says it was added for the knowledge base.
    """
    for table in _EDITOR_NOTE_TABLES:
        db.execute(f"ALTER TABLE [{table}] ADD COLUMN editor_note TEXT NOT NULL DEFAULT ''")
    db.execute("ALTER TABLE partnerships ADD COLUMN acronym_official INTEGER NOT NULL DEFAULT 0")
    db.execute(
        "UPDATE partnerships SET acronym_official = 1 WHERE acronym <> '' "
        "AND COALESCE(description, '') NOT LIKE '%acronym added%' "
        "AND COALESCE(description, '') NOT LIKE '%acronym is the usual short name%'"
    )


@migrations(name="v9_region_positions")
def v9_region_positions(db: sqlite_utils.Database) -> None:
    """Regions get a position on the map: the latitude and longitude of their
    label point (usually the capital) and the source of that position.

    All three start empty, so a region without a position is simply left off
    the maps; ``position_source`` points at a source like ``source`` does.
    """
    db.execute("ALTER TABLE regions ADD COLUMN latitude FLOAT")
    db.execute("ALTER TABLE regions ADD COLUMN longitude FLOAT")
    db.execute("ALTER TABLE regions ADD COLUMN position_source TEXT REFERENCES sources(slug)")


@migrations(name="v10_search_spellings")
def v10_search_spellings(db: sqlite_utils.Database) -> None:
    """The search index gains a ``variants`` column: each record's text without
    diacritics and, for Chinese, in the other script, so that a query finds a
    record whatever the spelling typed (富阳 or 富陽, "Lodz" or "Łódź").
    FTS5 tables take no new column, so the index is made again and refilled."""
    db.execute("DROP TABLE IF EXISTS search_index")
    db.execute(
        "CREATE VIRTUAL TABLE search_index USING fts5("
        "entity UNINDEXED, slug UNINDEXED, name, body, variants, tokenize='trigram')"
    )
    from briefing_app.store import search  # late: search needs the tables above

    search.reindex_all(db)


@migrations(name="v11_profiles")
def v11_profiles(db: sqlite_utils.Database) -> None:
    """Profiles of visitors (European cluster organisations, regions,
    companies) for the partner finder: their sectors, keywords, what they
    seek and the value-chain steps they cover, each in a link table with
    its values also packed in the owner's row (as v6 does for the others).

    ``country`` is the visitor's own ISO code, not a reference: a European
    visitor's country need not be in the knowledge base.
    """
    db["profiles"].create(
        {
            "slug": str,
            "name": str,
            "kind": str,
            "country": str,
            "size": int,
            "rd_intensity": float,
            "description": str,
            "source": str,
            "editor_note": str,
            "sectors_packed": str,
            "keywords_packed": str,
            "seeks_packed": str,
            "value_chain_packed": str,
        },
        pk="slug",
        not_null=["name", "kind", "country"],
        defaults={
            "editor_note": "",
            "sectors_packed": "",
            "keywords_packed": "",
            "seeks_packed": "",
            "value_chain_packed": "",
        },
        foreign_keys=[("source", "sources", "slug")],
    )
    for table, value, target in (
        ("profile_sectors", "sector", ("sectors", "slug")),
        ("profile_keywords", "keyword", None),
        ("profile_seeks", "seek", None),
        ("profile_value_chain", "step", None),
    ):
        _link(db, table, "profile", "profiles", value, target)
        db[table].create_index(["profile", "position", value], if_not_exists=True)


# Where the records of each entity keep their kind, and the grouping a kind
# found in the records but not in _V12_KINDS gets.
_V12_KIND_FIELDS = (
    ("regions", "kind", "place"),
    ("clusters", "kind", "cluster"),
    ("partnerships", "kind", "cooperation"),
    ("organisations", "kind", "other"),
    ("policies", "level", "regional"),
)


def _v12_code(text: str, taken: set[str]) -> str:
    """A slug for a kind an organisation stored as free text ("Research
    Institute" -> "research-institute"), unused among ``taken``."""
    import unicodedata

    folded = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    code = re.sub(r"[^a-z0-9]+", "-", folded.lower()).strip("-") or "kind"
    found, n = code, 1
    while found in taken:
        n += 1
        found = f"{code}-{n}"
    return found


@migrations(name="v12_kinds")
def v12_kinds(db: sqlite_utils.Database) -> None:
    """Kinds become a table users extend by import (issue 15): per entity and
    code, the label and plural readers see, a description, and a grouping
    that tells the briefing how to treat the records of that kind.

    The table starts with every kind the program knew, plus the partnership
    kinds trade-agreement, bilateral-programme and eu-programme-project.
    A kind a record already holds that is not among them (organisations'
    kinds were free text) gets a row of its own, labelled with its text;
    such a text that is not a slug is replaced in the records by a slug made
    from it, so that every record's kind names a row.
    """
    db["kinds"].create(
        {
            "slug": str,
            "entity": str,
            "code": str,
            "label": str,
            "grouping": str,
            "plural": str,
            "description": str,
            "sort_order": int,
        },
        pk="slug",
        not_null=["entity", "code", "label", "grouping"],
        defaults={"plural": "", "description": "", "sort_order": 0},
    )
    db["kinds"].create_index(["entity", "code"], unique=True)
    rows = [
        (f"{entity}-{code}", entity, code, label, grouping, plural, text, order)
        for entity, code, label, plural, grouping, order, text in _V12_KINDS
    ]
    renamed = False
    for entity, column, grouping in _V12_KIND_FIELDS:
        known = {code for e, code, *_ in _V12_KINDS if e == entity}
        found = [
            value
            for (value,) in db.execute(
                f"SELECT DISTINCT [{column}] FROM [{entity}] WHERE coalesce([{column}], '') <> ''"
            )
        ]
        for value in sorted(v for v in found if v not in known):
            code = value
            if not re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", value):
                code = _v12_code(value, known)
                db.execute(
                    f"UPDATE [{entity}] SET [{column}] = ? WHERE [{column}] = ?", (code, value)
                )
                renamed = True
            known.add(code)
            label = value.replace("-", " ") if code == value else value
            rows.append((f"{entity}-{code}", entity, code, label, grouping, "", "", 100))
    db.conn.executemany(
        "INSERT INTO kinds (slug, entity, code, label, grouping, plural, description, "
        "sort_order) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        rows,
    )
    if renamed:  # organisations' kinds are searchable text
        from briefing_app.store import search

        search.reindex_all(db)


@migrations(name="v13_library_listing")
def v13_library_listing(db: sqlite_utils.Database) -> None:
    """What the shipped section and blueprint folders held (a digest of each
    file's path, size and modification time) when the stored library was
    last found to match them, so that opening the store reads the files
    only when the folders changed. Any insert, update or delete in
    ``sections`` or ``blueprints`` forgets it: the next opening compares
    every file again."""
    db.execute("CREATE TABLE library_listing (folder TEXT PRIMARY KEY, listing TEXT NOT NULL)")
    for table in ("sections", "blueprints"):
        for event in ("INSERT", "UPDATE", "DELETE"):
            db.execute(
                f"CREATE TRIGGER {table}_{event.lower()}_forgets_listing AFTER {event} ON {table} "
                "BEGIN DELETE FROM library_listing; END"
            )


@migrations(name="v14_shipped_fingerprints")
def v14_shipped_fingerprints(db: sqlite_utils.Database) -> None:
    """What the shipped knowledge base (``db/seed``) gave this file, so that
    ``briefing db update-shipped`` can tell a record the user changed from
    one still as shipped: per entity and slug, a fingerprint of the record
    as shipped (``shipped_records``), and the seed's own fingerprint
    (``shipped_seed``, name ``seed``).

    Both start empty in an existing file: it was made before they were kept,
    and its first update only adds what is missing and fills empty fields.
    """
    db["shipped_records"].create(
        {"entity": str, "slug": str, "fingerprint": str},
        pk=("entity", "slug"),
        not_null=["entity", "slug", "fingerprint"],
    )
    db["shipped_seed"].create({"name": str, "value": str}, pk="name", not_null=["value"])


@migrations(name="v15_search_partnerships_profiles")
def v15_search_partnerships_profiles(db: sqlite_utils.Database) -> None:
    """Partnerships (name, acronym, objective, ...) and visitor profiles
    (keywords, value chain, ...) join the full-text index."""
    from briefing_app.store import search

    search.reindex_all(db)


KNOWN = [m.name for m in migrations._migrations]
SCHEMA_VERSION = len(KNOWN)


def applied(db: sqlite_utils.Database) -> list[str]:
    return [m.name for m in migrations.applied(db)]


def schema_version(db: sqlite_utils.Database) -> int:
    return len(applied(db))


def check_not_newer(db: sqlite_utils.Database, path: Path) -> None:
    """Refuse a file written by a newer program before touching it."""
    unknown = [name for name in applied(db) if name not in KNOWN]
    if unknown:
        raise StoreError(
            f"{path} was written by a newer version of Briefing Builder (schema version "
            f"{len(applied(db))}, this program knows up to {SCHEMA_VERSION}: unknown "
            f"change {unknown[0]!r}). Update Briefing Builder, or open a backup made "
            f"by this version with `briefing db restore`."
        )


def pending(db: sqlite_utils.Database) -> list[str]:
    return [m.name for m in migrations.pending(db)]


def migrate(db: sqlite_utils.Database, stop_before: str | None = None) -> None:
    """Apply every pending migration (each in its own transaction)."""
    migrations.apply(db, stop_before=stop_before)
