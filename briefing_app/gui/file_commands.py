"""File menu commands: new, open, save, save as, recent briefings.

Briefings live in the knowledge base (``store.briefings()``), not in loose
files: a briefing is a named, saved selection with its outline and cover, to
open and re-run later. Every command that would drop unsaved edits asks first.
"""

from __future__ import annotations

from PySide6.QtWidgets import QInputDialog, QLineEdit, QMessageBox

from briefing_app.errors import BriefingError, NotFoundError
from briefing_app.gui.briefing_session import UNTITLED
from briefing_app.gui.open_briefing_dialog import OpenBriefingDialog
from briefing_app.gui.unsaved_changes import ask_to_save
from briefing_app.gui.window_fit import fit_to_screen

NAME_PROMPT_MIN_WIDTH = 420


class FileCommands:
    """The briefing-level commands of one main window."""

    def __init__(self, window) -> None:
        self.window = window

    @property
    def session(self):
        return self.window.session

    # --- the commands --------------------------------------------------------

    def new(self) -> None:
        if self.confirm_discard():
            self.window.start_new_briefing()

    def open(self) -> None:
        if not self.confirm_discard():
            return
        dialog = OpenBriefingDialog(self.window.store, self.window)
        if dialog.exec() and dialog.chosen_slug():
            self.open_slug(dialog.chosen_slug(), confirmed=True)

    def open_slug(self, slug: str, confirmed: bool = False) -> bool:
        """Open the saved briefing ``slug``; False if it is gone or unreadable."""
        if not confirmed and not self.confirm_discard():
            return False
        try:
            briefing = self.window.store.briefing(slug)
            selection = self.session.opened(briefing)
        except NotFoundError:
            self.window.settings.forget_briefing(slug)
            QMessageBox.warning(
                self.window, "Open briefing", f"The briefing “{slug}” no longer exists."
            )
            return False
        except BriefingError as exc:
            QMessageBox.warning(
                self.window, "Open briefing", f"The briefing cannot be opened: {exc}"
            )
            return False
        self.window.show_selection(selection)
        self.window.settings.remember_briefing(briefing.slug)
        self.window.status(f"Opened “{briefing.name}”")
        return True

    def save(self) -> bool:
        if self.session.slug is None:
            return self.save_as()
        return self._write(None)

    def save_as(self) -> bool:
        suggestion = (
            self.session.name if self.session.name != UNTITLED else self.window.default_title()
        )
        name, ok = self.ask_name(suggestion)
        if not ok or not name.strip():
            return False
        return self._write(name.strip())

    def name_dialog(self, suggestion: str) -> QInputDialog:
        """The Save as prompt, wide enough to show ``suggestion`` whole."""
        dialog = QInputDialog(self.window)
        dialog.setWindowTitle("Save briefing as")
        dialog.setLabelText("Name of the briefing:")
        dialog.setTextEchoMode(QLineEdit.EchoMode.Normal)
        dialog.setTextValue(suggestion)
        edit = dialog.findChild(QLineEdit)
        metrics = (edit or dialog).fontMetrics()
        # The text, the line edit's frame and margins, and the dialog's own.
        wanted = max(NAME_PROMPT_MIN_WIDTH, metrics.horizontalAdvance(suggestion) + 80)
        fit_to_screen(dialog, wanted, dialog.sizeHint().height())
        dialog.setMinimumWidth(min(wanted, dialog.width()))
        return dialog

    def ask_name(self, suggestion: str) -> tuple[str, bool]:
        dialog = self.name_dialog(suggestion)
        accepted = dialog.exec() == QInputDialog.DialogCode.Accepted
        return dialog.textValue(), accepted

    def _write(self, name: str | None) -> bool:
        try:
            saved = self.session.save(self.window.store, self.window.current_selection(), name)
        except BriefingError as exc:
            QMessageBox.critical(self.window, "Save briefing", f"The briefing was not saved: {exc}")
            return False
        self.window.settings.remember_briefing(saved.slug)
        self.window.update_title()
        self.window.status(f"Saved “{saved.name}”")
        return True

    # --- unsaved changes -------------------------------------------------------

    def confirm_discard(self) -> bool:
        """True when it is fine to replace the current briefing.

        With unsaved edits, asks Save / Discard / Cancel; Save saves first.
        """
        if not self.session.modified:
            return True
        return ask_to_save(
            self.window,
            f"“{self.session.name}” has changes that are not saved. Save them first?",
            self.save,
        )

    # --- recent briefings ------------------------------------------------------

    def fill_recent_menu(self) -> None:
        menu = self.window.actions.recent_menu
        menu.clear()
        known = {b.slug: b.name for b in self.window.store.briefings()}
        recent = [slug for slug in self.window.settings.recent_briefings() if slug in known]
        for number, slug in enumerate(recent, start=1):
            action = menu.addAction(f"&{number} {known[slug]}")
            action.setStatusTip(f"Open the saved briefing “{known[slug]}”")
            action.triggered.connect(lambda _checked=False, s=slug: self.open_slug(s))
        if not recent:
            menu.addAction("No recent briefings").setEnabled(False)
