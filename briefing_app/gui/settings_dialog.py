"""Edit > Preferences: the user-facing settings of :mod:`briefing_app.gui.settings`."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QWidget,
)

from briefing_app import paths
from briefing_app.gui import settings as keys
from briefing_app.gui.settings import PAGE_SIZES, AppSettings
from briefing_app.gui.window_fit import fit_to_screen, start_folder


class SettingsDialog(QDialog):
    """Output folder, page size, author, database location, recent list."""

    def __init__(self, settings: AppSettings, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Preferences")
        self.settings = settings

        self.output_folder = QLineEdit(settings.get(keys.OUTPUT_FOLDER))
        self.output_folder.setAccessibleName(keys.OUTPUT_FOLDER.label)
        self.output_folder.setToolTip("Where exports go unless you choose another place")
        self.page_size = QComboBox()
        self.page_size.addItems(PAGE_SIZES)
        self.page_size.setCurrentText(settings.page_size)
        self.page_size.setAccessibleName(keys.PAGE_SIZE.label)
        self.page_size.setToolTip("Paper size of new briefings (Word and PDF)")
        self.author = QLineEdit(settings.get(keys.AUTHOR))
        self.author.setAccessibleName(keys.AUTHOR.label)
        self.author.setToolTip("Default deliverable lead on the cover")
        self.database = QLineEdit(settings.get(keys.DATABASE_PATH))
        self.database.setAccessibleName(keys.DATABASE_PATH.label)
        self.database.setPlaceholderText(str(paths.default_db_path()))
        self.database.setToolTip(
            "The knowledge base to open; empty for the default. Used at next start."
        )

        clear_recent = QPushButton("Clear the list of recent briefings")
        clear_recent.setEnabled(bool(settings.recent_briefings()))
        clear_recent.clicked.connect(
            lambda: (settings.set(keys.RECENT_BRIEFINGS, []), clear_recent.setEnabled(False))
        )

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.accepted.connect(self._save)
        buttons.rejected.connect(self.reject)

        form = QFormLayout(self)
        form.addRow("Default &output folder", _with_browse(self.output_folder, self._browse_folder))
        form.addRow("&Page size", self.page_size)
        form.addRow("&Author", self.author)
        form.addRow("&Knowledge base", _with_browse(self.database, self._browse_database))
        note = QLabel("A new knowledge base location is used the next time the application starts.")
        note.setWordWrap(True)
        form.addRow("", note)
        form.addRow("", clear_recent)
        form.addRow(buttons)
        fit_to_screen(self, 620, self.sizeHint().height())

    def _browse_folder(self) -> None:
        chosen = QFileDialog.getExistingDirectory(
            self, "Default output folder", self.output_folder.text().strip() or start_folder(self)
        )
        if chosen:
            self.output_folder.setText(chosen)

    def _browse_database(self) -> None:
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Knowledge base",
            self.database.text() or str(paths.default_db_path()),
            "SQLite databases (*.sqlite *.db);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.database.setText(chosen)

    def _save(self) -> None:
        self.settings.set(
            keys.OUTPUT_FOLDER, self.output_folder.text().strip() or keys.OUTPUT_FOLDER.default
        )
        self.settings.set(keys.PAGE_SIZE, self.page_size.currentText())
        self.settings.set(keys.AUTHOR, self.author.text().strip())
        self.settings.set(keys.DATABASE_PATH, self.database.text().strip())
        self.settings.sync()
        self.accept()


def _with_browse(edit: QLineEdit, on_browse) -> QWidget:
    box = QWidget()
    row = QHBoxLayout(box)
    row.setContentsMargins(0, 0, 0, 0)
    row.addWidget(edit, 1)
    button = QPushButton("Browse…")
    button.setAccessibleName(f"Browse for {edit.accessibleName().lower()}")
    button.clicked.connect(on_browse)
    row.addWidget(button)
    return box
