"""Country packs: import all or nothing, problems with file and line, safe
unzipping, and a byte-for-byte round trip of China."""

from __future__ import annotations

import shutil
import stat
import zipfile
from pathlib import Path

import pytest
from csv_files import nothing_imported

from briefing_app import cli, paths
from briefing_app.errors import PackValidationError, StoreError
from briefing_app.store import open_store, pack_files
from briefing_app.store.entities import ENTITIES
from briefing_app.store.packs import PACK_ENTITIES

VARNESIA = Path(__file__).resolve().parents[1] / "packs" / "varnesia"


@pytest.fixture
def pack(tmp_path) -> Path:
    """A private copy of the Varnesia pack, free to break."""
    return Path(shutil.copytree(VARNESIA, tmp_path / "varnesia"))


def zipped(folder: Path, target: Path, inside: str = "") -> Path:
    with zipfile.ZipFile(target, "w") as zf:
        for path in sorted(folder.rglob("*")):
            if path.is_file():
                zf.write(path, inside + path.relative_to(folder).as_posix())
    return target


def snapshot(store) -> dict:
    return {e: [r for r in store.records(e)] for e in PACK_ENTITIES} | {
        "sections": [(s.slug, s.version) for s in store.sections()]
    }


def test_varnesia_pack_imports_into_an_empty_store(fresh_db, pack):
    result = fresh_db.import_pack(pack)
    assert result.manifest.country == "QV" and result.manifest.licence == "CC-BY-4.0"
    imported = {e: len(fresh_db.records(e)) for e in PACK_ENTITIES}
    assert result.counts == imported | {"kinds": 2}  # the pack's own kinds, beside the shipped
    assert result.counts["clusters"] == 6 and result.sections == 1
    # the pack adds a kind of cluster and one of organisation, and uses them
    village = fresh_db.get("clusters", "ngoc-am-amber-village")
    assert village.kind == "craft-village"
    assert fresh_db.vocabulary().get("clusters", "craft-village").grouping == "cluster"
    guild = fresh_db.get("organisations", "ngoc-am-amber-guild")
    assert fresh_db.vocabulary().label("organisations", guild.kind, 2) == "craft guilds"
    assert fresh_db.region("zlatomor").groups == ("amber-coast", "iron-triangle")
    assert fresh_db.get("clusters", "ngoc-am-amber-village").city == "Ngọc Ẩm, Yuzhna"
    section = fresh_db.section("sector-strength-amber-crafts-qv")
    assert "countries: [QV]" in section.body and section.sectors == ("amber-crafts",)
    # the JSON files of the pack went in as well as the CSV ones
    assert fresh_db.get("indicators", "qv-tidal-potential-2023").value == 1.2
    assert (
        fresh_db.get("organisations", "zlatomor-chamber").local_name == "Торговая палата Златомора"
    )


def test_a_zip_of_the_pack_imports_too_even_with_its_folder_inside(fresh_db, pack, tmp_path):
    archive = zipped(pack, tmp_path / "varnesia.zip", inside="varnesia-1.0/")
    assert fresh_db.import_pack(archive).counts["regions"] == 8


def test_a_broken_line_in_the_fifth_file_leaves_the_store_unchanged(tiny_store, pack):
    before = snapshot(tiny_store)
    backups = sorted(paths.backups_dir(tiny_store.path).glob("*"))
    clusters = pack / "clusters.csv"  # sources, countries, regions, sectors, clusters
    lines = clusters.read_text(encoding="utf-8").splitlines(keepends=True)
    lines[2] = lines[2].replace("craft-village", "floating-market", 1)
    clusters.write_text("".join(lines), encoding="utf-8")
    with pytest.raises(PackValidationError) as caught:
        tiny_store.import_pack(pack)
    message = str(caught.value)
    assert "clusters.csv, line 3, column 'kind'" in message and "floating-market" in message
    # the pack's own kind is known to its records, and the message says how to add one
    assert "craft-village" in message and "import a kinds row" in message
    assert [name for name, _problems in caught.value.files] == ["clusters.csv"]
    assert snapshot(tiny_store) == before
    assert (
        sorted(paths.backups_dir(tiny_store.path).glob("*")) == backups
    )  # checked before any backup


def test_every_problem_of_every_file_is_listed(fresh_db, pack):
    regions = pack / "regions.csv"
    regions.write_text(
        regions.read_text(encoding="utf-8").replace("Severna,province", "Severna,state", 1),
        encoding="utf-8",
    )
    (pack / "organisations.json").write_text('[{"slug": "x"', encoding="utf-8")
    with pytest.raises(PackValidationError) as caught:
        fresh_db.import_pack(pack)
    files = dict(caught.value.files)
    assert set(files) == {"regions.csv", "organisations.json"}
    assert files["regions.csv"][0].column == "kind" and files["regions.csv"][0].line == 4
    # a file's rows may point at records of the files before it: none of those is reported
    assert str(caught.value).count("unknown") == 1
    assert "unknown region kind 'state'; known: autonomous-region, city," in str(caught.value)
    assert fresh_db.counts() == nothing_imported(dict.fromkeys(ENTITIES, 0))


def test_manifest_problems_name_the_manifest_or_the_file(fresh_db, pack):
    manifest = pack / "pack.yaml"
    text = manifest.read_text(encoding="utf-8")
    manifest.write_text(text.replace("  - sectors.csv\n", "  - sectors.csv\n  - cities.csv\n"))
    (pack / "policies.csv").unlink()
    with pytest.raises(PackValidationError) as caught:
        fresh_db.import_pack(pack)
    files = dict(caught.value.files)
    assert "named after its entity" in files["cities.csv"][0].message
    assert "missing from the pack" in files["policies.csv"][0].message
    manifest.write_text("country: QV\nfiles: regions.csv\n")
    with pytest.raises(PackValidationError, match=r"pack\.yaml.*'files' must be a list"):
        fresh_db.import_pack(pack)
    manifest.write_text("country: [QV\n")
    with pytest.raises(PackValidationError, match=r"pack\.yaml, line \d+: not valid YAML"):
        fresh_db.import_pack(pack)
    manifest.unlink()
    with pytest.raises(StoreError, match="no pack.yaml"):
        fresh_db.import_pack(pack)


def test_manifest_may_not_point_outside_the_pack(fresh_db, pack, tmp_path):
    (tmp_path / "sources.csv").write_text("slug,title\r\nx,X\r\n", encoding="utf-8")
    manifest = pack / "pack.yaml"
    manifest.write_text(
        manifest.read_text(encoding="utf-8").replace("  - sources.csv", "  - ../sources.csv")
    )
    with pytest.raises(PackValidationError, match="outside the pack"):
        fresh_db.import_pack(pack)


@pytest.mark.parametrize(
    "name", ["../escaped.txt", "/tmp/absolute.txt", "a/../../b.txt", "C:/x.txt"]
)
def test_zip_entries_reaching_outside_are_refused(fresh_db, pack, tmp_path, name):
    archive = zipped(pack, tmp_path / "evil.zip")
    with zipfile.ZipFile(archive, "a") as zf:
        zf.writestr(name, "payload")
    with pytest.raises(StoreError, match="outside the pack"):
        fresh_db.import_pack(archive)
    assert not (tmp_path / "escaped.txt").exists() and not Path("/tmp/absolute.txt").exists()
    assert fresh_db.counts() == nothing_imported(dict.fromkeys(ENTITIES, 0))


def test_zip_links_bombs_and_crowds_are_refused(fresh_db, pack, tmp_path, monkeypatch):
    archive = zipped(pack, tmp_path / "link.zip")
    with zipfile.ZipFile(archive, "a") as zf:
        info = zipfile.ZipInfo("sections/link.md")
        info.external_attr = (stat.S_IFLNK | 0o777) << 16
        zf.writestr(info, "/etc/passwd")
    with pytest.raises(StoreError, match="symbolic link"):
        fresh_db.import_pack(archive)

    bomb = tmp_path / "bomb.zip"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("pack.yaml", "country: QV\nfiles: []\n")
        zf.writestr("sources.csv", "slug,title\r\n" + "a" * 4000)
    monkeypatch.setattr(pack_files, "MAX_FILE_BYTES", 1000)
    with pytest.raises(StoreError, match="unpacks to more than"):
        fresh_db.import_pack(bomb)
    monkeypatch.setattr(pack_files, "MAX_ENTRIES", 3)
    with pytest.raises(StoreError, match="entries; a pack may hold 3"):
        fresh_db.import_pack(zipped(pack, tmp_path / "crowd.zip"))
    (tmp_path / "not.zip").write_text("plain text")
    with pytest.raises(StoreError, match="not a readable zip"):
        fresh_db.import_pack(tmp_path / "not.zip")


def test_china_round_trips_byte_for_byte(seeded_store, tmp_path, empty_dir):
    first = tmp_path / "china-1"
    archive = tmp_path / "china.zip"
    seeded_store.export_pack("CN", first)
    seeded_store.export_pack("china", archive)
    with open_store(
        tmp_path / "fresh.sqlite",
        seed_dir=empty_dir,
        sections_dir=empty_dir,
        blueprints_dir=empty_dir,
    ) as fresh:
        result = fresh.import_pack(archive)
        fresh.export_pack("CN", tmp_path / "china-2")
    csvs = sorted(p.name for p in first.glob("*.csv"))
    assert csvs == sorted(f"{e}.csv" for e in PACK_ENTITIES)
    for name in csvs:
        assert (first / name).read_bytes() == (tmp_path / "china-2" / name).read_bytes(), name
    # every record of China is in the pack
    assert result.counts["clusters"] == len(seeded_store.clusters(country="CN"))
    assert result.counts["regions"] == len(seeded_store.regions(country="CN"))
    assert result.counts["policies"] == len(seeded_store.policies(country="CN"))
    assert result.counts["partnerships"] == len(seeded_store.partnerships(country="CN"))


def test_export_pack_holds_only_the_country_and_what_it_uses(seeded_store, pack, tmp_path):
    seeded_store.import_pack(pack)
    seeded_store.export_pack("QV", tmp_path / "qv", fmt="json")
    written = sorted(p.name for p in (tmp_path / "qv").iterdir())
    assert written == sorted([*(f"{e}.json" for e in PACK_ENTITIES), "pack.yaml", "sections"])
    sources = (tmp_path / "qv" / "sources.json").read_text(encoding="utf-8")
    assert "varnesia-statistics-2024" in sources and "eccp-china" not in sources
    # the parent of a sector used comes along, so the pack imports on its own
    assert '"agri-food-qv"' in (tmp_path / "qv" / "sectors.json").read_text(encoding="utf-8")
    assert (tmp_path / "qv" / "sections" / "sector-strength-amber-crafts-qv.md").is_file()
    with pytest.raises(StoreError, match="not an empty folder"):
        seeded_store.export_pack("QV", tmp_path / "qv")


def test_cli_import_and_export_pack(tmp_path, pack, capsys):
    db = str(tmp_path / "cli.sqlite")
    assert cli.main(["import-pack", str(pack), "--db", db]) == 0
    assert "6 clusters" in capsys.readouterr().out
    out = tmp_path / "qv.zip"
    assert cli.main(["export-pack", "--country", "QV", "--output", str(out), "--db", db]) == 0
    with zipfile.ZipFile(out) as zf:
        assert "pack.yaml" in zf.namelist() and "clusters.csv" in zf.namelist()
    policies = pack / "policies.csv"
    policies.write_text(
        policies.read_text(encoding="utf-8").replace(",national,", ",federal,", 1), encoding="utf-8"
    )
    assert cli.main(["import-pack", str(pack), "--db", db]) == 1
    err = capsys.readouterr().err
    assert "policies.csv, line 2, column 'level'" in err and "nothing imported" in err


def test_a_pack_section_may_not_replace_a_built_in_one(seeded_store, pack):
    before = seeded_store.section("objective")
    (pack / "sections" / "objective.md").write_text(
        "---\nkey: objective\ntitle: Ours\ncountries: [QV]\n---\nOur own objective.\n",
        encoding="utf-8",
    )
    with pytest.raises(PackValidationError, match="'objective' is a built-in section"):
        seeded_store.import_pack(pack)
    assert seeded_store.section("objective") == before
    assert seeded_store.countries() == [seeded_store.country("CN")]


def test_pack_sections_are_checked_with_their_line(fresh_db, pack):
    section = pack / "sections" / "sector-strength-amber-crafts-qv.md"
    text = section.read_text(encoding="utf-8")
    section.write_text(
        text.replace("sectors: [amber-crafts]", "sectors: [amber-craft]").replace(
            "{% endfor %}", "{% endfore %}"
        ),
        encoding="utf-8",
    )
    line = next(n for n, row in enumerate(section.read_text().splitlines(), 1) if "endfore" in row)
    with pytest.raises(PackValidationError) as caught:
        fresh_db.import_pack(pack)
    ((name, problems),) = caught.value.files
    assert name == "sections/sector-strength-amber-crafts-qv.md"
    assert sorted((p.line, p.column) for p in problems) == [(0, "sectors"), (line, "")]
    assert "unknown sector 'amber-craft'" in str(caught.value)
    assert f"line {line}: template: " in str(caught.value)
    assert fresh_db.counts() == nothing_imported(dict.fromkeys(ENTITIES, 0))
