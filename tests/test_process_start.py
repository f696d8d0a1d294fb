"""A ``briefing`` command is a new process each time (issue 16): it must not
load what its job does not need, and what it keeps between runs (compiled
templates, chart pictures, parsed fonts) must never be served stale.

The speed itself is measured in ``benchmarks/`` (whole processes beside
LibreOffice); these tests guard the mechanisms that give it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import docx
import pypdf

from briefing_app import disk_cache, paths

CHINA = [
    "build",
    "--blueprint",
    "eccp-preparatory",
    "--country",
    "CN",
    "--sector",
    "automotive",
    "--sector",
    "human-health",
    "--sector",
    "renewable-energy",
    "--sector",
    "ict",
]

_PROBE = """
import json, sys
from briefing_app.cli import main
status = main(sys.argv[1:])
heavy = ("matplotlib", "numpy", "PySide6", "pandas", "snowballstemmer")
print(json.dumps({"status": status, "loaded": [m for m in heavy if m in sys.modules]}))
"""


def _run_build(args: list[str], env_cache: Path | str, db: Path) -> dict:
    env = {**_environ(), "BRIEFING_CACHE": str(env_cache), "BRIEFING_DB": str(db)}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE, *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def _only(folder: Path, suffix: str) -> Path:
    (found,) = folder.glob(f"*.{suffix}")
    return found


def _environ() -> dict[str, str]:
    import os

    env = dict(os.environ)
    env["PYTHONPATH"] = str(paths.project_root()) + (
        os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else ""
    )
    return env


def test_a_pdf_build_loads_neither_matplotlib_nor_qt_nor_numpy(tmp_path: Path) -> None:
    """Charts in the PDF are ReportLab drawings, the store needs no numpy:
    even a first build with an empty cache loads none of them."""
    out = tmp_path / "out"
    result = _run_build(
        [*CHINA, "--format", "pdf", "--output", f"{out}/"],
        tmp_path / "cache",
        tmp_path / "kb.sqlite",
    )
    assert result["status"] == 0
    assert result["loaded"] == []  # nor the partner finder's stemmer: no visitors here
    assert _only(out, "pdf").stat().st_size > 100_000


def test_a_briefing_with_visitors_loads_the_partner_finder(tmp_path: Path) -> None:
    """The partner finder is imported when a template first asks for it."""
    from briefing_app.store import open_store

    db = tmp_path / "kb.sqlite"
    with open_store(db) as store:
        store.import_file("profiles", Path(__file__).parent / "partners" / "profiles.csv")
        profile = store.records("profiles")[0].slug
    out = tmp_path / "out"
    result = _run_build(
        [*CHINA, "--profile", profile, "--format", "pdf", "--output", f"{out}/"],
        tmp_path / "cache",
        db,
    )
    assert result["status"] == 0
    assert result["loaded"] == ["snowballstemmer"]


def test_a_second_word_build_draws_no_chart(tmp_path: Path) -> None:
    """The first Word build draws its charts with matplotlib; the next
    process finds the same pictures on disk and never loads it."""
    cache, db, out = tmp_path / "cache", tmp_path / "kb.sqlite", tmp_path / "out"
    args = [*CHINA, "--format", "docx", "--output", f"{out}/"]
    first = _run_build(args, cache, db)
    assert "matplotlib" in first["loaded"]
    second = _run_build(args, cache, db)
    assert second["status"] == 0 and second["loaded"] == []
    pictures = docx.Document(str(_only(out, "docx"))).inline_shapes
    assert len(pictures) >= 4


def test_kept_work_gives_the_same_briefing_as_none(tmp_path: Path) -> None:
    """The reference briefing's text, built with every cache off and then
    twice with one cache (filled, then used), is the same in all three."""
    db = tmp_path / "kb.sqlite"
    texts = []
    for n, cache in enumerate(["off", tmp_path / "cache", tmp_path / "cache"]):
        out = tmp_path / f"out{n}"
        result = _run_build(
            [*CHINA, "--format", "pdf", "--format", "docx", "--output", f"{out}/"], cache, db
        )
        assert result["status"] == 0
        reader = pypdf.PdfReader(str(_only(out, "pdf")))
        pdf_text = "\n".join(page.extract_text() for page in reader.pages)
        word = docx.Document(str(_only(out, "docx")))
        word_text = "\n".join(p.text for p in word.paragraphs)
        texts.append((pdf_text, word_text))
    assert not (tmp_path / "off").exists()
    assert texts[0] == texts[1] == texts[2]
    assert len(texts[0][0]) > 50_000


def test_the_cache_folder_can_be_turned_off_or_unwritable(tmp_path: Path, monkeypatch) -> None:
    cache = disk_cache.DiskCache("probe")
    monkeypatch.setenv("BRIEFING_CACHE", "off")
    cache.put("ab" * 32, b"data")
    assert cache.get("ab" * 32) is None
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("x")
    monkeypatch.setenv("BRIEFING_CACHE", str(blocked))
    cache.put("ab" * 32, b"data")  # silently skipped: the cache is not data
    assert cache.get("ab" * 32) is None
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path / "cache"))
    cache.put("ab" * 32, b"data")
    assert cache.get("ab" * 32) == b"data"
    assert not list((tmp_path / "cache").rglob(".part-*"))
