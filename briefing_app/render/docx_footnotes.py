"""Real Word footnotes, which python-docx 1.2 has no API for.

This module owns the footnotes part (``word/footnotes.xml``): it creates it
with the two separator notes Word expects when the reference file has none,
writes each note's text the first time the body refers to it, and returns the
``w:footnoteReference`` run the body carries. A second reference to the same
note becomes a ``NOTEREF`` field showing the same number, as Word itself does
for "see note 3" marks, because one note can only be anchored once.
"""

from __future__ import annotations

from collections.abc import Callable

from docx.opc.constants import CONTENT_TYPE as CT
from docx.opc.constants import RELATIONSHIP_TYPE as RT
from docx.opc.packuri import PackURI
from docx.opc.part import PartFactory, XmlPart
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from briefing_app.document import Footnote
from briefing_app.render import docx_fields
from briefing_app.render.docx_styles import StyleMap
from briefing_app.render.docx_text import InlineWriter, RunProps, paragraph_properties

# Load an existing footnotes part as XML we can edit rather than opaque bytes.
PartFactory.part_type_for.setdefault(CT.WML_FOOTNOTES, XmlPart)

_SEPARATORS = (
    f"<w:footnotes {nsdecls('w', 'r')}>"
    '<w:footnote w:type="separator" w:id="-1"><w:p><w:pPr>'
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:separator/></w:r></w:p></w:footnote>"
    '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:pPr>'
    '<w:spacing w:after="0" w:line="240" w:lineRule="auto"/></w:pPr>'
    "<w:r><w:continuationSeparator/></w:r></w:p></w:footnote>"
    "</w:footnotes>"
)


def footnotes_part(document_part, settings) -> XmlPart:
    """The document's footnotes part, emptied of notes, created when missing."""
    for rel in document_part.rels.values():
        if rel.reltype == RT.FOOTNOTES and not rel.is_external:
            part = rel.target_part
            if not isinstance(part, XmlPart):  # loaded before our registration
                part = XmlPart.load(part.partname, part.content_type, part.blob, part.package)
                rel._target = part
            _drop_notes(part.element)
            return part
    part = XmlPart(
        PackURI("/word/footnotes.xml"),
        CT.WML_FOOTNOTES,
        parse_xml(_SEPARATORS),
        document_part.package,
    )
    document_part.relate_to(part, RT.FOOTNOTES)
    special = parse_xml(
        f'<w:footnotePr {nsdecls("w")}><w:footnote w:id="-1"/><w:footnote w:id="0"/></w:footnotePr>'
    )
    docx_fields.insert_setting(settings, special, docx_fields.after("footnotePr"))
    return part


def _drop_notes(footnotes) -> None:
    """Keep the separators of a reference file, drop its sample notes."""
    for note in footnotes.findall(qn("w:footnote")):
        if note.get(qn("w:type")) in (None, "normal"):
            footnotes.remove(note)


class FootnoteWriter:
    """Writes notes into the footnotes part as the body refers to them."""

    def __init__(
        self,
        part: XmlPart,
        notes: tuple[Footnote, ...],
        styles: StyleMap,
        bookmarks: docx_fields.BookmarkNames,
        note_inline: Callable[[XmlPart], InlineWriter],
    ) -> None:
        self.part = part
        self._notes = {note.number: note for note in notes}
        self._text_style = styles.paragraph("Footnote Text")
        ref_style = styles.character("Footnote Reference")
        self._mark = RunProps(style=ref_style) if ref_style else RunProps(superscript=True)
        self._bookmarks = bookmarks
        self._inline = note_inline(part)
        used = [int(n.get(qn("w:id"))) for n in part.element.findall(qn("w:footnote"))]
        self._first_id = max(used, default=0) + 1
        self._written: dict[int, str] = {}  # note number -> bookmark at its first mark

    @property
    def written(self) -> list[int]:
        """Numbers of the notes written so far, in the order first referred to."""
        return list(self._written)

    def reference(self, number: int) -> str:
        """XML of the mark for note ``number`` at this place in the body."""
        mark_xml = self._mark.xml()
        if number in self._written:
            shown = self._inline.plain(str(number), self._mark)
            instruction = f"NOTEREF {self._written[number]} \\f \\h"
            return docx_fields.field(instruction, shown)
        note = self._notes.get(number)
        if note is None:  # a mark without a note: show the number, invent nothing
            return self._inline.plain(str(number), self._mark)
        note_id = self._first_id + len(self._written)
        name = self._bookmarks.hidden(f"fn{number}", prefix="_Ref")
        self._written[number] = name
        self._write_note(note_id, note)
        run = f'<w:r>{mark_xml}<w:footnoteReference w:id="{note_id}"/></w:r>'
        return docx_fields.bookmark(self._bookmarks.next_id(), name, run)

    def _write_note(self, note_id: int, note: Footnote) -> None:
        body = self._inline.runs(note.runs)
        xml = (
            f'<w:footnote {nsdecls("w", "r")} w:id="{note_id}"><w:p>'
            f'<w:pPr><w:pStyle w:val="{self._text_style}"/>{paragraph_properties("", body)}'
            "</w:pPr>"
            f"<w:r>{self._mark.xml()}<w:footnoteRef/></w:r>"
            f'<w:r><w:t xml:space="preserve"> </w:t></w:r>{body}</w:p></w:footnote>'
        )
        self.part.element.append(parse_xml(xml))
