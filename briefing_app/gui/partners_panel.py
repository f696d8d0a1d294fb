"""The Partners tab: whom each visitor should meet, and why.

Tick the visitor profiles the briefing suggests partners for; pick one to see
its ranking (clusters, universities and research bodies, organisations,
partnerships, regions), each match with its score and reasons. A match can be
pinned to the top of its group or dropped; the profiles, pins and drops are
part of the briefing's Selection and so of the saved briefing. The ranking
follows the selection (country, region, sectors) and is computed only while
the tab is shown: a few milliseconds per profile on the seeded data.
"""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.assembly.partner_finder import GROUP_TITLES, GROUPS
from briefing_app.errors import BriefingError

SLUG_ROLE = Qt.ItemDataRole.UserRole + 1
KEY_ROLE = Qt.ItemDataRole.UserRole + 2
SHOWN_PER_GROUP = 10


class PartnersPanel(QWidget):
    """Profiles to suggest partners for, and the ranking of the chosen one."""

    changed = Signal()

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self._selection = None  # the briefing's Selection, for country, region, sectors
        self._pins: list[str] = []
        self._drops: list[str] = []
        self._stale = True
        self.ranking = None  # the Ranking shown

        self.profiles = QTreeWidget(self)
        self.profiles.setHeaderLabels(["Visitor profile", "Kind"])
        self.profiles.setRootIsDecorated(False)
        self.profiles.setAccessibleName("Visitor profiles of the briefing")
        self.profiles.itemChanged.connect(self._on_profile_ticked)

        self.shown_profile = QComboBox(self)
        self.shown_profile.setAccessibleName("Profile whose ranking is shown")
        self.shown_profile.currentIndexChanged.connect(self._show_ranking)

        self.matches = QTreeWidget(self)
        self.matches.setHeaderLabels(["Counterpart", "Score", "Why"])
        self.matches.setAccessibleName("Ranked counterparts with their reasons")
        self.matches.setWordWrap(True)
        self.matches.setColumnWidth(0, 240)
        self.matches.setColumnWidth(1, 50)
        self.matches.currentItemChanged.connect(self._update_buttons)

        self.pin_button = QPushButton("&Pin to top", self)
        self.drop_button = QPushButton("&Drop", self)
        self.restore_button = QPushButton("&Restore dropped", self)
        self.pin_button.clicked.connect(self.pin_current)
        self.drop_button.clicked.connect(self.drop_current)
        self.restore_button.clicked.connect(self.restore_dropped)
        self.note = QLabel(self)
        self.note.setWordWrap(True)

        buttons = QHBoxLayout()
        for button in (self.pin_button, self.drop_button, self.restore_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        lower = QWidget(self)
        lower_layout = QVBoxLayout(lower)
        lower_layout.setContentsMargins(0, 0, 0, 0)
        lower_layout.addWidget(QLabel("Ranking for:", self))
        lower_layout.addWidget(self.shown_profile)
        lower_layout.addWidget(self.matches, 1)
        lower_layout.addLayout(buttons)
        lower_layout.addWidget(self.note)
        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.profiles)
        split.addWidget(lower)
        split.setSizes([160, 500])
        layout = QVBoxLayout(self)
        layout.addWidget(split)
        self.reload()
        self._update_buttons()

    # -- state shared with the Selection ----------------------------------------

    def chosen_profiles(self) -> tuple[str, ...]:
        return tuple(
            item.data(0, SLUG_ROLE)
            for item in _items(self.profiles)
            if item.checkState(0) == Qt.CheckState.Checked
        )

    def pins(self) -> tuple[str, ...]:
        return tuple(self._pins)

    def drops(self) -> tuple[str, ...]:
        return tuple(self._drops)

    def set_state(self, profiles, pins=(), drops=()) -> None:
        """Show a briefing's profiles, pins and drops (no ``changed``)."""
        self._pins, self._drops = list(pins), list(drops)
        blocked = self.profiles.blockSignals(True)
        for item in _items(self.profiles):
            ticked = item.data(0, SLUG_ROLE) in profiles
            item.setCheckState(0, Qt.CheckState.Checked if ticked else Qt.CheckState.Unchecked)
        self.profiles.blockSignals(blocked)
        self._fill_shown()

    def show_for(self, selection) -> None:
        """Follow the briefing's selection; ranked now if the tab is shown."""
        area = _area(selection)
        if self._selection is None or _area(self._selection) != area:
            self._stale = True
        self._selection = selection
        if self.isVisible() and self._stale:
            self._show_ranking()

    def reload(self) -> None:
        """Read the profiles again (the knowledge base changed)."""
        chosen = set(self.chosen_profiles())
        blocked = self.profiles.blockSignals(True)
        self.profiles.clear()
        try:
            records = self.store.records("profiles")
        except BriefingError as exc:
            records = []
            self.note.setText(f"Profiles cannot be read: {exc}")
        for profile in records:
            item = QTreeWidgetItem([profile.name, profile.kind])
            item.setData(0, SLUG_ROLE, profile.slug)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            checked = profile.slug in chosen
            item.setCheckState(0, Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)
            item.setToolTip(0, profile.description or profile.name)
            self.profiles.addTopLevelItem(item)
        self.profiles.blockSignals(blocked)
        if not records:
            self.note.setText(
                "No visitor profile yet: add one in Tools > Data browser (Visitor profiles) "
                "or with `briefing import profiles FILE`."
            )
        self._stale = True
        self._fill_shown()

    # -- pin and drop -----------------------------------------------------------

    def pin_current(self) -> None:
        key = self._current_key()
        if key and key not in self._pins:
            self._pins.append(key)
            self._changed()

    def drop_current(self) -> None:
        key = self._current_key()
        if key and key not in self._drops:
            self._drops.append(key)
            self._pins = [p for p in self._pins if p != key]
            self._changed()

    def restore_dropped(self) -> None:
        profile = self._shown_slug()
        kept = [d for d in self._drops if not d.startswith(f"{profile}:")]
        if kept != self._drops:
            self._drops = kept
            self._changed()

    def _current_key(self) -> str:
        item = self.matches.currentItem()
        match_key = item.data(0, KEY_ROLE) if item is not None else None
        profile = self._shown_slug()
        return f"{profile}:{match_key}" if match_key and profile else ""

    def _changed(self) -> None:
        self._stale = True
        self._show_ranking()
        self.changed.emit()

    # -- showing ------------------------------------------------------------------

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if self._stale:
            self._show_ranking()

    def _on_profile_ticked(self, *_args) -> None:
        self._fill_shown()
        self.changed.emit()

    def _fill_shown(self) -> None:
        """The combo lists the ticked profiles (all profiles when none is ticked)."""
        current = self._shown_slug()
        ticked = set(self.chosen_profiles())
        blocked = self.shown_profile.blockSignals(True)
        self.shown_profile.clear()
        for item in _items(self.profiles):
            slug = item.data(0, SLUG_ROLE)
            if not ticked or slug in ticked:
                self.shown_profile.addItem(item.text(0), slug)
        at = self.shown_profile.findData(current)
        self.shown_profile.setCurrentIndex(at if at >= 0 else 0)
        self.shown_profile.blockSignals(blocked)
        self._show_ranking()

    def _shown_slug(self) -> str:
        return self.shown_profile.currentData() or ""

    def _show_ranking(self, *_args) -> None:
        if not self.isVisible():  # ranked when the tab is shown
            self._stale = True
            return
        self.matches.clear()
        self.ranking = None
        slug = self._shown_slug()
        if not slug or self._selection is None:
            self._update_buttons()
            return
        try:
            self.ranking = self._rank(slug)
        except BriefingError as exc:
            self.note.setText(f"No ranking: {exc}")
            self._update_buttons()
            return
        self._stale = False
        for group in GROUPS:
            found = self.ranking.groups[group][:SHOWN_PER_GROUP]
            if not found:
                continue
            head = QTreeWidgetItem([f"{GROUP_TITLES[group]} ({len(self.ranking.groups[group])})"])
            head.setFlags(head.flags() & ~Qt.ItemFlag.ItemIsSelectable)
            self.matches.addTopLevelItem(head)
            for match in found:
                name = ("\N{PUSHPIN} " if match.pinned else "") + match.name
                row = QTreeWidgetItem([name, f"{match.score:.0f}", match.reason])
                row.setData(0, KEY_ROLE, match.key)
                row.setToolTip(2, _parts_tip(match))
                head.addChild(row)
            head.setExpanded(True)
        dropped = sum(1 for d in self._drops if d.startswith(f"{slug}:"))
        total = len(self.ranking)
        self.note.setText(
            f"{total} counterpart{'s' if total != 1 else ''} share a sector or a keyword"
            + (f"; {dropped} dropped" if dropped else "")
            + ". Hover a reason for the score's parts (docs/partner-finder.md)."
        )
        self._update_buttons()

    def _rank(self, slug: str):
        from briefing_app.assembly.knowledge import KnowledgeBase

        selection = self._selection
        country = self.store.country(selection.country)
        region = self.store.region(selection.region) if selection.region else None
        kb = KnowledgeBase(self.store, country, region)
        kb.set_partner_choices(selection.sectors, self._pins, self._drops)
        return kb.partner_ranking(self.store.get("profiles", slug))

    def _update_buttons(self, *_args) -> None:
        has_match = bool(self._current_key())
        self.pin_button.setEnabled(has_match)
        self.drop_button.setEnabled(has_match)
        profile = self._shown_slug()
        self.restore_button.setEnabled(any(d.startswith(f"{profile}:") for d in self._drops))


def _area(selection) -> tuple:
    return (selection.country, selection.region, tuple(selection.sectors))


def _items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    return [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]


def _parts_tip(match) -> str:
    parts = ", ".join(
        f"{name.replace('_', ' ')} {value:.2f}" for name, value in match.parts.items()
    )
    return f"score {match.score:.1f} from: {parts}"
