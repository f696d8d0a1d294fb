"""TrueType faces parsed once and kept on disk between processes.

ReportLab parses a TrueType file into tables of widths and glyph indexes
each time a font is registered: about a tenth of a second for the bundled
CJK face, paid by every ``briefing build``. The parsed face is kept here as
a pickle of its attributes, keyed by ReportLab's version and the font
file's path, size and modification time, so a changed or replaced font is
parsed again. A kept face is used only when rebuilding it gives the same
attributes a freshly parsed one had; anything unexpected falls back to
parsing, which is always correct.

What only writing a subset of the face (or shaping) reads, the glyph
offsets and metrics, the file's bytes and the glyph-to-character map, is
kept apart and unpickled the first time it is read: a face the document
never uses (a bold italic, often) costs only its widths and character map.

The subsets a PDF embeds are kept too, under the face's key and the
characters of the subset in their order: a briefing built again embeds the
same subsets, and writing one (in Python) is most of the time of saving a
PDF's fonts.
"""

from __future__ import annotations

import hashlib
import pickle
from fnmatch import fnmatch
from pathlib import Path
from typing import Any
from weakref import WeakKeyDictionary

import reportlab
from reportlab import rl_config
from reportlab.pdfbase import pdfmetrics, ttfonts
from reportlab.pdfbase.ttfonts import TTEncoding, TTFont, TTFontFace

from briefing_app.disk_cache import DiskCache, key_of

_CACHE = DiskCache("fonts")
_SUBSETS = DiskCache("font-subsets")
_FORMAT = "2"
# Rebuilt on load, not kept: a closure ReportLab makes from unitsPerEm.
_DERIVED = ("_pdfScale",)
# Read when a subset is written (or text shaped), not to measure text.
_ON_FIRST_READ = ("glyphToChar", "hmetrics", "glyphPos", "_ttf_data")


class _KeptFace(TTFontFace):
    """A face rebuilt from the cache; attributes of ``_ON_FIRST_READ`` are
    unpickled the first time they are read."""

    def __getattr__(self, name: str) -> Any:
        later = self.__dict__.get("_kept_later")
        if later is None or name not in later:
            raise AttributeError(name)
        value = pickle.loads(later.pop(name))  # noqa: S301 - our own cache folder
        setattr(self, name, value)
        return value

    def makeSubset(self, subset) -> bytes:  # noqa: N802 - ReportLab's name
        key = key_of("subset", self._kept_key, repr(list(subset)))
        kept = _SUBSETS.get(key)
        # Kept behind its digest: a damaged file would otherwise be embedded
        # in the PDF as it is (nothing else checks a font's bytes).
        if kept is not None and hashlib.sha256(kept[32:]).digest() == kept[:32]:
            return kept[32:]
        data = super().makeSubset(subset)
        _SUBSETS.put(key, hashlib.sha256(data).digest() + data)
        return data


def load_font(name: str, path: Path, subfont_index: int = 0) -> TTFont:
    """``TTFont(name, path, subfontIndex=subfont_index)``, parsed at most once."""
    info = path.stat()
    key = key_of(
        _FORMAT,
        reportlab.Version,
        str(path.resolve()),
        str(info.st_size),
        str(info.st_mtime_ns),
        str(subfont_index),
    )
    data = _CACHE.get(key)
    if data is not None:
        font = _from_kept(name, data, key)
        if font is not None:
            return font
    font = TTFont(name, str(path), subfontIndex=subfont_index)
    kept = _kept_form(font)
    if kept is not None:
        _CACHE.put(key, kept)
    return font


def _kept_form(font: TTFont) -> bytes | None:
    face = {k: v for k, v in vars(font.face).items() if k not in _DERIVED}
    try:
        later = {
            k: pickle.dumps(face.pop(k), protocol=pickle.HIGHEST_PROTOCOL)
            for k in _ON_FIRST_READ
            if k in face
        }
        state = {"face": face, "later": later, "font_attributes": sorted(vars(font))}
        return pickle.dumps(state, protocol=pickle.HIGHEST_PROTOCOL)
    except (pickle.PicklingError, TypeError, AttributeError):
        return None


def _from_kept(name: str, data: bytes, key: str) -> TTFont | None:
    try:
        state: dict[str, Any] = pickle.loads(data)  # noqa: S301 - our own cache folder
        face_state = state["face"]
        expected = state["font_attributes"]
        later = dict(state["later"])
        face = _KeptFace.__new__(_KeptFace)
        pdfmetrics.TypeFace.__init__(face, None)
        face.__dict__.update(face_state)
        face._kept_later = later
        face._kept_key = key
        units = face.unitsPerEm
        face._pdfScale = (lambda x: x) if units == 1000 else (lambda x, m=1000 / units: x * m)
        font = TTFont.__new__(TTFont)
        font.fontName = name
        font.face = face
        font.encoding = TTEncoding()
        font.state = WeakKeyDictionary()
        font._asciiReadable = rl_config.ttfAsciiReadable
        unshaped = getattr(ttfonts, "unShapedFontGlob", ())
        font.shapable = not any(fnmatch(name, glob) for glob in unshaped)
        if sorted(vars(font)) != expected:  # ReportLab's TTFont changed shape: parse
            return None
        return font
    except Exception:  # noqa: BLE001 - a damaged or foreign cache entry is a miss
        return None
