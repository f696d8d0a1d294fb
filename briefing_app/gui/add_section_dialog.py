"""Outline > Add section: pick any section of the library, with a filter.

Titles show as words ("‹sector› policies and programmes"), not as the Jinja
they are written in: no sector is bound while picking. Sections the outline
already holds are marked and come last (a sector section may rightly appear
twice, so they stay available). The new section goes at the end of the
briefing unless the user clearly asks for "after" the section chosen in the
outline.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.assembly.library import section_label
from briefing_app.gui.window_fit import fit_to_screen

SLUG_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2  # the label and the raw title, lower-cased
IN_OUTLINE = "   — already in the outline"
AT_END, AFTER_CURRENT = "end", "after"


class AddSectionDialog(QDialog):
    """A filterable list of the library's sections."""

    def __init__(
        self,
        store,
        parent: QWidget | None = None,
        in_outline: set[str] | frozenset[str] = frozenset(),
        current_title: str = "",
    ):
        super().__init__(parent)
        self.setWindowTitle("Add section")
        self._sections = {s.slug: s for s in store.sections()}
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText("Filter by title or key…")
        self.filter_box.setAccessibleName("Section filter")
        self.filter_box.setClearButtonEnabled(True)
        self.list = QListWidget(self)
        self.list.setAccessibleName("Library sections")
        ordered = sorted(self._sections.values(), key=lambda s: (s.slug in in_outline, s.slug))
        for section in ordered:
            label = section_label(section.title, section.slug)
            item = QListWidgetItem(label)
            item.setData(SLUG_ROLE, section.slug)
            item.setData(FILTER_ROLE, f"{label} {section.title}".lower())
            tip = f"Title: {section.title}\n\n{section.body[:400]}"
            if section.slug in in_outline:
                item.setText(label + IN_OUTLINE)
                item.setForeground(self.palette().placeholderText())
                tip = "Already in the outline; adding it prints it again.\n" + tip
            item.setToolTip(tip)
            self.list.addItem(item)
        self.place = QComboBox(self)
        self.place.setAccessibleName("Where to add")
        self.place.addItem("At the end of the briefing (before the annexes)", AT_END)
        if current_title:
            self.place.addItem(f"After “{current_title}”", AFTER_CURRENT)
        self.place.setToolTip("Where the new section goes; move it later with Up and Down")
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
        where = QFormLayout()
        where.addRow("&Place", self.place)
        layout.addLayout(where)
        layout.addWidget(buttons)
        fit_to_screen(self, 560, 460)

    def at_end(self) -> bool:
        return self.place.currentData() != AFTER_CURRENT

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
