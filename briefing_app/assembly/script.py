"""The Chinese script of a built briefing: as recorded, simplified or traditional.

The knowledge base keeps names as the sources printed them (002's Table 3
prints 杭州蕭山 in traditional characters beside simplified ones). A reader
may want one script throughout: :func:`convert_document` rewrites every
Chinese text of a built :class:`~briefing_app.document.Document` with
OpenCC's phrase-aware conversion. "as-recorded", the default, leaves the
document as built. Text without Chinese characters is never touched, and
neither are links, anchors, styles or pictures.
"""

from __future__ import annotations

import dataclasses
import functools
import re
from typing import Any

from briefing_app.document import Document
from briefing_app.errors import BriefingError

SCRIPTS = ("as-recorded", "simplified", "traditional")
SCRIPT_LABELS = {
    "as-recorded": "As recorded",
    "simplified": "Simplified Chinese",
    "traditional": "Traditional Chinese",
}
_CONFIGS = {"simplified": "t2s", "traditional": "s2t"}
_HAN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
# Fields that name things rather than hold reader text.
_KEEP = frozenset({"link", "anchor", "style", "kind", "language", "page_size", "number"})


def check_script(script: str) -> str:
    """``script`` when it is one of :data:`SCRIPTS`; else a BriefingError."""
    if script not in SCRIPTS:
        raise BriefingError(f"Chinese script must be one of {', '.join(SCRIPTS)}, not {script!r}")
    return script


@functools.cache
def _converter(config: str):
    try:
        import opencc
    except ImportError:
        raise BriefingError(
            "converting Chinese script needs the OpenCC package: pip install opencc"
        ) from None
    return opencc.OpenCC(config)


def convert_text(text: str, script: str) -> str:
    """``text`` in ``script`` (unchanged for "as-recorded" or without Chinese)."""
    if script == "as-recorded" or not _HAN.search(text):
        return text
    return _converter(_CONFIGS[check_script(script)]).convert(text)


def convert_document(document: Document, script: str) -> Document:
    """``document`` with its Chinese text in ``script``."""
    check_script(script)
    if script == "as-recorded":
        return document
    convert = functools.partial(convert_text, script=script)
    return _walk(document, convert)


def _walk(value: Any, convert) -> Any:
    if isinstance(value, str):
        return convert(value)
    if isinstance(value, tuple):
        changed = tuple(_walk(v, convert) for v in value)
        return value if all(a is b for a, b in zip(changed, value, strict=True)) else changed
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        updates = {}
        for name in _text_fields(type(value)):
            old = getattr(value, name)
            new = _walk(old, convert)
            if new is not old:
                updates[name] = new
        return dataclasses.replace(value, **updates) if updates else value
    return value  # numbers, bytes, None


@functools.cache
def _text_fields(kind: type) -> tuple[str, ...]:
    return tuple(f.name for f in dataclasses.fields(kind) if f.name not in _KEEP)
