"""The right-hand panel: the briefing as it will read.

Every change of selection, outline or cover asks for a refresh; the panel
waits a moment (so a burst of edits costs one build), hands the build to the
background :class:`~briefing_app.gui.document_builder.BuilderThread`, and
shows only the answer to its newest request. Typing waits for a pause
(:data:`DEBOUNCE_MS`); a click in the selection starts almost at once
(:data:`SELECTION_DELAY_MS`), still merging the signals of one action.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

from PySide6.QtCore import Qt, QTimer, Signal, Slot
from PySide6.QtWidgets import (
    QButtonGroup,
    QHBoxLayout,
    QLabel,
    QTextBrowser,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from briefing_app.gui.document_builder import BuilderThread, BuildRequest

DEBOUNCE_MS = 150  # typing in the cover fields, outline edits
# A selection click: just long enough that the several signals one action
# sends (a country change resets regions and sectors) make one build.
SELECTION_DELAY_MS = 10
IMAGE_WIDTH = re.compile(r'(<img\b[^>]*\bwidth=")(\d+)(")')


def fit_images(page: str, max_width: int) -> str:
    """Narrow the pictures of ``page`` to ``max_width`` pixels at most, so a
    chart never needs a horizontal scroll bar in a narrow preview."""

    def narrow(match: re.Match) -> str:
        width = min(int(match.group(2)), max(120, max_width))
        return f"{match.group(1)}{width}{match.group(3)}"

    return IMAGE_WIDTH.sub(narrow, page)


class PreviewPanel(QWidget):
    """A QTextBrowser fed by the HTML renderer, refreshed in the background."""

    started = Signal()  # a build has been handed to the background thread
    shown = Signal()  # a page of the newest request is shown (its charts may follow)
    ready = Signal()  # the newest request's page is shown, charts drawn
    metadataBuilt = Signal(object)  # Metadata of the whole briefing just built
    leftOutFound = Signal(object)  # {outline key: reason} the whole briefing leaves out
    failed = Signal(str)

    def __init__(self, db_path: Path, parent: QWidget | None = None):
        super().__init__(parent)
        self.generation = 0
        self._selection = None
        self._planned: tuple | None = None
        self._item = None
        self._busy = False

        self.whole_button = _mode_button("Whole briefing", "Preview the whole briefing")
        self.section_button = _mode_button(
            "Current section", "Preview only the section chosen in the outline"
        )
        self.whole_button.setChecked(True)
        modes = QButtonGroup(self)
        modes.addButton(self.whole_button)
        modes.addButton(self.section_button)
        self.status_label = QLabel(self)
        self.status_label.setAccessibleName("Preview status")
        self.status_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)

        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("Preview")
        self.browser.setOpenExternalLinks(True)
        self.browser.setToolTip("")

        top = QHBoxLayout()
        top.addWidget(self.whole_button)
        top.addWidget(self.section_button)
        top.addStretch(1)
        top.addWidget(self.status_label)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(top)
        layout.addWidget(self.browser, 1)

        self._timer = QTimer(self)
        self._timer.setSingleShot(True)
        self._timer.setInterval(DEBOUNCE_MS)
        self._timer.timeout.connect(self._submit)
        self.worker = BuilderThread(db_path, self)
        self.worker.builder.built.connect(self._on_built)
        self.worker.builder.failed.connect(self._on_failed)
        self.worker.builder.leftOut.connect(self._on_left_out)
        modes.buttonClicked.connect(lambda _button: self.refresh())

    # --- requests ------------------------------------------------------------

    def show_selection(self, selection, planned=None, soon: bool = False) -> None:
        """Preview ``selection`` (an assembly Selection) after a pause.

        ``planned`` is the blueprint's outline for exactly this selection when
        the caller has just planned it (the build then skips planning).
        ``soon`` marks a discrete change (a click in the selection): the build
        starts after :data:`SELECTION_DELAY_MS` instead of the typing pause.
        """
        self._selection = selection
        self._planned = tuple(planned) if planned is not None else None
        self.refresh(SELECTION_DELAY_MS if soon else DEBOUNCE_MS)

    def show_item(self, item) -> None:
        """Remember the outline item to preview in "Current section" mode."""
        self._item = item or None  # "" from the outline means no item
        if self.section_button.isChecked():
            self.refresh()

    def refresh(self, delay_ms: int = DEBOUNCE_MS) -> None:
        """Build again after ``delay_ms``; a newer refresh restarts the wait."""
        if self._selection is None:
            return
        self.status_label.setText("Updating…")
        self._timer.start(delay_ms)

    def refresh_now(self) -> None:
        self._timer.stop()
        self._submit()

    def is_busy(self) -> bool:
        return self._busy or self._timer.isActive()

    def _submit(self) -> None:
        if self._selection is None:
            return
        self.generation += 1
        item = self._item if self.section_button.isChecked() else None
        self._busy = True
        self.worker.submit(BuildRequest(self.generation, self._selection, item, self._planned))
        self.started.emit()

    # --- answers -------------------------------------------------------------

    @Slot(int, str, object, bool)
    def _on_built(self, generation: int, page: str, metadata, complete: bool) -> None:
        if generation != self.generation:
            return  # an older request finished after a newer one was sent
        scroll = self.browser.verticalScrollBar().value()
        # Leave room for the vertical scroll bar that a long page brings.
        room = (
            self.browser.viewport().width()
            - self.browser.verticalScrollBar().sizeHint().width()
            - 30
        )
        self.browser.setHtml(fit_images(page, room))
        self.browser.verticalScrollBar().setValue(scroll)
        if not complete:
            self.status_label.setText("Drawing charts…")
            self.shown.emit()
            return
        self._finish("Up to date")
        # A section's preview carries the whole briefing's metadata too: the
        # cover defaults follow the selection in either mode.
        if metadata is not None:
            self.metadataBuilt.emit(metadata)
        self.shown.emit()
        self.ready.emit()

    @Slot(int, object)
    def _on_left_out(self, generation: int, reasons) -> None:
        if generation == self.generation:
            self.leftOutFound.emit(reasons)

    @Slot(int, str)
    def _on_failed(self, generation: int, message: str) -> None:
        if generation != self.generation:
            return
        self.browser.setHtml(
            "<h3 style='color:#a40000'>The briefing cannot be built</h3>"
            f"<p>{html.escape(message)}</p>"
            "<p>Fix the section named above (Tools ▸ Section editor) or change the selection.</p>"
        )
        self._finish("Problem: see the preview")
        self.failed.emit(message)

    def _finish(self, status: str) -> None:
        self._busy = self._timer.isActive()
        self.status_label.setText(status)

    def shutdown(self) -> None:
        """Stop the background thread (the window is closing)."""
        self._timer.stop()
        self.worker.stop()


def _mode_button(text: str, tip: str) -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(text)
    button.setCheckable(True)
    button.setAutoRaise(True)
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    return button
