"""The SQLite knowledge base: open it with :func:`open_store`.

See CONTRIBUTING.md ("Store API") for the contract the other parts rely on.
"""

from briefing_app.store import _imports  # noqa: F401 - first: sqlite-utils without numpy
from briefing_app.store.entities import ENTITIES
from briefing_app.store.opening import open_store
from briefing_app.store.search import SearchHit
from briefing_app.store.store import Store

__all__ = ["ENTITIES", "SearchHit", "Store", "open_store"]
