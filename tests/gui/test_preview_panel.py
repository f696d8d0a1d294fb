"""The preview: charts show as pictures that fit the panel."""

from __future__ import annotations

from PySide6.QtCore import QUrl
from PySide6.QtGui import QTextDocument
from window_helpers import close_quietly, open_window, tick, wait_for_preview

from briefing_app.gui.preview_panel import fit_images


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
