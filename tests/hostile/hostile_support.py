"""Constants and small helpers of the hostile suite (not fixtures: see conftest.py).

Kept apart from ``conftest.py`` because ``tests/conftest.py`` is imported by
that name elsewhere, and two modules called ``conftest`` must not compete.
"""

from __future__ import annotations

import csv
from pathlib import Path

SECRET_NAME = "BRIEFING_HOSTILE_SECRET"
SECRET_VALUE = "s3cr3t-value-that-must-never-print"


def write_rows(path: Path, rows: list[dict], delimiter: str = ",", encoding: str = "utf-8") -> Path:
    """Rows as CSV, header = union of keys in first-seen order."""
    header: list[str] = []
    for row in rows:
        header += [k for k in row if k not in header]
    with open(path, "w", encoding=encoding, newline="") as handle:
        writer = csv.DictWriter(handle, header, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path
