"""Template titles and section variants as a consultant meets them in the GUI:
the section editor's list, the Add section dialog and the outline."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from window_helpers import close_quietly, open_window, outline_keys, wait_for_preview

from briefing_app.assembly import OutlineItem, Selection, build_document
from briefing_app.document import document_text
from briefing_app.gui.add_section_dialog import SLUG_ROLE as DIALOG_SLUG
from briefing_app.gui.add_section_dialog import AddSectionDialog
from briefing_app.gui.outline_panel import ITEM_ROLE, OutlinePanel
from briefing_app.gui.section_editor import SLUG_ROLE, SectionEditor
from briefing_app.gui.section_editor_dialogs import SectionKeyDialog
from briefing_app.gui.section_editor_panels import PROBLEM_ROLE

VARIANT_TEXT = "---\nvariant_of: sector-strength\n---\nFood, told our way, in {{ area_name }}.\n"


@pytest.fixture
def editor(qtbot, seeded_store, monkeypatch):
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail(f"warning: {a[2]}"))
    window = SectionEditor(seeded_store, lambda: Selection(country="CN", sectors=("food",)))
    yield window
    if window.loaded is not None:
        window.open_section(window.loaded.slug)  # drop unsaved edits: closing asks nothing
    window.close()
    window.deleteLater()


def _row(editor, slug):
    for row in range(editor.section_list.count()):
        item = editor.section_list.item(row)
        if item.data(SLUG_ROLE) == slug:
            return item
    raise AssertionError(f"{slug} is not in the list")


def _create(editor, monkeypatch, key: str, title: str, body: str, sectors: tuple[str, ...]):
    """New..., key and title typed in the dialog, text and sectors set, Save."""

    def fill(dialog):
        dialog.key_edit.setText(key)
        dialog.title_edit.setText(title)
        return dialog.DialogCode.Accepted

    monkeypatch.setattr(SectionKeyDialog, "exec", fill)
    assert editor.new_section() is not None
    editor.editor.setPlainText(body)
    editor.sector_picker.set_checked(sectors)
    assert editor.refresh_preview().ok
    assert editor.save() is True


def test_a_variant_made_in_the_editor_is_previewed_and_built(editor, seeded_store, monkeypatch):
    _create(
        editor, monkeypatch, "food-in-depth", "{{ sector.name }} in depth", VARIANT_TEXT, ("food",)
    )
    preview = editor.preview.toPlainText()
    assert "Food, told our way, in China." in preview and "variant_of" not in preview
    assert _row(editor, "food-in-depth").data(PROBLEM_ROLE) == ""
    assert _row(editor, "food-in-depth").text() == "‹sector› in depth"

    document = build_document(seeded_store, Selection(sectors=("food", "chemicals")))
    text = document_text(document)
    assert "Food, told our way, in China." in text
    assert "Food in depth" in [h.text for h in document.headings()]
    assert "Chemicals" in [h.text for h in document.headings()]


def test_the_list_names_a_dangling_or_rival_variant_in_red_words(editor, qtbot, monkeypatch):
    _create(
        editor,
        monkeypatch,
        "food-outlook",
        "Food outlook",
        VARIANT_TEXT.replace("sector-strength", "sector-strenght"),
        ("food",),
    )
    row = _row(editor, "food-outlook")
    assert row.data(PROBLEM_ROLE) == "⚠ variant_of: no such section"
    assert "did you mean 'sector-strength'" in row.toolTip()
    status = editor.statusBar().currentMessage
    qtbot.waitUntil(lambda: "⚠ food-outlook: variant_of names" in status(), timeout=3000)
    assert status().startswith("Saved food-outlook as version 2.")

    _create(editor, monkeypatch, "our-ict", "Our ICT", VARIANT_TEXT, ("ict",))
    assert _row(editor, "our-ict").data(PROBLEM_ROLE) == "⚠ clashes with sector-strength-ict"
    assert _row(editor, "sector-strength-ict").data(PROBLEM_ROLE) == "⚠ clashes with our-ict"
    qtbot.waitUntil(lambda: "cannot tell which to use" in status(), timeout=3000)
    # Rows without a problem keep their two lines; rows with one get a third.
    height = editor.section_list.visualItemRect(_row(editor, "objective")).height()
    assert editor.section_list.visualItemRect(_row(editor, "our-ict")).height() > height


def test_the_add_section_dialog_shows_titles_as_words_with_their_keys(qtbot, seeded_store):
    dialog = AddSectionDialog(seeded_store)
    qtbot.addWidget(dialog)
    labels = [dialog.list.item(r).text() for r in range(dialog.list.count())]
    assert "‹sector› policies and programmes   (sector-policies)" in labels
    assert "EU-‹country› flagship initiatives   (annex-flagships)" in labels
    assert not any("{{" in label or "{%" in label for label in labels)
    dialog.filter_box.setText("sector.name")  # the template text is still searchable
    items = [dialog.list.item(r) for r in range(dialog.list.count())]
    assert "sector-policies" in [i.data(DIALOG_SLUG) for i in items if not i.isHidden()]
    assert dialog.chosen().slug.startswith("sector-")


def test_an_outline_outside_a_window_shows_template_titles_as_words(qtbot):
    panel = OutlinePanel()
    qtbot.addWidget(panel)
    planned = OutlineItem("sector-strength/food", "sector-strength", "Food", 3, {"sector": "food"})
    raw = OutlineItem("added:sector-policies", "sector-policies", "{{ sector.name }} policies", 1)
    broken = OutlineItem("added:x", "x", "{{ sector. }} odd {% if %}", 1)
    panel.set_outline([planned, raw, broken], customised=True)
    rows = panel._rows()
    assert [r.text(0) for r in rows] == ["Food", "‹sector› policies", "‹sector› odd"]
    assert "Title template: {{ sector.name }} policies" in rows[1].toolTip(0)
    # The items keep their template titles for the build to render.
    assert [i.title for i in panel.outline()][1] == "{{ sector.name }} policies"


def test_a_section_added_by_hand_shows_and_prints_its_title_rendered(qtbot, seeded_store, tmp_path):
    window = open_window(qtbot, seeded_store, tmp_path)
    try:
        community = seeded_store.section("cluster-community")
        policies = seeded_store.section("sector-policies")
        window.outline_panel.select_key(outline_keys(window)[0])
        window.outline_panel.add_section(community.slug, community.title)
        assert window.outline_panel.tree.currentItem().text(0) == "Cluster community in China"
        # No sector is bound to a hand-added sector section: its title reads as words.
        window.outline_panel.add_section(policies.slug, policies.title)
        assert window.outline_panel.tree.currentItem().text(0) == "‹sector› policies and programmes"
        window.outline_panel.remove_current()

        window.selection_panel.regions.select_region("pearl-river-delta")
        qtbot.waitUntil(
            lambda: (
                "Cluster community in Pearl River Delta"
                in [
                    r.text(0)
                    for r in window.outline_panel._rows()
                    if r.data(0, ITEM_ROLE).key.startswith("added:")
                ]
            ),
            timeout=5000,
        )
        wait_for_preview(qtbot, window)
        selection = window.current_selection()
        headings = [h.text for h in build_document(seeded_store, selection).headings()]
        assert headings.count("Cluster community in Pearl River Delta") == 2
        assert "{{" not in window.preview_panel.browser.toPlainText()
    finally:
        close_quietly(window)
