"""The main window driven as a user would: choose, edit the outline, save, reopen, close."""

from __future__ import annotations

import pytest
from PySide6.QtWidgets import QMessageBox
from window_helpers import close_quietly, open_window, outline_keys, tick, wait_for_preview


@pytest.fixture
def window(qtbot, seeded_store, tmp_path):
    window = open_window(qtbot, seeded_store, tmp_path)
    yield window
    close_quietly(window)


def sector_items(window, sector: str) -> list[str]:
    return [i.key for i in window.outline_panel.outline() if i.params.get("sector") == sector]


def test_choosing_a_region_and_sectors_changes_the_outline_and_preview(qtbot, window):
    wait_for_preview(qtbot, window)
    assert not window.session.modified
    assert sector_items(window, "automotive") == []

    assert window.selection_panel.regions.select_region("pearl-river-delta")
    tick(window.selection_panel.sectors, "automotive")
    tick(window.selection_panel.sectors, "ict")
    assert sector_items(window, "automotive") and sector_items(window, "ict")
    keys = outline_keys(window)
    assert keys.index(sector_items(window, "automotive")[0]) < keys.index(
        sector_items(window, "ict")[0]
    )
    assert window.windowTitle().startswith("Untitled briefing*")

    wait_for_preview(qtbot, window)
    text = window.preview_panel.browser.toPlainText()
    assert "Pearl River Delta" in text
    # The cover's defaults follow the selection.
    assert "Pearl River Delta" in window.cover_form.edits["title"].placeholderText()

    tick(window.selection_panel.sectors, "ict", checked=False)
    assert sector_items(window, "ict") == []


def test_sector_counts_follow_the_region(window, qtbot):
    from briefing_app.gui.selection_panel import SLUG_ROLE, _all_items

    def count(slug):
        item = next(
            i for i in _all_items(window.selection_panel.sectors) if i.data(0, SLUG_ROLE) == slug
        )
        return int(item.text(1))

    def counted():  # once the preview build has started, or after a short wait
        qtbot.waitUntil(lambda: not window.selection_panel.counts_pending(), timeout=2000)

    counted()
    whole_country = count("automotive")
    window.selection_panel.regions.select_region("pearl-river-delta")
    assert window.selection_panel.counts_pending()
    counted()
    assert 0 < count("automotive") < whole_country
    # The preview of the new selection brings the counts, without the wait.
    window.selection_panel.regions.select_region(None)
    assert window.selection_panel.counts_pending()
    with qtbot.waitSignal(window.preview_panel.shown, timeout=60_000):
        window.preview_panel.refresh_now()
    qtbot.waitUntil(lambda: not window.selection_panel.counts_pending(), timeout=200)
    assert count("automotive") == whole_country


def test_outline_edits_survive_another_sector_and_reset_forgets_them(window):
    tick(window.selection_panel.sectors, "automotive")
    first = outline_keys(window)[0]
    window.outline_panel.set_included(first, False)
    assert window.outline_panel.is_customised()

    tick(window.selection_panel.sectors, "human-health")
    outline = {i.key: i for i in window.outline_panel.outline()}
    assert outline[first].included is False
    assert sector_items(window, "human-health")
    assert window.current_selection().outline  # edits travel with the selection

    window.outline_panel.reset_button.click()
    assert all(i.included for i in window.outline_panel.outline())
    assert window.current_selection().outline == ()


def test_closing_with_unsaved_changes_asks_first(qtbot, window, monkeypatch):
    asked: list[str] = []
    answer = {"button": QMessageBox.StandardButton.Cancel}

    def question(_parent, title, text, *args, **kwargs):
        asked.append(text)
        return answer["button"]

    monkeypatch.setattr(QMessageBox, "question", question)
    tick(window.selection_panel.sectors, "automotive")
    assert window.session.modified

    assert window.close() is False  # Cancel keeps the window open
    assert len(asked) == 1 and "not saved" in asked[0]
    assert window.isVisible()

    answer["button"] = QMessageBox.StandardButton.Discard
    assert window.close() is True
    assert len(asked) == 2


def test_save_and_reopen_a_briefing(qtbot, window, seeded_store, monkeypatch):
    monkeypatch.setattr(window.files, "ask_name", lambda _suggestion: ("PRD visit 2026", True))
    window.selection_panel.regions.select_region("pearl-river-delta")
    tick(window.selection_panel.sectors, "automotive")
    excluded = outline_keys(window)[1]
    window.outline_panel.set_included(excluded, False)
    window.cover_form.edits["reviewed_by"].setText("Li Na")
    window.cover_form.edits["reviewed_by"].textEdited.emit("Li Na")

    assert window.files.save()
    slug = window.session.slug
    assert slug == "prd-visit-2026"
    assert window.windowTitle() == "PRD visit 2026 — Briefing Builder"
    assert seeded_store.briefing(slug).name == "PRD visit 2026"
    assert window.settings.recent_briefings()[0] == slug

    window.files.new()
    assert window.selection_panel.state().region == ""
    assert window.session.slug is None

    assert window.files.open_slug(slug)
    state = window.selection_panel.state()
    assert (state.region, state.sectors) == ("pearl-river-delta", ("automotive",))
    outline = {i.key: i for i in window.outline_panel.outline()}
    assert outline[excluded].included is False
    assert window.cover_form.cover().reviewed_by == "Li Na"
    assert not window.session.modified and "*" not in window.windowTitle()

    # The recent menu lists it and opens it.
    window.files.fill_recent_menu()
    entries = [a.text() for a in window.actions.recent_menu.actions()]
    assert any("PRD visit 2026" in text for text in entries)


def test_shortcuts_are_where_the_user_expects_them(window):
    actions = window.actions
    assert actions.export.shortcut().toString() == "Ctrl+E"
    assert actions.save_as.shortcut().toString() == "Ctrl+Shift+S"
    assert actions.refresh.shortcut().toString() == "F5"
    actions.find_region.trigger()
    assert window.selection_panel.regions.filter_box.hasFocus() or window.focusWidget() is None

    window.selection_panel.regions.filter_box.setText("深圳")
    proxy = window.selection_panel.regions.proxy
    assert proxy.rowCount() == 1  # the country row, kept as the ancestor of Shenzhen
    for widget in (
        window.selection_panel.sectors,
        window.outline_panel.tree,
        window.preview_panel.browser,
    ):
        assert widget.accessibleName()


def test_preview_of_the_current_section_alone(qtbot, window):
    tick(window.selection_panel.sectors, "automotive")
    item = next(i for i in window.outline_panel.outline() if i.params.get("sector") == "automotive")
    window.outline_panel.select_key(item.key)
    window.preview_panel.section_button.click()
    wait_for_preview(qtbot, window)
    text = window.preview_panel.browser.toPlainText()
    assert item.title in text
    assert "Contents" not in text  # no cover, no table of contents: the section alone


def test_a_section_added_by_hand_can_be_removed_again(window, seeded_store):
    section = seeded_store.sections()[0]
    window.outline_panel.select_key(outline_keys(window)[0])
    added = window.outline_panel.add_section(section.slug, section.title)
    assert outline_keys(window)[1] == added.key
    assert window.current_selection().outline[1].section == section.slug
    assert window.outline_panel.remove_button.isEnabled()
    window.outline_panel.remove_current()
    assert added.key not in outline_keys(window)


def test_a_burst_of_changes_costs_one_build_and_only_the_newest_is_shown(qtbot, window):
    wait_for_preview(qtbot, window)
    before = window.preview_panel.generation
    for sector in ("automotive", "ict", "human-health", "renewable-energy"):
        tick(window.selection_panel.sectors, sector)
    window.selection_panel.regions.select_region("pearl-river-delta")
    wait_for_preview(qtbot, window)
    # Five edits inside the debounce pause: one request went to the builder.
    assert window.preview_panel.generation == before + 1
    assert "Pearl River Delta" in window.preview_panel.browser.toPlainText()

    # A result that arrives for an older request is ignored.
    shown = window.preview_panel.browser.toHtml()
    window.preview_panel._on_built(before, "<p>stale page</p>", None, True)
    assert window.preview_panel.browser.toHtml() == shown


def test_reloading_lists_shows_a_partnership_added_meanwhile(window, seeded_store):
    from dataclasses import replace

    from briefing_app.gui.selection_panel import SLUG_ROLE, _all_items

    tick(window.selection_panel.sectors, "automotive")
    model = seeded_store.partnerships(country="CN")[0]
    seeded_store.upsert("partnerships", replace(model, slug="new-test-link", acronym="NEWLINK"))
    window.actions.reload.trigger()
    slugs = [i.data(0, SLUG_ROLE) for i in _all_items(window.selection_panel.partnerships)]
    assert "new-test-link" in slugs
    assert window.selection_panel.state().sectors == ("automotive",)


def test_an_imported_country_gets_its_own_tree_and_preview(qtbot, tmp_path, tiny_country):
    from briefing_app.store import open_store

    with open_store(tmp_path / "freedonia.sqlite", seed_dir=tiny_country) as store:
        window = open_window(qtbot, store, tmp_path)
        try:
            assert window.selection_panel.state().country == "FD"
            assert window.selection_panel.regions.select_region("dong-hai")
            labels = window.selection_panel.regions.model.index(0, 0).data()
            assert labels.startswith("Freedonia")
            wait_for_preview(qtbot, window)
            text = window.preview_panel.browser.toPlainText()
            assert "Dong Hai" in text and "China" not in text
        finally:
            close_quietly(window)
            window.preview_panel.shutdown()


def test_showing_a_saved_selection_keeps_the_lists_and_a_reload_reads_new_regions(
    window, seeded_store
):
    import dataclasses

    from briefing_app.gui.selection_panel import SelectionState

    panel = window.selection_panel
    state = SelectionState("CN", "zhejiang", ("automotive",), (), "eccp-preparatory")
    assert panel.set_state(state) == []
    assert panel.state() == state
    first_item = panel.regions.model.item(0)
    other = dataclasses.replace(state, region="guangdong", sectors=("ict",))
    assert panel.set_state(other) == []
    assert panel.state() == other
    assert panel.regions.model.item(0) is first_item  # same country: not filled again
    # A region added meanwhile appears once the panel reads the store again.
    zhejiang = seeded_store.region("zhejiang")
    seeded_store.upsert(
        "regions",
        dataclasses.replace(
            zhejiang,
            slug="zhoushan-new-area",
            name="Zhoushan New Area",
            kind="district",
            parent="zhejiang",
            local_name="",
            groups=(),
        ),
    )
    assert not panel.regions.select_region("zhoushan-new-area")
    panel.reload()
    assert panel.regions.select_region("zhoushan-new-area")


def test_a_selection_panel_on_its_own_counts_after_a_short_wait(qtbot, seeded_store):
    """Without a preview to wait for, the counts come after COUNTS_DELAY_MS."""
    from briefing_app.gui.selection_panel import SLUG_ROLE, SelectionPanel, _all_items

    panel = SelectionPanel(seeded_store)
    qtbot.addWidget(panel)
    qtbot.waitUntil(lambda: not panel.counts_pending(), timeout=5000)
    counts = {i.data(0, SLUG_ROLE): i.text(1) for i in _all_items(panel.sectors)}
    assert all(text.isdigit() for text in counts.values())
    assert int(counts["automotive"]) > 0
    panel.shutdown()
