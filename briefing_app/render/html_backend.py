"""The document as one self-contained HTML page, for the Qt preview.

QTextBrowser understands a subset of HTML 4 and CSS: tables with border and
cellpadding attributes, <sup>, <a name>, headings, simple class rules. So
this page keeps to that subset, carries its CSS inline, and embeds charts as
PNG data URIs. Every piece of text is escaped: a record or template can put
"<script>" in a name and the preview shows it as text.
"""

from __future__ import annotations

import base64
import html
from collections.abc import Callable

from briefing_app.document import (
    Block,
    BulletList,
    Document,
    Figure,
    FootnoteRef,
    Heading,
    LineBreak,
    ListOfFigures,
    ListOfTables,
    PageBreak,
    Paragraph,
    Runs,
    Table,
    TableOfContents,
    Text,
    cell_runs,
)
from briefing_app.render.chart_cache import HEIGHT_IN, WIDTH_IN, chart_png
from briefing_app.render.links import link_target
from briefing_app.render.theme import Theme, load_theme

# Draws a chart as PNG bytes; may answer None for "not drawn yet" (the
# preview's first page), which the page shows as a placeholder box.
ChartRenderer = Callable[..., bytes | None]


def render_html(
    document: Document,
    theme: Theme | None = None,
    chart_dpi: int = 96,
    chart_png: ChartRenderer | None = None,
    max_table_rows: int | None = None,
) -> str:
    """``document`` as an HTML page (a string), charts included as PNG.

    ``chart_png`` draws a ChartSpec; by default ``charts.render_chart_png``
    (imported only when a chart needs it, since matplotlib is slow to load).
    ``max_table_rows`` cuts longer tables short with a closing row that says
    how many rows are left out: the window's preview lays out every row it
    is given, and an annex of 16,000 clusters would take it seconds.
    """
    theme = theme or load_theme()
    writer = _HtmlWriter(theme, chart_dpi, chart_png, max_table_rows)
    return writer.page(document)


class _HtmlWriter:
    def __init__(
        self,
        theme: Theme,
        chart_dpi: int,
        chart_png: ChartRenderer | None,
        max_table_rows: int | None = None,
    ) -> None:
        self.theme = theme
        self.chart_dpi = chart_dpi
        self._chart_png = chart_png
        self.max_table_rows = max_table_rows

    def page(self, document: Document) -> str:
        meta = document.metadata
        parts = [
            '<!DOCTYPE html>\n<html><head><meta charset="utf-8">',
            f"<title>{_esc(meta.title)}</title>",
            f"<style>{self._css()}</style></head><body>",
            self._cover(document),
        ]
        for block in document.blocks:
            parts.append(self._block(block, document))
        if document.footnotes:
            parts.append('<hr/><div class="footnotes"><p class="notes-title">Notes</p>')
            for note in document.footnotes:
                parts.append(
                    f'<p class="footnote"><a name="fn-{note.number}"></a><sup>{note.number}</sup> '
                    f"{_runs(note.runs)}</p>"
                )
            parts.append("</div>")
        parts.append("</body></html>")
        return "\n".join(parts)

    def _css(self) -> str:
        c = self.theme.colours
        primary = c.get("primary", "#1F3864")
        accent = c.get("accent", "#2E75B6")
        muted = c.get("muted", "#595959")
        header = c.get("table_header", primary)
        header_text = c.get("table_header_text", "#FFFFFF")
        return (
            "body { font-family: 'DejaVu Sans', 'WenQuanYi Micro Hei', sans-serif;"
            " font-size: 10pt; }"
            f" h1, h2, h3, h4, h5, h6 {{ color: {primary}; }}"
            " h1 { font-size: 16pt; } h2 { font-size: 13pt; }"
            " h3 { font-size: 11pt; } h4 { font-size: 10pt; }"
            f" a {{ color: {accent}; }}"
            f" .cover-title {{ font-size: 24pt; color: {primary}; font-weight: bold; }}"
            f" .cover-subtitle {{ font-size: 14pt; color: {accent}; }}"
            f" th {{ background-color: {header}; color: {header_text}; }}"
            f" .caption {{ font-weight: bold; color: {primary}; }}"
            f" .source, .disclaimer, .copyright, .footnote {{ font-size: 8pt; color: {muted}; }}"
            " .quote { margin-left: 20px; font-style: italic; }"
            " .abstract { font-style: italic; } .note { font-size: 9pt; }"
            f" .notes-title {{ font-weight: bold; color: {primary}; }}"
            " .toc1 { margin-left: 0px; } .toc2 { margin-left: 16px; } .toc3 { margin-left: 32px; }"
        )

    def _cover(self, document: Document) -> str:
        meta = document.metadata
        parts = [f'<p class="cover-title">{_esc(meta.title)}</p>']
        if meta.subtitle:
            parts.append(f'<p class="cover-subtitle">{_esc(meta.subtitle)}</p>')
        if meta.cover_rows:
            parts.append('<table border="1" cellpadding="4" cellspacing="0" width="100%">')
            for row in meta.cover_rows:
                parts.append(
                    f"<tr><td><b>{_esc(row.label)}</b></td><td>{_esc(row.value)}</td></tr>"
                )
            parts.append("</table>")
        if meta.abstract:
            parts.append(
                f'<p class="caption">Abstract</p><p class="abstract">{_esc(meta.abstract)}</p>'
            )
        if meta.disclaimer:
            parts.append(f'<p class="disclaimer">{_esc(meta.disclaimer)}</p>')
        if meta.copyright:
            parts.append(f'<p class="copyright">{_esc(meta.copyright)}</p>')
        parts.append("<hr/>")
        return "\n".join(parts)

    def _block(self, block: Block, document: Document) -> str:
        if isinstance(block, Heading):
            level = min(max(block.level, 1), 6)
            anchor = f'<a name="{_esc(block.anchor)}"></a>' if block.anchor else ""
            return f"<h{level}>{anchor}{_esc(block.label)}</h{level}>"
        if isinstance(block, Paragraph):
            return f'<p class="{block.style}">{_runs(block.runs)}</p>'
        if isinstance(block, BulletList):
            return _list(block)
        if isinstance(block, Table):
            return self._table(block)
        if isinstance(block, Figure):
            return self._figure(block)
        if isinstance(block, PageBreak):
            return "<hr/>"
        if isinstance(block, TableOfContents):
            return self._contents(block, document)
        if isinstance(block, ListOfTables):
            return _caption_list(block.title, [t for t in document.tables() if t.number])
        if isinstance(block, ListOfFigures):
            return _caption_list(block.title, [f for f in document.figures() if f.number])
        return ""

    def _table(self, table: Table) -> str:
        parts = []
        if table.caption or table.number:
            parts.append(f'<p class="caption">{_esc(table.caption_label)}</p>')
        widths = _percentages(table.column_widths, table.column_count)
        parts.append('<table border="1" cellpadding="4" cellspacing="0" width="100%">')
        for row in table.header_rows:
            cells = "".join(
                f"<th{_width(widths, i)}>{_runs(cell_runs(c))}</th>" for i, c in enumerate(row)
            )
            parts.append(f"<tr>{cells}</tr>")
        stripe = self.theme.colours.get("table_stripe", "#EEF3FA")
        rows = table.rows
        limit = self.max_table_rows
        if limit is not None and len(rows) > limit:
            rows = rows[:limit]
        for n, row in enumerate(rows):
            shade = f' bgcolor="{_esc(stripe)}"' if n % 2 else ""
            cells = "".join(
                f"<td{_width(widths, i)}>{_runs(cell_runs(c))}</td>" for i, c in enumerate(row)
            )
            parts.append(f"<tr{shade}>{cells}</tr>")
        left = len(table.rows) - len(rows) + table.omitted_rows
        if left:
            parts.append(
                f'<tr><td colspan="{table.column_count}"><i>… and {left:,} more '
                f"{'row' if left == 1 else 'rows'}, left out of the preview; "
                "the exported Word and PDF files hold every row.</i></td></tr>"
            )
        parts.append("</table>")
        if table.source:
            parts.append(f'<p class="source">{_runs(table.source)}</p>')
        return "\n".join(parts)

    def _figure(self, figure: Figure) -> str:
        picture = figure.image
        drawn = figure.chart or figure.map
        if picture is None and drawn is not None:
            picture = self._draw(figure)
        parts = []
        width = max(50, int(600 * min(max(figure.width_fraction, 0.1), 1.0)))
        if picture:
            kind = "jpeg" if picture[:3] == b"\xff\xd8\xff" else "png"
            data = base64.b64encode(picture).decode("ascii")
            alt = _esc(figure.caption)
            parts.append(
                f'<p align="center"><img src="data:image/{kind};base64,{data}" '
                f'width="{width}" alt="{alt}"/></p>'
            )
        elif drawn is not None:  # not drawn yet: a box of about its size
            # Padding around one line of text makes the box as tall as the
            # picture will be, so the page below does not jump when it comes.
            # Its width in percent, so a narrow preview does not overflow.
            padding = max(4, int(width * HEIGHT_IN / WIDTH_IN) // 2 - 10)
            parts.append(
                f'<table align="center" width="{round(width / 6)}%" cellpadding="{padding}" '
                'bgcolor="#F2F2F2" border="0"><tr><td align="center">'
                f"<i>Drawing the {'map' if figure.map else 'chart'}: "
                f"{_esc((figure.chart.title if figure.chart else '') or figure.caption)}…</i>"
                "</td></tr></table>"
            )
        parts.append(f'<p class="caption" align="center">{_esc(figure.caption_label)}</p>')
        if figure.source:
            parts.append(f'<p class="source" align="center">{_runs(figure.source)}</p>')
        return "\n".join(parts)

    def _draw(self, figure: Figure) -> bytes | None:
        draw = self._chart_png or chart_png
        return draw(figure.chart or figure.map, dpi=self.chart_dpi, theme=self.theme)

    def _contents(self, toc: TableOfContents, document: Document) -> str:
        parts = [f"<h1>{_esc(toc.title)}</h1>"]
        for heading in document.headings():
            if heading.level > toc.max_level:
                continue
            target = _esc(heading.anchor)
            parts.append(
                f'<p class="toc{min(heading.level, 3)}">'
                f'<a href="#{target}">{_esc(heading.label)}</a></p>'
            )
        return "\n".join(parts)


def _caption_list(title: str, items: list) -> str:
    if not items:
        return ""
    lines = [f"<h1>{_esc(title)}</h1>"]
    lines.extend(f"<p>{_esc(item.caption_label)}</p>" for item in items)
    return "\n".join(lines)


def _list(bullets: BulletList) -> str:
    tag = "ol" if bullets.ordered else "ul"
    items = []
    for item in bullets.items:
        nested = _list(item.children) if item.children else ""
        items.append(f"<li>{_runs(item.runs)}{nested}</li>")
    return f"<{tag}>{''.join(items)}</{tag}>"


def _runs(runs: Runs) -> str:
    out = []
    for run in runs:
        if isinstance(run, Text):
            text = _esc(run.text)
            if run.code:
                text = f"<code>{text}</code>"
            if run.italic:
                text = f"<i>{text}</i>"
            if run.bold:
                text = f"<b>{text}</b>"
            target = link_target(run.link)
            if target is not None:
                text = f'<a href="{_esc(target)}">{text}</a>'
            out.append(text)
        elif isinstance(run, FootnoteRef):
            out.append(f'<sup><a href="#fn-{run.number}">{run.number}</a></sup>')
        elif isinstance(run, LineBreak):
            out.append("<br/>")
    return "".join(out)


def _percentages(widths: tuple[float, ...], count: int) -> list[int]:
    if not widths or len(widths) != count:
        return []
    total = sum(widths)
    return [max(1, round(100 * w / total)) for w in widths]


def _width(widths: list[int], index: int) -> str:
    return f' width="{widths[index]}%"' if widths and index < len(widths) else ""


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)
