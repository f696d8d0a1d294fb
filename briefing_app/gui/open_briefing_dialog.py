"""File > Open: the briefings saved in the knowledge base."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QLabel,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.gui.window_fit import fit_to_screen

SLUG_ROLE = Qt.ItemDataRole.UserRole + 1


class OpenBriefingDialog(QDialog):
    """Lists saved briefings (name, last saved); Open or Delete one."""

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Open briefing")
        self.store = store
        self.list = QTreeWidget(self)
        self.list.setHeaderLabels(["Name", "Last saved"])
        self.list.setRootIsDecorated(False)
        self.list.setAccessibleName("Saved briefings")
        self.list.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.list.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.list.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        self.list.itemDoubleClicked.connect(lambda *_: self.accept())
        self.empty_label = QLabel("No briefing has been saved yet: use File ▸ Save.")

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Open | QDialogButtonBox.StandardButton.Cancel,
            parent=self,
        )
        self.open_button = buttons.button(QDialogButtonBox.StandardButton.Open)
        self.delete_button = QPushButton("&Delete")
        self.delete_button.setToolTip("Delete the chosen briefing from the knowledge base")
        buttons.addButton(self.delete_button, QDialogButtonBox.ButtonRole.ActionRole)
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        self.delete_button.clicked.connect(self._delete)
        self.list.currentItemChanged.connect(lambda *_: self._update_buttons())

        layout = QVBoxLayout(self)
        layout.addWidget(self.list)
        layout.addWidget(self.empty_label)
        layout.addWidget(buttons)
        fit_to_screen(self, 520, 360)
        self._fill()

    def chosen_slug(self) -> str | None:
        item = self.list.currentItem()
        return item.data(0, SLUG_ROLE) if item else None

    def _fill(self) -> None:
        self.list.clear()
        for briefing in sorted(self.store.briefings(), key=lambda b: b.updated, reverse=True):
            item = QTreeWidgetItem([briefing.name, briefing.updated[:16].replace("T", " ")])
            item.setData(0, SLUG_ROLE, briefing.slug)
            self.list.addTopLevelItem(item)
        if self.list.topLevelItemCount():
            self.list.setCurrentItem(self.list.topLevelItem(0))
        self.empty_label.setVisible(self.list.topLevelItemCount() == 0)
        self._update_buttons()

    def _update_buttons(self) -> None:
        chosen = self.list.currentItem() is not None
        self.open_button.setEnabled(chosen)
        self.delete_button.setEnabled(chosen)

    def _delete(self) -> None:
        item = self.list.currentItem()
        if item is None:
            return
        answer = QMessageBox.question(
            self,
            "Delete briefing",
            f"Delete the saved briefing “{item.text(0)}”? Exported files are not touched.",
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.store.delete_briefing(item.data(0, SLUG_ROLE))
            self._fill()
