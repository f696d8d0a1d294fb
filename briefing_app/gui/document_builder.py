"""Building documents away from the window's thread.

Assembling a briefing reads the knowledge base and renders every section,
which takes long enough to make typing stutter if done on the GUI thread.
:class:`DocumentBuilder` lives on its own ``QThread`` with its own store
connection (SQLite connections belong to the thread that opened them) and
answers requests through signals. Each request carries a generation number;
a request already overtaken by a newer one is skipped unbuilt.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

from PySide6.QtCore import QObject, Qt, QThread, Signal, Slot

from briefing_app.errors import BriefingError

log = logging.getLogger(__name__)

# Rows of a table the preview shows; the rest are counted in a closing row.
# The exported files hold them all. Qt lays out a rich-text table row at
# about 65 microseconds: with 120 rows per table, the five long tables of a
# 10,000-cluster briefing took 45 of the 65 ms the window spent showing it.
# 50 rows fill several screens, enough to judge a table; the shipped
# knowledge base has one longer table (China's 109 industrial clusters).
PREVIEW_TABLE_ROWS = 50


@dataclass(frozen=True)
class BuildRequest:
    """Build the whole briefing (``item`` None) or one outline item's preview."""

    generation: int
    selection: object  # assembly.Selection
    item: object | None = None  # assembly.OutlineItem
    # The blueprint's outline for ``selection``, already planned by the window
    # (tuple of OutlineItem); None lets the build plan it itself.
    planned: tuple | None = None


def build_preview(store, request: BuildRequest):
    """(HTML, document metadata) the preview shows for ``request``, charts
    drawn (no Qt)."""
    *_, (page, metadata, _complete) = preview_pages(store, request)
    return page, metadata


def preview_pages(
    store,
    request: BuildRequest,
    still_wanted: Callable[[], bool] = lambda: True,
    left_out: dict | None = None,
) -> Iterator[tuple[str, object, bool]]:
    """The page(s) the preview shows for ``request``: (HTML, metadata, complete).

    A chart takes matplotlib 50 to 150 ms to draw, the rest of a page about
    as long as one chart. When a chart of the page has not been drawn
    before (a new region, say), a first page comes at once with a box where
    each such chart goes, then the page with every chart drawn. Before each
    chart ``still_wanted()`` is asked: once it says no (a newer request is
    waiting), no more charts are drawn and no second page comes. No Qt here.
    ``left_out`` (a dict) receives, for the whole briefing, key -> reason of
    every outline item the build leaves out (assembly.build_document).
    """
    from briefing_app.assembly import build_document, build_section_preview
    from briefing_app.render.chart_cache import drawn_chart_png
    from briefing_app.render.html_backend import render_html

    selection = request.selection
    if request.planned and not selection.outline:
        # Planning reads the whole section library; the window has just done it.
        selection = selection.with_outline(request.planned)
    # Long tables are cut while they are built (the template still runs over
    # every row), and render_html cuts any other long table.
    if request.item is None:
        document = build_document(
            store, selection, preview_rows=PREVIEW_TABLE_ROWS, left_out=left_out
        )
    else:
        document = build_section_preview(
            store, selection, request.item, preview_rows=PREVIEW_TABLE_ROWS
        )
    undrawn: list = []

    def drawn_only(spec, **size):
        png = drawn_chart_png(spec, **size)
        if png is None:
            undrawn.append((spec, size))
        return png

    page = render_html(document, max_table_rows=PREVIEW_TABLE_ROWS, chart_png=drawn_only)
    if not undrawn:
        yield page, document.metadata, True
        return
    yield page, document.metadata, False
    from briefing_app.render.charts import render_chart_png  # matplotlib loads slowly

    for spec, size in undrawn:
        if not still_wanted():
            return
        render_chart_png(spec, **size)
    yield render_html(document, max_table_rows=PREVIEW_TABLE_ROWS), document.metadata, True


class DocumentBuilder(QObject):
    """Worker object: lives on a background thread, owns a store there."""

    # generation, HTML, document Metadata, complete (False: charts still to draw)
    built = Signal(int, str, object, bool)
    failed = Signal(int, str)  # generation, message for the user
    # generation, {outline key: why the whole briefing leaves it out}
    leftOut = Signal(int, object)

    def __init__(self, db_path: Path):
        super().__init__()
        self._db_path = Path(db_path)
        self._store = None
        self.latest_generation = 0  # written by the GUI thread, read here

    @Slot(object)
    def build(self, request: BuildRequest) -> None:
        if request.generation < self.latest_generation:
            return  # a newer request is queued behind this one
        reasons: dict | None = {} if request.item is None else None
        try:
            pages = preview_pages(
                self._open_store(),
                request,
                still_wanted=lambda: request.generation >= self.latest_generation,
                left_out=reasons,
            )
            for page, metadata, complete in pages:
                if reasons is not None:
                    self.leftOut.emit(request.generation, dict(reasons))
                    reasons = None
                self.built.emit(request.generation, page, metadata, complete)
        except BriefingError as exc:
            if reasons:  # nothing to print: the outline still shows why
                self.leftOut.emit(request.generation, dict(reasons))
            self.failed.emit(request.generation, str(exc))
        except Exception as exc:  # the thread must survive a bug in a template helper
            log.exception("preview failed")
            self.failed.emit(request.generation, f"unexpected problem while building: {exc!r}")

    def _open_store(self):
        if self._store is None:
            from briefing_app.store import open_store

            self._store = open_store(self._db_path)
        return self._store

    @Slot()
    def close_store(self) -> None:
        if self._store is not None:
            self._store.close()
            self._store = None


class BuilderThread(QObject):
    """Owns a :class:`DocumentBuilder` and the thread it runs on."""

    requested = Signal(object)

    def __init__(self, db_path: Path, parent: QObject | None = None):
        super().__init__(parent)
        self.thread = QThread(self)
        self.thread.setObjectName("document-builder")
        self.builder = DocumentBuilder(db_path)
        self.builder.moveToThread(self.thread)
        self.requested.connect(self.builder.build)
        # finished is emitted from the worker thread itself: closing there keeps
        # the SQLite connection on the thread that opened it.
        self.thread.finished.connect(self.builder.close_store, Qt.ConnectionType.DirectConnection)
        self.thread.start()

    def submit(self, request: BuildRequest) -> None:
        self.builder.latest_generation = request.generation
        self.requested.emit(request)

    def stop(self) -> None:
        if self.thread.isRunning():
            self.thread.quit()
            self.thread.wait()
