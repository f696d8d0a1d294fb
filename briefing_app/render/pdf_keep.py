"""Keeping a heading or caption with the start of what follows, not all of it.

ReportLab honours ``keepWithNext`` by wrapping the flowables that ask for it,
and the one after them, in a ``KeepTogether`` (``handle_keepWithNext``). That
container moves the whole group to the next page as soon as the last member
does not fit entirely: a caption drags its whole table along, a heading its
whole paragraph, and the page before is left a third blank.

:class:`KeepWithStart` is the document's ``keepTogetherClass``. It keeps the
group on this page when the last member can be split here with a start worth
printing (a table's header and at least :data:`MIN_TABLE_ROWS` body rows, a
paragraph's first lines), and moves the group on only when not even that
start fits. A flowable that must never be split (a tiny table) says so by
refusing to split, and the group moves whole.
"""

from __future__ import annotations

from reportlab.platypus.flowables import KeepTogether, _listWrapOn
from reportlab.platypus.paragraph import Paragraph
from reportlab.platypus.tables import Table as RLTable

# A table that starts on this page shows at least this many body rows under
# its header (fewer only when it has fewer).
MIN_TABLE_ROWS = 2
# Points kept in hand when planning, so that the real layout (which merges
# spaces the plan adds up) always has at least the room planned.
_SLACK = 1.0


class KeepWithStart(KeepTogether):
    """A keep-with-next group that needs only the start of its last member."""

    def split(self, aW, aH):
        content = self._content
        last = content[-1] if content else None
        if last is None or not _can_start_early(last):
            return super().split(aW, aH)
        frame = getattr(self, "_frame", None)
        at_top = bool(frame is not None and getattr(frame, "_atTop", False))
        before = _height_before(content[:-1], aW, self.canv)
        room = aH - before - last.getSpaceBefore() - _SLACK
        # Kept here or not, the members go back to the story one by one (the
        # null action first), so the frame can still split any of them.
        if room > 0:
            height = last.wrapOn(self.canv, aW, room)[1]
            if height <= room or _start_fits(last, aW, room, self.canv):
                return [self.NullActionFlowable(), *content]
        if at_top:
            return [self.NullActionFlowable(), *content]  # no better on the next page
        return [self.FrameBreak(), *content]


def _height_before(flowables: list, aW: float, canv) -> float:
    """Room the group's members before the last take, spaces not merged."""
    if not flowables:
        return 0.0
    height = _listWrapOn(flowables, aW, canv)[1]
    # The plan adds both spaces between the last two members; the frame
    # takes only the larger, so the real room is never smaller.
    return height + flowables[-1].getSpaceAfter()


def _can_start_early(flowable) -> bool:
    """Whether ``flowable`` is a kind whose start may be kept on its own."""
    if isinstance(flowable, (RLTable, Paragraph)):
        return True
    # A long table's stream, or a paragraph carried with its footnotes.
    return bool(getattr(flowable, "splits_with_start", False)) or isinstance(
        getattr(flowable, "paragraph", None), Paragraph
    )


def _start_fits(flowable, aW: float, room: float, canv) -> bool:
    """Whether a split of ``flowable`` in ``room`` leaves a start worth printing."""
    parts = flowable.splitOn(canv, aW, room)
    if len(parts) < 2:
        return False
    first, rest = parts[0], parts[1]
    if isinstance(first, RLTable):
        body = len(first._cellvalues) - first.repeatRows
        if isinstance(rest, RLTable):
            body_left = len(rest._cellvalues) - rest.repeatRows
        else:  # a long table's stream goes on with more rows than a page holds
            body_left = MIN_TABLE_ROWS
        return body >= min(MIN_TABLE_ROWS, body + body_left)
    return True  # a paragraph's split already refuses to leave one line alone
