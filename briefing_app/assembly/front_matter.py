"""Section front matter: the ``key: value`` lines above a section's body.

How a section text's front matter is split off and read (applicability
lists, ``countries`` as ISO codes, ``needs``), with a clear TemplateError
naming the section for anything malformed; and what the store does not keep
of the shipped section files' front matter (``variant_of``, ``countries``,
``needs``), read from the files and kept until they change.

:mod:`briefing_app.assembly.library` turns what is read here into templates.
"""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

import yaml

from briefing_app import paths
from briefing_app.errors import TemplateError, unknown_message
from briefing_app.yaml_text import load_yaml


def split_front_matter(
    text: str, name: str = "section", keep: bool = False
) -> tuple[dict[str, Any], str, int]:
    """(front matter, body, line of the body's first line) of a section text;
    ``keep`` as for ``yaml_text.load_yaml`` (a shipped file read by every build)."""
    text = text.removeprefix("\ufeff")
    lines = text.splitlines(keepends=True)
    if not lines or lines[0].strip() != "---":
        return {}, text, 1
    for end in range(1, len(lines)):
        if lines[end].strip() == "---":
            try:
                meta = load_yaml("".join(lines[1:end]), keep=keep) or {}
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


FRONT_MATTER_KEYS = (
    "key",
    "title",
    "countries",
    "sectors",
    "regions",
    "partnerships",
    "variant_of",
    "needs",
)


def opens_with_front_matter(body: str) -> bool:
    """Whether ``body`` starts with a front matter's opening ``---`` line."""
    return body.lstrip("\ufeff").startswith("---")


_SHIPPED_LOCK = threading.Lock()
_Shipped = tuple[dict[str, str], dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]
_SHIPPED: dict[str, tuple[float, _Shipped]] = {}


def shipped_variants(folder: Path | None = None) -> dict[str, str]:
    """key -> variant_of for the shipped section files (re-read when they change)."""
    return shipped_front_matter(folder)[0]


def shipped_countries(folder: Path | None = None) -> dict[str, tuple[str, ...]]:
    """key -> countries (ISO codes) for the shipped section files that name some."""
    return shipped_front_matter(folder)[1]


def shipped_needs(folder: Path | None = None) -> dict[str, tuple[str, ...]]:
    """key -> needs for the shipped section files that declare some."""
    return shipped_front_matter(folder)[2]


def shipped_front_matter(folder: Path | None) -> _Shipped:
    """What the store does not keep of the shipped files' front matter."""
    folder = folder or paths.sections_dir()
    files = sorted(folder.rglob("*.md")) if folder.is_dir() else []
    stamp = max((p.stat().st_mtime for p in files), default=0.0) + len(files)
    with _SHIPPED_LOCK:
        cached = _SHIPPED.get(str(folder))
        if cached and cached[0] == stamp:
            return cached[1]
    variants: dict[str, str] = {}
    countries: dict[str, tuple[str, ...]] = {}
    needs: dict[str, tuple[str, ...]] = {}
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
            meta, _body, _line = split_front_matter(text, path.stem, keep=True)
        except (OSError, UnicodeDecodeError, TemplateError):
            continue  # a broken shipped file is the store's to report
        key = str(meta.get("key") or path.stem)
        if meta.get("variant_of"):
            variants[key] = str(meta["variant_of"])
        try:
            codes = country_codes(meta.get("countries"), key)
        except TemplateError:
            codes = ()  # the section editor's list names the problem
        if codes:
            countries[key] = codes
        try:
            wanted = declared_needs(meta.get("needs"), key)
        except TemplateError:
            wanted = ()  # the section editor's list names the problem
        if wanted:
            needs[key] = wanted
    with _SHIPPED_LOCK:
        _SHIPPED[str(folder)] = (stamp, (variants, countries, needs))
    return variants, countries, needs


def listed_slugs(value: Any) -> tuple[str, ...]:
    if value in (None, ""):
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(str(v) for v in value)


def country_codes(value: Any, name: str) -> tuple[str, ...]:
    """Country codes as written (``CN``, ``[CN, HK]``), upper case; a
    TemplateError naming the section for anything else."""
    if value in (None, ""):
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TemplateError(
            name, None, None, "countries must be a list of ISO country codes, such as [CN]"
        )
    return tuple(code.strip().upper() for code in values if code.strip())


def declared_needs(value: Any, name: str) -> tuple[str, ...]:
    """What a section needs (``needs: [profiles]``), each one of
    :data:`~briefing_app.assembly.needs.NEEDS`; a TemplateError naming the
    section for anything else."""
    from briefing_app.assembly.needs import NEEDS

    if value in (None, ""):
        return ()
    values = [value] if isinstance(value, str) else value
    if not isinstance(values, list) or not all(isinstance(v, str) for v in values):
        raise TemplateError(name, None, None, "needs must be a list, such as [profiles]")
    unknown = [v for v in values if v.strip() not in NEEDS]
    if unknown:
        raise TemplateError(
            name,
            None,
            None,
            f"needs: {unknown_message('need', unknown[0].strip(), sorted(NEEDS))} "
            f"(a section may need {', '.join(sorted(NEEDS))})",
        )
    return tuple(v.strip() for v in values)
