"""What the user asked for: the selection, its cover and an edited outline.

A :class:`Selection` is a plain value. It travels from the GUI or the CLI to
:func:`briefing_app.assembly.build_document`, and it is saved with a briefing
as JSON (:meth:`Selection.to_json`), so its JSON form is versioned and stable:
keys never change meaning, new keys get defaults when an older file lacks them.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, field, fields, replace
from typing import Any

from briefing_app.assembly.script import check_script
from briefing_app.errors import BriefingError, NotFoundError, unknown_message

SELECTION_FORMAT = 1  # bump when the meaning of a key changes
PAGE_SIZES = ("A4", "Letter")


@dataclass(frozen=True)
class Cover:
    """The cover page's fields; empty ones take the blueprint's defaults."""

    title: str = ""
    subtitle: str = ""
    lead: str = ""
    deliverable: str = ""
    work_package: str = ""
    reviewed_by: str = ""
    version: str = ""
    contractual_date: str = ""
    actual_date: str = ""
    project_name: str = ""
    acronym: str = ""
    abstract: str = ""

    @property
    def author(self) -> str:
        """The deliverable lead is the document's author."""
        return self.lead


@dataclass(frozen=True)
class OutlineItem:
    """One heading of the planned briefing.

    ``key`` is unique in an outline and stable across runs (it names the slot
    and, in repeat slots, the repeated item: ``sector-strength/automotive``);
    ``section`` is the section that fills it (a variant may replace the
    slot's generic section); ``params`` binds the repeated item
    (``{"sector": "automotive"}``). ``included`` False keeps the item in the
    edited outline but leaves it out of the document. ``written_for`` names
    what a scoped or variant section was written for ("China, Automotive"),
    "" for a generic section; the outline shows it, the document does not.
    ``left_out`` says why the item has nothing to say for the selection ("no
    visitor profile is chosen", see assembly.needs): such an item is shown
    greyed in the application and listed by ``briefing outline``, but never
    built nor numbered; "" for an item that is built.
    """

    key: str
    section: str
    title: str
    level: int
    params: dict[str, str] = field(default_factory=dict)
    included: bool = True
    annex: bool = False
    written_for: str = ""
    left_out: str = ""

    @property
    def built(self) -> bool:
        """Whether the briefing prints the item: included and not left out."""
        return self.included and not self.left_out

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> OutlineItem:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["params"] = {str(k): str(v) for k, v in dict(values.get("params") or {}).items()}
        values["level"] = int(values.get("level", 1))
        return cls(**values)


@dataclass(frozen=True)
class Selection:
    """Country, region, sectors, partnerships, blueprint and cover of a briefing.

    ``region`` is a region slug or "" for the whole country; ``outline`` is
    empty unless the user edited the planned outline (then it replaces it).
    ``script`` is the Chinese script of the output: "as-recorded" (the
    default), "simplified" or "traditional" (assembly.script).
    """

    country: str = "CN"
    region: str = ""
    sectors: tuple[str, ...] = ()
    partnerships: tuple[str, ...] = ()
    blueprint: str = "eccp-preparatory"
    cover: Cover = field(default_factory=Cover)
    page_size: str = "A4"
    outline: tuple[OutlineItem, ...] = ()
    script: str = "as-recorded"
    # Visitor profiles the briefing suggests partners for, and the matches the
    # user pinned or dropped, each "profile-slug:group/slug" (partner_finder).
    profiles: tuple[str, ...] = ()
    partner_pins: tuple[str, ...] = ()
    partner_drops: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        # Accept lists from callers but keep the value immutable.
        object.__setattr__(self, "sectors", tuple(self.sectors))
        object.__setattr__(self, "partnerships", tuple(self.partnerships))
        object.__setattr__(self, "outline", tuple(self.outline))
        for name in ("profiles", "partner_pins", "partner_drops"):
            object.__setattr__(self, name, tuple(getattr(self, name)))
        if self.page_size not in PAGE_SIZES:
            raise BriefingError(
                f"page size must be one of {', '.join(PAGE_SIZES)}, not {self.page_size!r}"
            )
        check_script(self.script)

    def with_outline(self, outline: list[OutlineItem] | tuple[OutlineItem, ...]) -> Selection:
        """The same selection with a user-edited outline."""
        return replace(self, outline=tuple(outline))

    def to_json(self) -> str:
        """Stable JSON: sorted keys, a format number, no record objects."""
        data = {
            "format": SELECTION_FORMAT,
            "country": self.country,
            "region": self.region,
            "sectors": list(self.sectors),
            "partnerships": list(self.partnerships),
            "blueprint": self.blueprint,
            "cover": asdict(self.cover),
            "page_size": self.page_size,
            "outline": [item.to_dict() for item in self.outline],
            "script": self.script,
        }
        for name in ("profiles", "partner_pins", "partner_drops"):
            if getattr(self, name):  # absent when empty: older readers see the same file
                data[name] = list(getattr(self, name))
        return json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2)

    @classmethod
    def from_json(cls, text: str) -> Selection:
        """Read :meth:`to_json` output; unknown keys are ignored."""
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BriefingError(f"saved selection is not valid JSON: {exc}") from exc
        if not isinstance(data, dict):
            raise BriefingError("saved selection must be a JSON object")
        version = data.get("format", 1)
        if not isinstance(version, int) or version > SELECTION_FORMAT:
            raise BriefingError(
                f"saved selection has format {version!r}; "
                f"this version reads up to {SELECTION_FORMAT}"
            )
        cover_known = {f.name for f in fields(Cover)}
        cover = Cover(
            **{k: str(v) for k, v in dict(data.get("cover") or {}).items() if k in cover_known}
        )
        return cls(
            country=str(data.get("country", "CN")),
            region=str(data.get("region") or ""),
            sectors=tuple(str(s) for s in data.get("sectors") or ()),
            partnerships=tuple(str(p) for p in data.get("partnerships") or ()),
            blueprint=str(data.get("blueprint") or "eccp-preparatory"),
            cover=cover,
            page_size=str(data.get("page_size") or "A4"),
            outline=tuple(OutlineItem.from_dict(item) for item in data.get("outline") or ()),
            script=str(data.get("script") or "as-recorded"),
            profiles=_strings(data, "profiles"),
            partner_pins=_strings(data, "partner_pins"),
            partner_drops=_strings(data, "partner_drops"),
        )


def validate_selection(store: Any, selection: Selection) -> None:
    """Check every slug of ``selection`` against the store.

    Raises NotFoundError naming the unknown slug and the closest known ones,
    so a typo on the command line is easy to fix.
    """
    try:
        country = store.country(selection.country)
    except NotFoundError:
        known = [c.iso_code for c in store.countries()] + [c.slug for c in store.countries()]
        raise NotFoundError(_unknown("country", selection.country, known)) from None
    if selection.region:
        regions = store.regions(country=country.iso_code)
        slugs = [r.slug for r in regions]
        if selection.region not in slugs:
            raise NotFoundError(_unknown(f"region of {country.name}", selection.region, slugs))
    sector_slugs = [s.slug for s in store.sectors()]
    for slug in selection.sectors:
        if slug not in sector_slugs:
            raise NotFoundError(_unknown("sector", slug, sector_slugs))
    partnership_slugs = [p.slug for p in store.partnerships()]
    for slug in selection.partnerships:
        if slug not in partnership_slugs:
            raise NotFoundError(_unknown("partnership", slug, partnership_slugs))
    if selection.profiles:
        profile_slugs = [p.slug for p in store.records("profiles")]
        for slug in selection.profiles:
            if slug not in profile_slugs:
                raise NotFoundError(_unknown("profile", slug, profile_slugs))
    blueprint_slugs = [b.slug for b in store.blueprints()]
    if selection.blueprint not in blueprint_slugs:
        raise NotFoundError(_unknown("blueprint", selection.blueprint, blueprint_slugs))


def _strings(data: dict, key: str) -> tuple[str, ...]:
    """A list of strings from saved JSON; anything else is refused by name."""
    value = data.get(key) or ()
    if not isinstance(value, list | tuple):
        raise BriefingError(f"saved selection: {key!r} must be a list of strings")
    return tuple(dict.fromkeys(str(v) for v in value))


def _unknown(what: str, slug: str, known: list[str]) -> str:
    return unknown_message(what, slug, known)
