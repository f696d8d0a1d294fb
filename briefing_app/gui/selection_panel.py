"""The left-hand panel: what the briefing is about.

Country, region, sectors, partnerships and blueprint. The panel reads the
store for its lists and emits :attr:`SelectionPanel.changed` whenever the user
changes any of them; the window turns that into a new outline and preview.
"""

from __future__ import annotations

from dataclasses import dataclass

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.gui.region_tree import RegionTree

SLUG_ROLE = Qt.ItemDataRole.UserRole + 1
PREFERRED_BLUEPRINT = "eccp-preparatory"


@dataclass(frozen=True)
class SelectionState:
    """What the panel shows, in the terms of the assembly's Selection."""

    country: str  # ISO code
    region: str  # "" for the whole country
    sectors: tuple[str, ...]
    partnerships: tuple[str, ...]
    blueprint: str


# The cluster counts beside the sectors wait this long after a change unless
# the window asks for them sooner (it does once the preview shows the new
# selection): counting a province of a large knowledge base takes tens of
# milliseconds that the outline and the preview should not wait for.
COUNTS_DELAY_MS = 1000
# Shares of the lists' height that the sectors and partnerships take at most.
SECTORS_SHARE = 0.42
PARTNERSHIPS_SHARE = 0.22


class SelectionPanel(QWidget):
    """Country combo, region tree, sector and partnership checklists, blueprint."""

    changed = Signal()

    def __init__(self, store, parent: QWidget | None = None):
        super().__init__(parent)
        self.store = store
        self._filling = False
        self._listed_country: str | None = None  # whose regions and sectors are shown

        self.country_combo = QComboBox(self)
        self.country_combo.setAccessibleName("Country")
        self.country_combo.setToolTip("The country the briefing prepares for")
        self.blueprint_combo = QComboBox(self)
        self.blueprint_combo.setAccessibleName("Blueprint")
        self.blueprint_combo.setToolTip(
            "The outline to follow: the full briefing, a short brief, ..."
        )
        for combo in (self.country_combo, self.blueprint_combo):
            # Long names must not make the column wide: the popup shows them whole.
            combo.setSizeAdjustPolicy(
                QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
            )
            combo.setMinimumContentsLength(12)

        self.regions = RegionTree(self)
        self.sectors = _checklist(("Sector", "Clusters"), "Sectors")
        self.sectors.setToolTip(
            "Sectors to cover; the number is the clusters of that sector in the region"
        )
        self.partnerships = _checklist(("Partnership", "Sectors"), "Partnerships")
        # Acronyms are short and sector lists long: the sectors take the room.
        self.partnerships.header().setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        self.partnerships.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.partnerships.setToolTip(
            "Cluster partnerships and projects to present; those in the chosen sectors come first"
        )

        form = QFormLayout()
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow("&Blueprint", self.blueprint_combo)
        form.addRow("C&ountry", self.country_combo)

        splitter = self.lists = QSplitter(Qt.Orientation.Vertical, self)
        splitter.addWidget(_boxed("Region", self.regions))
        splitter.addWidget(_boxed("Sectors", self.sectors))
        splitter.addWidget(_boxed("Partnerships", self.partnerships))
        splitter.setSizes([340, 240, 200])
        splitter.setChildrenCollapsible(False)
        self._balanced = False

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addLayout(form)
        layout.addWidget(splitter, 1)

        self._counts_timer = QTimer(self)
        self._counts_timer.setSingleShot(True)
        self._counts_timer.timeout.connect(self._count_clusters)

        self._fill_countries()
        self._fill_blueprints()
        self.country_combo.currentIndexChanged.connect(self._on_country_changed)
        self.blueprint_combo.currentIndexChanged.connect(self._emit_changed)
        self.regions.regionChosen.connect(self._on_region_chosen)
        self.sectors.itemChanged.connect(self._on_sector_toggled)
        self.partnerships.itemChanged.connect(self._emit_changed)
        self._on_country_changed()

    def showEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().showEvent(event)
        if not self._balanced:
            self._balanced = True
            QTimer.singleShot(0, self.balance_lists)

    def balance_lists(self) -> None:
        """Share the height between regions, sectors and partnerships so that
        the sector and partnership lists end on a whole row (never a
        half-hidden last one) and show every sector when there is room."""
        total = sum(self.lists.sizes())
        row = _row_height(self.sectors)
        if total <= 0 or row <= 0:
            return
        sectors_box = self.lists.widget(1)
        frame = sectors_box.height() - self.sectors.viewport().height()
        rows = len(_all_items(self.sectors))
        fits = max(3, min(rows, (int(total * SECTORS_SHARE) - frame) // row))
        sectors = frame + fits * row
        listed = max(3, self.partnerships.topLevelItemCount())
        partnership_rows = max(2, min(listed, (int(total * PARTNERSHIPS_SHARE) - frame) // row))
        partnerships = frame + partnership_rows * row
        self.lists.setSizes([total - sectors - partnerships, sectors, partnerships])

    # --- reading and setting the state ---------------------------------------

    def state(self) -> SelectionState:
        return SelectionState(
            country=self.country_combo.currentData() or "",
            region=self.regions.current_region(),
            sectors=tuple(_checked(self.sectors)),
            partnerships=tuple(_checked(self.partnerships)),
            blueprint=self.blueprint_combo.currentData() or "",
        )

    def set_state(self, state: SelectionState, reread: bool = False) -> list[str]:
        """Show a saved selection; returns what no longer exists in the store.

        The region tree and sector list are filled again only for another
        country, or with ``reread`` (the store's records may have changed).
        """
        missing: list[str] = []
        self._filling = True
        try:
            _select_data(self.blueprint_combo, state.blueprint) or missing.append(
                f"blueprint {state.blueprint}"
            )
            if not _select_data(self.country_combo, state.country):
                missing.append(f"country {state.country}")
            if reread or self.country_combo.currentData() != self._listed_country:
                self._reload_country()
            if not self.regions.select_region(state.region):
                missing.append(f"region {state.region}")
            missing += [f"sector {s}" for s in _set_checked(self.sectors, state.sectors)]
            self._reload_partnerships()
            missing += [
                f"partnership {p}" for p in _set_checked(self.partnerships, state.partnerships)
            ]
            self._reload_counts()
        finally:
            self._filling = False
        self.changed.emit()
        return missing

    def focus_region_filter(self) -> None:
        self.regions.filter_box.setFocus(Qt.FocusReason.ShortcutFocusReason)
        self.regions.filter_box.selectAll()

    def reload(self) -> None:
        """Re-read every list from the store (after an import or an edit)."""
        self.refresh_lists()

    def refresh_lists(self) -> list[str]:
        """Re-read every list from the store (it changed here or elsewhere),
        keeping what is chosen, the region filter, the open branches and
        where each list is scrolled; returns what is chosen but gone."""
        state = self.state()
        lists = (self.regions.view, self.sectors, self.partnerships)
        scrolled = [(w.verticalScrollBar().value(), w.horizontalScrollBar().value()) for w in lists]
        expanded = self.regions.expanded_slugs()
        typed = self.regions.filter_box.text()
        self._filling = True
        try:
            _refill(self.country_combo, _country_items(self.store.countries()))
            blueprints = self.store.blueprints()
            if _refill(self.blueprint_combo, [(b.name, b.slug) for b in blueprints]):
                for i, blueprint in enumerate(blueprints):
                    self.blueprint_combo.setItemData(
                        i, blueprint.description, Qt.ItemDataRole.ToolTipRole
                    )
        finally:
            self._filling = False
        missing = self.set_state(state, reread=True)
        self.regions.expand_slugs(expanded)
        if typed:
            self.regions.filter_box.setText(typed)
        for widget, (down, across) in zip(lists, scrolled, strict=True):
            widget.verticalScrollBar().setValue(down)
            widget.horizontalScrollBar().setValue(across)
        return missing

    # --- filling from the store ----------------------------------------------

    def _fill_countries(self) -> None:
        for label, iso in _country_items(self.store.countries()):
            self.country_combo.addItem(label, iso)

    def _fill_blueprints(self) -> None:
        for blueprint in self.store.blueprints():
            self.blueprint_combo.addItem(blueprint.name, blueprint.slug)
            self.blueprint_combo.setItemData(
                self.blueprint_combo.count() - 1, blueprint.description, Qt.ItemDataRole.ToolTipRole
            )
        _select_data(self.blueprint_combo, PREFERRED_BLUEPRINT)

    def _reload_country(self) -> None:
        iso = self.country_combo.currentData()
        if not iso:
            return
        country = self.store.country(iso)
        self.regions.populate(
            country.name, self.store.regions(country=iso), self.store.vocabulary()
        )
        self._listed_country = iso
        checked = set(_checked(self.sectors))
        self.sectors.clear()
        parents: dict[str, QTreeWidgetItem] = {}
        for sector in _parents_first(self.store.sectors()):
            item = QTreeWidgetItem([sector.name, ""])
            item.setData(0, SLUG_ROLE, sector.slug)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            item.setCheckState(
                0, Qt.CheckState.Checked if sector.slug in checked else Qt.CheckState.Unchecked
            )
            item.setTextAlignment(1, Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            tip = sector.description or sector.name
            if sector.aliases:
                tip += "\nAlso: " + ", ".join(sector.aliases)
            item.setToolTip(0, tip)
            owner = parents.get(sector.parent)
            (owner.addChild(item) if owner else self.sectors.addTopLevelItem(item))
            parents[sector.slug] = item
        self.sectors.expandAll()

    def counts_pending(self) -> bool:
        """Whether the cluster counts still show an earlier selection."""
        return self._counts_timer.isActive()

    def update_counts_soon(self) -> None:
        """Count as soon as the window has handled what it is doing (a page
        just shown is painted first), if a change is waiting for it."""
        if self._counts_timer.isActive():
            self._counts_timer.start(0)

    def shutdown(self) -> None:
        """Count nothing more (the window is closing, the store with it)."""
        self._counts_timer.stop()

    def _reload_counts(self) -> None:
        """Counts for the new place, after :data:`COUNTS_DELAY_MS` at most."""
        self._counts_timer.start(COUNTS_DELAY_MS)

    def _count_clusters(self) -> None:
        iso = self.country_combo.currentData()
        counts = self.store.count_clusters_by_sector(
            iso, region=self.regions.current_region() or None
        )
        blocked = self.sectors.blockSignals(True)
        for item in _all_items(self.sectors):
            item.setText(1, str(counts.get(item.data(0, SLUG_ROLE), 0)))
        self.sectors.blockSignals(blocked)

    def _reload_partnerships(self) -> None:
        iso = self.country_combo.currentData()
        checked = set(_checked(self.partnerships))
        chosen_scope: set[str] = set()
        for slug in _checked(self.sectors):
            chosen_scope |= self.store.sector_scope(slug)
        sector_names = {s.slug: s.name for s in self.store.sectors()}

        def rank(partnership) -> tuple[int, str]:
            matches = bool(chosen_scope & set(partnership.sectors))
            return (0 if matches else 1, (partnership.acronym or partnership.name).lower())

        blocked = self.partnerships.blockSignals(True)
        self.partnerships.clear()
        for partnership in sorted(self.store.partnerships(country=iso), key=rank):
            names = ", ".join(sector_names.get(s, s) for s in partnership.sectors)
            # the acronym is optional: the name where there is none
            item = QTreeWidgetItem([partnership.acronym or partnership.name, names])
            item.setData(0, SLUG_ROLE, partnership.slug)
            item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            state = (
                Qt.CheckState.Checked if partnership.slug in checked else Qt.CheckState.Unchecked
            )
            item.setCheckState(0, state)
            item.setToolTip(0, partnership.name)
            item.setToolTip(1, names)
            if chosen_scope and not (chosen_scope & set(partnership.sectors)):
                item.setForeground(0, self.palette().placeholderText())
                item.setForeground(1, self.palette().placeholderText())
            self.partnerships.addTopLevelItem(item)
        self.partnerships.blockSignals(blocked)

    # --- reacting to the user ----------------------------------------------

    def _on_country_changed(self, *_args) -> None:
        if self._filling:
            return
        self._filling = True
        try:
            self._reload_country()
            self._reload_counts()
            self._reload_partnerships()
        finally:
            self._filling = False
        self.changed.emit()

    def _on_region_chosen(self, _slug: str) -> None:
        if self._filling:
            return
        self._reload_counts()
        self.changed.emit()

    def _on_sector_toggled(self, *_args) -> None:
        if self._filling:
            return
        self._reload_partnerships()
        self.changed.emit()

    def _emit_changed(self, *_args) -> None:
        if not self._filling:
            self.changed.emit()


# --- small helpers over the check lists ------------------------------------


def _checklist(headers: tuple[str, str], name: str) -> QTreeWidget:
    tree = QTreeWidget()
    tree.setHeaderLabels(list(headers))
    tree.setRootIsDecorated(False)
    tree.setUniformRowHeights(True)
    tree.setAccessibleName(name)
    tree.header().setStretchLastSection(False)
    tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
    tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
    return tree


def _row_height(tree: QTreeWidget) -> int:
    first = tree.topLevelItem(0)
    return tree.visualItemRect(first).height() if first is not None else 0


def _boxed(title: str, widget: QWidget) -> QGroupBox:
    box = QGroupBox(title)
    layout = QVBoxLayout(box)
    layout.setContentsMargins(6, 6, 6, 6)
    layout.addWidget(widget)
    return box


def _all_items(tree: QTreeWidget) -> list[QTreeWidgetItem]:
    items: list[QTreeWidgetItem] = []
    stack = [tree.topLevelItem(i) for i in range(tree.topLevelItemCount())]
    while stack:
        item = stack.pop(0)
        items.append(item)
        stack[:0] = [item.child(i) for i in range(item.childCount())]
    return items


def _checked(tree: QTreeWidget) -> list[str]:
    return [
        item.data(0, SLUG_ROLE)
        for item in _all_items(tree)
        if item.checkState(0) == Qt.CheckState.Checked
    ]


def _set_checked(tree: QTreeWidget, slugs: tuple[str, ...]) -> list[str]:
    """Check exactly ``slugs``; returns those not in the list."""
    wanted = set(slugs)
    blocked = tree.blockSignals(True)
    found = set()
    for item in _all_items(tree):
        slug = item.data(0, SLUG_ROLE)
        item.setCheckState(0, Qt.CheckState.Checked if slug in wanted else Qt.CheckState.Unchecked)
        if slug in wanted:
            found.add(slug)
    tree.blockSignals(blocked)
    return [s for s in slugs if s not in found]


def _country_items(countries) -> list[tuple[str, str]]:
    return [
        (f"{c.name}  {c.local_name}" if c.local_name else c.name, c.iso_code) for c in countries
    ]


def _refill(combo: QComboBox, items: list[tuple[str, str]]) -> bool:
    """Give ``combo`` these (label, data) items if they differ (whether they
    did); the current data stays current when it is still there."""
    shown = [(combo.itemText(i), combo.itemData(i)) for i in range(combo.count())]
    if shown == items:
        return False
    current = combo.currentData()
    blocked = combo.blockSignals(True)
    combo.clear()
    for label, data in items:
        combo.addItem(label, data)
    _select_data(combo, current)
    combo.blockSignals(blocked)
    return True


def _select_data(combo: QComboBox, value) -> bool:
    index = combo.findData(value)
    if index < 0:
        return False
    combo.setCurrentIndex(index)
    return True


def _parents_first(sectors):
    """Sectors ordered so that each parent comes before its children."""
    known = {s.slug for s in sectors}
    ordered, placed = [], set()
    pending = list(sectors)
    while pending:
        rest = []
        for sector in pending:
            if not sector.parent or sector.parent not in known or sector.parent in placed:
                ordered.append(sector)
                placed.add(sector.slug)
            else:
                rest.append(sector)
        if len(rest) == len(pending):  # a cycle in the data: show the rest flat
            ordered += rest
            break
        pending = rest
    return ordered
