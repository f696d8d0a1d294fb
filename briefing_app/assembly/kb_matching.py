"""The part of ``kb`` that says which records are relevant to which, and why.

A mixin of :class:`~briefing_app.assembly.knowledge.KnowledgeBase`: the rules
and the scoring are in :mod:`briefing_app.assembly.matching`; here they are
applied to the records of the selected country and area, memoised for the
build like every other ``kb`` answer.
"""

from __future__ import annotations

from typing import Any

from briefing_app.assembly import matching
from briefing_app.assembly.kb_index import _slug


class RelevanceMixin:
    """``kb.matches``, ``kb.cluster_matches`` and ``kb.with_cluster_matches``."""

    def matches(self, subject: Any, candidates: Any, most: Any = None) -> list:
        """The records of ``candidates`` relevant to ``subject`` (a
        partnership, organisation, policy or cluster), best first, each a
        matching.Match with its ``record`` and ``reason``: they share a
        sector at the most specific level and a keyword. ``most`` caps the list."""
        found = self._per_list(
            "matches",
            candidates,
            (id(subject),),
            lambda records: matching.rank(
                subject,
                records,
                self._sector_scope,
                self._vocabulary(),
                _label(subject),
                self._terms,
            ),
        )
        return found if most is None else found[: max(0, int(most))]

    def cluster_matches(self, subject: Any, sector: Any = None, kind: Any = None) -> list:
        """Clusters of the selected area relevant to ``subject`` (see
        ``matches``); ``sector`` keeps those meeting it in that sector (or
        below), ``kind`` one kind or a list of kinds."""
        slug, kinds = _slug(sector), _kinds(kind)
        area = self._region_filter(None)
        key = ("cluster_matches", type(subject).__name__, subject.slug, slug, kinds, area)

        def ranked() -> list:
            pool: dict[str, Any] = {}
            for own in subject.sectors or ():
                for cluster in self.clusters(sector=self._root_sector(own), kind=kind):
                    pool.setdefault(cluster.slug, cluster)
            found = matching.rank(
                subject,
                pool.values(),
                self._sector_scope,
                self._vocabulary(),
                _label(subject),
                self._terms,
            )
            if slug:
                scope = self._sector_scope(slug)
                found = [m for m in found if m.sector in scope]
            return found

        # Kept by the store until its data change, as country-wide lists are:
        # ranking every cluster of a field was most of a rebuild at 100,000.
        return self._kept(key, ranked, True)

    def with_cluster_matches(self, subjects: Any) -> list:
        """Those of ``subjects`` that have at least one ``cluster_matches``."""
        return [s for s in subjects or () if self.cluster_matches(s)]

    def _vocabulary(self) -> matching.Vocabulary:
        key = ("vocabulary",)
        if key not in self._memo:
            places = [r.name for r in self._all("regions")] + [self._country.name]
            self._memo[key] = matching.Vocabulary.build(self._all("sectors"), places)
        return self._memo[key]

    def _terms(self, record: Any) -> dict[str, str]:
        key = ("terms", type(record).__name__, getattr(record, "slug", id(record)))
        if key not in self._memo:
            self._memo[key] = self._vocabulary().terms_of(matching.record_text(record))
        return self._memo[key]

    def _root_sector(self, slug: str) -> str:
        """The top of ``slug``'s sector chain (itself when unknown)."""
        seen = {slug}
        record = self._one("sectors", slug)
        while record is not None and record.parent and record.parent not in seen:
            seen.add(record.parent)
            slug = record.parent
            record = self._one("sectors", slug)
        return slug


def _label(record: Any) -> str:
    """How reader text names ``record``: its ``label`` (a partnership's
    official acronym, else its name), else its name."""
    return getattr(record, "label", None) or getattr(record, "name", "") or record.slug


def _kinds(value: Any) -> tuple[str, ...] | None:
    if value is None:
        return None
    return (value,) if isinstance(value, str) else tuple(value)
