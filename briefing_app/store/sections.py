"""Sections (with their history), blueprints and saved briefings in the database.

Every save of a section writes a new row in ``section_versions``; nothing
there is ever overwritten, so any earlier text can be looked at again.
Saving is optimistic: the caller says which version it started from and a
ConflictError tells it when someone else saved in between.

The shipped library is synchronised on open: new shipped sections and
blueprints are added, and a shipped text that changed replaces the stored
one only where the user has not edited it.
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlite_utils

from briefing_app.errors import ConflictError, NotFoundError
from briefing_app.store import library, search
from briefing_app.store.records import Blueprint, Briefing, Section, SectionVersion

_SECTION_COLS = "slug, title, body, shipped_body, sectors, regions, partnerships, version, updated"


def now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


def _join(values: tuple[str, ...]) -> str:
    return ";".join(values)


def _split(text: str | None) -> tuple[str, ...]:
    return tuple(v for v in (text or "").split(";") if v)


def _section(row) -> Section:
    return Section(
        row[0],
        row[1],
        row[2],
        row[3] or "",
        _split(row[4]),
        _split(row[5]),
        _split(row[6]),
        row[7],
        row[8] or "",
    )


def all_sections(db: sqlite_utils.Database) -> list[Section]:
    rows = db.conn.execute(f"SELECT {_SECTION_COLS} FROM sections ORDER BY slug").fetchall()
    return [_section(r) for r in rows]


def get_section(db: sqlite_utils.Database, slug: str) -> Section:
    row = db.conn.execute(
        f"SELECT {_SECTION_COLS} FROM sections WHERE slug = ?", (slug,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no section {slug!r}")
    return _section(row)


def save_section(
    db: sqlite_utils.Database, section: Section, expected_version: int | None, note: str = ""
) -> Section:
    """Store a new version of a section (inside the caller's write transaction).

    ``expected_version`` is the version the editor started from; None means
    "a new section", which conflicts if the slug exists already.
    """
    row = db.conn.execute("SELECT version FROM sections WHERE slug = ?", (section.slug,)).fetchone()
    current = row[0] if row else None
    if current != expected_version:
        if current is None:
            raise ConflictError(f"section {section.slug!r} was deleted meanwhile")
        raise ConflictError(
            f"section {section.slug!r} was saved elsewhere meanwhile (now version {current}, "
            f"you edited version {expected_version}); reload it and apply your change again"
        )
    version = (current or 0) + 1
    stamp = now()
    db.conn.execute(
        "INSERT INTO sections (slug, title, body, shipped_body, sectors, regions, partnerships, "
        "version, updated) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT(slug) DO UPDATE SET "
        "title = excluded.title, body = excluded.body, sectors = excluded.sectors, "
        "regions = excluded.regions, partnerships = excluded.partnerships, "
        "version = excluded.version, updated = excluded.updated",
        (
            section.slug,
            section.title,
            section.body,
            section.shipped_body,
            _join(section.sectors),
            _join(section.regions),
            _join(section.partnerships),
            version,
            stamp,
        ),
    )
    db.conn.execute(
        "INSERT INTO section_versions (section, version, title, body, saved, note) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (section.slug, version, section.title, section.body, stamp, note),
    )
    search.refresh(db, "sections", section.slug)
    return get_section(db, section.slug)


def section_history(db: sqlite_utils.Database, slug: str) -> list[SectionVersion]:
    """Every saved version of a section, oldest first."""
    get_section(db, slug)
    rows = db.conn.execute(
        "SELECT section, version, body, title, saved, note FROM section_versions "
        "WHERE section = ? ORDER BY version",
        (slug,),
    ).fetchall()
    return [SectionVersion(*row) for row in rows]


def library_is_current(
    db: sqlite_utils.Database,
    shipped: list[library.ShippedSection],
    blueprints: list[Blueprint],
) -> bool:
    """True when every shipped text is already stored (a read-only look, no write lock)."""
    stored = dict(db.conn.execute("SELECT slug, shipped_body FROM sections"))
    if any(stored.get(item.slug) != item.body for item in shipped):
        return False
    stored = dict(db.conn.execute("SELECT slug, shipped_yaml FROM blueprints"))
    return all(stored.get(item.slug) == item.outline_yaml for item in blueprints)


def listing_is_recorded(db: sqlite_utils.Database, digest: str) -> bool:
    """True when the last look at the shipped folders found them as ``digest``
    says and nothing in sections or blueprints changed since (triggers of
    v12 forget the listing at any change)."""
    row = db.conn.execute("SELECT listing FROM library_listing WHERE folder = 'shipped'").fetchone()
    return row is not None and row[0] == digest


def record_listing(db: sqlite_utils.Database, digest: str) -> None:
    """Remember that the stored library matches the shipped folders as ``digest``."""
    db.conn.execute(
        "INSERT OR REPLACE INTO library_listing (folder, listing) VALUES ('shipped', ?)", (digest,)
    )


def sync_shipped_sections(db: sqlite_utils.Database, shipped: list[library.ShippedSection]) -> int:
    """Add new shipped sections; update unedited ones whose shipped text changed."""
    changed = 0
    for item in shipped:
        row = db.conn.execute(
            "SELECT version, body, shipped_body, title FROM sections WHERE slug = ?", (item.slug,)
        ).fetchone()
        fresh = Section(
            item.slug,
            item.title,
            item.body,
            item.body,
            item.sectors,
            item.regions,
            item.partnerships,
        )
        if row is None:
            save_section(db, fresh, None, note="shipped")
            changed += 1
        elif row[2] != item.body and row[1] == row[2]:
            save_section(db, fresh, row[0], note="shipped update")
            db.conn.execute(
                "UPDATE sections SET shipped_body = ? WHERE slug = ?", (item.body, item.slug)
            )
            changed += 1
        elif row[2] != item.body:
            # The user edited it: keep their text, but remember the new default.
            db.conn.execute(
                "UPDATE sections SET shipped_body = ? WHERE slug = ?", (item.body, item.slug)
            )
            changed += 1
    return changed


def all_blueprints(db: sqlite_utils.Database) -> list[Blueprint]:
    rows = db.conn.execute(
        "SELECT slug, name, description, outline_yaml FROM blueprints ORDER BY name"
    ).fetchall()
    return [Blueprint(*(v or "" for v in row)) for row in rows]


def get_blueprint(db: sqlite_utils.Database, slug: str) -> Blueprint:
    row = db.conn.execute(
        "SELECT slug, name, description, outline_yaml FROM blueprints WHERE slug = ?", (slug,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no blueprint {slug!r}")
    return Blueprint(*(v or "" for v in row))


def save_blueprint(db: sqlite_utils.Database, blueprint: Blueprint) -> None:
    db.conn.execute(
        "INSERT INTO blueprints (slug, name, description, outline_yaml) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(slug) DO UPDATE SET name = excluded.name, "
        "description = excluded.description, outline_yaml = excluded.outline_yaml",
        (blueprint.slug, blueprint.name, blueprint.description, blueprint.outline_yaml),
    )


def sync_shipped_blueprints(db: sqlite_utils.Database, shipped: list[Blueprint]) -> int:
    """Add new shipped blueprints; update those the user has not edited."""
    changed = 0
    for item in shipped:
        row = db.conn.execute(
            "SELECT outline_yaml, shipped_yaml FROM blueprints WHERE slug = ?", (item.slug,)
        ).fetchone()
        if row is not None and row[1] == item.outline_yaml:
            continue
        if row is None or row[0] == row[1]:
            save_blueprint(db, item)
        db.conn.execute(
            "UPDATE blueprints SET shipped_yaml = ? WHERE slug = ?", (item.outline_yaml, item.slug)
        )
        changed += 1
    return changed


def all_briefings(db: sqlite_utils.Database) -> list[Briefing]:
    rows = db.conn.execute(
        "SELECT slug, name, selection_json, updated FROM briefings ORDER BY name"
    ).fetchall()
    return [Briefing(*row) for row in rows]


def get_briefing(db: sqlite_utils.Database, slug: str) -> Briefing:
    row = db.conn.execute(
        "SELECT slug, name, selection_json, updated FROM briefings WHERE slug = ?", (slug,)
    ).fetchone()
    if row is None:
        raise NotFoundError(f"no saved briefing {slug!r}")
    return Briefing(*row)


def save_briefing(
    db: sqlite_utils.Database, briefing: Briefing, expected: Briefing | None = None
) -> Briefing:
    """Insert or replace a saved briefing.

    With ``expected`` (the briefing as the caller last read it), a stored
    briefing that has changed since then is not overwritten: ConflictError.
    """
    if expected is not None:
        row = db.conn.execute(
            "SELECT name, selection_json FROM briefings WHERE slug = ?", (briefing.slug,)
        ).fetchone()
        if row is not None and tuple(row) != (expected.name, expected.selection_json):
            raise ConflictError(
                f"the saved briefing {briefing.name!r} was changed in another window or "
                "process since you opened it; nothing was overwritten. Save it under another "
                "name (Save As), or reopen it to see the other changes."
            )
    stamp = now()
    db.conn.execute(
        "INSERT INTO briefings (slug, name, selection_json, updated) VALUES (?, ?, ?, ?) "
        "ON CONFLICT(slug) DO UPDATE SET name = excluded.name, "
        "selection_json = excluded.selection_json, updated = excluded.updated",
        (briefing.slug, briefing.name, briefing.selection_json, stamp),
    )
    return get_briefing(db, briefing.slug)


def delete_briefing(db: sqlite_utils.Database, slug: str) -> None:
    get_briefing(db, slug)
    db.conn.execute("DELETE FROM briefings WHERE slug = ?", (slug,))
