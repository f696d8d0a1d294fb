"""Country outlines for the maps, read from ``resources/geodata/countries.json.gz``.

The file (built by ``resources/geodata/build_outlines.py`` from Natural
Earth, public domain) holds every country, simplified and quantised, keyed
by ISO alpha-2 code, so a country added by import finds its outline with
no extra file. It is read the first time a map is drawn (about 10 ms) and
kept; a country's rings are decoded once, when first asked for.

Outlines are data, like ``paths``: the renderers draw them
(``render/maps_layout.py``) and the assembly asks :func:`has_outline` so a
map's caption credits an outline only when one is drawn.
"""

from __future__ import annotations

import gzip
import json
import threading
from pathlib import Path

from briefing_app import paths

Ring = tuple[tuple[float, float], ...]  # (longitude, latitude) points, not closed
Polygon = tuple[Ring, ...]  # exterior first (anticlockwise), then holes (clockwise)

_LOCK = threading.Lock()
_FILE: dict | None = None
_DECODED: dict[str, tuple[Polygon, ...]] = {}


def outlines_file() -> Path:
    return paths.resources_dir() / "geodata" / "countries.json.gz"


def country_polygons(iso_code: str) -> tuple[Polygon, ...]:
    """The polygons of a country as a map draws it: its own outline and those
    of the areas Natural Earth keeps apart but lists under the same
    sovereignty as countries in their own right (China's Hong Kong and Macao).
    Empty for a code the file does not know (an invented country)."""
    with _LOCK:
        countries = _load()["countries"]
        own = countries.get(iso_code.upper())
        if own is None:
            return ()
        codes = [iso_code.upper()] + sorted(
            code
            for code, entry in countries.items()
            if code != iso_code.upper()
            and entry["sovereign"] == own["sovereign"]
            and entry["type"] == "Country"
            and own["type"] in ("Country", "Sovereign country")
        )
        found: list[Polygon] = []
        for code in codes:
            if code not in _DECODED:
                _DECODED[code] = _decode(countries[code]["polygons"], _load()["scale"])
            found.extend(_DECODED[code])
        return tuple(found)


def has_outline(iso_code: str) -> bool:
    """Whether a map of this country draws an outline (Natural Earth knows it
    and the outlines file could be read)."""
    with _LOCK:
        return bool(iso_code) and iso_code.upper() in _load()["countries"]


def _load() -> dict:
    global _FILE
    if _FILE is None:
        path = outlines_file()
        try:
            _FILE = json.loads(gzip.decompress(path.read_bytes()))
        except (OSError, ValueError) as exc:
            # The maps then show points without an outline; nothing else depends on it.
            _FILE = {"countries": {}, "scale": 100, "problem": f"{path}: {exc}"}
    return _FILE


def _decode(polygons: list, scale: int) -> tuple[Polygon, ...]:
    out = []
    for polygon in polygons:
        rings = []
        for flat in polygon:
            x, y = flat[0], flat[1]
            points = [(x / scale, y / scale)]
            for i in range(2, len(flat), 2):
                x += flat[i]
                y += flat[i + 1]
                points.append((x / scale, y / scale))
            rings.append(tuple(points))
        out.append(tuple(rings))
    return tuple(out)


def contains(polygon: Polygon, lon: float, lat: float) -> bool:
    """Even-odd point-in-polygon test on the polygon's rings (holes excluded)."""
    inside = False
    for ring in polygon:
        count = len(ring)
        for i in range(count):
            x0, y0 = ring[i]
            x1, y1 = ring[(i + 1) % count]
            if (y0 > lat) != (y1 > lat) and lon < x0 + (lat - y0) * (x1 - x0) / (y1 - y0):
                inside = not inside
    return inside
