"""The main window: selection on the left, outline and cover in the middle,
the live preview on the right.

The window holds the flow together: a change of selection re-plans the
outline at once (keeping the user's outline edits), and any change asks the
preview for a refresh, which is built in the background. Menus live in
:mod:`window_actions`, briefing files in :mod:`file_commands`, exporting in
:mod:`export_controller`.
"""

from __future__ import annotations

from PySide6.QtCore import QByteArray, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QMainWindow,
    QMessageBox,
    QScrollArea,
    QSplitter,
    QTabWidget,
    QWidget,
)

from briefing_app.assembly.selection import Selection
from briefing_app.errors import BriefingError
from briefing_app.gui import settings as keys
from briefing_app.gui.about_dialog import show_about
from briefing_app.gui.briefing_session import BriefingSession
from briefing_app.gui.cover_defaults import defaults_from_metadata
from briefing_app.gui.cover_form import CoverForm
from briefing_app.gui.coverage_panel import CoveragePanel, fill_script_combo
from briefing_app.gui.export_controller import ExportController
from briefing_app.gui.file_commands import FileCommands
from briefing_app.gui.outline_history import OutlineHistory
from briefing_app.gui.outline_merge import merge_outline
from briefing_app.gui.outline_panel import OutlinePanel
from briefing_app.gui.partners_panel import PartnersPanel
from briefing_app.gui.preview_panel import PreviewPanel
from briefing_app.gui.selection_panel import SelectionPanel, SelectionState
from briefing_app.gui.settings import PAGE_SIZES, AppSettings
from briefing_app.gui.shipped_notice import ShippedNotice
from briefing_app.gui.store_watch import StoreWatch
from briefing_app.gui.window_actions import WindowActions
from briefing_app.gui.window_fit import fit_to_screen

STATUS_MS = 6000
DEFAULT_SIZE = (1400, 900)  # or the screen's room, when smaller
MIN_WIDTHS = (200, 300, 260)  # selection, outline and cover, preview
COLUMN_SHARES = (0.245, 0.315, 0.44)


class MainWindow(QMainWindow):
    """Briefing Builder's main window over one open store."""

    def __init__(self, store, settings: AppSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.settings = settings
        self.session = BriefingSession()
        self._loading = False
        self._closed = False
        # (selection, its planned outline) from the last planning, handed to
        # the preview so its build does not plan the same outline again.
        self._planned: tuple[Selection, list] | None = None
        self._tools: dict[str, QWidget] = {}
        self.guide: QWidget | None = None
        self.setObjectName("main-window")
        fit_to_screen(self, DEFAULT_SIZE[0], DEFAULT_SIZE[1])

        self.selection_panel = SelectionPanel(store, self)
        self.outline_panel = OutlinePanel(self)
        self.cover_form = CoverForm(self)
        self.page_size = QComboBox(self)
        self.page_size.addItems(PAGE_SIZES)
        self.page_size.setAccessibleName("Page size")
        self.page_size.setToolTip("Paper size of the Word and PDF files")
        self.cover_form.form.insertRow(0, "Page si&ze", self.page_size)
        self.script = QComboBox(self)
        fill_script_combo(self.script)
        self.cover_form.form.insertRow(1, "Chinese scr&ipt", self.script)
        self.coverage_panel = CoveragePanel(store, self)
        self.preview_panel = PreviewPanel(store.path, self)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.outline_panel, "O&utline")
        # The panels scroll rather than push the window wider or taller than
        # a small screen (1024x700): every column can be made narrow.
        self.tabs.addTab(_scrolled(self.cover_form, "Cover fields"), "Co&ver")
        self.tabs.addTab(self.coverage_panel, "Covera&ge")
        self.partners_panel = PartnersPanel(store, self)
        self.tabs.addTab(self.partners_panel, "&Partners")
        self.tabs.setAccessibleName("Outline and cover")
        self.tabs.setMinimumWidth(MIN_WIDTHS[1])
        self.selection_scroll = _scrolled(self.selection_panel, "Selection")
        self.selection_scroll.setMinimumWidth(MIN_WIDTHS[0])
        self.preview_panel.setMinimumWidth(MIN_WIDTHS[2])

        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.selection_scroll)
        self.splitter.addWidget(self.tabs)
        self.splitter.addWidget(self.preview_panel)
        self.splitter.setSizes(_column_sizes(self.width()))
        for column, stretch in enumerate((2, 3, 5)):
            self.splitter.setStretchFactor(column, stretch)
        self.splitter.setChildrenCollapsible(False)
        self.splitter.setContentsMargins(6, 6, 6, 6)
        self.setCentralWidget(self.splitter)

        # Undo/Redo of outline edits; the plan keeps a restored outline current.
        self.outline_history = OutlineHistory(
            self.outline_panel, lambda: self._planned[1] if self._planned else None, parent=self
        )
        self.outline_history.restored.connect(self._on_outline_restored)
        self.files = FileCommands(self)
        self.exporter = ExportController(self)
        self.actions = WindowActions(self)
        self.statusBar().showMessage("Ready")
        # Newer shipped facts: a notice in the status bar with its button.
        self.shipped_notice = ShippedNotice(self)

        self.selection_panel.changed.connect(self._on_selection_changed)
        self.outline_panel.changed.connect(self._on_edited)
        self.outline_panel.resetRequested.connect(self.reset_outline)
        self.outline_panel.addRequested.connect(self.add_section)
        self.outline_panel.currentItemChanged.connect(self.preview_panel.show_item)
        self.cover_form.changed.connect(self._on_edited)
        self.partners_panel.changed.connect(self._on_edited)
        self.page_size.currentIndexChanged.connect(self._on_edited)
        self.script.currentIndexChanged.connect(self._on_edited)
        self.preview_panel.metadataBuilt.connect(
            lambda metadata: self.cover_form.set_defaults(defaults_from_metadata(metadata))
        )
        self.preview_panel.failed.connect(lambda message: self.status("Preview: " + message))
        self.preview_panel.leftOutFound.connect(self.outline_panel.show_left_out)
        # The sector counts wait for the preview page: counted while the
        # worker builds, they would take turns with it for Python's lock.
        self.preview_panel.shown.connect(self.selection_panel.update_counts_soon)
        self.preview_panel.failed.connect(self.selection_panel.update_counts_soon)

        self._restore_layout()
        self._set_tab_order()
        self.start_new_briefing()
        # Writes by the tool windows, other instances and `briefing` commands
        # reach the lists and the preview without View > Reload lists.
        self.watch = StoreWatch(store, self)
        self.watch.changed.connect(self.refresh_from_store)
        self.shipped_notice.updated.connect(lambda: (self.watch.seen(), self.refresh_from_store()))
        self.watch.changed.connect(self.shipped_notice.check)

    # --- the current briefing ------------------------------------------------

    def current_selection(self) -> Selection:
        """What the window shows, as the assembly's Selection."""
        state = self.selection_panel.state()
        outline = tuple(self.outline_panel.outline()) if self.outline_panel.is_customised() else ()
        return Selection(
            country=state.country,
            region=state.region,
            sectors=state.sectors,
            partnerships=state.partnerships,
            blueprint=state.blueprint,
            cover=self.cover_form.cover(),
            page_size=self.page_size.currentText(),
            outline=outline,
            script=self.script.currentData() or "as-recorded",
            profiles=self.partners_panel.chosen_profiles(),
            partner_pins=self.partners_panel.pins(),
            partner_drops=self.partners_panel.drops(),
        )

    def start_new_briefing(self) -> None:
        author = self.settings.author
        self.show_selection(Selection(page_size=self.settings.page_size, cover=_with_lead(author)))
        self.session.start_new()
        self.update_title()

    def show_selection(self, selection: Selection) -> None:
        """Show a saved or new selection as it is (no merge, not modified)."""
        self._loading = True
        try:
            missing = self.selection_panel.set_state(
                SelectionState(
                    selection.country,
                    selection.region,
                    selection.sectors,
                    selection.partnerships,
                    selection.blueprint,
                )
            )
            self.cover_form.set_cover(selection.cover)
            self.partners_panel.set_state(
                selection.profiles, selection.partner_pins, selection.partner_drops
            )
            self.page_size.setCurrentText(selection.page_size)
            self.script.setCurrentIndex(max(0, self.script.findData(selection.script)))
            if selection.outline:
                self.outline_panel.set_outline(list(selection.outline), customised=True)
            else:
                self._plan_outline(customised=False)
        finally:
            self._loading = False
        self.outline_history.clear()  # another briefing: nothing of this one to undo
        if missing:
            self.status("Not in the knowledge base any more: " + ", ".join(missing))
        self._after_change(modified=False, soon=True)

    def document_title(self) -> str:
        return self.cover_form.cover().title or self.default_title()

    def default_title(self) -> str:
        return self.cover_form.edits["title"].placeholderText() or "Briefing"

    # --- reacting to edits ---------------------------------------------------

    def _on_selection_changed(self) -> None:
        if self._loading:
            return
        self._plan_outline(customised=self.outline_panel.is_customised())
        # The outline's snapshots were for the former selection: restored, they
        # would bring back sections it no longer calls for, or drop new ones.
        self.outline_history.clear()
        self._after_change(modified=True, soon=True)

    def _on_edited(self, *_args) -> None:
        if not self._loading:
            self._after_change(modified=True)

    def _on_outline_restored(self) -> None:
        """Undo or Redo put an outline back: shown and previewed as an edit is."""
        self.tabs.setCurrentWidget(self.outline_panel)
        self.outline_panel.tree.setFocus()
        self._on_edited()

    def _after_change(self, modified: bool, soon: bool = False) -> None:
        """Mark the briefing modified and refresh the preview (``soon`` for a
        click in the selection; typing and outline edits wait for a pause)."""
        selection = self.current_selection()
        if modified:
            self.session.modified = True
        self.update_title()
        planned = None
        if self._planned is not None and not selection.outline:
            planned_for, outline = self._planned
            if planned_for == selection:  # a cover edit may change titles: plan again then
                planned = outline
        self.preview_panel.show_selection(selection, planned, soon=soon)
        self.coverage_panel.show_selection(selection)
        self.partners_panel.show_for(selection)

    def _plan_outline(self, customised: bool) -> None:
        from briefing_app.assembly import plan_outline

        selection = self.current_selection().with_outline(())
        self._planned = None
        try:
            planned = plan_outline(self.store, selection)
        except BriefingError as exc:
            self.status(f"The outline cannot be planned: {exc}")
            return
        self._planned = (selection, planned)
        if customised:
            self.outline_panel.set_outline(
                merge_outline(self.outline_panel.outline(), planned), True
            )
        elif planned != self.outline_panel.outline():
            self.outline_panel.set_outline(planned, False)

    def reload_lists(self) -> None:
        """Re-read regions, sectors, partnerships and blueprints from the store
        (View > Reload lists; changes are also noticed on their own)."""
        self.refresh_from_store()
        self.status("Lists reloaded from the knowledge base")

    def refresh_from_store(self, tools: bool = True) -> None:
        """Show the knowledge base as it is now (it changed here or elsewhere).

        The selection panel's lists are read again keeping what is chosen and
        where they are scrolled, the outline is planned again and the preview
        rebuilt; with ``tools`` an open data browser reads its tables again.
        """
        self._loading = True
        try:
            missing = self.selection_panel.refresh_lists()
            self.partners_panel.reload()
            self._plan_outline(customised=self.outline_panel.is_customised())
        finally:
            self._loading = False
        self._after_change(modified=self.session.modified, soon=True)
        if missing:
            self.status("Not in the knowledge base any more: " + ", ".join(missing))
        browser = self._tools.get("data-browser")
        if tools and browser is not None:
            browser.refresh_from_store()

    def _written_here(self, *_args) -> None:
        """A tool window of this application wrote to the store: it shows the
        change itself; the lists and the preview follow at once."""
        self.watch.seen()
        self.refresh_from_store(tools=False)

    def reset_outline(self) -> None:
        with self.outline_history.step("reset to the blueprint"):
            self._plan_outline(customised=False)
        self._after_change(modified=True)
        self.status("Outline reset to the blueprint")

    def add_section(self) -> None:
        from briefing_app.gui.add_section_dialog import AddSectionDialog

        row = self.outline_panel.tree.currentItem()
        current = self.outline_panel.current_item()
        dialog = AddSectionDialog(
            self.store,
            self,
            in_outline=self.outline_panel.sections(),
            current_title=row.text(0) if current is not None and row is not None else "",
        )
        if dialog.exec() and dialog.chosen() is not None:
            section = dialog.chosen()
            added = self.outline_panel.add_section(
                section.slug, section.title, at_end=dialog.at_end()
            )
            shown = self.outline_panel.tree.currentItem()
            self.status(f"Added section “{shown.text(0) if shown else added.title}”")

    # --- window chrome -------------------------------------------------------

    def _set_tab_order(self) -> None:
        """Tab follows what the eye reads: left column top to bottom, then the
        Outline and Cover tabs and their fields, then the preview."""
        panel, outline, cover = self.selection_panel, self.outline_panel, self.cover_form
        chain = [
            panel.blueprint_combo,
            panel.country_combo,
            panel.regions.filter_box,
            panel.regions.view,
            panel.sectors,
            panel.partnerships,
            self.tabs.tabBar(),
            outline.tree,
            outline.add_button,
            outline.remove_button,
            outline.up_button,
            outline.down_button,
            outline.reset_button,
            self.page_size,
            *cover.edits.values(),
            cover.abstract,
            self.preview_panel.whole_button,
            self.preview_panel.section_button,
            self.preview_panel.browser,
        ]
        for first, second in zip(chain, chain[1:], strict=False):
            QWidget.setTabOrder(first, second)

    def update_title(self) -> None:
        self.setWindowTitle(self.session.window_title())

    def status(self, message: str) -> None:
        self.statusBar().showMessage(message, STATUS_MS)

    def show_settings(self) -> None:
        from briefing_app.gui.settings_dialog import SettingsDialog

        if SettingsDialog(self.settings, self).exec():
            self.status("Preferences saved")

    def show_about(self) -> None:
        show_about(self, str(self.store.path))

    def show_user_guide(self) -> None:
        """Help > User guide, one window that stays open beside the work."""
        from briefing_app.gui.user_guide import UserGuideDialog

        if self.guide is None:
            self.guide = UserGuideDialog(self)
        self.guide.show()
        self.guide.raise_()
        self.guide.activateWindow()

    def open_section_editor(self) -> None:
        self._open_tool("section-editor")

    def open_data_browser(self) -> None:
        self._open_tool("data-browser")

    def _open_tool(self, name: str) -> None:
        """Open (or raise) a tool window from the second GUI engineer's modules."""
        tool = self._tools.get(name)
        if tool is None:
            try:
                if name == "section-editor":
                    from briefing_app.gui.section_editor import SectionEditor

                    tool = SectionEditor(self.store, self.current_selection, self)
                    tool.sectionSaved.connect(self._written_here)
                else:
                    from briefing_app.gui.data_browser import DataBrowser

                    tool = DataBrowser(self.store, self)
                    tool.recordsChanged.connect(self._written_here)
            except ImportError as exc:
                QMessageBox.warning(self, "Not available", f"This tool cannot be opened: {exc}")
                return
            tool.setWindowFlag(Qt.WindowType.Window, True)
            tool.destroyed.connect(lambda *_: self._tools.pop(name, None))
            self._tools[name] = tool
        tool.show()
        tool.raise_()
        tool.activateWindow()

    def _restore_layout(self) -> None:
        geometry = self.settings.get(keys.WINDOW_GEOMETRY)
        if geometry:
            self.restoreGeometry(QByteArray.fromBase64(geometry.encode()))
            fit_to_screen(self, self.width(), self.height())  # another, smaller screen now
        splitter = self.settings.get(keys.SPLITTER_STATE)
        self._columns_set = bool(splitter) and self.splitter.restoreState(
            QByteArray.fromBase64(splitter.encode())
        )

    def share_columns(self) -> None:
        """Give the three columns their usual shares of the window's width."""
        self.splitter.setSizes(_column_sizes(self.splitter.width()))

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._columns_set:
            self._columns_set = True
            self.share_columns()

    def _save_layout(self) -> None:
        self.settings.set(keys.WINDOW_GEOMETRY, bytes(self.saveGeometry().toBase64()).decode())
        self.settings.set(keys.SPLITTER_STATE, bytes(self.splitter.saveState().toBase64()).decode())
        self.settings.sync()

    def closeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        if self._closed:
            event.accept()
            return
        # A tool window with unsaved work (the section editor) may refuse to
        # close; then the whole application stays open.
        tools_closed = all(tool.close() for tool in list(self._tools.values()))
        if not tools_closed or not self.files.confirm_discard():
            event.ignore()
            return
        self._closed = True
        self.watch.stop()
        self._save_layout()
        self.exporter.shutdown()
        self.preview_panel.shutdown()
        self.selection_panel.shutdown()
        event.accept()


def _scrolled(widget: QWidget, name: str) -> QScrollArea:
    """``widget`` in a frameless scroll area that lets it shrink past its
    minimum size (scroll bars show instead of the window growing)."""
    area = QScrollArea()
    area.setWidget(widget)
    area.setWidgetResizable(True)
    area.setFrameShape(QFrame.Shape.NoFrame)
    area.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAsNeeded)
    area.setAccessibleName(name)
    return area


def _column_sizes(width: int) -> list[int]:
    """The three columns' widths for a window ``width`` wide."""
    room = max(sum(MIN_WIDTHS), width - 12)
    pairs = zip(MIN_WIDTHS, COLUMN_SHARES, strict=True)
    return [max(least, int(room * share)) for least, share in pairs]


def _with_lead(author: str):
    from briefing_app.assembly.selection import Cover

    return Cover(lead=author) if author else Cover()
