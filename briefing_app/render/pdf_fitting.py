"""A picture that shrinks to fit the rest of a page rather than leave it blank.

A chart that does not fit under the text above it used to jump to the next
page with its caption, leaving up to a third of a page empty. A
:class:`FittingPicture` asked to fit a space that holds at least
``MIN_SCALE`` of its height (with room for the caption and source line that
follow it) draws itself that much smaller; with less room it moves to the
next page whole, and what it leaves blank is then under a quarter page. It
never leaves its caption behind: when the picture fits but its caption would
not, it moves on too.
"""

from __future__ import annotations

from reportlab.platypus import Flowable

MIN_SCALE = 0.5
# Footnotes cited in the caption or source line take room at the foot of the
# page once the figure is placed; this keeps space for about three lines.
FOOTNOTE_RESERVE = 36.0


class FittingPicture(Flowable):
    """``picture`` (a Drawing or Image flowable), followed in the story by
    ``followers`` (its caption and source), which must stay on its page."""

    def __init__(self, picture: Flowable, followers: list[Flowable]) -> None:
        super().__init__()
        self.picture = picture
        self.followers = followers
        self.hAlign = "CENTER"
        self.scale = 1.0
        self._size = (0.0, 0.0)

    def _natural(self, avail_width: float) -> tuple[float, float]:
        return self.picture.wrap(avail_width, 10**6)

    def _rest(self, avail_width: float) -> float:
        total, notes = 0.0, 0.0
        for flowable in self.followers:
            _w, h = flowable.wrap(avail_width, 10**6)
            total += h + flowable.getSpaceBefore() + flowable.getSpaceAfter()
            # A source line citing four sources brings four notes to this
            # page's foot: room for them, or the line is left behind alone.
            room_for = getattr(flowable, "_notes_room", None)
            if room_for is not None:
                notes += room_for(flowable.numbers)
        reserve = FOOTNOTE_RESERVE if len(self.followers) > 1 else 0.0
        return total + max(notes, reserve)

    def wrap(self, avail_width: float, avail_height: float) -> tuple[float, float]:
        width, height = self._natural(avail_width)
        room = avail_height - self._rest(avail_width)
        if height <= room:
            self.scale = 1.0
        elif room >= MIN_SCALE * height:
            self.scale = room / height
        else:
            # Too little room: report a height that sends it to the next page.
            self.scale = 1.0
            self._size = (width, max(height, avail_height + 1))
            return self._size
        self._size = (width * self.scale, height * self.scale)
        return self._size

    def split(self, avail_width: float, avail_height: float) -> list:
        return []  # never split: the frame moves it to the next page whole

    def draw(self) -> None:
        canvas = self.canv
        canvas.saveState()
        canvas.scale(self.scale, self.scale)
        self.picture.drawOn(canvas, 0, 0)
        canvas.restoreState()
