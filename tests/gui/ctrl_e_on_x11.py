"""Run by test_everyday_use under Xvfb with Qt's X11 platform, where a line
edit claims Ctrl+E (end of line) as on a Linux desktop; prints what happened
as JSON. Usage: python3 ctrl_e_on_x11.py DB SETTINGS_INI"""

from __future__ import annotations

import json
import sys
import time

from PySide6.QtCore import Qt
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication, QLineEdit

from briefing_app.gui.app import application
from briefing_app.gui.export_dialog import ExportDialog
from briefing_app.gui.main_window import MainWindow
from briefing_app.gui.settings import AppSettings
from briefing_app.store import open_store


def wait_for(condition, seconds: float = 5.0) -> bool:
    end = time.monotonic() + seconds
    while time.monotonic() < end:
        QApplication.processEvents()
        if condition():
            return True
        time.sleep(0.01)
    return condition()


def press_ctrl_e(window, edit: QLineEdit, text: str | None = "Zhe") -> dict:
    window.activateWindow()
    wait_for(window.isActiveWindow)
    edit.setFocus()
    wait_for(edit.hasFocus)
    if text is not None:
        edit.setText(text)
    QTest.keyClick(edit, Qt.Key.Key_Home)
    QTest.keyClick(edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    QApplication.processEvents()
    return {"cursor": edit.cursorPosition(), "text": edit.text()}


def main(db: str, ini: str) -> None:
    application()
    asked: list[str] = []
    ExportDialog.exec = lambda dialog: asked.append(dialog.stem) or 0  # the user cancels
    result: dict = {"platform": QApplication.platformName()}
    with open_store(db) as store:
        window = MainWindow(store, AppSettings.at(ini))
        window.show()
        result["filter"] = press_ctrl_e(window, window.selection_panel.regions.filter_box)
        result["asked_after_filter"] = len(asked)
        window.tabs.setCurrentIndex(1)
        result["cover"] = press_ctrl_e(window, window.cover_form.edits["title"])
        result["asked_after_cover"] = len(asked)
        # Another window's line edit keeps Ctrl+E for itself (end of line).
        window.actions.section_editor.trigger()
        editor = window._tools["section-editor"]
        result["editor"] = press_ctrl_e(editor, editor.title_edit, text=None)
        result["asked_after_editor"] = len(asked)
        editor.close()
        window.session.modified = False
        window.files.confirm_discard = lambda: True
        window.close()
    print(json.dumps(result))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
