"""The one "save your changes?" question every window asks before leaving."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtWidgets import QMessageBox, QWidget


def ask_to_save(parent: QWidget, message: str, save: Callable[[], bool]) -> bool:
    """Save / Discard / Cancel; True when it is fine to move on.

    Save runs ``save`` and moves on only if it succeeded.
    """
    buttons = QMessageBox.StandardButton
    answer = QMessageBox.question(
        parent,
        "Unsaved changes",
        message,
        buttons.Save | buttons.Discard | buttons.Cancel,
        buttons.Save,
    )
    if answer == buttons.Save:
        return save()
    return answer == buttons.Discard
