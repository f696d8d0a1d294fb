"""Rendered Markdown -> blocks of the document model (markdown-it-py).

CommonMark with GFM tables and footnotes. Markers left by the helpers
(:mod:`placeholders`) become tables, figures and footnote references; raw
HTML is kept as literal text, never interpreted.

The walk over block tokens (paragraphs, headings, lists, tables, quotes,
code) is here; the text inside them, markers and footnotes are read by
:mod:`~briefing_app.assembly.markdown_inline`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace
from typing import TYPE_CHECKING

from briefing_app.assembly.anchors import Anchors
from briefing_app.assembly.budget import BuildBudget
from briefing_app.assembly.markdown_inline import InlineRuns, MarkdownError, merge_runs
from briefing_app.assembly.markdown_tokens import KEPT_TEXT_CHARS, parsed
from briefing_app.assembly.placeholders import Numbering, Placeholders
from briefing_app.document import (
    Block,
    BulletList,
    Figure,
    FootnoteRef,
    Heading,
    LineBreak,
    ListItem,
    Paragraph,
    Runs,
    Table,
    Text,
    plain_text,
)

if TYPE_CHECKING:
    from markdown_it.token import Token

_CAPTION = re.compile(r"^\s*Table:\s*(.+)$", re.S)

__all__ = ["KEPT_TEXT_CHARS", "MarkdownConverter", "MarkdownError", "markdown_to_blocks", "slugify"]


def slugify(text: str) -> str:
    """Lowercase ASCII words joined by hyphens (anchors, file names)."""
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug or "section"


class MarkdownConverter(InlineRuns):
    """Turns the rendered text of one section into blocks.

    ``base_level`` is the level of the section's own heading: headings in the
    body sit below it. ``anchors`` is shared by the whole document so that
    every anchor is unique.
    """

    def __init__(
        self,
        placeholders: Placeholders,
        numbering: Numbering,
        base_level: int = 1,
        anchor_prefix: str = "",
        anchors: Anchors | set[str] | None = None,
        budget: BuildBudget | None = None,
    ) -> None:
        self.placeholders = placeholders
        self.numbering = numbering
        self.base_level = base_level
        self.anchor_prefix = anchor_prefix
        self.anchors = anchors if isinstance(anchors, Anchors) else Anchors(anchors)
        self.budget = budget or BuildBudget()
        self._footnote_numbers: dict[int, int] = {}
        self._footnote_runs: dict[int, Runs] = {}

    def convert(self, text: str) -> list[Block]:
        # Bounded before parsing: the parser and the walk below are linear,
        # but the whole build shares one budget of time and text.
        self.budget.at_most(text.count("\n") + 1, "section_lines", "lines in one section")
        self.budget.add_text(len(text))
        tokens = parsed(text)
        self.budget.check_time()
        body, notes = _split_footnotes(tokens)
        self._read_footnote_definitions(notes)
        self._heading_shift = self._shallowest_heading(body)
        blocks: list[Block] = []
        self._blocks(body, 0, len(body), blocks, quote=False)
        return blocks

    # -- blocks ---------------------------------------------------------------

    def _blocks(
        self, tokens: Sequence[Token], start: int, end: int, out: list[Block], quote: bool
    ) -> None:
        i = start
        while i < end:
            token = tokens[i]
            kind = token.type
            if i % 512 == 0:
                self.budget.check_time()
            if kind == "paragraph_open":
                self._paragraph(tokens[i + 1], out, "quote" if quote else "body")
                i += 3
            elif kind == "heading_open":
                self._heading(token, tokens[i + 1], out)
                i += 3
            elif kind in ("bullet_list_open", "ordered_list_open"):
                close = _matching(tokens, i)
                out.append(self._list(tokens, i, close))
                i = close + 1
            elif kind == "blockquote_open":
                close = _matching(tokens, i)
                self._blocks(tokens, i + 1, close, out, quote=True)
                i = close + 1
            elif kind == "table_open":
                close = _matching(tokens, i)
                self._table(tokens, i, close, out)
                i = close + 1
            elif kind in ("fence", "code_block"):
                out.append(Paragraph(_code_runs(token.content), "quote" if quote else "body"))
                i += 1
            elif kind == "html_block":
                literal = token.content.strip()
                if literal:
                    out.append(Paragraph((Text(literal),), "quote" if quote else "body"))
                i += 1
            else:  # hr and anything unknown: nothing to show
                i += 1

    def _paragraph(self, inline: Token, out: list[Block], style: str) -> None:
        pieces = self._inline(inline.children or [], allow_blocks=True)
        caption = _CAPTION.match(plain_text(tuple(p for p in pieces if not _is_block(p))))
        if (
            caption
            and not any(_is_block(p) for p in pieces)
            and self._caption_previous_table(out, caption.group(1))
        ):
            return
        runs: list = []
        for piece in pieces:
            if _is_block(piece):
                _flush_paragraph(runs, out, style)
                runs = []
                out.append(self._finish_block(piece))
            else:
                runs.append(piece)
        _flush_paragraph(runs, out, style)

    def _caption_previous_table(self, out: list[Block], caption: str) -> bool:
        """A "Table: ..." line right after a Markdown table is its caption."""
        if out and isinstance(out[-1], Table) and not out[-1].caption:
            out[-1] = self.numbering.number_table(replace(out[-1], caption=caption.strip()))
            return True
        return False

    def _heading(self, open_token: Token, inline: Token, out: list[Block]) -> None:
        level = int(open_token.tag[1:])
        level = min(6, self.base_level + 1 + max(0, level - self._heading_shift))
        text = plain_text(
            tuple(
                p
                for p in self._inline(inline.children or [], allow_blocks=False)
                if not isinstance(p, FootnoteRef)
            )
        )
        self.budget.add_heading()
        out.append(Heading(level, text.strip(), None, self.unique_anchor(text)))

    def unique_anchor(self, text: str) -> str:
        return self.anchors.unique(
            slugify(f"{self.anchor_prefix}-{text}" if self.anchor_prefix else text)
        )

    def _list(self, tokens: Sequence[Token], start: int, end: int) -> BulletList:
        items: list[ListItem] = []
        i = start + 1
        while i < end:
            if tokens[i].type != "list_item_open":
                i += 1
                continue
            close = _matching(tokens, i)
            items.append(self._list_item(tokens, i + 1, close))
            i = close + 1
        return BulletList(tuple(items), ordered=tokens[start].type == "ordered_list_open")

    def _list_item(self, tokens: Sequence[Token], start: int, end: int) -> ListItem:
        runs: list = []
        children: list[ListItem] = []
        ordered = False
        i = start
        while i < end:
            token = tokens[i]
            if token.type == "inline":
                if runs:
                    runs.append(LineBreak())
                runs.extend(self._inline(token.children or [], allow_blocks=False))
            elif token.type in ("bullet_list_open", "ordered_list_open"):
                close = _matching(tokens, i)
                nested = self._list(tokens, i, close)
                children.extend(nested.items)
                ordered = nested.ordered
                i = close
            elif token.type in ("fence", "code_block"):
                runs.extend(_code_runs(token.content))
            i += 1
        return ListItem(
            merge_runs(runs), BulletList(tuple(children), ordered) if children else None
        )

    def _table(self, tokens: Sequence[Token], start: int, end: int, out: list[Block]) -> None:
        header: list[tuple] = []
        rows: list[tuple] = []
        row: list = []
        in_head = False
        for token in tokens[start:end]:
            if token.type == "thead_open":
                in_head = True
            elif token.type == "thead_close":
                in_head = False
            elif token.type == "tr_open":
                row = []
            elif token.type == "tr_close":
                (header if in_head else rows).append(tuple(row))
            elif token.type == "inline":
                row.append(
                    _cell(merge_runs(self._inline(token.children or [], allow_blocks=False)))
                )
        table = Table(tuple(header), tuple(rows))
        caption = _caption_before(out)
        if caption is not None:
            out.pop()
            table = self.numbering.number_table(replace(table, caption=caption))
        out.append(table)

    def _finish_block(self, block: Table | Figure) -> Block:
        """Number a helper's table or figure and resolve citations inside it."""
        if isinstance(block, Table):
            header = tuple(tuple(self._resolve_cell(c) for c in row) for row in block.header_rows)
            rows = tuple(tuple(self._resolve_cell(c) for c in row) for row in block.rows)
            numbered = self.numbering.number_table(block)
            return replace(
                numbered, header_rows=header, rows=rows, source=self._resolve_runs(block.source)
            )
        numbered = self.numbering.number_figure(block)
        return replace(numbered, source=self._resolve_runs(block.source))

    def _shallowest_heading(self, tokens: Sequence[Token]) -> int:
        levels = [int(t.tag[1:]) for t in tokens if t.type == "heading_open"]
        return min(levels) if levels else 1


# -- helpers ------------------------------------------------------------------


def _split_footnotes(tokens: Sequence[Token]) -> tuple[Sequence[Token], Sequence[Token]]:
    for i, token in enumerate(tokens):
        if token.type == "footnote_block_open":
            return tokens[:i], tokens[i:]
    return tokens, []


def _matching(tokens: Sequence[Token], start: int) -> int:
    """Index of the token closing ``tokens[start]``."""
    depth = 0
    open_type = tokens[start].type
    close_type = open_type.replace("_open", "_close")
    for i in range(start, len(tokens)):
        if tokens[i].type == open_type:
            depth += 1
        elif tokens[i].type == close_type:
            depth -= 1
            if depth == 0:
                return i
    return len(tokens) - 1


def _is_block(piece) -> bool:
    return isinstance(piece, (Table, Figure))


def _flush_paragraph(runs: list, out: list[Block], style: str) -> None:
    merged = merge_runs(runs)
    if merged and plain_text(merged).strip() or any(isinstance(r, FootnoteRef) for r in merged):
        out.append(Paragraph(_trim(merged), style))  # type: ignore[arg-type]


def _trim(runs: Runs) -> Runs:
    """Drop spaces left at the edges where a block marker split a paragraph."""
    items = list(runs)
    while items and isinstance(items[0], Text) and not items[0].text.strip():
        items.pop(0)
    while items and isinstance(items[-1], Text) and not items[-1].text.strip():
        items.pop()
    if items and isinstance(items[0], Text):
        items[0] = replace(items[0], text=items[0].text.lstrip())
    if items and isinstance(items[-1], Text):
        items[-1] = replace(items[-1], text=items[-1].text.rstrip())
    return tuple(items)


def _cell(runs: Runs):
    if not runs:
        return ""
    if len(runs) == 1 and isinstance(runs[0], Text) and runs[0] == Text(runs[0].text):
        return runs[0].text
    return runs


def _code_runs(content: str) -> Runs:
    runs: list = []
    for n, line in enumerate(content.rstrip("\n").split("\n")):
        if n:
            runs.append(LineBreak())
        runs.append(Text(line, code=True))
    return tuple(runs)


def _caption_before(out: list[Block]) -> str | None:
    """A "Table: ..." paragraph just before a Markdown table is its caption."""
    if out and isinstance(out[-1], Paragraph) and out[-1].style == "body":
        found = _CAPTION.match(out[-1].plain)
        if found and not any(isinstance(r, FootnoteRef) for r in out[-1].runs):
            return found.group(1).strip()
    return None


def markdown_to_blocks(
    text: str,
    placeholders: Placeholders | None = None,
    numbering: Numbering | None = None,
    base_level: int = 1,
) -> list[Block]:
    """Convenience for one-off conversions and tests."""
    return MarkdownConverter(
        placeholders or Placeholders(), numbering or Numbering(), base_level
    ).convert(text)
