"""The Varnesia test pack, imported as a user would (``briefing import-pack``)
into a knowledge base with the shipped library and no other data."""

from __future__ import annotations

from pathlib import Path

from briefing_app import cli
from briefing_app.store import open_store

PACK = Path(__file__).resolve().parent / "packs" / "varnesia"


def varnesia_db(folder: Path) -> Path:
    """A new knowledge base in ``folder`` holding Varnesia only (shipped sections
    and blueprints, no shipped records), built through the command line."""
    empty = folder / "empty"
    empty.mkdir()
    db = folder / "kb.sqlite"
    open_store(db, seed_dir=empty).close()
    assert cli.main(["import-pack", str(PACK), "--db", str(db)]) == 0
    return db
