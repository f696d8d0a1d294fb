"""A section written for the selected country shows as such in the outline,
and the section editor lists the shipped scoped sections without a problem."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox

from briefing_app.assembly import Selection, plan_outline
from briefing_app.gui.outline_panel import ITEM_ROLE, SCOPED_MARK, OutlinePanel
from briefing_app.gui.section_editor import SLUG_ROLE, SectionEditor
from briefing_app.gui.section_editor_panels import PROBLEM_ROLE
from briefing_app.store.records import Section

SCOPED = "---\nvariant_of: annex-rdi-projects\ncountries: [CN]\n---\nOur analysis.\n"


def test_the_outline_marks_a_section_written_for_the_country(qtbot, seeded_store):
    seeded_store.save_section(Section("overview-cn-test", "Overview", SCOPED), None)
    items = plan_outline(seeded_store, Selection(country="CN"))
    panel = OutlinePanel()
    qtbot.addWidget(panel)
    panel.set_outline(items, customised=False)
    rows = {r.data(0, ITEM_ROLE).key: r for r in panel._rows() if r.data(0, ITEM_ROLE)}
    scoped = rows["annex-rdi-projects"]
    assert scoped.text(1) == f"{SCOPED_MARK} overview-cn-test"
    assert "Written for China" in scoped.toolTip(0)
    assert (
        rows["annex-bibliography"].text(1) == rows["annex-bibliography"].data(0, ITEM_ROLE).section
    )
    assert "Written for" not in rows["annex-bibliography"].toolTip(0)
    # Reading the outline back keeps the item as planned.
    back = {i.key: i for i in panel.outline()}
    assert back["annex-rdi-projects"].written_for == "China"
    assert back["annex-rdi-projects"].section == "overview-cn-test"


def test_the_section_editor_lists_scoped_sections_without_a_problem(
    qtbot, seeded_store, monkeypatch
):
    monkeypatch.setattr(QMessageBox, "warning", lambda *a, **k: pytest.fail(f"warning: {a[2]}"))
    seeded_store.save_section(Section("overview-cn-test", "Overview", SCOPED), None)
    window = SectionEditor(seeded_store, lambda: Selection(country="CN"))
    try:
        rows = {
            window.section_list.item(r).data(SLUG_ROLE): window.section_list.item(r)
            for r in range(window.section_list.count())
        }
        assert rows["overview-cn-test"].data(PROBLEM_ROLE) == ""
        shipped = [s.slug for s in seeded_store.sections() if s.slug.endswith("-cn")]
        for slug in shipped:  # the analysis shipped for China reads without a problem
            assert rows[slug].data(PROBLEM_ROLE) == "", slug
        window.open_section("overview-cn-test")
        assert window.refresh_preview().ok
        assert "Our analysis." in window.preview.toPlainText()
    finally:
        window.close()
        window.deleteLater()
