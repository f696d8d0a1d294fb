"""Table models of the data browser: records as rows, their fields as columns.

:class:`RecordTableModel` shows a list of frozen record dataclasses read-only
(edits go through a form and the store, never through cells, so validation
lives in one place). :class:`RecordFilterProxy` sorts by typed values and
filters on the text of every column, plus a set of slugs found by the
store's full-text search.

Both are built for knowledge bases of a hundred thousand records. The model
works out, once per set of records, what filtering and sorting ask of a row
(one lowercased text per record, the slugs' rows, and per column the sort
keys when that column is first sorted by). The proxy keeps its rows as a
plain list and decides filters and sorts in Python over those precomputed
lists, then tells the view in one layout change; Qt never calls back into
Python per row, only for the cells on screen.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable
from itertools import compress, repeat
from operator import attrgetter, contains
from typing import Any

from PySide6.QtCore import (
    QAbstractItemModel,
    QAbstractProxyModel,
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    Qt,
)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
SLUG_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex
LONG_TEXT = 120  # characters shown in a cell before the rest goes to the tooltip
WARM_CHUNK = 4000  # records whose search text one idle step works out


def field_names(record_type: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(record_type))


def header_label(name: str) -> str:
    """ "start_year" -> "Start year"; "iso_code" -> "ISO code"."""
    words = name.split("_")
    words = ["ISO" if w == "iso" else w for w in words]
    text = " ".join(words)
    return text[:1].upper() + text[1:]


def display_text(value: Any) -> str:
    """A field value as one line of cell text."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, tuple | list):
        return "; ".join(str(v) for v in value)
    if isinstance(value, float):
        return (
            f"{value:,.2f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{value:,.0f}"
        )
    return str(value)


def sort_key(value: Any) -> Any:
    """A value QSortFilterProxyModel can compare within one column.

    Numbers sort as numbers with empty cells first; everything else as
    case-folded text. One column always holds one kind of value.
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int | float):
        return float(value)
    if value is None:
        return -math.inf
    return display_text(value).casefold()


class RecordTableModel(QAbstractTableModel):
    """Read-only table of records of one dataclass type.

    Besides the cells it answers what the filter proxy needs in bulk:
    :meth:`search_texts`, :meth:`slugs`, :meth:`sort_keys`. Those are worked
    out once per :meth:`set_records` and kept; the search texts may also be
    worked out ahead in small steps (:meth:`warm_search_texts`) while the
    window is idle.
    """

    def __init__(
        self, record_type: type, records: list | None = None, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.record_type = record_type
        self.fields = field_names(record_type)
        self._values: Callable[[Any], tuple] = _values_getter(self.fields)
        self._records: list = []
        self._forget()
        self._records = list(records or [])

    def _forget(self) -> None:
        self._slugs: list[str] | None = None
        self._rows_by_slug: dict[str, int] | None = None
        self._texts: list[str] = []  # search texts of the first len(_texts) records
        self._sort_keys: dict[int, list] = {}

    # -- content ----------------------------------------------------------

    def set_records(self, records: list) -> None:
        self.beginResetModel()
        self._records = list(records)
        self._forget()
        self.endResetModel()

    def put_record(self, record) -> int:
        """Show ``record`` instead of the one with its slug, or as a new last row.

        The one record written through a form, without reading the whole
        table again. Returns its row.
        """
        row = self.row_of(record.slug)
        if row >= 0:
            self._records[row] = record
            if row < len(self._texts):
                self._texts[row] = self._search_text(record)
            self._sort_keys.clear()
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(self.fields) - 1))
            return row
        row = len(self._records)
        self.beginInsertRows(QModelIndex(), row, row)
        self._records.append(record)
        if self._slugs is not None:
            self._slugs.append(record.slug)
        if self._rows_by_slug is not None:
            self._rows_by_slug[record.slug] = row
        if len(self._texts) == row:  # the texts before it are all worked out
            self._texts.append(self._search_text(record))
        self._sort_keys.clear()
        self.endInsertRows()
        return row

    def drop_record(self, slug: str) -> bool:
        """Take the record with ``slug`` away (deleted); False if none is shown."""
        row = self.row_of(slug)
        if row < 0:
            return False
        self.beginRemoveRows(QModelIndex(), row, row)
        del self._records[row]
        if self._slugs is not None:
            del self._slugs[row]
        self._rows_by_slug = None  # the rows after it moved up
        if row < len(self._texts):
            del self._texts[row]
        self._sort_keys.clear()
        self.endRemoveRows()
        return True

    def records(self) -> list:
        return list(self._records)

    def record_at(self, row: int):
        return self._records[row]

    def row_of(self, slug: str) -> int:
        """The row holding ``slug``, or -1."""
        if self._rows_by_slug is None:
            self._rows_by_slug = {slug: row for row, slug in enumerate(self.slugs())}
        return self._rows_by_slug.get(slug, -1)

    def slugs(self) -> list[str]:
        """The slug of every row, in row order (kept; do not change the list)."""
        if self._slugs is None:
            self._slugs = [record.slug for record in self._records]
        return self._slugs

    def search_texts(self) -> list[str]:
        """Per row, the text of every column case-folded into one string (kept)."""
        self.warm_search_texts(len(self._records))
        return self._texts

    def warm_search_texts(self, count: int = WARM_CHUNK) -> bool:
        """Work out the search texts of up to ``count`` more rows; True once all are."""
        done = len(self._texts)
        if done < len(self._records):
            self._texts.extend(map(self._search_text, self._records[done : done + count]))
        return len(self._texts) == len(self._records)

    def _search_text(self, record) -> str:
        return "\n".join(
            [v if v.__class__ is str else display_text(v) for v in self._values(record)]
        ).casefold()

    def search_texts_ready(self) -> bool:
        return len(self._texts) == len(self._records)

    def sort_keys(self, column: int) -> list:
        """Per row, a key Python's sort takes for ``column`` (kept per column).

        The keys of one column always compare with each other: numbers as
        numbers with empty cells first, everything else as case-folded text,
        numbers before text should a column hold both.
        """
        keys = self._sort_keys.get(column)
        if keys is None:
            getter = attrgetter(self.fields[column])
            values = [getter(record) for record in self._records]
            kinds = {value.__class__ for value in values}
            if kinds == {str}:  # the common case, without a call per value
                keys = [value.casefold() for value in values]
            else:
                keys = [sort_key(value) for value in values]
                if len({key.__class__ is str for key in keys}) > 1:
                    keys = [(key.__class__ is str, key) for key in keys]
            self._sort_keys[column] = keys
        return keys

    # -- QAbstractTableModel ----------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        return self.cell(index.row(), index.column(), role)

    def cell(self, row: int, column: int, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        """What :meth:`data` answers for a row and column (the proxy asks directly)."""
        if not (0 <= row < len(self._records)) or not (0 <= column < len(self.fields)):
            return None
        record = self._records[row]
        value = getattr(record, self.fields[column])
        if role == Qt.ItemDataRole.DisplayRole:
            text = display_text(value)
            return text if len(text) <= LONG_TEXT else text[: LONG_TEXT - 1] + "…"
        if role == Qt.ItemDataRole.ToolTipRole:
            text = display_text(value)
            return text if len(text) > 40 else None
        if role == Qt.ItemDataRole.TextAlignmentRole:
            if isinstance(value, int | float) and not isinstance(value, bool):
                return int(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            return None
        if role == SORT_ROLE:
            return sort_key(value)
        if role == SEARCH_ROLE:
            return display_text(value).casefold()
        if role == SLUG_ROLE:
            return record.slug
        return None

    def headerData(  # noqa: N802 (Qt override)
        self, section: int, orientation: Qt.Orientation, role: int = Qt.ItemDataRole.DisplayRole
    ) -> Any:
        if role != Qt.ItemDataRole.DisplayRole:
            return None
        if orientation == Qt.Orientation.Horizontal:
            return header_label(self.fields[section]) if 0 <= section < len(self.fields) else None
        return str(section + 1)

    def flags(self, index: Index) -> Qt.ItemFlag:
        if not index.isValid():
            return Qt.ItemFlag.NoItemFlags
        return Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable


def _values_getter(fields: tuple[str, ...]) -> Callable[[Any], tuple]:
    """A function giving a record's field values as a tuple, in field order."""
    if len(fields) == 1:
        single = attrgetter(fields[0])
        return lambda record: (single(record),)
    return attrgetter(*fields)


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
