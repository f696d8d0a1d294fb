"""Right-to-left text (Arabic, Hebrew) for renderers that draw glyphs in order.

Word and LibreOffice shape and reorder text themselves; the PDF writer does
not: ReportLab puts each character's glyph after the previous one, left to
right. This module gives it what a text engine would:

* :func:`shape` turns Arabic letters into their joined forms (initial,
  medial, final; lam-alef ligatures) with ``arabic-reshaper``, in logical
  order, before the line is measured, so widths are those of the drawn glyphs;
* :func:`visual_runs` puts one laid-out line into drawing order with the
  Unicode bidirectional algorithm, piece by piece, so a line made of several
  styled spans (bold, links, another font) keeps each span's style;
* :func:`visual_line` does the same for a single-style line (most paragraph
  lines, page headers, chart labels).

Both run the steps of ``python-bidi``'s Python implementation
(``bidi.algorithm``), which keeps track of where each character goes, and
add the bracket-pair rule N0 it lacks. Its ``get_display`` (Rust) is not
used: it cannot say where each character went, and in version 0.6 it leaves
brackets in right-to-left text unmirrored ("(גד)" comes out drawn ")דג(").

Reordering is per line, after line breaking, as the algorithm requires: the
paragraph's direction comes from its first strong character (rule P2) and is
kept for all its lines.

Everything starts with :func:`has_rtl`, one regular-expression search, so
text without right-to-left characters costs next to nothing.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Callable, Sequence

from bidi import algorithm as _uba
from bidi.mirror import MIRRORED

# Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan, Mandaic and the Arabic
# supplements and presentation forms; the explicit right-to-left controls
# (RLM, ALM, RLE, RLO, RLI); the historic RTL scripts of plane 1.
_RTL_HINT = re.compile(
    "[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufefe\u200f\u061c\u202b\u202e\u2067"
    "\U00010800-\U00010fff\U0001e800-\U0001efff]"
)
_STRONG_RTL = frozenset(("R", "AL"))
_ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff]")


# Joined forms only, plus the lam-alef ligatures every Arabic font has; word
# ligatures (U+FDF2 "Allah" and the like) are missing from most fonts.
# Vowel marks are kept: dropping them would change the text.
@functools.cache
def _reshaper():  # made on first Arabic text: arabic_reshaper loads fontTools, 40 ms
    import arabic_reshaper

    return arabic_reshaper.ArabicReshaper(
        configuration={
            "delete_harakat": False,
            "support_ligatures": True,
            "ARABIC LIGATURE ALLAH": False,
        }
    )


def has_rtl(text: str) -> bool:
    """True if ``text`` may hold right-to-left text (a quick test, no false misses)."""
    return _RTL_HINT.search(text) is not None


def base_is_rtl(text: str) -> bool:
    """True if the first strong character of ``text`` is right-to-left (rule P2)."""
    if not has_rtl(text):
        return False
    for char in text:
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG_RTL:
            return True
        if kind == "L":
            return False
    return False


def rtl_spans(text: str) -> list[tuple[str, bool]]:
    """``text`` cut into (piece, is_rtl) spans for writers that mark direction.

    A right-to-left span runs from a right-to-left letter to the last
    right-to-left letter (or Arabic digit) before the next left-to-right
    letter; spaces and digits inside it belong to it, those at its edges to
    the text around. Text without right-to-left letters is one span.
    """
    if not has_rtl(text):
        return [(text, False)] if text else []
    spans: list[tuple[str, bool]] = []
    start = 0  # start of the span being collected
    rtl_start = rtl_end = -1  # the right-to-left stretch found since ``start``
    for index, char in enumerate(text):
        kind = unicodedata.bidirectional(char)
        if kind in _STRONG_RTL:
            if rtl_start < 0:
                rtl_start = index
            rtl_end = index + 1
        elif kind == "AN" and rtl_start >= 0:
            rtl_end = index + 1
        elif kind == "L" and rtl_start >= 0:
            _close(text, spans, start, rtl_start, rtl_end)
            start, rtl_start, rtl_end = rtl_end, -1, -1
    if rtl_start >= 0:
        _close(text, spans, start, rtl_start, rtl_end)
        start = rtl_end
    if start < len(text):
        spans.append((text[start:], False))
    return spans


def _close(text: str, spans: list, start: int, rtl_start: int, rtl_end: int) -> None:
    if rtl_start > start:
        spans.append((text[start:rtl_start], False))
    spans.append((text[rtl_start:rtl_end], True))


def shape(text: str, drawable: Callable[[str], bool] | None = None) -> str:
    """``text`` with Arabic letters in their joined presentation forms.

    The order stays logical. If ``drawable`` says a shaped word has a form
    the fonts lack, that word keeps its plain letters (drawn unjoined rather
    than not at all).
    """
    if _ARABIC.search(text) is None:
        return text
    shaped = _reshape(text)
    if drawable is None or drawable(shaped):
        return shaped
    # Word by word: whitespace is kept as it is.
    return "".join(
        piece if piece.isspace() or not piece else _fallback(piece, drawable)
        for piece in re.split(r"(\s+)", text)
    )


def _fallback(word: str, drawable: Callable[[str], bool]) -> str:
    shaped = _reshape(word)
    return shaped if drawable(shaped) else word


@functools.lru_cache(maxsize=4096)
def _reshape(text: str) -> str:
    return _reshaper().reshape(text)


def visual_line(text: str, rtl: bool | None = None) -> str:
    """One line of text in drawing order (left to right).

    ``rtl`` is the paragraph direction; None takes it from the text itself.
    """
    if not has_rtl(text):
        return text
    if rtl is None:
        rtl = base_is_rtl(text)
    return "".join(piece for _, piece in visual_runs([text], rtl))


def visual_runs(pieces: Sequence[str], rtl: bool) -> list[tuple[int, str]]:
    """The pieces of one line (logical order) as (piece index, text) in drawing order.

    Each piece is a span of one style; a piece may come back cut in several
    runs when it holds text of both directions. Characters the algorithm
    removes (explicit embedding controls) are dropped; nothing else is.
    """
    text = "".join(pieces)
    owner: list[int] = []
    for number, piece in enumerate(pieces):
        owner.extend([number] * len(piece))
    runs: list[tuple[int, str]] = []
    for index, char in _visual_chars(text, rtl):
        number = owner[index]
        if runs and runs[-1][0] == number:
            runs[-1] = (number, runs[-1][1] + char)
        else:
            runs.append((number, char))
    return runs


def _visual_chars(text: str, rtl: bool) -> list[tuple[int, str]]:
    """(logical index, character as drawn) for each character, left to right.

    python-bidi's own pipeline (rules X1-X10, W1-W7, N1-N2, I1-I2, L1-L2,
    L4), run step by step so each character keeps its logical index, with
    the bracket-pair rule N0 added.
    """
    storage = _uba.get_empty_storage()
    storage["base_level"] = 1 if rtl else 0
    storage["base_dir"] = "R" if rtl else "L"
    _uba.get_embedding_levels(text, storage)
    for index, char in enumerate(storage["chars"]):
        char["index"] = index
    _uba.explicit_embed_and_overrides(storage)
    _uba.resolve_weak_types(storage)
    _resolve_bracket_pairs(storage)
    _uba.resolve_neutral_types(storage, False)
    _uba.resolve_implicit_levels(storage, False)
    _uba.reorder_resolved_levels(storage, False)
    # Combining marks stay before their letter in reversed text (no rule
    # L3): the fonts' Arabic and Hebrew marks have no advance and are drawn
    # to the right of the pen, so they land on the letter drawn next.
    out = []
    for char in storage["chars"]:
        glyph = char["ch"]
        if char["level"] % 2 and glyph in MIRRORED:
            glyph = MIRRORED[glyph]  # rule L4: "(" in right-to-left text is drawn ")"
        out.append((char["index"], glyph))
    return out


_OPENING = {
    "(": ")",
    "[": "]",
    "{": "}",
    "\u00ab": "\u00bb",
    "\u2039": "\u203a",
    "\u2018": "\u2019",
    "\u201c": "\u201d",
    "\uff08": "\uff09",
    "\u300c": "\u300d",
}
_CLOSING = {closing: opening for opening, closing in _OPENING.items()}


def _resolve_bracket_pairs(storage) -> None:
    """Rule N0: a bracket pair takes the direction of what it encloses.

    Without it, "(Riyadh)" at the end of a right-to-left line after a Latin
    word would get its two brackets at different levels and be drawn apart.
    Applied over the whole line (no isolating runs here: the PDF has no
    glyphs for the isolate controls, so they never reach this code).
    """
    chars = storage["chars"]
    stack: list[tuple[str, int]] = []
    pairs: list[tuple[int, int]] = []
    for position, char in enumerate(chars):
        glyph = char["ch"]
        if char["type"] != "ON":
            continue
        if glyph in _OPENING:
            if len(stack) == 63:  # BD16: give up on this line's pairs
                return
            stack.append((_OPENING[glyph], position))
        elif glyph in _CLOSING:
            for depth in range(len(stack) - 1, -1, -1):
                if stack[depth][0] == glyph:
                    pairs.append((stack[depth][1], position))
                    del stack[depth:]
                    break
    embedding = "R" if storage["base_level"] % 2 else "L"
    for opening, closing in sorted(pairs):
        inside = {_strong(chars[i]["type"]) for i in range(opening + 1, closing)} - {None}
        if not inside:
            continue
        if embedding in inside:
            direction = embedding
        else:
            before = next(
                (
                    _strong(chars[i]["type"])
                    for i in range(opening - 1, -1, -1)
                    if _strong(chars[i]["type"])
                ),
                storage["base_dir"],
            )
            direction = before if before != embedding else embedding
        chars[opening]["type"] = chars[closing]["type"] = direction


def _strong(kind: str) -> str | None:
    if kind == "L":
        return "L"
    if kind in ("R", "AL", "EN", "AN"):  # digits count as right-to-left here (N0)
        return "R"
    return None
