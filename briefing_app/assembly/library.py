"""The section library as assembly sees it: templates plus applicability.

Sections come from the store (the user's edited versions). The store keeps
key, title, body and the applicability lists; ``variant_of`` lives in the
front matter of the shipped files, so it is read from there, and also from a
front matter at the top of a stored body when a user pasted one in.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml

from briefing_app import paths
from briefing_app.errors import TemplateError


@dataclass(frozen=True)
class SectionTemplate:
    """A section ready to render; ``first_line`` is the body's line in its file."""

    key: str
    title: str
    body: str
    sectors: tuple[str, ...] = ()
    regions: tuple[str, ...] = ()
    partnerships: tuple[str, ...] = ()
    variant_of: str = ""
    first_line: int = 1


def split_front_matter(text: str, name: str = "section") -> tuple[dict[str, Any], str, int]:
    """(front matter, body, line of the body's first line) of a section text."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            try:
                meta = yaml.safe_load("".join(lines[1:end])) or {}
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                line = mark.line + 2 if mark is not None else None
                raise TemplateError(
                    name, line, None, f"front matter is not valid YAML: {exc}"
                ) from None
            if not isinstance(meta, dict):
                raise TemplateError(name, 2, None, "front matter must be 'key: value' lines")
            return meta, "".join(lines[end + 1 :]), end + 2
    raise TemplateError(name, 1, None, "front matter has no closing '---' line")


def template_from_text(text: str, name: str) -> SectionTemplate:
    """A section file's text (front matter + body) as a template."""
    meta, body, first_line = split_front_matter(text, name)
    key = str(meta.get("key") or name)
    return SectionTemplate(
        key=key,
        title=str(meta.get("title") or key.replace("-", " ").capitalize()),
        body=body,
        sectors=_slugs(meta.get("sectors")),
        regions=_slugs(meta.get("regions")),
        partnerships=_slugs(meta.get("partnerships")),
        variant_of=str(meta.get("variant_of") or ""),
        first_line=first_line,
    )


def template_from_record(section: Any, variants: dict[str, str] | None = None) -> SectionTemplate:
    """A store Section record as a template (``variant_of`` from the shipped files,
    ``variants`` being :func:`shipped_variants` when the caller already has it)."""
    meta, body, first_line = ({}, section.body, 1)
    if section.body.lstrip("\ufeff").startswith("---"):
        meta, body, first_line = split_front_matter(section.body, section.slug)
    known = variants if variants is not None else shipped_variants()
    variant_of = str(
        meta.get("variant_of") or getattr(section, "variant_of", "") or known.get(section.slug, "")
    )
    return SectionTemplate(
        key=section.slug,
        title=str(meta.get("title") or section.title),
        body=body,
        sectors=_slugs(meta.get("sectors")) or tuple(section.sectors),
        regions=_slugs(meta.get("regions")) or tuple(section.regions),
        partnerships=_slugs(meta.get("partnerships")) or tuple(section.partnerships),
        variant_of=variant_of,
        first_line=first_line,
    )


_VARIANTS_LOCK = threading.Lock()
_VARIANTS: dict[str, tuple[float, dict[str, str]]] = {}


def shipped_variants(folder: Path | None = None) -> dict[str, str]:
    """key -> variant_of for the shipped section files (re-read when they change)."""
    folder = folder or paths.sections_dir()
    files = sorted(folder.rglob("*.md")) if folder.is_dir() else []
    stamp = max((p.stat().st_mtime for p in files), default=0.0) + len(files)
    with _VARIANTS_LOCK:
        cached = _VARIANTS.get(str(folder))
        if cached and cached[0] == stamp:
            return cached[1]
    found: dict[str, str] = {}
    for path in files:
        try:
            meta, _body, _line = split_front_matter(path.read_text(encoding="utf-8"), path.stem)
        except (OSError, UnicodeDecodeError, TemplateError):
            continue  # a broken shipped file is the store's to report
        if meta.get("variant_of"):
            found[str(meta.get("key") or path.stem)] = str(meta["variant_of"])
    with _VARIANTS_LOCK:
        _VARIANTS[str(folder)] = (stamp, found)
    return found


def _slugs(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)
