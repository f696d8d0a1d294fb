"""Edit > Undo and Redo over the outline: untick, move, add, remove, reset,
taken back and redone on a real main window, the preview following."""

from __future__ import annotations

import pytest
from PySide6.QtCore import Qt
from window_helpers import close_quietly, open_window, outline_keys, tick, wait_for_preview

from briefing_app.gui.outline_history import LIMIT, OutlineHistory
from briefing_app.gui.outline_panel import ITEM_ROLE


@pytest.fixture
def window(qtbot, seeded_store, tmp_path):
    window = open_window(qtbot, seeded_store, tmp_path)
    yield window
    close_quietly(window)


def make_active(qtbot, window) -> None:
    window.activateWindow()
    window.raise_()
    qtbot.waitUntil(window.isActiveWindow, timeout=5000)


def included(window) -> dict[str, bool]:
    return {i.key: i.included for i in window.outline_panel.outline()}


def built_top_rows(window) -> list:
    """Top-level rows of sections the briefing prints (not greyed)."""
    tree = window.outline_panel.tree
    rows = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    return [
        r for r in rows if r.data(0, ITEM_ROLE) is not None and not r.data(0, ITEM_ROLE).left_out
    ]


def preview_text(qtbot, window) -> str:
    wait_for_preview(qtbot, window)
    return window.preview_panel.browser.toPlainText()


def test_untick_then_ctrl_z_ticks_it_back_and_the_preview_follows(qtbot, window):
    make_active(qtbot, window)
    wait_for_preview(qtbot, window)
    row = built_top_rows(window)[-1]
    key, title = row.data(0, ITEM_ROLE).key, row.text(0)
    assert title in preview_text(qtbot, window)
    tree = window.outline_panel.tree
    tree.setFocus()
    qtbot.waitUntil(tree.hasFocus, timeout=2000)

    row.setCheckState(0, Qt.CheckState.Unchecked)  # the user's click on the box
    assert not included(window)[key]
    qtbot.waitUntil(lambda: title not in preview_text(qtbot, window), timeout=60_000)
    window.actions._update_undo()
    assert window.actions.undo.text() == f"&Undo untick '{title}'"
    assert window.actions.undo.isEnabled()

    qtbot.keyClick(tree, Qt.Key.Key_Z, Qt.KeyboardModifier.ControlModifier)
    assert included(window)[key]
    assert title in preview_text(qtbot, window)
    window.actions._update_undo()
    assert window.actions.redo.text() == f"&Redo untick '{title}'"

    window.actions.redo.trigger()
    assert not included(window)[key]
    qtbot.waitUntil(lambda: title not in preview_text(qtbot, window), timeout=60_000)


def test_move_and_drop_are_undone_and_redone_in_order(qtbot, window):
    panel = window.outline_panel
    start = outline_keys(window)
    first, second = built_top_rows(window)[:2]
    panel.tree.setCurrentItem(first)
    panel.down_button.click()
    moved = outline_keys(window)
    assert moved != start
    assert window.actions.edits.text() == f"&Undo move '{first.text(0)}'"

    # A drop: the tree moves the row, then says so (OutlineTree.dropEvent).
    tree = panel.tree
    row = tree.takeTopLevelItem(tree.indexOfTopLevelItem(built_top_rows(window)[-1]))
    tree.insertTopLevelItem(0, row)
    tree.setCurrentItem(row)
    tree.dropped.emit()
    dropped = outline_keys(window)
    assert dropped[0] == row.data(0, ITEM_ROLE).key != start[0]

    window.actions.undo.trigger()
    assert outline_keys(window) == moved
    window.actions.undo.trigger()
    assert outline_keys(window) == start
    assert not window.actions.edits.can_undo()
    assert window.current_selection().outline == ()  # not customised any more

    window.actions.redo.trigger()
    assert outline_keys(window) == moved
    window.actions.redo.trigger()
    assert outline_keys(window) == dropped
    assert not window.actions.edits.can_redo()
    assert window.current_selection().outline  # customised again


def test_add_remove_and_reset_are_steps_too(window, seeded_store):
    panel, history = window.outline_panel, window.outline_history
    start = outline_keys(window)
    first = built_top_rows(window)[0].data(0, ITEM_ROLE)
    panel.set_included(first.key, False)
    section = seeded_store.sections()[0]
    panel.select_key(start[0])
    added = panel.add_section(section.slug, section.title)
    assert history.undo_label().startswith("add '")
    panel.remove_current()
    assert history.undo_label().startswith("remove '")
    panel.reset_button.click()
    assert history.undo_label() == "reset to the blueprint"
    assert outline_keys(window) == start and all(included(window).values())

    history.undo()  # before Reset: the untick is back, the added section gone
    assert not included(window)[first.key] and panel.is_customised()
    history.undo()  # before Remove
    assert added.key in outline_keys(window)
    history.undo()  # before Add
    assert added.key not in outline_keys(window)
    history.undo()  # before the untick
    assert included(window)[first.key]
    assert not history.can_undo() and not panel.is_customised()


def test_the_history_is_bounded(qtbot, window):
    history = window.outline_history
    key = built_top_rows(window)[0].data(0, ITEM_ROLE).key
    flips = LIMIT + 7
    for n in range(flips):
        window.outline_panel.set_included(key, n % 2 == 1)
    undone = 0
    while history.undo():
        undone += 1
    assert undone == LIMIT
    # Back to the outline before flip number 7 (counting from 0): after flip 6, unticked.
    assert not included(window)[key]
    # A smaller history drops its oldest steps the same way.
    small = OutlineHistory(window.outline_panel, limit=3)
    for n in range(5):
        window.outline_panel.set_included(key, n % 2 == 0)
    assert [small.undo() for _ in range(4)] == [True, True, True, False]
    # Five flips (ticked, unticked, ...), three undone: as after the second, unticked.
    assert not included(window)[key]
    window.outline_panel.set_included(key, True)
    assert small.undo() and not included(window)[key]


def test_greyed_sections_keep_their_state_and_a_new_selection_clears_the_history(qtbot, window):
    panel, history = window.outline_panel, window.outline_history
    wait_for_preview(qtbot, window)
    greyed = {i.key: i for i in panel.outline() if i.left_out}
    assert greyed  # the default briefing leaves some sections out
    row = built_top_rows(window)[0]
    row.setCheckState(0, Qt.CheckState.Unchecked)
    history.undo()
    history.redo()
    history.undo()
    after = {i.key: i for i in panel.outline() if i.left_out}
    assert after == greyed
    for key in greyed:
        shown = next(r for r in panel._rows() if r.data(0, ITEM_ROLE).key == key)
        assert not shown.flags() & Qt.ItemFlag.ItemIsUserCheckable

    row = built_top_rows(window)[0]
    key = row.data(0, ITEM_ROLE).key
    row.setCheckState(0, Qt.CheckState.Unchecked)
    assert history.can_undo()
    tick(window.selection_panel.sectors, "automotive")
    assert not history.can_undo() and not history.can_redo()
    assert not included(window)[key]  # the edit itself stays


def test_the_outline_wins_only_when_focused_or_edited_last(qtbot, window):
    make_active(qtbot, window)
    panel = window.outline_panel
    key = built_top_rows(window)[0].data(0, ITEM_ROLE).key
    panel.set_included(key, False)
    window.tabs.setCurrentIndex(1)
    edit = window.cover_form.edits["reviewed_by"]
    edit.setFocus()
    qtbot.waitUntil(edit.hasFocus, timeout=2000)
    qtbot.keyClicks(edit, "Li")
    window.preview_panel.browser.setFocus()
    qtbot.waitUntil(lambda: not edit.hasFocus(), timeout=2000)
    # The text box came after the outline edit: Undo takes the typing back.
    assert window.actions.edits.text() == "&Undo"
    window.actions.undo.trigger()
    assert edit.text() == "" and not included(window)[key]
    # In the outline, Undo is the outline's.
    window.tabs.setCurrentIndex(0)
    panel.tree.setFocus()
    qtbot.waitUntil(panel.tree.hasFocus, timeout=2000)
    assert window.actions.edits.text().startswith("&Undo untick")
    window.actions.undo.trigger()
    assert included(window)[key]
