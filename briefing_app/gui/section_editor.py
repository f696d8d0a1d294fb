"""The section editor: where consultants write and keep the section library.

Left, the sections with a filter; in the middle, the template (Markdown with
Jinja2, coloured) with an error bar that follows the typing; right, a preview
against the briefing currently selected in the main window, the places the
section applies to and its history.

The list pane lives in :mod:`section_editor_list`, the live check and
preview in :mod:`section_editor_preview`, saving in :mod:`section_editor_saving`.

Saving never overwrites: every save is a new version, a broken template is
only saved when the user says so, and a save that meets someone else's newer
version stops to let the user compare before overwriting.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from pathlib import Path

from PySide6.QtCore import QEvent, Qt, Signal
from PySide6.QtGui import QAction, QCloseEvent, QKeySequence
from PySide6.QtWidgets import (
    QApplication,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QMainWindow,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QTabWidget,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from briefing_app.assembly import Selection
from briefing_app.assembly.library import LibraryProblem
from briefing_app.gui.section_editor_check import TemplateChecker
from briefing_app.gui.section_editor_code import TemplateEdit
from briefing_app.gui.section_editor_list import SLUG_ROLE, SectionList
from briefing_app.gui.section_editor_panels import (
    ChecklistPicker,
    HistoryPanel,
    SectionItemDelegate,
)
from briefing_app.gui.section_editor_preview import SectionPreview
from briefing_app.gui.section_editor_saving import SectionSaving
from briefing_app.gui.unsaved_changes import ask_to_save
from briefing_app.gui.window_fit import fit_to_screen
from briefing_app.store.records import Section


class SectionEditor(SectionList, SectionPreview, SectionSaving, QMainWindow):
    """Edit, check, preview and version the section library of ``store``."""

    sectionSaved = Signal(str)  # slug of a section whose stored text changed  # noqa: N815

    def __init__(
        self,
        store,
        selection_provider: Callable[[], Selection] | None = None,
        parent: QWidget | None = None,
    ):
        super().__init__(parent)
        self.store = store
        self.selection_provider = selection_provider
        self.loaded: Section | None = None  # the section as last read or saved
        self._shown_slug: str | None = None
        self._loading = False
        self._preview_selection: Selection | None = None
        self._problems: dict[str, LibraryProblem] = {}  # what fails in a front matter or variant
        self.setWindowTitle("Section editor")
        fit_to_screen(self, 1400, 860)
        self.checker = TemplateChecker(self._render, parent=self)
        self.checker.checked.connect(self._show_check)
        self._build_actions()
        self._build_layout()
        self.reload_sections()
        if self.section_list.count():
            self.section_list.setCurrentRow(0)

    # -- building ---------------------------------------------------------

    def _build_actions(self) -> None:
        toolbar = self.addToolBar("Section")
        toolbar.setMovable(False)
        toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)

        def action(text: str, slot, shortcut=None, tip: str = "") -> QAction:
            act = QAction(text, self)
            if shortcut:
                act.setShortcut(shortcut)
            act.setToolTip(tip or text)
            act.triggered.connect(slot)
            toolbar.addAction(act)
            return act

        self.new_action = action("New…", self.new_section, QKeySequence.StandardKey.New)
        self.duplicate_action = action("Duplicate…", self.duplicate_section)
        toolbar.addSeparator()
        self.save_action = action("Save", self.save, QKeySequence.StandardKey.Save)
        self.revert_action = action(
            "Revert to default…",
            self.revert_to_default,
            tip="Replace the text with the version shipped with the application",
        )
        toolbar.addSeparator()
        self.preview_action = action(
            "Refresh preview",
            self.refresh_preview,
            "F5",
            tip="Render again against the selection of the main window",
        )

    def _build_layout(self) -> None:
        self.filter_box = QLineEdit()
        self.filter_box.setPlaceholderText("Filter sections (title, key or text)…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.textChanged.connect(self._filter_sections)
        self.section_list = QListWidget()
        self.section_list.setAccessibleName("Sections")
        self.section_list.setItemDelegate(SectionItemDelegate(self.section_list))
        self.section_list.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.section_list.currentItemChanged.connect(self._section_chosen)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.filter_box)
        left_layout.addWidget(self.section_list)

        self.key_label = QLabel()
        self.key_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.title_edit = QLineEdit()
        self.title_edit.setAccessibleName("Title")
        self.title_edit.setPlaceholderText("Title (Jinja allowed, e.g. {{ sector.name }})")
        self.title_edit.textChanged.connect(self._title_changed)
        self.editor = TemplateEdit()
        self.editor.textChanged.connect(self._text_changed)
        self.error_bar = QFrame()
        self.error_bar.setObjectName("error-bar")
        self.error_label = QLabel()
        self.error_label.setWordWrap(True)
        # The bar never widens the editor's column (a long word in a message
        # would move the divider) and keeps room for two lines, so neither
        # the divider nor the editor's height jumps as errors come and go.
        self.error_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.error_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.go_to_error = QPushButton("Go to error")
        self.go_to_error.clicked.connect(self._jump_to_error)
        bar_layout = QHBoxLayout(self.error_bar)
        bar_layout.setContentsMargins(0, 0, 0, 0)
        bar_layout.addWidget(self.error_label, 1)
        bar_layout.addWidget(self.go_to_error)
        middle = QWidget()
        middle_layout = QVBoxLayout(middle)
        middle_layout.setContentsMargins(0, 0, 0, 0)
        middle_layout.addWidget(self.key_label)
        middle_layout.addWidget(self.title_edit)
        middle_layout.addWidget(self.editor, 1)
        middle_layout.addWidget(self.error_bar)
        self.error_bar.setMinimumHeight(2 * self.error_label.fontMetrics().lineSpacing() + 34)

        self.preview = QTextBrowser()
        self.preview.setOpenExternalLinks(False)
        self.preview.setAccessibleName("Preview")
        self.preview_caption = QLabel()
        self.preview_caption.setStyleSheet("color: #555;")
        self.preview_caption.setWordWrap(True)  # a long selection must not move the divider
        self.preview_caption.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        preview_page = QWidget()
        preview_layout = QVBoxLayout(preview_page)
        preview_layout.addWidget(self.preview_caption)
        preview_layout.addWidget(self.preview, 1)
        self.sector_picker = ChecklistPicker("Sectors", "sectors")
        self.region_picker = ChecklistPicker("Regions", "regions")
        self.partnership_picker = ChecklistPicker("Partnerships", "partnerships")
        applies_page = QWidget()
        applies_layout = QVBoxLayout(applies_page)
        for picker in (self.sector_picker, self.region_picker, self.partnership_picker):
            picker.changed.connect(self._edited)
            applies_layout.addWidget(picker)
        self.history = HistoryPanel()
        self.history.compareWithPrevious.connect(self.compare_with_previous)
        self.history.compareWithEditor.connect(self.compare_with_editor)
        self.history.restoreRequested.connect(self.restore_version)
        self.side_tabs = QTabWidget()
        self.side_tabs.addTab(preview_page, "Preview")
        self.side_tabs.addTab(applies_page, "Applies to")
        self.side_tabs.addTab(self.history, "History")

        splitter = self.splitter = QSplitter(Qt.Orientation.Horizontal)
        for widget in (left, middle, self.side_tabs):
            splitter.addWidget(widget)
        splitter.setStretchFactor(0, 0)
        splitter.setStretchFactor(1, 3)
        splitter.setStretchFactor(2, 2)
        self.setCentralWidget(splitter)
        self.share_columns()
        self._fill_choices()

    def share_columns(self) -> None:
        """List, editor and preview take their usual shares of the width."""
        room = self.width()
        self.splitter.setSizes([min(300, room * 22 // 100), room * 45 // 100, room * 33 // 100])

    def _fill_choices(self) -> None:
        self.sector_picker.set_choices([(s.slug, s.name) for s in self.store.sectors()])
        self.region_picker.set_choices(
            [(r.slug, f"{r.name} ({r.kind}, {r.country})") for r in self.store.records("regions")]
        )
        self.partnership_picker.set_choices(
            [
                (p.slug, f"{p.acronym} – {p.name}" if p.acronym else p.name)
                for p in self.store.records("partnerships")
            ]
        )

    def open_section(self, slug: str) -> None:
        """Show ``slug`` in the editor (without asking about unsaved changes)."""
        self._show_section(self.store.section(slug))

    def _show_section(self, section: Section) -> None:
        self._loading = True
        self.loaded = section
        self._shown_slug = section.slug
        self.title_edit.setText(section.title)
        self.editor.setPlainText(section.body)
        self.sector_picker.set_checked(section.sectors)
        self.region_picker.set_checked(section.regions)
        self.partnership_picker.set_checked(section.partnerships)
        self._loading = False
        self.history.set_versions(self.store.section_history(section.slug))
        self._select_in_list(section.slug)
        current = self.section_list.currentItem()
        if current is not None and current.data(SLUG_ROLE) == section.slug:
            self._describe_item(current, section)  # another window may have saved it
        self.revert_action.setEnabled(bool(section.shipped_body))
        self._update_header()
        self.checker.check_now(section.body)

    # -- editing state ----------------------------------------------------

    def edited_section(self) -> Section | None:
        """The loaded section with the editor's title, text and applicability."""
        if self.loaded is None:
            return None
        return dataclasses.replace(
            self.loaded,
            title=self.title_edit.text().strip(),
            body=self.editor.toPlainText(),
            sectors=self.sector_picker.checked(),
            regions=self.region_picker.checked(),
            partnerships=self.partnership_picker.checked(),
        )

    def is_dirty(self) -> bool:
        return self.loaded is not None and self.edited_section() != self.loaded

    def _text_changed(self) -> None:
        if not self._loading:
            self.checker.schedule(self.editor.toPlainText())
            self._edited()

    def _title_changed(self) -> None:
        if not self._loading:
            self.checker.schedule(self.editor.toPlainText())
            self._edited()

    def _edited(self) -> None:
        if not self._loading:
            self._update_header()

    def _update_header(self) -> None:
        section = self.loaded
        if section is None:
            self.key_label.setText("No section")
            return
        dirty = self.is_dirty()
        state = "unsaved changes" if dirty else "saved"
        self.key_label.setText(
            f"<b>{section.slug}</b> &nbsp;·&nbsp; version {section.version} &nbsp;·&nbsp; {state}"
        )
        self.setWindowTitle(f"Section editor – {section.slug}{' *' if dirty else ''}")
        self.save_action.setEnabled(dirty)

    def confirm_leaving(self) -> bool:
        """Ask about unsaved changes; True when it is fine to move on."""
        if not self.is_dirty():
            return True
        return ask_to_save(
            self, f"The section {self.loaded.slug!r} has unsaved changes. Save them?", self.save
        )

    def closeEvent(self, event: QCloseEvent) -> None:  # noqa: N802 (Qt override)
        if self.confirm_leaving():
            self.checker.cancel()
            event.accept()
        else:
            event.ignore()

    def event(self, event: QEvent) -> bool:  # noqa: D102
        # Coming back from the main window: the selection may have changed.
        if event.type() == QEvent.Type.WindowActivate and self.loaded is not None:
            if self.current_selection() != self._preview_selection:
                self.refresh_preview()
        return super().event(event)


def save_screenshot(
    store,
    path: str | Path,
    section: str | None = None,
    selection: Selection | None = None,
    size: tuple[int, int] = (1400, 860),
) -> Path:
    """Show the editor with a sample section open and save it as a PNG.

    Without ``section`` the sector chapter is shown (it has prose, a table and
    Jinja of every kind); without ``selection`` a one-sector selection.
    """
    app = QApplication.instance() or QApplication([])
    chosen = selection or Selection(country="CN", sectors=("automotive",))
    editor = SectionEditor(store, lambda: chosen)
    editor.resize(*size)  # the size asked for, whatever the screen
    editor.share_columns()
    sections = [s.slug for s in store.sections()]
    samples = ("sector-strength", "objective")
    wanted = section or next((s for s in samples if s in sections), None)
    if wanted:
        editor.open_section(wanted)
    editor.show()
    app.processEvents()
    target = Path(path)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not editor.grab().save(str(target)):
        raise OSError(f"could not write {target}")
    editor.close()
    editor.deleteLater()
    return target
