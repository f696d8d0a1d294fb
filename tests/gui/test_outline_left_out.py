"""Sections with nothing to say for the selection stay in the outline panel,
greyed, with the reason in their tooltip; they cannot be ticked, dragged or
moved, and the window's preview build greys those that render empty too."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_helpers import close_quietly, open_window, wait_for_preview

from briefing_app.assembly import Selection, plan_outline
from briefing_app.assembly.needs import EMPTY_REASON
from briefing_app.gui.outline_panel import ITEM_ROLE, OutlinePanel
from briefing_app.store import open_store
from tests.varnesia import varnesia_db


def rows_by_key(panel: OutlinePanel) -> dict:
    return {r.data(0, ITEM_ROLE).key: r for r in panel._rows()}


def is_greyed(panel: OutlinePanel, row) -> bool:
    flags = row.flags()
    return (
        not flags & Qt.ItemFlag.ItemIsUserCheckable
        and not flags & Qt.ItemFlag.ItemIsDragEnabled
        and not flags & Qt.ItemFlag.ItemIsDropEnabled
        and row.data(0, Qt.ItemDataRole.CheckStateRole) is None
        and row.foreground(0).color() == panel.palette().placeholderText().color()
    )


def test_a_section_needing_a_visitor_profile_is_greyed_with_the_reason(qtbot, seeded_store):
    items = plan_outline(seeded_store, Selection(country="CN", blueprint="delegation-brief"))
    panel = OutlinePanel()
    qtbot.addWidget(panel)
    panel.set_outline(items, customised=False)
    panel.show()
    rows = rows_by_key(panel)
    for key in ("suggested-partners", "annex-meeting-shortlist"):
        assert is_greyed(panel, rows[key]), key
        assert (
            rows[key]
            .toolTip(0)
            .startswith("Left out of the briefing: no visitor profile is chosen")
        )
    built = rows["delegation-purpose"]
    assert not is_greyed(panel, built)
    assert built.flags() & Qt.ItemFlag.ItemIsDragEnabled
    assert built.checkState(0) == Qt.CheckState.Checked
    # Selected, it cannot be moved with the buttons either.
    panel.tree.setCurrentItem(rows["suggested-partners"])
    assert not panel.up_button.isEnabled() and not panel.down_button.isEnabled()
    panel.tree.setCurrentItem(built)
    assert panel.down_button.isEnabled()
    # Read back, the items keep their reason and the user's inclusion.
    back = {i.key: i for i in panel.outline()}
    assert back["suggested-partners"].left_out == "no visitor profile is chosen"
    assert back["suggested-partners"].included and not back["suggested-partners"].built
    assert back["delegation-purpose"].built


def test_the_preview_build_greys_what_it_left_out(qtbot, tmp_path):
    """Varnesia has no flagship initiative: its annex renders nothing, and the
    window greys it once the preview is built, beside the sections that need
    a visitor profile."""
    db = varnesia_db(tmp_path)
    with open_store(db) as store:
        window = open_window(qtbot, store, tmp_path)
        try:
            assert window.selection_panel.state().country == "QV"
            panel = window.outline_panel
            wait_for_preview(qtbot, window)
            qtbot.waitUntil(
                lambda: (
                    "annex-flagships" in rows_by_key(panel)
                    and is_greyed(panel, rows_by_key(panel)["annex-flagships"])
                ),
                timeout=60_000,
            )
            rows = rows_by_key(panel)
            assert (
                rows["annex-flagships"]
                .toolTip(0)
                .startswith(f"Left out of the briefing: {EMPTY_REASON}")
            )
            assert is_greyed(panel, rows["suggested-partners"])
            assert not is_greyed(panel, rows["objective"])
            text = window.preview_panel.browser.toPlainText()
            assert "Objective of the report" in text
            assert "flagship" not in text and "Suggested partners" not in text
        finally:
            close_quietly(window)
            window.preview_panel.shutdown()


@pytest.mark.parametrize("greyed", [True, False])
def test_show_left_out_follows_the_newest_reasons(qtbot, seeded_store, greyed):
    items = plan_outline(seeded_store, Selection(country="CN"))
    panel = OutlinePanel()
    qtbot.addWidget(panel)
    panel.set_outline(items, customised=False)
    reasons = {"annex-flagships": EMPTY_REASON} if greyed else {}
    panel.show_left_out(reasons)
    row = rows_by_key(panel)["annex-flagships"]
    assert is_greyed(panel, row) is greyed
    panel.show_left_out({})
    assert not is_greyed(panel, rows_by_key(panel)["annex-flagships"])
    assert rows_by_key(panel)["annex-flagships"].checkState(0) == Qt.CheckState.Checked
