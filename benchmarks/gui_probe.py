"""Child process for the GUI measures: ``python -m benchmarks.gui_probe DB INI [changes]``.

It starts the application as ``briefing-app`` does (same QApplication set-up,
fonts, store opening and MainWindow), prints a JSON line of wall-clock
timestamps (``time.time()``, so the parent can subtract the moment it
started the process) and exits:

* ``shown``: the main window is shown and its first paint has been
  processed;
* ``first_preview``: the preview of the initial selection is on screen.

With ``changes`` > 0 it then shows each of two selections once (warm-up,
reported apart), switches between them that many times more through
``MainWindow.show_selection`` and records, per change, the
milliseconds until the outline is planned (synchronous) and until the
preview shows the new build: once as the user sees it, debounce included,
and once with the debounce skipped (``refresh_now``). Last, it shows that
many provinces not shown before (``new``), whose charts are still to draw:
the first page and the complete page are timed.
"""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path

STARTED = time.time()


def _wait_ready(window, timeout_s: float = 60.0) -> bool:
    from PySide6.QtCore import QEventLoop, QTimer

    panel = window.preview_panel
    if not panel.is_busy():
        return True
    loop = QEventLoop()
    done = {"ok": False}

    def finished(*_args) -> None:
        if not panel.is_busy():
            done["ok"] = True
            loop.quit()

    panel.ready.connect(finished)
    panel.failed.connect(finished)
    QTimer.singleShot(int(timeout_s * 1000), loop.quit)
    loop.exec()
    panel.ready.disconnect(finished)
    panel.failed.disconnect(finished)
    return done["ok"]


def _change(window, selection, skip_debounce: bool) -> dict[str, float]:
    shown: list[float] = []

    def first_page() -> None:
        shown.append(time.perf_counter())

    window.preview_panel.shown.connect(first_page)
    start = time.perf_counter()
    window.show_selection(selection)
    outlined = time.perf_counter()
    if skip_debounce:
        window.preview_panel.refresh_now()
    ok = _wait_ready(window)
    end = time.perf_counter()
    window.preview_panel.shown.disconnect(first_page)
    return {
        "outline_ms": (outlined - start) * 1000,
        "first_page_ms": ((shown[0] if shown else end) - start) * 1000,
        "preview_ms": (end - start) * 1000,
        "ok": ok,
    }


def main(argv: list[str]) -> int:
    db_path, ini = Path(argv[0]), Path(argv[1])
    changes = int(argv[2]) if len(argv) > 2 else 0
    from PySide6.QtWidgets import QApplication

    from briefing_app.assembly import Selection
    from briefing_app.gui.app import application
    from briefing_app.gui.main_window import MainWindow
    from briefing_app.gui.settings import AppSettings
    from briefing_app.store import open_store

    marks: dict[str, object] = {"process_started": STARTED, "imported": time.time()}
    app = application()
    settings = AppSettings.at(ini)
    with open_store(db_path) as store:
        marks["store_open"] = time.time()
        window = MainWindow(store, settings)
        window.show()
        app.processEvents()
        marks["shown"] = time.time()
        marks["first_preview_ok"] = _wait_ready(window)
        marks["first_preview"] = time.time()
        selections = (
            Selection(country="CN", region="zhejiang", sectors=("automotive", "ict")),
            Selection(
                country="CN", region="guangdong", sectors=("human-health", "renewable-energy")
            ),
        )
        runs = []
        if changes:
            # The first build of each selection in a process compiles its
            # section templates and fills caches: measured, but kept apart.
            for selection in selections:
                runs.append({"warmup": True, **_change(window, selection, skip_debounce=True)})
        for n in range(changes):
            runs.append(
                {"debounced": True, **_change(window, selections[n % 2], skip_debounce=False)}
            )
            runs.append(
                {"debounced": False, **_change(window, selections[(n + 1) % 2], skip_debounce=True)}
            )
        # Provinces not shown before: their charts are drawn after the first page.
        provinces = [
            r.slug
            for r in store.regions(country="CN")
            if r.kind == "province" and r.slug not in ("zhejiang", "guangdong")
        ]
        sector_sets = (("automotive", "ict"), ("human-health", "renewable-energy"), ("ict",))
        for n, province in enumerate(provinces[:changes]):
            selection = Selection(country="CN", region=province, sectors=sector_sets[n % 3])
            runs.append({"new": True, **_change(window, selection, skip_debounce=True)})
        marks["changes"] = runs
        window.preview_panel.shutdown()
        window.close()
    QApplication.processEvents()
    print(json.dumps(marks), flush=True)


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
