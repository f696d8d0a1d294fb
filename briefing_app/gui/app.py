"""``briefing-app``: start the desktop application.

``--db PATH`` opens another knowledge base; ``--screenshot PATH`` shows the
main window with a sample selection, waits for the preview, saves a picture
of the window and exits (works with ``QT_QPA_PLATFORM=offscreen``);
``--size WxH`` sets the window's size for that picture (``1024x700`` shows
the application on a small screen).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from PySide6.QtCore import QEventLoop, QTimer
from PySide6.QtGui import QFont, QFontDatabase, QIcon
from PySide6.QtWidgets import QApplication, QMessageBox

from briefing_app import paths
from briefing_app.errors import BriefingError
from briefing_app.gui.settings import APPLICATION, ORGANISATION, AppSettings

SAMPLE_REGION = "pearl-river-delta"
SAMPLE_SECTORS = ("automotive", "ict", "human-health", "renewable-energy")
PREVIEW_WAIT_MS = 60_000
MAIN_SIZE = (1400, 900)
EDITOR_SIZE = (1400, 860)


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="briefing-app", description="Briefing Builder, the desktop application"
    )
    parser.add_argument(
        "--db", type=Path, help="knowledge base file (default: the one in your user data folder)"
    )
    parser.add_argument(
        "--screenshot",
        type=Path,
        metavar="PNG",
        help="show a sample briefing, save a picture of the window to PNG and exit",
    )
    parser.add_argument(
        "--window",
        choices=("main", "section-editor"),
        default="main",
        help="with --screenshot: which window to picture (default: main)",
    )
    parser.add_argument(
        "--size",
        type=_size,
        metavar="WxH",
        help="with --screenshot: the window's size in pixels (default: 1400x900)",
    )
    parser.add_argument(
        "--settings",
        type=Path,
        metavar="INI",
        help="keep settings in this INI file instead of the user's settings",
    )
    return parser.parse_args(argv)


def _size(text: str) -> tuple[int, int]:
    """ "1024x700" -> (1024, 700)."""
    try:
        width, height = (int(part) for part in text.lower().split("x"))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected WIDTHxHEIGHT, e.g. 1024x700, not {text!r}"
        ) from None
    if not (320 <= width <= 8000 and 240 <= height <= 8000):
        raise argparse.ArgumentTypeError(f"{text}: between 320x240 and 8000x8000, please")
    return width, height


def register_fonts() -> list[str]:
    """Make the bundled fonts available so Chinese shows in every widget."""
    families: list[str] = []
    for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf", "wqy-microhei.ttc"):
        font_id = QFontDatabase.addApplicationFont(str(paths.fonts_dir() / name))
        if font_id >= 0:
            families += QFontDatabase.applicationFontFamilies(font_id)
    if "WenQuanYi Micro Hei" in families:
        # Qt falls back per character along this list: Latin from the first
        # family, CJK from the second.
        font = QApplication.font()
        font.setFamilies(["DejaVu Sans", "WenQuanYi Micro Hei"])
        QApplication.setFont(font)
        QFont.insertSubstitution("DejaVu Sans", "WenQuanYi Micro Hei")
    return families


def application() -> QApplication:
    app = QApplication.instance() or QApplication(sys.argv[:1])
    app.setOrganizationName(ORGANISATION)
    app.setApplicationName(APPLICATION)
    app.setApplicationDisplayName("Briefing Builder")
    icon = paths.resources_dir() / "icons" / "briefing-builder.svg"
    if icon.exists():
        app.setWindowIcon(QIcon(str(icon)))
    register_fonts()
    return app


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    app = application()
    settings = AppSettings.at(args.settings) if args.settings else AppSettings()
    db_path = args.db or settings.database_path or paths.default_db_path()
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if args.screenshot and args.window == "section-editor":
        return take_editor_screenshot(db_path, args.screenshot, args.size or EDITOR_SIZE)
    if args.screenshot:
        return take_screenshot(db_path, settings, args.screenshot, args.size or MAIN_SIZE)

    from briefing_app.gui.main_window import MainWindow
    from briefing_app.gui.store_opening import open_store_interactively

    try:
        store = open_store_interactively(db_path)
    except BriefingError as exc:
        QMessageBox.critical(
            None, "Briefing Builder", f"The knowledge base cannot be opened:\n{exc}"
        )
        return 1
    if store is None:
        return 1
    with store:
        window = MainWindow(store, settings)
        window.show()
        return app.exec()


def sample_selection(store):
    """Pearl River Delta (or the whole country) with four sectors, as shipped."""
    from briefing_app.assembly.selection import Selection

    regions = {r.slug for r in store.regions(country="CN")}
    sectors = {s.slug for s in store.sectors()}
    return Selection(
        country="CN",
        region=SAMPLE_REGION if SAMPLE_REGION in regions else "",
        sectors=tuple(s for s in SAMPLE_SECTORS if s in sectors),
    )


def _store_or_say_why(db_path: Path):
    """The store for a screenshot, or None after telling why it cannot be opened."""
    from briefing_app.store import open_store

    try:
        return open_store(db_path)
    except BriefingError as exc:
        print(f"briefing-app: the knowledge base cannot be opened: {exc}", file=sys.stderr)
        return None


def take_editor_screenshot(db_path: Path, target: Path, size=EDITOR_SIZE) -> int:
    """Show the section editor on a sample section and save it as PNG."""
    from briefing_app.gui.section_editor import save_screenshot

    store = _store_or_say_why(db_path)
    if store is None:
        return 2
    with store:
        save_screenshot(store, target, selection=sample_selection(store), size=size)
    return 0


def take_screenshot(db_path: Path, settings: AppSettings, target: Path, size=MAIN_SIZE) -> int:
    """Show the sample briefing, wait for its preview, save the window as PNG."""
    from briefing_app.gui.main_window import MainWindow

    store = _store_or_say_why(db_path)
    if store is None:
        return 2
    with store:
        window = MainWindow(store, settings)
        window.resize(*size)  # the size asked for, whatever the screen
        window.show()
        window.share_columns()
        window.show_selection(sample_selection(store))
        ready = wait_for_preview(window)
        window.grab().save(str(target), "PNG")
        window.preview_panel.shutdown()
        window.close()
    if not ready:
        print(
            "briefing-app: the preview did not finish in time; the picture shows it unfinished",
            file=sys.stderr,
        )
    return 0 if target.exists() else 3


def wait_for_preview(window, timeout_ms: int = PREVIEW_WAIT_MS) -> bool:
    """Run the event loop until the preview shows its newest build."""
    loop = QEventLoop()
    done = {"ready": False}

    def finished(*_args) -> None:
        if not window.preview_panel.is_busy():
            done["ready"] = True
            loop.quit()

    window.preview_panel.ready.connect(finished)
    window.preview_panel.failed.connect(finished)
    QTimer.singleShot(timeout_ms, loop.quit)
    loop.exec()
    QApplication.processEvents()
    return done["ready"]


if __name__ == "__main__":
    sys.exit(main())
