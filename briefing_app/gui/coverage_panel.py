"""The Coverage tab: what the briefing will show, section by section, and what
it lacks, before anything is built (assembly.coverage does the counting).

The report is worked out only while the tab is on screen, a short pause
after the last change of selection: counting reads cached tables and takes
a fraction of a second even for a large knowledge base, so it runs on the
UI thread without a worker.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QSpinBox,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.assembly.coverage import DEFAULT_MAX_AGE, CoverageReport, coverage
from briefing_app.assembly.script import SCRIPT_LABELS, SCRIPTS
from briefing_app.errors import BriefingError

DELAY_MS = 300
ORIGIN_WORDS = {
    "country": "written for the country",
    "variant": "variant",
    "generic": "generic text",
}
_GAP = QColor("#9a3412")


class CoveragePanel(QWidget):
    """A tree of outline items with the data each draws on, the gaps in red."""

    refreshed = Signal(object)  # the CoverageReport shown, or None after an error

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.report: CoverageReport | None = None
        self._selection = None
        self._timer = QTimer(self, singleShot=True, interval=DELAY_MS)
        self._timer.timeout.connect(self.refresh_now)

        self.summary = QLabel("Choose a country to see what the briefing will hold.", self)
        self.summary.setWordWrap(True)
        self.max_age = QSpinBox(self)
        self.max_age.setRange(0, 50)
        self.max_age.setValue(DEFAULT_MAX_AGE)
        self.max_age.setSuffix(" years")
        self.max_age.setAccessibleName("Facts older than this count as stale")
        self.max_age.valueChanged.connect(lambda _v: self.refresh_soon())
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels(["Section", "Text", "Records"])
        self.tree.setAccessibleName("Coverage of the briefing")
        self.tree.setColumnWidth(0, 260)

        age_row = QHBoxLayout()
        age_row.addWidget(QLabel("Stale after", self))
        age_row.addWidget(self.max_age)
        age_row.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.summary)
        layout.addLayout(age_row)
        layout.addWidget(self.tree, 1)

    def show_selection(self, selection) -> None:
        """Note the selection; the report follows when the tab is visible."""
        self._selection = selection
        self.refresh_soon()

    def refresh_soon(self) -> None:
        if self.isVisible():
            self._timer.start()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        self._timer.start()

    def refresh_now(self) -> None:
        self._timer.stop()
        if self._selection is None:
            return
        try:
            report = coverage(self.store, self._selection, self.max_age.value())
        except BriefingError as exc:
            self.report = None
            self.tree.clear()
            self.summary.setText(f"The coverage cannot be worked out: {exc}")
            self.refreshed.emit(None)
            return
        self.report = report
        self._fill(report)
        self.refreshed.emit(report)

    def _fill(self, report: CoverageReport) -> None:
        self.tree.clear()
        parents: list[QTreeWidgetItem] = []
        for item in report.items:
            row = QTreeWidgetItem([item.title, ORIGIN_WORDS[item.origin], ""])
            row.setToolTip(0, f"section {item.section}")
            total = sum(u.count for u in item.uses)
            row.setText(2, str(total) if item.uses else "")
            for use in item.uses:
                QTreeWidgetItem(row, [use.kind, use.scope, str(use.count)])
            for text, word in [(t, "missing") for t in item.missing] + [
                (t, "stale") for t in item.stale
            ]:
                gap = QTreeWidgetItem(row, [text, word, ""])
                gap.setForeground(0, QBrush(_GAP))
                gap.setToolTip(0, text)
            if item.missing or item.stale:
                row.setForeground(0, QBrush(_GAP))
            while parents and parents[-1].data(0, Qt.ItemDataRole.UserRole) >= item.level:
                parents.pop()
            row.setData(0, Qt.ItemDataRole.UserRole, item.level)
            if parents:
                parents[-1].addChild(row)
            else:
                self.tree.addTopLevelItem(row)
            parents.append(row)
        self.tree.expandToDepth(0)
        own = sum(1 for i in report.items if i.origin == "country")
        self.summary.setText(
            f"{len(report.items)} sections for {report.area}: {own} written for the country, "
            f"{report.gaps} missing or stale fact(s) (older than {report.max_age} years)."
        )


def fill_script_combo(combo) -> None:
    """The Chinese output scripts in a combo box, the value as item data."""
    for script in SCRIPTS:
        combo.addItem(SCRIPT_LABELS[script], script)
    combo.setAccessibleName("Chinese script")
    combo.setToolTip(
        "Chinese names as the sources recorded them, or all in simplified or traditional"
    )
