"""Import files that try to slip data past the checks (hostile review, round two).

A file swapped on disk between the check and the write; JSON with a second
list or stray text after the first; values of the wrong type and keys given
twice; the private-use characters the assembly keeps for its own markers;
names made only of characters that show nothing; a file too large to hold.
Each is refused with where it is (line, column, field) and changes nothing,
or, for the swapped file, what was checked is exactly what is written.
"""

from __future__ import annotations

import dataclasses
import json

import pytest
from hostile_support import write_rows
from test_import_hostile import CLUSTER, cluster_tables, refused, run_import

from briefing_app.assembly import placeholders
from briefing_app.cli import main
from briefing_app.errors import ImportValidationError
from briefing_app.store import codec, import_text
from briefing_app.store.store import Store

SOURCE = {"slug": "checked-source", "title": "The title that was checked", "publisher": "Office"}


# -- the file is read once ------------------------------------------------------------------


@pytest.mark.parametrize("suffix", ["csv", "json"])
def test_a_file_replaced_after_the_check_is_not_what_gets_written(
    tiny_store, tmp_path, monkeypatch, suffix
):
    """The file is swapped for one that would never pass while the backup is taken."""
    path = tmp_path / f"sources.{suffix}"
    swapped = [
        dict(SOURCE, title="Swapped in \x1b[31mafter\x1b[0m the check"),
        {"slug": "smuggled", "title": "Never checked", "publisher": "x" * 10},
    ]

    def write(rows: list[dict]) -> None:
        if suffix == "json":
            path.write_text(json.dumps(rows), encoding="utf-8")
        else:
            write_rows(path, rows)

    write([SOURCE])
    real_backup = Store.backup

    def backup_then_swap(store, reason="manual"):
        taken = real_backup(store, reason)
        write(swapped)  # another program rewrites the file meanwhile
        return taken

    monkeypatch.setattr(Store, "backup", backup_then_swap)
    assert tiny_store.import_file("sources", path) == 1
    assert tiny_store.get("sources", "checked-source").title == SOURCE["title"]
    assert "smuggled" not in {s.slug for s in tiny_store.sources()}
    assert "Swapped" in path.read_text(encoding="utf-8"), "the file really was replaced"


def test_a_file_larger_than_an_import_takes_is_refused_whole(tiny_store, tmp_path, monkeypatch):
    monkeypatch.setattr(import_text, "MAX_IMPORT_BYTES", 4096)
    rows = [dict(SOURCE, slug=f"big-{i}") for i in range(200)]  # about 12 KB
    error = refused(tiny_store, "sources", write_rows(tmp_path / "big.csv", rows))
    [problem] = error.problems
    assert problem.line == 0
    assert "the file is larger than" in problem.message and "split it" in problem.message


# -- JSON: one list, nothing after it -------------------------------------------------------

ONE = '{"slug": "first", "title": "First"}'
TWO = '{"slug": "second", "title": "Second"}'
TRAILING = {
    "two-lists": (f"[{ONE}]\n[{TWO}]\n", 2, 1),
    "two-lists-same-line": (f"[{ONE}][{TWO}]", 1, 38),
    "lists-with-a-comma": (f"[\n  {ONE}\n],\n[\n  {TWO}\n]\n", 3, 2),
    "garbage": (f"[\n  {ONE}\n]\nxyz", 4, 1),
    "stray-brace": (f"[{ONE}]}}", 1, 38),
    "list-never-closed": (f"[\n  {ONE},\n  {TWO}\n", 4, 1),
}


@pytest.mark.parametrize("case", TRAILING)
def test_text_after_the_list_is_refused_with_line_and_column(tiny_store, tmp_path, case):
    text, line, column = TRAILING[case]
    path = tmp_path / "sources.json"
    path.write_text(text, encoding="utf-8")
    error = refused(tiny_store, "sources", path)
    [problem] = error.problems
    assert problem.line == line
    assert problem.message.startswith(f"not valid JSON at column {column}: ")
    assert not {"first", "second"} & {s.slug for s in tiny_store.sources()}


def test_two_lists_are_refused_from_the_command_line(tiny_store, tmp_path, capsys):
    path = tmp_path / "clusters.json"
    first = json.dumps([dict(CLUSTER, sectors=["aquaculture"], established=2015)])
    second = json.dumps([dict(CLUSTER, slug="second", sectors=[], established=None)])
    path.write_text(first + "\n" + second + "\n", encoding="utf-8")
    before = cluster_tables(tiny_store.path)
    status, out, err = run_import(path, tiny_store.path, capsys)
    assert status == 1 and out == "" and cluster_tables(tiny_store.path) == before
    assert (
        'line 2: not valid JSON at column 1: more text after the list closed (from \'[{"slug": '
        '"second", \'); a file holds one list [...] of objects: join the lists into one, or '
        "remove the extra text" in err
    )


# -- JSON: every value has its field's type ---------------------------------------------------

WRONG_TYPES = {
    "object-as-name": ("name", {"en": "Tea"}, "must be text in quotes, not an object"),
    "list-as-year": ("established", [2001], "must be a whole number, not the list [2001]"),
    "true-as-text": ("city", True, "must be text in quotes, not true"),
    "quoted-year": ("established", "2001", "write the number without quotes"),
    "number-as-text": ("local_name", 2019, "put it in quotes if it is meant as text"),
    "numbers-in-a-list": ("sectors", [1, 2], 'must be a list of texts ["a", "b"], not the list'),
    "list-of-lists": ("sectors", [["aquaculture"]], "must be a list of texts"),
    "fraction-as-year": ("established", 2001.5, "must be a whole number, not the number 2001.5"),
    "object-as-reference": ("region", {"slug": "cao-nguyen"}, "must be text in quotes"),
    "semicolon-in-an-entry": ("sectors", ["aquaculture;seaweed"], "holds ';'"),
}


@pytest.mark.parametrize("case", WRONG_TYPES)
def test_a_value_of_the_wrong_type_is_refused_not_converted(tiny_store, tmp_path, case):
    field, value, words = WRONG_TYPES[case]
    good = dict(CLUSTER, slug="good", sectors=["aquaculture"], established=2015)
    items = [good, dict(good, slug="typed", **{field: value})]
    path = tmp_path / "clusters.json"
    text = json.dumps(items, indent=2)
    path.write_text(text, encoding="utf-8")
    opens = [n for n, line in enumerate(text.splitlines(), 1) if line == "  {"][1]
    error = refused(tiny_store, "clusters", path)
    [problem] = error.problems  # one problem: no follow-on complaint about the same value
    assert (problem.line, problem.column) == (opens, field)  # the line where the object opens
    assert words in problem.message


def test_booleans_and_numbers_take_only_their_own_types(tiny_store, tmp_path):
    policy = {
        "slug": "typed-policy",
        "name": "Typed policy",
        "country": "FD",
        "level": "national",
        "is_cluster_policy": "yes",
        "start_year": 2020,
        "continuity": "continuous",
    }
    indicator = {
        "slug": "typed-indicator",
        "name": "GDP",
        "value": "6.6",
        "unit": "%",
        "year": 2023,
        "country": "FD",
        "source": "freedonia-statistics-2024",
    }
    for entity, item, field, words in (
        ("policies", policy, "is_cluster_policy", "must be true or false, not the text 'yes'"),
        ("indicators", indicator, "value", "must be a number, not the text '6.6'"),
    ):
        path = tmp_path / f"{entity}.json"
        path.write_text(json.dumps([item]), encoding="utf-8")
        [problem] = refused(tiny_store, entity, path).problems
        assert (problem.column, problem.message.split(";")[0]) == (field, words)


def test_a_key_given_twice_is_refused_with_its_line(tiny_store, tmp_path):
    path = tmp_path / "sources.json"
    path.write_text(
        "[\n"
        '  {"slug": "once", "title": "Once"},\n'
        '  {"slug": "twice", "title": "The first title",\n'
        '   "publisher": "Office", "title": "The second title"}\n'
        "]\n",
        encoding="utf-8",
    )
    error = refused(tiny_store, "sources", path)
    [problem] = error.problems
    assert (problem.line, problem.column) == (3, "title")
    assert problem.message == "is given more than once in this object; keep one (which is meant?)"


def test_every_entity_still_round_trips_through_typed_json(seeded_store, tmp_path):
    """The type check follows each record type's fields: exported JSON imports as it was."""
    for entity in ("sources", "regions", "clusters", "partnerships", "policies", "indicators"):
        path = tmp_path / f"{entity}.json"
        before = seeded_store.records(entity)
        seeded_store.export_file(entity, path, "json")
        assert seeded_store.import_file(entity, path) == len(before)
        assert seeded_store.records(entity) == before


# -- characters the assembly reserves -------------------------------------------------------


def test_the_reserved_characters_are_the_placeholder_markers():
    assert set(codec.RESERVED_MARKERS) == {placeholders.OPEN, placeholders.CLOSE}


@pytest.mark.parametrize("char", ["\ue000", "\ue001"])
def test_reserved_marker_characters_are_refused_in_csv_json_and_saves(tiny_store, tmp_path, char):
    rows = [dict(CLUSTER, slug="marked", name=f"Tea{char}0{char} cluster", description="")]
    [problem] = refused(tiny_store, "clusters", write_rows(tmp_path / "m.csv", rows)).problems
    assert (problem.line, problem.column) == (2, "name")
    assert problem.message == (
        f"contains U+{ord(char):04X} (at character 4) (2 such characters in all), a private-use "
        "character Briefing Builder reserves for its own markers; remove it"
    )
    item = dict(CLUSTER, slug="marked", sectors=["aquaculture", f"sea{char}weed"], established=None)
    path = tmp_path / "m.json"
    path.write_text(json.dumps([item]), encoding="utf-8")
    [problem] = refused(tiny_store, "clusters", path).problems
    assert (problem.line, problem.column) == (1, "sectors") and "at character 16" in problem.message
    source = tiny_store.get("sources", "freedonia-cluster-survey")
    with pytest.raises(ImportValidationError, match=f"column 'note': contains U\\+{ord(char):04X}"):
        tiny_store.upsert("sources", dataclasses.replace(source, note=f"see {char}0{char}"))
    assert tiny_store.get("sources", "freedonia-cluster-survey") == source


# -- values that show nothing -----------------------------------------------------------------

SHOWS_NOTHING = {
    "right-to-left-override": "\u202e",
    "bidi-isolates": "\u2067\u2069",
    "zero-width-spaces": "\u200b\u200b\u200b",
    "zero-width-joiners": "\u200c\u200d",
    "byte-order-mark": "\ufeff",
    "left-to-right-mark-and-spaces": " \u200e \u3000",
    "hangul-filler": "\u3164",
    "combining-mark-alone": "\u034f",
    "word-joiner-and-soft-hyphen": "\u2060\u00ad",
}


@pytest.mark.parametrize("case", SHOWS_NOTHING)
def test_a_name_that_shows_nothing_is_refused(tiny_store, tmp_path, case):
    blank = SHOWS_NOTHING[case]
    rows = [dict(CLUSTER, slug="blank", name=blank, description="")]
    [problem] = refused(tiny_store, "clusters", write_rows(tmp_path / "b.csv", rows)).problems
    assert (problem.line, problem.column) == (2, "name")
    assert problem.message.startswith("holds only characters that show nothing (U+")
    assert problem.message.endswith("; type visible text")
    source = tiny_store.get("sources", "freedonia-cluster-survey")
    with pytest.raises(ImportValidationError, match="column 'title': holds only characters"):
        tiny_store.upsert("sources", dataclasses.replace(source, title=blank))
    with pytest.raises(ImportValidationError, match="column 'author': holds only characters"):
        tiny_store.upsert("sources", dataclasses.replace(source, author=blank))


def test_the_message_names_what_is_there():
    message = codec.invisible_problem("\u202e", True)
    assert message == (
        "holds only characters that show nothing (U+202E (right-to-left override)); "
        "type visible text"
    )


def test_invisible_characters_inside_visible_text_are_still_kept(tiny_store, tmp_path):
    kept = "Trà\u200dxanh \u202bشاي\u202c"
    rows = [dict(CLUSTER, slug="kept", name=kept, local_name="\u200bx", description="")]
    assert tiny_store.import_file("clusters", write_rows(tmp_path / "k.csv", rows)) == 1
    assert tiny_store.get("clusters", "kept").name == kept


def test_a_blank_alias_is_refused(tiny_store, tmp_path):
    rows = [{"slug": "quiet", "name": "Quiet", "aliases": "calm;\u200b\u200b"}]
    [problem] = refused(tiny_store, "sectors", write_rows(tmp_path / "s.csv", rows)).problems
    assert problem.column == "aliases" and problem.message.startswith("an entry holds only")


def test_the_command_line_shows_the_refusal_without_the_characters(tiny_store, tmp_path, capsys):
    rows = [dict(CLUSTER, slug="blank", name="\u202e", description="")]
    path = write_rows(tmp_path / "b.csv", rows)
    status = main(["import", "clusters", str(path), "--db", str(tiny_store.path)])
    err = capsys.readouterr().err
    assert status == 1
    assert (
        "line 2, column 'name': holds only characters that show nothing "
        "(U+202E (right-to-left override)); type visible text" in err
    )
    assert "Traceback" not in err


def test_a_record_saved_with_values_of_the_wrong_type_is_refused_too(tiny_store):
    """The same type check guards Store.upsert (and so the data browser)."""
    cluster = tiny_store.get("clusters", "cao-nguyen-coffee-cluster")
    for field, value, words in (
        ("established", "2001", "must be a whole number, not the text '2001'"),
        ("name", 2019, "must be text in quotes, not the number 2019"),
        ("sectors", ("aquaculture;seaweed",), "the entry 'aquaculture;seaweed' holds ';'"),
        ("description", {"en": "x"}, "must be text in quotes, not an object"),
    ):
        with pytest.raises(ImportValidationError) as caught:
            tiny_store.upsert("clusters", dataclasses.replace(cluster, **{field: value}))
        [problem] = caught.value.problems
        assert (problem.column, words in problem.message) == (field, True)
        assert "nothing saved" in str(caught.value)
    assert tiny_store.get("clusters", "cao-nguyen-coffee-cluster") == cluster
