"""Charts as PNG pictures, drawn with matplotlib for the Word and HTML outputs.

The PDF draws the same :class:`~briefing_app.document.ChartSpec` as vector
graphics itself (``pdf_charts.py``); both take their colours from the theme so
the two formats look alike.

Rendering is deterministic (the same spec gives the same bytes, so builds can
be compared) and keeps no pyplot state: each call makes its own
``matplotlib.figure.Figure`` on the Agg canvas. Matplotlib's font cache and
text layout are shared inside the library, so calls are serialised by a lock;
that makes the function safe to call from a worker thread.
"""

from __future__ import annotations

import io
import threading

from matplotlib import font_manager
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties

from briefing_app.document import ChartSpec, MapSpec
from briefing_app.render.chart_cache import (
    DPI,
    HEIGHT_IN,
    PICTURES,
    WIDTH_IN,
    chart_key,
    chart_values_label,
)
from briefing_app.render.chart_ticks import whole_ticks
from briefing_app.render.theme import Theme

_LOCK = threading.Lock()
_FONTS_READY = False

# Per-glyph fallback: Latin from DejaVu, Chinese (and anything else DejaVu
# lacks) from the bundled WenQuanYi Micro Hei.
_FAMILIES = ["DejaVu Sans", "WenQuanYi Micro Hei"]


def render_chart_png(
    spec: ChartSpec | MapSpec,
    width_in: float = WIDTH_IN,
    height_in: float = HEIGHT_IN,
    dpi: int = DPI,
    theme: Theme | None = None,
) -> bytes:
    """Draw ``spec`` as PNG bytes of ``width_in`` x ``height_in`` inches.

    Pictures are kept in memory (``chart_cache``), keyed by the (frozen,
    hashable) spec, size and theme colours, because a briefing is rebuilt
    many times while it is edited and its charts rarely change. A map
    (:class:`MapSpec`) takes the height its country needs: ``height_in`` is
    only part of the key.
    """
    key = chart_key(spec, width_in, height_in, dpi, theme)
    png = PICTURES.get(key)
    if png is None:
        if isinstance(spec, MapSpec):
            from briefing_app.render.maps_png import map_png

            png = map_png(spec, width_in, dpi, theme)
        else:
            png = _render(*key)
        PICTURES.put(key, png)
    return png


def _render(
    spec: ChartSpec, width_in: float, height_in: float, dpi: int, palette: tuple[str, ...]
) -> bytes:
    with _LOCK:
        _register_fonts()
        figure = Figure(figsize=(width_in, height_in), dpi=dpi, layout="constrained")
        FigureCanvasAgg(figure)
        _draw(figure, spec, palette)
        buffer = io.BytesIO()
        # No "Software" or date chunk: identical specs give identical bytes.
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()


def _register_fonts() -> None:
    global _FONTS_READY
    if _FONTS_READY:
        return
    from briefing_app import paths

    for path in sorted(paths.fonts_dir().glob("*.tt[fc]")):
        font_manager.fontManager.addfont(str(path))
    _FONTS_READY = True


def _font(size: float, bold: bool = False) -> FontProperties:
    # The CJK face has no bold: asking for one makes matplotlib log a warning
    # on every chart, so bold text (titles) is set in DejaVu alone.
    families = _FAMILIES[:1] if bold else _FAMILIES
    return FontProperties(family=families, size=size, weight="bold" if bold else "normal")


def _title_font(title: str) -> FontProperties:
    has_cjk = any(ord(char) >= 0x2E80 for char in title)
    return _font(10) if has_cjk else _font(10, bold=True)


def _draw(figure: Figure, spec: ChartSpec, palette: tuple[str, ...]) -> None:
    axes = figure.add_subplot()
    colours = [palette[i % len(palette)] for i in range(max(len(spec.series), 1))]
    if spec.kind == "pie":
        _draw_pie(axes, spec, palette)
    elif spec.kind == "line":
        for series, colour in zip(spec.series, colours, strict=False):
            axes.plot(
                range(len(series.values)),
                series.values,
                marker="o",
                markersize=3.5,
                linewidth=1.8,
                color=colour,
                label=series.name,
            )
        _category_axis(axes.set_xticks, spec, rotate=True)
    else:
        _draw_bars(axes, spec, colours)
    if spec.kind != "pie":
        _style_axes(axes, spec)
    if spec.title:
        axes.set_title(
            spec.title, fontproperties=_title_font(spec.title), color=palette[0], loc="left"
        )
    if len(spec.series) > 1 and spec.kind != "pie":
        axes.legend(prop=_font(8), frameon=False, loc="best")


def _draw_bars(axes, spec: ChartSpec, colours: list[str]) -> None:
    count = max(len(spec.series), 1)
    width = 0.8 / count
    horizontal = spec.kind == "barh"
    for index, (series, colour) in enumerate(zip(spec.series, colours, strict=False)):
        offset = (index - (count - 1) / 2) * width
        positions = [i + offset for i in range(len(series.values))]
        if horizontal:
            axes.barh(positions, series.values, height=width, color=colour, label=series.name)
        else:
            axes.bar(positions, series.values, width=width, color=colour, label=series.name)
    if horizontal:
        _category_axis(axes.set_yticks, spec, rotate=False)
        axes.invert_yaxis()  # first category on top, as read
    else:
        _category_axis(axes.set_xticks, spec, rotate=True)


def _category_axis(set_ticks, spec: ChartSpec, rotate: bool) -> None:
    # Long category names on a horizontal axis would overlap: slant them.
    long_labels = rotate and sum(len(c) for c in spec.categories) > 60
    extra = {"rotation": 30, "ha": "right"} if long_labels else {}
    set_ticks(
        range(len(spec.categories)), labels=list(spec.categories), fontproperties=_font(8), **extra
    )


def _style_axes(axes, spec: ChartSpec) -> None:
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    for side in ("left", "bottom"):
        axes.spines[side].set_color("#808080")
    value_axis = "x" if spec.kind == "barh" else "y"
    if spec.whole:  # counts: whole-number ticks only, never 0.5 of a cluster
        ticks = whole_ticks(v for s in spec.series for v in s.values)
        set_ticks, set_limits = (
            (axes.set_xticks, axes.set_xlim)
            if value_axis == "x"
            else (axes.set_yticks, axes.set_ylim)
        )
        set_ticks(ticks)
        set_limits(ticks[0], ticks[-1])
    axes.grid(axis=value_axis, color="#D9D9D9", linewidth=0.6)
    axes.set_axisbelow(True)
    axes.tick_params(colors="#404040", labelsize=8)
    for label in axes.get_xticklabels() + axes.get_yticklabels():
        label.set_fontproperties(_font(8))
    category_title, value_title = spec.x_label, chart_values_label(spec)
    if spec.kind == "barh":
        axes.set_ylabel(category_title, fontproperties=_font(8.5))
        axes.set_xlabel(value_title, fontproperties=_font(8.5))
    else:
        axes.set_xlabel(category_title, fontproperties=_font(8.5))
        axes.set_ylabel(value_title, fontproperties=_font(8.5))


def _draw_pie(axes, spec: ChartSpec, palette: tuple[str, ...]) -> None:
    values = spec.series[0].values if spec.series else ()
    # A slice needs both a name and a value: extra names or values are dropped.
    shown = min(len(values), len(spec.categories))
    values, labels = values[:shown], list(spec.categories[:shown])
    if not values or sum(values) <= 0 or min(values) < 0:
        # A pie cannot show nothing or negative shares; say so instead of failing.
        axes.text(
            0.5,
            0.5,
            "no data to show",
            ha="center",
            va="center",
            fontproperties=_font(9),
            color="#808080",
            transform=axes.transAxes,
        )
        axes.set_axis_off()
        return
    colours = [palette[i % len(palette)] for i in range(len(values))]
    wedges, _texts, autotexts = axes.pie(
        values,
        labels=labels,
        colors=colours,
        startangle=90,
        counterclock=False,
        autopct="%1.0f%%",
        pctdistance=0.75,
        wedgeprops={"linewidth": 1, "edgecolor": "white"},
        textprops={"fontproperties": _font(8)},
    )
    for text in autotexts:
        text.set_color("white")
    axes.set_aspect("equal")
