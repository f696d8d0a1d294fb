"""The middle panel: the briefing's outline, editable.

The blueprint plans the outline for the selection; here the user ticks
sections in or out, drags them into another order or under another heading,
adds any section of the library, or goes back to the blueprint's plan. The
tree nests items by level; reading it back flattens it in display order and
derives each level from where the item now sits.
"""

from __future__ import annotations

from dataclasses import replace

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QHBoxLayout,
    QHeaderView,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from briefing_app.assembly.library import readable_title
from briefing_app.assembly.outline import outline_titles
from briefing_app.assembly.selection import OutlineItem
from briefing_app.errors import BriefingError
from briefing_app.gui.outline_merge import added_key, is_added

ITEM_ROLE = Qt.ItemDataRole.UserRole + 1
ANNEX_GROUP_ROLE = Qt.ItemDataRole.UserRole + 2
ANNEX_GROUP_TITLE = "Annexes"
SCOPED_MARK = "\u2605"  # ★ before the key of a section written for the selection


class OutlineTree(QTreeWidget):
    """A tree that says when the user has dropped an item somewhere new."""

    dropped = Signal()

    def resizeEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().resizeEvent(event)
        # The template keys take a third of a narrow tree, 130 pixels at most:
        # titles matter more (the keys are in the tooltips).
        self.header().resizeSection(1, max(60, min(130, self.viewport().width() // 3)))

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt's name)
        super().dropEvent(event)
        self.dropped.emit()


class OutlinePanel(QWidget):
    """Outline tree with include/exclude, reorder, add and reset."""

    changed = Signal()  # the user edited the outline
    shown = Signal()  # set_outline showed an outline (planned, loaded, restored)
    # The OutlineItem now current, or "" for none (never None through an
    # object signal: PySide6 mishandles None's refcount there).
    currentItemChanged = Signal(object)
    resetRequested = Signal()
    addRequested = Signal()

    def __init__(self, parent: QWidget | None = None):
        super().__init__(parent)
        self._customised = False
        self._filling = False
        self._annex_group: QTreeWidgetItem | None = None

        self.tree = OutlineTree(self)
        self.tree.setHeaderLabels(["Section", "Template"])
        self.tree.setAccessibleName("Outline")
        self.tree.setToolTip(
            "Tick a section to include it, untick to leave it out; drag to reorder or nest"
        )
        self.tree.setDragDropMode(QAbstractItemView.DragDropMode.InternalMove)
        self.tree.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.tree.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.tree.setUniformRowHeights(True)
        # Titles matter more than template keys: the key column stays narrow
        # (its full text is in the tooltip) and the user may widen it.
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setSectionResizeMode(1, QHeaderView.ResizeMode.Interactive)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().resizeSection(1, 130)
        self.tree.setMinimumWidth(160)

        # Tool buttons with short words: the row fits a narrow middle column
        # (a 1024-pixel screen); the tooltips say what each does in full.
        self.add_button = _button(
            "&Add…",
            "Add any section of the library, at the end or after the current one",
            "Add section",
        )
        self.remove_button = _button("Remo&ve", "Remove a section you added by hand")
        self.up_button = _button(
            "&Up", "Move the current section before the previous one", "Move up"
        )
        self.down_button = _button(
            "&Down", "Move the current section after the next one", "Move down"
        )
        self.reset_button = _button(
            "&Reset", "Forget your outline edits and follow the blueprint", "Reset to blueprint"
        )

        buttons = QHBoxLayout()
        buttons.setSpacing(4)
        for button in (self.add_button, self.remove_button, self.up_button, self.down_button):
            buttons.addWidget(button)
        buttons.addStretch(1)
        buttons.addWidget(self.reset_button)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.tree, 1)
        layout.addLayout(buttons)

        self.tree.itemChanged.connect(self._on_item_changed)
        self.tree.dropped.connect(self._on_dropped)
        self.tree.currentItemChanged.connect(self._on_current_changed)
        self.add_button.clicked.connect(self.addRequested)
        self.remove_button.clicked.connect(self.remove_current)
        self.up_button.clicked.connect(lambda: self.move_current(-1))
        self.down_button.clicked.connect(lambda: self.move_current(+1))
        self.reset_button.clicked.connect(self.resetRequested)
        self._update_buttons()

    # --- showing an outline --------------------------------------------------

    def set_outline(self, items: list[OutlineItem], customised: bool) -> None:
        """Show ``items``; ``customised`` says whether they carry user edits."""
        items = list(items)
        current = self.current_item()
        self._filling = True
        self.tree.clear()
        self._annex_group = self._annex_row()
        parents: list[tuple[int, QTreeWidgetItem]] = []
        annex_parents: list[tuple[int, QTreeWidgetItem]] = [(1, self._annex_group)]
        for item, shown in zip(items, self._shown_titles(items), strict=True):
            # Annexes are numbered apart (A.1, A.2) under their own heading, so
            # they sit under the "Annexes" row rather than the last chapter.
            stack = annex_parents if item.annex else parents
            while len(stack) > (1 if item.annex else 0) and stack[-1][0] >= item.level:
                stack.pop()
            row = self._row(item, shown)
            (stack[-1][1].addChild(row) if stack else self.tree.addTopLevelItem(row))
            stack.append((item.level, row))
        self.tree.addTopLevelItem(self._annex_group)
        self.tree.expandAll()
        self._filling = False
        self._customised = customised
        if current is not None:
            self.select_key(current.key)
        self._update_buttons()
        self.shown.emit()

    def show_left_out(self, reasons: dict) -> None:
        """Grey the items the briefing leaves out, ``reasons`` giving key ->
        why (the preview build's answer: an unmet need, or a section with
        nothing to say once rendered); the others show as built."""
        items = self.outline()
        marked = [
            replace(i, left_out=str(reasons.get(i.key, ""))) if i.included else i for i in items
        ]
        if marked != items:
            self.set_outline(marked, self._customised)

    def _annex_row(self) -> QTreeWidgetItem:
        row = QTreeWidgetItem([ANNEX_GROUP_TITLE, ""])
        row.setData(0, ANNEX_GROUP_ROLE, True)
        row.setFlags(
            Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsDropEnabled | Qt.ItemFlag.ItemIsSelectable
        )
        font = row.font(0)
        font.setBold(True)
        row.setFont(0, font)
        row.setToolTip(0, "Sections placed here are printed as annexes A.1, A.2, ...")
        return row

    def _shown_titles(self, items: list[OutlineItem]) -> list[str]:
        """The titles as the briefing prints them. Planned items come rendered
        for their sector or partnership; a section added by hand holds its
        template title, rendered with the store and selection of the window
        this panel sits in (its ``store`` and ``current_selection()``), else
        shown as words: "‹sector› policies"."""
        host = self.window()
        store, selection = getattr(host, "store", None), getattr(host, "current_selection", None)
        if store is not None and callable(selection) and any("{" in i.title for i in items):
            try:
                return outline_titles(store, selection(), items)
            except BriefingError:
                pass  # the selection cannot be read: words below
        return [readable_title(i.title) if "{" in i.title else i.title for i in items]

    def _row(self, item: OutlineItem, shown: str) -> QTreeWidgetItem:
        row = QTreeWidgetItem([shown or item.section, item.section])
        row.setData(0, ITEM_ROLE, item)
        flags = row.flags() | Qt.ItemFlag.ItemIsUserCheckable | Qt.ItemFlag.ItemIsDragEnabled
        row.setFlags(flags | Qt.ItemFlag.ItemIsDropEnabled)
        row.setCheckState(0, Qt.CheckState.Checked if item.included else Qt.CheckState.Unchecked)
        tip = f"{row.text(0)}\nSection: {item.section}"
        if row.text(0) != item.title:
            tip += f"\nTitle template: {item.title}"
        if item.params:
            tip += "\n" + ", ".join(f"{k}: {v}" for k, v in item.params.items())
        if is_added(item):
            tip += "\nAdded by hand"
            font = row.font(0)
            font.setItalic(True)
            row.setFont(0, font)
        row.setToolTip(1, item.section)
        row.setForeground(1, self.palette().placeholderText())
        if item.written_for:
            # A scoped section: the expert text written for this selection,
            # in place of the generic one. Marked in the template column.
            tip += f"\nWritten for {item.written_for} (in place of the generic section)"
            row.setText(1, f"{SCOPED_MARK} {item.section}")
            row.setToolTip(1, f"{item.section}: written for {item.written_for}")
            font = row.font(1)
            font.setBold(True)
            row.setFont(1, font)
        if item.left_out:
            self._leave_out(row, item, tip)
            return row
        row.setToolTip(0, tip)
        return row

    def _leave_out(self, row: QTreeWidgetItem, item: OutlineItem, tip: str) -> None:
        """A section with nothing to say for the selection: greyed, with the
        reason in its tooltip; it can be selected (to read why) but not ticked,
        dragged or given sub-sections, and the briefing never prints it."""
        row.setFlags(Qt.ItemFlag.ItemIsEnabled | Qt.ItemFlag.ItemIsSelectable)
        row.setData(0, Qt.ItemDataRole.CheckStateRole, None)  # no box to tick
        grey = self.palette().placeholderText()
        row.setForeground(0, grey)
        row.setForeground(1, grey)
        font = row.font(0)
        font.setItalic(True)
        row.setFont(0, font)
        reason = f"Left out of the briefing: {item.left_out}"
        row.setToolTip(0, f"{reason}\n{tip}")
        row.setToolTip(1, f"{reason}\n{item.section}")

    # --- reading it back -----------------------------------------------------

    def outline(self) -> list[OutlineItem]:
        """The items in display order, with levels from their nesting."""
        result: list[OutlineItem] = []

        def walk(row: QTreeWidgetItem, parent_level: int, annex: bool) -> None:
            if row.data(0, ANNEX_GROUP_ROLE):
                for i in range(row.childCount()):
                    walk(row.child(i), 1, True)
                return
            item: OutlineItem = row.data(0, ITEM_ROLE)
            if parent_level == 0:
                level = 1
            else:
                # A blueprint may skip a level (a level-3 slot under a chapter):
                # keep that depth while the item stays below its parent.
                level = item.level if item.level > parent_level else parent_level + 1
            # A left-out row has no box: it keeps the user's choice for when
            # the selection gives it something to say.
            included = (
                item.included if item.left_out else row.checkState(0) == Qt.CheckState.Checked
            )
            result.append(replace(item, level=level, included=included, annex=annex))
            for i in range(row.childCount()):
                walk(row.child(i), level, annex)

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i), 0, False)
        return result

    def sections(self) -> set[str]:
        """The library sections the outline already holds."""
        return {r.data(0, ITEM_ROLE).section for r in self._rows()}

    def shown_titles(self) -> dict[str, str]:
        """Key -> the title as the tree shows it."""
        return {r.data(0, ITEM_ROLE).key: r.text(0) for r in self._rows()}

    def is_customised(self) -> bool:
        return self._customised

    def current_item(self) -> OutlineItem | None:
        row = self.tree.currentItem()
        return row.data(0, ITEM_ROLE) if row is not None else None  # None for the Annexes row

    def _rows(self) -> list[QTreeWidgetItem]:
        rows: list[QTreeWidgetItem] = []

        def walk(row: QTreeWidgetItem) -> None:
            if row.data(0, ITEM_ROLE) is not None:
                rows.append(row)
            for i in range(row.childCount()):
                walk(row.child(i))

        for i in range(self.tree.topLevelItemCount()):
            walk(self.tree.topLevelItem(i))
        return rows

    def _row_of(self, key: str) -> QTreeWidgetItem | None:
        return next((r for r in self._rows() if r.data(0, ITEM_ROLE).key == key), None)

    # --- edits ---------------------------------------------------------------

    def select_key(self, key: str) -> bool:
        row = self._row_of(key)
        if row is not None:
            self.tree.setCurrentItem(row)
        return row is not None

    def set_included(self, key: str, included: bool) -> None:
        row = self._row_of(key)
        if row is not None:
            row.setCheckState(0, Qt.CheckState.Checked if included else Qt.CheckState.Unchecked)

    def move_current(self, step: int) -> None:
        """Move the current item (with its sub-sections) among its siblings."""
        row = self.tree.currentItem()
        if row is None or row.data(0, ITEM_ROLE) is None:
            return
        parent = row.parent()
        siblings = parent.childCount() if parent else self.tree.topLevelItemCount()
        index = parent.indexOfChild(row) if parent else self.tree.indexOfTopLevelItem(row)
        target = index + step
        if not 0 <= target < siblings:
            return
        expanded = _expanded_keys(row)
        self._filling = True
        if parent:
            parent.takeChild(index)
            parent.insertChild(target, row)
        else:
            self.tree.takeTopLevelItem(index)
            self.tree.insertTopLevelItem(target, row)
        _restore_expanded(row, expanded)
        self._filling = False
        self.tree.setCurrentItem(row)
        self._mark_edited()

    def add_section(self, section_slug: str, title: str, at_end: bool = False) -> OutlineItem:
        """Put a library section after the current item, at its level; with
        ``at_end`` (or no current item) at the end of the body, before the annexes."""
        taken = {r.data(0, ITEM_ROLE).key for r in self._rows()}
        current = None if at_end else self.tree.currentItem()
        if current is not None and current.data(0, ITEM_ROLE) is None:
            current = None  # the Annexes row: add at the end of the body
        level = current.data(0, ITEM_ROLE).level if current else 1
        item = OutlineItem(
            key=added_key(section_slug, taken), section=section_slug, title=title, level=level
        )
        row = self._row(item, self._shown_titles([item])[0])
        self._filling = True
        if current is None:
            self.tree.insertTopLevelItem(self.tree.indexOfTopLevelItem(self._annex_group), row)
        elif current.parent():
            current.parent().insertChild(current.parent().indexOfChild(current) + 1, row)
        else:
            self.tree.insertTopLevelItem(self.tree.indexOfTopLevelItem(current) + 1, row)
        self._filling = False
        self.tree.setCurrentItem(row)
        self._mark_edited()
        return item

    def remove_current(self) -> None:
        row = self.tree.currentItem()
        if row is None or row.data(0, ITEM_ROLE) is None or not is_added(row.data(0, ITEM_ROLE)):
            return
        self._filling = True
        (
            row.parent().removeChild(row)
            if row.parent()
            else self.tree.takeTopLevelItem(self.tree.indexOfTopLevelItem(row))
        )
        self._filling = False
        self._mark_edited()

    # --- signals from the tree -----------------------------------------------

    def _on_item_changed(self, _row: QTreeWidgetItem, column: int) -> None:
        if not self._filling and column == 0:
            self._mark_edited()

    def _on_dropped(self) -> None:
        self.tree.expandAll()
        self._mark_edited()

    def _on_current_changed(self, current, _previous) -> None:
        self._update_buttons()
        if not self._filling:
            item = current.data(0, ITEM_ROLE) if current is not None else None
            self.currentItemChanged.emit(item if item is not None else "")

    def _mark_edited(self) -> None:
        self._customised = True
        self._update_buttons()
        self.changed.emit()

    def _update_buttons(self) -> None:
        row = self.tree.currentItem()
        item = row.data(0, ITEM_ROLE) if row is not None else None
        movable = item is not None and not item.left_out
        self.up_button.setEnabled(movable)
        self.down_button.setEnabled(movable)
        self.remove_button.setEnabled(item is not None and is_added(item))
        self.reset_button.setEnabled(self._customised)


def _button(text: str, tip: str, name: str = "") -> QToolButton:
    button = QToolButton()
    button.setText(text)
    button.setToolTip(tip)
    button.setAccessibleName(name or text.replace("&", "").rstrip("…"))
    button.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
    button.setFocusPolicy(Qt.FocusPolicy.StrongFocus)
    return button


def _expanded_keys(row: QTreeWidgetItem) -> set[str]:
    keys = {row.data(0, ITEM_ROLE).key} if row.isExpanded() else set()  # never the Annexes row
    for i in range(row.childCount()):
        keys |= _expanded_keys(row.child(i))
    return keys


def _restore_expanded(row: QTreeWidgetItem, keys: set[str]) -> None:
    row.setExpanded(row.data(0, ITEM_ROLE).key in keys)
    for i in range(row.childCount()):
        _restore_expanded(row.child(i), keys)
