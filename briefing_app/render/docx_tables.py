"""Tables as WordprocessingML, fast enough for ten thousand rows.

python-docx adds rows and reaches cells through object wrappers that cost
milliseconds per row; a briefing's annex tables run to thousands. Here the
rows are written as XML text and parsed a chunk at a time, which keeps a
10,000-row table to about a second. Header rows repeat on every page
(``w:tblHeader``); short rows do not split across pages; the layout is fixed so
Word does not measure every cell before showing the table.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from briefing_app.document import Cell, Table, plain_text
from briefing_app.render.docx_styles import StyleMap
from briefing_app.render.docx_text import InlineWriter, RunProps, paragraph_properties, text_runs

ROWS_PER_CHUNK = 500
_UNSPLIT_CHARACTERS = 600


class TableWriter:
    """Builds ``w:tbl`` elements in the reference file's table styles."""

    def __init__(self, styles: StyleMap, inline: InlineWriter, colours: dict[str, str]) -> None:
        self._inline = inline
        self._east = inline.context.east_asia_font
        self._grid_style = styles.table("Table Grid")
        self._text_style = styles.paragraph("Table Text")
        self._head_style = styles.paragraph("Table Heading", "Table Text")
        self._head_fill = _hex(colours.get("table_header", "#1F3864"))
        self._stripe_fill = _hex(colours.get("table_stripe", "#EEF3FA"))
        # Header text colour is also set on the runs, so a replaced reference
        # file without a 'Table Heading' style still gets readable headers.
        self._head_props = RunProps(
            bold=True, colour=_hex(colours.get("table_header_text", "#FFFFFF"))
        )

    def table(
        self,
        table: Table,
        width_twips: int,
        place: Callable[[object], None],
        progress: Callable[[float], None] | None = None,
    ) -> None:
        """Write ``table``: ``place`` puts the table element into the document
        before its rows arrive, so each row is moved between XML trees once;
        ``progress`` gets the fraction of rows done."""
        columns = max((len(row) for row in table.header_rows + table.rows), default=0)
        widths = column_twips(table.column_widths, columns, width_twips)
        head = "".join(self._row(row, widths, header=True) for row in table.header_rows)
        tbl = parse_xml(f"<w:tbl {nsdecls('w', 'r')}>{self._properties(widths)}{head}</w:tbl>")
        place(tbl)
        total = len(table.rows)
        for start in range(0, total, ROWS_PER_CHUNK):
            rows = table.rows[start : start + ROWS_PER_CHUNK]
            body = "".join(
                self._row(row, widths, stripe=(start + i) % 2 == 1) for i, row in enumerate(rows)
            )
            chunk = parse_xml(f"<w:tbl {nsdecls('w', 'r')}>{body}</w:tbl>")
            tbl.extend(list(chunk))
            if progress is not None:
                progress(min(1.0, (start + len(rows)) / total))

    def label_table(self, rows: Sequence[tuple[str, str]], width_twips: int):
        """The cover's two-column table: shaded labels in bold, values beside them."""
        widths = column_twips((0.36, 0.64), 2, width_twips)
        body = []
        for label, value in rows:
            label_xml = self._paragraph(
                self._text_style, self._inline.plain(label, RunProps(bold=True))
            )
            value_xml = self._paragraph(self._text_style, self._inline.plain(value))
            body.append(
                "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
                f"{self._cell(label_xml, widths[0], self._stripe_fill)}"
                f"{self._cell(value_xml, widths[1], '')}</w:tr>"
            )
        properties = self._properties(widths, header=False)
        return parse_xml(f"<w:tbl {nsdecls('w', 'r')}>{properties}{''.join(body)}</w:tbl>")

    def _properties(self, widths: list[int], header: bool = True) -> str:
        style = f'<w:tblStyle w:val="{self._grid_style}"/>' if self._grid_style else ""
        borders = "" if self._grid_style else _PLAIN_BORDERS
        look = "04A0" if header else "0080"
        grid = "".join(f'<w:gridCol w:w="{w}"/>' for w in widths)
        return (
            f'<w:tblPr>{style}<w:tblW w:w="{sum(widths)}" w:type="dxa"/>{borders}'
            f'<w:tblLayout w:type="fixed"/><w:tblLook w:val="{look}" w:firstRow="{int(header)}" '
            'w:lastRow="0" w:firstColumn="0" w:lastColumn="0" w:noHBand="1" w:noVBand="1"/>'
            f"</w:tblPr><w:tblGrid>{grid}</w:tblGrid>"
        )

    def _row(
        self, row: tuple[Cell, ...], widths: list[int], header: bool = False, stripe: bool = False
    ) -> str:
        if header:
            props, style, fill, run_props = (
                "<w:tblHeader/>",
                self._head_style,
                self._head_fill,
                self._head_props,
            )
        else:
            props, style, run_props = "", self._text_style, RunProps()
            fill = self._stripe_fill if stripe else ""
        cells = []
        length = 0
        for index, width in enumerate(widths):
            value = row[index] if index < len(row) else ""
            if isinstance(value, str):  # the fast path: most data cells are plain text
                content = text_runs(value, run_props, self._east)
                length += len(value)
            else:
                content = self._inline.runs(value, run_props)
                length += len(plain_text(value))
            cells.append(self._cell(self._paragraph(style, content), width, fill))
        # Short rows stay whole on one page; a row with long texts may be
        # taller than a page and must be allowed to break.
        keep = "<w:cantSplit/>" if length <= _UNSPLIT_CHARACTERS else ""
        return f"<w:tr><w:trPr>{keep}{props}</w:trPr>{''.join(cells)}</w:tr>"

    @staticmethod
    def _paragraph(style: str, content: str) -> str:
        bidi = paragraph_properties("", content)
        return f'<w:p><w:pPr><w:pStyle w:val="{style}"/>{bidi}</w:pPr>{content}</w:p>'

    @staticmethod
    def _cell(paragraph: str, width: int, fill: str) -> str:
        shade = f'<w:shd w:val="clear" w:color="auto" w:fill="{fill}"/>' if fill else ""
        return (
            f'<w:tc><w:tcPr><w:tcW w:w="{width}" w:type="dxa"/>{shade}</w:tcPr>{paragraph}</w:tc>'
        )


def column_twips(weights: Sequence[float], columns: int, width_twips: int) -> list[int]:
    """Column widths in twips from relative ``weights``; equal when the weights
    are missing, of the wrong count or not all positive."""
    if columns <= 0:
        return []
    if len(weights) != columns or any(not w or w <= 0 for w in weights):
        weights = [1.0] * columns
    total = float(sum(weights))
    widths = [max(1, int(width_twips * w / total)) for w in weights]
    widths[-1] += width_twips - sum(widths)  # rounding lands on the last column
    return widths


def _hex(colour: str) -> str:
    return colour.lstrip("#").upper()


_PLAIN_BORDERS = (
    "<w:tblBorders>"
    + "".join(
        f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="BFBFBF"/>'
        for side in ("top", "left", "bottom", "right", "insideH", "insideV")
    )
    + "</w:tblBorders>"
)
