"""Break opportunities in printed web addresses.

A long address at the end of a line must break after a "/" or a ".", never
inside a word or an acronym. Word breaks a line at a zero-width space
(U+200B); ReportLab only at a space, so the PDF gets a space too small to see
there. The link target itself is never touched: only the text shown.
A short address ("www.caict.com") gets no break at all: it moves to the next
line whole, and in a justified PDF line ReportLab would widen each of its
invisible spaces like any other, printing "www. caict. com".
"""

from __future__ import annotations

import re

ZERO_WIDTH_SPACE = "\u200b"
# An address: a scheme or "www.", then anything up to white space or markup.
_URL = re.compile(r"(?:https?://|ftp://|www\.)[^\s<>\"]+", re.IGNORECASE)
# After each "/" or "." that has more of the address behind it ("://" stays whole).
_POINT = re.compile(r"(?<!:/)(?<!:)([/.])(?=[^/\s])")
# Addresses shorter than this fit on any line and are never broken.
SHORT_ADDRESS = 25


def with_breaks(text: str, mark: str = ZERO_WIDTH_SPACE) -> str:
    """``text`` with ``mark`` after each "/" and "." inside web addresses."""
    if "://" not in text and "www." not in text.lower():
        return text  # the common case, kept fast for big tables
    return _URL.sub(_breaking(mark), text)


def _breaking(mark: str):
    def sub(found: re.Match) -> str:
        address = found.group(0)
        if len(address.rstrip(").,;:!?'")) < SHORT_ADDRESS:
            return address
        return _POINT.sub(lambda p: p.group(1) + mark, address)

    return sub
