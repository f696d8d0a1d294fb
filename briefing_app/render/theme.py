"""The theme: fonts, sizes, colours and margins shared by the renderers."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import yaml

from briefing_app import paths
from briefing_app.errors import RenderError
from briefing_app.yaml_text import load_yaml


@dataclass(frozen=True)
class Theme:
    fonts: dict[str, str] = field(default_factory=dict)
    sizes: dict[str, float] = field(default_factory=dict)
    colours: dict[str, str] = field(default_factory=dict)
    margins_mm: dict[str, float] = field(default_factory=dict)

    def font_path(self, role: str) -> Path:
        """Absolute path of the font file for ``role`` ("body", "cjk", ...)."""
        name = self.fonts[role]
        path = Path(name)
        return path if path.is_absolute() else paths.fonts_dir() / name

    def size(self, role: str) -> float:
        return float(self.sizes[role])

    def colour(self, role: str) -> str:
        return self.colours[role]


def load_theme(path: Path | None = None) -> Theme:
    """Read the theme file; a broken file is a clear error, not a traceback."""
    path = path or paths.theme_file()
    try:
        data = load_yaml(path.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as exc:
        raise RenderError(f"cannot read theme {path}: {exc}") from exc
    try:
        return Theme(
            fonts={k: str(v) for k, v in data["fonts"].items()},
            sizes={k: float(v) for k, v in data["sizes"].items()},
            colours={k: str(v) for k, v in data["colours"].items()},
            margins_mm={k: float(v) for k, v in data["margins_mm"].items()},
        )
    except (KeyError, TypeError, ValueError, AttributeError) as exc:
        raise RenderError(f"theme {path} is missing or has a bad entry: {exc}") from exc
