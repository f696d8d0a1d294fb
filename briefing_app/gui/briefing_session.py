"""The briefing being edited: its name, its slug in the store, unsaved edits.

Plain Python (no widgets), so that saving, reopening and the window title can
be reasoned about and tested apart from the window.
"""

from __future__ import annotations

import re
import unicodedata

from briefing_app.assembly.selection import Selection
from briefing_app.store.records import Briefing

UNTITLED = "Untitled briefing"


def slug_for(name: str, taken: set[str]) -> str:
    """A store slug for a briefing name, unique among ``taken``.

    Names in other scripts (杭州 visit) keep their ASCII part; a name with none
    becomes "briefing", then "briefing-2" and so on.
    """
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode()
    base = re.sub(r"[^a-z0-9]+", "-", ascii_name.lower()).strip("-") or "briefing"
    slug, number = base, 2
    while slug in taken:
        slug = f"{base}-{number}"
        number += 1
    return slug


class BriefingSession:
    """Which saved briefing the window shows, and whether it has changed."""

    def __init__(self) -> None:
        self.slug: str | None = None
        self.name: str = UNTITLED
        self.modified = False
        # The briefing as last read or written, to notice saves from elsewhere.
        self.base: Briefing | None = None

    def window_title(self, app_name: str = "Briefing Builder") -> str:
        """ "Name* — Briefing Builder": the star marks unsaved changes."""
        return f"{self.name}{'*' if self.modified else ''} — {app_name}"

    def start_new(self) -> None:
        self.slug, self.name, self.modified = None, UNTITLED, False
        self.base = None

    def opened(self, briefing: Briefing) -> Selection:
        """Adopt a briefing read from the store; returns its selection."""
        selection = Selection.from_json(briefing.selection_json)
        self.slug, self.name, self.modified = briefing.slug, briefing.name, False
        self.base = briefing
        return selection

    def save(self, store, selection: Selection, name: str | None = None) -> Briefing:
        """Write the selection under the current name, or under ``name`` as a
        new briefing (Save As). Returns what the store kept."""
        if name is not None or self.slug is None:
            name = (name or self.name).strip() or UNTITLED
            taken = {b.slug for b in store.briefings()}
            slug = slug_for(name, taken)
            expected = None
        else:
            name, slug, expected = self.name, self.slug, self.base
        saved = store.save_briefing(
            Briefing(slug=slug, name=name, selection_json=selection.to_json()), expected
        )
        if saved is None:  # a store that returns nothing has kept what it was given
            saved = store.briefing(slug)
        self.slug, self.name, self.modified = saved.slug, saved.name, False
        self.base = saved
        return saved
