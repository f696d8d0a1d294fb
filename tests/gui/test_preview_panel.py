"""The preview: charts show as pictures that fit the panel; a selection click
hands its planned outline to the build and does not wait for a typing pause."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from window_helpers import close_quietly, open_window, tick, wait_for_preview

from briefing_app.assembly import Selection, plan_outline
from briefing_app.gui.document_builder import BuildRequest, build_preview
from briefing_app.gui.preview_panel import DEBOUNCE_MS, SELECTION_DELAY_MS, fit_images


def test_fit_images_narrows_only_what_is_too_wide():
    page = '<img src="a" width="600"/><img src="b" width="200"/>'
    assert fit_images(page, 400) == '<img src="a" width="400"/><img src="b" width="200"/>'


def image_widths(document: QTextDocument) -> list[float]:
    widths = []
    block = document.begin()
    while block.isValid():
        fragments = block.begin()
        while not fragments.atEnd():
            form = fragments.fragment().charFormat()
            if form.isImageFormat():
                image = form.toImageFormat()
                resource = document.resource(
                    QTextDocument.ResourceType.ImageResource, QUrl(image.name())
                )
                assert resource is not None and not resource.isNull()
                widths.append(image.width())
            fragments += 1
        block = block.next()
    return widths


def test_the_whole_briefing_preview_shows_its_charts(qtbot, seeded_store, tmp_path):
    window = open_window(qtbot, seeded_store, tmp_path)
    try:
        tick(window.selection_panel.sectors, "automotive")
        wait_for_preview(qtbot, window)
        browser = window.preview_panel.browser
        widths = image_widths(browser.document())
        assert widths, "the ECCP briefing has charts"
        assert max(widths) < browser.viewport().width()
        assert browser.horizontalScrollBar().maximum() == 0  # nothing to scroll sideways
    finally:
        close_quietly(window)


def sent_requests(window) -> list:
    """Record the build requests the preview hands to its worker."""
    sent = []
    submit = window.preview_panel.worker.submit

    def recording(request):
        sent.append(request)
        submit(request)

    window.preview_panel.worker.submit = recording
    return sent


def test_a_selection_click_carries_its_planned_outline_and_starts_sooner(
    qtbot, seeded_store, tmp_path
):
    window = open_window(qtbot, seeded_store, tmp_path)
    try:
        wait_for_preview(qtbot, window)
        sent = sent_requests(window)
        tick(window.selection_panel.sectors, "automotive")
        # A click waits only long enough to merge the signals of one action.
        assert window.preview_panel._timer.interval() == SELECTION_DELAY_MS
        wait_for_preview(qtbot, window)
        assert len(sent) == 1
        assert list(sent[0].planned) == window.outline_panel.outline()
        assert "automotive" in {i.params.get("sector") for i in sent[0].planned}

        # Typing in the cover waits for a pause, and the cover may change
        # titles, so the build plans the outline itself.
        qtbot.keyClicks(window.cover_form.edits["title"], "Automotive in China")
        assert window.preview_panel._timer.interval() == DEBOUNCE_MS
        wait_for_preview(qtbot, window)
        assert len(sent) >= 2 and sent[-1].planned is None
        assert "Automotive in China" in window.preview_panel.browser.toPlainText()
    finally:
        close_quietly(window)


def test_a_build_from_the_planned_outline_equals_one_that_plans(seeded_store):
    selection = Selection(country="CN", region="zhejiang", sectors=("automotive", "ict"))
    planned = tuple(plan_outline(seeded_store, selection))
    section = next(i for i in planned if i.params.get("sector") == "ict")
    for item in (None, section):
        alone = build_preview(seeded_store, BuildRequest(1, selection, item))
        given = build_preview(seeded_store, BuildRequest(2, selection, item, planned))
        assert given[0] == alone[0]
        assert given[1] == alone[1]
    # A user-edited outline still wins over a planned one.
    edited = selection.with_outline([i for i in planned if i is not section])
    page, _ = build_preview(seeded_store, BuildRequest(3, edited, None, planned))
    assert page == build_preview(seeded_store, BuildRequest(4, edited))[0]
    assert page != build_preview(seeded_store, BuildRequest(5, selection, None, planned))[0]


def test_the_preview_cuts_long_tables_short_and_says_so(seeded_store, monkeypatch):
    from briefing_app.gui import document_builder

    selection = Selection(country="CN", sectors=("automotive",))
    monkeypatch.setattr(document_builder, "PREVIEW_TABLE_ROWS", 200)
    whole, _ = build_preview(seeded_store, BuildRequest(1, selection))
    assert "left out of the preview" not in whole  # every shipped table fits in 200
    monkeypatch.setattr(document_builder, "PREVIEW_TABLE_ROWS", 5)
    cut, _ = build_preview(seeded_store, BuildRequest(2, selection))
    assert "left out of the preview; the exported Word and PDF files hold every row" in cut
    assert len(cut) < len(whole)


def _no_picture_drawn_yet(monkeypatch, tmp_path):
    """Neither in memory nor in the cache folder on disk."""
    from briefing_app.render import chart_cache

    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path / "empty-cache"))
    chart_cache.PICTURES.clear()


def test_charts_not_drawn_yet_follow_a_first_page_that_shows_where_they_go(
    seeded_store, monkeypatch, tmp_path
):
    from briefing_app.gui.document_builder import preview_pages

    _no_picture_drawn_yet(monkeypatch, tmp_path)
    selection = Selection(country="CN", region="guangdong", sectors=("automotive",))
    pages = list(preview_pages(seeded_store, BuildRequest(1, selection)))
    assert [complete for _page, _metadata, complete in pages] == [False, True]
    first, last = pages[0][0], pages[1][0]
    assert "Drawing the chart" in first and "data:image/png" not in first
    assert "Drawing the chart" not in last and "data:image/png" in last
    # The same text either way: only the pictures differ.
    assert first.count("<h2") == last.count("<h2")
    # Drawn once, the charts are on the first page next time.
    (again,) = list(preview_pages(seeded_store, BuildRequest(2, selection)))
    assert again[2] is True and again[0] == last


def test_the_panel_shows_the_first_page_and_is_ready_once_the_charts_are_in(
    qtbot, seeded_store, tmp_path, monkeypatch
):
    window = open_window(qtbot, seeded_store, tmp_path)
    try:
        wait_for_preview(qtbot, window)
        panel = window.preview_panel
        _no_picture_drawn_yet(monkeypatch, tmp_path)
        seen: list[str] = []
        panel.shown.connect(lambda: seen.append(panel.status_label.text()))
        with qtbot.waitSignal(panel.ready, timeout=60_000):
            tick(window.selection_panel.sectors, "automotive")
        assert seen[0] == "Drawing charts…" and seen[-1] == "Up to date"
        assert not panel.is_busy()
        assert image_widths(panel.browser.document())  # the charts are on the page
    finally:
        close_quietly(window)


def test_charts_stop_being_drawn_once_a_newer_request_waits(seeded_store, monkeypatch, tmp_path):
    from briefing_app.gui.document_builder import preview_pages

    _no_picture_drawn_yet(monkeypatch, tmp_path)
    selection = Selection(country="CN", region="zhejiang", sectors=("automotive", "ict"))
    asked = []

    def still_wanted():
        asked.append(True)
        return len(asked) < 2  # a newer request arrives after the first chart

    pages = list(preview_pages(seeded_store, BuildRequest(1, selection), still_wanted))
    assert [complete for _page, _metadata, complete in pages] == [False]
    assert len(asked) == 2
    # One chart was drawn, the others were left for whoever needs them.
    again = list(preview_pages(seeded_store, BuildRequest(2, selection)))
    assert again[0][0].count("Drawing the chart") == pages[0][0].count("Drawing the chart") - 1
