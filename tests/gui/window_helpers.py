"""Shared steps for the main-window tests: open a window, tick, wait."""

from __future__ import annotations

from PySide6.QtCore import Qt

from briefing_app.gui import settings as keys
from briefing_app.gui.main_window import MainWindow
from briefing_app.gui.selection_panel import SLUG_ROLE, _all_items
from briefing_app.gui.settings import AppSettings

PREVIEW_TIMEOUT_MS = 60_000


def open_window(qtbot, store, tmp_path) -> MainWindow:
    settings = AppSettings.at(tmp_path / "settings.ini")
    settings.set(keys.OUTPUT_FOLDER, str(tmp_path))
    window = MainWindow(store, settings)
    # Not qtbot.addWidget: pytest-qt closes its widgets before fixtures end,
    # which would ask about unsaved changes; close_quietly does it instead.
    window.show()
    return window


def close_quietly(window: MainWindow) -> None:
    """End a test without the unsaved-changes question."""
    window.session.modified = False
    window.files.confirm_discard = lambda: True  # nothing may ask once the test is over
    window.close()
    window.deleteLater()


def tick(tree, slug: str, checked: bool = True) -> None:
    """Tick a sector or partnership as a user's click would."""
    for item in _all_items(tree):
        if item.data(0, SLUG_ROLE) == slug:
            item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            return
    raise AssertionError(f"{slug} is not in the list")


def wait_for_preview(qtbot, window) -> None:
    """Wait until the preview shows the newest state of the window."""
    qtbot.waitUntil(lambda: not window.preview_panel.is_busy(), timeout=PREVIEW_TIMEOUT_MS)


def outline_keys(window) -> list[str]:
    return [item.key for item in window.outline_panel.outline()]
