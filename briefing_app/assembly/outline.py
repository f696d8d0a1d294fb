"""Planning the outline of a briefing and numbering its headings.

``plan_outline`` expands the blueprint's slots for a selection: slots whose
section does not apply are dropped, repeat slots become one item per selected
sector, partnership or member region, and a section with ``variant_of`` takes
the place of the generic one for the item it applies to (in any slot); of
several, the one written for the selection's country (``countries``) wins,
then the one naming the repeated sector most closely. A title that does
not render shows in its readable form (the build reports the error).
``number_outline`` numbers whatever outline it is given (planned or edited by
the user): 1, 2.1, 2.3.1 in the body, A.1, A.2 ... for annexes. An item whose
section's ``needs`` the selection does not meet is planned with the reason in
``left_out`` (assembly.needs) and gets no number.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from briefing_app.assembly.blueprint import Slot
from briefing_app.assembly.library import (
    SectionTemplate,
    closest_variants,
    most_specific,
    readable_title,
    variant_base_problem,
)
from briefing_app.assembly.needs import unmet_need
from briefing_app.assembly.selection import OutlineItem
from briefing_app.errors import BriefingError, TemplateError

if TYPE_CHECKING:
    from briefing_app.assembly.build import BuildSession

REPEAT_PARAM = {"sectors": "sector", "partnerships": "partnership", "regions": "item_region"}


@dataclass(frozen=True)
class NumberedItem:
    item: OutlineItem
    number: str | None
    level: int  # the heading level in the document


def plan_outline(store: Any, selection: Any) -> list[OutlineItem]:
    """The outline the blueprint gives for ``selection`` (see module doc)."""
    from briefing_app.assembly.build import BuildSession  # build imports this module

    return BuildSession(store, selection).plan()


def outline_titles(store: Any, selection: Any, items: list[OutlineItem]) -> list[str]:
    """The title to show for each item: as the build prints it (a section added
    by hand carries its template title, rendered here for the selection and
    the item's params), or in its readable form ("‹sector› policies") when it
    does not render or the selection cannot be built."""
    from briefing_app.assembly.build import BuildSession  # build imports this module

    session: BuildSession | None = None
    titles: list[str] = []
    for item in items:
        if "{" not in item.title:  # planned titles are rendered already
            titles.append(item.title)
            continue
        try:
            session = session or BuildSession(store, selection.with_outline(()))
            titles.append(session.item_title(item, session.section(item.section)))
        except BriefingError:
            titles.append(readable_title(item.title))
    return titles


def plan_items(session: BuildSession) -> list[OutlineItem]:
    """The planning itself, on an open build session.

    A variant that applies to the selection but names no usable generic
    section, or two variants that both apply to one repeated item, stop the
    planning with a TemplateError that names the section to correct.
    """
    library = session.library()
    _check_variant_bases(session, library)
    items: list[OutlineItem] = []
    keys: set[str] = set()
    for slot in session.blueprint.slots:
        generic = library.get(slot.section)
        variants = [s for s in library.values() if s.variant_of == slot.section]
        if not slot.repeat:
            if generic is None:
                raise_missing(session, slot)
            matching = most_specific([v for v in variants if applies(session, v)])
            if len(matching) > 1:
                raise_rival_variants(session, slot, matching, "", "")
            chosen = matching[0] if matching else generic if applies(session, generic) else None
            if chosen is not None:
                items.append(_item(session, slot, chosen, {}, keys))
            continue
        for slug in _repeated(session, slot.repeat):
            param = REPEAT_PARAM[slot.repeat]
            # The sector first (a user's electronics text beats China's ICT
            # chapter for electronics), then the country among equals.
            matching = [v for v in variants if applies(session, v, {param: slug})]
            if len(matching) > 1 and param == "sector":
                matching = closest_variants(matching, slug, session.kb._sector_scope)
            matching = most_specific(matching)
            if len(matching) > 1:
                raise_rival_variants(session, slot, matching, param, slug)
            chosen = matching[0] if matching else None
            if chosen is None and generic is not None and applies(session, generic, {param: slug}):
                chosen = generic
            if chosen is None and generic is None and not variants:
                raise_missing(session, slot)
            if chosen is not None:
                items.append(_item(session, slot, chosen, {param: slug}, keys))
    return items


def applies(
    session: BuildSession, section: SectionTemplate, params: dict[str, str] | None = None
) -> bool:
    """Whether ``section`` fits the selection (and the repeated item in ``params``)."""
    params = params or {}
    selected = session.selection
    if section.countries and not _country_match(session, section.countries):
        return False
    if section.sectors:
        wanted = [params["sector"]] if "sector" in params else list(selected.sectors)
        exact = "sector" in params  # a repeated sector takes only sections for it or a parent of it
        if not any(_sector_match(session, s, w, exact) for s in section.sectors for w in wanted):
            return False
    if section.regions:
        region = params.get("item_region") or selected.region
        if not region or not any(region in session.kb._region_scope(r) for r in section.regions):
            return False
    if section.partnerships:
        wanted = [params["partnership"]] if "partnership" in params else list(selected.partnerships)
        if not set(section.partnerships).intersection(wanted):
            return False
    return True


def number_outline(items: list[OutlineItem] | tuple[OutlineItem, ...]) -> list[NumberedItem]:
    """Numbers for the items built (included, not left out): 1, 2.1, 2.3.1 and
    A.1, A.1.1 for annexes."""
    included = [i for i in items if i.built]
    body_counters: list[int] = []
    annex_counters: list[int] = []
    annex_top = min((i.level for i in included if i.annex), default=1)
    numbered: list[NumberedItem] = []
    for item in included:
        if item.annex:
            depth = max(1, item.level - annex_top + 1)
            _count(annex_counters, depth)
            number = "A." + ".".join(str(n) for n in annex_counters)
            numbered.append(NumberedItem(item, number, min(6, depth + 1)))
        else:
            _count(body_counters, item.level)
            numbered.append(NumberedItem(item, ".".join(str(n) for n in body_counters), item.level))
    return numbered


def raise_missing(session: BuildSession, slot: Slot) -> None:
    from briefing_app.errors import NotFoundError

    raise NotFoundError(
        f"blueprint {session.blueprint.slug!r} names section {slot.section!r}, "
        "which is not in the section library"
    )


def raise_rival_variants(
    session: BuildSession,
    slot: Slot,
    matching: list[SectionTemplate],
    param: str,
    slug: str,
) -> None:
    if param:
        record = session._param_record(param, slug)
        name = getattr(record, "label", "") or getattr(record, "name", "") or slug
    else:
        name = session.area_name
    others = ", ".join(repr(v.key) for v in matching[:-1])
    if any(v.countries for v in matching):
        country = session.country.name
        advice = (
            f"Take {country} out of the countries one of them names (its front matter), "
            "narrow what it applies to (section editor, Applies to), or remove its variant_of."
        )
    else:
        advice = (
            f"Take {name} out of what one of them applies to (section editor, Applies to), "
            "or remove its variant_of."
        )
    raise TemplateError(
        matching[-1].key,
        None,
        None,
        f"this section and {others} are {'both' if len(matching) == 2 else 'all'} "
        f"variants of {slot.section!r} for {name}, and a briefing can use only one. {advice}",
    )


def _check_variant_bases(session: BuildSession, library: dict[str, SectionTemplate]) -> None:
    """A variant meant for this selection whose variant_of is wrong: a TemplateError."""
    for template in library.values():
        if template.variant_of and applies(session, template):
            problem = variant_base_problem(template, library)
            if problem:
                raise TemplateError(template.key, None, None, problem)


def _count(counters: list[int], level: int) -> None:
    while len(counters) < level:
        counters.append(0)
    del counters[level:]
    counters[level - 1] += 1


def _item(
    session: BuildSession,
    slot: Slot,
    section: SectionTemplate,
    params: dict[str, str],
    keys: set[str],
) -> OutlineItem:
    key = slot.section + "".join(f"/{v}" for v in params.values())
    unique, n = key, 2
    while unique in keys:
        unique, n = f"{key}~{n}", n + 1
    keys.add(unique)
    title = session.outline_title(section, params)
    return OutlineItem(
        key=unique,
        section=section.key,
        title=title,
        level=slot.level,
        params=dict(params),
        included=True,
        annex=slot.annex,
        written_for=scope_words(section, lambda kind, slug: _scope_name(session, kind, slug)),
        left_out=unmet_need(session, section.needs),
    )


def scope_words(template: SectionTemplate, names: Callable[[str, str], str]) -> str:
    """What a scoped or variant section is written for, in words ("China,
    Automotive"): ``names(kind, slug)`` gives a record's name ("" for a
    generic section, which is written for any selection)."""
    if not template.variant_of and not template.countries:
        return ""
    parts = [
        names(kind, slug)
        for kind, values in (
            ("country", template.countries),
            ("region", template.regions),
            ("sector", template.sectors),
            ("partnership", template.partnerships),
        )
        for slug in values
    ]
    return ", ".join(p for p in parts if p)


def _scope_name(session: BuildSession, kind: str, slug: str) -> str:
    """The name of what a scoped section is written for ("China", "Automotive");
    of its countries, the selected one only."""
    if kind == "country":
        return session.country.name if slug in _country_codes(session) else ""
    entity = {"region": "regions", "sector": "sectors", "partnership": "partnerships"}[kind]
    try:
        record = session.store.get(entity, slug)
    except BriefingError:
        return slug
    # a partnership by its label: the official acronym, else its name
    return getattr(record, "label", "") or getattr(record, "name", "") or slug


def _country_codes(session: BuildSession) -> set[str]:
    """The codes a section may use for the selected country: ISO code or slug."""
    country = session.country
    return {
        str(code).upper()
        for code in (getattr(country, "iso_code", ""), getattr(country, "slug", ""))
        if code
    }


def _country_match(session: BuildSession, countries: tuple[str, ...]) -> bool:
    return bool(_country_codes(session).intersection(countries))


def _repeated(session: BuildSession, repeat: str) -> list[str]:
    selection = session.selection
    if repeat == "sectors":
        return list(selection.sectors)
    if repeat == "partnerships":
        return list(selection.partnerships)
    if selection.region:
        return [r.slug for r in session.kb.region_members(selection.region)]
    return []


def _sector_match(session: BuildSession, section_sector: str, wanted: str, exact: bool) -> bool:
    """A section for a sector fits that sector and its sub-sectors (and, unless
    ``exact``, a selected parent sector too)."""
    if wanted in session.kb._sector_scope(section_sector):
        return True
    return not exact and section_sector in session.kb._sector_scope(wanted)
