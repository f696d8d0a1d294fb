"""Generic record access: upsert with the import checks, optimistic concurrency, delete."""

from __future__ import annotations

import dataclasses

import pytest

from briefing_app.errors import ConflictError, ImportValidationError, NotFoundError, StoreError
from briefing_app.store import open_store
from briefing_app.store.records import Cluster, Source


def test_upsert_inserts_and_updates(tiny_store):
    tiny_store.upsert("sources", Source("new-source", "A new source", url="https://example.org"))
    assert tiny_store.source("new-source").url == "https://example.org"
    cluster = Cluster(
        "bac-linh-silk-cluster",
        "Bac Linh silk cluster",
        "industrial-cluster",
        "FD",
        "bac-linh",
        sectors=("lacquerware",),
        source="new-source",
    )
    tiny_store.upsert("clusters", cluster)
    assert tiny_store.get("clusters", cluster.slug) == cluster
    tiny_store.upsert("clusters", dataclasses.replace(cluster, established=2001))
    assert tiny_store.get("clusters", cluster.slug).established == 2001


def test_upsert_rejects_bad_records_with_plain_words(tiny_store):
    bad = Cluster("x", "X", "factory", "FD", "atlantis", sectors=("steel",))
    with pytest.raises(ImportValidationError) as caught:
        tiny_store.upsert("clusters", bad)
    columns = {p.column for p in caught.value.problems}
    assert columns == {"kind", "region", "sectors"}
    with pytest.raises(StoreError, match="Cluster"):
        tiny_store.upsert("clusters", Source("s", "t"))


def test_upsert_with_expected_detects_a_change_by_someone_else(tiny_store):
    path = tiny_store.path
    seen = tiny_store.get("clusters", "cao-nguyen-coffee-cluster")
    with open_store(path) as other_window:
        other_window.upsert("clusters", dataclasses.replace(seen, name="Renamed elsewhere"))
    with pytest.raises(ConflictError, match="changed elsewhere"):
        tiny_store.upsert("clusters", dataclasses.replace(seen, industry="Coffee"), expected=seen)
    assert tiny_store.get("clusters", seen.slug).name == "Renamed elsewhere"
    current = tiny_store.get("clusters", seen.slug)
    tiny_store.upsert("clusters", dataclasses.replace(current, industry="Coffee"), expected=current)
    assert tiny_store.get("clusters", seen.slug).industry == "Coffee"


def test_delete_refuses_records_still_in_use(tiny_store):
    with pytest.raises(StoreError, match="still used by .*clusters"):
        tiny_store.delete("regions", "cao-nguyen")
    with pytest.raises(StoreError, match="still used"):
        tiny_store.delete("sectors", "aquaculture")
    tiny_store.delete("clusters", "cao-nguyen-coffee-cluster")
    tiny_store.delete("regions", "cao-nguyen")
    with pytest.raises(NotFoundError):
        tiny_store.region("cao-nguyen")
    with pytest.raises(NotFoundError):
        tiny_store.delete("regions", "cao-nguyen")


def test_delete_removes_link_rows(tiny_store):
    tiny_store.delete("policies", "freedonia-blue-economy-plan")
    # its sector and source links went with it: the foreign-key check finds no orphans
    assert tiny_store.check() == []
    rows = tiny_store.db.conn.execute(
        "SELECT count(*) FROM policy_sources WHERE policy = 'freedonia-blue-economy-plan'"
    )
    assert rows.fetchone()[0] == 0
    assert [p.slug for p in tiny_store.policies()] == ["bac-linh-craft-villages"]


def test_a_refused_record_names_its_field_not_an_import_line(tiny_store):
    cluster = tiny_store.records("clusters")[0]
    with pytest.raises(ImportValidationError) as caught:
        tiny_store.upsert("clusters", dataclasses.replace(cluster, description="bad\x00text"))
    message = str(caught.value)
    assert "nothing saved" in message
    assert "column 'description'" in message and "U+0000" in message
    assert "line 1" not in message
