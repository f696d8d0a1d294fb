"""Opening a SQLite file safely, and turning SQLite's failures into StoreErrors.

Every connection gets the same setup: foreign keys enforced, write-ahead
logging (readers are not blocked by a writer in another window), a busy
timeout (a second process waits a little before giving up) and driver-level
autocommit, so that transactions are only the ones we open ourselves.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

import sqlite_utils

from briefing_app.errors import StoreError

CACHE_KIB = 64 * 1024


def recovery_hint(path: Path) -> str:
    """The sentence every 'your database is bad' message ends with."""
    return (
        f"Your file was left untouched. To recover, restore a backup "
        f"(`briefing db restore --db {path} --latest`, backups are in "
        f"{path.parent / 'backups'}), or move the file away to start again "
        f"from the built-in data."
    )


def check_file_looks_like_sqlite(path: Path) -> None:
    """Refuse what SQLite would reject later with an obscure message.

    Only the file's metadata is looked at here (``stat`` opens no
    descriptor). Reading the header with ``open()`` would be a trap: in a
    process that already holds a connection to the file (the application's
    window while an export opens a second store), closing that descriptor
    drops every POSIX lock the process holds on it, and other processes then
    delete the write-ahead log under it (SQLite's "How To Corrupt An SQLite
    Database File", section 2.2). The header itself is read by SQLite, in
    :func:`check_is_sqlite`.
    """
    if path.is_dir():
        raise StoreError(f"{path} is a folder, not a database file.")
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise StoreError(f"cannot read {path}: {exc.strerror or exc}.") from exc
    if size == 0:
        raise StoreError(f"{path} is an empty file, not a knowledge base. {recovery_hint(path)}")


def not_sqlite_message(path: Path) -> str:
    return (
        f"{path} is not a SQLite database (it may be damaged or another kind of file). "
        f"{recovery_hint(path)}"
    )


def check_is_sqlite(db: sqlite_utils.Database, path: Path) -> None:
    """Let SQLite read the header (through its own descriptor, which it
    closes safely): a file that is not a database is refused in plain words."""
    with translated(path, "reading the file"):
        db.conn.execute("PRAGMA schema_version").fetchone()


def refuse_own_file(db_path: Path, path: Path, what: str) -> None:
    """A file to import or export must not be the database or its journals:
    only SQLite opens those (see :func:`check_file_looks_like_sqlite`)."""
    for own in (db_path, *(Path(f"{db_path}{s}") for s in ("-wal", "-shm", "-journal"))):
        try:
            same = path.resolve() == own.resolve() or (
                path.exists() and own.exists() and path.samefile(own)
            )
        except OSError:
            same = False
        if same:
            raise StoreError(
                f"{path} is the knowledge base itself (or its journal); it cannot be "
                f"{what}. Choose another file."
            )


def check_writable(path: Path) -> None:
    """A database we cannot write would fail on the first save: say so now."""
    folder = path.parent
    if path.exists() and not os.access(path, os.W_OK):
        raise StoreError(
            f"{path} is read-only. Make the file writable, or copy it to a folder "
            f"you can write to and open that copy with --db."
        )
    if not os.access(folder, os.W_OK):
        raise StoreError(
            f"the folder {folder} is read-only; the knowledge base needs to write its journal "
            f"and backups beside {path.name}. Choose another place with --db."
        )
    if path.exists() and not os.access(path, os.R_OK):
        raise StoreError(f"cannot read {path}: permission denied.")


def connect(path: Path, timeout: float = 5.0) -> sqlite_utils.Database:
    """Open ``path`` with our standard setup; StoreError if SQLite refuses.

    This writes nothing: the switch to write-ahead logging (which does write
    to the file) is :func:`enable_wal`, called once the file is known good.
    """
    try:
        conn = sqlite3.connect(str(path), timeout=timeout, isolation_level=None)
    except sqlite3.Error as exc:
        raise StoreError(f"cannot open {path}: {exc}") from exc
    try:
        conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000)}")
        conn.execute("PRAGMA foreign_keys = ON")
        # Up to 64 MiB of pages kept between queries (SQLite's default is 2 MiB),
        # so listing thousands of records twice does not read them from the file twice.
        conn.execute(f"PRAGMA cache_size = -{CACHE_KIB}")
    except sqlite3.Error as exc:
        conn.close()
        raise translate(exc, path) from exc
    return sqlite_utils.Database(conn, execute_plugins=False)


def enable_wal(db: sqlite_utils.Database, path: Path) -> None:
    """Write-ahead logging: readers in other windows are not blocked by a save."""
    with translated(path, "opening"):
        mode = db.conn.execute("PRAGMA journal_mode = WAL").fetchone()[0]
        db.conn.execute("PRAGMA synchronous = NORMAL")
    if mode.lower() not in ("wal", "memory"):
        raise StoreError(f"cannot switch {path} to write-ahead logging (got {mode!r}).")


def translate(exc: sqlite3.Error, path: Path, doing: str = "") -> StoreError:
    """A StoreError in plain words for a SQLite failure on ``path``."""
    text = str(exc)
    what = f" while {doing}" if doing else ""
    if "locked" in text or "busy" in text:
        return StoreError(
            f"{path} is locked by another program or window{what}; it was still busy after "
            f"waiting. Close the other program (or wait for it to finish) and try again."
        )
    if "readonly" in text or "read-only" in text:
        return StoreError(f"{path} cannot be written{what}: it or its folder is read-only.")
    if "not a database" in text:  # SQLITE_NOTADB: the header is not SQLite's
        return StoreError(not_sqlite_message(path))
    if "malformed" in text or "corrupt" in text:
        return StoreError(f"{path} is damaged ({text}){what}. {recovery_hint(path)}")
    if "disk" in text and "full" in text:
        return StoreError(f"the disk holding {path} is full{what}; nothing was changed.")
    if "unable to open" in text:
        return StoreError(f"cannot open {path}{what}: {text}.")
    return StoreError(f"database error on {path}{what}: {text}")


@contextlib.contextmanager
def translated(path: Path, doing: str = "") -> Iterator[None]:
    """Run a block, turning any raw SQLite error into a StoreError."""
    try:
        yield
    except sqlite3.Error as exc:
        raise translate(exc, path, doing) from exc


@contextlib.contextmanager
def write_transaction(db: sqlite_utils.Database, path: Path, doing: str = "") -> Iterator[None]:
    """One all-or-nothing write.

    ``BEGIN IMMEDIATE`` takes the write lock up front, so a read-check-write
    (optimistic concurrency) cannot interleave with another process's save.
    Foreign keys are checked at commit, which lets one file refer to rows it
    defines further down.
    """
    conn = db.conn
    if conn.in_transaction:  # nested: ride on the outer transaction
        yield
        return
    with translated(path, doing):
        conn.execute("BEGIN IMMEDIATE")
    try:
        conn.execute("PRAGMA defer_foreign_keys = ON")
        yield
        with translated(path, doing):
            conn.execute("COMMIT")
    except BaseException:
        if conn.in_transaction:
            conn.execute("ROLLBACK")
        raise


def quick_check(db: sqlite_utils.Database, path: Path) -> None:
    """Catch truncated or scrambled files at open time rather than mid-work."""
    with translated(path, "checking the file"):
        rows = db.conn.execute("PRAGMA quick_check").fetchall()
    problems = [r[0] for r in rows if r[0] != "ok"]
    if problems:
        raise StoreError(f"{path} is damaged ({'; '.join(problems[:3])}). {recovery_hint(path)}")
