"""The command line with kinds: import a kind, list the kinds, and an import
using a kind the table lacks refused with the way to add it."""

from __future__ import annotations

from csv_files import write_csv

from briefing_app import cli


def run(capsys, *argv) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_import_a_kind_list_it_and_use_it(capsys, tiny_store, tmp_path):
    db = tiny_store.path
    tiny_store.close()
    fair = {
        "slug": "partnerships-trade-fair",
        "entity": "partnerships",
        "code": "trade-fair",
        "label": "trade fair",
        "grouping": "cooperation",
    }
    deal = {
        "slug": "freedonia-coffee-fair",
        "name": "EU-Freedonia coffee fair",
        "kind": "trade-fair",
        "target_countries": "FD",
    }
    deals = write_csv(tmp_path / "partnerships.csv", [deal])
    code, _out, err = run(capsys, "import", "partnerships", deals, "--db", db)
    assert code != 0
    assert "unknown partnership kind 'trade-fair'" in err
    assert "known: bilateral-programme, escp-4i, eu-programme-project" in err
    assert "import a kinds row first" in err

    kinds = write_csv(tmp_path / "kinds.csv", [fair])
    assert run(capsys, "import", "kinds", kinds, "--db", db)[0] == 0
    code, out, _err = run(capsys, "list", "kinds", "--db", db)
    assert code == 0
    line = next(row for row in out.splitlines() if "trade-fair" in row)
    assert line.split()[:2] == ["partnerships", "trade-fair"] and "cooperation" in line
    assert run(capsys, "import", "partnerships", deals, "--db", db)[0] == 0
    code, out, _err = run(capsys, "list", "partnerships", "--db", db)
    assert "freedonia-coffee-fair" in out and "trade-fair" in out
