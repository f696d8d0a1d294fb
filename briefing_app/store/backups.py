"""Backups of the knowledge base: taken, rotated, listed and restored.

A backup is a complete copy made with SQLite's online backup API (safe while
the database is open), named ``<file name>-<UTC timestamp>-<reason>.sqlite``
in ``paths.backups_dir(db)``: ``kb.sqlite`` and ``kb.db`` in one folder keep
apart. Backups named by the stem alone (``kb-<stamp>-<reason>.sqlite``, as
earlier versions wrote them) still count, unless another database in the
folder has the same stem and they could be either's. Only the newest
``keep`` backups of a database are kept.

Restoring refuses while any store has the file open (see :mod:`lockfile`),
takes a safety backup of the current file first (a failed one stops it with
the file untouched) and writes the backup into the live file through the
same API, so SQLite, not a file rename, replaces the content.
"""

from __future__ import annotations

import contextlib
import os
import re
import sqlite3
import tempfile
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from briefing_app import paths
from briefing_app.errors import NotFoundError, StoreError
from briefing_app.store import lockfile

DEFAULT_KEEP = 10
_NAME_RE = re.compile(r"^(?P<stem>.+)-(?P<stamp>\d{8}T\d{12}Z)-(?P<reason>[a-z0-9-]+)\.sqlite$")
_PART_RE = re.compile(r"^(?P<stem>.+)-\d{8}T\d{12}Z-[a-z0-9-]+\.part$")
# Suffixes of files that may be another database sharing our stem.
_DB_SUFFIXES = {"", ".sqlite", ".sqlite3", ".db", ".db3", ".s3db", ".sl3"}
# Leftovers younger than this process may belong to a program still writing them.
_STARTED = time.time()


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


def _stem_is_ours(db_path: Path) -> bool:
    """Whether names keyed by the stem alone can only be ``db_path``'s."""
    if db_path.stem == db_path.name:
        return True
    with contextlib.suppress(OSError):
        for entry in db_path.parent.iterdir():
            if (
                entry.name != db_path.name
                and Path(entry.name).stem == db_path.stem
                and Path(entry.name).suffix.lower() in _DB_SUFFIXES
                and entry.is_file()
            ):
                return False
    return True


def _owns(db_path: Path, key: str, stem_ok: bool) -> bool:
    return key == db_path.name or (stem_ok and key == db_path.stem)


def list_backups(db_path: Path) -> list[Backup]:
    """Backups of ``db_path``, oldest first."""
    folder = paths.backups_dir(db_path)
    found = []
    if folder.is_dir():
        stem_ok = _stem_is_ours(db_path)
        for entry in folder.iterdir():
            match = _NAME_RE.match(entry.name)
            if match and _owns(db_path, match["stem"], stem_ok):
                taken = datetime.strptime(match["stamp"], "%Y%m%dT%H%M%S%fZ").replace(tzinfo=UTC)
                found.append(Backup(entry, taken, match["reason"]))
    return sorted(found, key=lambda b: (b.taken, b.path.name))


def take_backup(
    source: sqlite3.Connection, db_path: Path, reason: str, keep: int = DEFAULT_KEEP
) -> Path:
    """Copy the open database into a new backup file; rotate old ones."""
    folder = paths.backups_dir(db_path)
    target = folder / f"{db_path.name}-{_stamp()}-{reason}.sqlite"
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
    """Replace the content of ``db_path`` with a backup; the current file is backed up first.

    Returns the backup taken of the current file, or the damaged file set
    aside as ``.damaged`` (None if there was no file). Refused while any
    store (in this process or another) has ``db_path`` open. A safety backup
    that fails (a full disk) stops the restore with the file untouched.
    """
    _check_backup_readable(backup.path)
    with lockfile.exclusive(db_path, "restore") as locked:
        if not locked:
            _check_not_in_use(db_path)
        clean_leftovers(db_path)
        if _is_healthy(db_path):
            safety = _safety_backup(db_path, keep)
            if _same_page_size(backup.path, db_path):
                _copy_into_live(backup, db_path, safety)
                return safety
            _copy_over(backup, db_path, set_aside=False)  # nobody has it open: locked above
            return safety
        return _copy_over(backup, db_path, set_aside=db_path.exists())


def _is_healthy(db_path: Path) -> bool:
    """Whether ``db_path`` exists and SQLite finds nothing wrong in it."""
    try:
        if db_path.stat().st_size == 0:
            return False
    except FileNotFoundError:
        return False
    try:
        # Read-write (the caller holds the file alone): a write-ahead log left
        # by a crash is taken in, where a read-only connection could refuse
        # to open a healthy file and have it set aside as damaged.
        conn = sqlite3.connect(str(db_path), timeout=5.0)
        try:
            return conn.execute("PRAGMA quick_check").fetchone()[0] == "ok"
        finally:
            conn.close()
    except sqlite3.Error:
        return False


def _safety_backup(db_path: Path, keep: int) -> Path:
    try:
        conn = sqlite3.connect(str(db_path), timeout=5.0)
        try:
            return take_backup(conn, db_path, "before-restore", keep=max(keep, 2))
        finally:
            conn.close()
    except (StoreError, sqlite3.Error, OSError) as exc:
        cause = exc.__cause__ if isinstance(exc, StoreError) and exc.__cause__ else exc
        reason = getattr(cause, "strerror", None) or str(cause)
        raise StoreError(
            f"the restore was stopped before changing anything: the safety backup of "
            f"{db_path} could not be written to {paths.backups_dir(db_path)} ({reason}). "
            f"{db_path} is untouched and no file was renamed; free some space on the disk "
            f"and restore again."
        ) from exc


def _page_size(path: Path) -> int | None:
    try:
        conn = sqlite3.connect(_read_only_uri(path), uri=True)
        try:
            return conn.execute("PRAGMA page_size").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error:
        return None


def _same_page_size(a: Path, b: Path) -> bool:
    # SQLite cannot change the page size of a file in write-ahead mode.
    return _page_size(a) == _page_size(b)


def _copy_into_live(backup: Backup, db_path: Path, safety: Path) -> None:
    """Write the backup into the open file in one transaction (all or nothing)."""
    try:
        src = sqlite3.connect(_read_only_uri(backup.path), uri=True)
        try:
            dest = sqlite3.connect(str(db_path), timeout=5.0)
            try:
                src.backup(dest)
            finally:
                dest.close()
        finally:
            src.close()
    except sqlite3.Error as exc:
        raise StoreError(
            f"could not restore {backup.name} onto {db_path} ({exc}); the file is as it "
            f"was (a copy of it is {safety})."
        ) from exc


def _copy_over(backup: Backup, db_path: Path, set_aside: bool) -> Path | None:
    """Copy the backup beside ``db_path``, then put it in its place.

    The copy is made first, so a failure (a full disk) leaves the current
    file where it was. A damaged current file is renamed ``.damaged``.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{db_path.name}-", suffix=".restoring", dir=db_path.parent)
    os.close(fd)
    aside = None
    try:
        try:
            src = sqlite3.connect(_read_only_uri(backup.path), uri=True)
            dest = sqlite3.connect(tmp)
            try:
                src.backup(dest)
                dest.execute("PRAGMA journal_mode = DELETE")
            finally:
                src.close()
                dest.close()
        except (OSError, sqlite3.Error) as exc:
            raise StoreError(
                f"could not restore {backup.name} onto {db_path} ({exc}); {db_path} was "
                f"left as it was."
            ) from exc
        try:
            if set_aside:
                aside = db_path.with_name(f"{db_path.name}.{_stamp()}.damaged")
                os.replace(db_path, aside)
            for suffix in ("-wal", "-shm"):
                journal = Path(f"{db_path}{suffix}")
                if journal.exists():
                    if aside is not None:
                        os.replace(journal, Path(f"{aside}{suffix}"))
                    else:
                        journal.unlink()
            os.replace(tmp, db_path)
        except OSError as exc:
            kept = f" The file that was there is now {aside}." if aside else ""
            raise StoreError(
                f"could not restore {backup.name} onto {db_path}: {exc}.{kept}"
            ) from exc
    finally:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
    return aside


def clean_leftovers(db_path: Path) -> list[Path]:
    """Delete what a killed process left of ``db_path``'s copies: half-written
    backups (``backups/*.part``) and restores (``.<name>-*.restoring``);
    those removed.

    Call only while no other store has the file open (the lock file taken
    exclusively): then nobody is still writing them. Files younger than this
    process are left anyway (a program of an older version may be).
    """
    removed = []
    stem_ok = _stem_is_ours(db_path)
    candidates = []
    folder = paths.backups_dir(db_path)
    with contextlib.suppress(OSError):
        if folder.is_dir():
            for entry in folder.iterdir():
                match = _PART_RE.match(entry.name)
                if match and _owns(db_path, match["stem"], stem_ok):
                    candidates.append(entry)
    with contextlib.suppress(OSError):
        for entry in db_path.parent.iterdir():
            name = entry.name
            if name.startswith(".") and name.endswith(".restoring"):
                key = name[1:].rsplit("-", 1)[0]
                if _owns(db_path, key, stem_ok):
                    candidates.append(entry)
    for entry in candidates:
        with contextlib.suppress(OSError):
            if entry.is_file() and entry.stat().st_mtime < _STARTED:
                entry.unlink()
                removed.append(entry)
    return removed


def _check_not_in_use(db_path: Path) -> None:
    """Where no lock file can be used: refuse to swap the file under another
    window that is reading or writing it.

    A full checkpoint succeeds only when no other connection is reading or
    writing; it also leaves the write-ahead log empty. A damaged file cannot
    be checked and is not refused here.
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
