"""Answers kept until the database changes.

A briefing is rebuilt after every click in the window, and each build reads
whole tables (every cluster of the country, the section library). Between
two clicks nothing has usually changed, so a :class:`ReadCache` keeps such
answers and drops them all as soon as the file may hold something new.

"Something new" is known without reading any table: SQLite's
``PRAGMA data_version`` changes when another connection (another window,
thread or program) commits to the file, and the connection's own
``total_changes`` grows with every row it inserts, updates or deletes
itself. Their pair is checked on every use; it costs a few microseconds.

Cached values are shared, so only immutable ones belong here (frozen
records, tuples); callers hand out copies of containers.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import Any, TypeVar

import sqlite_utils

T = TypeVar("T")


class ReadCache:
    """Values computed from one connection's reads, valid until a write."""

    def __init__(self, db: sqlite_utils.Database):
        self._db = db
        self._entries: dict[Hashable, Any] = {}
        self._seen: tuple[int, int] | None = None

    def marker(self) -> tuple[int, int]:
        """(data_version, total_changes): changes after any commit to the file."""
        conn = self._db.conn
        (version,) = conn.execute("PRAGMA data_version").fetchone()
        return version, conn.total_changes

    def _current(self) -> dict[Hashable, Any]:
        marker = self.marker()
        if marker != self._seen:
            self._entries.clear()
            self._seen = marker
        return self._entries

    def get(self, key: Hashable, compute: Callable[[], T]) -> T:
        """The cached value of ``key``, computed now if missing or stale."""
        entries = self._current()
        if key in entries:
            return entries[key]
        value = compute()
        # The marker is read again: a write between the check and the
        # computation (another connection) must not be cached as current.
        if self.marker() == self._seen:
            entries[key] = value
        return value

    def peek(self, key: Hashable) -> Any | None:
        """The cached value of ``key`` if it is current, else None (nothing computed)."""
        return self._current().get(key)

    def clear(self) -> None:
        self._entries.clear()
        self._seen = None
