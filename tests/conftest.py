"""Shared fixtures: databases to test against, and a tiny invented country.

- ``fresh_db``: a knowledge base with the schema and nothing in it.
- ``tiny_country``: a folder of import files for "Freedonia" (ISO FD), an
  invented country whose local names use Vietnamese letters; it needs
  nothing from the China seed, so it also works as a seed folder.
- ``tiny_store``: a knowledge base built from ``tiny_country`` alone.
- ``seeded_store``: the default knowledge base built from ``db/seed`` and the
  shipped library, built once per session and copied for each test.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from csv_files import write_csv

from briefing_app import paths
from briefing_app.store import open_store
from briefing_app.store.seed import build_database

FREEDONIA = {
    "sources": [
        {
            "slug": "freedonia-statistics-2024",
            "title": "Freedonia statistical yearbook 2024",
            "publisher": "Freedonia Statistics Office",
            "published": "2024",
        },
        {
            "slug": "freedonia-cluster-survey",
            "title": "Survey of Freedonian clusters",
            "author": "Nguyễn, Thị Hạnh",
            "published": "2023-05",
        },
    ],
    "countries": [
        {
            "slug": "freedonia",
            "iso_code": "FD",
            "name": "Freedonia",
            "local_name": "Cộng hòa Freedonia",
            "description": "An invented country for tests.",
            "source": "freedonia-statistics-2024",
        },
    ],
    # Child rows come before their parents on purpose: a file may refer further down.
    "regions": [
        {
            "slug": "dong-hai",
            "name": "Dong Hai",
            "kind": "city",
            "country": "FD",
            "local_name": "Đông Hải",
            "parent": "bac-linh",
            "source": "freedonia-statistics-2024",
        },
        {
            "slug": "thuy-an",
            "name": "Thuy An",
            "kind": "county",
            "country": "FD",
            "local_name": "Thủy An",
            "parent": "dong-hai",
        },
        {
            "slug": "bac-linh",
            "name": "Bac Linh",
            "kind": "province",
            "country": "FD",
            "local_name": "Bắc Lĩnh",
            "groups": "red-delta",
        },
        {
            "slug": "nam-thuy",
            "name": "Nam Thuy",
            "kind": "province",
            "country": "FD",
            "local_name": "Nam Thủy",
            "groups": "red-delta",
        },
        {
            "slug": "red-delta",
            "name": "Red Delta",
            "kind": "macro-region",
            "country": "FD",
            "local_name": "Đồng bằng sông Đỏ",
        },
        {
            "slug": "cao-nguyen",
            "name": "Cao Nguyen",
            "kind": "province",
            "country": "FD",
            "local_name": "Cao Nguyên",
        },
    ],
    "sectors": [
        {
            "slug": "aquaculture",
            "name": "Aquaculture",
            "aliases": "fish farming;seafood",
            "description": "Farming fish, shellfish and seaweed.",
        },
        {"slug": "seaweed", "name": "Seaweed", "parent": "aquaculture"},
        {"slug": "lacquerware", "name": "Lacquerware", "aliases": "lacquer"},
    ],
    "clusters": [
        {
            "slug": "thuy-an-shrimp-cluster",
            "name": "Thuy An shrimp cluster",
            "kind": "industrial-cluster",
            "country": "FD",
            "region": "thuy-an",
            "local_name": "Cụm nuôi tôm Thủy An",
            "city": "Thuy An, Dong Hai",
            "city_local": "Đông Hải Thủy An",
            "industry": "Shrimp farming",
            "sectors": "aquaculture",
            "established": "2009",
            "source": "freedonia-cluster-survey",
        },
        {
            "slug": "dong-hai-seaweed-park",
            "name": "Dong Hai seaweed park",
            "kind": "science-park",
            "country": "FD",
            "region": "dong-hai",
            "local_name": "Khu rong biển Đông Hải",
            "sectors": "seaweed",
            "source": "freedonia-cluster-survey",
        },
        {
            "slug": "nam-thuy-lacquer-cluster",
            "name": "Nam Thuy lacquer cluster",
            "kind": "industrial-cluster",
            "country": "FD",
            "region": "nam-thuy",
            "local_name": "Làng sơn mài Nam Thủy",
            "sectors": "lacquerware",
            "description": '=Lacquer workshops, "quoted"\nover two lines',
            "source": "freedonia-cluster-survey",
        },
        {
            "slug": "cao-nguyen-coffee-cluster",
            "name": "Cao Nguyen coffee cluster",
            "kind": "industrial-cluster",
            "country": "FD",
            "region": "cao-nguyen",
            "sectors": "",
            "source": "freedonia-cluster-survey",
        },
    ],
    "policies": [
        {
            "slug": "freedonia-blue-economy-plan",
            "name": "Blue economy plan",
            "country": "FD",
            "level": "national",
            "is_cluster_policy": "true",
            "start_year": "2021",
            "end_year": "2030",
            "sectors": "aquaculture",
            "sources": "freedonia-statistics-2024;freedonia-cluster-survey",
        },
        {
            "slug": "bac-linh-craft-villages",
            "name": "Craft villages programme",
            "country": "FD",
            "level": "regional",
            "region": "bac-linh",
            "start_year": "2018",
            "sectors": "lacquerware",
            "sources": "freedonia-cluster-survey",
        },
    ],
}


@pytest.fixture(autouse=True)
def _never_the_users_database(tmp_path_factory, monkeypatch):
    """A test that forgets --db must not touch the real knowledge base."""
    monkeypatch.setenv("BRIEFING_DB", str(tmp_path_factory.mktemp("default-db") / "default.sqlite"))
    # Nor the user's cache folder: one cache for the whole run, as one user has.
    monkeypatch.setenv("BRIEFING_CACHE", str(tmp_path_factory.getbasetemp() / "cache"))


@pytest.fixture
def empty_dir(tmp_path: Path) -> Path:
    folder = tmp_path / "empty"
    folder.mkdir()
    return folder


@pytest.fixture
def fresh_db(tmp_path: Path, empty_dir: Path):
    """An open store with the schema only: no seed data, no sections, no blueprints."""
    with open_store(
        tmp_path / "fresh.sqlite",
        seed_dir=empty_dir,
        sections_dir=empty_dir,
        blueprints_dir=empty_dir,
    ) as store:
        yield store


@pytest.fixture
def tiny_country(tmp_path: Path) -> Path:
    """A folder with one CSV per entity describing Freedonia."""
    folder = tmp_path / "freedonia"
    folder.mkdir()
    for entity, rows in FREEDONIA.items():
        write_csv(folder / f"{entity}.csv", rows)
    return folder


@pytest.fixture
def tiny_store(tmp_path: Path, tiny_country: Path, empty_dir: Path):
    """A store built from the Freedonia files only."""
    with open_store(
        tmp_path / "tiny.sqlite",
        seed_dir=tiny_country,
        sections_dir=empty_dir,
        blueprints_dir=empty_dir,
    ) as store:
        yield store


@pytest.fixture(scope="session")
def seeded_template(tmp_path_factory) -> Path:
    """The default database built once from db/seed (copied by ``seeded_store``)."""
    path = tmp_path_factory.mktemp("seeded") / "template.sqlite"
    build_database(path, paths.seed_dir())
    # Opened once so that the shipped section library is in it (and the
    # journal folded back in on close): each copy then opens without writing.
    open_store(path).close()
    return path


@pytest.fixture
def seeded_db_path(tmp_path: Path, seeded_template: Path) -> Path:
    """A private copy of the seeded database file (not opened)."""
    target = tmp_path / "seeded.sqlite"
    shutil.copyfile(seeded_template, target)
    return target


@pytest.fixture
def seeded_store(seeded_db_path: Path):
    """The default knowledge base (seed data and shipped library), opened."""
    with open_store(seeded_db_path) as store:
        yield store
