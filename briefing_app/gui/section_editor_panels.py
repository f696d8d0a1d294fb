"""Side panels of the section editor: where a section applies, and its history."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRect, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QPainter
from PySide6.QtWidgets import (
    QGridLayout,
    QGroupBox,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QStyle,
    QStyledItemDelegate,
    QStyleOptionViewItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.store.records import SectionVersion

SLUG_ROLE = Qt.ItemDataRole.UserRole + 1
DETAIL_ROLE = Qt.ItemDataRole.UserRole + 3  # the grey second line of a section row
PROBLEM_ROLE = Qt.ItemDataRole.UserRole + 4  # "⚠ ..." when its variant or front matter fails


class SectionItemDelegate(QStyledItemDelegate):
    """Draws a section as its title in bold over its key and state in grey,
    and under them in red what is wrong with it, if anything."""

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:  # noqa: N802
        height = option.fontMetrics.height()
        lines = 3 if index.data(PROBLEM_ROLE) else 2
        return QSize(200, lines * height + 4 * lines + 2)

    def paint(self, painter: QPainter, option: QStyleOptionViewItem, index) -> None:
        painter.save()
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        if selected:
            painter.fillRect(option.rect, option.palette.highlight())
        rect = option.rect.adjusted(8, 4, -6, -4)
        height = option.fontMetrics.height()
        title_font = QFont(option.font)
        title_font.setBold(True)
        painter.setFont(title_font)
        painter.setPen(option.palette.highlightedText().color() if selected else QColor("#1a1a1a"))
        title = painter.fontMetrics().elidedText(
            index.data(), Qt.TextElideMode.ElideRight, rect.width()
        )
        painter.drawText(QRect(rect.left(), rect.top(), rect.width(), height), 0, title)
        painter.setFont(option.font)
        painter.setPen(option.palette.highlightedText().color() if selected else QColor("#6b6b6b"))
        detail = painter.fontMetrics().elidedText(
            index.data(DETAIL_ROLE) or "", Qt.TextElideMode.ElideRight, rect.width()
        )
        painter.drawText(
            QRect(rect.left(), rect.top() + height + 2, rect.width(), height), 0, detail
        )
        problem = index.data(PROBLEM_ROLE)
        if problem:
            painter.setPen(
                option.palette.highlightedText().color() if selected else QColor("#b71c1c")
            )
            problem = painter.fontMetrics().elidedText(
                problem, Qt.TextElideMode.ElideRight, rect.width()
            )
            painter.drawText(
                QRect(rect.left(), rect.top() + 2 * height + 4, rect.width(), height), 0, problem
            )
        painter.setPen(QColor("#e4e4e4"))
        painter.drawLine(option.rect.bottomLeft(), option.rect.bottomRight())
        painter.restore()


class ChecklistPicker(QGroupBox):
    """A filterable list of checkable choices (sectors, regions or partnerships).

    Nothing checked means "applies to every selection", which the summary
    line says in words so an empty list is not mistaken for "applies nowhere".
    """

    changed = Signal()

    def __init__(self, title: str, noun: str, parent: QWidget | None = None):
        super().__init__(title, parent)
        self.noun = noun
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText(f"Filter {noun}…")
        self.filter_box.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName(title)
        self.summary = QLabel(self)
        self.summary.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.list)
        layout.addWidget(self.summary)
        self.filter_box.textChanged.connect(self._filter)
        self.list.itemChanged.connect(self._item_changed)
        self._unknown: tuple[str, ...] = ()

    def set_choices(self, choices: list[tuple[str, str]]) -> None:
        """Fill with (slug, label) pairs; keeps what was checked."""
        checked = self.checked()
        self.list.blockSignals(True)
        self.list.clear()
        for slug, label in choices:
            item = QListWidgetItem(label, self.list)
            item.setData(SLUG_ROLE, slug)
            item.setToolTip(slug)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(Qt.CheckState.Unchecked)
        self.list.blockSignals(False)
        self.set_checked(checked)

    def checked(self) -> tuple[str, ...]:
        """Checked slugs in list order, then any kept slug the list does not know."""
        found = []
        for row in range(self.list.count()):
            item = self.list.item(row)
            if item.checkState() == Qt.CheckState.Checked:
                found.append(item.data(SLUG_ROLE))
        return tuple(found) + self._unknown

    def set_checked(self, slugs: tuple[str, ...]) -> None:
        wanted = set(slugs)
        known = set()
        self.list.blockSignals(True)
        for row in range(self.list.count()):
            item = self.list.item(row)
            slug = item.data(SLUG_ROLE)
            known.add(slug)
            state = Qt.CheckState.Checked if slug in wanted else Qt.CheckState.Unchecked
            item.setCheckState(state)
        self.list.blockSignals(False)
        # A section may name a slug that was since deleted; keep it rather than
        # dropping it silently on the next save.
        self._unknown = tuple(s for s in slugs if s not in known)
        self._update_summary()

    def _item_changed(self, _item: QListWidgetItem) -> None:
        self._update_summary()
        self.changed.emit()

    def _update_summary(self) -> None:
        chosen = self.checked()
        if not chosen:
            text = f"Applies whatever the {self.noun} (none checked)."
        else:
            text = f"Applies only to {len(chosen)} checked {self.noun}."
        if self._unknown:
            text += f" Unknown: {', '.join(self._unknown)}."
        self.summary.setText(text)

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.list.count()):
            item = self.list.item(row)
            hay = f"{item.text()} {item.data(SLUG_ROLE)}".lower()
            item.setHidden(bool(needle) and needle not in hay)


class HistoryPanel(QWidget):
    """The saved versions of a section, newest first, with compare and restore."""

    compareWithPrevious = Signal(object)  # SectionVersion
    compareWithEditor = Signal(object)
    restoreRequested = Signal(object)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Versions")
        self.previous_button = QPushButton("Compare with previous", self)
        self.editor_button = QPushButton("Compare with editor", self)
        self.restore_button = QPushButton("Restore this version", self)
        self.restore_button.setToolTip("Saves the chosen version's text again as a new version")
        # Two rows: the panel fits the side column of a 1024-pixel window.
        buttons = QGridLayout()
        buttons.addWidget(self.previous_button, 0, 0)
        buttons.addWidget(self.editor_button, 0, 1)
        buttons.addWidget(self.restore_button, 1, 0, 1, 2)
        note = QLabel("Every save is kept. Restoring an old version saves it as a new one.")
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(note)
        layout.addWidget(self.list)
        layout.addLayout(buttons)
        self.versions: list[SectionVersion] = []
        self.previous_button.clicked.connect(lambda: self._emit(self.compareWithPrevious))
        self.editor_button.clicked.connect(lambda: self._emit(self.compareWithEditor))
        self.restore_button.clicked.connect(lambda: self._emit(self.restoreRequested))
        self.list.currentRowChanged.connect(self._update_buttons)
        self._update_buttons()

    def set_versions(self, versions: list[SectionVersion]) -> None:
        self.versions = sorted(versions, key=lambda v: v.version, reverse=True)
        self.list.clear()
        for version in self.versions:
            saved = version.saved.replace("T", " ")[:16]
            label = f"Version {version.version}  ·  {saved}"
            if version.note:
                label += f"  ·  {version.note}"
            self.list.addItem(label)
        if self.versions:
            self.list.setCurrentRow(0)
        self._update_buttons()

    def selected(self) -> SectionVersion | None:
        row = self.list.currentRow()
        return self.versions[row] if 0 <= row < len(self.versions) else None

    def previous_of(self, version: SectionVersion) -> SectionVersion | None:
        """The version saved just before ``version``, if any."""
        older = [v for v in self.versions if v.version < version.version]
        return max(older, key=lambda v: v.version) if older else None

    def select_version(self, number: int) -> None:
        for row, version in enumerate(self.versions):
            if version.version == number:
                self.list.setCurrentRow(row)
                return

    def _emit(self, signal) -> None:
        version = self.selected()
        if version is not None:
            signal.emit(version)

    def _update_buttons(self, _row: int = -1) -> None:
        version = self.selected()
        self.previous_button.setEnabled(
            version is not None and self.previous_of(version) is not None
        )
        self.editor_button.setEnabled(version is not None)
        self.restore_button.setEnabled(version is not None and version is not self._newest())

    def _newest(self) -> SectionVersion | None:
        return self.versions[0] if self.versions else None
