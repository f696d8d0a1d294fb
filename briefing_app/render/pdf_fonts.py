"""Fonts for the PDF: registration with ReportLab and glyph coverage.

The theme names five TrueType files: a Latin family (body, bold, italic,
bold italic) and one CJK font. Each is embedded (subset) in the PDF. Text is
drawn with the Latin family; any character the Latin face lacks is drawn with
the CJK face instead, span by span, so "Hangzhou 杭州" shows both scripts.
A character neither face has is reported before anything is written
(:func:`find_missing_glyphs`), never printed as an empty box.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path

from reportlab.lib.fonts import addMapping
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFError

from briefing_app.errors import RenderError
from briefing_app.render.font_cache import load_font
from briefing_app.render.theme import Theme

_LATIN_ROLES = ("body", "bold", "italic", "bold_italic")

# Characters XML 1.0 forbids, C1 controls and lone surrogates: ReportLab's
# markup parser chokes on some and no font draws any of them. Tabs become
# spaces; newlines are kept (callers decide what a newline means).
_FORBIDDEN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")

# Characters that draw nothing and need no glyph.
_INVISIBLE = frozenset(" \n\t\r\u00a0\u00ad\u200b\u200c\u200d\u2060\ufeff")

_LOCK = threading.Lock()
_REGISTERED: dict[tuple[Path, ...], FontSet] = {}


def clean_text(text: str) -> str:
    """``text`` without the characters no PDF text may hold (the one place)."""
    text = text.replace("\t", " ").replace("\r\n", "\n").replace("\r", "\n")
    return _FORBIDDEN.sub("", text)


@dataclass(frozen=True)
class FontSet:
    """ReportLab names of the registered faces and what each can draw."""

    body: str
    bold: str
    italic: str
    bold_italic: str
    cjk: str
    coverage: dict[str, frozenset[int]]
    # Path, size and time of each face's file: what measured widths depend on
    # (a key for layouts kept on disk, e.g. maps_pdf.py).
    files: tuple[str, ...] = field(default=(), compare=False, repr=False)
    # Characters already found drawable, per face: most text is plain Latin,
    # and a set difference answers "all drawable?" for a whole string at once.
    # Shared by every build with these fonts; it only ever grows.
    _drawable: dict[str, set[str]] = field(default_factory=dict, compare=False, repr=False)

    def face(self, bold: bool = False, italic: bool = False) -> str:
        """The Latin face for this emphasis."""
        if bold and italic:
            return self.bold_italic
        return self.bold if bold else self.italic if italic else self.body

    def covers(self, font: str, char: str) -> bool:
        return char in _INVISIBLE or ord(char) in self.coverage[font]

    def font_for(self, char: str, preferred: str) -> str | None:
        """The face that draws ``char``: ``preferred``, else body, else CJK."""
        for font in (preferred, self.body, self.cjk):
            if self.covers(font, char):
                return font
        return None

    def draws_all(self, font: str, text: str) -> bool:
        """True if ``font`` draws every character of ``text``."""
        known = self._drawable.setdefault(font, set(_INVISIBLE))
        unknown = set(text) - known
        if not unknown:
            return True
        drawable = {c for c in unknown if ord(c) in self.coverage[font]}
        known.update(drawable)
        return len(drawable) == len(unknown)

    def draws_any(self, font: str, text: str) -> bool:
        """True if ``font`` draws some letter or digit of ``text`` (not only
        its spaces and punctuation)."""
        covered = self.coverage[font]
        return any(c.isalnum() and ord(c) in covered for c in text)

    def segments(self, text: str, preferred: str) -> list[tuple[str, str]]:
        """Split ``text`` into (font, piece) spans, each drawable by its font.

        Characters no face covers stay with ``preferred``; the glyph check has
        already refused such text, so this only matters for direct callers.
        """
        if self.draws_all(preferred, text):
            return [(preferred, text)] if text else []
        spans: list[tuple[str, str]] = []
        current, start = preferred, 0
        for index, char in enumerate(text):
            if char in _INVISIBLE:
                continue  # spaces belong to whatever span they sit in
            font = self.font_for(char, preferred) or preferred
            if font != current:
                if index > start:
                    spans.append((current, text[start:index]))
                current, start = font, index
        if start < len(text):
            spans.append((current, text[start:]))
        return spans

    def font_for_line(self, text: str, preferred: str) -> str:
        """One face for a whole line (headers, chart labels): CJK if needed.

        The CJK face also holds Latin letters, so it draws a mixed line whole.
        """
        if self.draws_all(preferred, text):
            return preferred
        return self.cjk


def register_fonts(theme: Theme) -> FontSet:
    """Register the theme's fonts with ReportLab once and return their names."""
    files = tuple(theme.font_path(role) for role in (*_LATIN_ROLES, "cjk"))
    with _LOCK:
        known = _REGISTERED.get(files)
        if known is None:
            known = _register(files)
            _REGISTERED[files] = known
        return known


def find_missing_glyphs(text: str, fonts: FontSet) -> str:
    """The distinct characters of ``text`` that no registered face can draw."""
    missing: dict[str, None] = {}
    for char in set(text):
        if fonts.font_for(char, fonts.body) is None:
            missing[char] = None
    return "".join(sorted(missing))


def _register(files: tuple[Path, ...]) -> FontSet:
    # Names carry an index so two themes with different files never collide.
    prefix = f"BB{len(_REGISTERED)}"
    names = [f"{prefix}-{role}" for role in (*_LATIN_ROLES, "cjk")]
    coverage: dict[str, frozenset[int]] = {}
    for name, path in zip(names, files, strict=True):
        if not path.is_file():
            raise RenderError(f"font file {path} is missing; check the theme's fonts")
        try:
            # A .ttc holds several faces; the first is the regular one.
            font = load_font(name, path)
        except (TTFError, OSError) as exc:
            raise RenderError(f"cannot load font {path}: {exc}") from exc
        pdfmetrics.registerFont(font)
        coverage[name] = frozenset(font.face.charToGlyph)
    body, bold, italic, bold_italic, cjk = names
    _map_family(body, body, bold, italic, bold_italic)
    # The CJK font has no bold or italic face: <b> inside a CJK span keeps it.
    _map_family(cjk, cjk, cjk, cjk, cjk)
    return FontSet(body, bold, italic, bold_italic, cjk, coverage, files=_stamps(files))


def _stamps(files: tuple[Path, ...]) -> tuple[str, ...]:
    stamps = []
    for path in files:
        info = path.stat()
        stamps.append(f"{path.resolve()}:{info.st_size}:{info.st_mtime_ns}")
    return tuple(stamps)


def _map_family(family: str, normal: str, bold: str, italic: str, bold_italic: str) -> None:
    addMapping(family, 0, 0, normal)
    addMapping(family, 1, 0, bold)
    addMapping(family, 0, 1, italic)
    addMapping(family, 1, 1, bold_italic)
