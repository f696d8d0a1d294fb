"""Exporting in the background, with progress and Cancel.

:class:`ExportWorker` runs on its own thread with its own store connection:
it hands the selection to ``briefing_app.export.export_selection``, which
builds the document and writes each format. The progress callback it passes both
reports progress and is where a Cancel takes effect: it raises
``errors.Cancelled``, and the core's atomic writes leave no partial file.
:class:`ExportJob` owns the thread and lives as long as one export.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from PySide6.QtCore import QObject, QThread, Signal, Slot

from briefing_app.errors import BriefingError, Cancelled

log = logging.getLogger(__name__)

FORMAT_SUFFIX = {"docx": ".docx", "pdf": ".pdf"}


class ExportWorker(QObject):
    """Builds and writes the briefing; lives on the export thread."""

    progressed = Signal(int)  # percent
    succeeded = Signal(list)  # paths written, as strings
    failed = Signal(str)
    cancelled = Signal()

    def __init__(self, db_path: Path, selection, output: Path, formats: tuple[str, ...]):
        super().__init__()
        self.db_path = Path(db_path)
        self.selection = selection
        self.output = Path(output)
        self.formats = tuple(formats)
        self._cancel = threading.Event()

    def cancel(self) -> None:
        """Ask the export to stop at its next progress report (any thread)."""
        self._cancel.set()

    def _progress(self, fraction: float) -> None:
        if self._cancel.is_set():
            raise Cancelled()
        self.progressed.emit(int(round(100 * max(0.0, min(1.0, fraction)))))

    @Slot()
    def run(self) -> None:
        from briefing_app.export import export_selection
        from briefing_app.store import open_store

        try:
            self._progress(0.0)
            with open_store(self.db_path) as store:
                written = export_selection(
                    store, self.selection, self.output, self.formats, self._progress
                )
        except Cancelled:
            self.cancelled.emit()
        except BriefingError as exc:
            self.failed.emit(str(exc))
        except OSError as exc:
            self.failed.emit(f"cannot write {exc.filename or self.output}: {exc.strerror or exc}")
        except Exception as exc:  # a bug must end up in a message, not a dead thread
            log.exception("export failed")
            self.failed.emit(f"unexpected problem while exporting: {exc!r}")
        else:
            self.progressed.emit(100)
            self.succeeded.emit([str(p) for p in written])


class ExportJob(QObject):
    """One export: the worker, its thread, and a single ``done`` at the end."""

    # outcome ("succeeded" | "failed" | "cancelled"), detail (paths, message, "").
    # Never None through an ``object`` signal: PySide6 mishandles its refcount.
    done = Signal(str, object)

    def __init__(
        self,
        db_path: Path,
        selection,
        output: Path,
        formats: tuple[str, ...],
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.output = Path(output)
        self.formats = tuple(formats)
        self.outcome: str | None = None
        self.detail: object = None
        self.worker = ExportWorker(db_path, selection, output, formats)
        self.thread = QThread(self)
        self.thread.setObjectName("export")
        self.worker.moveToThread(self.thread)
        self.thread.started.connect(self.worker.run)
        # Bound slots of this object (which lives on the GUI thread) make the
        # connections queued: the ending runs on the GUI thread, never on the
        # export thread that it waits for.
        self.worker.succeeded.connect(self._on_succeeded)
        self.worker.failed.connect(self._on_failed)
        self.worker.cancelled.connect(self._on_cancelled)

    def start(self) -> None:
        self.thread.start()

    def cancel(self) -> None:
        self.worker.cancel()

    def is_running(self) -> bool:
        return self.outcome is None

    def wait(self) -> None:
        """Block until the thread has stopped (the window is closing)."""
        self.thread.quit()
        self.thread.wait()

    @Slot(list)
    def _on_succeeded(self, paths: list) -> None:
        self._end("succeeded", paths)

    @Slot(str)
    def _on_failed(self, message: str) -> None:
        self._end("failed", message)

    @Slot()
    def _on_cancelled(self) -> None:
        self._end("cancelled", "")

    def _end(self, outcome: str, detail: object) -> None:
        self.outcome = outcome
        self.detail = detail
        self.thread.quit()
        self.thread.wait()
        self.done.emit(outcome, detail)
