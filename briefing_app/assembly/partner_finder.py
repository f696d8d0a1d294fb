"""The partner finder: given a visitor's profile, whom to meet, and why.

For a selection (country, region, sectors) and a :class:`~briefing_app.store.
records.Profile`, the finder ranks the target's clusters, its universities and
research bodies (apart, as seed 000 advises: cooperation bears fruit more
often when universities take part), its other organisations, the
partnerships that target it, and its regions. docs/partner-finder.md gives
the rules; in short, each candidate scores (0 to 100)::

    100 * (0.40 sector + 0.45 keywords + 0.10 value chain + 0.05 indicators)

- **sector** (0..1): the profile's sectors against the candidate's, through
  the sector tree. The same sub-sector counts 1, the same top-level sector
  0.7, a sub-sector of the profile's sector 0.85, the wider sector of the
  profile's 0.45; the profile's later sectors 0.85 as much as its first. A
  record that lists no sector is read for the sectors its text names by an
  alias, at four fifths.
- **keywords** (0..1): the profile's keywords found in the candidate's text
  (any inflection, :mod:`partner_text`), whole (1) or in part (up to 0.5),
  less for words most candidate texts hold; two whole keywords fill the
  part. Local-script keywords match the record's local names exactly.
- **value chain** (0..1): a step the candidate's text shows that
  complements one of the profile's (components and assembly) counts 1, the
  same step 0.5.
- **indicators** (0..1): regions only, where both sides give an R&D
  intensity: one minus their relative difference.

A candidate is a match only with a sector or a keyword in common, and every
match carries the reasons, in words, that made its score: never a match
without one. Qt-free and store-free: it reads a :class:`Catalogue`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any

from briefing_app.assembly import partner_text as pt

WEIGHTS = {"sector": 0.40, "keywords": 0.45, "value_chain": 0.10, "indicators": 0.05}
SAME_SUBSECTOR, SAME_SECTOR, NARROWER, WIDER, NAMED_ONLY = 1.0, 0.7, 0.85, 0.45, 0.8
LATER_SECTOR = 0.85  # a profile's second and further sectors count this much
KEYWORDS_FULL = 2.0  # whole keywords that fill the keyword part
COMMON_TEXTS = 5  # a word in more candidate texts than this counts less
MIN_RARITY = 0.3
GROUPS = ("clusters", "research", "organisations", "partnerships", "regions")
GROUP_TITLES = {
    "clusters": "Clusters and zones",
    "research": "Universities and research bodies",
    "organisations": "Associations, agencies and companies",
    "partnerships": "Partnerships and projects",
    "regions": "Regions",
}
RD_SERIES = "rd-intensity"


@dataclass(frozen=True)
class Catalogue:
    """What the finder reads: the records of the selected country and area."""

    sectors: Sequence[Any]
    scope: Callable[[str], set[str]]  # a sector slug -> it and its sub-sectors
    region: Callable[[str], Any]  # a region slug -> the region record or None
    area: Any  # the selected region, or None for the whole country
    clusters: Sequence[Any]
    organisations: Sequence[Any]
    partnerships: Sequence[Any]
    rd_intensity: Callable[[str], float | None] = lambda _slug: None
    # an organisation's kind -> its grouping in the kinds table: "research"
    # ones form their own group, "contact" ones are whom to approach in a region
    organisation_grouping: Callable[[str], str] = lambda _kind: ""


@dataclass(frozen=True)
class PartnerMatch:
    """One counterpart for one profile: its ``record``, its ``group`` (see
    GROUPS), its ``score`` (0..100), the ``reasons`` it scores so, the part
    each criterion gave (``parts``) and, where the record has no website of
    its own, a ``contact``: the regional authority to approach."""

    group: str
    record: Any
    score: float
    reasons: tuple[str, ...]
    parts: dict[str, float] = field(default_factory=dict)
    contact: Any = None
    pinned: bool = False

    @property
    def key(self) -> str:
        """ "group/slug": what a pin or a drop names."""
        return f"{self.group}/{self.record.slug}"

    @property
    def name(self) -> str:
        return getattr(self.record, "label", None) or self.record.name

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)

    @property
    def own_website(self) -> str:
        """The counterpart's own website, "" if none."""
        return getattr(self.record, "website", "") or ""

    @property
    def website(self) -> str:
        """Its own website, else its contact's."""
        return self.own_website or (getattr(self.contact, "website", "") or "")

    @property
    def place(self) -> str:
        """The city or region a reader would look for it in ("" if none)."""
        return getattr(self.record, "city", "") or ""


@dataclass(frozen=True)
class Ranking:
    """Every match of one profile, by group, best first."""

    profile: Any
    groups: dict[str, list[PartnerMatch]]

    def best(self, most: int = 5, groups: Iterable[str] | None = None) -> list[PartnerMatch]:
        """The best matches of all groups but regions (or of ``groups``),
        pinned first, then by score."""
        wanted = tuple(groups) if groups is not None else GROUPS[:-1]
        found = [m for g in wanted for m in self.groups.get(g, ())]
        found.sort(key=_order)
        return found[: max(0, int(most))]

    def __len__(self) -> int:
        return sum(len(found) for found in self.groups.values())


def _order(match: PartnerMatch) -> tuple:
    return (not match.pinned, -match.score, match.name.lower())


class PartnerFinder:
    """Ranks a catalogue's records for profiles; keep one per catalogue, the
    texts it reads are analysed once."""

    def __init__(self, catalogue: Catalogue, focus: Iterable[str] = ()) -> None:
        self.catalogue = catalogue
        self.vocabulary = pt.SectorVocabulary.build(catalogue.sectors)
        self._names = {s.slug: s.name for s in catalogue.sectors}
        self._parents = {s.slug: s.parent for s in catalogue.sectors}
        self._texts: dict[tuple[str, str], tuple[pt.Text, dict[str, str], dict[str, str]]] = {}
        focus = tuple(focus)
        self._focus = set().union(*(catalogue.scope(s) for s in focus)) if focus else None
        self._contacts = _contacts_by_region(
            catalogue.organisations, catalogue.organisation_grouping
        )
        self._frequency: dict[str, int] | None = None

    # -- public ------------------------------------------------------------------

    def rank(self, profile: Any, pins: Iterable[str] = (), drops: Iterable[str] = ()) -> Ranking:
        """The ranking of ``profile``; ``pins`` and ``drops`` are match keys
        ("clusters/slug") the user pinned to the top or dropped."""
        keywords = [pt.Keyword.of(k) for k in profile.keywords if k.strip()]
        steps = _profile_steps(profile.value_chain)
        pinned, dropped = set(pins), set(drops)
        groups: dict[str, list[PartnerMatch]] = {g: [] for g in GROUPS}
        for group, records in (
            ("clusters", self.catalogue.clusters),
            ("organisations", self.catalogue.organisations),
            ("partnerships", self.catalogue.partnerships),
        ):
            for record in records:
                if group == "organisations" and self._research(record.kind):
                    where = "research"
                else:
                    where = group
                hit = self._match(where, record, profile, keywords, steps)
                if hit is not None and hit.key not in dropped:
                    groups[where].append(hit)
        groups["regions"] = self._regions(profile, keywords, steps, groups)
        for group, found in groups.items():
            kept = [
                replace(m, pinned=True) if m.key in pinned else m
                for m in found
                if m.key not in dropped
            ]
            kept.sort(key=_order)
            groups[group] = kept
        return Ranking(profile, groups)

    # -- one candidate -------------------------------------------------------------

    def _research(self, kind: str) -> bool:
        """Whether an organisation of ``kind`` is a university or research body."""
        return self.catalogue.organisation_grouping(kind) == "research"

    def _analysed(self, group: str, record: Any) -> tuple[pt.Text, dict[str, str], dict[str, str]]:
        key = (type(record).__name__, record.slug)
        if key not in self._texts:
            text = pt.record_words(record)
            self._texts[key] = (text, self.vocabulary.named(text), pt.steps_named(text))
        return self._texts[key]

    def _match(
        self,
        group: str,
        record: Any,
        profile: Any,
        keywords: list[pt.Keyword],
        steps: list[str],
    ) -> PartnerMatch | None:
        text, named, their_steps = self._analysed(group, record)
        listed = tuple(getattr(record, "sectors", ()) or ())
        if listed:  # sectors a text names count only for a record that lists none
            named = {}
        if self._focus is not None and (listed or named):
            if not (set(listed) | set(named)) & self._focus:
                return None
        sector, sector_reason = self._sector_part(profile, listed, named)
        hits = pt.keyword_hits(keywords, text, self._rarity)
        words = sum(h.weight for h in hits)
        keyword_part = min(1.0, words / KEYWORDS_FULL)
        if not sector and not keyword_part:
            return None
        chain, chain_reason = _chain_part(profile, steps, their_steps)
        reasons = []
        latin = [h.wording for h in hits if not h.local]
        if latin:
            reasons.append(f"both work on {_join(latin[:3])}")
        local = [h.wording for h in hits if h.local]
        if local:
            reasons.append(f"its local name holds {_join(local[:3])}")
        for wording in latin:  # "(R&D)" after a sector adds nothing beside "both work on R&D"
            sector_reason = sector_reason.removesuffix(f" ({wording})")
        if sector_reason:
            reasons.append(sector_reason)
        if chain_reason:
            reasons.append(chain_reason)
        parts = {"sector": sector, "keywords": keyword_part, "value_chain": chain}
        contact = None
        if not getattr(record, "website", ""):
            contact = self._contact(getattr(record, "region", "") or "")
        return PartnerMatch(group, record, _score(parts), tuple(reasons), parts, contact)

    def _rarity(self, stem: str) -> float:
        """1 for a word few candidate texts hold, less for a common one."""
        if self._frequency is None:
            counts: dict[str, int] = {}
            c = self.catalogue
            for group, records in (
                ("clusters", c.clusters),
                ("organisations", c.organisations),
                ("partnerships", c.partnerships),
            ):
                for record in records:
                    for found in self._analysed(group, record)[0].stem_set:
                        counts[found] = counts.get(found, 0) + 1
            self._frequency = counts
        seen = self._frequency.get(stem, 0)
        return 1.0 if seen <= COMMON_TEXTS else max(MIN_RARITY, (COMMON_TEXTS / seen) ** 0.5)

    def _sector_part(
        self, profile: Any, listed: tuple[str, ...], named: dict[str, str]
    ) -> tuple[float, str]:
        """The best meeting of the profile's sectors with the candidate's
        (listed, else named in its text) and its phrase."""
        scope = self.catalogue.scope
        theirs = [(s, False) for s in listed] + [(s, True) for s in named if s not in listed]
        best, phrase = 0.0, ""
        for rank, own in enumerate(profile.sectors):
            for slug, from_text in theirs:
                if slug == own:
                    value = SAME_SUBSECTOR if self._parents.get(own) else SAME_SECTOR
                    said = f"both work in {self._word(own)}"
                elif slug in scope(own):
                    value = NARROWER
                    said = f"works in {self._word(slug)}, a branch of {self._word(own)}"
                elif own in scope(slug):
                    value = WIDER
                    said = f"works in {self._word(slug)}, the wider field of {self._word(own)}"
                else:
                    continue
                if rank:
                    value *= LATER_SECTOR
                if from_text:
                    value *= NAMED_ONLY
                    wording = named[slug]
                    if wording != self._word(slug).lower():
                        said = f"{said} ({wording})"
                if value > best:
                    best, phrase = value, said
        return best, phrase

    def _word(self, slug: str) -> str:
        name = self._names.get(slug, slug)
        return name if name[:2].isupper() else name[0].lower() + name[1:]

    def _contact(self, region: str) -> Any:
        """The first authority or agency with a website on the region's chain."""
        seen: set[str] = set()
        while region and region not in seen:
            seen.add(region)
            found = self._contacts.get(region)
            if found:
                return found
            record = self.catalogue.region(region)
            region = getattr(record, "parent", "") if record is not None else ""
        return None

    # -- regions -------------------------------------------------------------------

    def _regions(
        self,
        profile: Any,
        keywords: list[pt.Keyword],
        steps: list[str],
        groups: dict[str, list[PartnerMatch]],
    ) -> list[PartnerMatch]:
        """Regions just below the selected area (provinces for a whole
        country), scored by the matches they are home to and by their own
        description and R&D intensity."""
        members: dict[str, list[PartnerMatch]] = {}
        for group in ("clusters", "research", "organisations"):
            for match in groups[group]:
                area = self._area_of(getattr(match.record, "region", "") or "")
                if area:
                    members.setdefault(area, []).append(match)
        found = []
        for slug, matches in members.items():
            region = self.catalogue.region(slug)
            if region is None:
                continue
            matches.sort(key=_order)
            best = matches[0]
            names = _join([m.name for m in matches[:3]] + _more(len(matches) - 3))
            noun = "counterpart" if len(matches) == 1 else "counterparts"
            reasons = [f"home to {len(matches)} matching {noun}: {names}"]
            parts = dict(best.parts)
            own = self._match("regions", region, profile, keywords, steps)
            if own is not None:
                reasons += [r for r in own.reasons if r not in reasons]
                parts = {k: max(v, own.parts.get(k, 0.0)) for k, v in parts.items()}
            indicator, said = self._indicator_part(profile, slug)
            if said:
                parts["indicators"] = indicator
                reasons.append(said)
            bonus = min(10.0, 2.0 * (len(matches) - 1))
            score = min(100.0, _score(parts) + bonus)
            found.append(PartnerMatch("regions", region, score, tuple(reasons), parts))
        return found

    def _area_of(self, slug: str) -> str:
        """The region just below the selected area on ``slug``'s parent
        chain (the area itself when ``slug`` is it); "" when outside."""
        chain: list[str] = []
        seen: set[str] = set()
        while slug and slug not in seen:
            seen.add(slug)
            chain.append(slug)
            record = self.catalogue.region(slug)
            slug = getattr(record, "parent", "") if record is not None else ""
        area = self.catalogue.area
        if area is None:
            return chain[-1] if chain else ""
        if area.slug not in chain:
            return ""
        at = chain.index(area.slug)
        return chain[at - 1] if at > 0 else area.slug

    def _indicator_part(self, profile: Any, region: str) -> tuple[float, str]:
        own = getattr(profile, "rd_intensity", None)
        theirs = self.catalogue.rd_intensity(region) if own else None
        if not own or not theirs:
            return 0.0, ""
        value = max(0.0, 1.0 - abs(own - theirs) / max(own, theirs))
        if value < 0.6:
            return value, ""
        return value, f"R&D intensity of {theirs:g}%, close to the {own:g}% of {profile.name}"


def _score(parts: dict[str, float]) -> float:
    return round(100.0 * sum(WEIGHTS[k] * v for k, v in parts.items()), 1)


def _profile_steps(value_chain: Iterable[str]) -> list[str]:
    """The profile's steps as STEP_WORDS keys: a key itself, else the steps
    its words show ("cell assembly" shows assembly)."""
    steps: list[str] = []
    for written in value_chain:
        low = written.strip().lower()
        found = [low] if low in pt.STEP_WORDS else list(pt.steps_named(pt.Text.of(written)))
        steps += [s for s in found if s not in steps]
    return steps


def _chain_part(profile: Any, own: list[str], theirs: dict[str, str]) -> tuple[float, str]:
    for step in own:
        for their_step, wording in theirs.items():
            if their_step in pt.COMPLEMENTS.get(step, ()):
                return 1.0, (
                    f"its {_step_word(their_step)} ({wording}) would complement "
                    f"the {_step_word(step)} of {profile.name}"
                    if _step_word(their_step) != wording
                    else f"its {wording} would complement the {_step_word(step)} of {profile.name}"
                )
    same = [s for s in own if s in theirs]
    if same:
        return 0.5, f"it also works in {_step_word(same[0])}"
    return 0.0, ""


def _step_word(step: str) -> str:
    return "R&D" if step == "r-and-d" else step


def _contacts_by_region(
    organisations: Iterable[Any], grouping: Callable[[str], str]
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for organisation in organisations:
        contact = grouping(organisation.kind) == "contact"
        if organisation.region and contact and organisation.website:
            found.setdefault(organisation.region, organisation)
    return found


def _more(count: int) -> list[str]:
    return [f"{count} more"] if count > 0 else []


def _join(words: list[str]) -> str:
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} and {words[-1]}"
