"""The data browser's sorting and filtering proxy over a
:class:`~briefing_app.gui.data_browser_model.RecordTableModel` (see that
module for how the two share the work for large knowledge bases)."""

from __future__ import annotations

from itertools import compress, repeat
from operator import contains
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QModelIndex,
    QObject,
    Qt,
)

from briefing_app.gui.data_browser_model import Index


class RecordFilterProxy(QAbstractProxyModel):
    """Sorts by typed values; keeps rows whose text holds every word typed.

    ``search_hits`` are slugs the store's full-text search found for the same
    words; they are kept even when the words are only in text the table does
    not show (a region's Chinese name, a description cut short).

    The source must be a :class:`RecordTableModel`. The rows shown are a list
    of source rows: a filter or a sort builds a new list from the model's
    precomputed texts and keys and announces it as one layout change, which
    keeps the selection on rows that stay.
    """

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self._words: list[str] = []
        self.search_hits: set[str] = set()
        self._sort_column = -1
        self._sort_order = Qt.SortOrder.AscendingOrder
        self._order: list[int] = []  # every source row, in the sort order
        self._rows: list[int] = []  # the source rows shown, in the sort order
        self._where: list[int] | None = None  # source row -> shown row or -1, when asked
        self._held: list[tuple[QModelIndex, int, int]] = []  # during a source change

    # -- filtering and sorting --------------------------------------------

    def set_filter(self, text: str, search_hits: set[str] | None = None) -> None:
        self._words = text.casefold().split()
        self.search_hits = set(search_hits or ())
        self._relayout(self._filtered(self._order))

    def sortColumn(self) -> int:  # noqa: N802 (Qt's name)
        return self._sort_column

    def sortOrder(self) -> Qt.SortOrder:  # noqa: N802 (Qt's name)
        return self._sort_order

    def sort(self, column: int, order: Qt.SortOrder = Qt.SortOrder.AscendingOrder) -> None:
        model = self.sourceModel()
        if model is None:
            return
        column = column if 0 <= column < model.columnCount() else -1
        if (column, order) == (self._sort_column, self._sort_order):
            return  # already in that order: the records change only through a reset
        self._sort_column = column
        self._sort_order = order
        self._order = self._sorted_rows()
        self._relayout(self._filtered(self._order))

    def _sorted_rows(self) -> list[int]:
        model = self.sourceModel()
        rows = list(range(model.rowCount())) if model is not None else []
        if self._sort_column >= 0 and rows:
            keys = model.sort_keys(self._sort_column)
            rows.sort(
                key=keys.__getitem__, reverse=self._sort_order == Qt.SortOrder.DescendingOrder
            )
        return rows

    def _filtered(self, order: list[int]) -> list[int]:
        """The rows of ``order`` the words and search hits keep, in that order."""
        model = self.sourceModel()
        if not self._words or model is None:
            return list(order)
        texts = model.search_texts()
        # the first word is looked for in every text in row order (the texts
        # read one after the other, not in the sort's scattered order); each
        # word after narrows what the one before kept
        first, *others = self._words
        matches = list(map(contains, texts, repeat(first)))
        if self._sort_column < 0:  # the order is the rows' own
            kept = list(compress(range(len(texts)), matches))
        else:
            kept = list(compress(order, map(matches.__getitem__, order)))
        for word in others:
            kept = [row for row in kept if word in texts[row]]
        if not self.search_hits:
            return kept
        keep = set(kept)
        keep.update(row for row in map(model.row_of, self.search_hits) if row >= 0)
        return [row for row in order if row in keep]

    def _relayout(self, rows: list[int]) -> None:
        """Show ``rows`` instead, moving persistent indexes (the selection) along."""
        held = self._begin_layout()
        self._rows = rows
        self._end_layout(held)

    def _begin_layout(self) -> list[tuple[QModelIndex, int, int]]:
        """Announce a layout change; each persistent index with its source row and column."""
        self.layoutAboutToBeChanged.emit()  # the selection becomes persistent indexes here
        shown = len(self._rows)
        return [
            (index, self._rows[index.row()], index.column())
            if index.isValid() and index.row() < shown
            else (index, -1, -1)
            for index in self.persistentIndexList()
        ]

    def _end_layout(self, held: list[tuple[QModelIndex, int, int]]) -> None:
        """Move the persistent indexes to where their source rows are shown now."""
        self._where = None
        self.changePersistentIndexList(
            [index for index, _row, _column in held],
            [
                self.index(self._shown_row(row), column) if row >= 0 else QModelIndex()
                for _index, row, column in held
            ],
        )
        self.layoutChanged.emit()

    def _shown_row(self, source_row: int) -> int:
        if self._where is None:
            model = self.sourceModel()
            where = [-1] * (model.rowCount() if model is not None else 0)
            for shown, row in enumerate(self._rows):
                where[row] = shown
            self._where = where
        return self._where[source_row] if 0 <= source_row < len(self._where) else -1

    # -- the source model -------------------------------------------------

    def setSourceModel(self, model: QAbstractItemModel) -> None:  # noqa: N802 (Qt's name)
        old = self.sourceModel()
        if old is not None:
            for signal, slot in self._source_connections(old):
                signal.disconnect(slot)
        self.beginResetModel()
        super().setSourceModel(model)
        self._rebuild()
        self.endResetModel()
        if model is not None:
            for signal, slot in self._source_connections(model):
                signal.connect(slot)

    def _source_connections(self, model: QAbstractItemModel) -> list:
        return [
            (model.modelAboutToBeReset, self._source_about_to_change),
            (model.modelReset, self._source_changed),
            (model.layoutAboutToBeChanged, self._source_about_to_change),
            (model.layoutChanged, self._source_changed),
            (model.rowsAboutToBeInserted, self._source_rows_about_to_change),
            (model.rowsInserted, self._source_rows_inserted),
            (model.rowsAboutToBeRemoved, self._source_rows_about_to_change),
            (model.rowsRemoved, self._source_rows_removed),
            (model.rowsAboutToBeMoved, self._source_about_to_change),
            (model.rowsMoved, self._source_changed),
            (model.columnsAboutToBeInserted, self._source_about_to_change),
            (model.columnsInserted, self._source_changed),
            (model.columnsAboutToBeRemoved, self._source_about_to_change),
            (model.columnsRemoved, self._source_changed),
            (model.dataChanged, self._source_data_changed),
            (model.headerDataChanged, self.headerDataChanged),
        ]

    def _source_about_to_change(self, *_args) -> None:
        self.beginResetModel()

    def _source_changed(self, *_args) -> None:
        self._rebuild()
        self.endResetModel()

    # A record added or deleted is one layout change, so the selection stays
    # on the rows that stay.
    def _source_rows_about_to_change(self, *_args) -> None:
        self._held = self._begin_layout()

    def _source_rows_inserted(self, _parent: Index, first: int, last: int) -> None:
        count = last - first + 1
        held = [
            (index, row + count if row >= first else row, column)
            for index, row, column in self._held
        ]
        self._rebuild()
        self._end_layout(held)

    def _source_rows_removed(self, _parent: Index, first: int, last: int) -> None:
        count = last - first + 1
        held = [
            (index, -1 if first <= row <= last else row - count if row > last else row, column)
            for index, row, column in self._held
        ]
        self._rebuild()
        self._end_layout(held)

    def _rebuild(self) -> None:
        model = self.sourceModel()
        if model is not None and not (0 <= self._sort_column < model.columnCount()):
            self._sort_column = -1
        self._order = self._sorted_rows()
        self._rows = self._filtered(self._order)
        self._where = None

    def _source_data_changed(self, *_args) -> None:
        # a record put in place of another may sort or filter otherwise now
        self._order = self._sorted_rows()
        self._relayout(self._filtered(self._order))

    # -- QAbstractProxyModel ----------------------------------------------

    def mapToSource(self, proxy_index: Index) -> QModelIndex:  # noqa: N802 (Qt's name)
        model = self.sourceModel()
        if model is None or not proxy_index.isValid():
            return QModelIndex()
        row = proxy_index.row()
        if not 0 <= row < len(self._rows):
            return QModelIndex()
        return model.index(self._rows[row], proxy_index.column())

    def mapFromSource(self, source_index: Index) -> QModelIndex:  # noqa: N802 (Qt's name)
        if not source_index.isValid() or source_index.model() is not self.sourceModel():
            return QModelIndex()
        shown = self._shown_row(source_index.row())
        return self.index(shown, source_index.column()) if shown >= 0 else QModelIndex()

    def index(self, row: int, column: int, parent: Index = QModelIndex()) -> QModelIndex:  # noqa: B008
        if parent.isValid() or not (0 <= row < len(self._rows)):
            return QModelIndex()
        if not 0 <= column < self.columnCount():
            return QModelIndex()
        return self.createIndex(row, column)

    def parent(self, child: Index | None = None) -> Any:
        if child is None:  # QObject.parent(), which this name hides
            return super().parent()
        return QModelIndex()

    def sibling(self, row: int, column: int, index: Index) -> QModelIndex:
        return self.index(row, column)

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._rows)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        model = self.sourceModel()
        return 0 if parent.isValid() or model is None else model.columnCount()

    def hasChildren(self, parent: Index = QModelIndex()) -> bool:  # noqa: N802, B008
        return not parent.isValid() and bool(self._rows) and self.columnCount() > 0

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return None
        return self.sourceModel().cell(self._rows[index.row()], index.column(), role)

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        model = self.sourceModel()
        if model is None:
            return None
        if orientation == Qt.Orientation.Vertical:
            if not 0 <= section < len(self._rows):
                return None
            section = self._rows[section]
        return model.headerData(section, orientation, role)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid() or not 0 <= index.row() < len(self._rows):
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable
