"""The plain shapes a laid-out map is made of, and the maps' colours.

Coordinates are points from the bottom left of the map, as in ReportLab.
Painters (``maps_pdf.py``, ``maps_png.py``) draw these and nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field

LAND = "#E6E9EE"
COAST = "#9DA7B4"
MUTED = "#6B6B6B"
EMPTY = "#B4B4B4"
GROUP_COLOURS = (
    "#2E75B6",
    "#C55A11",
    "#548235",
    "#7030A0",
    "#BF9000",
    "#1F7A7A",
    "#A5305B",
    "#5B6B8C",
)


@dataclass(frozen=True)
class Shape:
    """Closed rings (even-odd), a fill and an outline."""

    rings: tuple[tuple[tuple[float, float], ...], ...]
    fill: str | None
    stroke: str | None
    width: float = 0.5
    opacity: float = 1.0


@dataclass(frozen=True)
class Dot:
    x: float
    y: float
    r: float
    fill: str | None
    stroke: str | None
    width: float = 0.5
    opacity: float = 1.0


@dataclass(frozen=True)
class Frame:
    """A rectangle (legend background)."""

    x: float
    y: float
    w: float
    h: float
    fill: str
    stroke: str


@dataclass
class MapLayout:
    width: float
    height: float
    items: list = field(default_factory=list)  # in painting order
    labels_dropped: int = 0
