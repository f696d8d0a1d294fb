"""Writing small CSV files for tests (a plain module: conftest is not importable
by name once several test folders have their own conftest.py)."""

from __future__ import annotations

import csv
from pathlib import Path


def write_csv(path: Path, rows: list[dict], delimiter: str = ",") -> Path:
    """Write rows as CSV with the union of their keys as header, in first-seen order."""
    header: list[str] = []
    for row in rows:
        header += [k for k in row if k not in header]
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, header, delimiter=delimiter)
        writer.writeheader()
        writer.writerows(rows)
    return path


def shipped_kinds() -> int:
    """How many kinds a database has before anything is imported: the rows of
    db/seed/kinds.csv, which the migration v12_kinds also writes."""
    seed = Path(__file__).resolve().parents[1] / "db" / "seed" / "kinds.csv"
    with open(seed, encoding="utf-8", newline="") as handle:
        return sum(1 for _row in csv.DictReader(handle))


def nothing_imported(counts: dict[str, int]) -> dict[str, int]:
    """``counts`` as they are in a database nothing was imported into."""
    return dict.fromkeys(counts, 0) | {"kinds": shipped_kinds()}
