"""The section editor driven as a consultant would, on a private copy of the seeded database."""

from __future__ import annotations

import dataclasses

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QImage, QTextDocument
from PySide6.QtWidgets import QMessageBox

from briefing_app.assembly import Selection
from briefing_app.gui.highlighter import TemplateHighlighter
from briefing_app.gui.section_editor import SLUG_ROLE, SectionEditor, save_screenshot
from briefing_app.gui.section_editor_dialogs import DiffDialog, SectionKeyDialog

SECTION = "objective"
Yes, No = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No


@pytest.fixture
def editor(qtbot, seeded_store):
    window = SectionEditor(seeded_store, lambda: Selection(country="CN", sectors=("automotive",)))
    window.open_section(SECTION)
    yield window
    # Drop unsaved edits first, so that closing asks nothing.
    if window.loaded is not None:
        window.open_section(window.loaded.slug)
    window.close()
    window.deleteLater()


@pytest.fixture
def answer(monkeypatch):
    """Answer every QMessageBox.question with the button in ``answer.button``."""

    class Answer:
        button = No
        asked: list[str] = []

    def question(_parent, _title, text, *args, **kwargs):
        Answer.asked.append(text)
        return Answer.button

    monkeypatch.setattr(QMessageBox, "question", question)
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail(f"warning: {a[2]}"))
    return Answer


@pytest.fixture
def diffs(monkeypatch):
    """Collect the diff dialogs instead of showing them."""
    shown: list[DiffDialog] = []
    monkeypatch.setattr(DiffDialog, "exec", lambda self: shown.append(self) or 0)
    return shown


def _append(editor, qtbot, text: str) -> None:
    """Type ``text`` at the end of the template, key by key."""
    cursor = editor.editor.textCursor()
    cursor.movePosition(cursor.MoveOperation.End)
    editor.editor.setTextCursor(cursor)
    for number, line in enumerate(text.split("\n")):
        if number:
            qtbot.keyClick(editor.editor, Qt.Key.Key_Return)
        if line:
            qtbot.keyClicks(editor.editor, line)


def test_typing_a_broken_template_shows_line_and_column_and_saving_is_refused(
    editor, qtbot, seeded_store, answer
):
    stored = seeded_store.section(SECTION)
    lines_before = stored.body.count("\n") + 1
    _append(editor, qtbot, "\nThe cluster count is {{ kb.clusters( }} here.")

    qtbot.waitUntil(lambda: "line" in editor.error_label.text(), timeout=3000)
    broken_line = lines_before + 1
    assert f"line {broken_line}" in editor.error_label.text()
    assert "column" in editor.error_label.text()
    assert editor.editor.error_line == broken_line

    answer.button = No
    assert editor.save() is False
    assert "save anyway" in answer.asked[-1]
    after = seeded_store.section(SECTION)
    assert (after.version, after.body) == (stored.version, stored.body)
    assert editor.is_dirty()  # the text is still in the editor, not lost


def test_a_broken_title_is_reported_as_such(editor, qtbot):
    editor.title_edit.setText("Clusters of {{ area_nam }}")
    qtbot.waitUntil(lambda: "title" in editor.error_label.text(), timeout=3000)
    assert "area_nam" in editor.error_label.text()
    assert editor.editor.error_line is None
    editor.title_edit.setText("Clusters of {{ area_name }}")
    qtbot.waitUntil(lambda: "without errors" in editor.error_label.text(), timeout=3000)
    assert "Clusters of China" in editor.preview.toPlainText()


def test_broken_template_is_saved_only_when_the_user_says_so(editor, qtbot, seeded_store, answer):
    stored = seeded_store.section(SECTION)
    _append(editor, qtbot, "\n{% if sectors %}never closed")
    answer.button = Yes
    assert editor.save() is True
    assert seeded_store.section(SECTION).version == stored.version + 1


def test_good_edit_is_saved_as_a_new_version_with_a_diff(
    editor, qtbot, seeded_store, answer, diffs
):
    stored = seeded_store.section(SECTION)
    history_before = len(seeded_store.section_history(SECTION))
    _append(editor, qtbot, "\n\nIt was prepared for {{ area_name }}.")
    qtbot.waitUntil(lambda: "without errors" in editor.error_label.text(), timeout=3000)
    assert editor.preview.toPlainText().strip()

    with qtbot.waitSignal(editor.sectionSaved) as saved_signal:
        assert editor.save() is True
    assert saved_signal.args == [SECTION]
    saved = seeded_store.section(SECTION)
    assert saved.version == stored.version + 1
    assert saved.body.endswith("It was prepared for {{ area_name }}.")
    assert len(seeded_store.section_history(SECTION)) == history_before + 1
    assert not editor.is_dirty()

    newest = editor.history.selected()
    assert newest.version == saved.version
    editor.compare_with_previous(newest)
    (dialog,) = diffs
    assert "+It was prepared for {{ area_name }}." in dialog.diff_text
    assert f"version {stored.version}" in dialog.diff_text


def test_restoring_an_old_version_saves_it_again(editor, qtbot, seeded_store, answer):
    first = seeded_store.section(SECTION)
    _append(editor, qtbot, "\n\nA later paragraph.")
    assert editor.save() is True
    old = next(v for v in seeded_store.section_history(SECTION) if v.version == first.version)
    assert editor.restore_version(old) is True
    now = seeded_store.section(SECTION)
    assert now.version == first.version + 2
    assert now.body == first.body
    assert editor.editor.toPlainText() == first.body


def test_revert_to_default_brings_back_the_shipped_text(editor, qtbot, seeded_store, answer):
    _append(editor, qtbot, "\n\nMy own closing words.")
    assert editor.save() is True
    answer.button = Yes
    assert editor.revert_to_default() is True
    section = seeded_store.section(SECTION)
    assert section.body == section.shipped_body
    assert editor.editor.toPlainText() == section.shipped_body
    assert seeded_store.section_history(SECTION)[-1].note == "restored default"


def test_someone_elses_save_is_compared_before_overwriting(
    editor, qtbot, seeded_store, answer, diffs, monkeypatch
):
    theirs = seeded_store.section(SECTION)
    theirs = seeded_store.save_section(
        dataclasses.replace(theirs, body=theirs.body + "\n\nTheir paragraph."), theirs.version
    )
    _append(editor, qtbot, "\n\nMy paragraph.")
    clicks = iter(["Compare…", "Overwrite with mine"])

    def click_next(box):
        wanted = next(clicks)
        button = next(b for b in box.buttons() if b.text() == wanted)
        button.click()
        return 0

    monkeypatch.setattr(QMessageBox, "exec", click_next)
    assert editor.save() is True
    (dialog,) = diffs
    assert "-Their paragraph." in dialog.diff_text and "+My paragraph." in dialog.diff_text
    final = seeded_store.section(SECTION)
    assert final.version == theirs.version + 1
    assert final.body.endswith("My paragraph.") and "Their paragraph." not in final.body


def test_switching_section_asks_about_unsaved_changes(editor, qtbot, seeded_store, answer):
    _append(editor, qtbot, "\n\nNot yet saved.")
    other_row = next(
        row
        for row in range(editor.section_list.count())
        if editor.section_list.item(row).data(SLUG_ROLE) == "economy"
    )
    answer.button = QMessageBox.StandardButton.Cancel
    editor.section_list.setCurrentRow(other_row)
    assert editor.loaded.slug == SECTION and "Not yet saved." in editor.editor.toPlainText()
    assert "unsaved changes" in answer.asked[-1]

    answer.button = QMessageBox.StandardButton.Discard
    editor.section_list.setCurrentRow(other_row)
    assert editor.loaded.slug == "economy"
    assert "Not yet saved." not in seeded_store.section(SECTION).body


def test_closing_with_unsaved_changes_can_be_cancelled(editor, qtbot, seeded_store, answer):
    editor.show()
    _append(editor, qtbot, "\n\nStill typing.")
    answer.button = QMessageBox.StandardButton.Cancel
    assert editor.close() is False
    assert editor.isVisible()
    answer.button = QMessageBox.StandardButton.Save
    assert editor.close() is True
    assert seeded_store.section(SECTION).body.endswith("Still typing.")


def test_applicability_is_saved_from_the_checklists(editor, seeded_store, answer):
    picker = editor.sector_picker
    row = next(
        r for r in range(picker.list.count()) if picker.list.item(r).toolTip() == "automotive"
    )
    picker.list.item(row).setCheckState(Qt.CheckState.Checked)
    assert editor.is_dirty()
    assert editor.save() is True
    assert seeded_store.section(SECTION).sectors == ("automotive",)


def test_key_dialog_refuses_bad_and_taken_keys(qtbot):
    dialog = SectionKeyDialog({"objective"}, title="A title")
    qtbot.addWidget(dialog)
    ok = dialog.buttons.button(dialog.buttons.StandardButton.Ok)
    for bad in ("", "Has Capitals", "double--hyphen", "objective"):
        dialog.key_edit.setText(bad)
        assert not ok.isEnabled(), bad
    dialog.key_edit.setText("market-entry")
    assert ok.isEnabled()


def test_new_and_duplicated_sections_are_stored(editor, seeded_store, answer, monkeypatch):
    keys = iter(["market-entry", None])

    def fill(dialog):
        key = next(keys)
        if key:
            dialog.key_edit.setText(key)
            dialog.title_edit.setText("Market entry")
        return dialog.DialogCode.Accepted

    monkeypatch.setattr(SectionKeyDialog, "exec", fill)
    created = editor.new_section()
    assert created is not None and seeded_store.section("market-entry").title == "Market entry"
    assert editor.loaded.slug == "market-entry"
    assert not editor.revert_action.isEnabled()  # nothing shipped to revert to

    copy = editor.duplicate_section()  # keeps the suggested key
    assert copy.slug == "market-entry-copy"
    assert seeded_store.section("market-entry-copy").body == created.body


def test_highlighter_colours_jinja_apart_from_markdown(qtbot):
    document = QTextDocument()
    highlighter = TemplateHighlighter(document)
    document.setPlainText("## Heading {{ sector.name }}\n{# a comment\nstill comment #} text")
    highlighter.rehighlight()
    first = document.firstBlock().layout().formats()
    jinja = highlighter.formats.jinja_delimiter.foreground().color()
    assert any(f.format.foreground().color() == jinja and f.start == 11 for f in first)
    second_block = document.findBlockByNumber(2)
    comment = highlighter.formats.jinja_comment.foreground().color()
    assert any(
        f.format.foreground().color() == comment and f.start == 0
        for f in second_block.layout().formats()
    )


def test_save_screenshot_writes_a_png(seeded_store, tmp_path, qtbot):
    path = save_screenshot(seeded_store, tmp_path / "shot.png")
    image = QImage(str(path))
    assert image.width() >= 1000 and image.height() >= 600


def test_template_titles_read_as_words_in_the_section_list(seeded_store, qtbot):
    from briefing_app.assembly.library import readable_title

    assert (
        readable_title("{{ partnership.acronym }} in {{ area_name }}") == "‹partnership› in ‹area›"
    )
    editor = SectionEditor(seeded_store, None)
    qtbot.addWidget(editor)
    texts = [editor.section_list.item(r).text() for r in range(editor.section_list.count())]
    assert "‹sector›" in texts
    assert not any("{{" in text for text in texts)
