"""Table models of the data browser: records as rows, their fields as columns.

:class:`RecordTableModel` shows a list of frozen record dataclasses read-only
(edits go through a form and the store, never through cells, so validation
lives in one place). :class:`RecordFilterProxy` sorts by typed values and
filters on the text of every column, plus a set of slugs found by the
store's full-text search.
"""

from __future__ import annotations

import dataclasses
import math
from typing import Any

from PySide6.QtCore import (
    QAbstractTableModel,
    QModelIndex,
    QObject,
    QPersistentModelIndex,
    QSortFilterProxyModel,
    Qt,
)

SORT_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
SLUG_ROLE = Qt.ItemDataRole.UserRole + 3

Index = QModelIndex | QPersistentModelIndex
LONG_TEXT = 120  # characters shown in a cell before the rest goes to the tooltip


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
    """Read-only table of records of one dataclass type."""

    def __init__(
        self, record_type: type, records: list | None = None, parent: QObject | None = None
    ):
        super().__init__(parent)
        self.record_type = record_type
        self.fields = field_names(record_type)
        self._records: list = list(records or [])

    # -- content ----------------------------------------------------------

    def set_records(self, records: list) -> None:
        self.beginResetModel()
        self._records = list(records)
        self.endResetModel()

    def records(self) -> list:
        return list(self._records)

    def record_at(self, row: int):
        return self._records[row]

    def row_of(self, slug: str) -> int:
        """The row holding ``slug``, or -1."""
        for row, record in enumerate(self._records):
            if record.slug == slug:
                return row
        return -1

    # -- QAbstractTableModel ----------------------------------------------

    def rowCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self._records)

    def columnCount(self, parent: Index = QModelIndex()) -> int:  # noqa: N802, B008
        return 0 if parent.isValid() else len(self.fields)

    def data(self, index: Index, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid() or not (0 <= index.row() < len(self._records)):
            return None
        if not (0 <= index.column() < len(self.fields)):
            return None
        record = self._records[index.row()]
        value = getattr(record, self.fields[index.column()])
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


class RecordFilterProxy(QSortFilterProxyModel):
    """Sorts by typed values; keeps rows whose text holds every word typed.

    ``search_hits`` are slugs the store's full-text search found for the same
    words; they are kept even when the words are only in text the table does
    not show (a region's Chinese name, a description cut short).
    """

    def __init__(self, parent: QObject | None = None):
        super().__init__(parent)
        self.setSortRole(SORT_ROLE)
        self._words: list[str] = []
        self.search_hits: set[str] = set()

    def set_filter(self, text: str, search_hits: set[str] | None = None) -> None:
        self.beginFilterChange()
        self._words = text.casefold().split()
        self.search_hits = set(search_hits or ())
        self.endFilterChange(QSortFilterProxyModel.Direction.Rows)

    def filterAcceptsRow(self, source_row: int, source_parent: Index) -> bool:  # noqa: N802
        if not self._words:
            return True
        model = self.sourceModel()
        if model.index(source_row, 0, source_parent).data(SLUG_ROLE) in self.search_hits:
            return True
        row_text = " ".join(
            model.index(source_row, column, source_parent).data(SEARCH_ROLE) or ""
            for column in range(model.columnCount(source_parent))
        )
        return all(word in row_text for word in self._words)
