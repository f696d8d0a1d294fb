"""Build ``countries.json.gz``, the country outlines the maps draw.

Source: Natural Earth 1:50m admin-0 countries (public domain), as the
GeoJSON kept in ``../shared/geodata/countries-50m.geojson`` beside the
project. Each ring is simplified (Douglas-Peucker, tolerance ``--tolerance``
degrees), quantised to hundredths of a degree (about 1 km) and stored as a
first point and then differences, so the file stays small; rings too small
to see on a page map are dropped (a country always keeps its largest).

Countries are keyed by ISO 3166-1 alpha-2 code; the few that Natural Earth
gives no alpha-2 code ("-99") are keyed by their known code (France FR,
Norway NO) or else by Natural Earth's three-letter ADM0_A3 code.

Run from the project root:

    python3 resources/geodata/build_outlines.py /work/shared/geodata/countries-50m.geojson

The output is deterministic: the same input gives the same bytes.
"""

from __future__ import annotations

import argparse
import gzip
import json
from pathlib import Path

SCALE = 100  # quantum: 1/100 degree
KNOWN_CODES = {"FRA": "FR", "NOR": "NO"}
MIN_EXTENT = 0.08  # degrees: a ring narrower and lower than this is dropped
FORMAT = "briefing-builder-outlines/1"


def simplify(points: list[tuple[float, float]], tolerance: float) -> list[tuple[float, float]]:
    """Douglas-Peucker on a closed ring (first point repeated last), iterative."""
    if len(points) < 5:
        return points
    keep = [False] * len(points)
    keep[0] = keep[-1] = True
    # A closed ring has first == last: split at the point farthest from it.
    far = max(range(len(points)), key=lambda i: _dist2(points[i], points[0]))
    keep[far] = True
    stack = [(0, far), (far, len(points) - 1)]
    limit = tolerance * tolerance
    while stack:
        start, end = stack.pop()
        worst, index = 0.0, -1
        for i in range(start + 1, end):
            d = _segment_dist2(points[i], points[start], points[end])
            if d > worst:
                worst, index = d, i
        if index >= 0 and worst > limit:
            keep[index] = True
            stack += [(start, index), (index, end)]
    return [p for p, k in zip(points, keep, strict=True) if k]


def _dist2(a, b) -> float:
    return (a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2


def _segment_dist2(p, a, b) -> float:
    dx, dy = b[0] - a[0], b[1] - a[1]
    length2 = dx * dx + dy * dy
    if length2 == 0:
        return _dist2(p, a)
    t = max(0.0, min(1.0, ((p[0] - a[0]) * dx + (p[1] - a[1]) * dy) / length2))
    return _dist2(p, (a[0] + t * dx, a[1] + t * dy))


def signed_area(ring: list[tuple[int, int]]) -> float:
    return (
        sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:] + ring[:1], strict=True))
        / 2
    )


def encode_ring(ring: list[tuple[float, float]], exterior: bool, tolerance: float) -> list[int]:
    """Quantised, oriented (exteriors anticlockwise), delta-coded; [] if degenerate."""
    simple = simplify(ring, tolerance)
    quantised: list[tuple[int, int]] = []
    for lon, lat in simple:
        point = (round(lon * SCALE), round(lat * SCALE))
        if not quantised or point != quantised[-1]:
            quantised.append(point)
    if len(quantised) > 1 and quantised[0] == quantised[-1]:
        quantised.pop()
    if len(quantised) < 3 or signed_area(quantised) == 0:
        return []
    if (signed_area(quantised) > 0) != exterior:
        quantised.reverse()
    flat = [quantised[0][0], quantised[0][1]]
    for (x0, y0), (x1, y1) in zip(quantised, quantised[1:], strict=False):
        flat += [x1 - x0, y1 - y0]
    return flat


def _extent(ring) -> float:
    lons = [p[0] for p in ring]
    lats = [p[1] for p in ring]
    return max(max(lons) - min(lons), max(lats) - min(lats))


def country_polygons(geometry: dict, tolerance: float) -> list[list[list[int]]]:
    polygons = (
        geometry["coordinates"] if geometry["type"] == "MultiPolygon" else [geometry["coordinates"]]
    )
    largest = max(polygons, key=lambda poly: _extent(poly[0]))
    out = []
    for polygon in polygons:
        if polygon is not largest and _extent(polygon[0]) < MIN_EXTENT:
            continue
        rings = []
        for n, ring in enumerate(polygon):
            if n and _extent(ring) < MIN_EXTENT:
                continue  # a hole too small to see
            encoded = encode_ring([tuple(p) for p in ring], exterior=n == 0, tolerance=tolerance)
            if encoded:
                rings.append(encoded)
            elif n == 0:
                break
        if rings:
            out.append(rings)
    return out


def build(source: Path, target: Path, tolerance: float) -> dict:
    data = json.loads(source.read_text(encoding="utf-8"))
    countries = {}
    for feature in data["features"]:
        props = feature["properties"]
        code = props.get("ISO_A2") or "-99"
        if code == "-99":
            code = KNOWN_CODES.get(props["ADM0_A3"], props["ADM0_A3"])
        polygons = country_polygons(feature["geometry"], tolerance)
        if not polygons:
            continue
        countries[code] = {
            "name": props["NAME"],
            "sovereign": props["SOVEREIGNT"],
            "type": props["TYPE"],
            "polygons": polygons,
        }
    document = {
        "format": FORMAT,
        "scale": SCALE,
        "source": "Natural Earth 1:50m cultural vectors, admin-0 countries, version 4.0 "
        "(public domain, naturalearthdata.com)",
        "simplified": f"Douglas-Peucker, tolerance {tolerance} degrees",
        "countries": dict(sorted(countries.items())),
    }
    text = json.dumps(document, separators=(",", ":"), ensure_ascii=False)
    with (
        open(target, "wb") as raw,
        gzip.GzipFile(filename="", mode="wb", fileobj=raw, mtime=0, compresslevel=9) as packed,
    ):
        packed.write(text.encode("utf-8"))
    return document


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", type=Path, help="countries-50m.geojson (Natural Earth)")
    parser.add_argument("--out", type=Path, default=Path(__file__).with_name("countries.json.gz"))
    parser.add_argument("--tolerance", type=float, default=0.02)
    args = parser.parse_args()
    document = build(args.source, args.out, args.tolerance)
    points = sum(
        len(ring) // 2
        for country in document["countries"].values()
        for polygon in country["polygons"]
        for ring in polygon
    )
    print(
        f"{args.out}: {len(document['countries'])} countries, {points} points, "
        f"{args.out.stat().st_size / 1024:.0f} KB"
    )


if __name__ == "__main__":
    main()
