"""A notice in the main window's status bar when the shipped knowledge base
has newer facts than the user's, with the button that takes them.

The notice is a permanent status-bar widget, never a dialog on opening: the
user may go on working and update when it suits. The button first shows
what the update would do (a dry run, `briefing db update-shipped --dry-run`)
and asks; the update itself keeps every record the user changed, added or
deleted (store/shipped_update.py) and backs the file up first.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QHBoxLayout, QLabel, QMessageBox, QPushButton, QWidget

from briefing_app.errors import BriefingError

TEXT = "The shipped knowledge base has newer facts."
BUTTON = "&Update from shipped…"
TITLE = "Update from the shipped knowledge base"


class ShippedNotice(QWidget):
    """Shown while ``window.store.shipped_news()``; its button updates the store."""

    updated = Signal()  # the update wrote to the store

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window_ = window
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 4, 0)
        self.label = QLabel(TEXT, self)
        self.button = QPushButton(BUTTON, self)
        self.button.setToolTip(
            "Add the new shipped records and take the new version of those you never "
            "changed; your own edits, additions and deletions stay. You see the "
            "changes first."
        )
        self.button.clicked.connect(self.update_from_shipped)
        layout.addWidget(self.label)
        layout.addWidget(self.button)
        self.setAccessibleName("Newer shipped facts")
        window.statusBar().addPermanentWidget(self)
        self.check()

    def check(self) -> None:
        """Show or hide the notice as the store is now (cheap: one query)."""
        try:
            news = self.window_.store.shipped_news()
        except (BriefingError, OSError):
            news = False
        self.setVisible(news)

    def update_from_shipped(self) -> None:
        """Show what would change, ask, update, and say what was done."""
        store = self.window_.store
        try:
            with _busy():
                planned = store.update_shipped(dry_run=True)
        except BriefingError as exc:
            QMessageBox.warning(self.window_, TITLE, f"The update cannot be made:\n{exc}")
            return
        lines = planned.lines()[1:]  # the dry run's heading speaks of a command
        if not planned.changes:
            QMessageBox.information(
                self.window_, TITLE, "\n".join(["Nothing to add or change.", *lines])
            )
            self._take(quiet=True)  # records the new seed: the notice goes
            return
        answer = QMessageBox.question(
            self.window_,
            TITLE,
            "\n".join(["The update will make these changes:", *lines, "", "Update now?"]),
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.Yes,
        )
        if answer == QMessageBox.StandardButton.Yes:
            self._take(quiet=False)

    def _take(self, quiet: bool) -> None:
        try:
            with _busy():
                report = self.window_.store.update_shipped()
        except BriefingError as exc:
            QMessageBox.warning(
                self.window_, TITLE, f"Nothing was changed: the update failed.\n{exc}"
            )
            return
        self.check()
        self.updated.emit()
        if not quiet:
            QMessageBox.information(self.window_, TITLE, "\n".join(report.lines()))


class _busy:
    """The wait cursor while the update reads the seed and writes."""

    def __enter__(self):
        QGuiApplication.setOverrideCursor(Qt.CursorShape.WaitCursor)

    def __exit__(self, *exc):
        QGuiApplication.restoreOverrideCursor()
