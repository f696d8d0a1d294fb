"""The one place that knows where things live.

Shipped files (templates, resources, the seed data) sit beside the package in
the source tree; ``BRIEFING_HOME`` points elsewhere when they were moved. The
user's own data (the database, backups) lives in the platform's user data
folder unless a path is given.
"""

from __future__ import annotations

import os
from pathlib import Path

import platformdirs

APP_NAME = "BriefingBuilder"
APP_AUTHOR = "BriefingBuilder"


def project_root() -> Path:
    """The folder holding ``templates/``, ``resources/`` and ``db/``."""
    override = os.environ.get("BRIEFING_HOME")
    if override:
        return Path(override)
    return Path(__file__).resolve().parent.parent


def templates_dir() -> Path:
    return project_root() / "templates"


def sections_dir() -> Path:
    return templates_dir() / "sections"


def blueprints_dir() -> Path:
    return templates_dir() / "blueprints"


def reference_docx() -> Path:
    return templates_dir() / "reference.docx"


def theme_file() -> Path:
    return templates_dir() / "theme.yaml"


def resources_dir() -> Path:
    return project_root() / "resources"


def fonts_dir() -> Path:
    return resources_dir() / "fonts"


def seed_dir() -> Path:
    return project_root() / "db" / "seed"


def user_data_dir() -> Path:
    return Path(platformdirs.user_data_dir(APP_NAME, APP_AUTHOR))


def user_cache_dir() -> Path:
    """Where work that can be redone is kept between runs (compiled templates,
    drawn charts); ``BRIEFING_CACHE`` overrides it. Deleting it loses nothing."""
    override = os.environ.get("BRIEFING_CACHE")
    if override:
        return Path(override)
    return Path(platformdirs.user_cache_dir(APP_NAME, APP_AUTHOR))


def default_db_path() -> Path:
    """The user's knowledge base; ``BRIEFING_DB`` overrides it."""
    override = os.environ.get("BRIEFING_DB")
    if override:
        return Path(override)
    return user_data_dir() / "briefing.sqlite"


def backups_dir(db_path: Path) -> Path:
    """Backups sit beside the database they protect."""
    return db_path.parent / "backups"
