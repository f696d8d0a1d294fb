"""Fixtures shared by the hostile suite.

The seeded knowledge base is built once per session by ``tests/conftest.py``;
here one copy of it is opened per module for the tests that only read, so a
long list of payloads does not pay for opening a database each time.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from hostile_support import SECRET_NAME, SECRET_VALUE

from briefing_app.store import open_store


@pytest.fixture(scope="module")
def shared_store(seeded_template: Path, tmp_path_factory):
    """The seeded knowledge base, opened once for a whole module (read only use)."""
    folder = tmp_path_factory.mktemp("hostile-shared")
    path = folder / "shared.sqlite"
    shutil.copyfile(seeded_template, path)
    with open_store(path) as store:
        yield store


@pytest.fixture
def trap(tmp_path: Path, monkeypatch) -> Path:
    """A working folder with a secret in the environment.

    Payloads try to create ``pwned`` in it or print the secret; the tests
    check that neither happened.
    """
    folder = tmp_path / "trap"
    folder.mkdir()
    monkeypatch.chdir(folder)
    monkeypatch.setenv(SECRET_NAME, SECRET_VALUE)
    return folder
