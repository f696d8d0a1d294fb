"""Reading the shipped section library and blueprints from ``templates/``.

A section file is Markdown with a YAML front matter between two ``---``
lines (``key``, ``title``, ``sectors``, ``regions``, ``partnerships``); the
body follows. A blueprint file is YAML with top-level ``slug``, ``name`` and
``description``; its whole text is kept as the outline the user sees.
"""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from pathlib import Path

import yaml

from briefing_app.errors import StoreError
from briefing_app.store.records import Blueprint
from briefing_app.yaml_text import load_yaml

_RACY_SECONDS = 3  # see listing_digest


@dataclass(frozen=True)
class ShippedSection:
    slug: str
    title: str
    body: str
    sectors: tuple[str, ...]
    regions: tuple[str, ...]
    partnerships: tuple[str, ...]
    path: Path


def _as_slugs(value: object, key: str, path: Path) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        return (value,)
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return tuple(value)
    raise StoreError(f"section file {path}: '{key}' must be a list of slugs")


def split_front_matter(text: str, path: Path) -> tuple[dict, str]:
    """(front matter, body) of a section file."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            try:
                meta = load_yaml("".join(lines[1:end])) or {}
            except yaml.YAMLError as exc:
                raise StoreError(
                    f"section file {path}: front matter is not valid YAML ({exc})"
                ) from exc
            if not isinstance(meta, dict):
                raise StoreError(f"section file {path}: front matter must be key: value lines")
            return meta, "".join(lines[end + 1 :]).lstrip("\n")
    raise StoreError(f"section file {path}: front matter has no closing '---' line")


def read_section(path: Path) -> ShippedSection:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise StoreError(f"cannot read section file {path}: {exc}") from exc
    meta, body = split_front_matter(text, path)
    slug = str(meta.get("key") or path.stem)
    return ShippedSection(
        slug=slug,
        title=str(meta.get("title") or slug.replace("-", " ").capitalize()),
        body=body,
        sectors=_as_slugs(meta.get("sectors"), "sectors", path),
        regions=_as_slugs(meta.get("regions"), "regions", path),
        partnerships=_as_slugs(meta.get("partnerships"), "partnerships", path),
        path=path,
    )


def shipped_sections(folder: Path) -> list[ShippedSection]:
    """Every section under ``folder`` (recursively); StoreError on a clash of keys."""
    if not folder.is_dir():
        return []
    found: dict[str, ShippedSection] = {}
    for path in sorted(folder.rglob("*.md")):
        section = read_section(path)
        if section.slug in found:
            raise StoreError(
                f"section key {section.slug!r} is used by both {found[section.slug].path} "
                f"and {path}"
            )
        found[section.slug] = section
    return list(found.values())


def read_blueprint(path: Path) -> Blueprint:
    try:
        text = path.read_text(encoding="utf-8")
        data = load_yaml(text) or {}
    except (OSError, UnicodeDecodeError, yaml.YAMLError) as exc:
        raise StoreError(f"cannot read blueprint file {path}: {exc}") from exc
    if not isinstance(data, dict):
        raise StoreError(f"blueprint file {path} must be a YAML mapping")
    slug = str(data.get("slug") or path.stem)
    return Blueprint(
        slug=slug,
        name=str(data.get("name") or slug),
        description=str(data.get("description") or ""),
        outline_yaml=text,
    )


def shipped_blueprints(folder: Path) -> list[Blueprint]:
    if not folder.is_dir():
        return []
    return [read_blueprint(p) for p in sorted([*folder.glob("*.yaml"), *folder.glob("*.yml")])]


def listing_digest(sections_dir: Path, blueprints_dir: Path) -> str | None:
    """A digest of what the shipped folders hold: each file's path, size and
    modification time (nanoseconds). Any file added, removed, renamed,
    rewritten or touched gives another digest; reading no file, it costs a
    directory walk (a millisecond for the shipped library).

    None when a file was modified in the last :data:`_RACY_SECONDS`: a file
    system with coarse times could then hold a second edit of the same size
    under the same time (as git treats "racily clean" files).
    """
    digest = hashlib.sha256()
    newest_allowed = time.time_ns() - _RACY_SECONDS * 1_000_000_000
    for folder, patterns in ((sections_dir, ("**/*.md",)), (blueprints_dir, ("*.yaml", "*.yml"))):
        digest.update(f"{folder.resolve()}\0".encode("utf-8", "surrogatepass"))
        if not folder.is_dir():
            continue
        found = sorted({path for pattern in patterns for path in folder.glob(pattern)})
        for path in found:
            try:
                info = path.stat()
            except OSError:
                return None  # the full comparison reads it and says what is wrong
            if info.st_mtime_ns > newest_allowed:
                return None
            entry = f"{path.relative_to(folder).as_posix()}\0{info.st_size}\0{info.st_mtime_ns}\0"
            digest.update(entry.encode("utf-8", "surrogatepass"))
    return digest.hexdigest()
