"""Long paragraphs and long words, cut so that ReportLab lays them out in linear time.

ReportLab re-breaks the rest of a paragraph each time it splits one across a
page, and breaks a word too long for a line by measuring it letter by letter
at every split: a 300,000-character word or paragraph took a minute. So the
PDF backend writes a long paragraph as consecutive pieces of at most
:data:`PIECE_CHARS` characters (cut at a space where there is one; the pieces
join without space between them, so they read as one paragraph), and
:func:`breakable` lets a long word break every :data:`WORD_CHARS` characters
(a zero-width space, which ReportLab breaks at and does not draw).
"""

from __future__ import annotations

import functools
import re
from dataclasses import replace

from briefing_app.document import FootnoteRef, Runs, Text

PIECE_CHARS = 3_000
WORD_CHARS = 40
_MARK_WEIGHT = 8  # a footnote mark weighs as much as a few letters (and its note more)
_ZWSP = "\u200b"


def paragraph_pieces(runs: Runs, most: int = PIECE_CHARS) -> list[tuple]:
    """``runs`` in consecutive pieces of about ``most`` characters at most."""
    pieces: list[tuple] = []
    current: list = []
    weight = 0

    def flush() -> None:
        nonlocal current, weight
        if current:
            pieces.append(tuple(current))
        current, weight = [], 0

    for run in runs:
        if not isinstance(run, Text):
            current.append(run)
            weight += _MARK_WEIGHT if isinstance(run, FootnoteRef) else 1
            if weight >= most:
                flush()
            continue
        text = run.text
        while weight + len(text) > most:
            room = most - weight
            cut = text.rfind(" ", 0, room + 1)
            if cut <= 0 and current:
                flush()  # the words start a piece of their own
                continue
            if cut <= 0:
                cut = room  # one word longer than a piece: cut it
            current.append(replace(run, text=text[:cut]))
            flush()
            text = text[cut:]
        if text:
            current.append(replace(run, text=text))
            weight += len(text)
    flush()
    return pieces or [tuple(runs)]


def breakable(text: str, most: int = WORD_CHARS) -> str:
    """``text`` with a zero-width space inside every word longer than ``most``."""
    if len(text) <= most:
        return text
    return _long_word(most).sub(lambda m: _split_word(m.group(0), most), text)


@functools.cache
def _long_word(most: int) -> re.Pattern[str]:
    # Only words past the limit are touched: a regex finds them without a
    # Python step per character of the whole text.
    return re.compile(f"[^\\s{_ZWSP}]{{{most + 1},}}")


def _split_word(word: str, most: int) -> str:
    return _ZWSP.join(word[i : i + most] for i in range(0, len(word), most))
