"""The cover page's fields.

An empty field means "use the default": the blueprint's cover text for this
selection, shown as the field's placeholder so the user sees what will be
printed without having to type it.
"""

from __future__ import annotations

from dataclasses import fields

from PySide6.QtCore import Signal
from PySide6.QtWidgets import QFormLayout, QLineEdit, QPlainTextEdit, QVBoxLayout, QWidget

from briefing_app.assembly.selection import Cover

# (field, label, tooltip) in the order of the ECCP cover table.
COVER_FIELDS = (
    ("title", "&Title", "The briefing's title on the cover and in the running header"),
    ("subtitle", "S&ubtitle", "A line under the title"),
    ("project_name", "&Project", "Project name in the cover table"),
    ("acronym", "Acron&ym", "Project acronym in the cover table"),
    ("deliverable", "&Deliverable", "Deliverable title and number, e.g. D2.1"),
    ("work_package", "&Work package", "Work package the deliverable belongs to"),
    ("version", "&Version", "Document version printed on the cover and in the properties"),
    ("contractual_date", "&Contractual date", "Due date, e.g. 2026-12-31"),
    ("actual_date", "Act&ual date", "Delivery date, e.g. 2026-11-23"),
    ("lead", "&Lead", "Deliverable lead; also the document's author"),
    ("reviewed_by", "&Reviewed by", "Who reviewed the briefing"),
)
KNOWN = {f.name for f in fields(Cover)}


class CoverForm(QWidget):
    """One line edit per cover field, plus the abstract."""

    changed = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.edits: dict[str, QLineEdit] = {}
        outer = QVBoxLayout(self)
        layout = self.form = QFormLayout()
        outer.addLayout(layout)
        outer.addStretch(1)  # rows stay together at the top of a tall tab
        for name, label, tip in COVER_FIELDS:
            if name not in KNOWN:
                continue  # the assembly's Cover decides which fields exist
            edit = QLineEdit(self)
            edit.setToolTip(tip + ". Leave empty for the default shown in grey.")
            edit.setAccessibleName(label.replace("&", ""))
            edit.setClearButtonEnabled(True)
            edit.textEdited.connect(self.changed)
            layout.addRow(label, edit)
            self.edits[name] = edit
        self.abstract = QPlainTextEdit(self)
        self.abstract.setAccessibleName("Abstract")
        self.abstract.setToolTip("A short abstract for the cover; empty for the blueprint's text")
        self.abstract.setTabChangesFocus(True)
        self.abstract.setMaximumHeight(120)
        self.abstract.textChanged.connect(self._abstract_changed)
        layout.addRow("A&bstract", self.abstract)
        self._filling = False

    def cover(self) -> Cover:
        values = {name: edit.text().strip() for name, edit in self.edits.items()}
        values["abstract"] = self.abstract.toPlainText().strip()
        return Cover(**{k: v for k, v in values.items() if k in KNOWN})

    def set_cover(self, cover: Cover) -> None:
        """Show a saved cover without reporting it as an edit."""
        self._filling = True
        for name, edit in self.edits.items():
            edit.setText(getattr(cover, name, ""))
        self.abstract.setPlainText(getattr(cover, "abstract", ""))
        self._filling = False

    def set_defaults(self, defaults: dict[str, str]) -> None:
        """Show what an empty field will print, as its placeholder."""
        for name, edit in self.edits.items():
            edit.setPlaceholderText(defaults.get(name, ""))
        self.abstract.setPlaceholderText(defaults.get("abstract", ""))
        # QPlainTextEdit repaints only when the hint appears or goes, not when
        # a hint on show changes: without this the old region's text stays.
        self.abstract.viewport().update()

    def _abstract_changed(self) -> None:
        if not self._filling:
            self.changed.emit()
