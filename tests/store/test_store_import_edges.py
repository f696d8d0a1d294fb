"""Import edges that spreadsheets produce: lines around the header, control characters.

Blank rows (empty, spaces, or only separators) are skipped wherever they
stand, above the header too, and later problems still name the real line of
the file. A title line above the header is refused with a message that says
what was found and where the header seems to be. Control characters are
refused in every cell, whichever way a record comes in: a CSV or JSON file,
or a record saved through ``Store.upsert`` (the data browser form checks its
cells with ``parse_row`` first, the same function every import row meets).
"""

from __future__ import annotations

import dataclasses
import json
import sqlite3

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from briefing_app.errors import ImportValidationError
from briefing_app.store import codec
from briefing_app.store.entities import spec
from briefing_app.store.validation import parse_row

HEADER = "slug,name,kind,country,region,sectors,established,description,source"
EXPECTED = "slug, name, kind, country, region, local_name, city"


def row(slug: str, description: str = "plain", source: str = "freedonia-cluster-survey") -> str:
    return f"{slug},Cluster {slug},industrial-cluster,FD,cao-nguyen,aquaculture,2015,{description},{source}"


def dump(path) -> list:
    conn = sqlite3.connect(path)
    try:
        tables = [
            t
            for (t,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' "
                "AND name NOT LIKE 'search_index%' ORDER BY name"
            )
        ]
        return [list(conn.execute(f"SELECT * FROM [{t}] ORDER BY 1")) for t in tables]
    finally:
        conn.close()


def problems_of(store, entity, path) -> list:
    before = dump(store.path)
    with pytest.raises(ImportValidationError) as caught:
        store.import_file(entity, path)
    assert dump(store.path) == before, "a refused file changes nothing"
    return caught.value.problems


def write(tmp_path, text: str, name: str = "clusters.csv", newline: str = "\n"):
    path = tmp_path / name
    path.write_bytes(text.replace("\n", newline).encode("utf-8"))
    return path


# -- lines above, between and below the rows ------------------------------------------

LEADING = {
    "one-empty-line": "\n",
    "three-empty-lines": "\n\n\n",
    "spaces": "   \n",
    "commas-only": ",,,,,,,,\n",
    "commas-and-spaces": " , ,\t,\n\n",
}


@pytest.mark.parametrize("newline", ["\n", "\r\n"])
@pytest.mark.parametrize("case", LEADING.keys())
def test_blank_rows_above_the_header_are_skipped(tiny_store, tmp_path, case, newline):
    text = LEADING[case] + HEADER + "\n" + row("above-a") + "\n" + row("above-b") + "\n"
    path = write(tmp_path, text, newline=newline)
    assert tiny_store.import_file("clusters", path) == 2
    assert tiny_store.get("clusters", "above-b").name == "Cluster above-b"


@pytest.mark.parametrize("case", LEADING.keys())
def test_problems_below_skipped_rows_name_the_real_line(tiny_store, tmp_path, case):
    leading = LEADING[case]
    text = leading + HEADER + "\n" + row("fine") + "\n" + row("bad", source="ghost") + "\n"
    problems = problems_of(tiny_store, "clusters", write(tmp_path, text))
    bad_line = leading.count("\n") + 3
    assert [(p.line, p.column) for p in problems] == [(bad_line, "source")]
    assert "unknown source 'ghost'" in problems[0].message


def test_a_semicolon_file_with_blank_lines_above_its_header(tiny_store, tmp_path):
    text = "\n;;;;\n" + HEADER.replace(",", ";") + "\n" + row("semi").replace(",", ";") + "\n"
    assert tiny_store.import_file("clusters", write(tmp_path, "\ufeff" + text)) == 1
    assert tiny_store.get("clusters", "semi").sectors == ("aquaculture",)


def test_blank_rows_between_and_after_the_rows_keep_line_numbers(tiny_store, tmp_path):
    text = (
        HEADER
        + "\n"
        + row("first", description='"two\nlines"')  # lines 2-3
        + "\n\n,,,,\n   \n"  # lines 4-6
        + row("second", source="ghost")  # line 7
        + "\n\n"
        + row("third", source="phantom")  # line 9
        + "\n\n\n,,,\n"
    )
    problems = problems_of(tiny_store, "clusters", write(tmp_path, text, newline="\r\n"))
    assert [(p.line, p.column) for p in problems] == [(7, "source"), (9, "source")]
    good = text.replace("ghost", "freedonia-cluster-survey").replace(
        "phantom", "freedonia-cluster-survey"
    )
    assert tiny_store.import_file("clusters", write(tmp_path, good)) == 3
    assert tiny_store.get("clusters", "first").description == "two\nlines"


def test_a_title_line_above_the_header_is_named_with_what_was_expected(tiny_store, tmp_path):
    text = "Clusters export 2026,,,\n\n" + HEADER + "\n" + row("titled") + "\n"
    [problem] = problems_of(tiny_store, "clusters", write(tmp_path, text))
    assert problem.line == 1 and problem.column == ""
    message = problem.message
    assert message.startswith("does not look like the header row")
    assert f"expected the columns {EXPECTED}" in message
    assert "found 'Clusters export 2026'." in message
    assert "header row seems to be line 3: delete the lines above it" in message


def test_a_title_line_after_blank_lines_is_named_by_its_own_line(tiny_store, tmp_path):
    text = "\n\nBriefing data;;;\nexported by me\n" + HEADER.replace(",", ";") + "\n"
    [problem] = problems_of(tiny_store, "clusters", write(tmp_path, text))
    assert problem.line == 3
    assert "found 'Briefing data'." in problem.message and "line 5" in problem.message


@pytest.mark.parametrize(
    ("text", "found"),
    [
        (row("a") + "\n" + row("b") + "\n", "found 'a', 'Cluster a', 'industrial-cluster', 'FD'"),
        ("id,label\n1,first\n", "found 'id', 'label'."),
    ],
    ids=["no-header-at-all", "another-programs-header"],
)
def test_a_file_without_our_header_says_the_first_line_must_name_columns(
    tiny_store, tmp_path, text, found
):
    [problem] = problems_of(tiny_store, "clusters", write(tmp_path, text))
    assert problem.line == 1 and found in problem.message
    assert "The first line that is not blank must name the columns" in problem.message


def test_a_header_with_a_typo_still_gets_the_column_problems(tiny_store, tmp_path):
    """One known column is enough for the row to be taken as the header."""
    text = "slug,nmae,kind,country,region\nx,X,industrial-cluster,FD,cao-nguyen\n"
    problems = problems_of(tiny_store, "clusters", write(tmp_path, text))
    assert {(p.line, p.column) for p in problems} == {(1, "nmae"), (1, "name")}


def test_a_file_of_blank_lines_only(tiny_store, tmp_path):
    [problem] = problems_of(tiny_store, "clusters", write(tmp_path, "\n ,,\n\n"))
    assert problem.line == 0 and "only blank lines; a header row is needed" in problem.message


def test_trailing_empty_header_columns_are_ignored(tiny_store, tmp_path):
    text = (
        HEADER + ",,,\n" + row("padded") + ",,,\n" + row("short") + "\n" + row("spaces") + ", , ,\n"
    )
    assert tiny_store.import_file("clusters", write(tmp_path, text)) == 3
    # and rows padded with empty cells under a header without padding
    text = HEADER + "\n" + row("padded-row") + ",,,,\n"
    assert tiny_store.import_file("clusters", write(tmp_path, text)) == 1


def test_a_value_beyond_the_named_columns_is_refused_with_its_cell(tiny_store, tmp_path):
    text = HEADER + ",,,\n" + row("ok") + ",,,\n" + row("spill") + ",,note,\n"
    [problem] = problems_of(tiny_store, "clusters", write(tmp_path, text))
    assert problem.line == 3
    assert problem.message == (
        "has 12 cells but the header names 9 columns; cell 11 ('note') has no column"
    )


def test_an_empty_column_name_inside_the_header(tiny_store, tmp_path):
    text = "slug,name,,kind,country,region\nx,X,,industrial-cluster,FD,cao-nguyen\n"
    [problem] = problems_of(tiny_store, "clusters", write(tmp_path, text))
    assert problem.line == 1
    assert problem.message.startswith("column 3 has an empty name; give it one of the names slug")


# -- control characters -----------------------------------------------------------------

REFUSED = {
    "null": ("\x00", "U+0000 (null, at character 4)"),
    "start-of-heading": ("\x01", "U+0001 (at character 4)"),
    "vertical-tab-from-word": ("\x0b", "U+000B (vertical tab, at character 4)"),
    "escape": ("\x1b", "U+001B (escape, at character 4)"),
    "delete": ("\x7f", "U+007F (delete, at character 4)"),
    "c1-next-line": ("\x85", "U+0085 (next line, at character 4)"),
    "c1-from-windows-1252": ("\x93", "U+0093 (at character 4)"),
    "line-separator": ("\u2028", "U+2028 (line separator, at character 4)"),
    "paragraph-separator": ("\u2029", "U+2029 (paragraph separator, at character 4)"),
}


@pytest.mark.parametrize("case", REFUSED.keys())
def test_control_characters_in_csv_cells_are_refused_with_line_and_column(
    tiny_store, tmp_path, case
):
    char, shown = REFUSED[case]
    text = HEADER + "\n" + row("clean") + "\n" + row("dirty", description=f"Bad{char}text") + "\n"
    [problem] = problems_of(tiny_store, "clusters", write(tmp_path, text))
    assert (problem.line, problem.column) == (3, "description")
    assert problem.message.startswith("contains the ")
    assert shown in problem.message
    assert str(problem).startswith("line 3, column 'description': contains the ")


def test_the_message_says_what_to_do(tiny_store, tmp_path):
    cases = {
        "A\x00B": "contains the control character U+0000 (null, at character 2); remove it",
        "A\x0bB": "contains the control character U+000B (vertical tab, at character 2); "
        "replace it with an ordinary line break or remove it",
        "\u2028A\u2029": "contains the invisible characters U+2028 (line separator, at "
        "character 1) and U+2029 (paragraph separator, at character 3); replace them with "
        "line breaks or remove them",
        "\x01\x02\x03\x04\x01": "contains the control characters U+0001 (at character 1), "
        "U+0002 (at character 2), U+0003 (at character 3) and 1 more; remove them",
        "\x93quoted\x94": "contains the control characters U+0093 (at character 1) and U+0094 "
        "(at character 8); remove them (such characters usually come from text converted "
        "from Windows-1252 wrongly)",
    }
    for cell, message in cases.items():
        assert codec.control_problem(cell) == message


def test_tabs_line_breaks_and_other_invisible_text_are_kept(tiny_store, tmp_path):
    kept = 'tab\there "line\nbreak" cr\r\nlf, nbsp\u00a0zwj\u200dbom\ufeffend'
    path = tmp_path / "kept.json"
    item = {
        "slug": "kept",
        "name": "Kept",
        "kind": "industrial-cluster",
        "country": "FD",
        "region": "cao-nguyen",
        "description": kept,
    }
    path.write_text(json.dumps([item]), encoding="utf-8")
    assert tiny_store.import_file("clusters", path) == 1
    assert tiny_store.get("clusters", "kept").description == kept


def test_every_kind_of_cell_is_checked_once(tiny_store, tmp_path):
    """Slug, list, number and text cells: one problem each, no follow-on complaints."""
    text = HEADER + "\n" + "bad\x00slug,Name\x1b,industrial-cluster,FD,cao-nguyen,"
    text += "aqua\x7fculture,20\x0015,fine,freedonia-cluster-survey\n"
    problems = problems_of(tiny_store, "clusters", write(tmp_path, text))
    assert [(p.line, p.column) for p in problems] == [
        (2, "established"),
        (2, "name"),
        (2, "sectors"),
        (2, "slug"),
    ]
    assert all(p.message.startswith("contains the control character") for p in problems)


def test_control_characters_in_json_are_refused_with_the_objects_line(tiny_store, tmp_path):
    path = tmp_path / "clusters.json"
    path.write_text(
        "[\n"
        '  {"slug": "j-one", "name": "One", "kind": "industrial-cluster", "country": "FD",\n'
        '   "region": "cao-nguyen", "description": "fine"},\n'
        '  {"slug": "j-two", "name": "T\\u0000wo", "kind": "industrial-cluster",\n'
        '   "country": "FD", "region": "cao-nguyen", "sectors": ["aqua\\u001bculture"]}\n'
        "]\n",
        encoding="utf-8",
    )
    problems = problems_of(tiny_store, "clusters", path)
    assert [(p.line, p.column) for p in problems] == [(4, "name"), (4, "sectors")]
    assert "U+0000 (null, at character 2)" in problems[0].message
    assert "U+001B (escape, at character 5)" in problems[1].message


def test_a_record_saved_through_upsert_is_refused(tiny_store):
    before = dump(tiny_store.path)
    original = tiny_store.get("sources", "freedonia-cluster-survey")
    dirty = dataclasses.replace(original, note="pasted from a PDF\x0c with a form feed")
    with pytest.raises(ImportValidationError) as caught:
        tiny_store.upsert("sources", dirty)
    [problem] = caught.value.problems
    assert problem.column == "note" and "U+000C (form feed, at character 18)" in problem.message
    assert dump(tiny_store.path) == before
    assert tiny_store.get("sources", "freedonia-cluster-survey") == original


def test_the_data_browser_forms_check_names_the_field():
    """The form checks its cells with parse_row before it calls upsert."""
    sp = spec("clusters")
    cells = {
        "slug": "form-cluster",
        "name": "Form\x00 cluster",
        "kind": "industrial-cluster",
        "country": "FD",
        "region": "cao-nguyen",
        "description": "ok",
    }
    _, problems = parse_row(sp, codec.FieldKinds(sp), cells)
    assert problems == [
        ("name", "contains the control character U+0000 (null, at character 5); remove it")
    ]


REFUSED_CHARS = st.sampled_from(
    [chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"]
    + [chr(c) for c in range(0x7F, 0xA0)]
    + ["\u2028", "\u2029"]
)


@settings(max_examples=200)
@given(st.text(), REFUSED_CHARS, st.data())
def test_a_cell_is_refused_exactly_when_it_holds_a_refused_character(text, char, data):
    clean = codec.CONTROL_RE.sub("", text)
    assert codec.control_problem(clean) is None
    at = data.draw(st.integers(0, len(clean)))
    dirty = clean[:at] + char + clean[at:]
    problem = codec.control_problem(dirty)
    assert problem is not None and f"U+{ord(char):04X}" in problem
    assert f"at character {at + 1})" in problem
