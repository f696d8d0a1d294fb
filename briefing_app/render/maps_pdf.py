"""Maps as vector drawings inside the PDF (reportlab.graphics).

The shapes come from :func:`maps_layout.layout_map`; here they become a
ReportLab ``Drawing``: the outline and circles stay vectors, the labels stay
text in the embedded fonts (a label with Chinese characters is set whole in
the CJK face, as chart labels are). A layout is kept per spec and size,
since a briefing is rebuilt often and its maps rarely change: in memory,
and on disk for the next ``briefing build`` process (``disk_cache``; keyed
by the spec, the size, the font files, the outlines file and the layout
code, so a change to any of them lays the map out afresh).
"""

from __future__ import annotations

import functools
import pickle
import threading
from collections import OrderedDict
from pathlib import Path as FilePath

from reportlab.graphics.shapes import FILL_EVEN_ODD, Circle, Drawing, Path, Rect, String
from reportlab.lib import colors
from reportlab.pdfbase.pdfmetrics import stringWidth

from briefing_app.disk_cache import DiskCache, key_of
from briefing_app.document import MapSpec
from briefing_app.geodata import outlines_file
from briefing_app.render.maps_labels import Label
from briefing_app.render.maps_layout import Dot, Frame, MapLayout, Shape, layout_map
from briefing_app.render.pdf_fonts import FontSet, clean_text

_KEPT = 16
_LOCK = threading.Lock()
_LAYOUTS: OrderedDict[tuple, MapLayout] = OrderedDict()
_DISK = DiskCache("map-layouts")


def map_drawing(
    spec: MapSpec, width: float, fonts: FontSet, max_height: float | None = None
) -> Drawing:
    """A drawing of ``spec``, ``width`` points wide."""
    layout = pdf_layout(spec, width, fonts, max_height)
    drawing = Drawing(layout.width, layout.height)
    drawing.initialFontName = fonts.body  # otherwise Helvetica is listed, unembedded
    for item in layout.items:
        drawing.add(_shape(item, fonts))
    return drawing


def pdf_layout(
    spec: MapSpec, width: float, fonts: FontSet, max_height: float | None = None
) -> MapLayout:
    key = (spec, round(width, 2), fonts.body, fonts.cjk, max_height)
    with _LOCK:
        layout = _LAYOUTS.get(key)
        if layout is not None:
            _LAYOUTS.move_to_end(key)
            return layout
    disk_key = _disk_key(spec, width, fonts, max_height)
    layout = _kept_on_disk(disk_key)
    if layout is None:
        layout = layout_map(spec, width, _measure(fonts), max_height)
        _DISK.put(disk_key, pickle.dumps(layout, protocol=pickle.HIGHEST_PROTOCOL))
    with _LOCK:
        _LAYOUTS[key] = layout
        while len(_LAYOUTS) > _KEPT:
            _LAYOUTS.popitem(last=False)
    return layout


def _disk_key(spec: MapSpec, width: float, fonts: FontSet, max_height: float | None) -> str:
    size = repr((round(width, 2), max_height))
    return key_of("map-layout", _layout_digest(), repr(spec), size, *fonts.files)


def _kept_on_disk(key: str) -> MapLayout | None:
    data = _DISK.get(key)
    if data is None:
        return None
    try:
        layout = pickle.loads(data)  # noqa: S301 - the user's own cache folder
    except Exception:  # noqa: BLE001 - a damaged file is a miss
        return None
    return layout if isinstance(layout, MapLayout) else None


@functools.cache
def _layout_digest() -> str:
    """What a layout depends on besides its arguments: the outlines and the code."""
    here = FilePath(__file__).parent
    code = [p.read_bytes() for p in (here.parent / "geodata.py", *sorted(here.glob("maps_*.py")))]
    outlines = outlines_file()
    try:
        stamp = f"{outlines.stat().st_size}:{outlines.stat().st_mtime_ns}"
    except OSError:
        stamp = "none"
    return key_of("1", stamp, *code)


def _measure(fonts: FontSet):
    def measure(text: str, size: float, bold: bool) -> float:
        return stringWidth(clean_text(text), _face(text, bold, fonts), size)

    return measure


def _face(text: str, bold: bool, fonts: FontSet) -> str:
    return fonts.font_for_line(clean_text(text), fonts.bold if bold else fonts.body)


def _colour(value: str | None):
    return None if value is None else colors.HexColor(value)


def _shape(item, fonts: FontSet):
    if isinstance(item, Shape):
        path = Path(
            fillColor=_colour(item.fill),
            fillOpacity=item.opacity,
            strokeColor=_colour(item.stroke),
            strokeWidth=item.width,
            strokeLineJoin=1,
            fillMode=FILL_EVEN_ODD,  # holes stay open
        )
        for ring in item.rings:
            path.moveTo(*ring[0])
            for point in ring[1:]:
                path.lineTo(*point)
            if item.fill is not None:
                path.closePath()
        return path
    if isinstance(item, Dot):
        return Circle(
            item.x,
            item.y,
            item.r,
            fillColor=_colour(item.fill),
            fillOpacity=item.opacity,
            strokeColor=_colour(item.stroke),
            strokeWidth=item.width if item.stroke else 0,
        )
    if isinstance(item, Frame):
        return Rect(
            item.x,
            item.y,
            item.w,
            item.h,
            fillColor=_colour(item.fill),
            fillOpacity=0.92,
            strokeColor=_colour(item.stroke),
            strokeWidth=0.4,
        )
    if isinstance(item, Label):
        text = clean_text(item.text)
        return String(
            item.x,
            item.y,
            text,
            fontName=_face(text, item.bold, fonts),
            fontSize=item.size,
            fillColor=_colour(item.colour),
        )
    raise TypeError(f"no PDF shape for {type(item).__name__}")
