"""`briefing db update-shipped` as a user runs it: a knowledge base built from
an older shipped seed (tests/shipped_seed.py) hears once that newer facts are
shipped, takes them with the command, and its China briefing draws the maps."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pypdf
import pytest
from cli_process import briefing
from shipped_seed import make_old_seed, shipped_rows, table_dump

from briefing_app import cli, cli_shipped
from briefing_app.store import open_store
from briefing_app.store.shipped_marks import ADVICE


@pytest.fixture
def old_db(tmp_path) -> dict:
    """A knowledge base built from the older seed, with one cluster edited."""
    seed = tmp_path / "old-seed"
    changed = make_old_seed(seed)
    path = tmp_path / "kb.sqlite"
    with open_store(path, seed_dir=seed) as store:
        edited = next(c for c in store.records("clusters") if c.slug != changed["original"])
        store.upsert("clusters", dataclasses.replace(edited, name=edited.name + " (our notes)"))
    return {"path": path, "edited": edited.slug, **changed}


def _positions(result) -> dict:
    assert result.returncode == 0, result.stderr
    return {r["slug"]: r["latitude"] for r in json.loads(result.stdout) if r["latitude"]}


def test_advice_dry_run_and_update_from_the_command_line(old_db, tmp_path):
    db = old_db["path"]
    first = briefing("list", "countries", db=db, cwd=tmp_path)
    assert first.returncode == 0
    assert first.stderr.count(ADVICE) == 1

    before = table_dump(db)
    dry = briefing("db", "update-shipped", "--dry-run", db=db, cwd=tmp_path)
    assert dry.returncode == 0, dry.stderr
    assert dry.stderr == ""  # the command is the advice taken: not said again
    assert dry.stdout.startswith("Dry run: nothing was changed")
    assert table_dump(db) == before
    assert _positions(briefing("list", "regions", "--json", db=db, cwd=tmp_path)) == {}

    done = briefing("db", "update-shipped", db=db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "Updated from the shipped knowledge base."
    assert any(line.startswith("  regions: ") and " updated" in line for line in lines)
    assert "  clusters: 1 removed, 1 kept as yours" in lines
    assert f"  clusters {old_db['edited']} (edited by you): name" in lines
    assert lines[-1].startswith("A backup was taken first: ")
    assert dry.stdout.splitlines()[1:] == lines[1:-1]

    after = briefing("list", "regions", "--json", db=db, cwd=tmp_path)
    assert after.stderr == ""  # no advice once updated
    shipped = {r["slug"]: float(r["latitude"]) for r in shipped_rows("regions") if r["latitude"]}
    assert _positions(after) == shipped


def test_a_bad_take_shipped_is_refused_and_changes_nothing(old_db, tmp_path):
    db = old_db["path"]
    before = table_dump(db)
    result = briefing("db", "update-shipped", "--take-shipped", "clusters", db=db, cwd=tmp_path)
    assert result.returncode == 1
    assert "--take-shipped 'clusters': give ENTITY/SLUG" in result.stderr
    assert "Traceback" not in result.stderr
    assert table_dump(db) == before


def test_update_options_on_another_db_action_are_refused(old_db, capsys):
    code = cli.main(["db", "check", "--dry-run", "--db", str(old_db["path"])])
    err = capsys.readouterr().err
    assert code == 1
    assert (
        "--dry-run is an option of `briefing db update-shipped`, not of `briefing db check`" in err
    )


def test_the_advice_is_said_once_per_process(old_db, capsys, monkeypatch):
    monkeypatch.setattr(cli_shipped, "_advised", False)  # a fresh process
    db = str(old_db["path"])
    assert cli.main(["list", "countries", "--db", db]) == 0
    assert cli.main(["list", "sectors", "--db", db]) == 0
    assert capsys.readouterr().err.count(ADVICE) == 1


def _pdf_text(folder: Path) -> str:
    (pdf,) = folder.glob("*.pdf")
    return "\n".join(page.extract_text() or "" for page in pypdf.PdfReader(pdf).pages)


def test_a_china_briefing_from_an_updated_old_database_draws_the_maps(old_db, tmp_path):
    db = str(old_db["path"])
    country = shipped_rows("countries")[0]
    caption = f"Clusters by area, {country['name']}"

    def build(folder: Path) -> str:
        args = ["build", "--db", db, "--blueprint", "eccp-preparatory"]
        args += ["--country", country["iso_code"], "--format", "pdf", "--output", f"{folder}/"]
        assert cli.main(args) == 0
        return _pdf_text(folder)

    before = build(tmp_path / "before")
    assert caption not in before  # no positions, no map
    assert "outline: Natural Earth" not in before

    done = briefing("db", "update-shipped", db=old_db["path"], cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    after = build(tmp_path / "after")
    assert caption in after
    assert "outline: Natural Earth" in after
