"""Labels that do not collide: greedy placement with candidate positions.

Places are labelled in order of importance (the caller's order). Each label
tries its text variants (longest first) at eight positions around its
symbol; the first position that stays inside the map and overlaps no label,
symbol or legend already there wins. A label that fits nowhere is dropped
and counted: a crowded area shows its most important names only.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

# measure(text, size, bold) -> width in points
Measure = Callable[[str, float, bool], float]

ASCENT, DESCENT = 0.78, 0.24  # of the font size
GAP = 1.5  # between a symbol and its label
PAD = 0.8  # kept free around each label


INK = "#333333"


@dataclass(frozen=True)
class Label:
    """Text from (x, y) on its baseline, left-aligned."""

    x: float
    y: float
    text: str
    size: float
    colour: str = INK
    bold: bool = False


@dataclass(frozen=True)
class Box:
    x0: float
    y0: float
    x1: float
    y1: float

    def overlaps(self, other: Box, pad: float = 0.0) -> bool:
        return not (
            self.x1 + pad <= other.x0
            or other.x1 + pad <= self.x0
            or self.y1 + pad <= other.y0
            or other.y1 + pad <= self.y0
        )

    def hits_circle(self, x: float, y: float, r: float) -> bool:
        nearest_x = min(max(x, self.x0), self.x1)
        nearest_y = min(max(y, self.y0), self.y1)
        return (nearest_x - x) ** 2 + (nearest_y - y) ** 2 < r * r

    def contains(self, x: float, y: float) -> bool:
        return self.x0 <= x <= self.x1 and self.y0 <= y <= self.y1

    def meets_ring(self, ring) -> bool:
        """Whether the box touches the closed ``ring``: an edge of the ring
        enters it, or it lies wholly inside the ring."""
        previous = ring[-1]
        for point in ring:
            if self.crosses(previous, point):
                return True
            previous = point
        return _inside_ring(ring, (self.x0 + self.x1) / 2, (self.y0 + self.y1) / 2)

    def crosses(self, a: tuple[float, float], b: tuple[float, float]) -> bool:
        """Whether the segment a-b meets the box (Liang-Barsky clipping)."""
        if self.contains(*a) or self.contains(*b):
            return True
        t0, t1 = 0.0, 1.0
        dx, dy = b[0] - a[0], b[1] - a[1]
        for p, q in (
            (-dx, a[0] - self.x0),
            (dx, self.x1 - a[0]),
            (-dy, a[1] - self.y0),
            (dy, self.y1 - a[1]),
        ):
            if p == 0:
                if q < 0:
                    return False
            elif p < 0:
                t0 = max(t0, q / p)
            else:
                t1 = min(t1, q / p)
            if t0 > t1:
                return False
        return True

    def overlap_area(self, other: Box) -> float:
        w = min(self.x1, other.x1) - max(self.x0, other.x0)
        h = min(self.y1, other.y1) - max(self.y0, other.y0)
        return w * h if w > 0 and h > 0 else 0.0


def _inside_ring(ring, x: float, y: float) -> bool:
    inside = False
    previous = ring[-1]
    for point in ring:
        (x0, y0), (x1, y1) = previous, point
        if (y0 > y) != (y1 > y) and x < x0 + (y - y0) * (x1 - x0) / (y1 - y0):
            inside = not inside
        previous = point
    return inside


# Where a group's name is tried around its shading: east, west, north, south,
# then the diagonals (unit vectors; the farthest point of the outline that way).
_DIAGONAL = 0.7071
_DIRECTIONS = (
    (1.0, 0.0),
    (-1.0, 0.0),
    (0.0, 1.0),
    (0.0, -1.0),
    (_DIAGONAL, _DIAGONAL),
    (-_DIAGONAL, _DIAGONAL),
    (_DIAGONAL, -_DIAGONAL),
    (-_DIAGONAL, -_DIAGONAL),
)

# The widest band kept beside a map for its legend, as a share of the width.
SIDE_BAND_MAX = 0.25


class LegendNeedsRoom(Exception):
    """No corner of the map is free for the legend: the map is laid out again
    with room for it beside (``side``: width, height of a slim legend) or
    below (``below``: width, height of a wide one)."""

    def __init__(self, side: tuple[float, float], below: tuple[float, float]) -> None:
        super().__init__(side, below)
        self.side, self.below = side, below


class LabelPlacer:
    def __init__(self, width: float, height: float, measure: Measure) -> None:
        self.width, self.height = width, height
        # Where the legend goes when room was kept for it beside or below the
        # map (its bottom-left point), else None: a free corner is sought.
        self.legend_at: tuple[float, float] | None = None
        self.map_height = height  # the map's own height, without a band below
        self.measure = measure
        self.circles: list[tuple[float, float, float]] = []
        self.boxes: list[Box] = []  # placed labels and the legend
        self.labels: list = []  # maps_layout.Label, in placing order
        self.dropped = 0
        self.land: Callable[[float, float], bool] | None = None

    def obstacle(self, box: Box, legend: bool = False) -> None:
        """A symbol (given by its bounding box: kept as a circle) or the legend."""
        if legend:
            self.boxes.append(box)
        else:
            r = (box.x1 - box.x0) / 2
            self.circles.append((box.x0 + r, box.y0 + r, r))

    def place(
        self,
        x: float,
        y: float,
        r: float,
        texts: list[str],
        size: float,
        colour: str,
        bold: bool = False,
        force: bool = False,
    ) -> bool:
        """Label the symbol of radius ``r`` at (x, y); False if dropped.

        ``force`` (the selected place): when no position is free, one that
        only covers other symbols (never a label or the legend) will do."""
        d = r * 0.72
        for over_symbols in (False, True) if force else (False,):
            if self._place_around(x, y, r, d, texts, size, colour, bold, over_symbols):
                return True
        self.dropped += 1
        return False

    def _place_around(self, x, y, r, d, texts, size, colour, bold, over_symbols) -> bool:
        own = None if over_symbols else (x, y)
        for text in texts:
            w = self.measure(text, size, bold)
            h = size * (ASCENT + DESCENT)
            lefts_bottoms = (
                (x + r + GAP, y - h / 2),  # east
                (x - r - GAP - w, y - h / 2),  # west
                (x + d + GAP * 0.5, y + d),  # north-east
                (x + d + GAP * 0.5, y - d - h),  # south-east
                (x - d - GAP * 0.5 - w, y + d),  # north-west
                (x - d - GAP * 0.5 - w, y - d - h),  # south-west
                (x - w / 2, y + r + GAP),  # north
                (x - w / 2, y - r - GAP - h),  # south
            )
            for left, bottom in lefts_bottoms:
                box = Box(left, bottom, left + w, bottom + h)
                if self._try(box, text, size, colour, bold, own, symbols=not over_symbols):
                    return True
        return False

    def place_area(
        self,
        ring: list[tuple[float, float]],
        texts: list[str],
        size: float,
        colour: str,
        bold: bool = False,
        avoid: tuple = (),
    ) -> bool:
        """Label an area (a group's shading) just outside its outline.

        Tried beside the outline's farthest point in eight directions, so the
        name stays next to its own shape even when the shape is long and
        slanted (its bounding box corners are empty there); never over the
        shape itself nor over the rings of ``avoid`` (other groups' shading),
        where a reader would take it for theirs, unless no place is free of
        them (crowded groups): then over another group's shading rather than
        not at all.
        """
        cx = sum(x for x, _ in ring) / len(ring)
        cy = sum(y for _, y in ring) / len(ring)
        for shapes in ((ring, *avoid), (ring,)):
            for text in texts:
                w = self.measure(text, size, bold)
                h = size * (ASCENT + DESCENT)
                for dx, dy in _DIRECTIONS:
                    px, py = max(ring, key=lambda p: (p[0] - cx) * dx + (p[1] - cy) * dy)
                    left = px + GAP if dx > 0 else px - GAP - w if dx < 0 else px - w / 2
                    bottom = py + GAP if dy > 0 else py - GAP - h if dy < 0 else py - h / 2
                    box = Box(left, bottom, left + w, bottom + h)
                    if any(box.meets_ring(shape) for shape in shapes):
                        continue
                    if self._try(box, text, size, colour, bold, None):
                        return True
        self.dropped += 1
        return False

    def legend_corner(self, w: float, h: float, outlines: list) -> tuple[float, float]:
        """Bottom-left point of a w x h legend that covers nothing drawn.

        Among the corners whose box meets no symbol, label or ring of
        ``outlines`` (the country's coast, a group's shading), the one over
        the least land. With room kept beside or below the map, the legend
        sits there. Raises :class:`LegendNeedsRoom` when no corner is free.
        """
        inset = 2.0
        if self.legend_at is not None:
            if self.legend_at[1] + h > self.height:  # taller than the map beside it
                size = (w + 2 * inset, h + 2 * inset)
                raise LegendNeedsRoom(size, size)
            return self.legend_at
        corners = (
            (inset, inset),
            (self.width - w - inset, inset),
            (inset, self.height - h - inset),
            (self.width - w - inset, self.height - h - inset),
        )
        free = []
        for x, y in corners:
            box = Box(x, y, x + w, y + h)
            if any(box.hits_circle(cx, cy, r + 0.5) for cx, cy, r in self.circles):
                continue
            if any(box.overlaps(other, PAD) for other in self.boxes):
                continue
            if any(box.meets_ring(ring) for ring in outlines):
                continue
            free.append(((self._land_share(box), len(free)), (x, y)))
        if not free:
            size = (w + 2 * inset, h + 2 * inset)
            raise LegendNeedsRoom(size, size)
        return min(free)[1]

    def _land_share(self, box: Box) -> float:
        if self.land is None:
            return 0.0
        samples = [
            (box.x0 + (i + 0.5) * (box.x1 - box.x0) / 6, box.y0 + (j + 0.5) * (box.y1 - box.y0) / 4)
            for i in range(6)
            for j in range(4)
        ]
        return sum(1 for x, y in samples if self.land(x, y)) / len(samples)

    def _try(
        self,
        box: Box,
        text: str,
        size: float,
        colour: str,
        bold: bool,
        own: tuple[float, float] | None,
        symbols: bool = True,
    ) -> bool:
        if box.x0 < 1 or box.y0 < 1 or box.x1 > self.width - 1 or box.y1 > self.height - 1:
            return False
        if any(box.overlaps(other, PAD) for other in self.boxes):
            return False
        for x, y, r in self.circles if symbols else ():
            if own is not None and abs(x - own[0]) < 0.01 and abs(y - own[1]) < 0.01:
                continue
            if box.hits_circle(x, y, r + 0.5):
                return False
        self.boxes.append(box)
        self.labels.append(Label(box.x0, box.y0 + size * DESCENT, text, size, colour, bold))
        return True
