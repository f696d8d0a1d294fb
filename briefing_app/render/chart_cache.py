"""Chart pictures already drawn, kept in memory by what they show.

Drawing a chart with matplotlib takes 50 to 150 ms, far more than the rest
of a preview, and a briefing is rebuilt after every click while its charts
rarely change. :mod:`charts` draws and stores here; the preview asks here
first (:func:`drawn_chart_png`, which never draws) so it can show the page
before the charts of a new selection are ready. This module does not
import matplotlib, which takes a second to load.

Pictures are also kept on disk (``disk_cache``), keyed by everything they
depend on (the spec, size, colours, the drawing code and matplotlib's
version), so that a new ``briefing build`` process of a briefing already
built does not load matplotlib at all.
"""

from __future__ import annotations

import functools
import threading
from collections import OrderedDict
from pathlib import Path

from briefing_app import paths
from briefing_app.disk_cache import DiskCache, key_of
from briefing_app.document import ChartSpec, MapSpec
from briefing_app.render.theme import Theme, load_theme

# Series colours after the theme's primary and accent: muted, print-friendly.
_EXTRA_COLOURS = ("#C55A11", "#7F9F3F", "#8064A2", "#4BACC6", "#BF9000", "#A5A5A5")

# Pictures kept: about 1 MB at the default size; a briefing has fewer than ten.
KEPT = 64
# The default picture: the width of an A4 text column, at print resolution.
WIDTH_IN, HEIGHT_IN, DPI = 6.3, 3.2, 200

ChartKey = tuple[ChartSpec | MapSpec, float, float, int, tuple[str, ...]]


def chart_palette(theme: Theme) -> tuple[str, ...]:
    """Series colours for charts: the theme's own colours first."""
    own = tuple(theme.colours[role] for role in ("primary", "accent") if role in theme.colours)
    return own + _EXTRA_COLOURS


def chart_key(
    spec: ChartSpec | MapSpec, width_in: float, height_in: float, dpi: int, theme: Theme | None
) -> ChartKey:
    """What a drawn picture depends on: the spec (a chart's or a map's), its
    size and the colours."""
    palette = chart_palette(theme or load_theme())
    return (spec, float(width_in), float(height_in), int(dpi), palette)


def chart_values_label(spec: ChartSpec) -> str:
    """The value-axis title: the y label with its unit, if any."""
    if spec.unit and spec.y_label:
        return f"{spec.y_label} ({spec.unit})"
    return spec.y_label or spec.unit


@functools.cache
def _drawing_digest() -> str:
    """What else a picture depends on: the code that draws it and matplotlib."""
    import importlib.metadata  # here: 10 ms at import time for every build otherwise

    try:
        version = importlib.metadata.version("matplotlib")
    except importlib.metadata.PackageNotFoundError:
        version = "?"
    here = Path(__file__).parent
    drawn_by = (
        here / "charts.py",
        here / "chart_ticks.py",
        here.parent / "geodata.py",
        *sorted(here.glob("maps_*.py")),
    )
    code = [p.read_bytes() for p in drawn_by]
    outlines = paths.resources_dir() / "geodata" / "countries.json.gz"
    try:
        stamp = f"{outlines.stat().st_size}:{outlines.stat().st_mtime_ns}"
    except OSError:
        stamp = "none"
    return key_of("2", version, stamp, *code)


def _disk_key(key: ChartKey) -> str:
    spec, width_in, height_in, dpi, palette = key
    return key_of(_drawing_digest(), repr(spec), repr((width_in, height_in, dpi, palette)))


class _Pictures:
    """The last :data:`KEPT` pictures drawn, least recently used first out,
    in memory; every picture drawn also on disk for later processes."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[ChartKey, bytes] = OrderedDict()
        self._disk = DiskCache("charts")

    def get(self, key: ChartKey) -> bytes | None:
        with self._lock:
            png = self._kept.get(key)
            if png is not None:
                self._kept.move_to_end(key)
                return png
        png = self._disk.get(_disk_key(key))
        if png is None or not png.startswith(b"\x89PNG\r\n\x1a\n"):
            return None
        self._keep(key, png)
        return png

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def put(self, key: ChartKey, png: bytes) -> None:
        self._keep(key, png)
        self._disk.put(_disk_key(key), png)

    def _keep(self, key: ChartKey, png: bytes) -> None:
        with self._lock:
            self._kept[key] = png
            self._kept.move_to_end(key)
            while len(self._kept) > KEPT:
                self._kept.popitem(last=False)


PICTURES = _Pictures()


def drawn_chart_png(
    spec: ChartSpec | MapSpec,
    width_in: float = WIDTH_IN,
    height_in: float = HEIGHT_IN,
    dpi: int = DPI,
    theme: Theme | None = None,
) -> bytes | None:
    """The picture ``charts.render_chart_png`` drew for these arguments, or
    None when it has not drawn it (or no longer keeps it)."""
    return PICTURES.get(chart_key(spec, width_in, height_in, dpi, theme))


def chart_png(
    spec: ChartSpec | MapSpec,
    width_in: float = WIDTH_IN,
    height_in: float = HEIGHT_IN,
    dpi: int = DPI,
    theme: Theme | None = None,
) -> bytes:
    """The picture of ``spec``: kept (in memory or on disk) or drawn now, in
    which case matplotlib is loaded for the first time in the process."""
    png = drawn_chart_png(spec, width_in, height_in, dpi, theme)
    if png is not None:
        return png
    if isinstance(spec, MapSpec):  # drawn with Pillow: no need to load matplotlib
        from briefing_app.render.maps_png import map_png

        png = map_png(spec, width_in, dpi, theme)
        PICTURES.put(chart_key(spec, width_in, height_in, dpi, theme), png)
        return png
    from briefing_app.render.charts import render_chart_png

    return render_chart_png(spec, width_in, height_in, dpi, theme)
