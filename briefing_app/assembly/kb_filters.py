"""``kb.where`` and ``kb.where_not``: records kept or left out by one field.

A mixin of :class:`~briefing_app.assembly.knowledge.KnowledgeBase`. The
template filters ``selectattr`` and ``rejectattr`` do the same, but through
the sandbox's check of every attribute they read: over the clusters of a
whole country (tens of thousands in a large knowledge base) that was most of
a rebuild. These read the field as ``table()`` does (``fields.field_path``:
records and dicts only, never a method), once per record.
"""

from __future__ import annotations

from typing import Any

from briefing_app.assembly.fields import data_fields, field_path, record_value


class FiltersMixin:
    """``kb.where(records, field, values)`` and ``kb.where_not(...)``."""

    def where(self, records: Any, field: str, values: Any = None) -> list:
        """The records whose ``field`` (a dotted path: ``"sectors.0"``) is
        one of ``values``, or, without ``values``, is set (not empty)."""
        return self._filtered("where", records, field, values, keep=True)

    def where_not(self, records: Any, field: str, values: Any = None) -> list:
        """The other records: ``field`` not one of ``values`` (or empty)."""
        return self._filtered("where_not", records, field, values, keep=False)

    def _filtered(self, name: str, records: Any, field: str, values: Any, keep: bool) -> list:
        field = str(field)
        wanted = None if values is None else frozenset(_values(values))

        readers: dict[type, Any] = {}

        def holds(record: Any) -> bool:
            kind = type(record)
            read = readers.get(kind)
            if read is None:
                read = readers[kind] = _reader(kind, field)
            value = read(record)
            if wanted is None:
                return bool(value)
            try:
                return value in wanted
            except TypeError:  # a list or the like: never one of the values
                return False

        def chosen(given: list) -> list:
            return [r for r in given if holds(r) is keep]

        options = (field, None if wanted is None else tuple(sorted(map(repr, wanted))))
        return self._per_list(name, records, options, chosen, dicts=True)


def _reader(kind: type, path: str):
    """How to read ``path`` from records of ``kind``: straight from the field
    when its first step is one of the type's data fields and the rest are
    positions ("sectors.0"), as ``field_path`` reads it; else ``field_path``."""
    name, *rest = path.split(".")
    fields = data_fields(kind)
    if fields is None or name not in fields or not all(step.isdigit() for step in rest):
        return lambda record: field_path(record, path)
    positions = [int(step) for step in rest]

    def read(record: Any) -> Any:
        value = record_value(record, name)
        for position in positions:
            if not isinstance(value, (list, tuple)) or position >= len(value):
                return None
            value = value[position]
        return value

    return read


def _values(values: Any) -> tuple:
    if isinstance(values, str):
        return (values,)
    return tuple(values)
