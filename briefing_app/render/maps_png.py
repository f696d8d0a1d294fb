"""Maps as PNG pictures (Word, HTML preview), drawn with matplotlib.

The shapes come from :func:`maps_layout.layout_map`, the same layout the
PDF draws as vectors; text widths are measured with the theme's own font
files (through Pillow's FreeType), so labels are placed for the faces that
draw them. A label with Chinese characters is set whole in the CJK face, as
in the PDF. Pictures are kept in ``chart_cache`` like charts.
"""

from __future__ import annotations

import functools
import io

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Circle, PathPatch, Rectangle
from matplotlib.path import Path
from PIL import ImageFont

from briefing_app.document import MapSpec
from briefing_app.render.charts import _LOCK, _register_fonts
from briefing_app.render.maps_labels import Label
from briefing_app.render.maps_layout import Dot, Frame, MapLayout, Shape, layout_map
from briefing_app.render.theme import Theme, load_theme

_POINTS_PER_INCH = 72.0
_MEASURE_SIZE = 100  # the fonts are loaded once at this size and widths scaled


def map_png(spec: MapSpec, width_in: float, dpi: int, theme: Theme | None = None) -> bytes:
    """``spec`` drawn ``width_in`` inches wide (height follows the country)."""
    layout = png_layout(spec, width_in, theme)
    with _LOCK:
        _register_fonts()
        figure = Figure(
            figsize=(layout.width / _POINTS_PER_INCH, layout.height / _POINTS_PER_INCH), dpi=dpi
        )
        FigureCanvasAgg(figure)
        axes = figure.add_axes((0, 0, 1, 1))
        axes.set_xlim(0, layout.width)
        axes.set_ylim(0, layout.height)
        axes.set_axis_off()
        for order, item in enumerate(layout.items):
            _draw(axes, item, order)
        buffer = io.BytesIO()
        figure.savefig(buffer, format="png", dpi=dpi, metadata={"Software": None})
        return buffer.getvalue()


def png_layout(spec: MapSpec, width_in: float, theme: Theme | None = None) -> MapLayout:
    theme = theme or load_theme()
    measure = _measure(
        str(theme.font_path("body")), str(theme.font_path("bold")), str(theme.font_path("cjk"))
    )
    return layout_map(spec, width_in * _POINTS_PER_INCH, measure)


@functools.lru_cache(maxsize=4)
def _measure(body: str, bold: str, cjk: str):
    faces = {
        "body": ImageFont.truetype(body, _MEASURE_SIZE),
        "bold": ImageFont.truetype(bold, _MEASURE_SIZE),
        "cjk": ImageFont.truetype(cjk, _MEASURE_SIZE, index=0),
    }

    def measure(text: str, size: float, is_bold: bool) -> float:
        face = "cjk" if needs_cjk(text) else ("bold" if is_bold else "body")
        return faces[face].getlength(text) * size / _MEASURE_SIZE

    return measure


def needs_cjk(text: str) -> bool:
    """True when the line holds characters the Latin face lacks (CJK and beyond)."""
    return any(ord(char) >= 0x2E80 for char in text)


def _font(text: str, size: float, bold: bool) -> FontProperties:
    if needs_cjk(text):
        return FontProperties(family=["WenQuanYi Micro Hei"], size=size)
    return FontProperties(family=["DejaVu Sans"], size=size, weight="bold" if bold else "normal")


def _draw(axes, item, order: int) -> None:
    if isinstance(item, Shape):
        vertices, codes = [], []
        for ring in item.rings:
            vertices += list(ring)
            codes += [Path.MOVETO] + [Path.LINETO] * (len(ring) - 1)
            if item.fill is not None:
                vertices.append(ring[0])
                codes.append(Path.CLOSEPOLY)
        patch = PathPatch(
            Path(vertices, codes),
            facecolor=item.fill or "none",
            edgecolor=item.stroke or "none",
            linewidth=item.width,
            joinstyle="round",
            zorder=order,
        )
        if item.fill is not None and item.opacity < 1:
            patch.set_facecolor(_with_alpha(item.fill, item.opacity))
        axes.add_patch(patch)
    elif isinstance(item, Dot):
        axes.add_patch(
            Circle(
                (item.x, item.y),
                item.r,
                facecolor=_with_alpha(item.fill, item.opacity) if item.fill else "none",
                edgecolor=item.stroke or "none",
                linewidth=item.width if item.stroke else 0,
                zorder=order,
            )
        )
    elif isinstance(item, Frame):
        axes.add_patch(
            Rectangle(
                (item.x, item.y),
                item.w,
                item.h,
                facecolor=_with_alpha(item.fill, 0.92),
                edgecolor=item.stroke,
                linewidth=0.4,
                zorder=order,
            )
        )
    elif isinstance(item, Label):
        axes.text(
            item.x,
            item.y,
            item.text,
            fontproperties=_font(item.text, item.size, item.bold),
            color=item.colour,
            ha="left",
            va="baseline",
            zorder=order,
        )


def _with_alpha(colour: str, alpha: float) -> tuple[float, float, float, float]:
    value = colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) / 255 for i in (0, 2, 4))
    return red, green, blue, alpha
