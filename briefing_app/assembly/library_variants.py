"""Variants in the section library: which one a briefing uses, and clashes.

A variant names the generic section it stands in for (``variant_of``).
Here, without Qt or the store: why a ``variant_of`` names no usable generic
section, which of several applicable variants wins (the one written for the
selection's country, then the one naming a repeated sector most closely),
and which pairs of variants claim the same sector, region or partnership so
that a briefing could not tell them apart.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from briefing_app.errors import BriefingError, unknown_message

if TYPE_CHECKING:
    from briefing_app.assembly.library import SectionTemplate

Scope = Callable[[str], set[str]]


def variant_base_problem(template: SectionTemplate, library: dict[str, SectionTemplate]) -> str:
    """Why ``template``'s ``variant_of`` names no usable generic section ("" when it does)."""
    base_key = template.variant_of
    if not base_key:
        return ""
    if base_key == template.key:
        return "variant_of names the section itself; name the generic section it stands in for"
    base = library.get(base_key)
    if base is None:
        return (
            "variant_of names a section the library does not have: "
            f"{unknown_message('section', base_key, library)}"
        )
    if base.variant_of:
        return (
            f"variant_of names {base_key!r}, which is itself a variant of {base.variant_of!r}; "
            f"name the generic section instead (variant_of: {base.variant_of})"
        )
    return ""


@dataclass(frozen=True)
class LibraryProblem:
    """What is wrong with one section of the library."""

    summary: str  # a few words for a list row
    message: str  # what is wrong and how to put it right


def variant_problems(
    library: dict[str, SectionTemplate],
    sector_scope: Scope | None = None,
    region_scope: Scope | None = None,
) -> dict[str, LibraryProblem]:
    """Key -> what is wrong with a variant: its ``variant_of`` (see
    :func:`variant_base_problem`), or another variant of the same section that
    applies to the same sector, region or partnership, so that a briefing
    cannot tell which one to use. ``sector_scope`` and ``region_scope`` give a
    slug's sub-sectors and sub-regions (the store's; without them, the slug)."""
    problems: dict[str, LibraryProblem] = {}
    by_base: dict[str, list[SectionTemplate]] = {}
    for template in library.values():
        problem = variant_base_problem(template, library)
        if problem:
            summary = (
                "variant_of: no such section"
                if template.variant_of not in library
                else "variant_of: not a generic section"
            )
            problems[template.key] = LibraryProblem(summary, problem)
        elif template.variant_of:
            by_base.setdefault(template.variant_of, []).append(template)
    sectors = _memo(sector_scope)
    regions = _memo(region_scope)
    for base, variants in by_base.items():
        for i, first in enumerate(variants):
            for second in variants[i + 1 :]:
                shared = _shared_claim(first, second, sectors, regions)
                if shared is None:
                    continue
                for one, other in ((first, second), (second, first)):
                    problems.setdefault(
                        one.key,
                        LibraryProblem(
                            f"clashes with {other.key}",
                            f"{other.key!r} is a variant of {base!r} too, {shared}: a briefing "
                            "cannot tell which to use. Narrow what one of them applies to, or "
                            "remove its variant_of.",
                        ),
                    )
    return problems


def _memo(scope: Scope | None) -> Scope:
    found: dict[str, set[str]] = {}

    def lookup(slug: str) -> set[str]:
        if slug not in found:
            try:
                found[slug] = set(scope(slug)) if scope is not None else {slug}
            except BriefingError:  # an unknown slug covers itself only
                found[slug] = {slug}
        return found[slug]

    return lookup


def _cover(values: tuple[str, ...], scope: Scope) -> set[str] | None:
    """What an applicability list covers; None for "everything" (an empty list)."""
    if not values:
        return None
    return set().union(*(scope(v) for v in values))


def _shared_claim(
    first: SectionTemplate, second: SectionTemplate, sectors: Scope, regions: Scope
) -> str | None:
    """How two variants' applicabilities meet, in words ("for automotive"), or
    None when no sector, region and partnership is claimed by both (a sector
    one of them names more closely is not shared: see :func:`closest_variants`;
    nor is a country only one of them is written for: see :func:`most_specific`)."""
    words = []
    if bool(first.countries) != bool(second.countries):
        return None  # the one written for a country wins there
    if first.countries:
        both = sorted(set(first.countries) & set(second.countries))
        if not both:
            return None
        words.append(f"in {', '.join(both)}")
    for kind, a, b, scope in (
        ("sector", first.sectors, second.sectors, sectors),
        ("region", first.regions, second.regions, regions),
        ("partnership", first.partnerships, second.partnerships, lambda slug: {slug}),
    ):
        one, other = _cover(a, scope), _cover(b, scope)
        if one is None and other is None:
            if kind == "sector":
                words.append("for every sector")
            continue
        shared = other if one is None else one if other is None else one & other
        if kind == "sector":
            shared = {s for s in shared if len(closest_variants([first, second], s, scope)) > 1}
        if not shared:
            return None
        # Name the listed slugs both cover (the narrower list's), else what both cover.
        named = sorted(shared & (set(a) | set(b))) or sorted(shared)
        words.append(f"for {', '.join(named[:4])}{' ...' if len(named) > 4 else ''}")
    return " and ".join(words)


def most_specific(variants: list[SectionTemplate]) -> list[SectionTemplate]:
    """Of the variants that apply to one selection (or repeated item), those
    written for its country when there are any: an expert text for China
    beats a text for every country. For a repeated sector the caller first
    keeps the variants naming it most closely (``closest_variants``)."""
    scoped = [v for v in variants if v.countries]
    return scoped or list(variants)


def closest_variants(
    variants: list[SectionTemplate], sector: str, sector_scope: Scope
) -> list[SectionTemplate]:
    """Of the variants that apply to a repeated ``sector``, those that name it
    most closely: one for new-energy vehicles before one for automotive, one
    for automotive before one with no sectors. More than one left is a clash."""
    claims = [_sector_claim(v, sector, sector_scope) for v in variants]
    return [
        v
        for v, claim in zip(variants, claims, strict=True)
        if not any(_closer(other, claim, sector_scope) for other in claims)
    ]


def _sector_claim(template: SectionTemplate, sector: str, scope: Scope) -> str | None:
    """The listed sector that covers ``sector`` most closely; "" when the
    template lists none (it covers every sector), None when none covers it."""
    if not template.sectors:
        return ""
    covering = [s for s in template.sectors if sector in scope(s)]
    return min(covering, key=lambda s: len(scope(s))) if covering else None


def _closer(claim: str | None, than: str | None, scope: Scope) -> bool:
    if claim is None or than is None or claim == than or claim == "":
        return False
    return than == "" or claim in scope(than)
