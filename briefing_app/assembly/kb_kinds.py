"""The part of ``kb`` that gives kinds their meaning: labels for readers and
groupings for the briefing, from the ``kinds`` table (store/vocabulary.py).

A mixin of :class:`~briefing_app.assembly.knowledge.KnowledgeBase`. Templates
never print a kind's code: ``kb.kind_label('clusters', c.kind)`` is "craft
village", ``kb.kind_groups(partnerships)`` lists records under their kind's
label, and ``kb.partnerships(grouping='cooperation')`` finds every kind users
filed under that grouping.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from briefing_app.assembly.fields import data_field
from briefing_app.store.records import KIND_FIELDS
from briefing_app.store.vocabulary import Vocabulary, vocabulary

# The entity of a record, by its type's name: kind_groups needs it.
_ENTITY_OF = {
    "Region": "regions",
    "Cluster": "clusters",
    "Partnership": "partnerships",
    "Organisation": "organisations",
    "Policy": "policies",
}


@dataclass(frozen=True)
class KindGroup:
    """Records of one kind: its ``code``, ``label`` and ``plural`` as a reader
    sees them, its ``grouping`` and the ``records``, in their given order."""

    code: str
    label: str
    plural: str
    grouping: str
    records: list


class KindsMixin:
    """``kb.kind_label``, ``kb.kind_codes`` and ``kb.kind_groups``."""

    _store: Any
    _memo: dict

    def _kind_words(self) -> Vocabulary:
        key = ("kind_words",)
        if key not in self._memo:
            self._memo[key] = vocabulary(self._store)
        return self._memo[key]

    def kind_label(self, entity: Any, code: Any, count: Any = 1, start: Any = False) -> str:
        """The label of kind ``code`` of ``entity`` ("regions", "clusters",
        "partnerships", "organisations", "policies"), its plural when ``count``
        is not 1; ``start=True`` for the start of a sentence or a cell."""
        text = self._kind_words().label(str(entity), str(code), 1 if count == 1 else 2)
        return text[:1].upper() + text[1:] if start else text

    def kind_codes(self, entity: Any, grouping: Any = None) -> list[str]:
        """Codes of the kinds of ``entity`` of one grouping (or a list of
        groupings; None: every kind), in the table's order."""
        found = self._kind_words().codes(str(entity), _groupings(grouping))
        return list(found)

    def kind_grouping(self, entity: Any, code: Any) -> str:
        """The grouping of kind ``code`` of ``entity`` ("" if unknown)."""
        return self._kind_words().grouping(str(entity), str(code))

    def kind_groups(self, records: Any) -> list[KindGroup]:
        """``records`` (of one entity) grouped by kind, the kinds in the
        table's order, each group keeping the order of ``records``."""
        per_list = self._per_list  # type: ignore[attr-defined]
        return per_list("kind_groups", records, (), self._grouped, what="records")

    def _grouped(self, records: list) -> list[KindGroup]:
        if not records:
            return []
        entity = _ENTITY_OF.get(type(records[0]).__name__)
        if entity is None or any(type(r) is not type(records[0]) for r in records):
            raise TypeError(
                "kb.kind_groups needs a list of regions, clusters, partnerships, "
                "organisations or policies, all of one kind of record"
            )
        field = KIND_FIELDS[entity]
        words = self._kind_words()
        by_code: dict[str, list] = {}
        for record in records:
            by_code.setdefault(data_field(record, field), []).append(record)
        ordered = sorted(by_code, key=lambda code: (words.order(entity, code), code))
        return [
            KindGroup(
                code=code,
                label=words.label(entity, code),
                plural=words.label(entity, code, 2),
                grouping=words.grouping(entity, code),
                records=by_code[code],
            )
            for code in ordered
        ]


def _groupings(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)
