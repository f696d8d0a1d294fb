"""Which link targets a briefing may carry: one rule for Word, PDF and HTML.

A source's URL comes from imported data, and a Markdown link from a template.
Only web and mail addresses become live links (``http``, ``https``,
``mailto``), plus ``#anchor`` links inside the document. Everything else
(``javascript:``, ``file:``, ``data:``, ``\\\\host\\share`` and ``//host``
paths, schemes hidden behind control characters or spaces) is printed as
text by every renderer: :func:`link_target` returns None for it.
"""

from __future__ import annotations

import re

LINK_SCHEMES = ("http", "https", "mailto")
MAX_LINK_CHARS = 2_048  # longer addresses stay text (Word refuses them anyway)
# C0 controls, DEL, C1 controls and every kind of space: browsers and Word
# drop some of these inside a scheme ("java\tscript:"), so none may hide one.
_INVISIBLE = re.compile(
    r"[\x00-\x20\x7f-\x9f\u00a0\u1680\u2000-\u200f\u2028-\u202f\u205f\u3000\ufeff]"
)


def link_target(url: object) -> str | None:
    """The link to write for ``url``, or None when it must stay text."""
    if not isinstance(url, str) or not url or len(url) > MAX_LINK_CHARS:
        return None
    text = url.strip()
    if text.startswith("#"):
        # Inside the document: each renderer links only to anchors it has.
        return text if len(text) > 1 else None
    if _INVISIBLE.search(text):
        return None  # a real web address has its spaces encoded
    scheme, colon, rest = text.partition(":")
    if not colon or scheme.lower() not in LINK_SCHEMES or not rest:
        return None
    if scheme.lower() != "mailto" and not rest.startswith("//"):
        return None
    return text
