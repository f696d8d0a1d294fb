"""Blueprints: the ordered outline of slots a briefing is planned from.

The YAML format is described in docs/templates.md. Parsing problems are
reported as TemplateError naming the blueprint and, when YAML knows them, the
line and column, because users edit blueprints as text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import yaml

from briefing_app.errors import TemplateError
from briefing_app.yaml_text import load_yaml

REPEATS = ("sectors", "partnerships", "regions")
FRONT_MATTER_KEYS = ("toc", "list_of_figures", "list_of_tables")


@dataclass(frozen=True)
class Slot:
    """One line of a blueprint outline."""

    section: str
    level: int = 1
    repeat: str = ""  # "", "sectors", "partnerships" or "regions"
    annex: bool = False


@dataclass(frozen=True)
class BlueprintSpec:
    slug: str
    name: str
    description: str = ""
    front_matter: dict[str, bool] = field(default_factory=dict)
    cover: dict[str, Any] = field(default_factory=dict)
    slots: tuple[Slot, ...] = ()

    def wants(self, part: str) -> bool:
        """Whether the front matter asks for ``toc``, ``list_of_figures``, ``list_of_tables``."""
        return bool(self.front_matter.get(part, True))


# Parsed blueprints by (text, name): every build and every outline plan reads
# its blueprint, and parsing the YAML costs a few milliseconds each time. The
# specs are only read, so one object may serve every build (and thread).
_PARSED: dict[tuple[str, str], BlueprintSpec] = {}
_PARSED_MAX = 32


def parse_blueprint(text: str, name: str = "blueprint") -> BlueprintSpec:
    """Read a blueprint's YAML text; TemplateError with line/column when malformed."""
    key = (text, name)
    found = _PARSED.get(key)
    if found is None:
        found = _parse(text, name)
        if len(_PARSED) >= _PARSED_MAX:
            _PARSED.clear()  # a long session editing blueprints must not grow it without end
        _PARSED[key] = found
    return found


def _parse(text: str, name: str) -> BlueprintSpec:
    try:
        data = load_yaml(text, keep=True) or {}  # read by every build: kept on disk
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        column = mark.column + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise TemplateError(name, line, column, f"not valid YAML: {problem}") from None
    if not isinstance(data, dict):
        raise TemplateError(
            name, None, None, "a blueprint must be a YAML mapping with an 'outline' list"
        )
    outline = data.get("outline")
    if not isinstance(outline, list) or not outline:
        raise TemplateError(name, None, None, "the blueprint has no 'outline' list of slots")
    slots = tuple(_slot(entry, n, name) for n, entry in enumerate(outline, start=1))
    front = data.get("front_matter") or {}
    if not isinstance(front, dict):
        raise TemplateError(
            name, None, None, "'front_matter' must be a mapping such as {toc: true}"
        )
    cover = data.get("cover") or {}
    if not isinstance(cover, dict):
        raise TemplateError(name, None, None, "'cover' must be a mapping of cover fields")
    slug = str(data.get("slug") or name)
    return BlueprintSpec(
        slug=slug,
        name=str(data.get("name") or slug),
        description=str(data.get("description") or ""),
        front_matter={k: bool(front.get(k, True)) for k in FRONT_MATTER_KEYS},
        cover=cover,
        slots=slots,
    )


def _slot(entry: Any, position: int, name: str) -> Slot:
    where = f"outline entry {position}"
    if isinstance(entry, str):
        entry = {"section": entry}
    if not isinstance(entry, dict) or not entry.get("section"):
        raise TemplateError(name, None, None, f"{where} needs a 'section' key")
    level = entry.get("level", 1)
    if not isinstance(level, int) or not 1 <= level <= 6:
        raise TemplateError(name, None, None, f"{where}: level must be a whole number from 1 to 6")
    repeat = entry.get("repeat") or ""
    if repeat not in ("", *REPEATS):
        raise TemplateError(
            name, None, None, f"{where}: repeat must be one of {', '.join(REPEATS)}"
        )
    return Slot(
        section=str(entry["section"]),
        level=level,
        repeat=repeat,
        annex=bool(entry.get("annex", False)),
    )
