"""Page layout of the PDF: templates, running header, "Page N of M" footer.

The content (flowables, ``pdf_story.py``) knows nothing of pages; this module
lays it out on three page templates:

* ``cover``: a band in the theme's primary colour, no running header;
* ``body``: portrait, running header and "Page N of M" footer;
* ``landscape``: the same on a turned page, for wide tables.

It also turns the marks the backend leaves on flowables into the PDF's
navigation: outline (bookmarks) entries for headings, entries for the
contents and the lists of tables and figures, with their page numbers.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reportlab.lib.pagesizes import A4, LETTER, landscape
from reportlab.lib.units import mm
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Flowable, Frame, PageTemplate

from briefing_app.document import Metadata
from briefing_app.render.bidi import has_rtl, shape, visual_line
from briefing_app.render.pdf_fonts import FontSet, clean_text, find_missing_glyphs
from briefing_app.render.pdf_footnotes import FootnoteLedger
from briefing_app.render.pdf_keep import KeepWithStart
from briefing_app.render.pdf_paragraph import BriefingParagraph
from briefing_app.render.pdf_styles import PdfStyles
from briefing_app.render.theme import Theme

TABLE_ENTRY = "TableEntry"
FIGURE_ENTRY = "FigureEntry"


@dataclass(frozen=True)
class HeadingMark:
    """Left on a heading flowable: where it goes in outline and contents."""

    level: int
    plain: str
    markup: str
    anchor: str


@dataclass(frozen=True)
class CaptionMark:
    """Left on a caption flowable: an entry of the list of tables or figures."""

    kind: str  # TABLE_ENTRY or FIGURE_ENTRY
    markup: str
    anchor: str


CONTENTS_CALLBACK = "briefing_contents_entry"
_DOT = " . "
_NUMBER_COLUMN = 30.0  # points kept free at the right of an entry for its page number


@dataclass(frozen=True)
class ContentsItem:
    """One line of a contents list, known before layout: only its page is not."""

    level: int  # 0 for top headings and for every caption
    markup: str
    anchor: str


def contents_flowables(
    items: list[ContentsItem], styles: PdfStyles, caption_list: bool
) -> list[Flowable]:
    """Paragraphs for a contents list, or a muted "(none)" when it is empty.

    Every entry's words are final before layout, so the list takes its
    final height in the single layout pass; each entry ends with a callback
    that leaves a slot on the page, and :class:`NumberedCanvas` fills the
    slot with the dot leader and page number when the file is saved.
    """
    if not items:
        return [
            styles.paragraph_of(
                "(none)", styles.derived("toc_none", "toc_caption", textColor=styles.muted)
            )
        ]
    flowables: list[Flowable] = []
    for item in items:
        base = styles["toc_caption"] if caption_list else styles[f"toc{min(item.level, 3)}"]
        style = styles.derived(
            f"{base.name}_entry", base.name, rightIndent=base.rightIndent + _NUMBER_COLUMN
        )
        markup = (
            f'<a href="#{item.anchor}">{item.markup}</a>'
            f'<onDraw name="{CONTENTS_CALLBACK}" label="{item.anchor}"/>'
        )
        flowables.append(styles.paragraph_of(markup, style, kind=_ContentsEntry))
    return flowables


class _ContentsEntry(BriefingParagraph):
    """A contents line; tells the canvas its width and style while drawn.

    A right-to-left title stays at the start of the line like the others, so
    its dot leader runs to the page number as theirs do.
    """

    rtl_flush_right = False

    def draw(self):
        self.canv.briefing_entry = (self.width, self.style)
        super().draw()


def page_size(metadata: Metadata) -> tuple[float, float]:
    return LETTER if metadata.page_size == "Letter" else A4


def frame_widths(metadata: Metadata, theme: Theme) -> tuple[float, float]:
    """Usable text width of a portrait and of a landscape page, in points."""
    width, height = page_size(metadata)
    margins = (theme.margins_mm.get("left", 22) + theme.margins_mm.get("right", 22)) * mm
    return width - margins, height - margins


class BriefingDocTemplate(BaseDocTemplate):
    """Pages for a briefing, laid out in a single pass (``build``, not ``multiBuild``).

    Nothing needs a second pass: contents lines are known before layout and
    get their page numbers when the file is saved (:class:`NumberedCanvas`),
    and footnotes find their page while the text is laid out
    (``pdf_footnotes.py``). Reports progress after each laid-out flowable.
    A heading or caption stays with the start of what follows, not all of it
    (``pdf_keep.py``).
    """

    def __init__(
        self,
        filename: str,
        metadata: Metadata,
        theme: Theme,
        styles: PdfStyles,
        flowable_count: int,
        progress: Callable[[float], None] | None,
        notes: FootnoteLedger | None = None,
    ):
        portrait = page_size(metadata)
        super().__init__(
            filename,
            pagesize=portrait,
            title=clean_text(metadata.title),
            author=clean_text(metadata.author),
            subject=clean_text(metadata.subject),
            keywords=[clean_text(k) for k in metadata.keywords],
            creator="Briefing Builder",
            lang=metadata.language or "en",
            # Without this every page opens with Helvetica, a font not embedded.
            initialFontName=styles.fonts.body,
            displayDocTitle=1,  # viewers show the title, not the file name
            keepTogetherClass=KeepWithStart,
        )
        self._styles = styles
        self._notes = notes
        self._progress = progress
        self._flowable_count = max(flowable_count, 1)
        self._reported = 0.0
        self._header = clean_text(metadata.header_text or metadata.title)
        margins = {k: theme.margins_mm.get(k, 22) * mm for k in ("top", "bottom", "left", "right")}
        decorate = _PageDecoration(self._header, styles, margins)
        self.addPageTemplates(
            [
                PageTemplate(
                    "cover",
                    [_frame(portrait, margins, "cover")],
                    onPage=decorate.cover,
                    pagesize=portrait,
                    autoNextPageTemplate="body",
                ),
                PageTemplate(
                    "body",
                    [_frame(portrait, margins, "body")],
                    onPage=decorate.body,
                    pagesize=portrait,
                ),
                PageTemplate(
                    "landscape",
                    [_frame(landscape(portrait), margins, "landscape")],
                    onPage=decorate.body,
                    pagesize=landscape(portrait),
                ),
            ]
        )

    def beforeDocument(self):
        self._done = 0
        self._outline_level = -1
        self.canv.showOutline()  # open with the bookmarks panel showing
        if self._notes is not None:
            self._notes.attach(self.canv)

    def beforePage(self):
        if self._notes is not None:
            self._notes.begin_page(self.pageTemplate.frames[0])

    def afterPage(self):
        if self._notes is not None:
            self._notes.end_page(self.canv, self.frame)

    def afterFlowable(self, flowable):
        mark = getattr(flowable, "briefing_mark", None)
        if isinstance(mark, HeadingMark):
            self._add_heading(mark)
        elif isinstance(mark, CaptionMark):
            self.canv.briefing_pages[mark.anchor] = self.page
        if self._notes is not None:
            self._notes.settle(self.frame, flowable.getSpaceAfter())
        self._done += 1
        if self._progress is not None:
            # In steps of a percent, so a window is not flooded with updates.
            share = min(self._done / self._flowable_count, 0.97)
            if share >= self._reported + 0.01:
                self._reported = share
                self._progress(share)

    def _add_heading(self, mark: HeadingMark) -> None:
        # The PDF outline cannot skip levels (1 then 3): clamp to one deeper.
        depth = max(mark.level - 1, 0)
        level = min(depth, self._outline_level + 1)
        self._outline_level = level
        self.canv.addOutlineEntry(mark.plain, mark.anchor, level, closed=level >= 1)
        self.canv.briefing_pages[mark.anchor] = self.page


def _frame(size: tuple[float, float], margins: dict[str, float], name: str) -> Frame:
    width, height = size
    return Frame(
        margins["left"],
        margins["bottom"],
        width - margins["left"] - margins["right"],
        height - margins["top"] - margins["bottom"],
        id=name,
        leftPadding=0,
        rightPadding=0,
        topPadding=0,
        bottomPadding=0,
    )


class _PageDecoration:
    """Draws what every page carries besides its content."""

    def __init__(self, header: str, styles: PdfStyles, margins: dict[str, float]):
        self.header = header
        self.styles = styles
        self.fonts: FontSet = styles.fonts
        self.margins = margins

    def cover(self, canvas: Canvas, doc) -> None:
        width, height = canvas._pagesize
        canvas.saveState()
        canvas.setFillColor(self.styles.primary)
        canvas.rect(0, height - 14 * mm, width, 14 * mm, stroke=0, fill=1)
        canvas.setFillColor(self.styles.accent)
        canvas.rect(0, height - 15.5 * mm, width, 1.5 * mm, stroke=0, fill=1)
        canvas.restoreState()
        canvas.briefing_footer = (
            width - self.margins["right"],
            self.margins["bottom"] - 10 * mm,
            self.fonts.body,
            self.styles.muted,
        )

    def body(self, canvas: Canvas, doc) -> None:
        width, height = canvas._pagesize
        left, right = self.margins["left"], width - self.margins["right"]
        top = height - self.margins["top"] + 8 * mm
        bottom = self.margins["bottom"] - 10 * mm
        canvas.saveState()
        canvas.setStrokeColor(self.styles.rule)
        canvas.setLineWidth(0.5)
        canvas.line(left, top - 2.5 * mm, right, top - 2.5 * mm)
        canvas.line(left, bottom + 4.5 * mm, right, bottom + 4.5 * mm)
        font = self.fonts.font_for_line(self.header, self.fonts.body)
        canvas.setFont(font, 8)
        canvas.setFillColor(self.styles.muted)
        canvas.drawString(left, top, self._header_line(canvas, font, right - left))
        canvas.restoreState()
        # The page total is known only when every page is laid out:
        # NumberedCanvas writes "Page N of M" here when the file is saved.
        canvas.briefing_footer = (right, bottom, self.fonts.body, self.styles.muted)

    def _header_line(self, canvas: Canvas, font: str, width: float) -> str:
        """The header text as drawn: shortened in reading order, then in visual order."""
        text = self.header
        if not has_rtl(text):
            return _fit(canvas, text, font, 8, width)
        text = shape(text, lambda shaped: not find_missing_glyphs(shaped, self.fonts))
        return visual_line(_fit(canvas, text, font, 8, width))


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[: max(len(text) - max(len(text) // 8, 1), 0)]
    return text + "…"


class NumberedCanvas(Canvas):
    """A canvas that holds its pages until the end to fill in page numbers.

    "Page N of M" needs the page total, and a contents entry needs the page
    of a heading that comes later: both are known only when every page is
    laid out. A contents entry leaves an empty slot in the page's drawing
    commands where its dot leader and number belong; :meth:`save` fills the
    slots from :attr:`briefing_pages` (destination name -> page number),
    which the page layout fills as headings and captions are placed.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict] = []
        self.briefing_footer = None
        self.briefing_pages: dict[str, int] = {}
        self.briefing_entry = None
        self._entry_slots: list[tuple] = []
        self.setNamedCB(CONTENTS_CALLBACK, self._contents_slot)

    def showPage(self):
        self._held_pages.append(dict(self.__dict__))
        # Link targets and bookmarks name the page by the document's page
        # counter, which only moves when a page is written: move it now, or
        # every destination would point at the first page.
        self._doc.pageCounter += 1
        self._startPage()
        self.briefing_footer = None
        self._entry_slots = []

    def save(self):
        total = len(self._held_pages)
        self._doc.pageCounter = 1  # written for real now, from the first page
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            for slot in self._entry_slots:
                self._fill_slot(*slot)
            if self.briefing_footer is not None:
                self._draw_page_number(number, total)
            super().showPage()
        super().save()

    def _contents_slot(self, canvas, kind, anchor) -> None:
        # Called while an entry is drawn, with the text position at the end
        # of its words, in the entry's own coordinates.
        width, style = self.briefing_entry
        x, y = self._curr_tx_info["cur_x"], self._curr_tx_info["cur_y"]
        self._code.append("")
        self._entry_slots.append((len(self._code) - 1, x, y, width, style, anchor))
        self.linkRect("", anchor, (width - _NUMBER_COLUMN, y, width, y + style.leading), relative=1)

    def _fill_slot(self, index: int, x: float, y: float, width: float, style, anchor: str) -> None:
        page = str(self.briefing_pages.get(anchor, ""))
        font, size = style.fontName, style.fontSize
        number_width = stringWidth(page, font, size)
        dot_width = stringWidth(_DOT, font, size)
        dots = max(int((width - x - number_width) / dot_width), 0)
        text = self.beginText(width - dots * dot_width - number_width, y)
        text.setFont(font, size)
        text.setFillColor(style.textColor)
        text.textLine(_DOT * dots + page)
        self._code[index] = f"q {text.getCode()} Q"

    def _draw_page_number(self, number: int, total: int) -> None:
        right, bottom, font, colour = self.briefing_footer
        self.saveState()
        self.setFont(font, 8)
        self.setFillColor(colour)
        self.drawRightString(right, bottom, f"Page {number} of {total}")
        self.restoreState()
