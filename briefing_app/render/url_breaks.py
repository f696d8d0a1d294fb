"""Break opportunities in printed web addresses.

A long address at the end of a line must break after a "/" or a ".", never
inside a word or an acronym. Word breaks a line at a zero-width space
(U+200B); ReportLab only at a space, so the PDF gets a space too small to see
there. The link target itself is never touched: only the text shown.
"""

from __future__ import annotations

import re

ZERO_WIDTH_SPACE = "\u200b"
# An address: a scheme or "www.", then anything up to white space or markup.
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"]+", re.IGNORECASE)
# After each "/" or "." that has more of the address behind it ("://" stays whole).
_POINT = re.compile(r"(?<!:/)(?<!:)([/.])(?=[^/\s])")


def with_breaks(text: str, mark: str = ZERO_WIDTH_SPACE) -> str:
    """``text`` with ``mark`` after each "/" and "." inside web addresses."""
    if "://" not in text and "www." not in text.lower():
        return text  # the common case, kept fast for big tables
    return _URL.sub(lambda m: _POINT.sub(lambda p: p.group(1) + mark, m.group(0)), text)
