"""The section editor's list of sections: filling, marking, filtering, choosing.

Each row reads the section's title as words (``‹sector› strengths``), its
key, version and whether it is as shipped, edited or the user's own, and
the problem the library finds in its front matter or variant (shown in the
row and its tooltip, and said in the status line right after a save). The
filter box hides rows whose title, key and text do not hold the typed words.

:class:`SectionList` is mixed into :class:`~briefing_app.gui.section_editor.SectionEditor`
and relies on its ``store``, ``section_list``, ``filter_box``, ``_problems``,
``_shown_slug``, ``confirm_leaving`` and ``open_section``.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, QTimer
from PySide6.QtWidgets import QListWidget, QListWidgetItem

from briefing_app.assembly.library import library_problems, readable_title
from briefing_app.errors import BriefingError
from briefing_app.gui.section_editor_panels import DETAIL_ROLE, PROBLEM_ROLE
from briefing_app.store.records import Section

SLUG_ROLE = Qt.ItemDataRole.UserRole + 1
FILTER_ROLE = Qt.ItemDataRole.UserRole + 2  # lower-cased title, key and text


class SectionList:
    """The left-hand list of sections (mixed into the editor window)."""

    def reload_sections(self, select: str | None = None) -> None:
        """Re-read the section list, keeping (or moving to) ``select``."""
        self.section_list.blockSignals(True)
        self.section_list.clear()
        try:
            self._problems = library_problems(self.store)
        except BriefingError as error:  # the list still shows; the build reports the rest
            self._problems = {}
            self.statusBar().showMessage(f"Could not check the variants: {error}", 8000)
        for section in self.store.sections():
            item = QListWidgetItem(self.section_list)
            self._describe_item(item, section)
        self.section_list.blockSignals(False)
        self._filter_sections(self.filter_box.text())
        target = select or self._shown_slug
        if target:
            self._select_in_list(target)
        if select in self._problems:  # just saved: say what the library makes of it
            QTimer.singleShot(0, lambda: self._tell_problem(select))

    def _tell_problem(self, slug: str) -> None:
        """Add the section's problem to the status line (after "Saved ... as version n.")."""
        problem = self._problems.get(slug)
        if problem is not None:
            said = self.statusBar().currentMessage()
            self.statusBar().showMessage(f"{said}  ⚠ {slug}: {problem.message}".strip(), 20000)

    def _describe_item(self, item: QListWidgetItem, section: Section) -> None:
        if not section.shipped_body:
            state = "own section"
        elif section.body != section.shipped_body:
            state = "edited"
        else:
            state = "as shipped"
        problem = self._problems.get(section.slug)
        item.setText(readable_title(section.title) or section.slug)
        item.setData(SLUG_ROLE, section.slug)
        item.setData(DETAIL_ROLE, f"{section.slug}  ·  v{section.version}  ·  {state}")
        item.setData(PROBLEM_ROLE, f"⚠ {problem.summary}" if problem else "")
        tip = f"Title: {section.title}"
        item.setToolTip(f"{tip}\n\n⚠ {problem.message}" if problem else tip)
        item.setData(FILTER_ROLE, f"{section.title} {section.slug} {section.body}".lower())

    def _select_in_list(self, slug: str) -> None:
        self.section_list.blockSignals(True)
        for row in range(self.section_list.count()):
            item = self.section_list.item(row)
            if item.data(SLUG_ROLE) == slug:
                self.section_list.setCurrentRow(row)
                self.section_list.scrollToItem(item, QListWidget.ScrollHint.PositionAtCenter)
                break
        self.section_list.blockSignals(False)

    def _filter_sections(self, text: str) -> None:
        needle = text.strip().lower()
        for row in range(self.section_list.count()):
            item = self.section_list.item(row)
            item.setHidden(bool(needle) and needle not in item.data(FILTER_ROLE))

    def _section_chosen(self, current: QListWidgetItem | None, _previous) -> None:
        if current is None or current.data(SLUG_ROLE) == self._shown_slug:
            return
        if not self.confirm_leaving():
            self._select_in_list(self._shown_slug or "")
            return
        self.open_section(current.data(SLUG_ROLE))
