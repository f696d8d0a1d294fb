"""Noticing that the knowledge base changed, wherever the change came from.

Another window of this application, a second instance, or a `briefing import`
run beside it may write to the database at any time. :class:`StoreWatch`
asks the store for its change stamp (``Store.change_stamp``: one PRAGMA, no
table read) once a second on the GUI thread and emits :attr:`changed` when it
moved. The preview's build runs on its own thread with its own connection,
so the poll never waits for it, nor it for the poll.

While a modal dialog is open (an import, a record form, a question) nothing
is emitted: the window refreshes once the dialog has closed.
"""

from __future__ import annotations

import logging

from PySide6.QtCore import QObject, QTimer, Signal
from PySide6.QtWidgets import QApplication

from briefing_app.errors import BriefingError

log = logging.getLogger(__name__)

POLL_MS = 1000


class StoreWatch(QObject):
    """Polls ``store.change_stamp()``; emits :attr:`changed` after any write."""

    changed = Signal()

    def __init__(self, store, parent: QObject | None = None, interval_ms: int = POLL_MS):
        super().__init__(parent)
        self.store = store
        self._stamp = self._read()
        self.timer = QTimer(self)
        self.timer.setInterval(interval_ms)
        self.timer.timeout.connect(self.poll)
        self.timer.start()

    def _read(self):
        try:
            return self.store.change_stamp()
        except BriefingError as exc:  # a locked or vanished file: try again next time
            log.info("cannot read the change stamp: %s", exc)
            return None

    def seen(self) -> None:
        """What the window shows now is current (it has just refreshed)."""
        self._stamp = self._read()

    def poll(self) -> bool:
        """Emit :attr:`changed` if the database changed since last seen; whether it did."""
        if QApplication.activeModalWidget() is not None:
            return False
        stamp = self._read()
        if stamp is None or stamp == self._stamp:
            return False
        self._stamp = stamp
        self.changed.emit()
        return True

    def stop(self) -> None:
        self.timer.stop()
