"""Full-text search over clusters, policies, organisations, partnerships,
visitor profiles and sections.

One FTS5 table with the trigram tokenizer holds, per record, a name and a
body of searchable text: the record's own words plus the names (in both
scripts) of its region and the regions above it, so "Hangzhou" finds a
cluster whose region is the county Xiaoshan. Entries are refreshed by the
same transaction that writes the record.

Trigrams cannot match a query shorter than three characters (杭州 is two),
so short words fall back to a LIKE scan of the same text.

A third column, ``variants``, holds the other spellings of the same text
(:mod:`text_forms`): Latin letters without diacritics, and Chinese in the
other script. Each word of a query is asked in all its spellings, so 富阳
and 富陽 find the same records, and "Lodz" finds "Łódź". Snippets are cut
from the stored text, never from the variants.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass

import sqlite_utils

from briefing_app.store import text_forms

INDEXED = ("clusters", "policies", "organisations", "partnerships", "profiles", "sections")

_TEXT_FIELDS = {
    "clusters": ("local_name", "city", "city_local", "industry", "kind", "description"),
    "policies": (
        "local_name",
        "level",
        "objectives",
        "focus",
        "authorities",
        "beneficiaries",
        "financial_instruments",
        "technical_instruments",
        "description",
    ),
    "organisations": ("local_name", "kind", "website", "description"),
    "partnerships": ("acronym", "kind", "objective", "description", "website"),
    "profiles": ("kind", "country", "description"),
}
# Entities placed in a region: the region's names (and those above it) are indexed too.
_PLACED = ("clusters", "policies", "organisations")
# Word lists of a record, in link tables of their own: (table, owner column, word column).
_WORD_LINKS = {
    "profiles": (
        ("profile_keywords", "profile", "keyword"),
        ("profile_value_chain", "profile", "step"),
    ),
}
_SECTOR_LINKS = {
    "clusters": ("cluster_sectors", "cluster"),
    "policies": ("policy_sectors", "policy"),
    "organisations": ("organisation_sectors", "organisation"),
    "partnerships": ("partnership_sectors", "partnership"),
    "profiles": ("profile_sectors", "profile"),
}


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One search result: what it is, its slug, its name and a bit of context."""

    entity: str
    slug: str
    name: str
    snippet: str


def _region_words(db: sqlite_utils.Database, region: str | None) -> list[str]:
    """Names and local names of a region and every region above it."""
    words: list[str] = []
    seen: set[str] = set()
    while region and region not in seen:
        seen.add(region)
        row = db.conn.execute(
            "SELECT name, local_name, parent FROM regions WHERE slug = ?", (region,)
        ).fetchone()
        if row is None:
            break
        words += [row[0] or "", row[1] or ""]
        region = row[2]
    return [w for w in words if w]


def _document(db: sqlite_utils.Database, entity: str, slug: str) -> tuple[str, str] | None:
    """(name, body) to index for a record, or None when it does not exist."""
    conn = db.conn
    if entity == "sections":
        row = conn.execute("SELECT title, body FROM sections WHERE slug = ?", (slug,)).fetchone()
        return (row[0], row[1]) if row else None
    fields = _TEXT_FIELDS[entity]
    region = "region" if entity in _PLACED else "NULL"
    row = conn.execute(
        f"SELECT name, {region}, {', '.join(fields)} FROM [{entity}] WHERE slug = ?", (slug,)
    ).fetchone()
    if row is None:
        return None
    link_table, owner = _SECTOR_LINKS[entity]
    sectors = [
        name
        for (name,) in conn.execute(
            f"SELECT s.name FROM [{link_table}] l JOIN sectors s ON s.slug = l.sector "
            f"WHERE l.[{owner}] = ?",
            (slug,),
        )
    ]
    words = [
        word
        for table, owner_column, column in _WORD_LINKS.get(entity, ())
        for (word,) in conn.execute(
            f"SELECT [{column}] FROM [{table}] WHERE [{owner_column}] = ?", (slug,)
        )
    ]
    parts = [str(v) for v in row[2:] if v] + _region_words(db, row[1]) + sectors + words
    return row[0], " \n".join(parts)


# Whether a database's index has its ``variants`` column, by connection: asked
# once per record written otherwise. reindex_all (which the migration adding
# the column runs) asks the file again.
_VARIANTS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _has_variants(db: sqlite_utils.Database, ask: bool = False) -> bool:
    """Whether the index has its ``variants`` column (not before the migration
    that adds it; an older migration reindexes too)."""
    known = None if ask else _VARIANTS.get(db)
    if known is None:
        rows = db.conn.execute("PRAGMA table_info(search_index)")
        known = _VARIANTS[db] = any(row[1] == "variants" for row in rows)
    return known


def refresh(
    db: sqlite_utils.Database, entity: str, slug: str, variants: bool | None = None
) -> None:
    """Bring the index entry of one record in line with its row."""
    if entity not in INDEXED:
        return
    forget(db, entity, slug)
    doc = _document(db, entity, slug)
    if doc is not None:
        if variants if variants is not None else _has_variants(db):
            other = text_forms.variants(doc[0] + " \n" + doc[1])
            cursor = db.conn.execute(
                "INSERT INTO search_index (entity, slug, name, body, variants) "
                "VALUES (?, ?, ?, ?, ?)",
                (entity, slug, doc[0], doc[1], " \n".join(other)),
            )
        else:
            cursor = db.conn.execute(
                "INSERT INTO search_index (entity, slug, name, body) VALUES (?, ?, ?, ?)",
                (entity, slug, doc[0], doc[1]),
            )
        db.conn.execute(
            "INSERT INTO search_rows (entity, slug, row) VALUES (?, ?, ?)",
            (entity, slug, cursor.lastrowid),
        )


def forget(db: sqlite_utils.Database, entity: str, slug: str) -> None:
    """Remove the index entry of one record, if it has one."""
    found = db.conn.execute(
        "SELECT row FROM search_rows WHERE entity = ? AND slug = ?", (entity, slug)
    ).fetchone()
    if found:
        db.conn.execute("DELETE FROM search_index WHERE rowid = ?", (found[0],))
        db.conn.execute("DELETE FROM search_rows WHERE entity = ? AND slug = ?", (entity, slug))


def reindex_all(db: sqlite_utils.Database) -> None:
    """Rebuild the whole index (after region or sector names change, or a migration)."""
    db.conn.execute("DELETE FROM search_index")
    db.conn.execute("DELETE FROM search_rows")
    variants = _has_variants(db, ask=True)
    tables = {name for (name,) in db.conn.execute("SELECT name FROM sqlite_master")}
    for entity in INDEXED:
        if entity not in tables:  # a migration reindexing before the table was made
            continue
        for (slug,) in db.conn.execute(f"SELECT slug FROM [{entity}]").fetchall():
            refresh(db, entity, slug, variants)


_WORD_RE = re.compile(r"\S+")

# The most results one search returns: a limit beyond it (or below 1) is
# brought within range here, so no caller can hand SQLite a number it cannot
# hold or a negative LIMIT (which SQLite takes as "no limit").
MAX_HITS = 10_000


def _like_pattern(term: str) -> str:
    escaped = term.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _snippet(text: str, term: str, width: int = 60) -> str:
    """About ``width`` characters of the stored ``text`` around the first
    spelling of ``term`` found in it (its start when none is)."""
    at, length = _locate(text, term)
    if at < 0:
        return " ".join(text[:width].split())
    start = max(0, at - width // 2)
    piece = " ".join(text[start : at + length + width // 2].split())
    return ("…" if start else "") + piece


def _locate(text: str, term: str) -> tuple[int, int]:
    """(start, length) in ``text`` of ``term`` in any of its spellings, or (-1, 0)."""
    at = text.casefold().find(term.casefold())
    if at >= 0 and len(text.casefold()) == len(text):
        return at, len(term)
    folded, origin = text_forms.fold_char_map(text)
    at = folded.find(text_forms.fold(term))
    if at >= 0:
        end = origin[at + len(text_forms.fold(term)) - 1] + 1
        return origin[at], end - origin[at]
    if text_forms.has_han(term):  # the other script: compare both in simplified
        simple = text_forms.to_script(text, "t2s")
        at = simple.find(text_forms.to_script(term, "t2s"))
        if at >= 0 and len(simple) == len(text):
            return at, len(term)
    return -1, 0


def _spellings(term: str) -> list[str]:
    """A query word and its other spellings (no diacritics, other Chinese script)."""
    return [term, *text_forms.variants(term)]


def query(db: sqlite_utils.Database, text: str, limit: int = 50) -> list[SearchHit]:
    """Records whose text holds every word of ``text`` (in any of its
    spellings), best first."""
    terms = _WORD_RE.findall(text)
    limit = min(max(int(limit), 0), MAX_HITS)
    if not terms or not limit:
        return []
    spelled = [_spellings(t) for t in terms]
    if all(len(s) >= 3 for forms in spelled for s in forms) and _has_variants(db):
        match = " AND ".join(
            "(" + " OR ".join('"' + s.replace('"', '""') + '"' for s in forms) + ")"
            for forms in spelled
        )
        rows = db.conn.execute(
            "SELECT entity, slug, name, body FROM search_index WHERE search_index MATCH ? "
            "ORDER BY rank LIMIT ?",
            (match, limit),
        ).fetchall()
    else:
        stored, every = "(name || ' ' || body)", "(name || ' ' || body || ' ' || variants)"
        with_variants = _has_variants(db)
        parts = []
        for term, forms in zip(terms, spelled, strict=True):
            # Two Latin letters without diacritics would match inside too many
            # folded words: short Latin words match the stored text only.
            wide = with_variants and (len(term) >= 3 or text_forms.has_han(term))
            if not wide:
                forms[1:] = [f for f in forms[1:] if text_forms.has_han(f)]
            haystack = every if wide else stored
            parts.append("(" + " OR ".join([f"{haystack} LIKE ? ESCAPE '\\'"] * len(forms)) + ")")
        condition = " AND ".join(parts)
        rows = db.conn.execute(
            f"SELECT entity, slug, name, body FROM search_index WHERE {condition} "
            "ORDER BY entity, name LIMIT ?",
            (*[_like_pattern(s) for forms in spelled for s in forms], limit),
        ).fetchall()
    shortest = min(terms, key=len)
    return [
        SearchHit(entity, slug, name, _snippet(name + " " + body, shortest))
        for entity, slug, name, body in rows
    ]
