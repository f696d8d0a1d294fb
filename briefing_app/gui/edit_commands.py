"""Edit > Undo and Redo over the text boxes and the outline, and shortcuts
that work everywhere.

Undo and Redo act on the text box the user last typed in (a cover field, the
region filter, the abstract), as in any editor: the menu takes the focus
while it is open, so the box is remembered when it loses the focus. Given an
``outline`` history (:mod:`outline_history`), they act on the outline instead
while the outline panel has the focus, or when an outline edit came after the
last visit to a text box; either way, on the one that has something to undo.

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

from briefing_app.gui.outline_history import CLOCK

TEXT_WIDGETS = (QLineEdit, QPlainTextEdit, QTextEdit)
OUTLINE = "outline"


def _typed_in(widget, window: QWidget) -> bool:
    """A text box of ``window`` the user can type in (not the preview)."""
    return (
        isinstance(widget, TEXT_WIDGETS) and not widget.isReadOnly() and widget.window() is window
    )


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
    """Undo and Redo for the text boxes of ``window`` and its ``outline``
    history, whose edits happen in ``outline_widget``."""

    def __init__(self, window: QWidget, outline=None, outline_widget=None) -> None:
        super().__init__(window)
        self.window = window
        self.outline = outline
        self.outline_widget = outline_widget
        self._last: QWidget | None = None
        self._last_at = 0
        QApplication.instance().focusChanged.connect(self._focus_changed)

    def _focus_changed(self, _old, new) -> None:
        if _typed_in(new, self.window):
            self._last = new
            # On the outline history's clock: which came last, this or an outline edit.
            self._last_at = next(CLOCK)

    def target(self, redo: bool = False):
        """What Undo (or Redo) acts on: a text box, ``OUTLINE`` or None."""
        focused = QApplication.focusWidget()
        if _typed_in(focused, self.window):
            return focused
        widget = self.text_widget()
        text_ok = widget is not None and _undo_available(widget, redo)
        outline = self.outline
        if outline is None or not (outline.can_redo() if redo else outline.can_undo()):
            return widget if text_ok else None
        in_outline = focused is not None and (
            focused is self.outline_widget or self.outline_widget.isAncestorOf(focused)
        )
        if in_outline or not text_ok or outline.edited_at > self._last_at:
            return OUTLINE
        return widget

    def text_widget(self) -> QWidget | None:
        """The text box Undo and Redo act on: the focused one, else the last."""
        focused = QApplication.focusWidget()
        if _typed_in(focused, self.window):
            return focused
        if self._last is not None and not shiboken6.isValid(self._last):
            self._last = None  # that box is gone (a tab closed, say)
        return self._last

    def can_undo(self) -> bool:
        return self.target() is not None

    def can_redo(self) -> bool:
        return self.target(redo=True) is not None

    def text(self, redo: bool = False) -> str:
        """The menu's words: "&Undo untick 'Conclusion'" for the outline."""
        word = "&Redo" if redo else "&Undo"
        if self.target(redo) != OUTLINE:
            return word
        label = self.outline.redo_label() if redo else self.outline.undo_label()
        return f"{word} {label.replace('&', '&&')}"

    def undo(self) -> None:
        self._act(redo=False)

    def redo(self) -> None:
        self._act(redo=True)

    def _act(self, redo: bool) -> None:
        target = self.target(redo)
        if target == OUTLINE:
            self.outline.redo() if redo else self.outline.undo()
        elif target is not None:
            target.redo() if redo else target.undo()
            target.setFocus()


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
