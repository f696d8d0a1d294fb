"""Small dialogs of the section editor: a diff viewer and the key prompt."""

from __future__ import annotations

import difflib
import re

from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QVBoxLayout,
    QWidget,
)

from briefing_app.gui.highlighter import DiffHighlighter
from briefing_app.gui.window_fit import fit_to_screen

SLUG_RE = re.compile(r"^[a-z0-9]+(?:-[a-z0-9]+)*$")


def unified_diff(old: str, new: str, old_label: str, new_label: str) -> str:
    """A unified diff of two template texts; a plain note when they are equal."""
    lines = difflib.unified_diff(
        old.splitlines(), new.splitlines(), fromfile=old_label, tofile=new_label, lineterm=""
    )
    text = "\n".join(lines)
    return text or f"No difference between {old_label} and {new_label}."


class DiffDialog(QDialog):
    """Shows a unified diff, coloured, in a read-only monospace view."""

    def __init__(
        self,
        old: str,
        new: str,
        old_label: str,
        new_label: str,
        title: str = "Compare versions",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(title)
        fit_to_screen(self, 820, 560)
        self.diff_text = unified_diff(old, new, old_label, new_label)
        heading = QLabel(
            f"<b>{old_label}</b> (lines marked −) → <b>{new_label}</b> (lines marked +)"
        )
        self.view = QPlainTextEdit(self)
        self.view.setReadOnly(True)
        # templates hold whole paragraphs on one line: wrap, or the change is off-screen
        self.view.setLineWrapMode(QPlainTextEdit.LineWrapMode.WidgetWidth)
        self.view.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.view.setAccessibleName("Differences")
        self._highlighter = DiffHighlighter(self.view.document())
        self.view.setPlainText(self.diff_text)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        buttons.accepted.connect(self.accept)
        layout = QVBoxLayout(self)
        layout.addWidget(heading)
        layout.addWidget(self.view)
        layout.addWidget(buttons)


class SectionKeyDialog(QDialog):
    """Asks for the key (slug) and title of a new or duplicated section.

    The OK button stays disabled until the key is a valid slug that no other
    section uses; the reason is shown under the field.
    """

    def __init__(
        self,
        taken: set[str],
        key: str = "",
        title: str = "",
        heading: str = "New section",
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.setWindowTitle(heading)
        self.taken = taken
        self.key_edit = QLineEdit(key, self)
        self.key_edit.setPlaceholderText("e.g. sector-outlook")
        self.key_edit.setAccessibleName("Section key")
        self.title_edit = QLineEdit(title, self)
        self.title_edit.setPlaceholderText("Heading printed in the briefing")
        self.title_edit.setAccessibleName("Section title")
        self.problem = QLabel(self)
        self.problem.setStyleSheet("color: #b71c1c;")
        self.problem.setWordWrap(True)
        hint = QLabel(
            "The key names the section in blueprints: lowercase letters and digits, "
            "words joined by hyphens. It cannot be changed later."
        )
        hint.setWordWrap(True)
        hint.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.addRow("Key:", self.key_edit)
        form.addRow("", self.problem)
        form.addRow("Title:", self.title_edit)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addWidget(self.buttons)
        self.key_edit.textChanged.connect(self._validate)
        self.title_edit.textChanged.connect(self._validate)
        self._validate()

    @property
    def key(self) -> str:
        return self.key_edit.text().strip()

    @property
    def title(self) -> str:
        return self.title_edit.text().strip()

    def key_problem(self) -> str:
        """Why the key cannot be used, or "" when it can."""
        key = self.key
        if not key:
            return "Enter a key."
        if not SLUG_RE.match(key):
            return "Use lowercase letters a-z, digits and single hyphens between words."
        if key in self.taken:
            return f"A section with the key {key!r} already exists."
        return ""

    def _validate(self) -> None:
        problem = self.key_problem()
        if not problem and not self.title:
            problem = "Enter a title."
        self.problem.setText(problem if self.key_edit.text() or self.title else "")
        self.buttons.button(QDialogButtonBox.StandardButton.Ok).setEnabled(not problem)
