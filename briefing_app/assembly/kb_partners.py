"""The part of ``kb`` that suggests partners to the visitors of a briefing.

A mixin of :class:`~briefing_app.assembly.knowledge.KnowledgeBase`: the
scoring is :mod:`briefing_app.assembly.partner_finder`; here it is applied
to the records of the selected country and area, once per build, with the
pins and drops the user made in the saved briefing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from briefing_app.assembly.amounts import bracketed
from briefing_app.assembly.kb_index import _slug

if TYPE_CHECKING:
    from briefing_app.assembly import partner_finder as pf

SEEK_WORDS = {
    "r-and-d": "R&D",
    "trade": "trade",
    "investment": "investment",
    "training": "training",
}


def _finder():
    """The partner finder module, imported on first use: it loads a stemmer
    and word tables (about 30 ms) that a briefing without visitors never needs."""
    from briefing_app.assembly import partner_finder

    return partner_finder


class PartnersMixin:
    """``kb.partner_matches``, ``kb.partner_ranking`` and ``kb.meeting_shortlist``."""

    _partner_focus: tuple[str, ...] = ()
    _partner_pins: tuple[str, ...] = ()
    _partner_drops: tuple[str, ...] = ()

    def set_partner_choices(self, focus: Any = (), pins: Any = (), drops: Any = ()) -> None:
        """The selection's sectors (candidates must work in one when they
        name a sector) and the pinned and dropped matches, each
        "profile-slug:group/slug". Called by the build, not by templates."""
        self._partner_focus = tuple(focus)
        self._partner_pins = tuple(pins)
        self._partner_drops = tuple(drops)
        self._memo.pop(("partner_finder",), None)

    def partner_ranking(self, profile: Any) -> pf.Ranking:
        """Every match of ``profile`` (a profile or its slug), by group."""
        record = self._one("profiles", profile) if isinstance(profile, str) else profile
        if record is None:
            return _finder().Ranking(None, {g: [] for g in _finder().GROUPS})
        key = ("partner_ranking", record.slug)
        if key not in self._memo:
            own = f"{record.slug}:"
            pins = [p[len(own) :] for p in self._partner_pins if p.startswith(own)]
            drops = [d[len(own) :] for d in self._partner_drops if d.startswith(own)]
            self._memo[key] = self.partner_finder().rank(record, pins, drops)
        return self._memo[key]

    def partner_matches(self, profile: Any, group: Any = None, most: Any = 5) -> list:
        """The best matches of ``profile``: of one group ("clusters",
        "research", "organisations", "partnerships", "regions") or a list of
        groups or, without ``group``, of all but regions. Each has ``name``, ``score``,
        ``reason`` (never empty), ``website`` and ``record``."""
        ranking = self.partner_ranking(profile)
        groups = None if group is None else (group,) if isinstance(group, str) else tuple(group)
        return ranking.best(most if most is not None else 1000, groups)

    def meeting_shortlist(self, profiles: Any, most: Any = 3) -> list[dict[str, Any]]:
        """Rows for a table: for each profile its ``most`` best counterparts
        with ``profile``, ``counterpart``, ``reason`` and ``website``."""
        rows = []
        for profile in profiles or ():
            for match in self.partner_matches(profile, most=most):
                rows.append(
                    {
                        "profile": profile.name,
                        "counterpart": match.name,
                        "reason": match.reason,
                        "website": match.own_website
                        or (
                            bracketed(match.contact.name, match.contact.website)
                            if match.contact
                            else ""
                        ),
                    }
                )
        return rows

    def sector_words(self, slugs: Any) -> list[str]:
        """The names of sectors (slugs) as a sentence writes them:
        "new-energy vehicles", but "ICT"."""
        words = []
        for slug in slugs or ():
            record = self._one("sectors", slug)
            name = record.name if record is not None else str(slug)
            words.append(name if name[:2].isupper() else name[0].lower() + name[1:])
        return words

    def seek_words(self, seeks: Any) -> list[str]:
        """What a profile seeks as a sentence writes it ("R&D", "trade")."""
        return [SEEK_WORDS.get(s, str(s)) for s in seeks or ()]

    def partner_finder(self) -> pf.PartnerFinder:
        key = ("partner_finder",)
        if key not in self._memo:
            catalogue = _finder().Catalogue(
                sectors=self._all("sectors"),
                scope=self._sector_scope,
                region=lambda slug: self._one("regions", slug),
                area=self._region,
                clusters=self.clusters(),
                # the whole country's, or the national ones and those of the area
                organisations=(
                    self.organisations() if self._region is None else self.area_organisations()
                ),
                partnerships=self.partnerships(),
                rd_intensity=self._rd_intensity,
                organisation_grouping=lambda kind: self.kind_grouping("organisations", kind),
            )
            self._memo[key] = _finder().PartnerFinder(catalogue, self._partner_focus)
        return self._memo[key]

    def _rd_intensity(self, region: str) -> float | None:
        """The latest R&D intensity given for ``region`` itself, if any."""
        series = _finder().RD_SERIES
        found = [i for i in self.indicators(series=series, region="*") if i.region == _slug(region)]
        if not found:
            return None
        return max(found, key=lambda i: i.year).value
