"""Opening a knowledge base: build it if missing, check it, migrate it.

``open_store(path)`` is the front door. A file that is damaged, belongs to
another program or was written by a newer Briefing Builder is refused before
anything is written to it, so the user's file is never made worse.
"""

from __future__ import annotations

from pathlib import Path

from briefing_app import paths
from briefing_app.errors import StoreError
from briefing_app.store import backups, codec, lockfile, migrations
from briefing_app.store.connection import (
    check_file_looks_like_sqlite,
    check_is_sqlite,
    check_writable,
    connect,
    enable_wal,
    quick_check,
    translated,
)
from briefing_app.store.seed import build_database
from briefing_app.store.store import Store


def open_store(
    path: Path | str | None = None,
    *,
    keep_backups: int = backups.DEFAULT_KEEP,
    timeout: float = 5.0,
    seed_dir: Path | None = None,
    sections_dir: Path | None = None,
    blueprints_dir: Path | None = None,
) -> Store:
    """Open the knowledge base at ``path`` (default: the user's), building it if missing.

    A missing file is built from the seed data and the shipped library. An
    existing file is checked, backed up and migrated if it is from an older
    version, and refused with a StoreError if it is damaged, not ours, or from
    a newer version. The ``*_dir`` arguments replace the shipped folders
    (tests use them for small invented data).
    """
    path = Path(path) if path is not None else paths.default_db_path()
    seed_dir = seed_dir if seed_dir is not None else paths.seed_dir()
    if not path.exists():  # built beside and linked into place: nothing to lock yet
        build_database(path, seed_dir, timeout)
    # Held as long as the store is open: `db restore` refuses meanwhile. A
    # process alone with the file first clears what a killed one left behind.
    lock = lockfile.hold_shared(path, timeout, lambda: backups.clean_leftovers(path))
    try:
        store = _open_locked(path, lock, keep_backups, timeout, sections_dir, blueprints_dir)
    except BaseException:
        lock.release()
        raise
    store.seed_dir = seed_dir  # what store.shipped_news() compares the file with
    return store


def _open_locked(path, lock, keep_backups, timeout, sections_dir, blueprints_dir):
    # No open() of the file anywhere here: see check_file_looks_like_sqlite.
    check_file_looks_like_sqlite(path)
    check_writable(path)
    db = connect(path, timeout)
    # Text another program stored with bytes that are not UTF-8 reads with
    # U+FFFD in their place rather than stopping every read; `db check` names it.
    db.conn.text_factory = codec.TEXT_FROM_DB
    try:
        check_is_sqlite(db, path)
        quick_check(db, path)
        _refuse_foreign_or_newer(db, path)
        enable_wal(db, path)
        _migrate(db, path, keep_backups)
        store = Store(db, path, keep_backups, lock=lock)
        store.sync_library(
            sections_dir if sections_dir is not None else paths.sections_dir(),
            blueprints_dir if blueprints_dir is not None else paths.blueprints_dir(),
        )
    except BaseException:
        db.close()
        raise
    return store


def _refuse_foreign_or_newer(db, path: Path) -> None:
    """Leave alone files that are not ours, or are from a newer program."""
    with translated(path, "reading the schema"):
        tables = set(db.table_names())
        if tables and migrations.migrations.migrations_table not in tables:
            raise StoreError(
                f"{path} is a SQLite database but not a Briefing Builder knowledge base "
                f"(it has tables {', '.join(sorted(tables)[:5])}). Choose another file with --db."
            )
        migrations.check_not_newer(db, path)


def _migrate(db, path: Path, keep: int) -> None:
    """Apply pending migrations; an existing knowledge base is backed up first."""
    with translated(path, "updating the schema"):
        if migrations.pending(db):
            if migrations.applied(db):
                backups.take_backup(db.conn, path, "before-migration", keep)
            migrations.migrate(db)
