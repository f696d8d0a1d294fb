"""Keep the user's outline edits when the selection changes.

Picking another sector or region re-plans the outline from the blueprint. A
user who has already excluded, moved or added sections should not lose that
work, so the new plan is folded into the edited outline: items that remain
keep their place, level and inclusion; items the selection no longer calls
for go; items it newly calls for appear after their predecessor in the plan.
No Qt here: it is plain list work, tested on its own.
"""

from __future__ import annotations

from dataclasses import replace

from briefing_app.assembly.selection import OutlineItem

ADDED_PREFIX = "added:"


def is_added(item: OutlineItem) -> bool:
    """True for a section the user put in by hand (not from the blueprint)."""
    return item.key.startswith(ADDED_PREFIX)


def added_key(section: str, taken: set[str]) -> str:
    """A key for a hand-added section, unique among ``taken``."""
    key = f"{ADDED_PREFIX}{section}"
    number = 2
    while key in taken:
        key = f"{ADDED_PREFIX}{section}/{number}"
        number += 1
    return key


def merge_outline(edited: list[OutlineItem], planned: list[OutlineItem]) -> list[OutlineItem]:
    """The edited outline brought up to date with a fresh plan."""
    fresh = {item.key: item for item in planned}
    merged: list[OutlineItem] = []
    for item in edited:
        if is_added(item):
            merged.append(item)
        elif item.key in fresh:
            # The plan knows the current title and section (a variant may have
            # changed); the user owns the level and whether it is included.
            merged.append(replace(fresh[item.key], level=item.level, included=item.included))

    present = {item.key for item in merged}
    for position, item in enumerate(planned):
        if item.key in present:
            continue
        anchor = _previous_present(planned, position, present)
        at = 0 if anchor is None else _insertion_point(merged, anchor, item.level)
        merged.insert(at, item)
        present.add(item.key)
    return merged


def _previous_present(planned: list[OutlineItem], position: int, present: set[str]) -> str | None:
    for earlier in reversed(planned[:position]):
        if earlier.key in present:
            return earlier.key
    return None


def _insertion_point(items: list[OutlineItem], key: str, level: int) -> int:
    """Where a new item of ``level`` goes after ``key``: right after it when
    the new item is its child, else after its whole subtree."""
    start = next(i for i, item in enumerate(items) if item.key == key)
    if level > items[start].level:
        return start + 1
    end = start
    for i in range(start + 1, len(items)):
        if items[i].level <= items[start].level:
            break
        end = i
    return end + 1
