"""The open vocabularies: what each kind of region, cluster, partnership,
organisation or policy level means, read from the ``kinds`` table.

Code that treats records by their kind asks here, by grouping, instead of
keeping tuples of codes: ``vocabulary(store).codes("regions", "group")`` are
the kinds of region that group others, whatever kinds users imported. The
answer is one :class:`Vocabulary` per state of the database, kept by
``store.derived`` until the file changes. Qt-free and SQL-free: assembly,
the command line and the windows all use it.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from briefing_app.store.records import Kind


class Vocabulary:
    """Every kinds row, by entity and code. Shared and never changed."""

    def __init__(self, kinds: Iterable[Kind]) -> None:
        by_entity: dict[str, list[Kind]] = {}
        for kind in kinds:
            by_entity.setdefault(kind.entity, []).append(kind)
        self._kinds = {
            entity: tuple(sorted(found, key=lambda k: (k.sort_order, k.label.casefold(), k.code)))
            for entity, found in by_entity.items()
        }
        self._by_code = {(k.entity, k.code): k for found in self._kinds.values() for k in found}
        self._codes: dict[tuple[str, str | None], tuple[str, ...]] = {}

    def kinds(self, entity: str) -> tuple[Kind, ...]:
        """The kinds of ``entity`` in their order (``sort_order``, then label)."""
        return self._kinds.get(entity, ())

    def codes(self, entity: str, grouping: str | Iterable[str] | None = None) -> tuple[str, ...]:
        """Codes of ``entity``'s kinds, of one grouping (or any of several)."""
        wanted = (grouping,) if isinstance(grouping, str) else grouping
        key = (entity, None if wanted is None else "\x1f".join(sorted(wanted)))
        if key not in self._codes:
            self._codes[key] = tuple(
                k.code for k in self.kinds(entity) if wanted is None or k.grouping in wanted
            )
        return self._codes[key]

    def get(self, entity: str, code: str) -> Kind | None:
        return self._by_code.get((entity, code))

    def grouping(self, entity: str, code: str) -> str:
        """The grouping of a kind; "" for a code the table does not hold."""
        kind = self.get(entity, code)
        return kind.grouping if kind else ""

    def label(self, entity: str, code: str, count: int = 1) -> str:
        """What a reader sees for a kind: its label, or its plural when
        ``count`` is not 1; a code the table lacks reads as its words."""
        kind = self.get(entity, code)
        if kind is None:
            return code.replace("-", " ")
        return kind.label if count == 1 else kind.plural_label

    def order(self, entity: str, code: str) -> tuple[int, int]:
        """A sort key that puts records in the order of their kinds."""
        kinds = self.kinds(entity)
        for position, kind in enumerate(kinds):
            if kind.code == code:
                return (0, position)
        return (1, 0)


def vocabulary(store: Any) -> Vocabulary:
    """The store's vocabulary, kept until the database changes."""
    return store.derived(("vocabulary",), lambda: Vocabulary(store.records("kinds")))
