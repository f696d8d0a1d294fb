"""The main window's menus, shortcuts and toolbar.

Kept apart from the window's layout so that the whole command set can be
read in one place: every action has its shortcut, tooltip and status tip.
"""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QMainWindow, QMenu, QToolBar

from briefing_app.gui.edit_commands import EditCommands, WindowWideKeys


def _action(
    window: QMainWindow, text: str, handler: Callable, shortcut=None, tip: str = ""
) -> QAction:
    action = QAction(text, window)
    if shortcut is not None:
        action.setShortcut(QKeySequence(shortcut))
    if tip:
        action.setToolTip(tip)
        action.setStatusTip(tip)
    action.triggered.connect(lambda _checked=False: handler())
    window.addAction(action)  # shortcuts work even when the menu bar is hidden
    return action


DATA_BROWSER = "&Data browser"  # the window's title says the same (data_browser.TITLE)


class WindowActions:
    """Creates the actions of ``window`` and puts them in menus and a toolbar."""

    def __init__(self, window) -> None:
        files, exporter = window.files, window.exporter
        self.new = _action(
            window, "&New briefing", files.new, QKeySequence.StandardKey.New, "Start a new briefing"
        )
        self.open = _action(
            window,
            "&Open…",
            files.open,
            QKeySequence.StandardKey.Open,
            "Open a briefing saved in the knowledge base",
        )
        self.save = _action(
            window,
            "&Save",
            files.save,
            QKeySequence.StandardKey.Save,
            "Save the selection, outline and cover to the knowledge base",
        )
        self.save_as = _action(
            window, "Save &As…", files.save_as, "Ctrl+Shift+S", "Save under a new name"
        )
        self.export = _action(
            window,
            "&Export…",
            exporter.ask_and_export,
            "Ctrl+E",
            "Export the briefing as Word, PDF or both",
        )
        self.edits = EditCommands(window, window.outline_history, window.outline_panel)
        self.undo = _action(
            window,
            "&Undo",
            self.edits.undo,
            QKeySequence.StandardKey.Undo,
            "Undo the last change to the text box you typed in or to the outline",
        )
        self.redo = _action(
            window,
            "&Redo",
            self.edits.redo,
            QKeySequence.StandardKey.Redo,
            "Redo what Undo took back",
        )
        self.quit = _action(
            window, "&Quit", window.close, QKeySequence.StandardKey.Quit, "Close the application"
        )
        self.find_region = _action(
            window,
            "&Find region",
            window.selection_panel.focus_region_filter,
            QKeySequence.StandardKey.Find,
            "Type to filter the regions",
        )
        self.refresh = _action(
            window,
            "&Refresh preview",
            window.preview_panel.refresh_now,
            "F5",
            "Build the preview again",
        )
        self.reload = _action(
            window,
            "Re&load lists",
            window.reload_lists,
            "Ctrl+R",
            "Read regions, sectors, partnerships and sections again from the knowledge base",
        )
        self.preferences = _action(
            window,
            "&Preferences…",
            window.show_settings,
            None,
            "Output folder, page size, author, knowledge base",
        )
        self.section_editor = _action(
            window,
            "&Section editor…",
            window.open_section_editor,
            None,
            "Edit the library's section templates",
        )
        self.data_browser = _action(
            window,
            DATA_BROWSER + "…",
            window.open_data_browser,
            None,
            "Browse, edit, import and export the knowledge base",
        )
        self.user_guide = _action(
            window,
            "User &guide",
            window.show_user_guide,
            QKeySequence.StandardKey.HelpContents,
            "What each panel does, a first briefing in five steps, where files go",
        )
        self.about = _action(
            window,
            "&About Briefing Builder",
            window.show_about,
            None,
            "Versions of the application and its libraries",
        )

        menu_bar = window.menuBar()
        file_menu = menu_bar.addMenu("&File")
        file_menu.addActions([self.new, self.open])
        self.recent_menu: QMenu = file_menu.addMenu("Recent &briefings")
        self.recent_menu.aboutToShow.connect(files.fill_recent_menu)
        file_menu.addSeparator()
        file_menu.addActions([self.save, self.save_as])
        file_menu.addSeparator()
        file_menu.addAction(self.export)
        file_menu.addSeparator()
        file_menu.addAction(self.quit)

        edit_menu = menu_bar.addMenu("&Edit")
        edit_menu.addActions([self.undo, self.redo])
        edit_menu.aboutToShow.connect(self._update_undo)
        edit_menu.aboutToHide.connect(self._enable_undo)
        window.outline_history.changed.connect(self._update_undo_texts)
        edit_menu.addSeparator()
        edit_menu.addAction(self.find_region)
        edit_menu.addSeparator()
        edit_menu.addAction(self.preferences)

        view_menu = menu_bar.addMenu("&View")
        view_menu.addActions([self.refresh, self.reload])

        tools_menu = menu_bar.addMenu("&Tools")
        tools_menu.addActions([self.section_editor, self.data_browser])

        help_menu = menu_bar.addMenu("&Help")
        help_menu.addAction(self.user_guide)
        help_menu.addSeparator()
        help_menu.addAction(self.about)

        toolbar = QToolBar("Main", window)
        toolbar.setObjectName("main-toolbar")
        toolbar.setMovable(False)
        toolbar.addActions([self.new, self.open, self.save])
        toolbar.addSeparator()
        toolbar.addActions([self.export, self.refresh])
        window.addToolBar(toolbar)
        self.toolbar = toolbar
        # Ctrl+E exports from anywhere in the window, a text box included.
        self.window_wide = WindowWideKeys(window, [self.export])

    def _update_undo(self) -> None:
        """The menu shows whether there is anything to undo or redo, and what."""
        self.undo.setEnabled(self.edits.can_undo())
        self.redo.setEnabled(self.edits.can_redo())
        self._update_undo_texts()

    def _update_undo_texts(self) -> None:
        self.undo.setText(self.edits.text())
        self.redo.setText(self.edits.text(redo=True))

    def _enable_undo(self) -> None:
        # Left enabled outside the menu: the keys reach the text box either way.
        self.undo.setEnabled(True)
        self.redo.setEnabled(True)
