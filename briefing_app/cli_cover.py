"""The cover of a briefing from the command line: ``--cover FILE`` and one
option per field, the same fields as the application's cover form.

    briefing build --country CN --cover cover.yaml --version V2 --actual-date 2026-12-05

The file is YAML (or JSON, which YAML reads too): ``field: value`` lines with
the field names of :class:`briefing_app.assembly.selection.Cover`, or their
option spellings (``work-package`` for ``work_package``). Options win over
the file, the file over a saved briefing's cover, and empty fields take the
blueprint's defaults, as in the application.
"""

from __future__ import annotations

import argparse
import dataclasses
import datetime
from pathlib import Path
from typing import Any

from briefing_app.errors import BriefingError, unknown_message

MAX_COVER_BYTES = 64 * 1024

# field -> help; the order of the application's cover form.
FIELDS = {
    "title": "cover title (default: the blueprint's)",
    "subtitle": "line under the title",
    "deliverable": "deliverable title",
    "work_package": "work package, e.g. WP3",
    "lead": "deliverable lead (also the document's author)",
    "reviewed_by": "reviewer",
    "contractual_date": "contractual delivery date",
    "actual_date": "actual delivery date",
    "version": "version, e.g. V2",
    "project_name": "project name",
    "acronym": "project acronym",
    "abstract": "abstract printed on the cover",
}


def add_cover_options(p: argparse.ArgumentParser) -> None:
    group = p.add_argument_group(
        "cover", "the cover's fields (as in the application's Cover tab); options win over --cover"
    )
    group.add_argument(
        "--cover", metavar="FILE", type=Path, help="a YAML or JSON file of cover fields"
    )
    for field, text in FIELDS.items():
        group.add_argument(f"--{field.replace('_', '-')}", dest=f"cover_{field}", help=text)


def cover_fields(args: argparse.Namespace) -> dict[str, str]:
    """The cover fields the user gave: the file's, then the options'."""
    fields = read_cover_file(args.cover) if getattr(args, "cover", None) else {}
    for field in FIELDS:
        value = getattr(args, f"cover_{field}", None)
        if value is not None:
            fields[field] = value
    return fields


def apply_cover(cover: Any, fields: dict[str, str]) -> Any:
    """``cover`` with ``fields`` put in (a Cover is frozen)."""
    return dataclasses.replace(cover, **fields) if fields else cover


def read_cover_file(path: Path) -> dict[str, str]:
    import yaml

    from briefing_app.yaml_text import load_yaml

    try:
        if path.stat().st_size > MAX_COVER_BYTES:
            raise BriefingError(
                f"{path} is larger than {MAX_COVER_BYTES // 1024} KB; a cover file holds a "
                "few fields"
            )
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError) as exc:
        reason = getattr(exc, "strerror", None) or exc
        raise BriefingError(f"cannot read the cover file {path}: {reason}") from exc
    try:
        data = load_yaml(text)  # the project's one YAML reader: no aliases, bounded
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise BriefingError(f"the cover file {path} is not valid YAML{where}: {problem}") from None
    if data is None:
        return {}
    if not isinstance(data, dict):
        raise BriefingError(f"the cover file {path} must hold 'field: value' lines")
    fields: dict[str, str] = {}
    for key, value in data.items():
        field = str(key).strip().replace("-", "_").lower()
        if field not in FIELDS:
            hint = unknown_message("cover field", str(key), FIELDS)
            end = "" if hint.endswith("?") else "."
            raise BriefingError(f"{path}: {hint}{end} Fields: {', '.join(FIELDS)}")
        fields[field] = _text(value, path, field)
    return fields


def _text(value: Any, path: Path, field: str) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, bool) or not isinstance(value, str | int | float):
        raise BriefingError(f"{path}: {field} must be a text, not a list or a mapping")
    return str(value)
