"""Inline Markdown -> runs of text: emphasis, links, markers and footnotes.

The part of the Markdown conversion that works inside one paragraph, list
item, heading or table cell: markdown-it's inline tokens become
:class:`~briefing_app.document.Text` runs (with bold, italic, code and link),
the helpers' markers (:mod:`placeholders`) in the text become citations,
tables and figures, and ``[^1]`` footnotes get the document's numbers.

:class:`InlineRuns` is mixed into
:class:`~briefing_app.assembly.markdown_model.MarkdownConverter`, which walks
the block tokens, and relies on its ``placeholders``, ``numbering``,
``_footnote_numbers`` and ``_footnote_runs``.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from briefing_app.assembly.placeholders import MARKER, Citation, Numbering, Placeholders, neutral
from briefing_app.document import FootnoteRef, LineBreak, Runs, Table, Text

if TYPE_CHECKING:
    from markdown_it.token import Token


class MarkdownError(ValueError):
    """The Markdown cannot become a document (e.g. a table() inside a list)."""


class InlineRuns:
    """Inline tokens and marker text -> runs (mixed into the converter)."""

    placeholders: Placeholders
    numbering: Numbering
    _footnote_numbers: dict[int, int]
    _footnote_runs: dict[int, Runs]

    def _resolve_cell(self, cell):
        if isinstance(cell, str):
            if MARKER.search(cell):
                return merge_runs(self.placeholders.resolve_runs(cell, self.numbering))
            return cell
        return self._resolve_runs(cell)

    def _resolve_runs(self, runs: Runs) -> Runs:
        out: list = []
        for run in runs:
            if isinstance(run, Text) and MARKER.search(run.text):
                for piece in self.placeholders.resolve_runs(run.text, self.numbering):
                    out.append(
                        replace(piece, bold=run.bold, italic=run.italic, link=run.link)
                        if isinstance(piece, Text)
                        else piece
                    )
            else:
                out.append(run)
        return tuple(out)

    # -- inline ---------------------------------------------------------------

    def _inline(self, children: list[Token], allow_blocks: bool) -> list:
        out: list = []
        bold = italic = 0
        link: str | None = None
        for token in children:
            kind = token.type
            if kind == "text" or kind == "html_inline":
                self._text(token.content, out, bool(bold), bool(italic), link, allow_blocks)
            elif kind == "code_inline":
                out.append(Text(self.placeholders.strip(token.content), code=True, link=link))
            elif kind == "strong_open":
                bold += 1
            elif kind == "strong_close":
                bold -= 1
            elif kind == "em_open":
                italic += 1
            elif kind == "em_close":
                italic -= 1
            elif kind == "link_open":
                link = str(token.attrs.get("href", "")) or None
            elif kind == "link_close":
                link = None
            elif kind == "softbreak":
                out.append(Text(" ", bool(bold), bool(italic), link=link))
            elif kind == "hardbreak":
                out.append(LineBreak())
            elif kind == "image":
                alt = "".join(c.content for c in token.children or []) or str(
                    token.attrs.get("src", "")
                )
                out.append(Text(alt, bool(bold), bool(italic), link=link))
            elif kind == "footnote_ref":
                out.append(self._markdown_footnote(token.meta["id"]))
        return merge_runs(out) if not allow_blocks else out

    def _text(
        self, text: str, out: list, bold: bool, italic: bool, link: str | None, allow_blocks: bool
    ) -> None:
        position = 0
        for match in MARKER.finditer(text):
            if match.start() > position:
                out.append(Text(neutral(text[position : match.start()]), bold, italic, link=link))
            obj = self.placeholders.get(int(match.group(1)))
            if isinstance(obj, Citation):
                self.numbering.cite(out, obj.runs)
            elif obj is None:  # not a marker this build gave: text
                out.append(Text(neutral(match.group(0)), bold, italic, link=link))
            elif allow_blocks:
                out.append(obj)
            else:
                kind = (
                    "table()"
                    if isinstance(obj, Table)
                    else "map_figure()"
                    if getattr(obj, "map", None)
                    else "chart()"
                )
                raise MarkdownError(
                    f"{kind} must stand alone on its own line, not inside a list, heading or table"
                )
            position = match.end()
        if position < len(text):
            out.append(Text(neutral(text[position:]), bold, italic, link=link))

    def _markdown_footnote(self, footnote_id: int) -> FootnoteRef:
        number = self._footnote_numbers.get(footnote_id)
        if number is None:
            number = self.numbering.reserve_footnote()
            self._footnote_numbers[footnote_id] = number
            self.numbering.fill_footnote(number, self._footnote_runs.get(footnote_id, ()))
        return FootnoteRef(number)

    def _read_footnote_definitions(self, notes: Sequence[Token]) -> None:
        current: int | None = None
        for token in notes:
            if token.type == "footnote_open":
                current = token.meta["id"]
                self._footnote_runs[current] = ()
            elif token.type == "inline" and current is not None:
                runs = [
                    r
                    for r in self._inline(token.children or [], allow_blocks=False)
                    if not isinstance(r, FootnoteRef)
                ]
                joined = list(self._footnote_runs[current])
                if joined:
                    joined.append(LineBreak())
                self._footnote_runs[current] = merge_runs(joined + runs)


def merge_runs(runs: list) -> Runs:
    """Join neighbouring text runs that look the same (in linear time: the
    texts of a group are joined once, not appended one by one)."""
    out: list = []
    pending: list[str] = []  # texts of the run at out[-1], still to be joined

    def close() -> None:
        if len(pending) > 1:
            out[-1] = replace(out[-1], text="".join(pending))
        pending.clear()

    for run in runs:
        if isinstance(run, Text) and run.text == "":
            continue
        if (
            isinstance(run, Text)
            and pending
            and (out[-1].bold, out[-1].italic, out[-1].code, out[-1].link)
            == (run.bold, run.italic, run.code, run.link)
        ):
            pending.append(run.text)
            continue
        close()
        out.append(run)
        if isinstance(run, Text):
            pending.append(run.text)
    close()
    return tuple(out)
