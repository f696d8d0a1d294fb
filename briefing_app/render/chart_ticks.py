"""Whole-number value axes for charts of counts (``ChartSpec.whole``).

The PDF (``pdf_charts.py``, ReportLab) and the Word/preview pictures
(``charts.py``, matplotlib) mark a chart of clusters or projects with the
same ticks: whole numbers only, 1, 2 or 5 times a power of ten apart, from
zero (or the lowest value) to the first tick at or above the highest value.
Kept free of matplotlib and ReportLab so both can use it cheaply.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

MOST_INTERVALS = 6


def whole_ticks(values: Iterable[float], most: int = MOST_INTERVALS) -> list[int]:
    """The value-axis ticks for whole quantities: [0, 1, 2] for 2, 1, 1;
    [0, 5, 10, 15, 20, 25] for 23; [0, 1] when every value is zero."""
    found = [float(v) for v in values if math.isfinite(float(v))]
    low = math.floor(min([0.0, *found]))
    high = math.ceil(max([0.0, *found]))
    if high == low:
        high = low + 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            size = step * factor
            first, last = math.floor(low / size), math.ceil(high / size)
            if last - first <= most:
                return [i * size for i in range(first, last + 1)]
        step *= 10
