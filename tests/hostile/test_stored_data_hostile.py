"""What other programs leave in the knowledge base, and what commands hand back.

A byte that is not UTF-8 written into a record by a SQL tool; a search
limit too large for SQLite; record exports and their permissions; a Word
file that cannot be finished because the disk is full. Each time the user
gets a plain message (naming the record where there is one), never a
traceback, and a way out.
"""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from briefing_app.cli import main
from briefing_app.store import open_store, search

REPO = Path(__file__).resolve().parents[2]
BAD = "CAST(x'4861ff6e67' AS TEXT)"  # "Ha", the byte 0xFF, "ng": not UTF-8


def run(capsys, *argv) -> tuple[int, str, str]:
    status = main([str(a) for a in argv])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def write_bad_byte(db: Path, table: str, column: str, slug: str) -> None:
    """What a hand edit in another program can store: text that is not UTF-8."""
    conn = sqlite3.connect(db)
    try:
        conn.execute(f"UPDATE [{table}] SET [{column}] = {BAD} WHERE slug = ?", (slug,))
        conn.commit()
    finally:
        conn.close()


# -- a byte that is not UTF-8 -------------------------------------------------------------------


def test_db_check_names_the_table_record_and_field_and_how_to_fix_it(tiny_store, capsys):
    write_bad_byte(tiny_store.path, "clusters", "name", "cao-nguyen-coffee-cluster")
    status, out, err = run(capsys, "db", "check", "--db", tiny_store.path)
    assert status == 1 and out == ""
    assert (
        "clusters 'cao-nguyen-coffee-cluster', field 'name': holds bytes that are not UTF-8 "
        "text (0xFF at byte 3), written by another program; it reads as 'Ha\ufffdng', with "
        "U+FFFD in their place. To fix it, open the record in the data browser, retype the "
        "value and save it, or import the record again from a good file" in err
    )


def test_list_and_export_work_with_a_replacement_character(tiny_store, tmp_path, capsys):
    write_bad_byte(tiny_store.path, "clusters", "name", "cao-nguyen-coffee-cluster")
    status, out, _ = run(capsys, "list", "clusters", "--json", "--db", tiny_store.path)
    names = {c["slug"]: c["name"] for c in json.loads(out)}
    assert status == 0 and names["cao-nguyen-coffee-cluster"] == "Ha\ufffdng"
    target = tmp_path / "clusters.json"
    status, _, _ = run(capsys, "export", "clusters", "--output", target, "--db", tiny_store.path)
    exported = {c["slug"]: c["name"] for c in json.loads(target.read_text(encoding="utf-8"))}
    assert status == 0 and exported["cao-nguyen-coffee-cluster"] == "Ha\ufffdng"
    status, out, _ = run(capsys, "search", "coffee", "--json", "--db", tiny_store.path)
    assert status == 0


def test_saving_the_record_again_is_the_way_out(tiny_store, capsys):
    write_bad_byte(tiny_store.path, "sources", "title", "freedonia-cluster-survey")
    with open_store(tiny_store.path) as store:
        damaged = store.get("sources", "freedonia-cluster-survey")
        assert damaged.title == "Ha\ufffdng"
        assert len(store.check()) == 1
        store.upsert("sources", damaged.__class__(**{**_fields(damaged), "title": "Hang"}), damaged)
        assert store.check() == []
    status, out, _ = run(capsys, "db", "check", "--db", tiny_store.path)
    assert status == 0 and ": ok (" in out


def _fields(record) -> dict:
    return {name: getattr(record, name) for name in record.__dataclass_fields__}


def test_a_bad_byte_in_a_section_and_in_a_link_value_is_named_too(seeded_db_path, capsys):
    open_store(seeded_db_path).close()  # the first open brings in the section library
    write_bad_byte(seeded_db_path, "sections", "body", "annex-flagships")
    conn = sqlite3.connect(seeded_db_path)
    try:
        slug = conn.execute("SELECT slug FROM sectors WHERE aliases_packed != '' LIMIT 1")
        (sector,) = slug.fetchone()
        conn.execute(f"UPDATE sectors SET aliases_packed = {BAD} WHERE slug = ?", (sector,))
        conn.commit()
    finally:
        conn.close()
    status, _, err = run(capsys, "db", "check", "--db", seeded_db_path)
    assert status == 1
    assert f"sectors {sector!r}, field 'aliases': holds bytes that are not UTF-8" in err
    assert "sections 'annex-flagships', field 'body': holds bytes that are not UTF-8" in err
    assert "open it in the section editor, retype the text and save it" in err


def test_a_build_carries_on_with_a_replacement_character(seeded_db_path, tmp_path, capsys):
    conn = sqlite3.connect(seeded_db_path)
    try:
        (slug,) = conn.execute("SELECT slug FROM clusters WHERE country = 'CN' LIMIT 1").fetchone()
    finally:
        conn.close()
    write_bad_byte(seeded_db_path, "clusters", "name", slug)
    status, out, _ = run(
        capsys, "build", "--country", "CN", "--format", "docx", "--output", tmp_path / "out/",
        "--db", seeded_db_path,
    )  # fmt: skip
    assert status == 0 and out.strip().endswith(".docx") and Path(out.strip()).is_file()


def test_a_damaged_slug_points_to_a_backup_not_to_retyping(tiny_store, capsys):
    write_bad_byte(tiny_store.path, "sectors", "slug", "seaweed")
    status, _, err = run(capsys, "db", "check", "--db", tiny_store.path)
    assert status == 1
    assert (
        "sectors 'Ha\ufffdng', field 'slug': holds bytes that are not UTF-8 text (0xFF at byte "
        "3), written by another program; it reads as 'Ha\ufffdng', with U+FFFD in their place. "
        "To fix it, restore a backup (`briefing db restore`) or correct it in the program that "
        "wrote it" in err
    )
    status, out, _ = run(capsys, "list", "sectors", "--db", tiny_store.path)
    assert status == 0 and "Ha\ufffdng" in out


# -- search limits -------------------------------------------------------------------------------


@pytest.mark.parametrize("limit", ["99999999999999999999", "0", "-1", "1e3", "10001"])
def test_a_search_limit_out_of_range_is_a_usage_error(tiny_store, capsys, limit):
    with pytest.raises(SystemExit) as exited:
        main(["search", "coffee", "--limit", limit, "--db", str(tiny_store.path)])
    err = capsys.readouterr().err
    assert exited.value.code == 2 and "Traceback" not in err
    assert "argument --limit:" in err
    assert "give a number from 1 to 10,000" in err or "is not a whole number" in err


def test_the_store_brings_any_limit_within_range(tiny_store):
    assert len(tiny_store.search("coffee", limit=10**20)) >= 1
    assert tiny_store.search("coffee", limit=-1) == []
    assert search.MAX_HITS == 10_000


# -- permissions of record exports ----------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_a_record_export_gets_the_ordinary_permissions(tiny_store, tmp_path, capsys, fmt):
    old = os.umask(0o022)
    try:
        target = tmp_path / f"clusters.{fmt}"
        status, _, _ = run(
            capsys, "export", "clusters", "--output", target, "--db", tiny_store.path
        )
        assert status == 0 and target.stat().st_mode & 0o777 == 0o644
        os.umask(0o027)
        other = tmp_path / f"other.{fmt}"
        tiny_store.export_file("sources", other, fmt)
        assert other.stat().st_mode & 0o777 == 0o640
    finally:
        os.umask(old)
    os.chmod(target, 0o600)  # a file the user keeps private stays private
    tiny_store.export_file("clusters", target, fmt)
    assert target.stat().st_mode & 0o777 == 0o600
    assert sorted(p.name for p in tmp_path.iterdir() if p.suffix == ".part") == []


# -- a Word file on a full disk ----------------------------------------------------------------

FULL_DISK = textwrap.dedent(
    """
    import resource, signal, sys
    from pathlib import Path
    from briefing_app.document import Document, Metadata, Paragraph, Text
    from briefing_app.errors import RenderError
    from briefing_app.export import export_briefing

    text = "Harbours, lacquer workshops and a seaweed cooperative. " * 40
    document = Document(Metadata(title="Full disk"), tuple(
        Paragraph((Text(f"{i} {text}"),)) for i in range(300)))
    if sys.argv[2] == "0":  # no limit: how large the file is
        print(export_briefing(document, Path(sys.argv[1]), ["docx"])[0].stat().st_size)
        sys.exit()
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # over the limit: EFBIG, as a full disk gives ENOSPC
    resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[2]), resource.RLIM_INFINITY))
    try:
        export_briefing(document, Path(sys.argv[1]), ["docx"])
    except RenderError as exc:
        print("refused:", exc)
    """
)


def test_a_full_disk_while_saving_the_word_file_prints_no_stray_traceback(tmp_path):
    """python-docx leaves its zip open when a write fails; collected later it used to
    print `Exception ignored in: <function ZipFile.__del__ ...>` with a traceback."""
    script = tmp_path / "full_disk.py"
    script.write_text(FULL_DISK, encoding="utf-8")
    env = dict(os.environ, PYTHONPATH=str(REPO))

    def export(target: Path, limit: int) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(script), str(target), str(limit)],
            capture_output=True,
            text=True,
            timeout=120,
            env=env,
            check=False,
        )

    whole = export(tmp_path / "whole.docx", 0)
    size = int(whole.stdout)
    (tmp_path / "whole.docx").unlink()
    for share in (0.2, 0.4, 0.6, 0.8, 0.95):  # the disk fills at different points of the save
        target = tmp_path / f"report-{share}.docx"
        done = export(target, int(size * share))
        assert done.returncode == 0, done.stderr
        assert "refused: cannot write" in done.stdout and "File too large" in done.stdout
        assert "Exception ignored" not in done.stderr and "Traceback" not in done.stderr, (
            done.stderr
        )
        assert not target.exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["full_disk.py"]
