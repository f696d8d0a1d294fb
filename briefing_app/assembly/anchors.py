"""Unique anchors of one document (headings, the targets of internal links)."""

from __future__ import annotations


class Anchors:
    """The anchors of one document, each unique: "x", then "x-2", "x-3"...

    The next free number of each base is kept, so that thousands of headings
    of the same text take linear time, not a scan of every taken number.
    """

    def __init__(self, taken: set[str] | None = None) -> None:
        self.taken: set[str] = taken if taken is not None else set()
        self._next: dict[str, int] = {}

    def __contains__(self, anchor: str) -> bool:
        return anchor in self.taken

    def add(self, anchor: str) -> None:
        self.taken.add(anchor)

    def unique(self, base: str) -> str:
        anchor = base
        if anchor in self.taken:
            n = self._next.get(base, 2)
            while f"{base}-{n}" in self.taken:
                n += 1
            anchor = f"{base}-{n}"
            self._next[base] = n + 1
        self.taken.add(anchor)
        return anchor
