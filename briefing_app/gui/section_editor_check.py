"""Checking a template while it is typed.

Each key press restarts a short timer; when the typing pauses the template is
rendered against the current selection. The store's SQLite connection belongs
to the GUI thread, and a section renders in a few milliseconds, so the check
runs right there rather than in a worker: the pause is what keeps typing
smooth.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QObject, QTimer, Signal

from briefing_app.document import Document
from briefing_app.errors import BriefingError, TemplateError

CHECK_DELAY_MS = 300


@dataclass(frozen=True)
class CheckResult:
    """What one render of the editor's text gave: a document or an error."""

    document: Document | None = None
    message: str = ""
    line: int | None = None
    column: int | None = None

    @property
    def ok(self) -> bool:
        return self.document is not None

    @property
    def where(self) -> str:
        """ "line 4, column 12" (or less when the position is not known)."""
        if self.line is None:
            return ""
        if self.column is None:
            return f"line {self.line}"
        return f"line {self.line}, column {self.column}"

    @property
    def summary(self) -> str:
        """The message as shown in the error bar."""
        return f"{self.where}: {self.message}" if self.where else self.message


def check_template(render: Callable[[str], Document], body: str) -> CheckResult:
    """Render ``body``; turn any failure into a :class:`CheckResult`."""
    try:
        return CheckResult(document=render(body))
    except TemplateError as error:
        return CheckResult(message=error.message, line=error.line, column=error.column)
    except BriefingError as error:
        # e.g. the selection names a region that was deleted meanwhile
        return CheckResult(message=str(error))
    except Exception as error:  # noqa: BLE001
        # A half-typed template must never take the editor down; the message
        # is still shown so a real fault does not go unnoticed.
        return CheckResult(message=f"unexpected error while rendering: {error}")


class TemplateChecker(QObject):
    """Debounced renderer: ``schedule`` on every change, ``checked`` when done."""

    checked = Signal(object)  # CheckResult

    def __init__(
        self,
        render: Callable[[str], Document],
        delay_ms: int = CHECK_DELAY_MS,
        parent: QObject | None = None,
    ):
        super().__init__(parent)
        self.render = render
        self.last: CheckResult | None = None
        self._pending = ""
        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(delay_ms)
        self._timer.timeout.connect(self._run_pending)

    def schedule(self, body: str) -> None:
        """Check ``body`` once typing has paused."""
        self._pending = body
        self._timer.start()

    def check_now(self, body: str) -> CheckResult:
        """Check at once (before saving, or when the selection changed)."""
        self._timer.stop()
        self.last = check_template(self.render, body)
        self.checked.emit(self.last)
        return self.last

    def cancel(self) -> None:
        self._timer.stop()

    def _run_pending(self) -> None:
        self.check_now(self._pending)
