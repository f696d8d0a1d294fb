"""Table models of the data browser: records as rows, their fields as columns.

:class:`RecordTableModel` shows a list of frozen record dataclasses read-only
(edits go through a form and the store, never through cells, so validation
lives in one place). :class:`~briefing_app.gui.data_browser_proxy.RecordFilterProxy`
sorts by typed values and filters on the text of every column, plus a set of
slugs found by the store's full-text search.

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
from operator import attrgetter
from typing import Any

from PySide6.QtCore import (
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


def _values_getter(fields: tuple[str, ...]) -> Callable[[Any], tuple]:
    """A function giving a record's field values as a tuple, in field order."""
    if len(fields) == 1:
        single = attrgetter(fields[0])
        return lambda record: (single(record),)
    return attrgetter(*fields)


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
