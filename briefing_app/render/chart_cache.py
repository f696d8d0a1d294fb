"""Chart pictures already drawn, kept in memory by what they show.

Drawing a chart with matplotlib takes 50 to 150 ms, far more than the rest
of a preview, and a briefing is rebuilt after every click while its charts
rarely change. :mod:`charts` draws and stores here; the preview asks here
first (:func:`drawn_chart_png`, which never draws) so it can show the page
before the charts of a new selection are ready. This module does not
import matplotlib, which takes a second to load.
"""

from __future__ import annotations

import threading
from collections import OrderedDict

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


class _Pictures:
    """The last :data:`KEPT` pictures drawn, least recently used first out."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._kept: OrderedDict[ChartKey, bytes] = OrderedDict()

    def get(self, key: ChartKey) -> bytes | None:
        with self._lock:
            png = self._kept.get(key)
            if png is not None:
                self._kept.move_to_end(key)
            return png

    def clear(self) -> None:
        with self._lock:
            self._kept.clear()

    def put(self, key: ChartKey, png: bytes) -> None:
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
