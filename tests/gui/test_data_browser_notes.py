"""The record form shows the note for editors (never printed) and the
official-acronym box, and saves them."""

from __future__ import annotations

from PySide6.QtWidgets import QCheckBox, QPlainTextEdit

from briefing_app.gui.data_browser_form import RecordFormDialog


def test_form_shows_and_saves_the_editor_note(qtbot, seeded_store):
    slug = "changchun-faw-cluster"
    dialog = RecordFormDialog(seeded_store, "clusters", seeded_store.get("clusters", slug))
    qtbot.addWidget(dialog)
    box = dialog.widgets["editor_note"]
    assert isinstance(box, QPlainTextEdit)
    assert "Yiqi" in box.toPlainText()
    assert "never printed" in box.toolTip().lower()
    dialog.set_value("editor_note", "Checked against 002 chapter 3.1.")
    assert dialog.save() is True
    assert seeded_store.get("clusters", slug).editor_note == "Checked against 002 chapter 3.1."


def test_form_shows_whether_an_acronym_is_official(qtbot, seeded_store):
    dialog = RecordFormDialog(seeded_store, "partnerships", seeded_store.get("partnerships", "st"))
    qtbot.addWidget(dialog)
    flag = dialog.widgets["acronym_official"]
    assert isinstance(flag, QCheckBox) and not flag.isChecked()
    official = RecordFormDialog(
        seeded_store, "partnerships", seeded_store.get("partnerships", "give")
    )
    qtbot.addWidget(official)
    assert official.widgets["acronym_official"].isChecked()
