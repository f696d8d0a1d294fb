"""GUI test set-up shared by every test in tests/gui/."""

import pytest

from briefing_app.gui.refcount_guard import top_up


@pytest.fixture(autouse=True)
def _keep_singletons_alive():
    """Undo PySide6 6.12's lost references to None/True (see refcount_guard)."""
    top_up()
    yield
    top_up()
