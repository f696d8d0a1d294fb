"""Charts drawn as vector graphics inside the PDF (reportlab.graphics).

The Word output embeds matplotlib pictures (``charts.py``); the PDF draws the
same :class:`~briefing_app.document.ChartSpec` as vectors so it stays sharp
when zoomed or printed and its labels remain text. Colours come from the same
palette; labels use the CJK face when a category name needs it.
"""

from __future__ import annotations

import dataclasses

from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.charts.legends import Legend
from reportlab.graphics.charts.linecharts import HorizontalLineChart
from reportlab.graphics.charts.piecharts import Pie
from reportlab.graphics.charts.textlabels import Label
from reportlab.graphics.shapes import Drawing, String
from reportlab.graphics.widgets.markers import makeMarker
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefing_app.document import ChartSpec
from briefing_app.render.bidi import has_rtl, shape, visual_line
from briefing_app.render.chart_cache import chart_values_label
from briefing_app.render.chart_ticks import whole_ticks
from briefing_app.render.pdf_fonts import FontSet, clean_text, find_missing_glyphs

LABEL_SIZE = 7.5
GRID = colors.HexColor("#D9D9D9")
AXIS = colors.HexColor("#808080")
INK = colors.HexColor("#404040")


def chart_drawing(
    spec: ChartSpec, width: float, height: float, fonts: FontSet, palette: tuple[str, ...]
) -> Drawing:
    """A ``width`` x ``height`` point drawing of ``spec``."""
    spec = _drawn_labels(spec, fonts)
    drawing = Drawing(width, height)
    texts = [
        clean_text(t)
        for t in (
            *spec.categories,
            *(s.name for s in spec.series),
            spec.title,
            spec.x_label,
            chart_values_label(spec),
        )
    ]
    font = fonts.font_for_line("".join(texts), fonts.body)
    bold = fonts.bold if font == fonts.body else font
    # Otherwise the drawing starts in Helvetica, listed unembedded in the PDF.
    drawing.initialFontName = font
    fills = [colors.HexColor(palette[i % len(palette)]) for i in range(16)]
    top = height
    if spec.title:
        top -= 14
        drawing.add(
            String(
                0, top + 3, clean_text(spec.title), fontName=bold, fontSize=9, fillColor=fills[0]
            )
        )
    values = [v for s in spec.series for v in s.values]
    if not spec.categories or not values:
        _no_data(drawing, width, top, font)
        return drawing
    if spec.kind == "pie":
        _pie(drawing, spec, width, top, font, fills)
        return drawing
    if len(spec.series) > 1:
        top -= 16
        _legend(drawing, spec, 0, top + 10, font, fills)
    if spec.kind == "barh":
        _barh(drawing, spec, width, top, font, fills)
    else:
        _vertical(drawing, spec, width, top, font, fills)
    return drawing


def _drawn_labels(spec: ChartSpec, fonts: FontSet) -> ChartSpec:
    """``spec`` with right-to-left labels shaped and in visual order (each is one line)."""
    texts = (
        *spec.categories,
        *(s.name for s in spec.series),
        spec.title,
        spec.x_label,
        spec.y_label,
        spec.unit,
    )
    if not any(has_rtl(text) for text in texts):
        return spec

    def drawn(text: str) -> str:
        text = clean_text(text)
        if not has_rtl(text):
            return text
        return visual_line(shape(text, lambda shaped: not find_missing_glyphs(shaped, fonts)))

    return dataclasses.replace(
        spec,
        categories=tuple(drawn(c) for c in spec.categories),
        series=tuple(dataclasses.replace(s, name=drawn(s.name)) for s in spec.series),
        title=drawn(spec.title),
        x_label=drawn(spec.x_label),
        y_label=drawn(spec.y_label),
        unit=drawn(spec.unit),
    )


def _axis_titles(
    drawing: Drawing,
    spec: ChartSpec,
    font: str,
    x_title_at: tuple[float, float],
    y_title_at: tuple[float, float],
    horizontal: bool,
) -> None:
    category_title, value_title = clean_text(spec.x_label), clean_text(chart_values_label(spec))
    if horizontal:
        category_title, value_title = value_title, category_title
    if category_title:
        drawing.add(
            String(
                *x_title_at,
                category_title,
                fontName=font,
                fontSize=LABEL_SIZE + 0.5,
                fillColor=INK,
                textAnchor="middle",
            )
        )
    if value_title:
        label = Label()
        label.setOrigin(*y_title_at)
        label.angle = 90
        label.setText(value_title)
        label.fontName, label.fontSize, label.fillColor = font, LABEL_SIZE + 0.5, INK
        drawing.add(label)


def _vertical(
    drawing: Drawing, spec: ChartSpec, width: float, top: float, font: str, fills: list
) -> None:
    slanted = sum(len(c) for c in spec.categories) * LABEL_SIZE * 0.55 > width * 0.8
    longest = max(stringWidth(clean_text(c), font, LABEL_SIZE) for c in spec.categories)
    bottom = 14 + (min(longest * 0.5, 60) if slanted else 10) + (12 if spec.x_label else 0)
    left = 34 + (12 if chart_values_label(spec) else 0)
    chart = VerticalBarChart() if spec.kind == "bar" else HorizontalLineChart()
    chart.x, chart.y = left, bottom
    chart.width, chart.height = width - left - 8, top - bottom - 6
    chart.data = [tuple(s.values) for s in spec.series]
    _category_axis(chart, spec, font, slanted)
    _value_axis(chart.valueAxis, spec, font)
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor, chart.valueAxis.gridStrokeWidth = GRID, 0.5
    chart.valueAxis.gridStart, chart.valueAxis.gridEnd = left, left + chart.width
    if spec.kind == "bar":
        chart.bars.strokeColor = None
        chart.barSpacing = 1
        chart.groupSpacing = 8
        for index in range(len(spec.series)):
            chart.bars[index].fillColor = fills[index]
    else:
        chart.joinedLines = 1
        for index in range(len(spec.series)):
            chart.lines[index].strokeColor = fills[index]
            chart.lines[index].strokeWidth = 1.6
            chart.lines[index].symbol = makeMarker("FilledCircle", size=3.5, fillColor=fills[index])
    drawing.add(chart)
    _axis_titles(
        drawing,
        spec,
        font,
        (left + chart.width / 2, 3),
        (6, bottom + chart.height / 2),
        horizontal=False,
    )


def _barh(
    drawing: Drawing, spec: ChartSpec, width: float, top: float, font: str, fills: list
) -> None:
    longest = max(stringWidth(clean_text(c), font, LABEL_SIZE) for c in spec.categories)
    left = min(longest, width * 0.35) + 8 + (12 if spec.x_label else 0)
    bottom = 16 + (12 if chart_values_label(spec) else 0)
    chart = HorizontalBarChart()
    chart.x, chart.y = left, bottom
    chart.width, chart.height = width - left - 10, top - bottom - 4
    chart.data = [tuple(s.values) for s in spec.series]
    _category_axis(chart, spec, font, slanted=False)
    chart.categoryAxis.reverseDirection = 1  # first category on top, as read
    chart.categoryAxis.labels.boxAnchor = "e"
    _value_axis(chart.valueAxis, spec, font)
    chart.valueAxis.visibleGrid = 1
    chart.valueAxis.gridStrokeColor, chart.valueAxis.gridStrokeWidth = GRID, 0.5
    chart.valueAxis.gridStart, chart.valueAxis.gridEnd = bottom, bottom + chart.height
    chart.bars.strokeColor = None
    chart.barSpacing = 1
    chart.groupSpacing = 6
    for index in range(len(spec.series)):
        chart.bars[index].fillColor = fills[index]
    drawing.add(chart)
    _axis_titles(
        drawing,
        spec,
        font,
        (left + chart.width / 2, 3),
        (6, bottom + chart.height / 2),
        horizontal=True,
    )


def _category_axis(chart, spec: ChartSpec, font: str, slanted: bool) -> None:
    axis = chart.categoryAxis
    axis.categoryNames = [clean_text(c) for c in spec.categories]
    axis.labels.fontName, axis.labels.fontSize = font, LABEL_SIZE
    axis.labels.fillColor = INK
    axis.strokeColor = AXIS
    axis.visibleTicks = 0
    if slanted:
        axis.labels.angle = 30
        axis.labels.boxAnchor = "ne"
        axis.labels.dy = -2


def _value_axis(axis, spec: ChartSpec, font: str) -> None:
    values = [v for s in spec.series for v in s.values]
    axis.valueMin = min(0.0, min(values))
    if max(values) == axis.valueMin:  # all zero: give the axis some height
        axis.valueMax = axis.valueMin + 1
    axis.labels.fontName, axis.labels.fontSize = font, LABEL_SIZE
    axis.labels.fillColor = INK
    axis.strokeColor = AXIS
    axis.visibleAxis = 0
    axis.labelTextFormat = _number_format
    if spec.whole:  # counts: whole-number ticks only, never 0.5 of a cluster
        ticks = whole_ticks(values)
        axis.valueMin, axis.valueMax = ticks[0], ticks[-1]
        axis.valueSteps = ticks


def _number_format(value: float) -> str:
    return f"{value:,.0f}" if abs(value) >= 10 or value == int(value) else f"{value:,.1f}"


def _legend(drawing: Drawing, spec: ChartSpec, x: float, y: float, font: str, fills: list) -> None:
    legend = Legend()
    legend.x, legend.y = x, y
    legend.alignment = "right"
    legend.columnMaximum = 1
    legend.fontName, legend.fontSize = font, LABEL_SIZE
    legend.dx = legend.dy = 7
    legend.deltax = 8
    legend.strokeColor = None
    legend.colorNamePairs = [(fills[i], clean_text(s.name)) for i, s in enumerate(spec.series)]
    legend.dxTextSpace = 4
    legend.boxAnchor = "nw"
    drawing.add(legend)


def _pie(
    drawing: Drawing, spec: ChartSpec, width: float, top: float, font: str, fills: list
) -> None:
    values = [max(v, 0.0) for v in spec.series[0].values[: len(spec.categories)]]
    total = sum(values)
    if total <= 0:
        _no_data(drawing, width, top, font)
        return
    size = min(top - 24, width * 0.5)
    pie = Pie()
    pie.x, pie.y = (width - size) / 2, (top - size) / 2
    pie.width = pie.height = size
    pie.data = values
    pie.labels = [
        f"{clean_text(c)} ({v / total:.0%})" for c, v in zip(spec.categories, values, strict=False)
    ]
    pie.startAngle, pie.direction = 90, "clockwise"
    pie.sideLabels = 1
    pie.slices.strokeColor, pie.slices.strokeWidth = colors.white, 1
    pie.slices.fontName, pie.slices.fontSize = font, LABEL_SIZE
    pie.slices.fontColor = INK
    for index in range(len(values)):
        pie.slices[index].fillColor = fills[index % len(fills)]
    drawing.add(pie)


def _no_data(drawing: Drawing, width: float, top: float, font: str) -> None:
    """Say so in the middle of a chart that has nothing to draw."""
    drawing.add(
        String(
            width / 2,
            top / 2,
            "no data to show",
            fontName=font,
            fontSize=9,
            fillColor=AXIS,
            textAnchor="middle",
        )
    )
