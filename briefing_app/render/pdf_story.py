"""The story of the PDF: a neutral Document's blocks become ReportLab flowables.

:class:`StoryBuilder` walks the blocks once, in order: the cover, headings
(with their anchors), paragraphs (in pieces when long, ``pdf_pieces.py``),
lists, tables, figures, contents and the notes no text refers to. It knows
nothing of pages (``pdf_pages.py``) or of writing the file, which
``pdf_backend.py`` does with the flowables made here.
"""

from __future__ import annotations

import io
import re

from reportlab.lib.units import mm
from reportlab.lib.utils import ImageReader
from reportlab.platypus import Image, KeepTogether, NextPageTemplate, PageBreak, Spacer
from reportlab.platypus import Paragraph as RLParagraph
from reportlab.platypus import Table as RLTable

from briefing_app import document as model
from briefing_app.document import Document, plain_text
from briefing_app.errors import RenderError
from briefing_app.render.bidi import base_is_rtl
from briefing_app.render.chart_cache import chart_palette
from briefing_app.render.maps_pdf import map_drawing
from briefing_app.render.pdf_charts import chart_drawing
from briefing_app.render.pdf_fitting import FittingPicture
from briefing_app.render.pdf_fonts import clean_text
from briefing_app.render.pdf_footnotes import FootnoteLedger, LeftoverNotes, NoteCarrier
from briefing_app.render.pdf_markup import MarkupWriter, footnote_anchor
from briefing_app.render.pdf_pages import (
    FIGURE_ENTRY,
    TABLE_ENTRY,
    CaptionMark,
    ContentsItem,
    HeadingMark,
    contents_flowables,
    frame_widths,
)
from briefing_app.render.pdf_paragraph import BriefingParagraph
from briefing_app.render.pdf_pieces import paragraph_pieces
from briefing_app.render.pdf_styles import PdfStyles
from briefing_app.render.pdf_tables import table_flowable
from briefing_app.render.theme import Theme


def leads_in(block, following) -> bool:
    """A paragraph ending in a colon that a list or table follows: it
    introduces them, and a page break between the two reads as a cut."""
    return isinstance(following, (model.BulletList, model.Table)) and block.plain.rstrip().endswith(
        ":"
    )


class StoryBuilder:
    """Walks the blocks once, in order, and returns the flowables."""

    def __init__(self, document: Document, theme: Theme, styles: PdfStyles):
        self.document = document
        self.styles = styles
        self.theme = theme
        self.markup = MarkupWriter(styles.fonts, theme.colours.get("accent", "#2E75B6"))
        self.portrait_width, self.landscape_width = frame_widths(document.metadata, theme)
        self.anchors: dict[int, str] = {}  # block index -> destination name
        self.story: list = []
        self.ledger = FootnoteLedger({}, styles)
        self.contents: dict[str, list[ContentsItem]] = {}

    def build(self) -> list:
        self._assign_anchors()
        self._collect_contents()
        self.story.extend(self._cover())
        blocks = self.document.blocks
        if blocks:
            self.story += [NextPageTemplate("body"), PageBreak()]
        self._blocks = blocks
        for index, block in enumerate(blocks):
            self._add_block(index, block, is_last=index == len(blocks) - 1)
        self.ledger = self._notes()
        return self.story

    # --- blocks -----------------------------------------------------------

    def _add_block(self, index: int, block, is_last: bool) -> None:
        if isinstance(block, model.Heading):
            self._heading(block, self.anchors[index])
        elif isinstance(block, model.Paragraph):
            style = self.styles.paragraph.get(block.style, self.styles["body"])
            self._long_text(block.runs, style)
            if leads_in(block, self._blocks[index + 1] if index + 1 < len(self._blocks) else None):
                self.story[-1].keepWithNext = 1  # "...these:" stays with its list or table
        elif isinstance(block, model.BulletList):
            self._bullets(block, depth=0)
            self.story.append(Spacer(1, 3))
        elif isinstance(block, model.Table):
            self._table(block, f"table:{index}", is_last)
        elif isinstance(block, model.Figure):
            self._figure(block, f"figure:{index}")
        elif isinstance(block, model.PageBreak):
            self.story.append(PageBreak())
        elif isinstance(block, model.TableOfContents):
            headings = [
                item for item in self.contents["headings"] if item.level < max(block.max_level, 1)
            ]
            self._contents(block.title, contents_flowables(headings, self.styles, False))
        elif isinstance(block, model.ListOfTables):
            self._contents(
                block.title, contents_flowables(self.contents[TABLE_ENTRY], self.styles, True)
            )
        elif isinstance(block, model.ListOfFigures):
            self._contents(
                block.title, contents_flowables(self.contents[FIGURE_ENTRY], self.styles, True)
            )

    def _heading(self, heading: model.Heading, anchor: str) -> None:
        label = self.markup.plain(heading.label)
        flowable = self.styles.paragraph_of(
            f'<a name="{anchor}"/>{label}', self.styles.heading(heading.level)
        )
        flowable.briefing_mark = HeadingMark(
            heading.level, clean_text(heading.label), label, anchor
        )
        self.story.append(flowable)

    def _bullets(self, bullets: model.BulletList, depth: int) -> None:
        indent = 14 * (depth + 1)
        style = self.styles.derived(
            f"list{depth}",
            "list",
            leftIndent=indent + 4,
            bulletIndent=indent - 10,
            bulletFontName=self.styles.fonts.body,
        )
        for number, item in enumerate(bullets.items, start=1):
            bullet = f"{number}." if bullets.ordered else ("•" if depth % 2 == 0 else "–")
            if base_is_rtl(plain_text(item.runs)):
                # Mirrored: the text indented from the right, the bullet at the right.
                mirrored = self.styles.derived(
                    f"list{depth}_rtl",
                    "list",
                    rightIndent=indent + 4,
                    bulletIndent=indent - 10,
                    bulletFontName=self.styles.fonts.body,
                )
                self.story.append(self._text(item.runs, mirrored, rtl_bullet=bullet))
            else:
                self.story.append(self._text(item.runs, style, bullet=bullet))
            if item.children:
                self._bullets(item.children, depth + 1)

    def _caption(self, label: str, kind: str, anchor: str, style: str) -> RLParagraph:
        markup = self.markup.plain(label)
        flowable = self.styles.paragraph_of(f'<a name="{anchor}"/>{markup}', self.styles[style])
        flowable.briefing_mark = CaptionMark(kind, markup, anchor)
        return flowable

    def _table(self, table: model.Table, anchor: str, is_last: bool) -> None:
        width = self.landscape_width if table.landscape else self.portrait_width
        parts: list = []
        if table.caption_label:
            parts.append(self._caption(table.caption_label, TABLE_ENTRY, anchor, "caption"))
        flowable = table_flowable(table, width, self.styles, self.markup)
        if flowable is not None:
            parts.append(flowable)
        if table.source:
            parts.append(self._text(table.source, self.styles["source"]))
        else:
            parts.append(Spacer(1, 10))
        if table.landscape:
            self.story += [NextPageTemplate("landscape"), PageBreak(), *parts]
            self.story.append(NextPageTemplate("body"))
            if not is_last:
                self.story.append(PageBreak())
        else:
            self.story += parts

    def _figure(self, figure: model.Figure, anchor: str) -> None:
        fraction = min(max(figure.width_fraction, 0.1), 1.0)
        width = self.portrait_width * fraction
        picture = self._picture(figure, width)
        followers: list = []
        if figure.caption_label:
            followers.append(
                self._caption(figure.caption_label, FIGURE_ENTRY, anchor, "figure_caption")
            )
        if figure.source:
            source = self.styles.derived("figure_source", "source", alignment=1)
            followers.append(self._text(figure.source, source))
        else:
            followers.append(Spacer(1, 8))
        if picture is None:
            self.story.append(KeepTogether([Spacer(1, 6), *followers]))
            return
        # The picture shrinks to the room left on the page (pdf_fitting.py)
        # instead of leaving it blank; its caption stays with it.
        fitting = FittingPicture(picture, followers)
        fitting.spaceBefore = 6
        self.story += [fitting, *followers]

    def _picture(self, figure: model.Figure, width: float):
        max_height = 150 * mm  # leaves room for the caption on any page size
        if figure.chart is not None:
            height = min(width * 0.52, max_height)
            drawing = chart_drawing(
                figure.chart, width, height, self.styles.fonts, chart_palette(self.theme)
            )
            drawing.hAlign = "CENTER"
            return drawing
        if figure.map is not None:
            drawing = map_drawing(figure.map, width, self.styles.fonts, max_height)
            drawing.hAlign = "CENTER"
            return drawing
        if figure.image:
            try:
                reader = ImageReader(io.BytesIO(figure.image))
                pixel_width, pixel_height = reader.getSize()
            except Exception as exc:  # PIL raises many types for a broken picture
                raise RenderError(
                    f"the picture of {figure.caption_label!r} is not an image "
                    "that can be read (PNG or JPEG expected)"
                ) from exc
            height = width * pixel_height / pixel_width
            if height > max_height:
                width, height = width * max_height / height, max_height
            return Image(io.BytesIO(figure.image), width=width, height=height, hAlign="CENTER")
        return None

    def _contents(self, title: str, entries: list) -> None:
        self.story += [
            self.styles.paragraph_of(self.markup.plain(title), self.styles["contents_title"]),
            *entries,
            Spacer(1, 14),
        ]

    def _collect_contents(self) -> None:
        """Every contents line, from the blocks, before anything is laid out."""
        headings: list[ContentsItem] = []
        captions: dict[str, list[ContentsItem]] = {TABLE_ENTRY: [], FIGURE_ENTRY: []}
        for index, block in enumerate(self.document.blocks):
            if isinstance(block, model.Heading):
                headings.append(
                    ContentsItem(
                        max(block.level - 1, 0), self.markup.plain(block.label), self.anchors[index]
                    )
                )
            elif isinstance(block, model.Table) and block.caption_label:
                captions[TABLE_ENTRY].append(
                    ContentsItem(0, self.markup.plain(block.caption_label), f"table:{index}")
                )
            elif isinstance(block, model.Figure) and block.caption_label:
                captions[FIGURE_ENTRY].append(
                    ContentsItem(0, self.markup.plain(block.caption_label), f"figure:{index}")
                )
        self.contents = {"headings": headings, **captions}

    def _long_text(self, runs, style) -> None:
        """A paragraph, in pieces when long (pdf_pieces.py): one spacing before
        the first piece and after the last, none between them."""
        pieces = paragraph_pieces(runs)
        if len(pieces) == 1:
            self.story.append(self._text(runs, style))
            return
        name = style.name if style.name in self.styles.paragraph else "body"
        first = self.styles.derived(f"{name}_piece_first", name, spaceAfter=0)
        middle = self.styles.derived(f"{name}_piece", name, spaceBefore=0, spaceAfter=0)
        last = self.styles.derived(f"{name}_piece_last", name, spaceBefore=0)
        for n, piece in enumerate(pieces):
            chosen = first if n == 0 else (last if n == len(pieces) - 1 else middle)
            self.story.append(self._text(piece, chosen))

    def _text(self, runs, style, bullet: str | None = None, rtl_bullet: str | None = None):
        """A paragraph of runs; one with footnote marks keeps room for its notes."""
        before = len(self.markup.referenced)
        flowable = self.styles.paragraph_of(self.markup.runs(runs), style, bullet)
        if rtl_bullet:
            flowable.rtl_bullet = rtl_bullet
        if len(self.markup.referenced) > before:
            return NoteCarrier(flowable, self.ledger)
        return flowable

    # --- cover and notes --------------------------------------------------

    def _cover(self) -> list:
        meta, styles, plain = self.document.metadata, self.styles, self.markup.plain
        story: list = [Spacer(1, 18 * mm), BriefingParagraph(plain(meta.title), styles["title"])]
        if meta.subtitle:
            story.append(BriefingParagraph(plain(meta.subtitle), styles["subtitle"]))
        else:
            story.append(Spacer(1, 12))
        if meta.cover_rows:
            rows = [
                [
                    BriefingParagraph(plain(r.label), styles["cover_label"]),
                    BriefingParagraph(plain(r.value), styles["cover_value"]),
                ]
                for r in meta.cover_rows
            ]
            story.append(
                RLTable(
                    rows,
                    colWidths=[self.portrait_width * 0.34, self.portrait_width * 0.66],
                    hAlign="LEFT",
                    style=[
                        ("FONT", (0, 0), (-1, -1), styles.fonts.body, 9),
                        ("BACKGROUND", (0, 0), (0, -1), styles.stripe),
                        ("LINEBELOW", (0, 0), (-1, -1), 0.4, styles.rule),
                        ("LINEABOVE", (0, 0), (-1, 0), 1.2, styles.primary),
                        ("LINEBELOW", (0, -1), (-1, -1), 1.2, styles.primary),
                        ("VALIGN", (0, 0), (-1, -1), "TOP"),
                        ("TOPPADDING", (0, 0), (-1, -1), 3.5),
                        ("BOTTOMPADDING", (0, 0), (-1, -1), 4),
                    ],
                )
            )
        if meta.abstract:
            story += [
                Spacer(1, 10),
                BriefingParagraph(
                    f"{plain('Abstract:', bold=True)} {plain(meta.abstract)}", styles["abstract"]
                ),
            ]
        if meta.copyright:
            story.append(BriefingParagraph(plain(meta.copyright), styles["copyright"]))
        if meta.disclaimer:
            story.append(BriefingParagraph(plain(meta.disclaimer), styles["disclaimer"]))
        return story

    def _notes(self) -> FootnoteLedger:
        """The ledger of notes for the page feet; unreferenced notes go last."""
        referenced = set(self.markup.referenced)
        known = {note.number: note for note in self.document.footnotes}
        markup = {number: self.markup.runs(note.runs) for number, note in known.items()}
        ledger = self.ledger
        ledger.notes.update({n: markup[n] for n in known if n in referenced})
        self.story.append(LeftoverNotes(ledger))
        orphans = sorted(n for n in known if n not in referenced)
        if orphans:
            # A note no text points to would be lost at the page feet.
            self.story.append(
                BriefingParagraph(self.markup.plain("Notes"), self.styles["notes_title"])
            )
            self.story += [
                BriefingParagraph(
                    f'<a name="{footnote_anchor(n)}"/><super>{n}</super>\u2002{markup[n]}',
                    self.styles["footnote"],
                )
                for n in orphans
            ]
        return ledger

    def _assign_anchors(self) -> None:
        """Unique, PDF-safe destination names for headings (kept when given).

        Tables, figures and notes use names with a colon, which a heading's
        name never holds, so the two can never clash.
        """
        used: set[str] = set()
        for index, block in enumerate(self.document.blocks):
            if not isinstance(block, model.Heading):
                continue
            base = re.sub(r"[^A-Za-z0-9_.-]", "-", block.anchor) or f"heading-{index}"
            anchor, suffix = base, 2
            while anchor in used:
                anchor, suffix = f"{base}-{suffix}", suffix + 1
            used.add(anchor)
            self.anchors[index] = anchor
            # A link names the anchor as the document gave it; the first wins.
            self.markup.anchor_names.setdefault(block.anchor or anchor, anchor)
        self.markup.known_footnotes = {n.number for n in self.document.footnotes}
