"""Footnotes at the foot of the page that refers to them.

ReportLab has no footnotes, but it lays a document out several times anyway
(``multiBuild``, for the contents). Each pass, the superscript marks report
the page they are drawn on (an ``onDraw`` callback); the next pass reserves
room at the foot of those pages and prints the notes there. When a pass
places every note where the previous one did, the layout is final. A note
that does not fit in the room allowed moves on to the next page; a note no
text refers to is printed at the end of the document by the backend.
"""

from __future__ import annotations

from reportlab.platypus import Flowable, Paragraph
from reportlab.platypus.doctemplate import IndexingFlowable
from reportlab.platypus.frames import Frame

from briefing_app.render.pdf_markup import FOOTNOTE_CALLBACK, footnote_anchor
from briefing_app.render.pdf_styles import PdfStyles

_MAX_SHARE = 0.45  # of the frame height, at most, for notes
_RULE_GAP = 9.0  # points above the first note, holding the short rule
_MAX_PASSES = 6  # a note bouncing between two pages is accepted after this


class FootnoteLedger(IndexingFlowable):
    """Remembers where each note is referenced and prints it on that page.

    It sits, invisible, in the story so that ``multiBuild`` asks it after
    each pass whether the layout has settled.
    """

    def __init__(self, notes: dict[int, str], styles: PdfStyles):
        super().__init__()
        self.width = self.height = 0
        self.notes = notes  # number -> paragraph markup of the note's text
        self.styles = styles
        self.previous: dict[int, int] = {}  # number -> page, from the last pass
        self.current: dict[int, int] = {}
        self.passes = 0
        self._carried: list[int] = []
        self._printed: set[int] = set()

    # --- IndexingFlowable -------------------------------------------------

    def isIndexing(self):
        return 1

    def isSatisfied(self):
        return self.current == self.previous or self.passes >= _MAX_PASSES

    def beforeBuild(self):
        # Once the notes have bounced for _MAX_PASSES, freeze their pages: the
        # layout then repeats exactly, so the contents can settle too.
        if self.passes < _MAX_PASSES:
            self.previous = self.current
        self.current = {}
        self.passes += 1
        self._carried, self._printed = [], set()

    def wrap(self, availWidth, availHeight):
        return 0, 0

    def draw(self):
        pass

    # --- during a pass ----------------------------------------------------

    def attach(self, canvas) -> None:
        """Listen for footnote marks drawn on ``canvas``."""
        canvas.setNamedCB(FOOTNOTE_CALLBACK, self._on_mark)

    def _on_mark(self, canvas, kind, label) -> None:
        number = int(label)
        self.current.setdefault(number, canvas.getPageNumber())

    def place(self, canvas, frame: Frame, page: int) -> None:
        """Reserve room at the foot of ``frame`` and print this page's notes."""
        restore_frame(frame)
        due = [n for n in self._carried if n not in self._printed] + sorted(
            n for n, p in self.previous.items()
            if p == page and n in self.notes and n not in self._printed and n not in self._carried)
        self._carried = []
        if not due:
            return
        width, room = frame._width, frame._height * _MAX_SHARE - _RULE_GAP
        placed: list[tuple[Paragraph, float]] = []
        used = 0.0
        for position, number in enumerate(due):
            paragraph = self._paragraph(number)
            height = paragraph.wrap(width, room)[1] + self.styles["footnote"].spaceAfter
            if placed and used + height > room:
                self._carried = due[position:]
                break
            placed.append((paragraph, height))
            used += height
            self._printed.add(number)
        self._shrink(frame, used + _RULE_GAP)
        self._draw(canvas, frame, placed, used)

    def unprinted(self) -> list[int]:
        """Notes not printed in this pass (their marks have no page yet)."""
        return [n for n in self.notes if n not in self._printed]

    def take_leftovers(self) -> list[Paragraph]:
        """The notes still unprinted, as paragraphs; no page foot prints them now."""
        self._carried = []
        numbers = self.unprinted()
        self._printed.update(numbers)
        return [self._paragraph(n) for n in numbers]

    def _paragraph(self, number: int) -> Paragraph:
        markup = (f'<a name="{footnote_anchor(number)}"/><super>{number}</super>\u2002'
                  f"{self.notes[number]}")
        return Paragraph(markup, self.styles["footnote"])

    @staticmethod
    def _shrink(frame: Frame, height: float) -> None:
        # Frames are reused page after page: keep the full size to go back to.
        if not hasattr(frame, "briefing_full"):
            frame.briefing_full = (frame._y1, frame._height)
        y1, full = frame.briefing_full
        frame._y1, frame._height = y1 + height, full - height
        frame._geom()

    def _draw(self, canvas, frame: Frame, placed: list[tuple[Paragraph, float]],
              used: float) -> None:
        x, y = frame._x1, frame.briefing_full[0] + used
        canvas.saveState()
        canvas.setStrokeColor(self.styles.rule)
        canvas.setLineWidth(0.5)
        canvas.line(x, y + _RULE_GAP - 3, x + 45, y + _RULE_GAP - 3)
        canvas.restoreState()
        for paragraph, height in placed:
            y -= height
            paragraph.drawOn(canvas, x, y + self.styles["footnote"].spaceAfter)


def restore_frame(frame: Frame) -> None:
    """Give a frame its full height back (a page without notes)."""
    full = getattr(frame, "briefing_full", None)
    if full is not None and (frame._y1, frame._height) != full:
        frame._y1, frame._height = full
        frame._geom()


class LeftoverNotes(Flowable):
    """Ends the story: prints the notes no page foot took.

    Those are notes carried past the last page (too many for the room left)
    and notes whose page no longer exists after the layout changed. In the
    first pass nothing is placed yet; the notes then only get a link target,
    since a PDF with a link to nowhere cannot be saved.
    """

    def __init__(self, ledger: FootnoteLedger):
        super().__init__()
        self.ledger = ledger
        self._pass = -1
        self._notes: list[Paragraph] = []

    def _leftovers(self) -> list[Paragraph]:
        if self._pass != self.ledger.passes:  # once per pass: wrap is asked often
            self._pass = self.ledger.passes
            # The first pass only collects pages: nothing is placed yet.
            self._notes = self.ledger.take_leftovers() if self.ledger.passes > 1 else []
        return self._notes

    def wrap(self, availWidth, availHeight):
        self.width = availWidth
        self.height = sum(n.wrap(availWidth, availHeight)[1] for n in self._leftovers())
        return self.width, self.height

    def split(self, availWidth, availHeight):
        return list(self._leftovers())  # one note at a time, over as many pages as needed

    def draw(self):
        if self.ledger.passes == 1:
            for number in self.ledger.unprinted():
                self.canv.bookmarkPage(footnote_anchor(number))
            return
        y = self.height
        for note in self._notes:
            y -= note.height
            note.drawOn(self.canv, 0, y)
