"""Windows that fit the screen they open on, and file dialogs that open where
the user keeps files.

Every window asks for a comfortable size and gets at most the room the screen
has (a 1366x768 laptop, a 1024x700 projector); every file dialog opens in the
folder the user last chose, or in their documents folder, never in whatever
folder the application happened to be started from.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import QStandardPaths
from PySide6.QtGui import QGuiApplication
from PySide6.QtWidgets import QWidget

from briefing_app.gui import settings as keys
from briefing_app.gui.settings import AppSettings

# Room left for the window frame and title bar the window system adds.
FRAME_ALLOWANCE = (16, 40)


def available_area(widget: QWidget):
    """The usable geometry of the screen ``widget`` (or its parent) is on."""
    for candidate in (widget, widget.parentWidget()):
        screen = candidate.screen() if candidate is not None else None
        if screen is not None:
            return screen.availableGeometry()
    return QGuiApplication.primaryScreen().availableGeometry()


def fit_to_screen(widget: QWidget, width: int, height: int) -> None:
    """Resize ``widget`` to ``width`` x ``height``, or less where the screen is
    smaller, frame included; never below what its layout needs to work."""
    area = available_area(widget)
    room_w = max(320, area.width() - FRAME_ALLOWANCE[0])
    room_h = max(240, area.height() - FRAME_ALLOWANCE[1])
    widget.resize(min(width, room_w), min(height, room_h))


# --- where file dialogs open ------------------------------------------------


def documents_folder() -> Path:
    """The user's documents folder (the home folder where there is none)."""
    found = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.DocumentsLocation)
    folder = Path(found) if found else Path.home()
    return folder if folder.is_dir() else Path.home()


def settings_of(widget: QWidget | None) -> AppSettings | None:
    """The application settings held by ``widget`` or a window above it."""
    while widget is not None:
        held = getattr(widget, "settings", None)
        if isinstance(held, AppSettings):
            return held
        widget = widget.parentWidget()
    return None


def start_folder(widget: QWidget | None) -> str:
    """Where a file dialog opened from ``widget`` should start."""
    settings = settings_of(widget)
    last = settings.get(keys.LAST_FOLDER) if settings is not None else ""
    if last and Path(last).is_dir():
        return last
    return str(documents_folder())


def remember_folder(widget: QWidget | None, chosen: str | Path) -> None:
    """Remember the folder of ``chosen`` (a file or folder) for the next dialog."""
    if not chosen:
        return
    path = Path(chosen)
    folder = path if path.is_dir() else path.parent
    settings = settings_of(widget)
    if settings is not None and folder.is_dir():
        settings.set(keys.LAST_FOLDER, str(folder))
