"""Undo and Redo for the outline panel's edits.

Each user edit of the outline (a tick or untick, a drag, Up/Down, Add,
Remove, Reset) keeps a snapshot of the outline as it was before: the items
with their order, levels and ticks, and whether the outline carried user
edits. Undo puts the last snapshot back, Redo the one Undo replaced. The
history is bounded (``LIMIT`` steps; the oldest go first).

The history keeps a *baseline*, the outline as last shown; the panel's
``changed`` signal (after a user edit) pushes the baseline with a label saying
what changed, and its ``shown`` signal (the window re-planned it, or greyed
left-out items after a preview build) only moves the baseline.

A restored snapshot keeps the current greying of left-out sections (they are
the preview's answer for the selection now, not the user's) and is brought up
to date with the current plan, so a store refresh in between never brings
back a section the knowledge base no longer has.
"""

from __future__ import annotations

import itertools
from collections import deque
from collections.abc import Callable
from contextlib import contextmanager
from dataclasses import dataclass, replace

from PySide6.QtCore import QObject, Signal

from briefing_app.assembly.selection import OutlineItem
from briefing_app.gui.outline_merge import merge_outline

LIMIT = 100
GENERIC = "outline change"
CLOCK = itertools.count(1)  # orders outline edits against visits to text boxes


@dataclass(frozen=True)
class Snapshot:
    items: tuple[OutlineItem, ...]
    customised: bool
    titles: dict  # key -> the title as shown, for the menu's words

    def same_outline(self, other: Snapshot) -> bool:
        return self.customised == other.customised and _bare(self.items) == _bare(other.items)


@dataclass(frozen=True)
class Step:
    before: Snapshot
    label: str


class OutlineHistory(QObject):
    """Snapshots of ``panel``'s outline before each user edit."""

    changed = Signal()  # something new to undo or redo (the menu's words follow)
    restored = Signal()  # Undo or Redo put an outline back

    def __init__(
        self,
        panel,
        plan: Callable[[], list[OutlineItem] | None] = lambda: None,
        limit: int = LIMIT,
        parent: QObject | None = None,
    ) -> None:
        super().__init__(parent)
        self.panel = panel
        self.plan = plan
        self._undo: deque[Step] = deque(maxlen=limit)
        self._redo: list[Step] = []
        self._busy = False
        self.edited_at = 0  # when the outline was last edited, undone or redone
        self._baseline = self.snapshot()
        panel.changed.connect(self._on_edited)
        panel.shown.connect(self._on_shown)

    # --- recording -----------------------------------------------------------

    def snapshot(self) -> Snapshot:
        panel = self.panel
        return Snapshot(tuple(panel.outline()), panel.is_customised(), panel.shown_titles())

    def _on_shown(self) -> None:
        if not self._busy:
            self._baseline = self.snapshot()

    def _on_edited(self) -> None:
        if self._busy:
            return
        after = self.snapshot()
        self._push(self._baseline, after, describe(self._baseline, after, self._current_key()))

    @contextmanager
    def step(self, label: str):
        """Record what the body does to the outline as one step (Reset)."""
        before = self.snapshot()
        self._busy = True
        try:
            yield
        finally:
            self._busy = False
        self._push(before, self.snapshot(), label)

    def _push(self, before: Snapshot, after: Snapshot, label: str) -> None:
        self._baseline = after
        if before.same_outline(after):
            return
        self._undo.append(Step(before, label))
        self._redo.clear()
        self.edited_at = next(CLOCK)
        self.changed.emit()

    def clear(self) -> None:
        """Forget every step (another selection, another briefing)."""
        self._undo.clear()
        self._redo.clear()
        self._baseline = self.snapshot()
        self.changed.emit()

    # --- undoing -------------------------------------------------------------

    def can_undo(self) -> bool:
        return bool(self._undo)

    def can_redo(self) -> bool:
        return bool(self._redo)

    def undo_label(self) -> str:
        return self._undo[-1].label if self._undo else ""

    def redo_label(self) -> str:
        return self._redo[-1].label if self._redo else ""

    def undo(self) -> bool:
        if not self._undo:
            return False
        step = self._undo.pop()
        self._redo.append(Step(self._restore(step.before), step.label))
        return True

    def redo(self) -> bool:
        if not self._redo:
            return False
        step = self._redo.pop()
        self._undo.append(Step(self._restore(step.before), step.label))
        return True

    def _restore(self, target: Snapshot) -> Snapshot:
        """Show ``target``; returns the outline it replaced."""
        now = self.snapshot()
        items = list(target.items)
        planned = self.plan()
        if planned is not None:
            items = merge_outline(items, planned) if target.customised else list(planned)
        marks = {i.key: i.left_out for i in now.items}
        items = [replace(i, left_out=marks.get(i.key, i.left_out)) for i in items]
        self._busy = True
        try:
            self.panel.set_outline(items, target.customised)
        finally:
            self._busy = False
        self._baseline = self.snapshot()
        self.edited_at = next(CLOCK)
        self.changed.emit()
        self.restored.emit()
        return now

    def _current_key(self) -> str:
        item = self.panel.current_item()
        return item.key if item is not None else ""


def describe(before: Snapshot, after: Snapshot, current_key: str = "") -> str:
    """Words for what turned ``before`` into ``after``: "untick 'Conclusion'"."""
    old = {i.key: i for i in before.items}
    new = {i.key: i for i in after.items}

    def title(key: str) -> str:
        shown = after.titles.get(key) or before.titles.get(key) or key
        return f"'{shown}'"

    added = [k for k in new if k not in old]
    removed = [k for k in old if k not in new]
    if len(added) == 1 and not removed:
        return f"add {title(added[0])}"
    if len(removed) == 1 and not added:
        return f"remove {title(removed[0])}"
    if added or removed:
        return GENERIC
    flipped = [k for k in new if new[k].included != old[k].included]
    if len(flipped) == 1:
        return f"{'tick' if new[flipped[0]].included else 'untick'} {title(flipped[0])}"
    if flipped:
        return GENERIC
    if current_key in new:
        return f"move {title(current_key)}"
    return GENERIC


def _bare(items) -> tuple:
    """The user's part of the outline: what the left-out greying does not touch."""
    return tuple((i.key, i.section, i.level, i.included, i.annex) for i in items)
