"""``briefing build`` as a trade advisor scripts it (issue 17): the cover from
the command line, saved briefings by name, file names that say what the
briefing is, and plain answers to slips. Run as real processes."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pypdf
import pytest
from cli_process import briefing

from briefing_app.assembly import Cover, Selection
from briefing_app.store import open_store
from briefing_app.store.records import Briefing

BRIEF = ["--blueprint", "delegation-brief", "--country", "CN", "--region", "zhejiang"]


@pytest.fixture
def db(seeded_db_path: Path) -> Path:
    return seeded_db_path


def first_page(pdf: Path) -> str:
    """The cover's text with line breaks as spaces (titles wrap)."""
    return " ".join(pypdf.PdfReader(str(pdf)).pages[0].extract_text().split())


def test_two_selections_get_two_files_and_a_replacement_is_said(db, tmp_path):
    ict = briefing("build", *BRIEF, "--sector", "ict", "--format", "pdf", db=db, cwd=tmp_path)
    cars = briefing(
        "build", *BRIEF, "--sector", "automotive", "--format", "pdf", db=db, cwd=tmp_path
    )
    assert ict.returncode == cars.returncode == 0, ict.stderr + cars.stderr
    written = sorted(p.name for p in (tmp_path / "out").iterdir())
    assert written == [
        "delegation-brief-zhejiang-automotive.pdf",
        "delegation-brief-zhejiang-ict.pdf",
    ]
    assert "replacing" not in ict.stderr + cars.stderr
    again = briefing("build", *BRIEF, "--sector", "ict", "--format", "pdf", db=db, cwd=tmp_path)
    assert again.returncode == 0
    assert f"replacing {Path('out') / 'delegation-brief-zhejiang-ict.pdf'}" in again.stderr


def test_exported_files_are_readable_by_others_as_ordinary_files(db, tmp_path):
    done = briefing(
        "build", *BRIEF, "--format", "pdf", "--output", "brief.pdf", db=db, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    mode = stat.S_IMODE((tmp_path / "brief.pdf").stat().st_mode)
    umask = os.umask(0)
    os.umask(umask)
    assert mode == 0o666 & ~umask


def test_the_output_file_name_decides_the_format_and_a_clash_is_refused(db, tmp_path):
    done = briefing("build", *BRIEF, "--output", "brief.pdf", db=db, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert sorted(p.name for p in tmp_path.glob("brief.*")) == ["brief.pdf"]
    clash = briefing(
        "build", *BRIEF, "--output", "other.pdf", "--format", "docx", db=db, cwd=tmp_path
    )
    assert clash.returncode == 1
    assert "names a .pdf file but --format asks for Word" in clash.stderr
    assert not (tmp_path / "other.docx").exists() and not (tmp_path / "other.pdf").exists()


def test_a_missing_blueprint_is_said_and_unknown_names_get_suggestions(db, tmp_path):
    done = briefing(
        "build", "--country", "CN", "--region", "jilin", "--output", "x.pdf", db=db, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    assert "building the eccp-preparatory blueprint (no --blueprint given" in done.stderr
    assert "Preparatory Briefing on Jilin" in first_page(tmp_path / "x.pdf")
    country = briefing(
        "build", "--blueprint", "delegation-brief", "--country", "Chna", db=db, cwd=tmp_path
    )
    assert country.returncode == 1
    assert (
        "did you mean 'China'" in country.stderr and "Known countries: CN (China)" in country.stderr
    )
    blueprint = briefing("build", "--blueprint", "delegation", db=db, cwd=tmp_path)
    assert blueprint.returncode == 1
    assert "did you mean 'delegation-brief'" in blueprint.stderr
    assert "country-factsheet" in blueprint.stderr  # the whole list follows
    helped = briefing("build", "--help", db=db, cwd=tmp_path)
    assert "delegation-brief" in helped.stdout and "--work-package" in helped.stdout


def test_the_cover_comes_from_a_file_and_options(db, tmp_path):
    (tmp_path / "cover.yaml").write_text(
        "title: Baltic cluster mission to Zhejiang\nwork-package: WP4\nlead: Ana Silva\n"
        "actual_date: 2026-12-05\nversion: V2\n",
        encoding="utf-8",
    )
    done = briefing(
        "build",
        *BRIEF,
        "--cover",
        "cover.yaml",
        "--version",
        "V3",
        "--reviewed-by",
        "Jan Novák",
        "--output",
        "mission.pdf",
        db=db,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    page = first_page(tmp_path / "mission.pdf")
    for expected in (
        "Baltic cluster mission to Zhejiang",
        "WP4",
        "Ana Silva",
        "2026-12-05",
        "Jan Novák",
        "V3",
    ):
        assert expected in page
    assert "V2" not in page  # the option wins over the file


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("titel: x\n", "no cover field 'titel'; did you mean 'title'"),
        ("- a list\n", "must hold 'field: value' lines"),
        ("title: [a, b]\n", "title must be a text"),
        ("a: &a x\ntitle: *a\n", "are not allowed here"),
        ("title: 'unclosed\n", "not valid YAML"),
    ],
)
def test_a_bad_cover_file_is_refused_with_its_reason(db, tmp_path, text, message):
    (tmp_path / "cover.yaml").write_text(text, encoding="utf-8")
    done = briefing("build", *BRIEF, "--cover", "cover.yaml", db=db, cwd=tmp_path)
    assert done.returncode == 1
    assert message in done.stderr
    assert not (tmp_path / "out").exists()


def test_a_saved_briefing_is_built_by_its_name(db, tmp_path):
    selection = Selection(
        country="CN",
        region="pearl-river-delta",
        sectors=("automotive",),
        partnerships=("give",),
        blueprint="delegation-brief",
        cover=Cover(title="GIVE mission to the Pearl River Delta", version="V5"),
    )
    with open_store(db) as store:
        store.save_briefing(
            Briefing(slug="give-mission", name="GIVE mission", selection_json=selection.to_json())
        )
    done = briefing(
        "build",
        "--saved",
        "give MISSION",
        "--lead",
        "Li Wei",
        "--output",
        "give.pdf",
        db=db,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    page = first_page(tmp_path / "give.pdf")
    assert "GIVE mission to the Pearl River Delta" in page and "V5" in page and "Li Wei" in page
    unknown = briefing("build", "--saved", "GIVE misson", db=db, cwd=tmp_path)
    assert unknown.returncode == 1 and "did you mean 'GIVE mission'" in unknown.stderr
    mixed = briefing("build", "--saved", "give-mission", "--sector", "ict", db=db, cwd=tmp_path)
    assert mixed.returncode == 1 and "leave out --sector" in mixed.stderr
