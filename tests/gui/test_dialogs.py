"""The window's dialogs and tool windows, driven directly."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from window_helpers import close_quietly, open_window

from briefing_app.assembly.selection import Selection
from briefing_app.gui import settings as keys
from briefing_app.gui.about_dialog import about_text
from briefing_app.gui.briefing_session import BriefingSession, slug_for
from briefing_app.gui.export_dialog import ExportDialog
from briefing_app.gui.open_briefing_dialog import OpenBriefingDialog
from briefing_app.gui.settings import AppSettings
from briefing_app.gui.settings_dialog import SettingsDialog


def test_open_dialog_lists_saved_briefings_and_deletes_one(qtbot, seeded_store, monkeypatch):
    session = BriefingSession()
    session.save(seeded_store, Selection(region="pearl-river-delta"), "Shenzhen 深圳 trip")
    dialog = OpenBriefingDialog(seeded_store)
    qtbot.addWidget(dialog)
    assert dialog.list.topLevelItemCount() == 1
    assert dialog.chosen_slug() == session.slug == "shenzhen-trip"

    monkeypatch.setattr(QMessageBox, "question", lambda *a, **k: QMessageBox.StandardButton.Yes)
    dialog.delete_button.click()
    assert seeded_store.briefings() == []
    assert dialog.list.topLevelItemCount() == 0 and not dialog.open_button.isEnabled()


def test_briefing_slugs_are_ascii_and_unique():
    assert slug_for("PRD visit", set()) == "prd-visit"
    assert slug_for("PRD visit", {"prd-visit"}) == "prd-visit-2"
    assert slug_for("广州", set()) == "briefing"


def test_settings_dialog_writes_every_field(qtbot, tmp_path):
    settings = AppSettings.at(tmp_path / "s.ini")
    dialog = SettingsDialog(settings)
    qtbot.addWidget(dialog)
    dialog.output_folder.setText(str(tmp_path))
    dialog.page_size.setCurrentText("Letter")
    dialog.author.setText("Anna Rossi")
    dialog.database.setText(str(tmp_path / "kb.sqlite"))
    dialog._save()
    again = AppSettings.at(tmp_path / "s.ini")
    assert (again.output_folder, again.page_size, again.author) == (
        tmp_path,
        "Letter",
        "Anna Rossi",
    )
    assert again.database_path == tmp_path / "kb.sqlite"


def test_export_dialog_offers_a_file_for_one_format_and_a_folder_for_both(qtbot, tmp_path):
    settings = AppSettings.at(tmp_path / "s.ini")
    settings.set(keys.OUTPUT_FOLDER, str(tmp_path))
    dialog = ExportDialog(settings, "preparatory-briefing-on-pearl-river-delta")
    qtbot.addWidget(dialog)
    dialog.word.setChecked(True)
    assert dialog.formats() == ("docx",)
    assert dialog.output() == tmp_path / "preparatory-briefing-on-pearl-river-delta.docx"
    assert dialog.names.isHidden()
    dialog.both.setChecked(True)
    assert dialog.formats() == ("docx", "pdf") and dialog.output() == tmp_path
    assert dialog.names.text() == (
        "Files: preparatory-briefing-on-pearl-river-delta.docx and "
        "preparatory-briefing-on-pearl-river-delta.pdf"
    )
    dialog._accept()
    assert settings.get(keys.EXPORT_FORMAT) == "both"


def test_about_names_the_versions():
    text = about_text("/tmp/kb.sqlite")
    for component in ("Python", "Qt", "PySide6", "python-docx", "ReportLab", "SQLite"):
        assert f"<td>{component}</td>" in text


@pytest.fixture
def window(qtbot, seeded_store, tmp_path):
    window = open_window(qtbot, seeded_store, tmp_path)
    yield window
    close_quietly(window)


def test_tools_menu_opens_the_section_editor_and_the_data_browser(window):
    window.actions.section_editor.trigger()
    window.actions.data_browser.trigger()
    editor, browser = window._tools["section-editor"], window._tools["data-browser"]
    assert editor.isVisible() and browser.isVisible()
    window.actions.section_editor.trigger()  # a second time raises the same window
    assert window._tools["section-editor"] is editor


def test_two_windows_saving_one_briefing_lose_no_update(seeded_store):
    from briefing_app.errors import ConflictError

    first = BriefingSession()
    first.save(seeded_store, Selection(region="pearl-river-delta"), "Delegation")
    second = BriefingSession()
    second.opened(seeded_store.briefing(first.slug))

    second.save(seeded_store, Selection(region="zhejiang"))
    with pytest.raises(ConflictError):
        first.save(seeded_store, Selection(region="hebei"))
    assert (
        Selection.from_json(seeded_store.briefing(first.slug).selection_json).region == "zhejiang"
    )
    # Save As still works for the window that lost the race.
    first.save(seeded_store, Selection(region="hebei"), "Delegation (mine)")
    assert first.slug != second.slug
