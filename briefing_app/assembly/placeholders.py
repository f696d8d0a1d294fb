"""Blocks and footnotes that helpers hand to the Markdown converter.

A helper such as ``table()`` or ``cite()`` cannot put a model object into the
text a template prints, so it registers the object here and prints a short
marker made of private-use characters instead. The Markdown converter finds
the markers as it walks the rendered text in document order and puts the
objects in their place. Numbers (tables, figures, footnotes) are given at that
moment, so they follow the order in which a reader meets them, whatever order
the templates happened to call the helpers in.

The markers must not be forgeable by data: a record's name holding the
private-use characters (imported from anywhere) used to be taken for a marker,
crashing the build (an unknown number) or citing another source (a known
one). So a marker also carries a key drawn at random when the process starts,
which no record can know, and text that looks like a marker without being one
of this build's stays text. :func:`neutral` replaces the two marker
characters in values at the borders where data enters templates and
documents (printed values, helper cells and labels, footnote texts).
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass, field, replace

from briefing_app.assembly.budget import BuildBudget
from briefing_app.document import Figure, Footnote, FootnoteRef, Runs, Table, Text

OPEN, CLOSE = "\ue000", "\ue001"
# Letters only (in the private-use area too), so that no text escaping touches it.
_KEY = "".join(chr(0xE010 + b % 64) for b in secrets.token_bytes(8))
MARKER = re.compile(f"{OPEN}{_KEY}(\\d+){CLOSE}")
# The same key in every process, for what is kept between processes (the
# tokens of markdown_tokens.py): a text is kept with this one in place of
# the process's key, which is put back when the tokens are read.
SHARED_KEY = chr(0xE010) * len(_KEY)
_MARKER_CHARS = re.compile(f"[{OPEN}{CLOSE}]")
NEUTRAL = "\ufffd"  # what a stray marker character becomes: the replacement character


def process_key() -> str:
    """This process's marker key (see :data:`SHARED_KEY`)."""
    return _KEY


def neutral(text: str) -> str:
    """``text`` with the marker characters replaced, so it can never be a marker."""
    return _MARKER_CHARS.sub(NEUTRAL, text) if OPEN in text or CLOSE in text else text


MAX_OBJECTS = 20_000  # one build may register at most this many blocks and citations


@dataclass(frozen=True)
class Citation:
    """One occurrence of a citation: its footnote text."""

    runs: Runs
    source_slug: str = ""


Pending = Citation | Table | Figure


# A footnote joins at most this many sources: a note must fit a page's foot.
MAX_JOINED_CITATIONS = 4


@dataclass
class Numbering:
    """Counters shared by every section of one document."""

    budget: BuildBudget = field(default_factory=BuildBudget, compare=False, repr=False)
    tables: int = 0
    figures: int = 0
    footnotes: list[Footnote] = field(default_factory=list)
    # footnote number -> how many citations it joins, where more than one
    _sources: dict[int, int] = field(default_factory=dict, repr=False, compare=False)

    def add_footnote(self, runs: Runs) -> FootnoteRef:
        self.budget.add_citation()
        number = len(self.footnotes) + 1
        self.footnotes.append(Footnote(number, runs))
        return FootnoteRef(number)

    def cite(self, runs: list, citation: Runs) -> None:
        """Append a reference to a new footnote holding ``citation`` to ``runs``;
        a citation right after another one joins that footnote instead ("A; B"),
        because two marks side by side read as one number ("7273")."""
        last = runs[-1] if runs else None
        if isinstance(last, FootnoteRef) and last.number == len(self.footnotes):
            earlier = self.footnotes[-1]
            sources = self._sources.get(earlier.number, 1)
            if sources < MAX_JOINED_CITATIONS:
                self.budget.add_citation()  # every citation counts, joined or not
                self.footnotes[-1] = Footnote(earlier.number, _joined(earlier.runs, citation))
                self._sources[earlier.number] = sources + 1
                return
        runs.append(self.add_footnote(citation))

    def reserve_footnote(self) -> int:
        """A number for a footnote whose text comes later (Markdown [^1])."""
        self.budget.add_citation()
        self.footnotes.append(Footnote(len(self.footnotes) + 1, ()))
        return len(self.footnotes)

    def fill_footnote(self, number: int, runs: Runs) -> None:
        self.footnotes[number - 1] = Footnote(number, runs)

    def number_table(self, table: Table) -> Table:
        self.tables += 1
        return replace(table, number=self.tables)

    def number_figure(self, figure: Figure) -> Figure:
        self.figures += 1
        return replace(figure, number=self.figures)


def _joined(first: Runs, second: Runs) -> Runs:
    """Two citations as one footnote: "A, title, 2019; B, title, 2020."."""
    head = list(first)
    if head and isinstance(head[-1], Text) and head[-1].link is None:
        head[-1] = replace(head[-1], text=head[-1].text.rstrip().rstrip("."))
    return (*head, Text("; "), *second)


class Placeholders:
    """The registry of one build."""

    def __init__(self) -> None:
        self._objects: list[Pending] = []

    def add(self, obj: Pending) -> str:
        if len(self._objects) >= MAX_OBJECTS:
            raise ValueError(
                f"a briefing may hold at most {MAX_OBJECTS:,} tables, figures and citations"
            )
        self._objects.append(obj)
        return f"{OPEN}{_KEY}{len(self._objects) - 1}{CLOSE}"

    def get(self, marker_id: int) -> Pending | None:
        """The object of a marker; None for a number this build never gave."""
        if 0 <= marker_id < len(self._objects):
            return self._objects[marker_id]
        return None

    def resolve_runs(self, text: str, numbering: Numbering, inline_only: bool = True) -> Runs:
        """Plain text with citation markers -> runs with footnote references."""
        runs: list = []
        position = 0
        for match in MARKER.finditer(text):
            if match.start() > position:
                runs.append(Text(neutral(text[position : match.start()])))
            obj = self.get(int(match.group(1)))
            if isinstance(obj, Citation):
                numbering.cite(runs, obj.runs)
            elif obj is None:
                runs.append(Text(neutral(match.group(0))))
            elif not inline_only:
                runs.append(obj)
            position = match.end()
        if position < len(text):
            runs.append(Text(neutral(text[position:])))
        return tuple(runs)

    def strip(self, text: str) -> str:
        """Text without markers (for titles, captions in footnotes)."""
        return neutral(MARKER.sub("", text))


def has_marker(text: str) -> bool:
    return OPEN in text
