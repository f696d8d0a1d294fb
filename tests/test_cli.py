"""The briefing command, run in-process through main([...])."""

from __future__ import annotations

import json

import pytest
from csv_files import write_csv

from briefing_app import cli
from briefing_app.store import backups, open_store


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys, *argv):
    code, out, err = run(capsys, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_list_clusters_by_region_includes_sub_regions(capsys, seeded_db_path):
    zhejiang = run_json(capsys, "list", "clusters", "--region", "zhejiang", "--db", seeded_db_path)
    assert len(zhejiang) == 25
    assert all(item["slug"] and item["name"] for item in zhejiang)
    delta = run_json(
        capsys, "list", "clusters", "--region", "yangtze-river-delta", "--db", seeded_db_path
    )
    assert len(delta) >= 43
    assert {i["slug"] for i in zhejiang} <= {i["slug"] for i in delta}


def test_list_as_a_table(capsys, seeded_db_path):
    code, out, err = run(capsys, "list", "clusters", "--region", "zhejiang", "--db", seeded_db_path)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].split()[:2] == ["slug", "name"]
    assert lines[-1] == "(25 clusters)"
    assert any("杭州" in line for line in lines)


def test_sector_filter_includes_sub_sectors_and_aliases(capsys, tiny_store):
    db = tiny_store.path
    by_slug = run_json(capsys, "list", "clusters", "--sector", "aquaculture", "--db", db)
    by_alias = run_json(capsys, "list", "clusters", "--sector", "fish farming", "--db", db)
    assert (
        {i["slug"] for i in by_slug}
        == {i["slug"] for i in by_alias}
        == {"thuy-an-shrimp-cluster", "dong-hai-seaweed-park"}
    )
    sectors = run_json(capsys, "list", "sectors", "--sector", "aquaculture", "--db", db)
    assert {i["slug"] for i in sectors} == {"aquaculture", "seaweed"}


def test_every_listable_entity_carries_slug_and_name(capsys, tiny_store):
    for entity in cli.LISTABLE:
        for item in run_json(capsys, "list", entity, "--db", tiny_store.path):
            assert item["slug"] and "name" in item
    sources = run_json(capsys, "list", "sources", "--db", tiny_store.path)
    assert sources[0]["name"] == sources[0]["title"]


def test_list_regions_of_a_country_and_within_a_region(capsys, tiny_store):
    db = tiny_store.path
    inside = run_json(capsys, "list", "regions", "--region", "red-delta", "--db", db)
    assert {i["slug"] for i in inside} == {"bac-linh", "nam-thuy", "dong-hai", "thuy-an"}
    assert len(run_json(capsys, "list", "regions", "--country", "FD", "--db", db)) == 6


def test_filters_that_do_not_apply_are_errors(capsys, tiny_store):
    code, out, err = run(
        capsys, "list", "sources", "--region", "red-delta", "--db", tiny_store.path
    )
    assert code == 1 and out == ""
    assert "sources cannot be filtered by region" in err


def test_unknown_region_is_a_clear_error(capsys, tiny_store):
    code, _, err = run(capsys, "list", "clusters", "--region", "atlantis", "--db", tiny_store.path)
    assert code == 1
    assert err.startswith("briefing: error:") and "atlantis" in err and "Traceback" not in err


def test_search_in_both_scripts(capsys, seeded_db_path):
    chinese = run_json(capsys, "search", "杭州", "--db", seeded_db_path)
    latin = run_json(capsys, "search", "Hangzhou", "--db", seeded_db_path)
    assert chinese and latin
    assert {"xiaoshan-steel-structures-cluster", "fuyang-boxboard-cluster"} <= (
        {h["slug"] for h in chinese} & {h["slug"] for h in latin}
    )
    assert all(h["entity"] and h["name"] for h in latin)


def test_export_and_import_round_trip(capsys, tiny_store, tmp_path):
    db = tiny_store.path
    target = tmp_path / "clusters.json"
    code, _, err = run(capsys, "export", "clusters", "--output", target, "--db", db)
    assert code == 0 and "exported 4" in err
    items = json.loads(target.read_text(encoding="utf-8"))
    items[0]["name"] = "Renamed by a spreadsheet user"
    target.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
    code, out, _ = run(capsys, "import", "clusters", target, "--db", db)
    assert code == 0 and "imported 4 clusters" in out
    with open_store(db) as store:
        assert store.get("clusters", items[0]["slug"]).name == "Renamed by a spreadsheet user"


def test_export_to_stdout_as_csv(capsys, tiny_store):
    code, out, _ = run(capsys, "export", "sectors", "--db", tiny_store.path)
    assert code == 0
    assert out.splitlines()[0] == "slug,name,parent,aliases,description"
    assert "fish farming;seafood" in out


def test_bad_import_prints_every_problem_and_changes_nothing(capsys, tiny_store, tmp_path):
    db = tiny_store.path
    path = write_csv(
        tmp_path / "bad.csv",
        [
            {"slug": "a", "name": "A", "kind": "sez", "country": "FD", "region": "atlantis"},
            {"slug": "b", "name": "B", "kind": "mine", "country": "FD", "region": "bac-linh"},
        ],
    )
    code, out, err = run(capsys, "import", "clusters", path, "--db", db)
    assert code == 1 and out == ""
    assert "2 problem(s), nothing imported" in err
    assert "line 2, column 'region'" in err and "line 3, column 'kind'" in err
    with open_store(db) as store:
        assert len(store.clusters()) == 4


def test_db_check_backup_and_restore(capsys, tiny_store):
    db = tiny_store.path
    tiny_store.close()
    code, out, _ = run(capsys, "db", "check", "--db", db)
    assert code == 0 and "ok" in out and "4 clusters" in out
    code, out, _ = run(capsys, "db", "backup", "--db", db)
    assert code == 0 and "backed up" in out
    code, out, _ = run(capsys, "db", "restore", "--db", db)
    assert code == 0 and "manual" in out and "--latest" in out
    name = backups.list_backups(db)[-1].name
    code, out, _ = run(capsys, "db", "restore", "--backup", name, "--db", db)
    assert code == 0 and f"restored {name}" in out and "before-restore" in out


def test_db_check_on_a_damaged_file_points_at_restore(capsys, tmp_path):
    path = tmp_path / "bad.sqlite"
    path.write_bytes(b"not a database at all" * 50)
    code, _, err = run(capsys, "db", "check", "--db", path)
    assert code == 1 and "db restore" in err and "Traceback" not in err
    code, _, err = run(capsys, "db", "restore", "--latest", "--db", path)
    assert code == 1 and "no backups" in err


def test_usage_errors_exit_with_2(capsys):
    with pytest.raises(SystemExit) as caught:
        cli.main(["list", "planets"])
    assert caught.value.code == 2


def test_build_parser_offers_every_command():
    parser = cli.build_parser()
    commands = parser._subparsers._group_actions[0].choices  # noqa: SLF001
    assert {"list", "import", "export", "search", "db"} <= set(commands)


@pytest.mark.parametrize("region", ["zhejiang", "Zhejiang", "浙江"])
def test_region_by_slug_name_or_local_name(capsys, seeded_db_path, region):
    found = run_json(
        capsys, "list", "clusters", "--region", region, "--country", "china", "--db", seeded_db_path
    )
    assert len(found) == 25
