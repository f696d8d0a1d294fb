"""Edit > Undo and Redo over the text boxes, and shortcuts that work everywhere.

Undo and Redo act on the text box the user last typed in (a cover field, the
region filter, the abstract), as in any editor: the menu takes the focus
while it is open, so the box is remembered when it loses the focus.

A line edit claims some Ctrl keys for itself (on Linux Ctrl+E moves to the
end of the line, in the Emacs manner), so a window shortcut on such a key
does nothing while the cursor is in a text box. :class:`WindowWideKeys`
gives the window's own shortcuts (Export) precedence over those claims: it
answers the "shortcut override" question before the text box can.
"""

from __future__ import annotations

import shiboken6
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QLineEdit, QPlainTextEdit, QTextEdit, QWidget

TEXT_WIDGETS = (QLineEdit, QPlainTextEdit, QTextEdit)


def _undo_available(widget: QWidget, redo: bool = False) -> bool:
    if isinstance(widget, QLineEdit):
        if widget.isReadOnly():
            return False
        return widget.isRedoAvailable() if redo else widget.isUndoAvailable()
    if widget.isReadOnly():
        return False
    document = widget.document()
    return document.isRedoAvailable() if redo else document.isUndoAvailable()


class EditCommands(QObject):
    """Undo and Redo for the text boxes of ``window``."""

    def __init__(self, window: QWidget) -> None:
        super().__init__(window)
        self.window = window
        self._last: QWidget | None = None
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old, new) -> None:
        if isinstance(new, TEXT_WIDGETS) and new.window() is self.window:
            self._last = new

    def text_widget(self) -> QWidget | None:
        """The text box Undo and Redo act on: the focused one, else the last."""
        focused = QApplication.focusWidget()
        if isinstance(focused, TEXT_WIDGETS) and focused.window() is self.window:
            return focused
        if self._last is not None and not shiboken6.isValid(self._last):
            self._last = None  # that box is gone (a tab closed, say)
        return self._last

    def can_undo(self) -> bool:
        widget = self.text_widget()
        return widget is not None and _undo_available(widget)

    def can_redo(self) -> bool:
        widget = self.text_widget()
        return widget is not None and _undo_available(widget, redo=True)

    def undo(self) -> None:
        widget = self.text_widget()
        if widget is not None and _undo_available(widget):
            widget.undo()
            widget.setFocus()

    def redo(self) -> None:
        widget = self.text_widget()
        if widget is not None and _undo_available(widget, redo=True):
            widget.redo()
            widget.setFocus()


class WindowWideKeys(QObject):
    """Lets ``actions`` of ``window`` win over a text box's own use of their keys.

    The filter sits on each text box of the window as it takes the focus (the
    shortcut question goes to the focused widget only), not on the whole
    application, which would run Python for every event of every window.
    """

    def __init__(self, window: QWidget, actions: list[QAction]) -> None:
        super().__init__(window)
        self.window = window
        self.actions = actions
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old, new) -> None:
        if isinstance(new, TEXT_WIDGETS) and new.window() is self.window:
            new.installEventFilter(self)  # once per widget: Qt keeps no duplicates

    def eventFilter(self, watched, event) -> bool:  # noqa: N802 (Qt's name)
        if event.type() == QEvent.Type.ShortcutOverride and watched.window() is self.window:
            pressed = QKeySequence(event.keyCombination())
            for action in self.actions:
                if action.isEnabled() and action.shortcut() == pressed:
                    # Not accepted: the key goes to the window's shortcut.
                    event.ignore()
                    return True
        return False
