"""A guard against a reference-count bug of PySide6 6.12 on Python 3.11.

Measured on this machine: every ``SignalInstance.emit()`` called from Python
hands back ``True`` without owning a reference to it, and ``data()`` of an
item role that holds nothing hands back ``None`` the same way. Each call
takes one reference from those singletons; after a few thousand the
interpreter frees ``True`` or ``None`` and aborts ("bool_dealloc",
"none_dealloc"). Python 3.12 makes the singletons immortal, so this only
bites on 3.11 and older.

:func:`top_up` gives back what was lost: it notes the singletons' counts the
first time, and later holds extra references in a list whenever a count has
fallen below that mark. Holding extra references to ``None``/``True`` costs
a few bytes and is otherwise harmless; the application calls it on a timer
and the GUI tests after each test.
"""

from __future__ import annotations

import sys

from PySide6.QtCore import QObject, QTimer

SINGLETONS = (None, True, False)
INTERVAL_MS = 500

_held: list[object] = []
_marks: dict[int, int] = {}


def top_up() -> int:
    """Restore the singletons' reference counts; returns how many were added."""
    added = 0
    for obj in SINGLETONS:
        now = sys.getrefcount(obj)
        mark = _marks.setdefault(id(obj), now)
        if now < mark:
            _held.extend([obj] * (mark - now))
            added += mark - now
    return added


def start_guard(parent: QObject) -> QTimer:
    """Run :func:`top_up` every half second for as long as ``parent`` lives."""
    top_up()
    timer = QTimer(parent)
    timer.setInterval(INTERVAL_MS)
    timer.timeout.connect(top_up)
    timer.start()
    return timer
