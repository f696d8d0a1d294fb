"""File > Export: the dialog, the background job, its progress and the outcome.

The window stays usable while an export runs; a progress dialog shows how far
it is and offers Cancel. Files are named after what the briefing is
(``export.selection_stem``); when a file of that name exists the user is asked
first, as Word does: Replace, Keep both (the new file gets " (2)") or Cancel.
The outcome is told without blocking: a message box opened with ``open()``
offers to open the PDF (the format a reader opens) or the Word file, or their
folder, on success, and says what went wrong otherwise (no partial file is
ever left behind). Where no program can open the folder, its path is shown
to copy.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QObject, Qt, QUrl, Signal
from PySide6.QtGui import QDesktopServices
from PySide6.QtWidgets import QApplication, QMessageBox, QProgressDialog

from briefing_app.export import output_paths, selection_stem
from briefing_app.gui.export_dialog import ExportDialog
from briefing_app.gui.export_worker import ExportJob

PROGRESS_TITLE = "Exporting"
REPLACE, KEEP_BOTH, CANCEL = "replace", "keep-both", "cancel"


class ExportController(QObject):
    """Runs one export at a time for a main window."""

    finished = Signal(str, object)  # outcome, detail (paths or message)

    def __init__(self, window) -> None:
        super().__init__(window)
        self.window = window
        self.job: ExportJob | None = None
        self.progress: QProgressDialog | None = None
        self.result_box: QMessageBox | None = None
        self.location_box: QMessageBox | None = None

    def ask_and_export(self) -> None:
        if self.job is not None:
            self.window.status("An export is already running")
            return
        selection = self.window.current_selection()
        stem = selection_stem(self.window.document_title(), selection)
        dialog = ExportDialog(self.window.settings, stem, self.window)
        if not dialog.exec():
            return
        formats = dialog.formats()
        output = dialog.output()
        if dialog.format_choice() == "both":
            output = output / stem  # both files in that folder, named after the briefing
        output = self.settle_existing(formats, output)
        if output is not None:
            self.start(formats, output)

    def settle_existing(self, formats: tuple[str, ...], output: Path) -> Path | None:
        """Where to write: ``output``, or beside it with " (2)" when the user
        keeps the existing files; None when the user cancels."""
        targets = target_paths(formats, output)
        existing = [p for p in targets if p.exists()]
        if not existing:
            return output
        answer = self.ask_replace(existing)
        if answer == REPLACE:
            return output
        if answer == KEEP_BOTH:
            return free_name(formats, output)
        self.window.status("Export cancelled; the existing files are unchanged")
        return None

    def ask_replace(self, existing: list[Path]) -> str:
        """Replace, Keep both or Cancel, as Word asks when a file exists."""
        names = "\n".join(p.name for p in existing)
        which = "A file" if len(existing) == 1 else "Files"
        box = QMessageBox(
            QMessageBox.Icon.Question,
            "Replace existing file?",
            f"{which} with this name already exist{'s' if len(existing) == 1 else ''} "
            f"in {existing[0].parent}:\n{names}\n\nReplace, or keep both?",
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        box.setObjectName("export-replace")
        replace = box.addButton("&Replace", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("&Keep both", QMessageBox.ButtonRole.AcceptRole)
        cancel = box.addButton(QMessageBox.StandardButton.Cancel)
        replace.setToolTip("Write over the existing file")
        keep.setToolTip("Write the new file beside it, with “ (2)” added to its name")
        box.setDefaultButton(keep)  # Enter never loses a file
        box.setEscapeButton(cancel)
        box.exec()
        clicked = box.clickedButton()
        return REPLACE if clicked is replace else KEEP_BOTH if clicked is keep else CANCEL

    def start(self, formats: tuple[str, ...], output: Path) -> ExportJob:
        """Export the current selection to ``output`` in the background."""
        self.job = ExportJob(
            self.window.store.path, self.window.current_selection(), output, formats, self
        )
        self.progress = QProgressDialog("Exporting the briefing…", "Cancel", 0, 100, self.window)
        self.progress.setWindowTitle(PROGRESS_TITLE)
        # Wide enough for its title as the window system shows it, with the
        # application's name added ("Exporting — Briefing Builder").
        shown = f"{PROGRESS_TITLE} — {QApplication.applicationDisplayName()}"
        self.progress.setMinimumWidth(self.progress.fontMetrics().horizontalAdvance(shown) + 140)
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
        main = reader_file(paths)
        open_file = box.addButton(open_label(main), QMessageBox.ButtonRole.AcceptRole)
        open_folder = box.addButton("Open &folder", QMessageBox.ButtonRole.ActionRole)
        box.addButton(QMessageBox.StandardButton.Close)
        open_file.setToolTip(str(main))
        open_folder.setToolTip(str(main.parent))
        open_file.clicked.connect(lambda: self.open_path(main))
        open_folder.clicked.connect(lambda: self.open_path(main.parent))
        box.open()

    def open_path(self, path: Path) -> bool:
        """Open ``path`` with the desktop's program; where there is none (no
        file manager, say), show where it is, to copy."""
        if QDesktopServices.openUrl(QUrl.fromLocalFile(str(path))):
            return True
        self.show_location(path)
        return False

    def show_location(self, path: Path) -> QMessageBox:
        kind = "folder" if path.is_dir() else "file"
        box = QMessageBox(
            QMessageBox.Icon.Information,
            f"Open {kind}",
            f"No program on this computer opens the {kind}. It is here:",
            QMessageBox.StandardButton.NoButton,
            self.window,
        )
        box.setObjectName("export-location")
        box.setInformativeText(str(path))
        box.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        copy = box.addButton("&Copy path", QMessageBox.ButtonRole.ActionRole)
        copy.clicked.disconnect()  # copying does not close the box
        copy.clicked.connect(lambda: QApplication.clipboard().setText(str(path)))
        box.addButton(QMessageBox.StandardButton.Close)
        self.location_box = box
        box.open()
        return box

    def _result_box(self, icon, title: str, text: str, details: str) -> QMessageBox:
        if self.result_box is not None:
            self.result_box.close()
        box = QMessageBox(icon, title, text, QMessageBox.StandardButton.NoButton, self.window)
        box.setInformativeText(details)
        box.setObjectName("export-result")
        self.result_box = box
        return box


def target_paths(formats: tuple[str, ...], output: Path) -> list[Path]:
    """The files an export of ``formats`` to the file path ``output`` writes."""
    return output_paths(None, output, formats, stem=output.name)


def free_name(formats: tuple[str, ...], output: Path) -> Path:
    """``output`` with " (2)", " (3)", ... added to its name, the first for
    which no file of ``formats`` exists ("brief.pdf" -> "brief (2).pdf")."""
    suffix = output.suffix if output.suffix.lower() in (".docx", ".pdf") else ""
    base = output.with_suffix("") if suffix else output
    number = 2
    while True:
        candidate = base.with_name(f"{base.name} ({number}){suffix}")
        if not any(p.exists() for p in target_paths(formats, candidate)):
            return candidate
        number += 1


def reader_file(paths: list[Path]) -> Path:
    """The file a reader opens: the PDF when there is one."""
    return next((p for p in paths if p.suffix.lower() == ".pdf"), paths[0])


def open_label(path: Path) -> str:
    return "Open &PDF" if path.suffix.lower() == ".pdf" else "&Open Word file"
