"""Backups of the knowledge base: taken, rotated, listed and restored.

A backup is a complete copy made with SQLite's online backup API (safe while
the database is open), named ``<stem>-<UTC timestamp>-<reason>.sqlite`` in
``paths.backups_dir(db)``. Only the newest ``keep`` backups of a database are
kept. Restoring first backs up the current file, so a restore can be undone.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from briefing_app import paths
from briefing_app.errors import NotFoundError, StoreError

DEFAULT_KEEP = 10
_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z0-9-]+)\.sqlite$")


@dataclass(frozen=True)
class Backup:
    path: Path
    taken: datetime
    reason: str

    @property
    def name(self) -> str:
        return self.path.name


def _stamp() -> str:
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def _read_only_uri(path: Path) -> str:
    return path.resolve().as_uri() + "?mode=ro"


def list_backups(db_path: Path) -> list[Backup]:
    """Backups of ``db_path``, oldest first."""
    folder = paths.backups_dir(db_path)
    found = []
    if folder.is_dir():
        for entry in folder.iterdir():
            match = _NAME_RE.match(entry.name)
            if match and match["stem"] == db_path.stem:
                taken = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
                found.append(Backup(entry, taken, match["reason"]))
    return sorted(found, key=lambda b: b.path.name)


def take_backup(
    source: sqlite3.Connection, db_path: Path, reason: str, keep: int = DEFAULT_KEEP
) -> Path:
    """Copy the open database into a new backup file; rotate old ones."""
    folder = paths.backups_dir(db_path)
    target = folder / f"{db_path.stem}-{_stamp()}-{reason}.sqlite"
    tmp = target.with_suffix(".part")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        dest = sqlite3.connect(str(tmp))
        try:
            source.backup(dest)
            # A backup should be one self-contained file, not a WAL pair.
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            dest.close()
        os.replace(tmp, target)
    except (OSError, sqlite3.Error) as exc:
        # On a full disk the leftover would be a whole second copy of the database.
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise StoreError(
            f"could not back up {db_path} into {folder} ({exc}); nothing was changed."
        ) from exc
    rotate(db_path, keep)
    return target


def rotate(db_path: Path, keep: int) -> None:
    """Delete all but the newest ``keep`` backups of ``db_path``."""
    backups = list_backups(db_path)
    for old in backups[: max(0, len(backups) - max(keep, 1))]:
        with contextlib.suppress(OSError):
            old.path.unlink()


def find_backup(db_path: Path, name: str | None = None, latest: bool = False) -> Backup:
    backups = list_backups(db_path)
    if not backups:
        raise NotFoundError(f"there are no backups of {db_path} in {paths.backups_dir(db_path)}")
    if latest or name is None:
        return backups[-1]
    for backup in backups:
        if backup.name == name or backup.path.stem == name:
            return backup
    raise NotFoundError(f"no backup named {name!r}; run `briefing db restore` to list them")


def restore_backup(db_path: Path, backup: Backup, keep: int = DEFAULT_KEEP) -> Path | None:
    """Replace ``db_path`` with a backup; the current file is backed up first.

    Returns the backup taken of the current file (None if there was none or it
    could not be read, in which case it is kept beside as ``.damaged``).
    The caller must have closed its own connections to ``db_path``.
    """
    _check_backup_readable(backup.path)
    _check_not_in_use(db_path)
    safety = None
    if db_path.exists():
        safety = _backup_current(db_path, keep)
    fd, tmp = tempfile.mkstemp(prefix=f".{db_path.stem}-", suffix=".restoring", dir=db_path.parent)
    os.close(fd)
    try:
        src = sqlite3.connect(_read_only_uri(backup.path), uri=True)
        dest = sqlite3.connect(tmp)
        try:
            src.backup(dest)
            dest.execute("PRAGMA journal_mode = DELETE")
        finally:
            src.close()
            dest.close()
        for suffix in ("-wal", "-shm"):
            with contextlib.suppress(FileNotFoundError):
                os.unlink(f"{db_path}{suffix}")
        os.replace(tmp, db_path)
    except (OSError, sqlite3.Error) as exc:
        raise StoreError(f"could not restore {backup.name} onto {db_path}: {exc}") from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return safety


def _check_not_in_use(db_path: Path) -> None:
    """Refuse to swap the file under another window that has it open.

    A full checkpoint succeeds only when no other connection is reading or
    writing; it also leaves the write-ahead log empty, so removing it loses
    nothing. A damaged file cannot be checked and is not refused here.
    """
    if not Path(f"{db_path}-wal").exists():
        return
    try:
        conn = sqlite3.connect(str(db_path), timeout=1.0)
        try:
            busy = conn.execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            busy = 1
        else:
            return
    if busy:
        raise StoreError(
            f"{db_path} is open in another window or program; close it, then restore again."
        )


def _check_backup_readable(path: Path) -> None:
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            result = conn.execute("PRAGMA quick_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as exc:
        raise StoreError(f"backup {path.name} cannot be read ({exc}); choose another") from exc
    if result != "ok":
        raise StoreError(f"backup {path.name} is damaged ({result}); choose another")


def _backup_current(db_path: Path, keep: int) -> Path | None:
    """Back up the file about to be replaced; a damaged one is set aside whole."""
    try:
        conn = sqlite3.connect(_read_only_uri(db_path), uri=True)
        try:
            conn.execute("PRAGMA quick_check").fetchone()
            return take_backup(conn, db_path, "before-restore", keep=max(keep, 2))
        finally:
            conn.close()
    except (sqlite3.Error, StoreError):
        aside = db_path.with_name(f"{db_path.name}.{_stamp()}.damaged")
        try:
            os.replace(db_path, aside)
        except OSError as exc:
            raise StoreError(f"could not set aside {db_path}: {exc}") from exc
        return aside
