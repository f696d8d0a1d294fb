"""What a section needs before it has anything to say, and why it is left out.

A section's front matter may say what it cannot do without
(``needs: [profiles]``): a choice of the selection (visitor profiles, a
region, sectors, partnerships) or records of the selected country
(clusters, policies, organisations, indicators). The planner checks these
cheaply, without rendering: an item whose needs are not met is kept in the
outline with the reason (``OutlineItem.left_out``), so that the application
can show it greyed and the CLI can list it, but it is never built nor
numbered. The reasons are written for the user of the application, not for
the reader of the briefing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from typing import TYPE_CHECKING, Any

from briefing_app.assembly.selection import OutlineItem
from briefing_app.errors import NotFoundError, NothingToPrint

if TYPE_CHECKING:
    from briefing_app.assembly.build import BuildSession

# need -> (what the selection or the country must hold, the reason when it does not)
_CHOICES = {
    "profiles": ("profiles", "no visitor profile is chosen"),
    "region": ("region", "no region is chosen"),
    "sectors": ("sectors", "no sector is chosen"),
    "partnerships": ("partnerships", "no partnership is chosen"),
}
_RECORDS = {
    "clusters": "no clusters are recorded for {country}",
    "policies": "no policies are recorded for {country}",
    "organisations": "no organisations are recorded for {country}",
    "indicators": "no indicators are recorded for {country}",
}
NEEDS = frozenset(_CHOICES) | frozenset(_RECORDS)
EMPTY_REASON = "nothing to say for this selection"


def unmet_need(session: BuildSession, needs: Iterable[str]) -> str:
    """Why a section with ``needs`` has nothing to say for the session's
    selection ("no visitor profile is chosen"), or "" when every need is met."""
    for need in needs:
        if need in _CHOICES:
            field, reason = _CHOICES[need]
            if not getattr(session.selection, field):
                return reason
        elif need in _RECORDS and not _has_records(session, need):
            return _RECORDS[need].format(country=session.country.name)
    return ""


def mark_left_out(session: BuildSession, items: Iterable[OutlineItem]) -> list[OutlineItem]:
    """``items`` with ``left_out`` worked out again for the session's selection
    (an outline saved earlier, or edited by hand, may carry an old reason).

    The sub-sections of a section left out go with it: they are part of what
    it would have said, and would otherwise sit under the heading before.
    """
    marked = []
    out_above: list[tuple[int, str]] = []  # (level, reason) of left-out sections above
    for item in items:
        while out_above and out_above[-1][0] >= item.level:
            out_above.pop()
        try:
            needs = session.section(item.section).needs
        except NotFoundError:  # an unknown section is the build's to report
            needs = ()
        reason = unmet_need(session, needs)
        if not reason and out_above and item.included:
            reason = out_above[-1][1]
        if reason and item.included:
            out_above.append((item.level, reason))
        marked.append(item if reason == item.left_out else replace(item, left_out=reason))
    return marked


def _has_records(session: Any, entity: str) -> bool:
    kb = session.kb
    if entity == "clusters":
        return bool(kb.clusters(region="*"))
    if entity == "policies":
        return bool(kb.policies(region="*"))
    if entity == "organisations":
        return bool(kb.organisations(region="*"))
    return bool(kb.indicators(region="*"))


def outline_as_built(
    store: Any, selection: Any, outline: list[OutlineItem] | None = None
) -> list[OutlineItem]:
    """The outline (``outline``, the selection's edited one, else the planned
    one) with ``left_out`` set on every included item the briefing will not
    print: for a need the selection does not meet, or because its section,
    rendered, has nothing to say (:data:`EMPTY_REASON`). Builds the whole
    briefing once: for ``briefing outline``, not for every click."""
    from briefing_app.assembly.build import build_document
    from briefing_app.assembly.outline import plan_outline

    items = list(outline if outline is not None else selection.outline)
    items = items or plan_outline(store, selection)
    reasons: dict[str, str] = {}
    try:
        build_document(store, selection, items, left_out=reasons)
    except NothingToPrint:
        pass  # every reason is in
    return [replace(i, left_out=reasons.get(i.key, "")) if i.included else i for i in items]
