"""A form to add or edit one record, built from the record's dataclass fields.

Each field gets the widget its type asks for: a check box for yes/no, a
drop-down for a fixed set of words, an editable drop-down of the kinds table's
codes for a record's kind (a kinds row: of entities and their groupings),
an editable drop-down of known slugs for
a reference, a multi-line box for long prose, a line otherwise (lists are
written "a; b; c", as in the CSV files). The form turns its texts into a
record with the same rules as an import, and the store checks the rest
(references, duplicates); every problem is shown beside its field, and the
dialog stays open until the record is saved or the user cancels.
"""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from briefing_app.errors import BriefingError, ConflictError, ImportValidationError
from briefing_app.gui.data_browser_model import header_label
from briefing_app.gui.window_fit import fit_to_screen
from briefing_app.store import codec
from briefing_app.store.entities import key_column, spec
from briefing_app.store.records import KIND_GROUPINGS
from briefing_app.store.validation import parse_row

PROSE_FIELDS = {
    "description",
    "objective",
    "objectives",
    "focus",
    "note",
    "authorities",
    "beneficiaries",
    "financial_instruments",
    "technical_instruments",
    "evaluation_note",
    "editor_note",
}
# Shown as the field's tooltip: what the reader of a briefing never sees.
FIELD_HINTS = {
    "editor_note": "For editors only: how a fact was read or corrected. "
    "Never printed in a briefing.",
    "acronym_official": "Tick when the partnership itself uses this acronym; otherwise briefings "
    "print the full name.",
    "grouping": "How the briefing treats records of this kind (see the user guide, Kinds).",
    "plural": "What readers see for more than one; empty: the label with an s.",
}
PROBLEM_STYLE = "color: #b71c1c;"


class RecordFormDialog(QDialog):
    """Add (``record`` None) or edit one record of ``entity`` and save it to ``store``."""

    def __init__(self, store, entity: str, record=None, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self.entity = entity
        self.spec = spec(entity)
        self.kinds = codec.FieldKinds(self.spec)
        self.original = record
        self.saved = None  # the record written, once saved
        noun = entity[:-1] if entity.endswith("s") else entity
        self.setWindowTitle(f"Edit {noun} {record.slug}" if record else f"New {noun}")
        fit_to_screen(self, 640, 720)
        self.widgets: dict[str, QWidget] = {}
        self.problem_labels: dict[str, QLabel] = {}
        form_page = QWidget()
        form = QFormLayout()
        for name in self.spec.fields:
            widget = self._widget_for(name)
            if name in FIELD_HINTS:
                widget.setToolTip(FIELD_HINTS[name])
            self.widgets[name] = widget
            problem = QLabel()
            problem.setStyleSheet(PROBLEM_STYLE)
            problem.setWordWrap(True)
            problem.hide()
            self.problem_labels[name] = problem
            # the field and its problem line share one form row, so a shown
            # problem sits right under the field it is about
            cell = QWidget()
            cell_layout = QVBoxLayout(cell)
            cell_layout.setContentsMargins(0, 0, 0, 0)
            cell_layout.setSpacing(2)
            cell_layout.addWidget(widget)
            cell_layout.addWidget(problem)
            required = name in self.spec.required
            form.addRow(f"{header_label(name)}{' *' if required else ''}:", cell)
        page_layout = QVBoxLayout(form_page)
        page_layout.addLayout(form)
        page_layout.addStretch(1)
        if "grouping" in self.widgets and "entity" in self.widgets and entity == "kinds":
            self.widgets["entity"].currentTextChanged.connect(self._offer_groupings)
            self._offer_groupings(self.widgets["entity"].currentText())
        if record is not None:
            self._fill(record)
            self.widgets["slug"].setEnabled(False)  # other records point at it
        scroll = QScrollArea()
        scroll.setWidgetResizable(True)
        scroll.setWidget(form_page)
        self.general_problem = QLabel()
        self.general_problem.setStyleSheet(PROBLEM_STYLE)
        self.general_problem.setWordWrap(True)
        self.general_problem.hide()
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.save)
        buttons.rejected.connect(self.reject)
        hint = QLabel("Fields marked * are required. Lists are separated by semicolons.")
        hint.setStyleSheet("color: #555;")
        layout = QVBoxLayout(self)
        layout.addWidget(hint)
        layout.addWidget(scroll, 1)
        layout.addWidget(self.general_problem)
        layout.addWidget(buttons)

    # -- widgets ----------------------------------------------------------

    def _widget_for(self, name: str) -> QWidget:
        kind = self.kinds.kinds[name]
        if kind == "bool":
            return QCheckBox()
        if name == self.spec.kind_field:
            return self._kind_box()
        if self.entity == "kinds" and name in ("entity", "grouping"):
            box = QComboBox()
            box.setEditable(True)  # a word the table refuses is explained on saving
            if name == "entity":
                box.addItems(list(KIND_GROUPINGS))
            return box
        if name in self.spec.choices:
            box = QComboBox()
            box.addItems(
                ([""] if name not in self.spec.required else []) + list(self.spec.choices[name])
            )
            return box
        if name in self.spec.refs:
            return self._reference_box(self.spec.refs[name])
        if kind == "str" and name in PROSE_FIELDS:
            edit = QPlainTextEdit()
            edit.setTabChangesFocus(True)
            edit.setFixedHeight(80)
            return edit
        edit = QLineEdit()
        if kind == "list":
            target = self.spec.links[name].target if name in self.spec.links else None
            edit.setPlaceholderText(
                f"{target} slugs separated by ;" if target else "separated by ;"
            )
        elif kind in ("int", "float"):
            edit.setPlaceholderText("a number" if kind == "float" else "a whole number")
        return edit

    def _kind_box(self) -> QComboBox:
        """The kinds of this entity from the kinds table, their labels as tooltips."""
        box = QComboBox()
        box.setEditable(True)
        try:
            kinds = self.store.vocabulary().kinds(self.entity)
        except BriefingError:
            kinds = ()  # typed codes still work; the store checks them
        for kind in kinds:
            box.addItem(kind.code)
            box.setItemData(box.count() - 1, f"{kind.label}: {kind.description}", 3)
        box.setCurrentIndex(-1)
        return box

    def _offer_groupings(self, entity: str) -> None:
        """The groupings a kind of ``entity`` may have, in the grouping box."""
        box = self.widgets["grouping"]
        assert isinstance(box, QComboBox)
        current = box.currentText()
        box.clear()
        box.addItems(list(KIND_GROUPINGS.get(entity.strip(), ())))
        box.setCurrentText(current)

    def _reference_box(self, target: str) -> QComboBox:
        box = QComboBox()
        box.setEditable(True)
        box.addItem("")
        key = key_column(target)
        try:
            for record in self.store.records(target):
                value = getattr(record, key)
                label = getattr(record, spec(target).label, value)
                box.addItem(value)
                box.setItemData(box.count() - 1, str(label), 3)  # tooltip role
        except BriefingError:
            pass  # the form still works with typed slugs; the store checks them
        return box

    def _fill(self, record) -> None:
        for name, widget in self.widgets.items():
            value = getattr(record, name)
            kind = self.kinds.kinds[name]
            if isinstance(widget, QCheckBox):
                widget.setChecked(bool(value))
            elif isinstance(widget, QComboBox):
                widget.setCurrentText(codec.format_cell(kind, value))
            elif isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value or "")
            else:
                widget.setText(codec.format_cell(kind, value).replace(";", "; "))

    def cells(self) -> dict[str, str]:
        """The form as cell texts, as an import file row would give them."""
        found = {}
        for name, widget in self.widgets.items():
            if isinstance(widget, QCheckBox):
                found[name] = "true" if widget.isChecked() else "false"
            elif isinstance(widget, QComboBox):
                found[name] = widget.currentText().strip()
            elif isinstance(widget, QPlainTextEdit):
                found[name] = widget.toPlainText().strip()
            else:
                found[name] = widget.text().strip()
        return found

    def set_value(self, name: str, text: str) -> None:
        """Put ``text`` into a field as if typed (used by tests and by callers)."""
        widget = self.widgets[name]
        if isinstance(widget, QCheckBox):
            widget.setChecked(text.lower() in codec.TRUE_WORDS)
        elif isinstance(widget, QComboBox):
            widget.setCurrentText(text)
        elif isinstance(widget, QPlainTextEdit):
            widget.setPlainText(text)
        else:
            widget.setText(text)

    # -- saving -----------------------------------------------------------

    def show_problems(self, problems: dict[str, list[str]], general: list[str]) -> None:
        for name, label in self.problem_labels.items():
            messages = problems.get(name, [])
            label.setText("; ".join(messages))
            label.setVisible(bool(messages))
        self.general_problem.setText("\n".join(general))
        self.general_problem.setVisible(bool(general))

    def save(self) -> bool:
        """Check and write the record; stay open with the problems shown when it fails."""
        values, row_problems = parse_row(self.spec, self.kinds, self.cells())
        by_field: dict[str, list[str]] = {}
        for column, message in row_problems:
            by_field.setdefault(column, []).append(message)
        if by_field:
            self.show_problems(by_field, ["Please correct the fields marked in red."])
            return False
        record = self.spec.record(**values)
        try:
            self.store.upsert(self.entity, record, expected=self.original)
        except ImportValidationError as error:
            for problem in error.problems:
                by_field.setdefault(problem.column, []).append(problem.message)
            general = [p.message for p in error.problems if p.column not in self.widgets]
            self.show_problems(by_field, general or ["The record was not saved."])
            return False
        except ConflictError as error:
            self.show_problems({}, [f"Not saved: {error}"])
            return False
        except BriefingError as error:
            self.show_problems({}, [f"Not saved: {error}"])
            return False
        self.saved = record
        self.accept()
        return True
