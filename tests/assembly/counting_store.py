"""A real store that counts how often the knowledge base asks it for records."""

from __future__ import annotations


class CountingStore:
    """The real store, counting single-record lookups and whole loads per entity."""

    def __init__(self, store):
        self._store = store
        self.gets: dict[str, int] = {}
        self.loads: dict[str, int] = {}

    def get(self, entity, slug):
        self.gets[entity] = self.gets.get(entity, 0) + 1
        return self._store.get(entity, slug)

    def records(self, entity):
        self.loads[entity] = self.loads.get(entity, 0) + 1
        return self._store.records(entity)

    def __getattr__(self, name):
        return getattr(self._store, name)
