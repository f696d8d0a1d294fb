"""The data browser: every kind of record of the knowledge base, one tab each.

Each tab is a sortable table with a filter box. The filter matches the text
of every column and, for the kinds the store indexes for full-text search,
also what the search finds (local names, regions above a place). Records are
added, edited and deleted through a form and the store, so the same checks
apply as for an import; a delete that other records still depend on is
refused with the store's explanation.

A tab reads its records when it is first shown (or asked for through
:meth:`DataBrowser.page`), not when the window opens: a knowledge base of a
hundred thousand clusters opens at once and pays for the tab the user looks
at. Typing in a filter box waits a moment for the next key before filtering;
text put in by code filters at once. A record saved or deleted through a tab
changes that one row; an import reads every tab read so far again.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QKeySequence, QShortcut
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFileDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMainWindow,
    QMessageBox,
    QPushButton,
    QTableView,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from briefing_app.errors import BriefingError
from briefing_app.gui import pack_dialogs
from briefing_app.gui.data_browser_form import RecordFormDialog
from briefing_app.gui.data_browser_model import RecordTableModel
from briefing_app.gui.data_browser_proxy import RecordFilterProxy
from briefing_app.gui.import_dialog import ImportDialog, counted, singular
from briefing_app.gui.window_fit import fit_to_screen, remember_folder, start_folder
from briefing_app.store.entities import spec
from briefing_app.store.search import INDEXED

TABS = (
    ("clusters", "Clusters"),
    ("regions", "Regions"),
    ("sectors", "Sectors"),
    ("partnerships", "Partnerships"),
    ("policies", "Policies"),
    ("organisations", "Organisations"),
    ("indicators", "Indicators"),
    ("sources", "Sources"),
    ("countries", "Countries"),
    ("kinds", "Kinds"),
    ("profiles", "Visitor profiles"),
)
TITLE = "Data browser"  # as the Tools menu calls it
SEARCH_LIMIT = 1000
MAX_COLUMN_WIDTH = 320
FIT_ROWS = 200  # rows beyond those on screen that fitting the columns to their text reads
TYPING_PAUSE_MS = 150  # a filter typed waits this long for the next key


class EntityPage(QWidget):
    """One tab: the records of one entity with filter, add, edit, delete, export.

    The records are read on the first :meth:`ensure_loaded` (the tab shown,
    or the page asked for), then again on :meth:`reload`.
    """

    changed = Signal(str)  # the entity, after a write through this page

    def __init__(self, store, entity: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.entity = entity
        self.model = RecordTableModel(spec(entity).record, parent=self)
        self.proxy = RecordFilterProxy(self)
        self.proxy.setSourceModel(self.model)
        self.filter_box = QLineEdit()
        searchable = entity in INDEXED
        self.filter_box.setPlaceholderText(
            "Filter (every column; full-text search too)…"
            if searchable
            else "Filter (every column)…"
        )
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setAccessibleName(f"Filter {entity}")
        self._typed: str | None = None  # text typed that the timer has yet to apply
        self._typing_timer = QTimer(self)
        self._typing_timer.setSingleShot(True)
        self._typing_timer.setInterval(TYPING_PAUSE_MS)
        self._typing_timer.timeout.connect(self._apply_typed)
        self.filter_box.textEdited.connect(self._text_typed)
        self.filter_box.textChanged.connect(self._text_changed)
        # the search texts of a large table are worked out in idle steps after
        # it loads, so the first key typed finds them ready
        self._warm_timer = QTimer(self)
        self._warm_timer.setInterval(0)
        self._warm_timer.timeout.connect(self._warm_step)
        self.loaded = False
        self.count_label = QLabel("Not read yet")
        self.count_label.setAccessibleName(f"{entity} shown")
        self.count_label.setStyleSheet("color: #555;")
        self.table = QTableView()
        self.table.setModel(self.proxy)
        self.table.setSortingEnabled(True)
        self.table.sortByColumn(-1, Qt.SortOrder.AscendingOrder)  # keep the store's order at first
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setAlternatingRowColors(True)
        self.table.setWordWrap(False)
        self.table.verticalHeader().setDefaultSectionSize(24)
        self.table.verticalHeader().hide()  # row numbers would follow the unsorted order
        self.table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.table.horizontalHeader().setResizeContentsPrecision(FIT_ROWS)
        self.table.setAccessibleName(f"{entity} table")
        self.table.doubleClicked.connect(lambda _index: self.edit_selected())
        delete_key = QShortcut(QKeySequence(QKeySequence.StandardKey.Delete), self.table)
        delete_key.activated.connect(self.delete_selected)
        self.table.selectionModel().selectionChanged.connect(self._update_buttons)

        self.add_button = QPushButton("Add…")
        self.edit_button = QPushButton("Edit…")
        self.delete_button = QPushButton("Delete")
        self.import_button = QPushButton("Import…")
        self.export_button = QPushButton("Export…")
        self.add_button.clicked.connect(self.add_record)
        self.edit_button.clicked.connect(self.edit_selected)
        self.delete_button.clicked.connect(self.delete_selected)
        self.import_button.clicked.connect(self.import_records)
        self.export_button.clicked.connect(self.export_records)
        top = QHBoxLayout()
        top.addWidget(self.filter_box, 1)
        top.addWidget(self.count_label)
        buttons = QHBoxLayout()
        for button in (self.add_button, self.edit_button, self.delete_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.import_button)
        buttons.addWidget(self.export_button)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self._update_buttons()

    # -- content ----------------------------------------------------------

    def ensure_loaded(self) -> EntityPage:
        """Read the records if this page has not yet; the page, ready to use."""
        if not self.loaded:
            self.reload()
        return self

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self.loaded:
            # read once the window is on screen, so it opens at once even
            # when the table is large; page() and show_entity() read at once
            self.count_label.setText("Reading records…")
            QTimer.singleShot(0, self, self.ensure_loaded)

    def reload(self, select: str | None = None) -> None:
        """Read the records again from the store, keeping the filter."""
        try:
            records = self.store.records(self.entity)
        except BriefingError as error:
            QMessageBox.warning(self, "Cannot read records", str(error))
            records = []
        fit = not self.loaded or self.model.rowCount() == 0  # widths for text never seen
        self.loaded = True
        self._typing_timer.stop()
        self._typed = None
        self.model.set_records(records)
        self.apply_filter(self.filter_box.text())
        if fit:  # later reads keep the widths the user may have set
            self._fit_columns()
        if select:
            self.select_slug(select)
        self._update_buttons()
        if not self.model.search_texts_ready():
            self._warm_timer.start()

    def refresh_keeping_view(self) -> None:
        """Read the records again (another window or program changed them),
        keeping the filter, the chosen record and the scroll position."""
        chosen = self.selected_record()
        bars = (self.table.verticalScrollBar(), self.table.horizontalScrollBar())
        where = [bar.value() for bar in bars]
        self.reload(select=chosen.slug if chosen is not None else None)
        for bar, value in zip(bars, where, strict=True):
            bar.setValue(value)

    def _warm_step(self) -> None:
        if self.model.warm_search_texts():
            self._warm_timer.stop()

    def _fit_columns(self) -> None:
        self.table.resizeColumnsToContents()
        header = self.table.horizontalHeader()
        for column in range(self.model.columnCount()):
            if header.sectionSize(column) > MAX_COLUMN_WIDTH:
                header.resizeSection(column, MAX_COLUMN_WIDTH)

    def _text_typed(self, text: str) -> None:
        self._typed = text
        self._typing_timer.start()

    def _text_changed(self, text: str) -> None:
        if text == self._typed:
            return  # typed: applied when the typing pauses
        self._typing_timer.stop()
        self._typed = None
        self.apply_filter(text)

    def _apply_typed(self) -> None:
        self._typed = None
        self.apply_filter(self.filter_box.text())

    def apply_filter(self, text: str) -> None:
        """Show the rows that hold every word of ``text`` (and the search's hits)."""
        if not self.loaded:
            return  # read with the records, when the page is first shown
        hits: set[str] = set()
        if text.strip() and self.entity in INDEXED:
            try:
                hits = {
                    hit.slug
                    for hit in self.store.search(text, limit=SEARCH_LIMIT)
                    if hit.entity == self.entity
                }
            except BriefingError:
                hits = set()  # a query the index cannot take: the plain filter still works
        self.proxy.set_filter(text, hits)
        shown, total = self.proxy.rowCount(), self.model.rowCount()
        self.count_label.setText(f"{shown} of {total}" if shown != total else f"{total} records")
        self._update_buttons()  # the record chosen may have been filtered out

    def select_slug(self, slug: str) -> None:
        self.ensure_loaded()
        row = self.model.row_of(slug)
        if row < 0:
            return
        index = self.proxy.mapFromSource(self.model.index(row, 0))
        if index.isValid():
            self.table.selectRow(index.row())
            self.table.scrollTo(index)

    def selected_record(self):
        rows = self.table.selectionModel().selectedRows()
        if not rows:
            return None
        return self.model.record_at(self.proxy.mapToSource(rows[0]).row())

    def _update_buttons(self, *_args) -> None:
        chosen = self.selected_record() is not None
        self.edit_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    # -- actions ----------------------------------------------------------

    def add_record(self) -> None:
        dialog = RecordFormDialog(self.store, self.entity, None, self)
        if dialog.exec() == RecordFormDialog.DialogCode.Accepted and dialog.saved is not None:
            self._show_saved(dialog.saved.slug)
            self._tell(f"Saved new {singular(self.entity)} {dialog.saved.slug}")
            self.changed.emit(self.entity)

    def edit_selected(self) -> None:
        record = self.selected_record()
        if record is None:
            return
        dialog = RecordFormDialog(self.store, self.entity, record, self)
        if dialog.exec() == RecordFormDialog.DialogCode.Accepted and dialog.saved is not None:
            self._show_saved(dialog.saved.slug)
            self._tell(f"Saved {singular(self.entity)} {dialog.saved.slug}")
            self.changed.emit(self.entity)

    def _tell(self, message: str) -> None:
        """A confirmation in the status bar of the window this tab is in."""
        window = self.window()
        if isinstance(window, QMainWindow):
            window.statusBar().showMessage(message, 8000)

    def _show_saved(self, slug: str) -> None:
        """Show the record just saved as the store holds it, chosen.

        Only that record is read back: a write through the form changes no
        other record of the table, and reading a table of a hundred thousand
        again would take a second.
        """
        try:
            record = self.store.get(self.entity, slug)
        except BriefingError:
            self.reload(select=slug)  # the whole table tells what became of it
            return
        self.model.put_record(record)
        self.apply_filter(self.filter_box.text())
        self.select_slug(slug)

    def delete_selected(self) -> bool:
        record = self.selected_record()
        if record is None:
            return False
        label = getattr(record, spec(self.entity).label, record.slug)
        answer = QMessageBox.question(
            self,
            "Delete record",
            f"Delete {label!s} ({record.slug}) from {self.entity}? This cannot be undone "
            "(backups of the knowledge base are kept).",
            QMessageBox.StandardButton.Yes | QMessageBox.StandardButton.No,
            QMessageBox.StandardButton.No,
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        try:
            self.store.delete(self.entity, record.slug)
        except BriefingError as error:
            QMessageBox.warning(self, "Cannot delete", _sentence(str(error)))
            return False
        self.model.drop_record(record.slug)
        self.apply_filter(self.filter_box.text())
        self._tell(f"Deleted {singular(self.entity)} {record.slug}")
        self.changed.emit(self.entity)
        return True

    def import_records(self) -> None:
        dialog = ImportDialog(self.store, self.entity, self)
        if dialog.exec() == ImportDialog.DialogCode.Accepted:
            browser = self.window()
            if isinstance(browser, DataBrowser):
                browser.reload_all()
            else:
                self.reload()
            self.changed.emit(dialog.entity)

    def export_records(self) -> Path | None:
        path, chosen_filter = QFileDialog.getSaveFileName(
            self,
            f"Export {self.entity}",
            str(Path(start_folder(self)) / f"{self.entity}.csv"),
            "CSV (*.csv);;JSON (*.json)",
        )
        if not path:
            return None
        remember_folder(self, path)
        target = Path(path)
        fmt = (
            "json" if target.suffix.lower() == ".json" or "json" in chosen_filter.lower() else "csv"
        )
        if target.suffix.lower() != f".{fmt}":
            target = target.with_suffix(f".{fmt}")
        try:
            count = self.store.export_file(self.entity, target, fmt)
        except BriefingError as error:
            QMessageBox.warning(self, "Export failed", str(error))
            return None
        except OSError as error:
            QMessageBox.warning(self, "Export failed", f"cannot write {target}: {error.strerror}")
            return None
        self._tell(f"Exported {counted(count, self.entity)} to {target}")
        return target


def _sentence(text: str) -> str:
    """The store's message with a capital first letter, as a dialog sentence."""
    return text[:1].upper() + text[1:] if text else text


class DataBrowser(QMainWindow):
    """Browse and maintain the knowledge base, one tab per kind of record."""

    recordsChanged = Signal(str)  # entity whose records were added, edited or deleted  # noqa: N815

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.setWindowTitle(TITLE)
        fit_to_screen(self, 1280, 780)
        self.tabs = QTabWidget()
        self.tabs.setAccessibleName("Kinds of record")
        self.pages: dict[str, EntityPage] = {}
        for entity, title in TABS:
            page = EntityPage(store, entity, self)
            self.pages[entity] = page
            page.changed.connect(self.recordsChanged)
            self.tabs.addTab(page, title)
        self.setCentralWidget(self.tabs)
        self.statusBar().showMessage(f"Knowledge base: {store.path}")
        packs = self.menuBar().addMenu("&Packs")
        packs.addAction("&Import pack…", self.import_pack)
        packs.addAction("&Export pack…", self.export_pack)

    def page(self, entity: str) -> EntityPage:
        """The tab of ``entity``, its records read."""
        return self.pages[entity].ensure_loaded()

    def show_entity(self, entity: str) -> EntityPage:
        page = self.pages[entity]
        self.tabs.setCurrentWidget(page)
        return page.ensure_loaded()

    def reload_all(self) -> None:
        """Re-read every tab read so far (after an import, which may touch references).

        Tabs not yet shown read the store when they are, so they are current
        without reading now.
        """
        for page in self.pages.values():
            if page.loaded:
                page.reload()

    def refresh_from_store(self) -> None:
        """The knowledge base changed elsewhere: every tab read so far reads
        again, keeping its filter, chosen record and scroll position."""
        for page in self.pages.values():
            if page.loaded:
                page.refresh_keeping_view()

    # -- country packs (gui/pack_dialogs.py) --------------------------------------

    def import_pack(self) -> bool:
        return pack_dialogs.import_pack(self)

    def export_pack(self) -> Path | None:
        return pack_dialogs.export_pack(self)
