"""The rough edges of everyday use (issue 17), driven through real widgets."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject, Qt
from PySide6.QtWidgets import QApplication, QLineEdit
from window_helpers import close_quietly, open_window, outline_keys, wait_for_preview

from briefing_app.gui import export_controller
from briefing_app.gui.add_section_dialog import AFTER_CURRENT, IN_OUTLINE, AddSectionDialog
from briefing_app.gui.data_browser import TITLE
from briefing_app.gui.export_dialog import ExportDialog
from briefing_app.gui.outline_panel import ANNEX_GROUP_ROLE

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def window(qtbot, seeded_store, tmp_path):
    window = open_window(qtbot, seeded_store, tmp_path)
    yield window
    close_quietly(window)


def make_active(qtbot, window) -> None:
    window.activateWindow()
    window.raise_()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


@pytest.mark.parametrize("box", ["region filter", "cover title"])
def test_ctrl_e_exports_while_typing_in_a_text_box(qtbot, window, monkeypatch, box):
    asked: list[str] = []

    def instead_of_showing(dialog):
        asked.append(dialog.stem)
        return 0  # the user cancels: nothing is written

    monkeypatch.setattr(ExportDialog, "exec", instead_of_showing)
    make_active(qtbot, window)
    if box == "cover title":
        window.tabs.setCurrentIndex(1)
        edit = window.cover_form.edits["title"]
    else:
        edit = window.selection_panel.regions.filter_box
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    qtbot.keyClicks(edit, "Zhe")
    qtbot.keyClick(edit, Qt.Key.Key_Home)
    qtbot.keyClick(edit, Qt.Key.Key_E, Qt.KeyboardModifier.ControlModifier)
    assert len(asked) == 1, "Ctrl+E did not reach File > Export"
    # The key went to Export, not to the line edit (which would move to the end).
    assert edit.cursorPosition() == 0 and edit.text() == "Zhe"


@pytest.mark.skipif(shutil.which("xvfb-run") is None, reason="needs Xvfb (xvfb-run)")
def test_ctrl_e_exports_from_a_text_box_on_x11(seeded_db_path, tmp_path):
    """On X11 a line edit claims Ctrl+E for "end of line": the bug as users met it."""
    script = Path(__file__).with_name("ctrl_e_on_x11.py")
    env = {**os.environ, "QT_QPA_PLATFORM": "xcb", "PYTHONPATH": str(ROOT)}
    run = subprocess.run(
        [
            "xvfb-run",
            "-a",
            sys.executable,
            str(script),
            str(seeded_db_path),
            str(tmp_path / "s.ini"),
        ],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    result = json.loads(run.stdout.strip().splitlines()[-1])
    assert result["platform"] == "xcb"
    assert result["asked_after_filter"] == 1, result
    assert result["asked_after_cover"] == 2, result
    assert result["filter"] == {"cursor": 0, "text": "Zhe"}
    # In the section editor Ctrl+E is the line edit's again: the cursor moved to the end.
    editor = result["editor"]
    assert result["asked_after_editor"] == 2 and editor["cursor"] == len(editor["text"]) > 0


def test_edit_menu_undoes_and_redoes_typing_in_a_cover_field(qtbot, window):
    make_active(qtbot, window)
    window.tabs.setCurrentIndex(1)
    edit = window.cover_form.edits["reviewed_by"]
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    qtbot.keyClicks(edit, "Li Na")
    assert window.cover_form.cover().reviewed_by == "Li Na"
    edit_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Edit"
    )
    names = [a.text().replace("&", "") for a in edit_menu.actions() if a.text()]
    assert names[:2] == ["Undo", "Redo"]

    window.actions.undo.trigger()
    assert edit.text() == ""
    window.actions.redo.trigger()
    assert edit.text() == "Li Na"
    # The focus moves on (a click in the outline): Undo still acts on that box.
    window.outline_panel.tree.setFocus()
    qtbot.waitUntil(lambda: not edit.hasFocus(), timeout=2000)
    window.actions.undo.trigger()
    assert edit.text() == ""


def test_help_opens_the_user_guide(qtbot, window):
    help_menu = next(
        a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Help"
    )
    assert [a.text().replace("&", "") for a in help_menu.actions() if a.text()][0] == "User guide"
    window.actions.user_guide.trigger()
    guide = window.guide
    assert guide.isVisible()
    assert "A first briefing in five steps" in guide.headings()
    assert "How to add a country" in guide.headings()
    text = guide.browser.toPlainText()
    assert "#" not in text.split("\n", 1)[0]  # rendered, not shown as Markdown
    area = window.screen().availableGeometry()
    assert guide.width() <= area.width() and guide.height() <= area.height()
    window.actions.user_guide.trigger()  # again: the same window
    assert window.guide is guide
    guide.close()


class PaintCounter(QObject):
    def __init__(self) -> None:
        super().__init__()
        self.paints = 0

    def eventFilter(self, _watched, event) -> bool:  # noqa: N802
        if event.type() == QEvent.Type.Paint:
            self.paints += 1
        return False


def test_the_abstract_hint_follows_the_region_and_is_repainted(qtbot, window):
    window.tabs.setCurrentIndex(1)
    wait_for_preview(qtbot, window)
    abstract = window.cover_form.abstract
    country_hint = abstract.placeholderText()
    assert country_hint

    counter = PaintCounter()
    abstract.viewport().installEventFilter(counter)
    QApplication.processEvents()
    counter.paints = 0
    window.selection_panel.regions.select_region("zhejiang")
    wait_for_preview(qtbot, window)
    assert "Zhejiang" in abstract.placeholderText()
    # The hint was on show before and after: the box must still paint the new one.
    qtbot.waitUntil(lambda: counter.paints > 0, timeout=2000)

    # In "Current section" mode too, and after New briefing.
    window.preview_panel.section_button.click()
    window.selection_panel.regions.select_region("pearl-river-delta")
    wait_for_preview(qtbot, window)
    assert "Pearl River Delta" in abstract.placeholderText()
    window.preview_panel.whole_button.click()
    window.session.modified = False
    window.files.new()
    wait_for_preview(qtbot, window)
    assert abstract.placeholderText() == country_hint
    abstract.viewport().removeEventFilter(counter)


def test_add_section_marks_what_the_outline_holds_and_adds_at_the_end(
    qtbot, window, seeded_store, monkeypatch
):
    held = window.outline_panel.sections()
    first_key = outline_keys(window)[0]
    window.outline_panel.select_key(first_key)
    title = window.outline_panel.tree.currentItem().text(0)
    dialog = AddSectionDialog(seeded_store, window, in_outline=held, current_title=title)
    qtbot.addWidget(dialog)
    items = [dialog.list.item(r) for r in range(dialog.list.count())]
    marked = [i for i in items if i.text().endswith(IN_OUTLINE)]
    assert {i.data(Qt.ItemDataRole.UserRole + 1) for i in marked} == held
    assert items.index(marked[0]) > max(items.index(i) for i in items if i not in marked)
    assert dialog.chosen().slug not in held  # the first offer is a section not yet there
    assert dialog.at_end()  # the end unless asked
    assert dialog.place.itemText(1) == f"After “{title}”"

    chosen: dict[str, object] = {}

    def pick(place: str):
        def run(dialog):
            section = next(
                s for s in seeded_store.sections() if s.slug not in window.outline_panel.sections()
            )
            for row in range(dialog.list.count()):
                if dialog.list.item(row).data(Qt.ItemDataRole.UserRole + 1) == section.slug:
                    dialog.list.setCurrentRow(row)
            dialog.place.setCurrentIndex(dialog.place.findData(place))
            chosen["slug"] = section.slug
            return 1

        return run

    monkeypatch.setattr(AddSectionDialog, "exec", pick("end"))
    window.add_section()
    tree = window.outline_panel.tree
    annexes = next(
        i for i in range(tree.topLevelItemCount()) if tree.topLevelItem(i).data(0, ANNEX_GROUP_ROLE)
    )
    last_body = tree.topLevelItem(annexes - 1)
    assert last_body is tree.currentItem()
    assert window.current_selection().outline  # now a customised outline
    assert [i for i in window.outline_panel.outline() if not i.annex][-1].section == chosen["slug"]

    window.outline_panel.select_key(first_key)
    monkeypatch.setattr(AddSectionDialog, "exec", pick(AFTER_CURRENT))
    window.add_section()
    assert window.outline_panel.outline()[1].section == chosen["slug"]


def test_the_save_prompt_shows_a_long_name_whole(qtbot, window):
    name = "Preparatory Briefing on Pearl River Delta — automotive, ICT and human health, 2026"
    dialog = window.files.name_dialog(name)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    edit = dialog.findChild(QLineEdit)
    assert edit.text() == name
    assert edit.width() >= edit.fontMetrics().horizontalAdvance(name) + 8


def test_the_data_browser_is_called_as_in_the_menu(window):
    window.actions.data_browser.trigger()
    browser = window._tools["data-browser"]
    assert browser.windowTitle() == TITLE
    assert window.actions.data_browser.text().replace("&", "").rstrip("…") == TITLE


def test_the_export_progress_window_shows_its_title_whole(qtbot, window, tmp_path):
    with qtbot.waitSignal(window.exporter.finished, timeout=120_000):
        window.exporter.start(("docx",), tmp_path / "progress.docx")
        progress = window.exporter.progress
        title = progress.windowTitle()
        assert len(title) <= 12
        shown = f"{title} — {QApplication.applicationDisplayName()}"
        assert progress.minimumWidth() > progress.fontMetrics().horizontalAdvance(shown)
    assert export_controller.PROGRESS_TITLE == title


def test_the_section_editor_divider_stays_and_the_warning_goes_with_the_error(
    qtbot, seeded_store, monkeypatch
):
    from PySide6.QtWidgets import QMessageBox

    from briefing_app.assembly.selection import Selection
    from briefing_app.gui.section_editor import SectionEditor
    from briefing_app.gui.section_editor_saving import NOT_SAVED_ERRORS

    editor = SectionEditor(seeded_store, lambda: Selection(country="CN", sectors=("automotive",)))
    qtbot.addWidget(editor)
    editor.open_section("sector-strength")
    editor.resize(1024, 700)
    editor.show()
    qtbot.waitExposed(editor)
    qtbot.waitUntil(lambda: editor.error_label.text().startswith("✓"), timeout=10_000)
    sizes, height = editor.splitter.sizes(), editor.editor.height()
    good = editor.editor.toPlainText()

    editor.editor.setPlainText(good + "\n{% if x %} broken {{ unclosed ")
    qtbot.waitUntil(lambda: editor.error_label.text().startswith("✗"), timeout=10_000)
    QApplication.processEvents()
    assert editor.splitter.sizes() == sizes
    assert editor.editor.height() == height

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.No)
    assert not editor.save()
    assert editor.statusBar().currentMessage() == NOT_SAVED_ERRORS
    editor.editor.setPlainText(good)
    qtbot.waitUntil(lambda: editor.error_label.text().startswith("✓"), timeout=10_000)
    assert editor.statusBar().currentMessage() == ""
    assert editor.splitter.sizes() == sizes
