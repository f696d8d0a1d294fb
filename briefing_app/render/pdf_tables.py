"""Document tables to ReportLab tables.

Big data tables (thousands of rows of short names) are the slow part of a
PDF build, so a cell that is plain text and fits its column on one line is
handed to ReportLab as a bare string, drawn without paragraph layout. Every
other cell (long text that must wrap, links, emphasis, footnote marks) is a
paragraph. Header rows repeat on each page the table spans; a row taller
than a page is split inside the row rather than failing the build.
"""

from __future__ import annotations

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Paragraph
from reportlab.platypus import Table as RLTable

from briefing_app.document import Cell, Table, Text
from briefing_app.render.pdf_fonts import clean_text
from briefing_app.render.pdf_markup import MarkupWriter
from briefing_app.render.pdf_styles import CELL_PADDING, PdfStyles


def column_widths(table: Table, total_width: float) -> list[float]:
    """Absolute widths from the table's relative weights (equal when unset)."""
    count = table.column_count
    weights = list(table.column_widths)
    if len(weights) != count or any(w <= 0 for w in weights):
        weights = [1.0] * count
    scale = total_width / sum(weights)
    return [w * scale for w in weights]


def table_flowable(table: Table, total_width: float, styles: PdfStyles,
                   markup: MarkupWriter) -> RLTable | None:
    """The ReportLab table for ``table`` filling ``total_width``; None if empty."""
    count = table.column_count
    if count == 0:
        return None
    widths = column_widths(table, total_width)
    header_count = len(table.header_rows)
    commands: list[tuple] = []
    data = [
        [Paragraph(markup.runs(cell, bold=True), styles["cell_header"]) for cell in _fit(row, count)]
        for row in table.header_rows
    ]
    cell_style = styles["cell"]
    one_line = cell_style.leading + _TOP_PADDING + _BOTTOM_PADDING
    heights: list[float | None] = [None] * header_count
    for row_index, row in enumerate(table.rows, start=header_count):
        cells = []
        height: float | None = one_line
        for col, cell in enumerate(_fit(row, count)):
            plain = _plain_string(cell)
            if plain is not None:
                font = _one_line_font(plain, widths[col], styles)
                if font is not None:
                    if font != styles.fonts.body:
                        commands.append(("FONTNAME", (col, row_index), (col, row_index), font))
                    cells.append(plain)
                    continue
            paragraph = Paragraph(markup.runs(cell), cell_style)
            cells.append(paragraph)
            if height is not None:
                needed = paragraph.wrap(widths[col] - 2 * CELL_PADDING, _MEASURE_ALL)[1]
                needed += _TOP_PADDING + _BOTTOM_PADDING
                # A row taller than a page is left to ReportLab, which splits it.
                height = None if needed > _TALL_ROW else max(height, needed)
        data.append(cells)
        heights.append(height)
    style = _base_style(styles, header_count, len(data))
    # Row heights are measured here once: ReportLab would measure every
    # remaining row again each time the table breaks onto a new page, which
    # grows with the square of the row count.
    flowable = _DataTable(data, colWidths=widths, rowHeights=heights, repeatRows=header_count,
                          splitByRow=1, splitInRow=1, hAlign="LEFT", style=style + commands)
    if len(data) > header_count + _LEAD_ROWS:
        lead = data[: header_count + _LEAD_ROWS]
        flowable.lead = RLTable(lead, colWidths=widths, repeatRows=header_count, style=style)
    return flowable


_TOP_PADDING, _BOTTOM_PADDING = 2.5, 3.0
_TALL_ROW = 300.0  # points; taller rows may need splitting across pages
# How many body rows must stay with the caption (and a heading before it).
_LEAD_ROWS = 3
# ReportLab asks "how tall is all of you?" with this height when it tries to
# keep a heading and caption together with what follows.
_MEASURE_ALL = 0xFFFFFFF


class _DataTable(RLTable):
    """A table that keeps only its first rows with the caption, cheaply.

    When a heading or caption asks to be kept with the table, ReportLab
    measures the whole table (all rows: slow for thousands) and, finding it
    taller than a page, moves it all to a new page. Answering that question
    with the size of the header and first rows instead keeps the caption with
    the start of the table, and the rest flows on as usual.
    """

    lead: RLTable | None = None

    def wrap(self, availWidth, availHeight):
        if self.lead is not None and availHeight >= _MEASURE_ALL:
            return self.lead.wrap(availWidth, availHeight)
        return super().wrap(availWidth, availHeight)


def _fit(row: tuple[Cell, ...], count: int) -> tuple[Cell, ...]:
    # A ragged row (assembly bug or hand-made data) is padded, not a crash.
    return row[:count] if len(row) >= count else row + ("",) * (count - len(row))


def _plain_string(cell: Cell) -> str | None:
    """The cell's text if it carries no formatting at all, else None."""
    if isinstance(cell, str):
        text = cell
    elif all(isinstance(r, Text) and not (r.bold or r.italic or r.code or r.link) for r in cell):
        text = "".join(r.text for r in cell)
    else:
        return None
    text = clean_text(text)
    return None if "\n" in text else text


def _one_line_font(text: str, column_width: float, styles: PdfStyles) -> str | None:
    """The face to draw ``text`` as a bare string, or None if it must wrap."""
    size = styles["cell"].fontSize
    room = column_width - 2 * CELL_PADDING
    if len(text) * size * 0.3 > room:  # cheap bound: even narrow glyphs would not fit
        return None
    font = styles.fonts.font_for_line(text, styles.fonts.body)
    return font if stringWidth(text, font, size) <= room else None


def _base_style(styles: PdfStyles, header_count: int, row_count: int) -> list[tuple]:
    cell = styles["cell"]
    commands: list[tuple] = [
        ("FONT", (0, 0), (-1, -1), styles.fonts.body, cell.fontSize, cell.leading),
        ("TEXTCOLOR", (0, 0), (-1, -1), cell.textColor),
        ("VALIGN", (0, 0), (-1, -1), "TOP"),
        ("LEFTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("RIGHTPADDING", (0, 0), (-1, -1), CELL_PADDING),
        ("TOPPADDING", (0, 0), (-1, -1), _TOP_PADDING),
        ("BOTTOMPADDING", (0, 0), (-1, -1), _BOTTOM_PADDING),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, styles.rule),
        ("BOX", (0, 0), (-1, -1), 0.5, styles.rule),
    ]
    if row_count > header_count:
        commands.append(("ROWBACKGROUNDS", (0, header_count), (-1, -1),
                         [colors.white, styles.stripe]))
    if header_count:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_count - 1), styles.header_fill),
            ("VALIGN", (0, 0), (-1, header_count - 1), "MIDDLE"),
            ("LINEBELOW", (0, header_count - 1), (-1, header_count - 1), 1, styles.primary),
            ("LINEAFTER", (0, 0), (-2, header_count - 1), 0.25, colors.white),
        ]
    return commands
