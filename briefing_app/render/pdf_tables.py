"""Document tables to ReportLab tables.

Big data tables (thousands of rows of short names) are the slow part of a
PDF build, so a cell that is plain text and fits its column on one line is
handed to ReportLab as a bare string, drawn without paragraph layout. Every
other cell (long text that must wrap, links, emphasis, footnote marks) is a
paragraph. Row heights are measured once, and long tables are laid out a
window of rows at a time (:class:`_TableStream`), so the build time grows
with the row count, not its square. Header rows repeat on each page the
table spans; a row taller than a page is split inside the row rather than
failing the build.
"""

from __future__ import annotations

from bisect import bisect_right
from itertools import accumulate

from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth
from reportlab.platypus import Flowable
from reportlab.platypus import Table as RLTable

from briefing_app.document import Cell, Table, Text
from briefing_app.render.bidi import has_rtl
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


def table_flowable(
    table: Table, total_width: float, styles: PdfStyles, markup: MarkupWriter
) -> Flowable | None:
    """The flowable for ``table`` filling ``total_width``; None if it is empty."""
    count = table.column_count
    if count == 0:
        return None
    widths = column_widths(table, total_width)
    header_style = styles["cell_header"]
    header = [
        [
            styles.paragraph_of(markup.runs(cell, bold=True), header_style)
            for cell in _fit(row, count)
        ]
        for row in table.header_rows
    ]
    rows = _TableRows(header, widths, styles)
    for row in table.rows:
        rows.add(_fit(row, count), markup)
    if rows.count > _LONG_TABLE and not rows.has_tall_rows:
        return _TableStream(rows, 0)
    return rows.table(0, rows.count, entire=True)


# A table of this many body rows or fewer, no taller than _TINY_HEIGHT
# points, moves whole to the next page rather than split.
_TINY_ROWS = 5
_TINY_HEIGHT = 160.0
# A long table answers "how tall is all of you?" (asked with this height when
# ReportLab plans a heading and caption kept with it) with its first rows
# only: measuring thousands of rows to learn that they do not fit is slow.
_LEAD_ROWS = 3
_MEASURE_ALL = 0xFFFFFFF
_TOP_PADDING, _BOTTOM_PADDING = 2.5, 3.0
_TALL_ROW = 300.0  # points; taller rows may need splitting across pages
# Long tables are handed to ReportLab a window of rows at a time, rows
# enough to fill more than this height (taller than any page's frame).
_WINDOW_HEIGHT = 1200.0
_LONG_TABLE = 120  # rows; shorter tables go to ReportLab whole


class _TableRows:
    """Cells of one table, ready for ReportLab, with each body row's height."""

    def __init__(self, header: list[list], widths: list[float], styles: PdfStyles):
        self.header = header
        self.widths = widths
        self.styles = styles
        self.cells: list[list] = []
        self.heights: list[float | None] = []
        self.cjk_cells: dict[int, list[int]] = {}  # body row -> columns drawn in CJK
        self.one_line = styles["cell"].leading + _TOP_PADDING + _BOTTOM_PADDING
        self._tops: list[float] = []  # running total of row heights, for windows

    @property
    def count(self) -> int:
        return len(self.cells)

    @property
    def has_tall_rows(self) -> bool:
        return None in self.heights

    def window_end(self, start: int) -> int:
        """End of a window from ``start`` taller than any page (or the last row)."""
        if len(self._tops) != self.count + 1:
            self._tops = list(accumulate((h or 0.0 for h in self.heights), initial=0.0))
        return min(bisect_right(self._tops, self._tops[start] + _WINDOW_HEIGHT), self.count)

    def add(self, row: tuple[Cell, ...], markup: MarkupWriter) -> None:
        cells = []
        height: float | None = self.one_line
        for col, cell in enumerate(row):
            plain = _plain_string(cell)
            if plain is not None:
                font = _one_line_font(plain, self.widths[col], self.styles)
                if font is not None:
                    if font != self.styles.fonts.body:
                        self.cjk_cells.setdefault(len(self.cells), []).append(col)
                    cells.append(plain)
                    continue
            paragraph = self.styles.paragraph_of(markup.runs(cell), self.styles["cell"])
            cells.append(paragraph)
            if height is not None:
                needed = paragraph.wrap(self.widths[col] - 2 * CELL_PADDING, _MEASURE_ALL)[1]
                needed += _TOP_PADDING + _BOTTOM_PADDING
                # A row taller than a page is left to ReportLab, which splits it.
                height = None if needed > _TALL_ROW else max(height, needed)
        self.cells.append(cells)
        self.heights.append(height)

    def table(self, start: int, stop: int, entire: bool = False) -> _DataTable:
        """A ReportLab table of the header and body rows ``start:stop``.

        Row heights are passed in, measured once: ReportLab would otherwise
        measure every remaining row again each time the table breaks onto a
        new page, which grows with the square of the row count.
        """
        header_count = len(self.header)
        style = _base_style(
            self.styles, header_count, header_count + stop - start, odd_start=start % 2 == 1
        )
        for row in range(start, stop):
            for col in self.cjk_cells.get(row, ()):
                at = (col, row - start + header_count)
                style.append(("FONTNAME", at, at, self.styles.fonts.cjk))
        flowable = _DataTable(
            self.header + self.cells[start:stop],
            colWidths=self.widths,
            rowHeights=[None] * header_count + self.heights[start:stop],
            repeatRows=header_count,
            splitByRow=1,
            # Splitting inside a row is only wanted for rows taller than a page.
            splitInRow=int(None in self.heights[start:stop]),
            hAlign="LEFT",
            style=style,
        )
        if entire:  # the whole table, not a window of a long one
            height = sum(h or _TALL_ROW for h in self.heights[start:stop])
            flowable.whole = stop - start <= _TINY_ROWS and height <= _TINY_HEIGHT
        return flowable


class _DataTable(RLTable):
    """A ReportLab table that keeps a tiny table whole and a split tidy.

    A tiny table (:data:`_TINY_ROWS` body rows or fewer, short) is never
    split: it moves whole to the next page. A split never leaves a single
    body row alone under the repeated header on the next page when the first
    part can spare one. How much of a table must stay with its caption is
    decided by the document's keep rule (``pdf_keep.KeepWithStart``).
    """

    whole = False  # set on tiny tables; parts made by a split are never tiny

    def split(self, availWidth, availHeight):
        if self.whole:
            return []
        parts = super().split(availWidth, availHeight)
        if len(parts) == 2 and _body_rows(parts[1]) == 1 and _body_rows(parts[0]) >= 3:
            # One row alone on the next page: take one more along with it.
            parts[0].wrap(availWidth, availHeight)
            fewer = super().split(availWidth, sum(parts[0]._rowHeights[:-1]) + 0.01)
            if len(fewer) == 2 and _body_rows(fewer[1]) == 2:
                return fewer
        return parts


def _body_rows(table: RLTable) -> int:
    return len(table._cellvalues) - table.repeatRows


class _TableStream(Flowable):
    """A long table laid out a window of rows at a time.

    ReportLab copies all remaining rows each time a table breaks onto a new
    page; for thousands of rows that copying dominates the build. This
    flowable hands it a window of rows (more than a page holds), keeps the
    part that fits, and continues from the first row not yet printed.
    """

    splits_with_start = True  # pdf_keep: a caption may stay with its first rows

    def __init__(self, rows: _TableRows, start: int):
        super().__init__()
        self.rows = rows
        self.start = start
        self.hAlign = "LEFT"
        self._tail: _DataTable | None = None

    def _is_tail(self) -> bool:
        return self.rows.window_end(self.start) >= self.rows.count

    def wrap(self, availWidth, availHeight):
        if self._is_tail():
            self._tail = self.rows.table(self.start, self.rows.count)
            self.width, self.height = self._tail.wrap(availWidth, availHeight)
            return self.width, self.height
        if availHeight >= _MEASURE_ALL:
            lead = self.rows.table(self.start, self.start + _LEAD_ROWS)
            return lead.wrap(availWidth, availHeight)
        self.width, self.height = sum(self.rows.widths), _MEASURE_ALL
        return self.width, self.height  # never fits: the frame asks to split

    def split(self, availWidth, availHeight):
        if self._is_tail():
            return self.rows.table(self.start, self.rows.count).split(availWidth, availHeight)
        window = self.rows.table(self.start, self.rows.window_end(self.start))
        parts = window.split(availWidth, availHeight)
        if not parts:
            return []
        printed = len(parts[0]._cellvalues) - len(self.rows.header)
        if printed <= 0:
            return []
        return [parts[0], _TableStream(self.rows, self.start + printed)]

    def draw(self):
        if self._tail is not None:
            self._tail.drawOn(self.canv, 0, 0)


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
    # A bare string is drawn as it is: right-to-left text needs a paragraph
    # to be shaped and put in visual order.
    return None if "\n" in text or has_rtl(text) else text


def _one_line_font(text: str, column_width: float, styles: PdfStyles) -> str | None:
    """The face to draw ``text`` as a bare string, or None if it must wrap."""
    size = styles["cell"].fontSize
    room = column_width - 2 * CELL_PADDING
    if len(text) * size * 0.3 > room:  # cheap bound: even narrow glyphs would not fit
        return None
    font = styles.fonts.font_for_line(text, styles.fonts.body)
    if font != styles.fonts.body and styles.fonts.draws_any(styles.fonts.body, text):
        # Mixed scripts ("Energy Administration (国家能源局)"): a paragraph draws
        # each span in its own face, so the Latin words match the column's.
        return None
    return font if stringWidth(text, font, size) <= room else None


def _base_style(
    styles: PdfStyles, header_count: int, row_count: int, odd_start: bool = False
) -> list[tuple]:
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
        # A window that starts on an odd row keeps the stripes in step.
        stripes = [styles.stripe, colors.white] if odd_start else [colors.white, styles.stripe]
        commands.append(("ROWBACKGROUNDS", (0, header_count), (-1, -1), stripes))
    if header_count:
        commands += [
            ("BACKGROUND", (0, 0), (-1, header_count - 1), styles.header_fill),
            ("VALIGN", (0, 0), (-1, header_count - 1), "MIDDLE"),
            ("LINEBELOW", (0, header_count - 1), (-1, header_count - 1), 1, styles.primary),
            ("LINEAFTER", (0, 0), (-2, header_count - 1), 0.25, colors.white),
        ]
    return commands
