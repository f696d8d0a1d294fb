"""Importing a CSV or JSON file into the knowledge base, and the problem report.

An import is all or nothing: the store checks every row first. When a file
has problems the report lists each one with its line and column, says that
nothing was written, and can be copied so the user can fix the file in a
spreadsheet.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.errors import BriefingError, ImportValidationError
from briefing_app.gui.window_fit import fit_to_screen, remember_folder, start_folder
from briefing_app.store import ENTITIES


def singular(entity: str) -> str:
    """One record of ``entity``: "clusters" -> "cluster", "policies" -> "policy"."""
    if entity.endswith("ies"):
        return entity[:-3] + "y"
    return entity[:-1] if entity.endswith("s") else entity


def counted(count: int, entity: str) -> str:
    """ "1 cluster", "2 clusters", "0 policies"."""
    return f"{count} {singular(entity) if count == 1 else entity}"


def imported_text(count: int, entity: str) -> str:
    """ "1 cluster imported", "2 clusters imported"."""
    return f"{counted(count, entity)} imported"


class ImportReportDialog(QDialog):
    """Every problem of a refused import, one per row: line, column, problem."""

    def __init__(self, error: ImportValidationError, file_name: str, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("Import refused")
        fit_to_screen(self, 760, 460)
        self.error = error
        count = len(error.problems)
        summary = QLabel(
            f"<b>{file_name}</b> has {count} problem{'s' if count != 1 else ''}. "
            "<b>Nothing was imported</b>: correct the file and import it again."
        )
        summary.setWordWrap(True)
        self.table = QTableWidget(count, 3, self)
        self.table.setHorizontalHeaderLabels(["Line", "Column", "Problem"])
        self.table.verticalHeader().hide()
        self.table.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.table.setWordWrap(True)
        for row, problem in enumerate(error.problems):
            line = str(problem.line) if problem.line else "whole file"
            for column, text in enumerate((line, problem.column, problem.message)):
                self.table.setItem(row, column, QTableWidgetItem(text))
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        copy = QPushButton("Copy report")
        copy.clicked.connect(self.copy_report)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.addButton(copy, QDialogButtonBox.ButtonRole.ActionRole)
        layout = QVBoxLayout(self)
        layout.addWidget(summary)
        layout.addWidget(self.table, 1)
        layout.addWidget(buttons)

    def report_text(self) -> str:
        return "\n".join(str(problem) for problem in self.error.problems)

    def copy_report(self) -> None:
        QApplication.clipboard().setText(self.report_text())


class ImportDialog(QDialog):
    """Choose what kind of records a file holds and the file; then import it."""

    def __init__(self, store, entity: str | None = None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.imported = 0  # rows written by the last successful import
        self.setWindowTitle("Import records")
        self.entity_box = QComboBox()
        self.entity_box.addItems(list(ENTITIES))
        if entity in ENTITIES:
            self.entity_box.setCurrentText(entity)
        self.path_edit = QLineEdit()
        self.path_edit.setPlaceholderText("A .csv or .json file")
        browse = QPushButton("Browse…")
        browse.clicked.connect(self.browse)
        file_row = QHBoxLayout()
        file_row.addWidget(self.path_edit, 1)
        file_row.addWidget(browse)
        form = QFormLayout()
        form.addRow("Records:", self.entity_box)
        form.addRow("File:", file_row)
        note = QLabel(
            "Columns are the record's field names (as in an export). A row whose slug "
            "exists already updates that record. If any row has a problem, nothing is "
            "imported and you get the full list. A backup is taken before writing."
        )
        note.setWordWrap(True)
        note.setStyleSheet("color: #555;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setText("Import")
        self.buttons.accepted.connect(self.run_import)
        self.buttons.rejected.connect(self.reject)
        self.path_edit.textChanged.connect(self._update_ok)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(note)
        layout.addWidget(self.buttons)
        self._update_ok()

    @property
    def entity(self) -> str:
        return self.entity_box.currentText()

    def browse(self) -> None:
        typed = self.path_edit.text().strip()
        start = typed if typed and Path(typed).parent.is_dir() else start_folder(self)
        path, _ = QFileDialog.getOpenFileName(
            self, "Choose a file to import", start, "Data files (*.csv *.json);;All files (*)"
        )
        if path:
            remember_folder(self, path)
            self.path_edit.setText(path)

    def _update_ok(self) -> None:
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(
            bool(self.path_edit.text().strip())
        )

    def run_import(self) -> bool:
        """Import the chosen file; show the report (and stay open) when refused."""
        path = Path(self.path_edit.text().strip())
        try:
            self.imported = self.store.import_file(self.entity, path)
        except ImportValidationError as error:
            ImportReportDialog(error, path.name, self).exec()
            return False
        except BriefingError as error:
            QMessageBox.warning(self, "Import failed", f"{path.name} was not imported: {error}")
            return False
        QMessageBox.information(
            self,
            "Import finished",
            f"{imported_text(self.imported, self.entity)} from {path.name}.",
        )
        self.accept()
        return True
