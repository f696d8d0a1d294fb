"""Fixtures of the partner-finder tests: the seeded store with the test profiles."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

HERE = Path(__file__).parent
PROFILES = HERE / "profiles.csv"


def expected_counterparts() -> dict[str, list[str]]:
    """profile slug -> the counterparts a knowledgeable reader would put first."""
    with open(HERE / "expected.csv", encoding="utf-8", newline="") as handle:
        return {row["profile"]: row["expected"].split(";") for row in csv.DictReader(handle)}


@pytest.fixture
def profiled_store(seeded_store):
    """The default knowledge base with the test set of visitor profiles."""
    seeded_store.import_file("profiles", PROFILES)
    return seeded_store
