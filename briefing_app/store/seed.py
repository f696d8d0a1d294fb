"""Building the embedded default database from ``db/seed/*.csv``.

The seed files go through the very same checks as a user's import, so a
mistake in them is reported with file and line instead of producing a
half-right database. The new database is built in a temporary file beside
the target and renamed into place only when complete: a crash or an error
never leaves a half-built knowledge base at the user's path.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from briefing_app.errors import ImportValidationError, StoreError
from briefing_app.store import io, migrations
from briefing_app.store.connection import connect, enable_wal, write_transaction
from briefing_app.store.entities import ENTITIES


def seed_files(seed_dir: Path) -> list[tuple[str, Path]]:
    """(entity, file) for every seed file present, in dependency order."""
    found = []
    for entity in ENTITIES:
        for suffix in (".csv", ".json"):
            path = seed_dir / f"{entity}{suffix}"
            if path.is_file():
                found.append((entity, path))
                break
    return found


def load_seed(db, db_path: Path, seed_dir: Path) -> dict[str, int]:
    """Import every seed file into an open, migrated database; counts per entity.

    What was loaded is recorded as shipped (:mod:`shipped_marks`), in the
    same transaction, so a later `briefing db update-shipped` can tell the
    user's changes from the records as shipped.
    """
    from briefing_app.store import shipped_marks  # it reads seed files with seed_files

    counts = {}
    with write_transaction(db, db_path, "loading the built-in data"):
        for entity, path in seed_files(seed_dir):
            try:
                counts[entity] = io.import_file(db, db_path, entity, path)
            except ImportValidationError as exc:
                raise StoreError(
                    f"the built-in data file {path} has problems, so the default knowledge "
                    f"base cannot be built:\n{exc}"
                ) from exc
        shipped_marks.record_built(db, seed_dir)
    return counts


def build_database(target: Path, seed_dir: Path, timeout: float = 5.0) -> dict[str, int]:
    """Create ``target`` (which must not exist) with the schema and the seed data."""
    folder = target.parent
    try:
        folder.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.stem}-", suffix=".building", dir=folder)
    except OSError as exc:
        raise StoreError(
            f"cannot create the knowledge base in {folder}: {exc.strerror or exc}. "
            "Choose another place with --db."
        ) from exc
    os.close(fd)
    os.unlink(tmp_name)  # SQLite creates it; an empty file would only be refused
    tmp = Path(tmp_name)
    try:
        db = connect(tmp, timeout)
        try:
            enable_wal(db, tmp)
            migrations.migrate(db)
            counts = load_seed(db, tmp, seed_dir)
            db.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            db.conn.execute("PRAGMA journal_mode = DELETE")
        finally:
            db.close()
        _move_into_place(tmp, target)
    finally:
        for leftover in (tmp, Path(f"{tmp}-wal"), Path(f"{tmp}-shm")):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()
    return counts


def _move_into_place(built: Path, target: Path) -> None:
    """Give ``built`` the name ``target`` unless another process got there first.

    A hard link never replaces an existing file, so two windows starting at
    once cannot overwrite each other's fresh database; where links are not
    supported a plain rename is the fallback.
    """
    try:
        os.link(built, target)
    except FileExistsError:
        return  # another process built it meanwhile: theirs is as good as ours
    except OSError:
        if not target.exists():
            os.replace(built, target)
