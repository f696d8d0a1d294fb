"""What the shipped knowledge base gave a database: fingerprints.

A database built from ``db/seed`` remembers, per (entity, slug), the
fingerprint of each record as shipped (table ``shipped_records``) and the
fingerprint of the seed files themselves (table ``shipped_seed``, name
``seed``); ``briefing db update-shipped`` records them again after each
update (:mod:`shipped_update`). Comparing a record's fingerprint now with
the recorded one tells a record the user changed from one still as shipped.

A record's fingerprint is a hash of its canonical export row: the fields
that hold a value (empty text, empty lists, None and false are left out),
by name. A migration that adds a field with an empty default therefore
changes no fingerprint; one that rewrites shipped values makes those
records look edited, which only means an update keeps them as they are.

Whether the seed has newer facts than a database (:func:`news`) costs one
query and a ``stat`` of each seed file: the seed's hash is kept per process
until a file's size or modification time changes.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import threading
from pathlib import Path

import sqlite_utils

from briefing_app.errors import StoreError
from briefing_app.store import codec, queries
from briefing_app.store.entities import spec
from briefing_app.store.seed import seed_files

SEED_KEY = "seed"
ADVICE = (
    "the shipped knowledge base has newer facts: run `briefing db update-shipped` "
    "(`--dry-run` first to see what would change)"
)

_lock = threading.Lock()
# resolved seed folder -> (stat key, (seed fingerprint, shipped country slugs))
_seed_cache: dict[str, tuple[tuple, tuple[str, frozenset[str]]]] = {}


def is_empty(value: object) -> bool:
    """Whether a field value holds nothing (a flag that is false counts as nothing)."""
    return value is None or value is False or value == "" or value == ()


def fingerprint(entity: str, record) -> str:
    """The hash of a record's canonical export row."""
    sp = spec(entity)
    kinds = codec.FieldKinds(sp).kinds
    row = {
        name: codec.to_json_value(kinds[name], getattr(record, name))
        for name in sp.fields
        if not is_empty(getattr(record, name))
    }
    text = json.dumps(row, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def fingerprints(records_by_entity: dict[str, dict]) -> dict[tuple[str, str], str]:
    """{(entity, slug): fingerprint} of records given as {entity: {slug: record}}."""
    return {
        (entity, slug): fingerprint(entity, record)
        for entity, records in records_by_entity.items()
        for slug, record in records.items()
    }


def recorded(db: sqlite_utils.Database) -> dict[tuple[str, str], str]:
    """The fingerprints of what was last shipped to this database."""
    rows = db.conn.execute("SELECT entity, slug, fingerprint FROM shipped_records")
    return {(entity, slug): value for entity, slug, value in rows}


def recorded_seed(db: sqlite_utils.Database) -> str | None:
    """The seed fingerprint recorded at the last build or update; None before any."""
    row = db.conn.execute("SELECT value FROM shipped_seed WHERE name = ?", (SEED_KEY,)).fetchone()
    return row[0] if row else None


def save(db: sqlite_utils.Database, shipped: dict[tuple[str, str], str], seed: str) -> None:
    """Replace what is recorded as shipped (inside the caller's write transaction)."""
    conn = db.conn
    conn.execute("DELETE FROM shipped_records")
    conn.executemany(
        "INSERT INTO shipped_records (entity, slug, fingerprint) VALUES (?, ?, ?)",
        [(entity, slug, value) for (entity, slug), value in sorted(shipped.items())],
    )
    conn.execute(
        "INSERT INTO shipped_seed (name, value) VALUES (?, ?) "
        "ON CONFLICT(name) DO UPDATE SET value = excluded.value",
        (SEED_KEY, seed),
    )


def record_built(db: sqlite_utils.Database, seed_dir: Path) -> None:
    """After a build from the seed: every record of an entity the seed has a
    file for is as shipped (kinds a migration wrote and no seed file holds
    are not)."""
    every = {e: {r.slug: r for r in queries.load(db, e)} for e, _path in seed_files(seed_dir)}
    save(db, fingerprints(every), seed_fingerprint(seed_dir))


def _stat_key(seed_dir: Path) -> tuple:
    return tuple(
        (entity, path.name, st.st_size, st.st_mtime_ns)
        for entity, path in seed_files(seed_dir)
        for st in (path.stat(),)
    )


def _seed_facts(seed_dir: Path) -> tuple[str, frozenset[str]]:
    """(fingerprint, country slugs) of the seed folder, kept while its files stay put."""
    key = _stat_key(seed_dir)
    name = str(seed_dir.resolve())
    with _lock:
        cached = _seed_cache.get(name)
        if cached is not None and cached[0] == key:
            return cached[1]
    digest = hashlib.sha256()
    countries: frozenset[str] = frozenset()
    for entity, path in seed_files(seed_dir):
        data = path.read_bytes()
        digest.update(f"{entity}\0{path.name}\0{len(data)}\0".encode())
        digest.update(data)
        if entity == "countries":
            countries = _slugs(path, data)
    facts = (digest.hexdigest(), countries)
    with _lock:
        _seed_cache[name] = (key, facts)
    return facts


def _slugs(path: Path, data: bytes) -> frozenset[str]:
    """The slugs of a seed file (CSV or JSON), for telling a database that
    holds the shipped countries from one that holds only its user's."""
    text = data.decode("utf-8-sig", errors="replace")
    try:
        if path.suffix.lower() == ".json":
            rows = json.loads(text)
        else:
            rows = list(csv.DictReader(io.StringIO(text)))
        return frozenset(str(r.get("slug") or "") for r in rows if isinstance(r, dict)) - {""}
    except (ValueError, csv.Error):
        return frozenset()


HISTORY_FILE = "shipped-history.json"


def earlier_versions(seed_dir: Path) -> dict[tuple[str, str], frozenset[str]]:
    """{(entity, slug): fingerprints of its earlier shipped versions}, from
    ``shipped-history.json`` beside the seed folder (written from the git
    history by ``db/build_shipped_history.py``); empty when there is none.
    A damaged file is refused: guessing would overwrite the user's values."""
    path = seed_dir.parent / HISTORY_FILE
    if not path.is_file():
        return {}
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        records = data["records"]
        return {
            tuple(key.split("/", 1)): frozenset(str(v) for v in values)
            for key, values in records.items()
            if "/" in key and isinstance(values, list)
        }
    except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
        raise StoreError(
            f"{path} cannot be read ({exc}); nothing was changed. Reinstall the application "
            "or remove the file to update without it (then only empty fields are filled)"
        ) from exc


def seed_fingerprint(seed_dir: Path) -> str:
    """A hash of the seed files (names and bytes)."""
    return _seed_facts(seed_dir)[0]


def news(db: sqlite_utils.Database, seed_dir: Path) -> bool:
    """Whether the seed holds facts this database has not been updated with.

    Only a database that took a country from this seed (a version of it) is
    concerned: one built from the seed, or updated from it, has newer facts
    to take when the seed's fingerprint differs from the one recorded; one
    made before fingerprints were kept, when it holds a country the seed
    ships. A database whose records came by import, or from another seed
    folder (tests use small invented ones), never has.
    """
    if not seed_files(seed_dir):
        return False
    stored = recorded_seed(db)
    if stored is not None and stored == seed_fingerprint(seed_dir):
        return False
    countries = tuple(sorted(_seed_facts(seed_dir)[1]))
    if not countries:
        return False
    marks = ", ".join("?" * len(countries))
    if stored is None:  # made before fingerprints were kept
        sql = f"SELECT 1 FROM countries WHERE slug IN ({marks}) LIMIT 1"
    else:
        sql = (
            "SELECT 1 FROM shipped_records WHERE entity = 'countries' "
            f"AND slug IN ({marks}) LIMIT 1"
        )
    return db.conn.execute(sql, countries).fetchone() is not None
