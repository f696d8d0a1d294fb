"""The test set of visitor profiles and their expected counterparts (a plain
module: conftest is not importable by name beside other conftest.py files)."""

from __future__ import annotations

import csv
from pathlib import Path

HERE = Path(__file__).parent
PROFILES = HERE / "profiles.csv"


def expected_counterparts() -> dict[str, list[str]]:
    """profile slug -> the counterparts a knowledgeable reader would put first."""
    with open(HERE / "expected.csv", encoding="utf-8", newline="") as handle:
        return {row["profile"]: row["expected"].split(";") for row in csv.DictReader(handle)}
