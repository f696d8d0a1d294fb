"""Who has a knowledge base open: a shared lock on a file beside it.

Every open :class:`~briefing_app.store.store.Store` holds a shared advisory
lock (``flock``) on ``<database>.lock``; ``db restore`` takes the same lock
exclusively without waiting, so it refuses while any window or command has
the database open, even an idle one that SQLite's own locks would not show.

The lock is never taken on the database file itself: SQLite's locks there
are POSIX locks, which a process loses when it closes *any* descriptor of
the file (see :mod:`connection`). ``flock`` locks on a separate file belong
to their open file and do not interfere with SQLite's.

One lock per database per process, counted: a second store of the same file
in the process (every export opens one) shares it. Where ``fcntl`` is
missing (Windows) or the lock file cannot be created, nothing is locked and
restore falls back to SQLite's own test (a checkpoint that needs every other
connection to be idle).
"""

from __future__ import annotations

import contextlib
import os
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path

from briefing_app.errors import StoreError

try:
    import fcntl
except ImportError:  # pragma: no cover - Windows
    fcntl = None  # type: ignore[assignment]

POLL_S = 0.05

_guard = threading.Lock()
_held: dict[str, list] = {}  # lock path -> [descriptor or None, count]


def lock_path(db_path: Path) -> Path:
    """The lock file of ``db_path`` (beside the real file when it is a link)."""
    return Path(f"{Path(db_path).resolve()}.lock")


def _open(key: str) -> int | None:
    """A descriptor of the lock file; None where locking is not possible."""
    if fcntl is None:
        return None
    try:
        Path(key).parent.mkdir(parents=True, exist_ok=True)
        return os.open(key, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return None  # e.g. a read-only folder: the store refuses that itself


def _try(fd: int, kind: int) -> bool | None:
    """Take the lock without waiting: True, False (someone else holds it), or
    None where the file system has no ``flock`` (then nothing is locked)."""
    try:
        fcntl.flock(fd, kind | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError:
        return None
    return True


def _wait(fd: int, kind: int, timeout: float) -> bool:
    deadline = time.monotonic() + max(timeout, 0.0)
    while _try(fd, kind) is False:
        if time.monotonic() >= deadline:
            return False
        time.sleep(POLL_S)
    return True


class SharedLock:
    """This process's hold on a database; :meth:`release` once when done."""

    def __init__(self, key: str):
        self.key = key
        self._released = False

    def release(self) -> None:
        with _guard:
            if self._released:
                return
            self._released = True
            entry = _held.get(self.key)
            if entry is None:
                return
            entry[1] -= 1
            if entry[1] <= 0:
                del _held[self.key]
                if entry[0] is not None:
                    os.close(entry[0])  # the lock file, never the database


def hold_shared(
    db_path: Path, timeout: float, when_alone: Callable[[], None] | None = None
) -> SharedLock:
    """Mark ``db_path`` as open by this process, waiting out a restore.

    ``when_alone`` runs while this process is the only one with the database
    open (the lock could be taken exclusively): the moment to clear leftovers
    that only a dead process can have left.
    """
    key = str(lock_path(db_path))
    with _guard:
        entry = _held.get(key)
        if entry is not None:
            entry[1] += 1
            return SharedLock(key)
        fd = _open(key)
        if fd is not None:
            if when_alone is not None and _try(fd, fcntl.LOCK_EX) is True:
                try:
                    when_alone()
                except Exception:  # tidying must never stop an open
                    pass
            if not _wait(fd, fcntl.LOCK_SH, timeout):
                os.close(fd)
                raise StoreError(
                    f"{db_path} is being restored from a backup by another program; "
                    f"try again when it has finished."
                )
        _held[key] = [fd, 1]
    return SharedLock(key)


def held_here(db_path: Path) -> bool:
    """Whether this process has a store of ``db_path`` open."""
    with _guard:
        return str(lock_path(db_path)) in _held


@contextlib.contextmanager
def exclusive(db_path: Path, doing: str) -> Iterator[bool]:
    """Hold ``db_path`` alone for ``doing``, or refuse at once if it is open.

    Yields whether the lock is real (False where locking is unavailable, so
    the caller can fall back to other tests).
    """
    in_use = StoreError(
        f"{db_path} is open in another window or program (the Briefing Builder "
        f"application or a `briefing` command); close it, then {doing} again. "
        f"Nothing was changed."
    )
    if held_here(db_path):
        raise in_use
    fd = _open(str(lock_path(db_path)))
    if fd is None:
        yield False
        return
    try:
        got = _try(fd, fcntl.LOCK_EX)
        if got is False:
            raise in_use
        yield bool(got)
    finally:
        os.close(fd)
