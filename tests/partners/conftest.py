"""Fixtures of the partner-finder tests: the seeded store with the test profiles."""

from __future__ import annotations

import pytest
from partner_data import PROFILES


@pytest.fixture
def profiled_store(seeded_store):
    """The default knowledge base with the test set of visitor profiles."""
    seeded_store.import_file("profiles", PROFILES)
    return seeded_store
