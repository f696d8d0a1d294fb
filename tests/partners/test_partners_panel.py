"""The Partners tab of the main window, driven as a user would."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtCore import Qt

sys.path.insert(0, str(Path(__file__).parents[1] / "gui"))
from window_helpers import close_quietly, open_window, wait_for_preview  # noqa: E402

from briefing_app.assembly.selection import Selection  # noqa: E402
from briefing_app.gui.partners_panel import KEY_ROLE, SLUG_ROLE, _items  # noqa: E402


@pytest.fixture
def window(qtbot, profiled_store, tmp_path):
    window = open_window(qtbot, profiled_store, tmp_path)
    window.tabs.setCurrentWidget(window.partners_panel)
    yield window
    close_quietly(window)


def tick_profile(panel, slug: str) -> None:
    for item in _items(panel.profiles):
        if item.data(0, SLUG_ROLE) == slug:
            item.setCheckState(0, Qt.CheckState.Checked)
            return
    raise AssertionError(f"{slug} is not listed")


def groups(panel) -> dict[str, list]:
    found = {}
    for n in range(panel.matches.topLevelItemCount()):
        head = panel.matches.topLevelItem(n)
        found[head.text(0).split(" (")[0]] = [head.child(i) for i in range(head.childCount())]
    return found


def test_ticking_a_profile_ranks_its_counterparts_with_reasons(qtbot, window):
    panel = window.partners_panel
    assert panel.profiles.topLevelItemCount() == 13
    tick_profile(panel, "battery-cluster")
    assert window.current_selection().profiles == ("battery-cluster",)
    assert window.session.modified
    shown = groups(panel)
    first = shown["Clusters and zones"][0]
    assert first.text(0) == "National Power Battery Innovation Center"
    assert "both work on power battery" in first.text(2)
    assert all(row.text(2) for rows in shown.values() for row in rows)
    assert "Universities and research bodies" in shown
    wait_for_preview(qtbot, window)
    assert "Suggested partners" in window.preview_panel.browser.toPlainText()


def test_pin_and_drop_are_kept_in_the_saved_selection(qtbot, window):
    panel = window.partners_panel
    tick_profile(panel, "battery-cluster")
    clusters = groups(panel)["Clusters and zones"]
    first_key, last_key = clusters[0].data(0, KEY_ROLE), clusters[-1].data(0, KEY_ROLE)
    panel.matches.setCurrentItem(clusters[-1])
    qtbot.mouseClick(panel.pin_button, Qt.MouseButton.LeftButton)
    panel.matches.setCurrentItem(groups(panel)["Clusters and zones"][1])
    assert groups(panel)["Clusters and zones"][1].data(0, KEY_ROLE) == first_key
    qtbot.mouseClick(panel.drop_button, Qt.MouseButton.LeftButton)
    rows = groups(panel)["Clusters and zones"]
    assert rows[0].data(0, KEY_ROLE) == last_key and rows[0].text(0).startswith("\N{PUSHPIN}")
    assert first_key not in [r.data(0, KEY_ROLE) for r in rows]
    selection = window.current_selection()
    assert selection.partner_pins == (f"battery-cluster:{last_key}",)
    assert selection.partner_drops == (f"battery-cluster:{first_key}",)
    # Saved and opened again, the briefing shows the same choices.
    again = Selection.from_json(selection.to_json())
    window.start_new_briefing()
    assert window.current_selection().profiles == ()
    window.show_selection(again)
    assert window.current_selection().partner_drops == selection.partner_drops
    rows = groups(panel)["Clusters and zones"]
    assert rows[0].data(0, KEY_ROLE) == last_key
    qtbot.mouseClick(panel.restore_button, Qt.MouseButton.LeftButton)
    assert window.current_selection().partner_drops == ()
    assert first_key in [r.data(0, KEY_ROLE) for r in groups(panel)["Clusters and zones"]]


def test_the_ranking_follows_the_selected_region(qtbot, window):
    panel = window.partners_panel
    tick_profile(panel, "biopharma-cluster")
    everywhere = {r.text(0) for r in groups(panel)["Clusters and zones"]}
    assert "Tonghua pharmaceutical cluster" in everywhere
    assert window.selection_panel.regions.select_region("shanghai")
    here = {r.text(0) for r in groups(panel)["Clusters and zones"]}
    assert "Zhangjiang Drug Valley" in here and "Tonghua pharmaceutical cluster" not in here
