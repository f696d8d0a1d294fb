"""``briefing match`` and ``briefing build --profile`` as a user runs them."""

from __future__ import annotations

import json

import docx
from cli_process import briefing
from partner_data import PROFILES


def test_match_a_profile_of_the_knowledge_base(seeded_db_path, tmp_path):
    imported = briefing("import", "profiles", str(PROFILES), db=seeded_db_path, cwd=tmp_path)
    assert imported.returncode == 0, imported.stderr
    done = briefing(
        "match", "--profile", "battery-cluster", "--country", "CN", db=seeded_db_path, cwd=tmp_path
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "Whom Nordic battery cluster should meet in China" in out
    assert "Universities and research bodies" in out
    first = out.split("Clusters and zones", 1)[1].splitlines()[1]
    assert "National Power Battery Innovation Center" in first
    assert "both work on power battery" in out
    listed = briefing("list", "profiles", db=seeded_db_path, cwd=tmp_path)
    assert "battery-cluster" in listed.stdout and "(13 profiles)" in listed.stdout


def test_match_a_profile_file_without_importing_it_as_json(seeded_db_path, tmp_path):
    done = briefing(
        "match",
        "--profile",
        str(PROFILES),
        "--pick",
        "biopharma-cluster",
        "--country",
        "CN",
        "--region",
        "shanghai",
        "--sector",
        "biopharma",
        "--json",
        db=seeded_db_path,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert (data["profile"], data["region"], data["sectors"]) == (
        "biopharma-cluster",
        "shanghai",
        ["biopharma"],
    )
    clusters = data["groups"]["clusters"]
    assert clusters and clusters[0]["slug"] == "zhangjiang-hi-tech-park"
    assert all(m["reasons"] and m["region"] in ("pudong", "shanghai") for m in clusters)
    nothing = briefing("list", "profiles", db=seeded_db_path, cwd=tmp_path)
    assert "(0 profiles)" in nothing.stdout  # read, not imported


def test_match_names_what_is_wrong(seeded_db_path, tmp_path):
    unknown = briefing(
        "match", "--profile", "battery", "--country", "CN", db=seeded_db_path, cwd=tmp_path
    )
    assert unknown.returncode == 1
    assert "profile" in unknown.stderr and "briefing import profiles" in unknown.stderr
    bad = tmp_path / "bad.csv"
    bad.write_text("slug,name,kind,country,seeks\nx,X,club,DE,money\n", encoding="utf-8")
    refused = briefing(
        "match", "--profile", str(bad), "--country", "CN", db=seeded_db_path, cwd=tmp_path
    )
    assert refused.returncode == 1
    assert "'club' is not one of" in refused.stderr and "'money' is not one of" in refused.stderr
    no_country = briefing("match", "--profile", "x", db=seeded_db_path, cwd=tmp_path)
    assert no_country.returncode == 2 and "--country" in no_country.stderr


def test_build_with_two_profiles(seeded_db_path, tmp_path):
    briefing("import", "profiles", str(PROFILES), db=seeded_db_path, cwd=tmp_path)
    done = briefing(
        "build",
        "--blueprint",
        "delegation-brief",
        "--profile",
        "offshore-wind-cluster",
        "--profile",
        "fashion-cluster",
        "--format",
        "docx",
        "--output",
        str(tmp_path / "brief.docx"),
        "--strict",
        db=seeded_db_path,
        cwd=tmp_path,
    )
    assert done.returncode == 0, done.stderr
    text = "\n".join(p.text for p in docx.Document(str(tmp_path / "brief.docx")).paragraphs)
    assert "Suggested partners" in text and "Meeting shortlist" in text
    assert "North Sea offshore wind cluster" in text and "Textile and fashion cluster" in text
