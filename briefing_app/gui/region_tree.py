"""The region chooser: the country, its city clusters and its provinces with
their cities, as a filterable tree.

A region belongs in two places when it is both administrative and grouped
(Guangzhou is a city of Guangdong and a member of the Pearl River Delta), so
clusters list their members again under themselves; picking either row picks
the same slug.
"""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QSortFilterProxyModel, Qt, Signal
from PySide6.QtGui import QStandardItem, QStandardItemModel
from PySide6.QtWidgets import QLineEdit, QTreeView, QVBoxLayout, QWidget

from briefing_app.store.records import Region
from briefing_app.store.vocabulary import Vocabulary

SLUG_ROLE = Qt.ItemDataRole.UserRole + 1
SEARCH_ROLE = Qt.ItemDataRole.UserRole + 2
WHOLE_COUNTRY = ""  # the slug carried by the country row


def region_label(region: Region) -> str:
    """ "Guangzhou 广州" when the local name differs from the name."""
    if region.local_name and region.local_name != region.name:
        return f"{region.name}  {region.local_name}"
    return region.name


class RegionTree(QWidget):
    """A filter box over a tree of regions; emits the chosen region's slug."""

    regionChosen = Signal(str)

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self.filter_box = QLineEdit(self)
        self.filter_box.setPlaceholderText("Filter regions (name or 中文)…")
        self.filter_box.setClearButtonEnabled(True)
        self.filter_box.setAccessibleName("Region filter")
        self.filter_box.setToolTip("Type part of a region's name, in English or Chinese (Ctrl+F)")

        self.model = QStandardItemModel(self)
        self.proxy = QSortFilterProxyModel(self)
        self.proxy.setSourceModel(self.model)
        self.proxy.setRecursiveFilteringEnabled(True)
        self.proxy.setFilterCaseSensitivity(Qt.CaseSensitivity.CaseInsensitive)
        self.proxy.setFilterRole(SEARCH_ROLE)

        self.view = QTreeView(self)
        self.view.setModel(self.proxy)
        self.view.setHeaderHidden(True)
        self.view.setUniformRowHeights(True)
        self.view.setAccessibleName("Regions")
        self.view.setToolTip("The area the briefing covers: the whole country or one region")

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.filter_box)
        layout.addWidget(self.view)

        self.filter_box.textChanged.connect(self._apply_filter)
        self.view.selectionModel().currentChanged.connect(self._on_current_changed)
        self._current = WHOLE_COUNTRY

    # --- filling -------------------------------------------------------------

    def populate(self, country_name: str, regions: list[Region], kinds: Vocabulary) -> None:
        """Rebuild the tree for one country and select the whole country.

        ``kinds`` says which regions group others (grouping "group") and which
        are the top-level areas (grouping "area"), and names the headings.
        """
        self.model.clear()
        root = self._item(f"{country_name} (whole country)", WHOLE_COUNTRY, country_name)
        self.model.appendRow(root)
        by_slug = {r.slug: r for r in regions}
        children: dict[str, list[Region]] = {}
        for region in regions:
            if region.parent in by_slug:
                children.setdefault(region.parent, []).append(region)

        group_kinds = kinds.codes("regions", "group")
        groups = [r for r in regions if r.kind in group_kinds]
        if groups:
            heading = self._heading(_heading(kinds, groups, "Groups of regions"))
            root.appendRow(heading)
            for group in groups:
                row = self._item(region_label(group), group.slug, _search_text(group))
                heading.appendRow(row)
                for member in regions:
                    if group.slug in member.groups:
                        row.appendRow(
                            self._item(region_label(member), member.slug, _search_text(member))
                        )

        area_kinds = kinds.codes("regions", "area")
        provinces = [r for r in regions if r.kind in area_kinds and r.parent not in by_slug]
        if provinces:
            heading = self._heading(_heading(kinds, provinces, "Areas"))
            root.appendRow(heading)
            for province in provinces:
                heading.appendRow(self._subtree(province, children))

        self.view.expand(self.proxy.mapFromSource(root.index()))
        for row in range(root.rowCount()):
            self.view.expand(self.proxy.mapFromSource(root.child(row).index()))
        self._current = WHOLE_COUNTRY
        self.view.setCurrentIndex(self.proxy.mapFromSource(root.index()))

    def expanded_slugs(self) -> set[str]:
        """Regions whose branch is open (to open them again after a refill)."""
        found = set()
        stack = [self.model.index(r, 0) for r in range(self.model.rowCount())]
        while stack:
            index = stack.pop()
            if self.view.isExpanded(self.proxy.mapFromSource(index)):
                found.add(index.data(SLUG_ROLE) or f"heading:{index.data()}")
                stack += [self.model.index(r, 0, index) for r in range(self.model.rowCount(index))]
        return found

    def expand_slugs(self, keys: set[str]) -> None:
        stack = [self.model.index(r, 0) for r in range(self.model.rowCount())]
        while stack:
            index = stack.pop()
            key = index.data(SLUG_ROLE) or f"heading:{index.data()}"
            if key in keys:
                self.view.expand(self.proxy.mapFromSource(index))
            stack += [self.model.index(r, 0, index) for r in range(self.model.rowCount(index))]

    def _subtree(self, region: Region, children: dict[str, list[Region]]) -> QStandardItem:
        item = self._item(region_label(region), region.slug, _search_text(region))
        for child in children.get(region.slug, []):
            item.appendRow(self._subtree(child, children))
        return item

    @staticmethod
    def _item(label: str, slug: str, search: str) -> QStandardItem:
        item = QStandardItem(label)
        item.setEditable(False)
        item.setData(slug, SLUG_ROLE)
        item.setData(search, SEARCH_ROLE)
        item.setToolTip(label)
        return item

    @staticmethod
    def _heading(label: str) -> QStandardItem:
        item = QStandardItem(label)
        item.setEditable(False)
        item.setSelectable(False)
        font = item.font()
        font.setItalic(True)
        item.setFont(font)
        item.setData(None, SLUG_ROLE)
        item.setData("", SEARCH_ROLE)
        return item

    # --- choosing ------------------------------------------------------------

    def current_region(self) -> str:
        """The chosen region's slug, or ``WHOLE_COUNTRY`` ("")."""
        return self._current

    def select_region(self, slug: str | None) -> bool:
        """Make ``slug`` current (the whole country for None/""); False if unknown."""
        slug = slug or WHOLE_COUNTRY
        matches = self.model.match(
            self.model.index(0, 0),
            SLUG_ROLE,
            slug,
            1,
            Qt.MatchFlag.MatchExactly | Qt.MatchFlag.MatchRecursive,
        )
        if not matches:
            return False
        self.filter_box.clear()
        index = self.proxy.mapFromSource(matches[0])
        self.view.setCurrentIndex(index)
        self.view.scrollTo(index)
        return True

    def _on_current_changed(self, current: QModelIndex, _previous: QModelIndex) -> None:
        slug = current.data(SLUG_ROLE) if current.isValid() else None
        if slug is None or slug == self._current:
            return
        self._current = slug
        self.regionChosen.emit(slug)

    def _apply_filter(self, text: str) -> None:
        self.proxy.setFilterFixedString(text.strip())
        if text.strip():
            self.view.expandAll()


def _search_text(region: Region) -> str:
    return " ".join(part for part in (region.name, region.local_name, region.slug) if part)


def _heading(kinds: Vocabulary, regions: list[Region], other: str) -> str:
    """A heading from the plural labels of the regions' kinds, in the
    table's order: "City clusters", "Provinces, municipalities and others"."""
    present = {r.kind for r in regions}
    codes = [c for c in kinds.codes("regions") if c in present]
    if not codes:
        return other
    words = [kinds.label("regions", c, 2) for c in codes[:2]]
    text = words[0] if len(codes) == 1 else f"{words[0]}, {words[1]} and others"
    if len(codes) == 2:
        text = f"{words[0]} and {words[1]}"
    return text[:1].upper() + text[1:]
