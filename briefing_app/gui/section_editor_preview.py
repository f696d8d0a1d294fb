"""The section editor's live check and preview of the template being typed.

The editor's title (put in a front matter above the text) and text are
rendered against the briefing selected in the main window; line numbers of
errors count in the text, and an error in the title says so. A good render
shows in the preview, without the briefing's cover, keeping the reader's
place; an error shows in the bar under the editor, with a button to jump to
it, while the preview keeps the last good render and says it is stale.

:class:`SectionPreview` is mixed into :class:`~briefing_app.gui.section_editor.SectionEditor`
and relies on its ``store``, ``selection_provider``, ``loaded``, ``checker``,
``editor``, ``title_edit``, ``error_bar``, ``error_label``, ``go_to_error``,
``preview`` and ``preview_caption``.
"""

from __future__ import annotations

import dataclasses
import json

from briefing_app.assembly import Selection, render_template
from briefing_app.document import Metadata
from briefing_app.errors import BriefingError, TemplateError
from briefing_app.gui.section_editor_check import CheckResult
from briefing_app.gui.section_editor_saving import NOT_SAVED_ERRORS
from briefing_app.render.html_backend import render_html

ERROR_STYLE = "background: #fdecea; color: #8e1b1b; border: 1px solid #f3b8b3; padding: 4px 8px;"
# What the HTML renderer writes for a cover with nothing on it; left out of the preview.
EMPTY_COVER = '<p class="cover-title"></p>\n<hr/>'
OK_STYLE = "background: #e8f5e9; color: #1b5e20; border: 1px solid #b9dfbc; padding: 4px 8px;"


class SectionPreview:
    """Render, check and preview the editor's text (mixed into the editor window)."""

    def current_selection(self) -> Selection:
        selection = self.selection_provider() if self.selection_provider else None
        return selection if selection is not None else Selection()

    def _render(self, body: str):
        """Render the title (as a front matter) and ``body``; lines count in ``body``."""
        self._preview_selection = self.current_selection()
        name = self.loaded.slug if self.loaded else "<editor>"
        title = self.title_edit.text().strip()
        if not title:
            return render_template(self.store, self._preview_selection, body, name)
        # JSON quoting is valid YAML and keeps braces and colons of a Jinja title intact.
        front = f"---\ntitle: {json.dumps(title, ensure_ascii=False)}\n---\n"
        shift = front.count("\n")
        try:
            return render_template(self.store, self._preview_selection, front + body, name)
        except TemplateError as error:
            line = error.line
            if line is not None and line > shift:
                raise TemplateError(name, line - shift, error.column, error.message) from error
            raise TemplateError(name, None, None, f"in the title: {error.message}") from error

    def refresh_preview(self) -> CheckResult:
        """Render the editor's text again, e.g. after the selection changed."""
        return self.checker.check_now(self.editor.toPlainText())

    def _show_check(self, result: CheckResult) -> None:
        self.editor.mark_error(result.line, result.column)
        self.go_to_error.setVisible(result.line is not None)
        if result.ok:
            if self.statusBar().currentMessage() == NOT_SAVED_ERRORS:
                self.statusBar().clearMessage()  # fixed: the warning no longer holds
            self.error_bar.setStyleSheet(f"#error-bar {{{OK_STYLE}}}")
            self.error_label.setText("✓ The template renders without errors.")
            # A section is previewed without the briefing's cover, abstract and disclaimer.
            bare = dataclasses.replace(result.document, metadata=Metadata(title=""))
            page = render_html(bare).replace(EMPTY_COVER, "", 1)
            # Keep the reader's place: the preview is redrawn at every pause in typing.
            scroll = self.preview.verticalScrollBar()
            position = scroll.value()
            self.preview.setHtml(page)
            scroll.setValue(min(position, scroll.maximum()))
        else:
            self.error_bar.setStyleSheet(f"#error-bar {{{ERROR_STYLE}}}")
            self.error_label.setText(f"✗ {result.summary}")
        self.preview_caption.setText(self._describe_selection(result.ok))

    def _describe_selection(self, ok: bool) -> str:
        """ "Preview for China · Pearl River Delta · Automotive" in readable names."""
        selection = self._preview_selection or Selection()
        parts: list[str] = []
        try:
            parts.append(self.store.country(selection.country).name)
            if selection.region:
                parts.append(self.store.region(selection.region).name)
            parts += [self.store.sector(slug).name for slug in selection.sectors]
        except BriefingError:
            parts = [selection.country, selection.region, *selection.sectors]
        shown = " · ".join(p for p in parts if p)
        stale = "" if ok else "  (last good render; the template now has errors)"
        return f"Preview for {shown}{stale}"

    def _jump_to_error(self) -> None:
        if self.editor.error_line:
            self.editor.go_to(self.editor.error_line, self.editor.error_column)
