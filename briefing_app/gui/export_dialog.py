"""Asking where and in which formats to export.

One format goes to a file the user names; both formats go to a folder, each
file named after what the briefing is (``export.selection_stem``: title,
sectors, partnerships). The choice of format is remembered.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from briefing_app.gui import settings as keys
from briefing_app.gui.export_worker import FORMAT_SUFFIX
from briefing_app.gui.settings import AppSettings
from briefing_app.gui.window_fit import fit_to_screen, remember_folder

FORMAT_CHOICES = {"docx": ("docx",), "pdf": ("pdf",), "both": ("docx", "pdf")}


class ExportDialog(QDialog):
    """Formats (Word, PDF, both) and the destination file or folder."""

    def __init__(self, settings: AppSettings, stem: str, parent: QWidget | None = None):
        """``stem``: the file name without suffix (``export.selection_stem``)."""
        super().__init__(parent)
        self.setWindowTitle("Export briefing")
        self.settings = settings
        self.stem = stem

        self.word = QRadioButton("&Word (.docx)")
        self.pdf = QRadioButton("&PDF")
        self.both = QRadioButton("&Both Word and PDF")
        self._radios = {"docx": self.word, "pdf": self.pdf, "both": self.both}
        for choice, radio in self._radios.items():
            radio.setAccessibleName(radio.text().replace("&", ""))
            radio.toggled.connect(lambda on, c=choice: on and self._on_format(c))
        formats = QVBoxLayout()
        for radio in self._radios.values():
            formats.addWidget(radio)

        self.destination = QLineEdit(self)
        self.destination.setAccessibleName("Export destination")
        self.destination.setToolTip("The file to write, or the folder for both formats")
        browse = QPushButton("Br&owse…", self)
        browse.setToolTip("Choose the file or folder")
        browse.clicked.connect(self._browse)
        where = QHBoxLayout()
        where.addWidget(self.destination, 1)
        where.addWidget(browse)

        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, parent=self
        )
        buttons.button(QDialogButtonBox.StandardButton.Ok).setText("&Export")
        buttons.accepted.connect(self._accept)
        buttons.rejected.connect(self.reject)

        # With both formats the field names a folder: say what goes in it.
        self.names = QLabel(self)
        self.names.setAccessibleName("Files to write")
        self.names.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.names.setWordWrap(True)
        form = QFormLayout(self)
        form.addRow("Format", formats)
        form.addRow("Save to", where)
        form.addRow("", self.names)
        form.addRow(buttons)
        fit_to_screen(self, 560, self.sizeHint().height())

        remembered = settings.get(keys.EXPORT_FORMAT)
        self._radios.get(remembered, self.both).setChecked(True)
        self._on_format(self.format_choice())

    def format_choice(self) -> str:
        return next(choice for choice, radio in self._radios.items() if radio.isChecked())

    def formats(self) -> tuple[str, ...]:
        return FORMAT_CHOICES[self.format_choice()]

    def output(self) -> Path:
        return Path(self.destination.text().strip()).expanduser()

    def _on_format(self, choice: str) -> None:
        current = self.destination.text().strip()
        folder = self.settings.output_folder
        if current:
            path = Path(current)
            folder = path if not path.suffix else path.parent
        if choice == "both":
            self.destination.setText(str(folder))
            self.names.setText(f"Files: {self.stem}.docx and {self.stem}.pdf")
        else:
            self.destination.setText(str(folder / f"{self.stem}{FORMAT_SUFFIX[choice]}"))
            self.names.setText("")
        self.names.setVisible(choice == "both")

    def _browse(self) -> None:
        choice = self.format_choice()
        if choice == "both":
            chosen = QFileDialog.getExistingDirectory(
                self, "Export to folder", self.destination.text()
            )
        else:
            pattern = "Word documents (*.docx)" if choice == "docx" else "PDF documents (*.pdf)"
            chosen, _ = QFileDialog.getSaveFileName(
                self, "Export to file", self.destination.text(), pattern
            )
            if chosen and not chosen.lower().endswith(FORMAT_SUFFIX[choice]):
                chosen += FORMAT_SUFFIX[choice]
        if chosen:
            remember_folder(self, chosen)
            self.destination.setText(chosen)

    def _accept(self) -> None:
        if not self.destination.text().strip():
            self.destination.setFocus()
            return
        self.settings.set(keys.EXPORT_FORMAT, self.format_choice())
        folder = self.output() if self.format_choice() == "both" else self.output().parent
        if folder.is_dir():
            self.settings.set(keys.OUTPUT_FOLDER, str(folder))
        self.accept()
