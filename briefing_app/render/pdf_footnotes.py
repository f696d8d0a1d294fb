"""Footnotes at the foot of the page that refers to them, in one layout pass.

ReportLab has no footnotes. Here a note's page is decided while the text is
laid out, so the document needs a single pass:

* every paragraph that carries footnote marks is wrapped in a
  :class:`NoteCarrier`. Asked how tall it is, the carrier adds the room its
  notes would take at the foot of the current page; if paragraph and notes
  do not fit together, the paragraph is split (or moved on) so that the part
  on this page leaves room for its own notes;
* each mark calls back when it is drawn (an ``onDraw`` callback), so the
  ledger knows exactly which notes the page refers to; after each flowable
  the ledger takes room for them by raising the bottom of the frame;
* when the page ends, its notes are drawn in the room taken.

Notes never take more than :data:`_MAX_SHARE` of a page: the rest move on to
the foot of the next page. A mark drawn somewhere no carrier planned for (a
table cell) still gets its note on this page when there is room below, else
on the next. Notes still unplaced when the text ends are printed after it
by :class:`LeftoverNotes`; the backend lists notes nothing refers to.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.frames import Frame

from briefing_app.render.pdf_markup import FOOTNOTE_CALLBACK, footnote_anchor
from briefing_app.render.pdf_styles import PdfStyles

_MAX_SHARE = 0.45  # of the frame height, at most, for notes
_RULE_GAP = 9.0  # points above the first note, holding the short rule


class FootnoteLedger:
    """Knows which notes each page prints and keeps room for them."""

    def __init__(self, notes: dict[int, str], styles: PdfStyles):
        self.notes = notes  # number -> paragraph markup of the note's text
        self.styles = styles
        self._paragraphs: dict[tuple[int, float], tuple[Paragraph, float]] = {}
        self._handled: set[int] = set()  # placed on a page, or waiting to be
        self._pending: list[int] = []  # drawn on this page, room not yet taken
        self._carried: list[int] = []  # waiting for the next page foot
        self._page: list[tuple[Paragraph, float]] = []  # notes of the current page
        self._used = 0.0
        self.frame: Frame | None = None  # the frame text is flowing into now

    # --- wiring -----------------------------------------------------------

    def attach(self, canvas) -> None:
        """Listen for footnote marks drawn on ``canvas``."""
        canvas.setNamedCB(FOOTNOTE_CALLBACK, self._on_mark)

    def _on_mark(self, canvas, kind, label) -> None:
        number = int(label)
        if number in self.notes and number not in self._handled:
            self._handled.add(number)
            self._pending.append(number)

    # --- planning (asked by carriers, changes nothing) ---------------------

    def room_for(self, numbers: list[int]) -> float:
        """Height the notes of ``numbers`` would take on this page's foot."""
        frame = self.frame
        if frame is None:
            return 0.0
        fresh = [n for n in dict.fromkeys(numbers) if n in self.notes and n not in self._handled]
        if not fresh:
            return 0.0
        used, extra = self._used, 0.0
        room = self._room(frame)
        for number in fresh:
            height = self._note(number, frame._width)[1]
            if not self._page and extra == 0.0:
                extra = _RULE_GAP + height  # a page's first note is always taken
            elif used + height <= room:
                extra += height
            else:
                break  # this one and the rest would move on to the next page
            used += height
        return extra

    # --- during the pass --------------------------------------------------

    def begin_page(self, frame: Frame) -> None:
        """A new page: full frame, then the notes carried from the last page."""
        restore_frame(frame)
        self.frame = frame
        self._page, self._used = [], 0.0
        carried, self._carried = self._carried, []
        room = self._room(frame)
        for position, number in enumerate(carried):
            paragraph, height = self._note(number, frame._width)
            if self._page and self._used + height > room:
                self._carried = carried[position:]
                break
            self._take(frame, paragraph, height)

    def settle(self, frame: Frame | None, slack: float = 0.0) -> None:
        """Take room on this page for the notes just drawn, or carry them on.

        ``slack`` is the space after the flowable just drawn: the notes may
        take it, as the page ends there.
        """
        if not self._pending or frame is None:
            return
        pending, self._pending = self._pending, []
        room = self._room(frame)
        for position, number in enumerate(pending):
            paragraph, height = self._note(number, frame._width)
            extra = height + (0.0 if self._page else _RULE_GAP)
            fits_share = not self._page or self._used + height <= room
            if self._carried or not fits_share or extra > frame._y + slack - frame._y1p + 0.01:
                self._carried += pending[position:]
                return
            self._take(frame, paragraph, height)

    def end_page(self, canvas, frame: Frame) -> None:
        """Draw this page's notes in the room taken at the foot of ``frame``."""
        self.settle(frame)
        if not self._page:
            return
        x, y = frame._x1, frame.briefing_full[0] + self._used
        canvas.saveState()
        canvas.setStrokeColor(self.styles.rule)
        canvas.setLineWidth(0.5)
        canvas.line(x, y + _RULE_GAP - 3, x + 45, y + _RULE_GAP - 3)
        canvas.restoreState()
        space_after = self.styles["footnote"].spaceAfter
        for paragraph, height in self._page:
            y -= height
            paragraph.drawOn(canvas, x, y + space_after)

    def take_leftovers(self) -> list[Paragraph]:
        """Notes no page foot printed (carried past the end, or never drawn)."""
        numbers = self._carried + self._pending + [n for n in self.notes if n not in self._handled]
        self._carried, self._pending = [], []
        self._handled.update(numbers)
        return [self._make_paragraph(n) for n in numbers]

    # --- helpers ----------------------------------------------------------

    def _room(self, frame: Frame) -> float:
        full = getattr(frame, "briefing_full", (frame._y1, frame._height))[1]
        return full * _MAX_SHARE - _RULE_GAP

    def _take(self, frame: Frame, paragraph: Paragraph, height: float) -> None:
        self._page.append((paragraph, height))
        self._used += height
        _shrink(frame, self._used + _RULE_GAP)

    def _note(self, number: int, width: float) -> tuple[Paragraph, float]:
        key = (number, width)
        known = self._paragraphs.get(key)
        if known is None:
            paragraph = self._make_paragraph(number)
            height = paragraph.wrap(width, 1e6)[1] + self.styles["footnote"].spaceAfter
            known = self._paragraphs[key] = (paragraph, height)
        return known

    def _make_paragraph(self, number: int) -> Paragraph:
        markup = (
            f'<a name="{footnote_anchor(number)}"/><super>{number}</super>\u2002'
            f"{self.notes[number]}"
        )
        return self.styles.paragraph_of(markup, self.styles["footnote"])


def _shrink(frame: Frame, height: float) -> None:
    # Frames are reused page after page: keep the full size to go back to.
    if not hasattr(frame, "briefing_full"):
        frame.briefing_full = (frame._y1, frame._height)
    y1, full = frame.briefing_full
    frame._y1, frame._height = y1 + height, full - height
    frame._geom()


def restore_frame(frame: Frame) -> None:
    """Give a frame its full height back (a page without notes)."""
    full = getattr(frame, "briefing_full", None)
    if full is not None and (frame._y1, frame._height) != full:
        frame._y1, frame._height = full
        frame._geom()


def footnote_marks(flowable) -> list[int]:
    """Numbers of the footnote marks inside a paragraph (whole or split part)."""
    found: list[int] = []
    stack = [getattr(flowable, "frags", None) or []]
    while stack:
        item = stack.pop()
        if isinstance(item, (list, tuple)):
            stack.extend(reversed(item))
            continue
        callback = getattr(item, "cbDefn", None)
        if callback is not None and getattr(callback, "name", None) == FOOTNOTE_CALLBACK:
            found.append(int(callback.label))
        words = getattr(item, "words", None)
        if words:
            stack.extend(reversed(words))
    return found


class NoteCarrier(Flowable):
    """A paragraph with footnote marks that keeps room for its notes.

    It answers "how tall?" with the paragraph alone when paragraph and notes
    fit in the space left, and with both otherwise, which makes the frame
    split it: the part kept on this page is chosen short enough for its own
    notes. Drawing is the paragraph's; the marks report themselves.
    """

    def __init__(
        self, paragraph: Paragraph, ledger: FootnoteLedger, numbers: list[int] | None = None
    ):
        super().__init__()
        self.paragraph = paragraph
        self.ledger = ledger
        self.numbers = footnote_marks(paragraph) if numbers is None else numbers
        self.keepWithNext = getattr(paragraph, "keepWithNext", 0)
        self.hAlign = getattr(paragraph, "hAlign", "LEFT")

    def getSpaceBefore(self):
        return self.paragraph.getSpaceBefore()

    def getSpaceAfter(self):
        return self.paragraph.getSpaceAfter()

    def _notes_room(self, numbers: list[int]) -> float:
        return self.ledger.room_for(numbers)

    def wrap(self, availWidth, availHeight):
        self.width, self.height = self.paragraph.wrap(availWidth, availHeight)
        needed = self.height + self._notes_room(self.numbers)
        return self.width, (self.height if needed <= availHeight else needed)

    def split(self, availWidth, availHeight):
        best: list = []
        budget = availHeight - self._notes_room(self.numbers)
        for _ in range(2):  # the second try fits more when the first part has fewer notes
            if budget <= 0:
                break
            parts = self.paragraph.split(availWidth, budget)
            if len(parts) < 2:
                break
            first_numbers = footnote_marks(parts[0])
            height = parts[0].wrap(availWidth, budget)[1]
            if height + self._notes_room(first_numbers) > availHeight + 0.01:
                break
            rest = [n for n in self.numbers if n not in first_numbers]
            best = [
                NoteCarrier(parts[0], self.ledger, first_numbers),
                *(NoteCarrier(p, self.ledger, rest) for p in parts[1:]),
            ]
            budget = availHeight - self._notes_room(first_numbers)
        frame = self.ledger.frame
        if not best and frame is not None and frame._atTop:
            # Even alone on a page the text and its notes do not fit: lay the
            # text out as usual; the notes then go where there is room.
            return self.paragraph.split(availWidth, availHeight) or [self.paragraph]
        return best

    def drawOn(self, canvas, x, y, _sW=0):
        self.paragraph.drawOn(canvas, x, y, _sW)


class LeftoverNotes(Flowable):
    """Ends the story: prints the notes no page foot took."""

    def __init__(self, ledger: FootnoteLedger):
        super().__init__()
        self.ledger = ledger
        self._notes: list[Paragraph] | None = None

    def _leftovers(self) -> list[Paragraph]:
        if self._notes is None:  # once: the frame asks for the size more than once
            self._notes = self.ledger.take_leftovers()
        return self._notes

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = sum(n.wrap(availWidth, availHeight)[1] for n in self._leftovers())
        return self.width, self.height

    def split(self, availWidth, availHeight):
        # One note at a time, over as many pages as needed; none here when not
        # even the first fits in what is left of this page (ReportLab then
        # moves on to the next page rather than failing).
        notes = self._leftovers()
        if notes and notes[0].wrap(availWidth, availHeight)[1] > availHeight:
            return []
        return list(notes)

    def draw(self):
        y = self.height
        for note in self._notes or []:
            y -= note.height
            note.drawOn(self.canv, 0, y)
