"""Every user setting of the desktop application, declared once.

Each :class:`Setting` names its QSettings key, its Python type and its default;
reading converts what QSettings hands back (INI files return strings, lists
come back as a lone string when they hold one item) into that type, so the
rest of the GUI never guesses. :class:`AppSettings` groups the declarations
over one ``QSettings`` object; tests pass one backed by a temporary INI file.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PySide6.QtCore import QSettings

ORGANISATION = "BriefingBuilder"
APPLICATION = "BriefingBuilder"
PAGE_SIZES = ("A4", "Letter")
EXPORT_FORMATS = ("docx", "pdf", "both")
RECENT_LIMIT = 8


@dataclass(frozen=True)
class Setting:
    """One persisted value: its key, type and default."""

    key: str
    kind: type
    default: Any
    label: str = ""

    def read(self, store: QSettings) -> Any:
        raw = store.value(self.key, None)
        if raw is None:
            return _copy(self.default)
        try:
            return _convert(raw, self.kind)
        except (TypeError, ValueError):
            # A hand-edited or older settings file must not stop the window opening.
            return _copy(self.default)

    def write(self, store: QSettings, value: Any) -> None:
        store.setValue(self.key, list(value) if self.kind is list else value)


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, list) else value


def _convert(raw: Any, kind: type) -> Any:
    if kind is bool:
        if isinstance(raw, str):
            return raw.strip().lower() in {"1", "true", "yes", "on"}
        return bool(raw)
    if kind is int:
        return int(raw)
    if kind is list:
        if isinstance(raw, str):
            return [raw] if raw else []
        return [str(item) for item in raw]
    return str(raw)


def _documents_folder() -> str:
    documents = Path.home() / "Documents"
    return str(documents if documents.is_dir() else Path.home())


OUTPUT_FOLDER = Setting("export/output_folder", str, _documents_folder(), "Default output folder")
PAGE_SIZE = Setting("export/page_size", str, "A4", "Page size")
EXPORT_FORMAT = Setting("export/format", str, "both", "Export format")
AUTHOR = Setting("cover/author", str, "", "Author (briefing lead)")
DATABASE_PATH = Setting("store/database_path", str, "", "Knowledge base location")
RECENT_BRIEFINGS = Setting("briefings/recent", list, [], "Recent briefings")
WINDOW_GEOMETRY = Setting("window/geometry", str, "", "")
SPLITTER_STATE = Setting("window/splitter", str, "", "")
LAST_FOLDER = Setting("files/last_folder", str, "", "Folder of the last file chosen")

ALL_SETTINGS = (
    OUTPUT_FOLDER,
    PAGE_SIZE,
    EXPORT_FORMAT,
    AUTHOR,
    DATABASE_PATH,
    RECENT_BRIEFINGS,
    WINDOW_GEOMETRY,
    SPLITTER_STATE,
    LAST_FOLDER,
)


class AppSettings:
    """Typed access to the application's settings over one QSettings object."""

    def __init__(self, qsettings: QSettings | None = None):
        self.qsettings = qsettings or QSettings(
            QSettings.Format.IniFormat, QSettings.Scope.UserScope, ORGANISATION, APPLICATION
        )

    @classmethod
    def at(cls, path: Path | str) -> AppSettings:
        """Settings kept in the INI file ``path`` (tests, portable installs)."""
        return cls(QSettings(str(path), QSettings.Format.IniFormat))

    def get(self, setting: Setting) -> Any:
        return setting.read(self.qsettings)

    def set(self, setting: Setting, value: Any) -> None:
        setting.write(self.qsettings, value)

    def sync(self) -> None:
        self.qsettings.sync()

    # --- conveniences with a little logic of their own ---------------------

    @property
    def output_folder(self) -> Path:
        return Path(self.get(OUTPUT_FOLDER))

    @property
    def page_size(self) -> str:
        value = self.get(PAGE_SIZE)
        return value if value in PAGE_SIZES else PAGE_SIZE.default

    @property
    def author(self) -> str:
        return self.get(AUTHOR)

    @property
    def database_path(self) -> Path | None:
        value = self.get(DATABASE_PATH)
        return Path(value) if value else None

    def recent_briefings(self) -> list[str]:
        """Slugs of briefings opened or saved lately, newest first."""
        return self.get(RECENT_BRIEFINGS)

    def remember_briefing(self, slug: str) -> None:
        recent = [s for s in self.recent_briefings() if s != slug]
        self.set(RECENT_BRIEFINGS, [slug, *recent][:RECENT_LIMIT])

    def forget_briefing(self, slug: str) -> None:
        self.set(RECENT_BRIEFINGS, [s for s in self.recent_briefings() if s != slug])
