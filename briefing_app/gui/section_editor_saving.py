"""Saving in the section editor: versions, conflicts, restores and new sections.

Kept apart from the window's layout and live checking so that the rules of
saving read in one place: every save is a new version; a template that does
not render is saved only when the user says so; a save that meets someone
else's newer version stops to let the user compare before overwriting; an
old version or the shipped text comes back as a new version, never by
rewriting history.

:class:`SectionSaving` is mixed into :class:`~briefing_app.gui.section_editor.SectionEditor`
and relies on its ``store``, ``loaded``, ``checker``, ``editor``, ``history``
and list methods.
"""

from __future__ import annotations

import dataclasses

from PySide6.QtWidgets import QMessageBox

from briefing_app.errors import BriefingError, ConflictError
from briefing_app.gui.section_editor_dialogs import DiffDialog, SectionKeyDialog
from briefing_app.store.records import Section, SectionVersion

NOT_SAVED_ERRORS = "Not saved: the template has errors."

Yes, No = QMessageBox.StandardButton.Yes, QMessageBox.StandardButton.No

NEW_SECTION_BODY = (
    "{# Markdown with Jinja2. The heading comes from the title; see docs/templates.md "
    "for area_name, country, sectors, kb.clusters(), table(), chart() and cite(). #}\n"
)


class SectionSaving:
    """Save, compare, restore and create sections (mixed into the editor window)."""

    # -- saving -----------------------------------------------------------

    def save(self) -> bool:
        """Save the editor as a new version; False when nothing was saved."""
        section = self.edited_section()
        if section is None:
            return False
        if not self._accept_errors(section.body, f"version {section.version}"):
            return False
        return self._save(section, section.version)

    def _accept_errors(self, body: str, replaced: str) -> bool:
        """True when ``body`` renders, or the user chose to save it anyway."""
        result = self.checker.check_now(body)
        if result.ok:
            return True
        answer = QMessageBox.question(
            self,
            "Template has errors",
            f"This template has errors: save anyway?\n\n{result.summary}\n\n"
            f"Briefings would use the broken text instead of {replaced}.",
            Yes | No,
            No,
        )
        if answer != Yes:
            self.statusBar().showMessage(NOT_SAVED_ERRORS, 8000)
            return False
        return True

    def _save(self, section: Section, expected: int | None) -> bool:
        while True:
            try:
                saved = self.store.save_section(section, expected)
            except ConflictError:
                expected = self._resolve_conflict(section)
                if expected is None:
                    self.statusBar().showMessage("Not saved: kept your text in the editor.", 8000)
                    return False
                continue
            except BriefingError as error:
                QMessageBox.warning(self, "Could not save", str(error))
                return False
            self._after_save(saved)
            return True

    def _resolve_conflict(self, mine: Section) -> int | None:
        """Someone saved first: compare, overwrite (their version number) or None."""
        try:
            theirs = self.store.section(mine.slug)
        except BriefingError as error:
            QMessageBox.warning(self, "Could not save", str(error))
            return None
        box = QMessageBox(QMessageBox.Icon.Warning, "Saved elsewhere", "", parent=self)
        box.setText(
            f"The section {mine.slug!r} was saved elsewhere (now version {theirs.version}) "
            f"since you opened version {mine.version}."
        )
        box.setInformativeText("Compare their text with yours before deciding to overwrite.")
        compare = box.addButton("Compare…", QMessageBox.ButtonRole.ActionRole)
        overwrite = box.addButton("Overwrite with mine", QMessageBox.ButtonRole.DestructiveRole)
        keep = box.addButton("Keep editing", QMessageBox.ButtonRole.RejectRole)
        box.setDefaultButton(keep)
        while True:
            box.exec()
            if box.clickedButton() is compare:
                DiffDialog(
                    theirs.body,
                    mine.body,
                    f"theirs (version {theirs.version})",
                    "yours (editor)",
                    "Their version and yours",
                    self,
                ).exec()
                continue
            return theirs.version if box.clickedButton() is overwrite else None

    def _after_save(self, saved: Section) -> None:
        self.reload_sections(select=saved.slug)
        self._show_section(saved)
        self.statusBar().showMessage(f"Saved {saved.slug} as version {saved.version}.", 8000)
        self.sectionSaved.emit(saved.slug)

    # -- versions ---------------------------------------------------------

    def compare_with_previous(self, version: SectionVersion) -> None:
        before = self.history.previous_of(version)
        if before is not None:
            DiffDialog(
                before.body,
                version.body,
                f"version {before.version}",
                f"version {version.version}",
                "Changes in this version",
                self,
            ).exec()

    def compare_with_editor(self, version: SectionVersion) -> None:
        DiffDialog(
            version.body,
            self.editor.toPlainText(),
            f"version {version.version}",
            "editor",
            "Version and editor",
            self,
        ).exec()

    def restore_version(self, version: SectionVersion) -> bool:
        """Save an old version's text again, as the newest version."""
        current = self.edited_section()
        if current is None:
            return False
        if self.is_dirty():
            answer = QMessageBox.question(
                self,
                "Unsaved changes",
                f"Discard your unsaved changes and restore version {version.version}?",
                Yes | No,
                No,
            )
            if answer != Yes:
                return False
        restored = dataclasses.replace(self.loaded, body=version.body, title=version.title)
        if not self._accept_errors(restored.body, f"version {self.loaded.version}"):
            self.checker.check_now(self.editor.toPlainText())
            return False
        return self._save(restored, self.loaded.version)

    def revert_to_default(self) -> bool:
        """Bring back the shipped text (kept in the history as a new version)."""
        if self.loaded is None or not self.loaded.shipped_body:
            return False
        answer = QMessageBox.question(
            self,
            "Revert to default",
            f"Replace {self.loaded.slug!r} with the text shipped with the application? "
            "Your versions stay in the history.",
            Yes | No,
            No,
        )
        if answer != Yes:
            return False
        try:
            restored = self.store.restore_section_default(self.loaded.slug)
        except BriefingError as error:
            QMessageBox.warning(self, "Could not revert", str(error))
            return False
        self._after_save(restored)
        return True

    # -- new sections -----------------------------------------------------

    def new_section(self) -> Section | None:
        """Ask for a key and title, save an almost empty section and open it."""
        return self._create("New section", "", "", NEW_SECTION_BODY, None)

    def duplicate_section(self) -> Section | None:
        """Copy the section in the editor (with its unsaved text) under a new key."""
        source = self.edited_section()
        if source is None:
            return None
        taken = {s.slug for s in self.store.sections()}
        key = f"{source.slug}-copy"
        number = 2
        while key in taken:
            key, number = f"{source.slug}-copy-{number}", number + 1
        return self._create("Duplicate section", key, source.title, source.body, source)

    def _create(self, heading, key, title, body, like: Section | None) -> Section | None:
        if not self.confirm_leaving():
            return None
        taken = {s.slug for s in self.store.sections()}
        dialog = SectionKeyDialog(taken, key, title, heading, self)
        if dialog.exec() != SectionKeyDialog.DialogCode.Accepted:
            return None
        section = Section(slug=dialog.key, title=dialog.title, body=body)
        if like is not None:
            section = dataclasses.replace(
                section, sectors=like.sectors, regions=like.regions, partnerships=like.partnerships
            )
        try:
            saved = self.store.save_section(section, None)
        except BriefingError as error:
            QMessageBox.warning(self, "Could not create the section", str(error))
            return None
        self._after_save(saved)
        return saved
