"""Maps as PNG pictures (Word, HTML preview), painted with Pillow.

The shapes come from :func:`maps_layout.layout_map`, the same layout the
PDF draws as vectors. Shapes are painted at twice the resolution and scaled
down (smooth edges); text is then set at the final resolution with the
theme's own font files through FreeType, the same files whose widths placed
the labels. A label with Chinese characters is set whole in the CJK face, as
in the PDF. No matplotlib here: a map costs about what a chart costs. The
pictures are kept in ``chart_cache`` like charts.
"""

from __future__ import annotations

import functools
import io

from PIL import Image, ImageDraw, ImageFont

from briefing_app.document import MapSpec
from briefing_app.render.maps_labels import Label
from briefing_app.render.maps_layout import Dot, Frame, MapLayout, Shape, layout_map
from briefing_app.render.theme import Theme, load_theme

_POINTS_PER_INCH = 72.0
_MEASURE_SIZE = 100  # fonts for measuring are loaded at this size and widths scaled
_SUPERSAMPLE = 2


def map_png(spec: MapSpec, width_in: float, dpi: int, theme: Theme | None = None) -> bytes:
    """``spec`` drawn ``width_in`` inches wide (height follows the country)."""
    theme = theme or load_theme()
    layout = png_layout(spec, width_in, theme)
    scale = dpi / _POINTS_PER_INCH
    size = (round(layout.width * scale), round(layout.height * scale))
    big = Image.new("RGB", (size[0] * _SUPERSAMPLE, size[1] * _SUPERSAMPLE), "white")
    draw = ImageDraw.Draw(big, "RGBA")
    to_pixels = _Pixels(layout.height, scale * _SUPERSAMPLE)
    labels = []
    for item in layout.items:
        if isinstance(item, Label):
            labels.append(item)
        else:
            _paint(draw, item, to_pixels)
    image = big.resize(size, Image.Resampling.BOX)
    draw = ImageDraw.Draw(image)
    fonts = _fonts(*_font_files(theme))
    to_pixels = _Pixels(layout.height, scale)
    for label in labels:
        face = fonts("cjk" if needs_cjk(label.text) else "bold" if label.bold else "body")
        draw.text(
            to_pixels(label.x, label.y),
            label.text,
            fill=label.colour,
            font=face.font_variant(size=max(1, round(label.size * scale))),
            anchor="ls",
        )
    buffer = io.BytesIO()
    image.save(buffer, "PNG", dpi=(dpi, dpi), compress_level=6)
    return buffer.getvalue()


def png_layout(spec: MapSpec, width_in: float, theme: Theme | None = None) -> MapLayout:
    theme = theme or load_theme()
    return layout_map(spec, width_in * _POINTS_PER_INCH, _measure(*_font_files(theme)))


def needs_cjk(text: str) -> bool:
    """True when the line holds characters the Latin face lacks (CJK and beyond)."""
    return any(ord(char) >= 0x2E80 for char in text)


class _Pixels:
    """Points from the bottom left -> pixels from the top left."""

    def __init__(self, height: float, scale: float) -> None:
        self.height, self.scale = height, scale

    def __call__(self, x: float, y: float) -> tuple[float, float]:
        return x * self.scale, (self.height - y) * self.scale


def _font_files(theme: Theme) -> tuple[str, str, str]:
    return tuple(str(theme.font_path(role)) for role in ("body", "bold", "cjk"))  # type: ignore[return-value]


@functools.lru_cache(maxsize=4)
def _fonts(body: str, bold: str, cjk: str):
    faces = {
        "body": ImageFont.truetype(body, _MEASURE_SIZE),
        "bold": ImageFont.truetype(bold, _MEASURE_SIZE),
        "cjk": ImageFont.truetype(cjk, _MEASURE_SIZE, index=0),
    }
    return faces.__getitem__


@functools.lru_cache(maxsize=4)
def _measure(body: str, bold: str, cjk: str):
    faces = _fonts(body, bold, cjk)

    def measure(text: str, size: float, is_bold: bool) -> float:
        face = "cjk" if needs_cjk(text) else ("bold" if is_bold else "body")
        return faces(face).getlength(text) * size / _MEASURE_SIZE

    return measure


def _rgba(colour: str | None, opacity: float = 1.0) -> tuple[int, int, int, int] | None:
    if colour is None:
        return None
    value = colour.lstrip("#")
    red, green, blue = (int(value[i : i + 2], 16) for i in (0, 2, 4))
    return red, green, blue, round(255 * opacity)


def _paint(draw: ImageDraw.ImageDraw, item, to_pixels: _Pixels) -> None:
    stroke_px = lambda width: max(1, round(width * to_pixels.scale))  # noqa: E731
    if isinstance(item, Shape):
        rings = [[to_pixels(*p) for p in ring] for ring in item.rings]
        if item.fill is not None:
            fill = _rgba(item.fill, item.opacity)
            # Exteriors run anticlockwise on the page (clockwise in pixel rows): fill
            # them; holes run the other way and are cleared afterwards.
            for ring in rings:
                if len(ring) >= 3 and _area(ring) < 0:
                    draw.polygon(ring, fill=fill)
            for ring in rings:
                if len(ring) >= 3 and _area(ring) > 0:
                    draw.polygon(ring, fill=(255, 255, 255, 255))
        if item.stroke is not None:
            closed = item.fill is not None
            for ring in rings:
                points = ring + ring[:1] if closed else ring
                draw.line(
                    points, fill=_rgba(item.stroke), width=stroke_px(item.width), joint="curve"
                )
    elif isinstance(item, Dot):
        x, y = to_pixels(item.x, item.y)
        r = item.r * to_pixels.scale
        draw.ellipse(
            (x - r, y - r, x + r, y + r),
            fill=_rgba(item.fill, item.opacity),
            outline=_rgba(item.stroke),
            width=stroke_px(item.width) if item.stroke else 0,
        )
    elif isinstance(item, Frame):
        x0, y1 = to_pixels(item.x, item.y)
        x1, y0 = to_pixels(item.x + item.w, item.y + item.h)
        draw.rectangle(
            (x0, y0, x1, y1), fill=_rgba(item.fill, 0.92), outline=_rgba(item.stroke), width=1
        )


def _area(ring) -> float:
    return (
        sum(a[0] * b[1] - b[0] * a[1] for a, b in zip(ring, ring[1:] + ring[:1], strict=True)) / 2
    )
