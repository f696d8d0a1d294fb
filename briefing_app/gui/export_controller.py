"""File > Export: the dialog, the background job, its progress and the outcome.

The window stays usable while an export runs; a progress dialog shows how far
it is and offers Cancel. The outcome is told without blocking: a message box
opened with ``open()`` offers to open the file or its folder on success, and
says what went wrong otherwise (no partial file is ever left behind).
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QMessageBox, QProgressDialog

from briefing_app.gui.export_dialog import ExportDialog
from briefing_app.gui.export_worker import ExportJob


class ExportController(QObject):
    """Runs one export at a time for a main window."""

    finished = Signal(str, object)  # outcome, detail (paths or message)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.job: ExportJob | None = None
        self.progress: QProgressDialog | None = None
        self.result_box: QMessageBox | None = None

    def ask_and_export(self) -> None:
        if self.job is not None:
            self.window.status("An export is already running")
            return
        dialog = ExportDialog(self.window.settings, self.window.document_title(), self.window)
        if dialog.exec():
            self.start(dialog.formats(), dialog.output())

    def start(self, formats: tuple[str, ...], output: Path) -> ExportJob:
        """Export the current selection to ``output`` in the background."""
        self.job = ExportJob(
            self.window.store.path, self.window.current_selection(), output, formats, self
        )
        self.progress = QProgressDialog("Exporting the briefing…", "Cancel", 0, 100, self.window)
        self.progress.setWindowTitle("Export")
        self.progress.setWindowModality(Qt.WindowModality.NonModal)
        self.progress.setMinimumDuration(300)
        self.progress.setAutoClose(False)
        self.progress.setAutoReset(False)
        self.progress.canceled.connect(self.cancel)
        self.job.worker.progressed.connect(self.progress.setValue)
        self.job.done.connect(self._on_done)
        self.window.status("Exporting…")
        self.job.start()
        return self.job

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            if self.progress is not None:
                self.progress.setLabelText("Cancelling…")

    def shutdown(self) -> None:
        """Cancel and wait for a running export (the window is closing)."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait()

    def _on_done(self, outcome: str, detail: object) -> None:
        if self.progress is not None:
            self.progress.canceled.disconnect(self.cancel)
            self.progress.close()
            self.progress.deleteLater()
            self.progress = None
        self.job = None
        if outcome == "succeeded":
            self._tell_success([Path(p) for p in detail])
        elif outcome == "cancelled":
            self.window.status("Export cancelled; no file was written")
        else:
            self.window.status("Export failed")
            box = self._result_box(
                QMessageBox.Icon.Critical,
                "Export failed",
                "The briefing was not exported; no file was written.",
                str(detail),
            )
            box.addButton(QMessageBox.StandardButton.Close)
            box.open()
        self.finished.emit(outcome, detail)

    def _tell_success(self, paths: list[Path]) -> None:
        names = ", ".join(p.name for p in paths)
        self.window.status(f"Exported {names}")
        box = self._result_box(
            QMessageBox.Icon.Information,
            "Export finished",
            f"Exported {names}",
            f"Folder: {paths[0].parent}" if paths else "",
        )
        open_file = box.addButton("Open file", QMessageBox.ButtonRole.AcceptRole)
        open_folder = box.addButton("Open folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        open_file.clicked.connect(lambda: _open(paths[0]))
        open_folder.clicked.connect(lambda: _open(paths[0].parent))
        box.open()

    def _result_box(self, icon, title: str, text: str, details: str) -> QMessageBox:
        if self.result_box is not None:
            self.result_box.close()
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, self.window)
        box.setInformativeText(details)
        box.setObjectName("export-result")
        self.result_box = box
        return box


def _open(path: Path) -> None:
    QDesktopServices.openUrl(QUrl.fromLocalFile(str(path)))
