"""Export to CSV and JSON, formula escaping, and export -> import round trips."""

from __future__ import annotations

import csv
import dataclasses
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from briefing_app.store import ENTITIES, codec, open_store
from briefing_app.store.codec import escape_formula, unescape_formula
from briefing_app.store.entities import spec


@pytest.mark.parametrize("text", ["=SUM(A1)", "+1", "-2", "@cmd", "\tx", "\rx", "'=x", "''-y"])
def test_formula_escape_round_trips(text):
    escaped = escape_formula(text)
    assert escaped.startswith("'")
    assert unescape_formula(escaped) == text


@pytest.mark.parametrize("text", ["plain", "'quoted but harmless", "", "杭州"])
def test_harmless_cells_are_left_alone(text):
    assert escape_formula(text) == text
    assert unescape_formula(text) == text


def test_csv_export_has_the_seed_columns_and_escapes_formulas(tiny_store, tmp_path):
    path = tmp_path / "clusters.csv"
    assert tiny_store.export_file("clusters", path) == 4
    with open(path, encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    assert tuple(rows[0]) == spec("clusters").fields
    by_slug = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    lacquer = by_slug["nam-thuy-lacquer-cluster"]
    assert lacquer["description"].startswith("'=Lacquer")
    assert "\n" in lacquer["description"]
    assert by_slug["thuy-an-shrimp-cluster"]["established"] == "2009"


@pytest.mark.parametrize("fmt", ["csv", "json"])
def test_every_entity_round_trips(tiny_store, tmp_path, empty_dir, fmt):
    target = open_store(
        tmp_path / "copy.sqlite",
        seed_dir=empty_dir,
        sections_dir=empty_dir,
        blueprints_dir=empty_dir,
    )
    with target:
        for entity in ENTITIES:
            path = tmp_path / f"{entity}.{fmt}"
            tiny_store.export_file(entity, path, fmt)
            target.import_file(entity, path)
            assert target.records(entity) == tiny_store.records(entity), entity


def test_seed_round_trips_through_csv(seeded_store, tmp_path, empty_dir):
    with open_store(
        tmp_path / "copy.sqlite",
        seed_dir=empty_dir,
        sections_dir=empty_dir,
        blueprints_dir=empty_dir,
    ) as target:
        for entity in ENTITIES:
            path = tmp_path / f"{entity}.csv"
            seeded_store.export_file(entity, path)
            target.import_file(entity, path)
        for entity in ENTITIES:
            assert target.records(entity) == seeded_store.records(entity), entity


def test_json_export_is_typed(tiny_store, tmp_path):
    path = tmp_path / "policies.json"
    tiny_store.export_file("policies", path, fmt="json")
    items = json.loads(path.read_text(encoding="utf-8"))
    plan = next(i for i in items if i["slug"] == "freedonia-blue-economy-plan")
    assert plan["is_cluster_policy"] is True
    assert plan["start_year"] == 2021
    assert plan["sources"] == ["freedonia-statistics-2024", "freedonia-cluster-survey"]


def test_re_export_after_import_is_identical(tiny_store, tmp_path):
    first = tmp_path / "a.csv"
    second = tmp_path / "b.csv"
    tiny_store.export_file("clusters", first)
    tiny_store.import_file("clusters", first)
    tiny_store.export_file("clusters", second)
    assert first.read_bytes() == second.read_bytes()


def test_export_to_a_missing_folder_is_a_store_error(tiny_store, tmp_path):
    from briefing_app.errors import StoreError

    with pytest.raises(StoreError, match="does not exist"):
        tiny_store.export_file("clusters", tmp_path / "no" / "x.csv")
    with pytest.raises(StoreError, match="format"):
        tiny_store.export_file("clusters", tmp_path / "x.xlsx", fmt="xlsx")


@given(st.text())
def test_any_text_survives_escaping(text):
    assert unescape_formula(escape_formula(text)) == text
    assert not escape_formula(text).startswith(("=", "+", "-", "@", "\t", "\r"))


@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    # every character an import accepts: control characters other than tab,
    # line feed and carriage return are refused (test_store_import_edges.py)
    # and U+E000/U+E001 and values that show nothing are refused too
    # (tests/hostile/test_import_round_two.py)
    description=st.text(
        alphabet=st.one_of(
            st.characters(
                blacklist_categories=("Cs", "Cc"), blacklist_characters="\u2028\u2029\ue000\ue001"
            ),
            st.sampled_from("\t\n\r"),
        )
    ).filter(lambda text: not codec.shows_nothing(text))
)
def test_any_description_round_trips_through_csv(tiny_store, tmp_path, description):
    original = tiny_store.get("sources", "freedonia-cluster-survey")
    changed = dataclasses.replace(original, note=description)
    tiny_store.upsert("sources", changed)
    path = tmp_path / "sources.csv"
    tiny_store.export_file("sources", path)
    tiny_store.upsert("sources", original)
    tiny_store.import_file("sources", path)
    assert tiny_store.get("sources", "freedonia-cluster-survey").note == description.strip()
