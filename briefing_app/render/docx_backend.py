"""The Word renderer: a :class:`~briefing_app.document.Document` as a .docx.

Looks come from ``templates/reference.docx`` by style name, so an
organisation can swap in its own house style; the output uses Word's own
structures (heading styles, a contents field, real footnotes, caption
numbers, repeating table headers) so that it stays editable in Word.

The document is built in memory first and written through
:func:`~briefing_app.render.atomic.atomic_path`: a cancel or an error leaves
any earlier file at the target untouched.
"""

from __future__ import annotations

import datetime as _dt
import re
from collections.abc import Callable
from pathlib import Path

import docx
from docx.opc.exceptions import PackageNotFoundError
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls, qn

from briefing_app import paths
from briefing_app.document import (
    BulletList,
    Document,
    Figure,
    Heading,
    ListOfFigures,
    ListOfTables,
    PageBreak,
    Paragraph,
    Table,
    TableOfContents,
)
from briefing_app.errors import RenderError
from briefing_app.render import docx_fields
from briefing_app.render.atomic import atomic_path, write_stream
from briefing_app.render.docx_contents import Entry, field_paragraphs
from briefing_app.render.docx_figures import FigureWriter, cover_band
from briefing_app.render.docx_footnotes import FootnoteWriter, footnotes_part
from briefing_app.render.docx_lists import LEVELS, ListNumbering
from briefing_app.render.docx_page import PageSetup
from briefing_app.render.docx_reference import reference_package
from briefing_app.render.docx_styles import StyleMap, match_complex_script
from briefing_app.render.docx_tables import ROWS_PER_CHUNK, TableWriter
from briefing_app.render.docx_text import (
    InlineContext,
    InlineWriter,
    RunProps,
    clean_text,
    paragraph_properties,
)
from briefing_app.render.theme import Theme, load_theme

Progress = Callable[[float], None]
_CENTRED = '<w:jc w:val="center"/>'

_PARAGRAPH_STYLES = {
    "body": ("Body Text",),
    "abstract": ("Abstract", "Body Text"),
    "disclaimer": ("Disclaimer",),
    "quote": ("Quote", "Body Text"),
    "note": ("Note", "Body Text"),
    "source": ("Source",),
}


def render_docx(
    document: Document,
    path: Path | str,
    theme: Theme | None = None,
    progress: Progress | None = None,
) -> Path:
    """Write ``document`` as a Word file at ``path`` and return the path.

    ``progress(fraction)`` is called as the work advances; when it raises
    (``errors.Cancelled``) the error propagates and nothing is written.
    """
    theme = theme or load_theme()
    report = progress or (lambda fraction: None)
    word = _open_reference(paths.reference_docx())
    _WordBuilder(word, document, theme, report).build()
    target = Path(path)
    with atomic_path(target) as temporary:
        try:
            with write_stream(temporary) as stream:  # no stray ZipFile.__del__ traceback
                word.save(stream)
        except OSError as exc:
            raise RenderError(f"cannot write {target}: {exc.strerror or exc}") from exc
        report(1.0)  # a cancel here still leaves the earlier file in place
    return target


def _open_reference(path: Path):
    # Only the looks of the file are taken, from a clean copy (docx_reference.py).
    package = reference_package(path)
    try:
        return docx.Document(package)
    except (PackageNotFoundError, OSError, KeyError, ValueError) as exc:
        raise RenderError(f"cannot open the Word reference file {path}: {exc}") from exc


class _WordBuilder:
    """Fills one python-docx document from the model, block by block."""

    def __init__(self, word, document: Document, theme: Theme, report: Progress) -> None:
        self.word = word
        self.document = document
        self.theme = theme
        self.report = report
        self.styles = StyleMap(word.styles)
        match_complex_script(word.styles.element)
        self.body = word.element.body
        for child in list(self.body):  # the reference's specimen text
            if child.tag != qn("w:sectPr"):
                self.body.remove(child)
        self._body_end = self.body.get_or_add_sectPr()  # content goes before it
        self.page = PageSetup(self._body_end, document.metadata.page_size, theme)
        self.marks = docx_fields.BookmarkNames()
        self._plan_bookmarks()
        east = theme.fonts.get("word_east_asia", "")
        accent = theme.colours.get("accent", "#2E75B6").lstrip("#")
        settings = word.settings.element

        def note_inline(part) -> InlineWriter:
            return InlineWriter(
                InlineContext(self.styles, part, east, self.marks.for_anchor, None, accent)
            )

        self.footnotes = FootnoteWriter(
            footnotes_part(word.part, settings),
            document.footnotes,
            self.styles,
            self.marks,
            note_inline,
        )
        self.inline = InlineWriter(
            InlineContext(
                self.styles,
                word.part,
                east,
                self.marks.for_anchor,
                self.footnotes.reference,
                accent,
            )
        )
        self.tables = TableWriter(self.styles, self.inline, theme.colours)
        self.figures = FigureWriter(word.part, self.styles, theme)
        self._numbering: ListNumbering | None = None
        docx_fields.update_fields_on_open(settings)

    # --- the whole document -------------------------------------------------

    def build(self) -> None:
        blocks = self.document.blocks
        weights = [
            1 + (len(b.rows) / ROWS_PER_CHUNK * 5 if isinstance(b, Table) else 0) for b in blocks
        ]
        total, done = sum(weights) + 1, 0.0
        self._cover()
        start = 1 if blocks and isinstance(blocks[0], PageBreak) else 0  # the cover ends its page
        for index in range(start, len(blocks)):
            self.report(0.9 * done / total)
            weight = weights[index]
            if self._break_is_redundant(index):
                done += weight
                continue

            def part_done(fraction: float, before: float = done, weight: float = weight) -> None:
                self.report(0.9 * (before + fraction * weight) / total)

            self._block(index, blocks[index], part_done)
            done += weight
        self.page.finish(self.word, *self._header_footer())
        self._cover_band()
        self._properties()
        self.report(0.92)

    def _break_is_redundant(self, index: int) -> bool:
        """A page break next to a change of orientation would leave a blank
        page: the section break there starts a new page anyway."""
        blocks = self.document.blocks
        if not isinstance(blocks[index], PageBreak) or index + 1 >= len(blocks):
            return False
        following = blocks[index + 1]
        return _wants_landscape(following) != self.page.landscape

    def _plan_bookmarks(self) -> None:
        """Name every bookmark before writing, so the contents (which come
        first) and links can point at headings and captions further on."""
        self.heading_marks: dict[int, str] = {}
        self.caption_marks: dict[int, str] = {}
        anchors: set[str] = set()
        for index, block in enumerate(self.document.blocks):
            if isinstance(block, Heading):
                if block.anchor and block.anchor not in anchors:  # links go to the first
                    anchors.add(block.anchor)
                    self.heading_marks[index] = self.marks.for_anchor(block.anchor)
                else:
                    self.heading_marks[index] = self.marks.hidden(f"h{index}")
            elif isinstance(block, (Table, Figure)) and block.number is not None:
                self.caption_marks[index] = self.marks.hidden(f"c{index}")

    def _block(self, index: int, block, progress: Progress) -> None:
        self.page.orient(self._append, _wants_landscape(block))
        if isinstance(block, Heading):
            self._heading(index, block)
        elif isinstance(block, Paragraph):
            styles = _PARAGRAPH_STYLES.get(block.style, ("Body Text",))
            blocks = self.document.blocks
            following = blocks[index + 1] if index + 1 < len(blocks) else None
            keep = "<w:keepNext/>" if _leads_in(block, following) else ""
            self._paragraph(self.styles.paragraph(*styles), self.inline.runs(block.runs), keep)
        elif isinstance(block, BulletList):
            self._list(block, 0)
        elif isinstance(block, Table):
            self._table(index, block, progress)
        elif isinstance(block, Figure):
            self._figure(index, block)
        elif isinstance(block, PageBreak):
            self._append_xml('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')
        elif isinstance(block, TableOfContents):
            self._contents(block)
        elif isinstance(block, ListOfTables):
            self._caption_list(block.title, "Table", Table)
        elif isinstance(block, ListOfFigures):
            self._caption_list(block.title, "Figure", Figure)

    # --- writing helpers ---------------------------------------------------------

    def _append(self, element) -> None:
        self._body_end.addprevious(element)

    def _append_xml(self, xml: str) -> None:
        """Parse body-level XML (one or more elements) and append it."""
        wrapper = parse_xml(f"<w:body {nsdecls('w', 'r')}>{xml}</w:body>")
        for child in list(wrapper):
            self._append(child)

    def _paragraph(self, style: str, content: str, properties: str = "") -> None:
        properties = paragraph_properties(properties, content)
        self._append_xml(
            f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{properties}</w:pPr>{content}</w:p>'
        )

    # --- blocks ----------------------------------------------------------------------

    def _cover(self) -> None:
        meta = self.document.metadata
        para = self.styles.paragraph
        self._paragraph(para("Title"), self.inline.plain(meta.title))
        if meta.subtitle:
            self._paragraph(para("Subtitle"), self.inline.plain(meta.subtitle))
        if meta.cover_rows:
            rows = [(row.label, row.value) for row in meta.cover_rows]
            self._append(self.tables.label_table(rows, self.page.text_width))
        space = '<w:spacing w:before="360"/>'
        if meta.abstract:
            label = self.inline.plain("Abstract: ", RunProps(bold=True))
            self._paragraph(
                para("Abstract", "Body Text"), label + self.inline.plain(meta.abstract), space
            )
            space = ""
        if meta.copyright:
            self._paragraph(
                para("Copyright", "Disclaimer"), self.inline.plain(meta.copyright), space
            )
            space = ""
        for part in (
            re.split(r"\n\s*\n", clean_text(meta.disclaimer).strip()) if meta.disclaimer else ()
        ):
            self._paragraph(para("Disclaimer"), self.inline.plain(part.strip()), space)
            space = ""
        self._append_xml('<w:p><w:r><w:br w:type="page"/></w:r></w:p>')

    def _cover_band(self) -> None:
        header = self.word.sections[0].first_page_header
        band = cover_band(header.part, self.page.page_width * 635, self.theme)
        header.paragraphs[0]._p.add_r().add_drawing(band)

    def _heading(self, index: int, heading: Heading) -> None:
        level = max(1, min(heading.level, LEVELS))
        style = self.styles.paragraph(f"Heading {level}")
        # A house style that numbers its headings itself gets the bare text.
        text = heading.text if self.styles.numbers_itself(style) else heading.label
        content = self.inline.plain(text)
        marked = docx_fields.bookmark(self.marks.next_id(), self.heading_marks[index], content)
        # Kept with what follows even when a house style's heading forgets it:
        # a heading never ends a page on its own.
        self._paragraph(style, marked, "<w:keepNext/><w:keepLines/>")

    def _list(self, bullets: BulletList, depth: int) -> None:
        if self._numbering is None:
            self._numbering = ListNumbering(self.word.part.numbering_part.element)
        num_id = self._numbering.new_list(bullets.ordered)
        level = min(depth, LEVELS - 1)
        family = "List Number" if bullets.ordered else "List Bullet"
        names = (f"{family} {level + 1}",) if 0 < level < 3 else ()
        style = self.styles.paragraph(*names, family, "List Paragraph")
        numbering = f'<w:numPr><w:ilvl w:val="{level}"/><w:numId w:val="{num_id}"/></w:numPr>'
        last = len(bullets.items) - 1
        for position, item in enumerate(bullets.items):
            properties = numbering
            if depth == 0 and position == last and item.children is None:
                properties += '<w:spacing w:after="160"/>'  # set the list off from what follows
            self._paragraph(style, self.inline.runs(item.runs), properties)
            if item.children is not None:
                self._list(item.children, depth + 1)

    def _caption(
        self, index: int, kind: str, number: int | None, caption: str, centred: bool = False
    ) -> None:
        align = _CENTRED if centred else ""
        if number is None:
            if caption:
                self._paragraph(self.styles.paragraph("Caption"), self.inline.plain(caption), align)
            return
        seq = docx_fields.field(docx_fields.seq_instruction(kind), self.inline.plain(str(number)))
        content = self.inline.plain(f"{kind} ") + seq
        if caption:
            content += self.inline.plain(f" - {caption}")
        marked = docx_fields.bookmark(self.marks.next_id(), self.caption_marks[index], content)
        self._paragraph(self.styles.paragraph("Caption"), marked, align)

    def _source(self, runs, centred: bool = False) -> None:
        if runs:
            align = _CENTRED if centred else ""
            self._paragraph(self.styles.paragraph("Source"), self.inline.runs(runs), align)

    def _table(self, index: int, table: Table, progress: Progress) -> None:
        self._caption(index, "Table", table.number, table.caption)
        if table.column_count or table.rows:
            self.tables.table(table, self.page.text_width, self._append, progress)
        self._source(table.source)

    def _figure(self, index: int, figure: Figure) -> None:
        picture = self.figures.picture(figure, self.page.text_width, self.page.text_height)
        if picture is not None:
            self._append(picture)
        # Figures are centred, so their caption and source are too.
        self._caption(index, "Figure", figure.number, figure.caption, centred=True)
        self._source(figure.source, centred=True)

    def _contents(self, block: TableOfContents) -> None:
        self._paragraph(self.styles.paragraph("TOC Heading"), self.inline.plain(block.title))
        entries = [
            Entry(b.level, b.label, self.heading_marks[i])
            for i, b in enumerate(self.document.blocks)
            if isinstance(b, Heading) and b.level <= block.max_level
        ]
        instruction = docx_fields.toc_instruction(block.max_level)
        style = lambda level: self.styles.paragraph(f"TOC {level}", "TOC 1")  # noqa: E731
        for xml in field_paragraphs(
            instruction,
            entries,
            style,
            self.inline,
            self.page.text_width,
            "Update the field to list the headings.",
        ):
            self._append_xml(xml)

    def _caption_list(self, title: str, kind: str, block_type: type) -> None:
        self._paragraph(self.styles.paragraph("TOC Heading"), self.inline.plain(title))
        entries = [
            Entry(1, b.caption_label, self.caption_marks[i])
            for i, b in enumerate(self.document.blocks)
            if isinstance(b, block_type) and i in self.caption_marks
        ]
        style = lambda level: self.styles.paragraph("Table of Figures", "TOC 1")  # noqa: E731
        instruction = docx_fields.caption_list_instruction(kind)
        empty = f"No {kind.lower()}s."
        for xml in field_paragraphs(
            instruction, entries, style, self.inline, self.page.text_width, empty
        ):
            self._append_xml(xml)

    # --- document level ---------------------------------------------------------------

    def _header_footer(self) -> tuple[str, str]:
        """Paragraphs of the running header and the "Page N of M" footer."""
        meta = self.document.metadata
        header = self.inline.plain(meta.header_text or meta.title)
        page = docx_fields.field("PAGE", self.inline.plain("1"))
        pages = docx_fields.field("NUMPAGES", self.inline.plain("1"))
        footer = self.inline.plain("Page ") + page + self.inline.plain(" of ") + pages
        head_style, foot_style = self.styles.paragraph("Header"), self.styles.paragraph("Footer")
        return (
            f'<w:p><w:pPr><w:pStyle w:val="{head_style}"/></w:pPr>{header}</w:p>',
            f'<w:p><w:pPr><w:pStyle w:val="{foot_style}"/></w:pPr>{footer}</w:p>',
        )

    def _properties(self) -> None:
        meta = self.document.metadata
        props = self.word.core_properties
        now = _dt.datetime.now(_dt.UTC).replace(microsecond=0)

        def short(text: str) -> str:  # python-docx refuses values over 255 characters
            return clean_text(text)[:255]

        props.title = short(meta.title)
        props.subject = short(meta.subject)
        props.author = short(meta.author)
        props.last_modified_by = short(meta.author)
        props.keywords = short("; ".join(meta.keywords))
        props.language = short(meta.language)
        props.version = short(meta.version)
        props.comments = short(f"Version {meta.version}" if meta.version else "")
        props.category = "Briefing"
        digits = re.search(r"\d+", meta.version or "")
        props.revision = int(digits.group()) if digits and int(digits.group()) > 0 else 1
        props.created = now
        props.modified = now
        self._proofing_language(meta.language)

    def _proofing_language(self, language: str) -> None:
        """Spell-check in the briefing's language (a tag such as "en-GB");
        East Asian and complex-script languages keep the reference's setting."""
        if not re.fullmatch(r"[A-Za-z]{2,3}-[A-Za-z0-9]{2,8}", language or ""):
            return
        defaults = self.word.styles.element.find(qn("w:docDefaults"))
        rpr = defaults.find(qn("w:rPrDefault")) if defaults is not None else None
        lang = rpr.find(f"{qn('w:rPr')}/{qn('w:lang')}") if rpr is not None else None
        if lang is not None:
            lang.set(qn("w:val"), language)


def _wants_landscape(block) -> bool:
    return isinstance(block, Table) and block.landscape


def _leads_in(block: Paragraph, following) -> bool:
    """A paragraph ending in a colon that a list or table follows introduces
    them: Word keeps it on their page (as the PDF does, pdf_story.leads_in)."""
    return isinstance(following, (BulletList, Table)) and block.plain.rstrip().endswith(":")
