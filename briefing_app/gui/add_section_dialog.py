"""Outline > Add section: pick any section of the library, with a filter.

Titles show as words ("‹sector› policies and programmes"), not as the Jinja
they are written in: no sector is bound while picking.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.assembly.library import section_label

SLUG_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2  # the label and the raw title, lower-cased


class AddSectionDialog(QDialog):
    """A filterable list of the library's sections."""

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Add section")
        self._sections = {s.slug: s for s in store.sections()}
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText("Filter by title or key…")
        self.filter_box.setAccessibleName("Section filter")
        self.filter_box.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Library sections")
        for section in sorted(self._sections.values(), key=lambda s: s.slug):
            item = QListWidgetItem(section_label(section.title, section.slug))
            item.setData(SLUG_ROLE, section.slug)
            item.setData(FILTER_ROLE, f"{item.text()} {section.title}".lower())
            item.setToolTip(f"Title: {section.title}\n\n{section.body[:400]}")
            self.list.addItem(item)
        if self.list.count():
            self.list.setCurrentRow(0)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Add")
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        self.filter_box.textChanged.connect(self._filter)
        layout = QVBoxLayout(self)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.list)
        layout.addWidget(buttons)
        self.resize(480, 420)

    def chosen(self):
        item = self.list.currentItem()
        if item is None or item.isHidden():
            return None
        return self._sections[item.data(SLUG_ROLE)]

    def _filter(self, text: str) -> None:
        needle = text.strip().lower()
        first_visible = None
        for row in range(self.list.count()):
            item = self.list.item(row)
            hidden = bool(needle) and needle not in item.data(FILTER_ROLE)
            item.setHidden(hidden)
            if not hidden and first_visible is None:
                first_visible = item
        if first_visible is not None:
            self.list.setCurrentItem(first_visible)
