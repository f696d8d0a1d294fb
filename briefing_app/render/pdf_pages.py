"""Page layout of the PDF: templates, running header, "Page N of M" footer.

The content (flowables, ``pdf_backend.py``) knows nothing of pages; this module
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
from reportlab.pdfgen.canvas import Canvas
from reportlab.platypus import BaseDocTemplate, Frame, PageTemplate, Paragraph
from reportlab.platypus.tableofcontents import TableOfContents

from briefing_app.document import Metadata
from briefing_app.render.pdf_fonts import FontSet, clean_text
from briefing_app.render.pdf_footnotes import FootnoteLedger
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


class ContentsList(TableOfContents):
    """A contents list for one kind of entry, down to ``max_level``."""

    def __init__(self, kind: str, max_level: int, styles: PdfStyles, caption_list: bool):
        level_styles = [styles["toc_caption"]] if caption_list else \
            [styles[f"toc{n}"] for n in range(4)]
        # The table's own font (Helvetica by default) is never drawn but would
        # be listed, unembedded, in the PDF: name the body face instead.
        table_style = [("FONT", (0, 0), (-1, -1), styles.fonts.body, 10),
                       ("LEFTPADDING", (0, 0), (-1, -1), 0),
                       ("RIGHTPADDING", (0, 0), (-1, -1), 0),
                       ("TOPPADDING", (0, 0), (-1, -1), 0),
                       ("BOTTOMPADDING", (0, 0), (-1, -1), 0)]
        super().__init__(levelStyles=level_styles, notifyKind=kind, tableStyle=table_style,
                         dotsMinLevel=0, rightColumnWidth=40)
        self.max_level = max_level
        # ReportLab prints "Placeholder for table of contents" for an empty
        # list; a briefing without figures says "(none)" under "Figures".
        self._none = Paragraph("(none)", styles["toc_caption"].clone(
            "toc_none", textColor=styles.muted))

    def notify(self, kind, stuff):
        if kind == self._notifyKind and stuff[0] < self.max_level:
            self.addEntry(*stuff)

    def wrap(self, availWidth, availHeight):
        if not self._lastEntries:
            self.width, self.height = self._none.wrap(availWidth, availHeight)
            return self.width, self.height
        return super().wrap(availWidth, availHeight)

    def split(self, availWidth, availHeight):
        return [] if not self._lastEntries else super().split(availWidth, availHeight)

    def drawOn(self, canvas, x, y, _sW=0):
        if not self._lastEntries:
            self._none.drawOn(canvas, x, y, _sW)
        else:
            super().drawOn(canvas, x, y, _sW)


def page_size(metadata: Metadata) -> tuple[float, float]:
    return LETTER if metadata.page_size == "Letter" else A4


def frame_widths(metadata: Metadata, theme: Theme) -> tuple[float, float]:
    """Usable text width of a portrait and of a landscape page, in points."""
    width, height = page_size(metadata)
    margins = (theme.margins_mm.get("left", 22) + theme.margins_mm.get("right", 22)) * mm
    return width - margins, height - margins


class BriefingDocTemplate(BaseDocTemplate):
    """Pages for a briefing; reports progress after each laid-out flowable."""

    def __init__(self, filename: str, metadata: Metadata, theme: Theme, styles: PdfStyles,
                 flowable_count: int, progress: Callable[[float], None] | None,
                 notes: FootnoteLedger | None = None):
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
        )
        self._styles = styles
        self._notes = notes
        self._progress = progress
        self._flowable_count = max(flowable_count, 1)
        self._pass = -1
        self._reported = 0.0
        self._header = clean_text(metadata.header_text or metadata.title)
        margins = {k: theme.margins_mm.get(k, 22) * mm for k in ("top", "bottom", "left", "right")}
        decorate = _PageDecoration(self._header, styles, margins)
        self.addPageTemplates([
            PageTemplate("cover", [_frame(portrait, margins, "cover")], onPage=decorate.cover,
                         pagesize=portrait, autoNextPageTemplate="body"),
            PageTemplate("body", [_frame(portrait, margins, "body")], onPage=decorate.body,
                         pagesize=portrait),
            PageTemplate("landscape", [_frame(landscape(portrait), margins, "landscape")],
                         onPage=decorate.body, pagesize=landscape(portrait)),
        ])

    def beforeDocument(self):
        self._pass += 1
        self._done = 0
        self._outline_level = -1
        self.canv.showOutline()  # open with the bookmarks panel showing
        if self._notes is not None:
            self._notes.attach(self.canv)

    def beforePage(self):
        if self._notes is not None:
            self._notes.place(self.canv, self.pageTemplate.frames[0], self.page)

    def afterFlowable(self, flowable):
        mark = getattr(flowable, "briefing_mark", None)
        if isinstance(mark, HeadingMark):
            self._add_heading(mark)
        elif isinstance(mark, CaptionMark):
            self.notify(mark.kind, (0, mark.markup, self.page, mark.anchor))
        self._done += 1
        if self._progress is not None:
            # Contents need about three layout passes; report across them, in
            # steps of a percent so a window is not flooded with updates.
            share = min((self._pass + min(self._done / self._flowable_count, 1.0)) / 3, 0.97)
            if share >= self._reported + 0.01:
                self._reported = share
                self._progress(share)

    def _add_heading(self, mark: HeadingMark) -> None:
        # The PDF outline cannot skip levels (1 then 3): clamp to one deeper.
        depth = max(mark.level - 1, 0)
        level = min(depth, self._outline_level + 1)
        self._outline_level = level
        self.canv.addOutlineEntry(mark.plain, mark.anchor, level, closed=level >= 1)
        self.notify("TOCEntry", (depth, mark.markup, self.page, mark.anchor))


def _frame(size: tuple[float, float], margins: dict[str, float], name: str) -> Frame:
    width, height = size
    return Frame(margins["left"], margins["bottom"], width - margins["left"] - margins["right"],
                 height - margins["top"] - margins["bottom"], id=name,
                 leftPadding=0, rightPadding=0, topPadding=0, bottomPadding=0)


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
        canvas.briefing_footer = (width - self.margins["right"], self.margins["bottom"] - 10 * mm,
                                  self.fonts.body, self.styles.muted)

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
        canvas.drawString(left, top, _fit(canvas, self.header, font, 8, right - left))
        canvas.restoreState()
        # The page total is known only when every page is laid out:
        # NumberedCanvas writes "Page N of M" here when the file is saved.
        canvas.briefing_footer = (right, bottom, self.fonts.body, self.styles.muted)


def _fit(canvas: Canvas, text: str, font: str, size: float, width: float) -> str:
    if canvas.stringWidth(text, font, size) <= width:
        return text
    while text and canvas.stringWidth(text + "…", font, size) > width:
        text = text[: max(len(text) - max(len(text) // 8, 1), 0)]
    return text + "…"


class NumberedCanvas(Canvas):
    """A canvas that holds its pages until the end to print "Page N of M"."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._held_pages: list[dict] = []
        self.briefing_footer = None

    def showPage(self):
        self._held_pages.append(dict(self.__dict__))
        self._startPage()
        self.briefing_footer = None

    def save(self):
        total = len(self._held_pages)
        for number, state in enumerate(self._held_pages, start=1):
            self.__dict__.update(state)
            if self.briefing_footer is not None:
                self._draw_page_number(number, total)
            super().showPage()
        super().save()

    def _draw_page_number(self, number: int, total: int) -> None:
        right, bottom, font, colour = self.briefing_footer
        self.saveState()
        self.setFont(font, 8)
        self.setFillColor(colour)
        self.drawRightString(right, bottom, f"Page {number} of {total}")
        self.restoreState()
