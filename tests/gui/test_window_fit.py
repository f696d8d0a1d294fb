"""Every window usable on a small screen (1024x700) and no larger than the
screen it opens on; tab order that follows the eye; whole sector rows."""

from __future__ import annotations

import pytest
from PySide6.QtCore import QRect
from PySide6.QtWidgets import QAbstractButton, QApplication, QComboBox, QWidget
from window_helpers import close_quietly, open_window, wait_for_preview

from briefing_app.gui.add_section_dialog import AddSectionDialog
from briefing_app.gui.export_dialog import ExportDialog
from briefing_app.gui.import_dialog import ImportDialog
from briefing_app.gui.section_editor import SectionEditor
from briefing_app.gui.user_guide import UserGuideDialog

SMALL = (1024, 700)
PREVIEW_MIN_WIDTH = 400  # a readable page, not a strip


@pytest.fixture
def window(qtbot, seeded_store, tmp_path):
    window = open_window(qtbot, seeded_store, tmp_path)
    yield window
    close_quietly(window)


def settle(qtbot, widget: QWidget) -> None:
    """Let layouts and the first-show adjustments run."""
    qtbot.waitExposed(widget)
    for _ in range(3):
        QApplication.processEvents()
    qtbot.wait(20)


def inside_window(widget: QWidget) -> QRect:
    top_left = widget.mapTo(widget.window(), widget.rect().topLeft())
    return QRect(top_left, widget.size())


def not_clipped(widget: QWidget) -> bool:
    """Whole inside its window and given at least the width its text needs."""
    return widget.window().rect().contains(inside_window(widget)) and (
        widget.width() >= widget.sizeHint().width()
    )


def test_the_main_window_is_usable_at_1024_by_700(qtbot, window):
    assert window.minimumSizeHint().width() <= SMALL[0]
    assert window.minimumSizeHint().height() <= SMALL[1]
    window.resize(*SMALL)
    settle(qtbot, window)
    assert (window.width(), window.height()) == SMALL

    outline, preview = window.outline_panel, window.preview_panel
    buttons = [
        outline.add_button,
        outline.remove_button,
        outline.up_button,
        outline.down_button,
        outline.reset_button,
        preview.whole_button,
        preview.section_button,
    ]
    for button in buttons:
        assert button.isVisible(), button.accessibleName()
        assert not_clipped(button), button.accessibleName()
    assert preview.browser.width() >= PREVIEW_MIN_WIDTH
    # Each column keeps a working width; the selection scrolls rather than clips.
    assert window.selection_scroll.width() >= 200
    assert window.tabs.width() >= outline.minimumSizeHint().width()
    for combo in (
        window.selection_panel.blueprint_combo,
        window.selection_panel.country_combo,
    ):
        assert (
            window.selection_scroll.viewport()
            .rect()
            .contains(combo.mapTo(window.selection_scroll.viewport(), combo.rect().topLeft()))
        )
    # Every button of the toolbar is on screen.
    toolbar = window.actions.toolbar
    for button in toolbar.findChildren(QAbstractButton):
        if button.isVisible() and button.text():
            assert window.rect().contains(inside_window(button)), button.text()


def test_the_cover_tab_scrolls_instead_of_pushing_the_window_taller(qtbot, window):
    window.resize(*SMALL)
    window.tabs.setCurrentIndex(1)
    settle(qtbot, window)
    abstract = window.cover_form.abstract
    assert window.tabs.height() < window.cover_form.minimumSizeHint().height() + 400
    window.tabs.currentWidget().ensureWidgetVisible(abstract)
    QApplication.processEvents()
    assert abstract.visibleRegion().boundingRect().height() > 0


def test_windows_and_dialogs_open_within_the_screen(qtbot, window, seeded_store):
    area = window.screen().availableGeometry()

    def fits(widget: QWidget) -> bool:
        return widget.width() <= area.width() and widget.height() <= area.height()

    assert fits(window)
    editor = SectionEditor(seeded_store, window.current_selection, window)
    browser_action = window.actions.data_browser
    browser_action.trigger()
    browser = window._tools["data-browser"]
    dialogs = [
        editor,
        browser,
        UserGuideDialog(window),
        AddSectionDialog(seeded_store, window),
        ExportDialog(window.settings, "briefing", window),
        ImportDialog(seeded_store, "clusters", window),
        window.files.name_dialog("A briefing"),
    ]
    for dialog in dialogs:
        assert fits(dialog), (type(dialog).__name__, dialog.size(), area)
    # The two tool windows asked for more than the offscreen screen has.
    assert editor.width() < 1400 and browser.width() < 1280
    editor.close()


def test_tab_goes_left_to_right_top_to_bottom(window):
    panel = window.selection_panel

    def after(widget: QWidget, steps: int = 1) -> QWidget:
        for _ in range(steps):
            widget = widget.nextInFocusChain()
            while not widget.focusPolicy() & widget.focusPolicy().TabFocus:
                widget = widget.nextInFocusChain()
        return widget

    assert after(panel.blueprint_combo) is panel.country_combo
    assert after(panel.country_combo) is panel.regions.filter_box
    assert after(panel.partnerships) is window.tabs.tabBar()
    assert after(window.tabs.tabBar()) is window.outline_panel.tree

    order: list[QWidget] = []
    widget = panel.blueprint_combo
    for _ in range(200):
        order.append(widget)
        widget = widget.nextInFocusChain()
        if widget is panel.blueprint_combo:
            break
    position = {id(w): i for i, w in enumerate(order)}
    # The tabs and their fields come before the preview, the cover after the outline.
    assert position[id(window.tabs.tabBar())] < position[id(window.preview_panel.browser)]
    assert position[id(window.outline_panel.reset_button)] < position[id(window.page_size)]
    assert position[id(window.cover_form.abstract)] < position[id(window.preview_panel.browser)]
    assert isinstance(window.page_size, QComboBox)


def test_the_sector_list_ends_on_a_whole_row(qtbot, window):
    window.resize(1400, 900)
    window.selection_panel.balance_lists()
    settle(qtbot, window)
    sectors = window.selection_panel.sectors
    viewport = sectors.viewport().rect()
    last = sectors.itemAt(viewport.left() + 5, viewport.bottom() - 1)
    assert last is not None
    rect = sectors.visualItemRect(last)
    assert rect.bottom() <= viewport.bottom(), "the last row shown is cut"
    # At the default size the list shows a good share of the sectors.
    top = sectors.itemAt(5, 5)
    shown = rect.bottom() // max(1, sectors.visualItemRect(top).height())
    assert shown >= 12


def test_the_screenshot_option_takes_a_size(qapp, seeded_db_path, tmp_path):
    from PySide6.QtGui import QImage

    from briefing_app.gui.app import main

    target = tmp_path / "small.png"
    code = main(
        [
            "--db",
            str(seeded_db_path),
            "--screenshot",
            str(target),
            "--size",
            "1024x700",
            "--settings",
            str(tmp_path / "settings.ini"),
        ]
    )
    assert code == 0
    image = QImage(str(target))
    assert (image.width(), image.height()) == SMALL


def test_the_preview_is_readable_after_a_build_at_1024(qtbot, window):
    window.resize(*SMALL)
    settle(qtbot, window)
    window.selection_panel.regions.select_region("zhejiang")
    wait_for_preview(qtbot, window)
    browser = window.preview_panel.browser
    # No sideways scrolling in the preview at this width.
    assert browser.horizontalScrollBar().maximum() == 0
