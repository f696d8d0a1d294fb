"""Help > User guide: ``docs/user-guide.md`` shown in a resizable window.

The guide is one Markdown file, read by people on the web and here alike;
Qt renders it (``QTextDocument.setMarkdown``), so there is one text to keep.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QDialog, QDialogButtonBox, QTextBrowser, QVBoxLayout, QWidget

from briefing_app import paths
from briefing_app.gui.window_fit import fit_to_screen

GUIDE_SIZE = (760, 820)


def guide_path() -> Path:
    return paths.project_root() / "docs" / "user-guide.md"


def guide_markdown() -> str:
    try:
        return guide_path().read_text(encoding="utf-8")
    except OSError as exc:
        return (
            "# User guide\n\nThe guide cannot be read "
            f"({exc.strerror or exc}): it should be at `{guide_path()}`."
        )


class UserGuideDialog(QDialog):
    """The user guide, rendered; not modal, so it can stay open beside the work."""

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.setWindowTitle("User guide")
        self.setObjectName("user-guide")
        self.setSizeGripEnabled(True)
        self.browser = QTextBrowser(self)
        self.browser.setAccessibleName("User guide")
        self.browser.setOpenExternalLinks(True)
        self.browser.document().setDocumentMargin(12)
        self.browser.setMarkdown(guide_markdown())
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, parent=self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.browser, 1)
        layout.addWidget(buttons)
        self.setWindowModality(Qt.WindowModality.NonModal)
        fit_to_screen(self, *GUIDE_SIZE)

    def headings(self) -> list[str]:
        """The guide's headings as shown (for finding one's way in tests and tools)."""
        found: list[str] = []
        block = self.browser.document().begin()
        while block.isValid():
            if block.blockFormat().headingLevel() > 0:
                found.append(block.text())
            block = block.next()
        return found
