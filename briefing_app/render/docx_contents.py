"""Contents, list of tables and list of figures, with a first content.

Each list is one Word field (``TOC``) spread over several paragraphs. Word
rebuilds it on open (``w:updateFields``), page numbers included; until then,
and in viewers that never update fields (LibreOffice's converter), the
entries written here show: the heading or caption text as a link to its
bookmark. Page numbers are left out of this first content rather than
guessed, since only a layout engine knows them and a wrong number misleads.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from briefing_app.render import docx_fields
from briefing_app.render.docx_text import InlineWriter, escape


@dataclass(frozen=True)
class Entry:
    """One line of a list: its level (1 for chapters), text and target bookmark."""

    level: int
    label: str
    bookmark: str


def field_paragraphs(
    instruction: str,
    entries: Sequence[Entry],
    style_for: Callable[[int], str],
    inline: InlineWriter,
    tab_twips: int,
    empty_text: str,
) -> list[str]:
    """Paragraph XML for the whole field, one paragraph per entry."""
    start = docx_fields.field_start(instruction, dirty=True)
    end = docx_fields.field_end()
    if not entries:
        # The field still goes in, so Word fills it when the document grows.
        text = inline.plain(empty_text)
        return [_paragraph(style_for(1), tab_twips, start + text + end)]
    paragraphs = []
    last = len(entries) - 1
    for index, entry in enumerate(entries):
        content = _entry(entry, inline)
        if index == 0:
            content = start + content
        if index == last:
            content += end
        paragraphs.append(_paragraph(style_for(entry.level), tab_twips, content))
    return paragraphs


def _entry(entry: Entry, inline: InlineWriter) -> str:
    link = inline.plain(entry.label)
    return f'<w:hyperlink w:anchor="{escape(entry.bookmark)}" w:history="1">{link}</w:hyperlink>'


def _paragraph(style: str, tab_twips: int, content: str) -> str:
    tabs = f'<w:tabs><w:tab w:val="right" w:leader="dot" w:pos="{tab_twips}"/></w:tabs>'
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{tabs}</w:pPr>{content}</w:p>'
